type Id = u32(1..)
type Item = struct { id: Id, count: u8 }
type Inventory = Item[..50]
event Update = { from: Server, type: Reliable, call: ManyAsync, data: (items: Inventory, owner: Id) }
