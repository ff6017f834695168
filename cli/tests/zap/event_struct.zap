-- A struct as the data is one value: one parameter.
event Spawn = {
	from: Server,
	type: Reliable,
	call: ManyAsync,
	data: struct {
		foo: string.utf8(..20),
		bar: u8,
	},
}
