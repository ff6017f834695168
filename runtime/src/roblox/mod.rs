//! Every Roblox enum and class as a Rust type, shipped once here so that
//! generated code names `tether_runtime::roblox::enums::KeyCode` instead of
//! defining its own copy in every file.
//!
//! The types follow the tables of [`tether_facts::roblox`]: an enum's
//! variants are its items in wire order (section 4.8 of
//! `docs/wire-format.md`), so a variant's discriminant is its number on the
//! wire. `enums.rs` and `classes.rs` are generated from those tables and
//! checked in (`compiler/tests/runtime_roblox.rs` regenerates them); the
//! macros below expand them into the types, which keeps the checked-in text
//! to one line per type and the build cheap.

/// One Roblox enum: `$name` is the Rust name, `$roblox` the Roblox one,
/// `$facts` its position in [`tether_facts::roblox::ENUMS`], `$count` the
/// number of its items, which follow as variants in wire order.
///
/// With several hundred enums, every function here costs build time, so
/// each is one inlined call into the shared helpers below.
macro_rules! roblox_enum {
    ($name:ident = $roblox:literal, $facts:literal, $count:literal, [$($item:ident),* $(,)?]) => {
        #[doc = concat!(" `Enum.", $roblox, "`, numbered on the wire by position in [`Self::ALL`].")]
        ///
        /// Roblox adds items over time, so matches need a wildcard arm; an
        /// item added after the tables were generated cannot travel.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        #[allow(missing_docs)]
        pub enum $name { $($item),* }

        impl $name {
            /// Every item, in wire order.
            pub const ALL: [Self; $count] = [$(Self::$item),*];

            /// The item's name in Roblox.
            #[inline]
            pub const fn name(self) -> &'static str {
                $crate::roblox::item($facts, self as usize).name
            }

            /// The item's number on the wire (its position in [`Self::ALL`]).
            #[inline]
            pub const fn index(self) -> usize {
                self as usize
            }

            /// The item's `Value` in Roblox (`Enum.X.Y.Value`).
            #[inline]
            pub const fn value(self) -> u32 {
                $crate::roblox::item($facts, self as usize).value
            }
        }

        impl ::core::fmt::Debug for $name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl $crate::wire::Encode for $name {
            #[inline]
            fn encode(&self, w: &mut $crate::wire::Writer) -> ::core::result::Result<(), $crate::wire::EncodeError> {
                $crate::roblox::encode_item(w, *self as u32, $count)
            }
        }

        impl $crate::wire::Decode for $name {
            #[inline]
            fn decode(r: &mut $crate::wire::Reader<'_>) -> ::core::result::Result<Self, $crate::wire::DecodeError> {
                $crate::roblox::decode_item(r, &Self::ALL, concat!("Enum.", $roblox))
            }
        }
    };
}

/// One Roblox class as a marker type; `$roblox` is its name when the Rust
/// name had to differ (a Rust keyword).
macro_rules! roblox_class {
    ($name:ident) => {
        #[doc = concat!(" The Roblox class `", stringify!($name), "`.")]
        pub enum $name {}

        impl $crate::types::Class for $name {
            const NAME: &'static str = stringify!($name);
        }
    };
    ($name:ident = $roblox:literal) => {
        #[doc = concat!(" The Roblox class `", $roblox, "`.")]
        pub enum $name {}

        impl $crate::types::Class for $name {
            const NAME: &'static str = $roblox;
        }
    };
}

pub mod classes;
pub mod enums;

use crate::wire::{DecodeError, EncodeError, Reader, Writer};
use tether_facts::roblox::{Item, ENUMS};

/// Item `index` of enum `position` of the tables. Both come from the
/// generated list, which the tables were checked against, so they are in
/// bounds.
#[inline]
const fn item(position: usize, index: usize) -> &'static Item {
    &ENUMS[position].items[index]
}

/// Writes an item's number.
#[inline]
fn encode_item(w: &mut Writer, index: u32, count: u32) -> Result<(), EncodeError> {
    w.tag(index, count);
    Ok(())
}

/// Reads an item's number and takes it from `all`.
#[inline]
fn decode_item<T: Copy>(
    r: &mut Reader<'_>,
    all: &[T],
    what: &'static str,
) -> Result<T, DecodeError> {
    // Enums hold a few hundred items at most.
    let count = u32::try_from(all.len()).unwrap_or(u32::MAX);
    let index = r.tag(count, what)?;
    all.get(index as usize)
        .copied()
        .ok_or_else(|| DecodeError::invalid_tag(what, u64::from(index), u64::from(count)))
}

#[cfg(test)]
mod tests {
    use super::classes::{BasePart, Part, Player};
    use super::enums::{
        AdFormat, AudioCaptureMode, KeyCode, Material, StudioScriptEditorColorCategories,
    };
    use crate::types::{Class, PlayerClass};
    use crate::wire::{decode_message, encode_message, DecodeError, Writer};
    use tether_facts::roblox::enum_named;

    #[test]
    fn items_follow_the_tables_in_wire_order() {
        let facts = enum_named("KeyCode").map_or(&[][..], |e| e.items);
        assert_eq!(KeyCode::ALL.len(), facts.len());
        for (index, (key, item)) in KeyCode::ALL.iter().zip(facts).enumerate() {
            assert_eq!(
                (key.index(), key.name(), key.value()),
                (index, item.name, item.value)
            );
        }
        assert_eq!(Material::ALL[0], Material::Plastic);
        assert_eq!(Material::Plastic.value(), 256);
        assert_eq!(format!("{:?}", KeyCode::Backspace), "Backspace");
        // `Self` is not a Rust identifier; the Roblox name stays.
        assert_eq!(StudioScriptEditorColorCategories::Self_.name(), "Self");
    }

    #[test]
    fn items_travel_as_their_index() {
        let bits = tether_facts::wire::tag_bits(KeyCode::ALL.len() as u64);
        for key in KeyCode::ALL {
            let mut w = Writer::new();
            w.start_message();
            w.bits(key.index() as u32, bits);
            let (expected, _) = w.take();
            let (bytes, _) = encode_message(&key).unwrap_or_default();
            assert_eq!(bytes, expected, "{key:?}");
            assert_eq!(decode_message::<KeyCode>(&bytes, &[]), Ok(key));
        }
        // A number past the last item is rejected.
        let count = KeyCode::ALL.len() as u64;
        let past = [(count & 0xFF) as u8, (count >> 8) as u8];
        assert_eq!(
            decode_message::<KeyCode>(&past, &[]),
            Err(DecodeError::invalid_tag("Enum.KeyCode", count, count))
        );
    }

    #[test]
    fn enums_of_one_item_or_none() {
        assert_eq!(AdFormat::ALL.len(), 1);
        let (bytes, _) = encode_message(&AdFormat::ALL[0]).unwrap_or_default();
        assert!(bytes.is_empty());
        assert_eq!(decode_message::<AdFormat>(&[], &[]), Ok(AdFormat::ALL[0]));
        assert!(AudioCaptureMode::ALL.is_empty());
        assert_eq!(
            decode_message::<AudioCaptureMode>(&[], &[]),
            Err(DecodeError::invalid_tag("Enum.AudioCaptureMode", 0, 0))
        );
    }

    #[test]
    fn classes_name_themselves() {
        assert_eq!(Part::NAME, "Part");
        assert_eq!(BasePart::NAME, "BasePart");
        assert_eq!(<Player as Class>::NAME, PlayerClass::NAME);
        assert!(crate::classes::is_a(Part::NAME, BasePart::NAME));
    }
}
