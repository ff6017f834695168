//! Roblox's classes and enums, as the reflection database the tables were
//! generated from lists them.
//!
//! Enum items travel as their position in [`Enum::items`] (section 4.8 of
//! `docs/wire-format.md`), so the tables are part of the wire format: two
//! builds must use the same tables to understand each other, and a Roblox
//! update changes them only when they are regenerated (see
//! `facts/tests/tables.rs`). The classes give `IsA` (section 4.9).
//!
//! The tables are sorted by name and searched by bisection; nothing is
//! loaded or allocated at run time.

mod classes;
mod enums;
pub mod serializer;
mod version;

pub use classes::CLASSES;
pub use enums::ENUMS;
pub use version::DATABASE_VERSION;

/// A Roblox class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Class {
    /// The class name (`Part`).
    pub name: &'static str,
    /// The class it inherits from; `None` for `Instance` and for the few
    /// classes outside the instance tree.
    pub superclass: Option<&'static str>,
    /// What the database says of the class beyond its place in the tree.
    pub tags: ClassTags,
}

/// The tags of a [`Class`], as a set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ClassTags(u8);

impl ClassTags {
    /// No tag.
    pub const NONE: ClassTags = ClassTags(0);
    /// Deprecated by Roblox.
    pub const DEPRECATED: ClassTags = ClassTags(1);
    /// Hidden from Studio's object browser.
    pub const NOT_BROWSABLE: ClassTags = ClassTags(1 << 1);
    /// `Instance.new` cannot make one.
    pub const NOT_CREATABLE: ClassTags = ClassTags(1 << 2);
    /// Instances of it do not replicate.
    pub const NOT_REPLICATED: ClassTags = ClassTags(1 << 3);
    /// Replicates to its player only.
    pub const PLAYER_REPLICATED: ClassTags = ClassTags(1 << 4);
    /// A service: `game:GetService` returns its one instance.
    pub const SERVICE: ClassTags = ClassTags(1 << 5);
    /// A settings object.
    pub const SETTINGS: ClassTags = ClassTags(1 << 6);
    /// A user settings object.
    pub const USER_SETTINGS: ClassTags = ClassTags(1 << 7);

    /// Both sets together; the tables build a class's tags with it.
    pub const fn with(self, other: ClassTags) -> ClassTags {
        ClassTags(self.0 | other.0)
    }

    /// Whether every tag of `other` is in the set.
    pub const fn contains(self, other: ClassTags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether the set has no tag.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// A Roblox enum (`Enum.KeyCode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Enum {
    /// The enum's name (`KeyCode`).
    pub name: &'static str,
    /// Every item, in wire order: by `Value`, ties by name. An item's
    /// position is its number on the wire.
    pub items: &'static [Item],
}

/// An item of a Roblox enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Item {
    /// The item's name (`Backspace`).
    pub name: &'static str,
    /// The item's `Value` in Roblox, which `any` carries (section 4.10).
    pub value: u32,
}

impl Enum {
    /// The bits of an item's number on the wire.
    pub const fn tag_bits(&self) -> u32 {
        crate::wire::tag_bits(self.items.len() as u64)
    }

    /// The item numbered `index` on the wire.
    pub fn item(&self, index: usize) -> Option<&'static Item> {
        self.items.get(index)
    }

    /// The item of that name.
    pub fn item_named(&self, name: &str) -> Option<&'static Item> {
        self.index_of(name).map(|index| &self.items[index])
    }

    /// The wire number of the item of that name. A scan: items are in wire
    /// order, not by name, and an enum has a few dozen.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.items.iter().position(|item| item.name == name)
    }

    /// The item of that `Value`, as `Enum[name]:FromValue(value)` finds it;
    /// of several items of one value, the first in wire order.
    pub fn item_by_value(&self, value: u32) -> Option<&'static Item> {
        let start = self.items.partition_point(|item| item.value < value);
        self.items.get(start).filter(|item| item.value == value)
    }
}

/// The class of that name.
pub fn class(name: &str) -> Option<&'static Class> {
    CLASSES
        .binary_search_by(|class| class.name.cmp(name))
        .ok()
        .map(|index| &CLASSES[index])
}

/// The enum of that name (`KeyCode` for `Enum.KeyCode`).
pub fn enum_named(name: &str) -> Option<&'static Enum> {
    ENUMS
        .binary_search_by(|e| e.name.cmp(name))
        .ok()
        .map(|index| &ENUMS[index])
}

/// Whether an instance of `class` `IsA(ancestor)`: `class` is `ancestor` or
/// inherits from it. Every class is an `Instance`, and a class the tables do
/// not know (one Roblox added since) is only itself and an `Instance`: a
/// receiver can still accept it where any instance will do.
pub fn is_a(class_name: &str, ancestor: &str) -> bool {
    if class_name == ancestor || ancestor == "Instance" {
        return true;
    }
    let mut current = class(class_name).and_then(|c| c.superclass);
    // The chain is finite in the tables; the bound keeps a broken one so.
    for _ in 0..CLASSES.len() {
        match current {
            Some(name) if name == ancestor => return true,
            Some(name) => current = class(name).and_then(|c| c.superclass),
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_for_bisection() {
        assert!(CLASSES.windows(2).all(|w| w[0].name < w[1].name));
        assert!(ENUMS.windows(2).all(|w| w[0].name < w[1].name));
    }

    #[test]
    fn items_are_in_wire_order() {
        for e in ENUMS {
            assert!(
                e.items
                    .windows(2)
                    .all(|w| (w[0].value, w[0].name) < (w[1].value, w[1].name)),
                "Enum.{}",
                e.name
            );
        }
    }

    #[test]
    fn every_superclass_is_a_class() {
        for c in CLASSES {
            if let Some(superclass) = c.superclass {
                assert!(class(superclass).is_some(), "{} < {superclass}", c.name);
            }
        }
    }

    #[test]
    fn subclasses_are_their_ancestors() {
        assert!(is_a("Part", "Part"));
        assert!(is_a("Part", "BasePart"));
        assert!(is_a("MeshPart", "BasePart"));
        assert!(is_a("Part", "PVInstance"));
        assert!(is_a("Model", "Instance"));
        assert!(is_a("Player", "Player"));
    }

    #[test]
    fn other_branches_and_unknown_classes_are_not() {
        assert!(!is_a("Model", "BasePart"));
        assert!(!is_a("BasePart", "Part"));
        assert!(!is_a("Folder", "Player"));
        assert!(!is_a("NoSuchClass", "BasePart"));
        assert!(!is_a("Part", "NoSuchClass"));
        assert!(is_a("NoSuchClass", "NoSuchClass"));
        assert!(is_a("NoSuchClass", "Instance"));
    }

    #[test]
    fn services_are_tagged() {
        for name in ["Workspace", "Players", "ReplicatedStorage"] {
            let tags = class(name).map(|c| c.tags).unwrap_or_default();
            assert!(tags.contains(ClassTags::SERVICE), "{name}");
        }
        let part = class("Part").map(|c| c.tags).unwrap_or_default();
        assert!(!part.contains(ClassTags::SERVICE));
        assert!(ClassTags::NONE.is_empty());
    }

    #[test]
    fn item_lookups_agree() {
        let material = enum_named("Material");
        let plastic = material.and_then(|m| m.item_named("Plastic"));
        assert_eq!(plastic.map(|i| i.value), Some(256));
        assert_eq!(material.and_then(|m| m.index_of("Plastic")), Some(0));
        assert_eq!(material.and_then(|m| m.item(0)), plastic);
        assert_eq!(material.and_then(|m| m.item_by_value(256)), plastic);
        assert_eq!(material.and_then(|m| m.item_by_value(3)), None);
        assert_eq!(material.and_then(|m| m.item_named("Plastik")), None);
        assert!(enum_named("Nopes").is_none());
        let key_code = enum_named("KeyCode");
        let count = key_code.map_or(0, |k| k.items.len());
        assert_eq!(
            key_code.map(Enum::tag_bits),
            Some(crate::wire::tag_bits(count as u64))
        );
    }
}
