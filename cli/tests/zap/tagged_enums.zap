type Tagged = enum "Type" {
	Number {
		Value: f64(0..1000),
	},
	String {
		Value: string.utf8(..32),
	},
	Boolean {
		Value: boolean,
	},
	Empty {},
}
type Inline = struct { shape: enum "kind" { Circle { radius: f32(0..10) }, Dot {} } }
