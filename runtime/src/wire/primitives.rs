//! [`Encode`] and [`Decode`] for booleans, integers and finite floats
//! (section 4.1), and for the wrappers generated code uses.

use super::{check_float, Decode, DecodeError, Encode, EncodeError, LenRange, Reader, Writer};

impl Encode for bool {
    #[inline]
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.bool(*self);
        Ok(())
    }
}

impl Decode for bool {
    #[inline]
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.bool()
    }
}

macro_rules! ints {
    ($($ty:ident),*) => {$(
        impl Encode for $ty {
            #[inline]
            fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
                w.$ty(*self);
                Ok(())
            }
        }

        impl Decode for $ty {
            #[inline]
            fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                r.$ty()
            }
        }
    )*};
}

ints!(u8, u16, u32, u64, i8, i16, i32, i64);

/// `f32` and `f64` through the traits are finite only: NaN and infinities are
/// refused and rejected. A `nonfinite` type goes through
/// [`Writer::f32`]/[`Reader::f32`] directly.
macro_rules! floats {
    ($($ty:ident),*) => {$(
        impl Encode for $ty {
            #[inline]
            fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
                check_float(f64::from(*self), None, None, false)?;
                w.$ty(*self);
                Ok(())
            }
        }

        impl Decode for $ty {
            #[inline]
            fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                let v = r.$ty()?;
                if let Err(error) = check_float(f64::from(v), None, None, false) {
                    r.refuse(error.into())?;
                }
                Ok(v)
            }
        }
    )*};
}

floats!(f32, f64);

/// `string` without a length range (section 4.2); a range is the use
/// site's, which generated code checks with [`Writer::string`].
impl Encode for String {
    #[inline]
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.string(self, LenRange::UNBOUNDED)
    }
}

impl Decode for String {
    #[inline]
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.string(LenRange::UNBOUNDED)
    }
}

/// `T?` (section 4.3).
///
/// Written out rather than through `write_option` and `read_option`: passing
/// `T::encode` as a closure costs a shim, a `map` and a `Some` per `T` in an
/// unoptimized build, and a protocol has an optional of most of its types.
impl<T: Encode> Encode for Option<T> {
    #[inline]
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.bool(self.is_some());
        match self {
            Some(v) => v.encode(w),
            None => Ok(()),
        }
    }
}

impl<T: Decode> Decode for Option<T> {
    #[inline]
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        if tri!(r.bool()) {
            match T::decode(r) {
                Ok(v) => Ok(Some(v)),
                Err(e) => Err(e),
            }
        } else {
            Ok(None)
        }
    }
}

/// A box is encoded as what it holds (recursive types).
impl<T: Encode + ?Sized> Encode for Box<T> {
    #[inline]
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        (**self).encode(w)
    }
}

impl<T: Decode> Decode for Box<T> {
    #[inline]
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match T::decode(r) {
            Ok(v) => Ok(Box::new(v)),
            Err(e) => Err(e),
        }
    }
}

impl<T: Encode + ?Sized> Encode for &T {
    #[inline]
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        (**self).encode(w)
    }
}
