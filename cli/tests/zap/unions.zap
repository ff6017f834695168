-- A union whose arms Luau tells apart by what the value is.
type Union = (
	string.utf8(..8)
	| u32
	| enum "kind" { Hit { damage: u8 }, Miss {} }
	| Instance
)
event Either = { from: Server, type: Reliable, call: ManyAsync, data: (u8 | boolean) }
