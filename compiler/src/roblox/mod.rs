//! What Tether knows of Roblox: classes and enums from the reflection
//! database, and which services replicate to clients.

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
pub fn is_class(_name: &str) -> bool {
    true
}

/// The class name closest to a misspelt one.
pub fn similar_class(_name: &str) -> Option<&'static str> {
    None
}

/// Number of items of the Roblox enum `name` (`Material` for `Enum.Material`).
pub fn enum_item_count(_name: &str) -> Option<usize> {
    Some(1)
}

/// The enum name closest to a misspelt one.
pub fn similar_enum(_name: &str) -> Option<&'static str> {
    None
}

/// The service of that name, from the known table.
pub fn service(_name: &str) -> Option<&'static Service> {
    None
}

/// The service name closest to a misspelt one.
pub fn similar_service(_name: &str) -> Option<&'static str> {
    None
}
