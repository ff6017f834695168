//! What Tether knows of Roblox: classes and enums from the tables of
//! `tether-facts` (generated from the reflection database, the same tables
//! the runtime numbers enum items by), and which services replicate to
//! clients.

mod services;

use crate::suggest::did_you_mean;
use services::SERVICES;
use tether_facts::roblox::{self as facts, CLASSES, ENUMS};

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

/// Whether `name` is a Roblox class.
pub fn is_class(name: &str) -> bool {
    facts::class(name).is_some()
}

/// The class name closest to a misspelt one.
pub fn similar_class(name: &str) -> Option<&'static str> {
    did_you_mean(name, CLASSES.iter().map(|class| class.name))
}

/// Whether `class` is `ancestor` or inherits from it (Roblox's `IsA`).
/// False if either is not a class. Only the tables' tests use it.
#[cfg(test)]
pub fn is_a(class: &str, ancestor: &str) -> bool {
    // The runtime takes a class it does not know for a new one; a schema
    // naming one is misspelt.
    is_class(class) && is_class(ancestor) && facts::is_a(class, ancestor)
}

/// Number of items of the Roblox enum `name` (`Material` for `Enum.Material`).
pub fn enum_item_count(name: &str) -> Option<usize> {
    facts::enum_named(name).map(|e| e.items.len())
}

/// The item names of the Roblox enum `name`, ordered by item value (the
/// order the wire format indexes them in).
pub fn enum_items(name: &str) -> Option<Vec<&'static str>> {
    facts::enum_named(name).map(|e| e.items.iter().map(|item| item.name).collect())
}

/// The enum name closest to a misspelt one.
pub fn similar_enum(name: &str) -> Option<&'static str> {
    did_you_mean(name, ENUMS.iter().map(|e| e.name))
}

/// The service of that name, from the known table.
pub fn service(name: &str) -> Option<&'static Service> {
    SERVICES.iter().find(|s| s.name == name)
}

/// The service name closest to a misspelt one.
pub fn similar_service(name: &str) -> Option<&'static str> {
    did_you_mean(name, SERVICES.iter().map(|s| s.name))
}

/// Every service in the known table (for the tables' tests).
#[cfg(test)]
pub fn services() -> &'static [Service] {
    SERVICES
}

#[cfg(test)]
mod tests {
    use super::*;

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
        for service in services() {
            let class = facts::class(service.name);
            assert!(class.is_some(), "{} is not a class", service.name);
            let tagged = class.is_some_and(|c| c.tags.contains(facts::ClassTags::SERVICE));
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
