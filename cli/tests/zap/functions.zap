funct Test = {
	call: Async,
	args: struct {
		foo: u8,
		bar: string.utf8(..10),
	},
	rets: enum { Success, Fail },
}
funct NoArgs = { call: Async, rets: boolean }
funct NoRets = { call: Async, args: (id: u32) }
funct Many = { call: Async, args: (u8, u16), rets: (ok: boolean, reason: string.utf8(..64)?) }
