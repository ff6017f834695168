event A = { from: Server, type: Reliable, call: ManyAsync, data: u8 }
event B = { from: Server, type: Reliable, call: ManySync, data: u8 }
event C = { from: Server, type: Reliable, call: SingleAsync, data: u8 }
event D = { from: Server, type: Reliable, call: SingleSync, data: u8 }
event E = { from: Server, type: Reliable, call: Polling, data: u8 }
funct F = { call: Async, args: u8, rets: u8 }
funct G = { call: Sync, args: u8, rets: u8 }
