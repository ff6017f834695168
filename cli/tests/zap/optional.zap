type Maybe = u8?
type MaybeName = string.utf8(..16)?
type Twice = u8??
type Character = Instance(Model)?
type MaybeUnknown = unknown?
