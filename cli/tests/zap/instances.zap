type Any = Instance
type Part = Instance(BasePart)
type Spaced = Instance (Model)
type Who = Instance(Player)?
type Player = Instance(Player)
event Joined = { from: Server, type: Reliable, call: ManyAsync, data: Player }
