type Tags = set { string.utf8(..16) }
type Ids = set { u32 }
