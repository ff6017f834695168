-- Newer Zap: several values, named or not.
event Hit = {
	from: Server,
	type: Reliable,
	call: ManyAsync,
	data: (target: Instance(Player), u8(0..100), boolean),
}
event Unnamed = { from: Server, type: Reliable, call: ManyAsync, data: (u8, u16) }
