opt server_output = "./network/server.luau"
opt client_output = "./network/client.luau"
opt casing = "camelCase"
opt write_checks = true

-- An item in the shop.
type Item = struct {
	name: string.utf8(1..32),
	price: u16(1..10000),
	tags: string[..8],
}

type Health = u8(0..100)

event Chat = {
	from: Client,
	type: Reliable,
	call: ManyAsync,
	data: (message: string.utf8(1..200), team: enum { Red, Blue }),
}

event Damage = {
	from: Server,
	type: Unreliable,
	call: SingleSync,
	data: struct { target: Instance(Player), amount: f32 },
}

funct Buy = {
	call: Async,
	args: (item: u32, quantity: u8(1..10)),
	rets: (boolean, string.utf8(..64)?),
}
