namespace Combat = {
	type Damage = u16(0..1000)
	event Hit = { from: Server, type: Reliable, call: ManyAsync, data: Damage }
	namespace Inner = {
		type Crit = boolean
	}
}
event Killed = { from: Server, type: Reliable, call: ManyAsync, data: Combat.Damage }
