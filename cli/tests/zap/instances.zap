type Any = Instance
type Part = Instance(BasePart)
type Spaced = Instance (Model)
type Who = Instance(Player)?
