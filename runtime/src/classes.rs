//! Roblox's class hierarchy, for `IsA`: an instance sent where the schema
//! declares a class must be of that class or one of its subclasses
//! (`docs/wire-format.md`, section 4.9).
//!
//! The hierarchy is the bundled reflection database's, the one the compiler
//! generates from, loaded once on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Class name → superclass name.
type Superclasses = HashMap<&'static str, Option<&'static str>>;

fn superclasses() -> &'static Superclasses {
    static SUPERCLASSES: OnceLock<Superclasses> = OnceLock::new();
    SUPERCLASSES.get_or_init(|| {
        // Decoding the bundled database panics on failure; an empty map then
        // leaves `is_a` with exact matches only.
        match std::panic::catch_unwind(rbx_reflection_database::get_bundled) {
            Ok(db) => db
                .classes
                .iter()
                .map(|(&name, class)| (name, class.superclass))
                .collect(),
            Err(_) => Superclasses::new(),
        }
    })
}

/// Whether an instance of `class` `IsA(ancestor)`: `class` is `ancestor` or
/// inherits from it. Every class is an `Instance`; a class the database
/// does not know is only itself (and an `Instance`).
pub fn is_a(class: &str, ancestor: &str) -> bool {
    if class == ancestor || ancestor == "Instance" {
        return true;
    }
    let map = superclasses();
    let mut current = map.get(class).copied().flatten();
    // The chain is finite in the database; the bound guards against a cycle.
    for _ in 0..map.len() {
        match current {
            Some(name) if name == ancestor => return true,
            Some(name) => current = map.get(name).copied().flatten(),
            None => return false,
        }
    }
    false
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
