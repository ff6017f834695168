type Plain = vector
type Typed = vector(f32, f32, f32)
type TwoD = vector(u8, f32)
