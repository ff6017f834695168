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
