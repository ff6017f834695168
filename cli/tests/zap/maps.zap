type Scores = map { [string.utf8(..20)]: u32 }
type ById = map { [u16]: boolean }
type Old = { [string.utf8(..8)]: u8 }
