//! Roblox's class hierarchy, for `IsA`: an instance sent where the schema
//! declares a class must be of that class or one of its subclasses
//! (`docs/wire-format.md`, section 4.9).
//!
//! The hierarchy is the tables' of [`tether_facts::roblox`], the ones the
//! compiler checks schemas against.

/// Whether an instance of `class` `IsA(ancestor)`: `class` is `ancestor` or
/// inherits from it. Every class is an `Instance`; a class the tables do
/// not know is only itself (and an `Instance`).
pub fn is_a(class: &str, ancestor: &str) -> bool {
    tether_facts::roblox::is_a(class, ancestor)
}

#[cfg(test)]
mod tests {
    use super::is_a;

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
        assert!(is_a("NoSuchClass", "NoSuchClass"));
        assert!(is_a("NoSuchClass", "Instance"));
    }
}
