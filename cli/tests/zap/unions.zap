type Union = (
	string.utf8(..8)
	| u32
	| enum { "hello", "world" }
	| unknown
	| Instance
)
event Either = { from: Server, type: Reliable, call: ManyAsync, data: (u8 | boolean) }
