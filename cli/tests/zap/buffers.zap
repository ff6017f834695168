type Any = buffer
type Small = buffer(..64)
type Exact = buffer(16)
