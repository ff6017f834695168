//! Tuples encode as their elements in order, with nothing between them: a
//! message body whose parameters all encode as their type does is its
//! parameter tuple's encoding (`docs/wire-format.md`, section 6).

use super::{Decode, DecodeError, Encode, EncodeError, Reader, Writer};

impl Encode for () {
    #[inline]
    fn encode(&self, _: &mut Writer) -> Result<(), EncodeError> {
        Ok(())
    }
}

impl Decode for () {
    #[inline]
    fn decode(_: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(())
    }
}

macro_rules! tuples {
    ($(($($name:ident $index:tt),+))*) => {$(
        impl<$($name: Encode),+> Encode for ($($name,)+) {
            #[inline]
            fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
                $(tri!(self.$index.encode(w));)+
                Ok(())
            }
        }

        impl<$($name: Decode),+> Decode for ($($name,)+) {
            #[inline]
            fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                Ok(($(tri!($name::decode(r)),)+))
            }
        }
    )*};
}

tuples! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11)
}

// The generator relies on tuples up to `MAX_TUPLE` having a codec.
const _: () = assert!(tether_facts::wire::MAX_TUPLE == 12);
