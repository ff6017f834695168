type Winners = u8[]
type Path = u8[10..20]
type Five = f32(0..1)[5]
type Most = u16[..10]
type Nested = u8[..4][..4]
type Optional = u8[..3]?
type OfOptional = u8?[..3]
