//! Smallest and largest encoded sizes of types in the wire format.
