//! The reflection database, loaded once and indexed for the lookups Tether needs.

use std::collections::HashMap;
use std::sync::OnceLock;

use rbx_reflection::ReflectionDatabase;

/// What Tether keeps of the reflection database.
#[derive(Debug, Default)]
pub(super) struct Index {
    /// The database's Roblox version; `None` when the database did not load.
    pub version: Option<[u32; 4]>,
    /// Class name → superclass name.
    pub classes: HashMap<&'static str, Option<&'static str>>,
    /// Every class name, sorted, so suggestions do not depend on hash order.
    pub class_names: Vec<&'static str>,
    /// Enum name → item names ordered by item value (ties by name).
    pub enums: HashMap<&'static str, Vec<&'static str>>,
    /// Every enum name, sorted.
    pub enum_names: Vec<&'static str>,
}

impl Index {
    fn from_database(db: &'static ReflectionDatabase<'static>) -> Index {
        let classes: HashMap<_, _> = db
            .classes
            .iter()
            .map(|(&name, class)| (name, class.superclass))
            .collect();
        let mut class_names: Vec<_> = classes.keys().copied().collect();
        class_names.sort_unstable();

        let enums: HashMap<_, _> = db
            .enums
            .iter()
            .map(|(&name, descriptor)| {
                let mut items: Vec<(u32, &'static str)> = descriptor
                    .items
                    .iter()
                    .map(|(&item, &value)| (value, item))
                    .collect();
                items.sort_unstable();
                (name, items.into_iter().map(|(_, item)| item).collect())
            })
            .collect();
        let mut enum_names: Vec<_> = enums.keys().copied().collect();
        enum_names.sort_unstable();

        Index {
            version: Some(db.version),
            classes,
            class_names,
            enums,
            enum_names,
        }
    }
}

/// The index, loaded on first use. A database that cannot be decoded leaves an empty
/// index: every lookup then answers "unknown" instead of panicking.
pub(super) fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        // Only the bundled database: enum item indices are part of the wire
        // format, so a machine-local override must not change them. Its
        // decoding panics on failure, hence the guard.
        match std::panic::catch_unwind(rbx_reflection_database::get_bundled) {
            Ok(db) => Index::from_database(db),
            Err(_) => Index::default(),
        }
    })
}
