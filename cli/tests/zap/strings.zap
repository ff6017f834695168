type Plain = string
type Utf8 = string.utf8
type Binary = string.binary
type Username = string.utf8(3..20)
type Fixed = string(8)
type Packed = string.binary(..64)
type AtLeast = string.utf8(1..)
