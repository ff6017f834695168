type Item = struct {
	name: string.utf8(..32),
	price: u16,
	"in": boolean,
	type: u8,
}
type Empty = struct {}
type Nested = struct {
	inner: struct { a: u8, b: u8? },
}
type Old = {
	Name: string.utf8(..8),
}
type Spaced = struct { "display name": string.utf8(..8) }
