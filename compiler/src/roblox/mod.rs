//! What Tether knows of Roblox: classes and enums from the reflection
//! database, and which services replicate to clients.
//!
//! The database is the one `rbx_reflection_database` provides (a local
//! override if present, else the bundled one), loaded once on first use. If
//! it cannot be loaded, every lookup behaves as if the database were empty.

mod reflection;
mod services;

use crate::suggest::did_you_mean;
use reflection::index;
use services::SERVICES;

/// Whether a service's contents are visible to clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replication {
    /// Replicated to every client (Workspace, ReplicatedStorage, ...).
    ToClients,
    /// Never replicated: clients cannot see anything in it (ServerStorage, ServerScriptService).
    ServerOnly,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Service {
    pub name: &'static str,
    pub replication: Replication,
}

/// Whether `name` is a class in the reflection database.
pub fn is_class(name: &str) -> bool {
    index().classes.contains_key(name)
}

/// The class name closest to a misspelt one.
pub fn similar_class(name: &str) -> Option<&'static str> {
    did_you_mean(name, index().class_names.iter().copied())
}

/// Whether `class` is `ancestor` or inherits from it (Roblox's `IsA`).
/// False if either is not a class.
pub fn is_a(class: &str, ancestor: &str) -> bool {
    let classes = &index().classes;
    if !classes.contains_key(ancestor) {
        return false;
    }
    let mut current = classes.get_key_value(class).map(|(&name, _)| name);
    // A well-formed database has no cycles; the bound keeps a broken one finite.
    for _ in 0..=classes.len() {
        match current {
            Some(name) if name == ancestor => return true,
            Some(name) => current = classes.get(name).copied().flatten(),
            None => return false,
        }
    }
    false
}

/// Number of items of the Roblox enum `name` (`Material` for `Enum.Material`).
pub fn enum_item_count(name: &str) -> Option<usize> {
    index().enums.get(name).map(Vec::len)
}

/// The item names of the Roblox enum `name`, ordered by item value (the
/// order the wire format indexes them in).
pub fn enum_items(name: &str) -> Option<Vec<&'static str>> {
    index().enums.get(name).cloned()
}

/// The enum name closest to a misspelt one.
pub fn similar_enum(name: &str) -> Option<&'static str> {
    did_you_mean(name, index().enum_names.iter().copied())
}

/// The service of that name, from the known table.
pub fn service(name: &str) -> Option<&'static Service> {
    SERVICES.iter().find(|s| s.name == name)
}

/// The service name closest to a misspelt one.
pub fn similar_service(name: &str) -> Option<&'static str> {
    did_you_mean(name, SERVICES.iter().map(|s| s.name))
}

/// Every service in the known table.
pub fn services() -> &'static [Service] {
    SERVICES
}

/// The Roblox version the reflection database was generated from; `None`
/// if it could not be loaded. Roblox enum encodings depend on it.
pub fn database_version() -> Option<[u32; 4]> {
    index().version
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_loads() {
        assert!(database_version().is_some());
    }

    #[test]
    fn common_classes_exist() {
        for class in ["Part", "Model", "Player", "Tool", "Instance"] {
            assert!(is_class(class), "{class} should be a class");
        }
        assert!(!is_class("Prat"));
        assert!(!is_class("part"));
    }

    #[test]
    fn misspelt_class_suggests_the_class() {
        assert_eq!(similar_class("Prat"), Some("Part"));
    }

    #[test]
    fn inheritance() {
        assert!(is_a("Part", "BasePart"));
        assert!(is_a("Part", "Instance"));
        assert!(is_a("Part", "Part"));
        assert!(is_a("Player", "Instance"));
        assert!(!is_a("Part", "Model"));
        assert!(!is_a("Prat", "Instance"));
        assert!(!is_a("Part", "Prat"));
    }

    #[test]
    fn enums_exist_with_items() {
        for name in ["Material", "KeyCode"] {
            let count = enum_item_count(name).unwrap_or(0);
            assert!(count > 10, "Enum.{name} has {count} items");
            assert_eq!(enum_items(name).map(|items| items.len()), Some(count));
        }
        assert_eq!(enum_item_count("Matrial"), None);
    }

    #[test]
    fn enum_items_are_ordered_by_value() {
        // Material.Plastic is 256, the smallest value; SmoothPlastic 272.
        let materials = enum_items("Material").unwrap_or_default();
        assert_eq!(materials.first(), Some(&"Plastic"));
        assert_eq!(materials.get(1), Some(&"SmoothPlastic"));
        // KeyCode.Backspace is 8, Tab 9.
        let items = enum_items("KeyCode").unwrap_or_default();
        let backspace = items.iter().position(|i| *i == "Backspace");
        let tab = items.iter().position(|i| *i == "Tab");
        assert!(backspace.is_some() && backspace < tab);
    }

    #[test]
    fn misspelt_enum_suggests_the_enum() {
        assert_eq!(similar_enum("Matrial"), Some("Material"));
    }

    #[test]
    fn services_replication() {
        assert_eq!(
            service("ServerStorage").map(|s| s.replication),
            Some(Replication::ServerOnly)
        );
        assert_eq!(
            service("ServerScriptService").map(|s| s.replication),
            Some(Replication::ServerOnly)
        );
        assert_eq!(
            service("Workspace").map(|s| s.replication),
            Some(Replication::ToClients)
        );
        assert_eq!(service("Workspce"), None);
        assert_eq!(similar_service("Workspce"), Some("Workspace"));
    }

    #[test]
    fn every_service_is_a_service_class() {
        let db = rbx_reflection_database::get().expect("reflection database");
        for service in services() {
            assert!(is_class(service.name), "{} is not a class", service.name);
            let tagged = db.classes[service.name]
                .tags
                .contains(&rbx_reflection::ClassTag::Service);
            assert!(tagged, "{} is not a service", service.name);
        }
    }

    #[test]
    fn service_names_are_unique() {
        for (i, a) in services().iter().enumerate() {
            assert!(services()[i + 1..].iter().all(|b| b.name != a.name));
        }
    }
}
