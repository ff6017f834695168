//! The server's registry of instances, which decides who can see what.
//!
//! The model is deliberately small: each instance has a class name and a
//! [`Visibility`]. When the server hands out a packet for a player, every id
//! of the packet's instance list that the player cannot see becomes an absent
//! entry (`None`), which decodes as nil (`docs/wire-format.md`, section 4.9):
//! the part Roblox's replication plays. A packet the server receives from a
//! player is viewed the same way, so a client cannot reach an instance it
//! could not see. An id the registry does not hold is visible to no one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::lock::lock;
use crate::player::Player;
use crate::types::{Class, InstanceId, Ref};

/// A class name that is not a class of Roblox's reflection data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a Roblox class")]
pub struct UnknownClass(pub String);

/// Who sees an instance (the server sees every registered one).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// Replicated to every player (in `Workspace`, `ReplicatedStorage`, ...).
    Everyone,
    /// Not replicated (in `ServerStorage`, `ServerScriptService`, ...).
    ServerOnly,
    /// Replicated to one player only (in that player's `PlayerGui`, or
    /// created by that player's client), by player id.
    Player(u32),
}

impl Visibility {
    /// Visible to `player` only.
    pub fn player(player: &Player) -> Self {
        Visibility::Player(player.id)
    }

    fn admits(&self, player: &Player) -> bool {
        match self {
            Visibility::Everyone => true,
            Visibility::ServerOnly => false,
            Visibility::Player(id) => *id == player.id,
        }
    }
}

/// The instances the server knows. A cheap `Clone` handle.
#[derive(Clone, Debug, Default)]
pub struct InstanceRegistry {
    inner: Arc<Mutex<Registry>>,
}

#[derive(Debug, Default)]
struct Registry {
    last: u64,
    entries: HashMap<InstanceId, Entry>,
}

#[derive(Debug)]
struct Entry {
    class: String,
    visibility: Visibility,
}

impl InstanceRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        InstanceRegistry::default()
    }

    /// Registers a new instance of class `C` (one of
    /// [`roblox::classes`](crate::roblox::classes), so a Roblox class by
    /// construction) and returns a reference typed by its class.
    ///
    /// ```
    /// use tether_runtime::roblox::classes::Part;
    /// use tether_runtime::{InstanceRegistry, Visibility};
    ///
    /// let registry = InstanceRegistry::new();
    /// let door = registry.register::<Part>(Visibility::Everyone);
    /// assert_eq!(registry.class(door.id()).as_deref(), Some("Part"));
    /// ```
    pub fn register<C: Class>(&self, visibility: Visibility) -> Ref<C> {
        Ref::new(self.insert(C::NAME.to_string(), visibility))
    }

    /// Registers a new instance of the class named `class`, for tools that
    /// learn classes at run time (a bridge to a Roblox place). The name must
    /// be a class of Roblox's reflection data.
    pub fn register_named(
        &self,
        class: &str,
        visibility: Visibility,
    ) -> Result<InstanceId, UnknownClass> {
        match tether_facts::roblox::class(class) {
            Some(_) => Ok(self.insert(class.to_string(), visibility)),
            None => Err(UnknownClass(class.to_string())),
        }
    }

    /// `instance` as a reference of class `D`, if it `IsA(D)` (a `Part` is
    /// a `BasePart` and an `Instance`); `None` if it is not, or not
    /// registered.
    pub fn cast<D: Class>(&self, instance: Ref<impl Class>) -> Option<Ref<D>> {
        self.is_a(instance.id(), D::NAME)?
            .then(|| Ref::new(instance.id()))
    }

    fn insert(&self, class: String, visibility: Visibility) -> InstanceId {
        let mut registry = lock(&self.inner);
        registry.last += 1;
        let id = InstanceId(registry.last);
        registry.entries.insert(id, Entry { class, visibility });
        id
    }

    /// Changes who sees `id`; false if it is not registered.
    pub fn set_visibility(&self, id: InstanceId, visibility: Visibility) -> bool {
        match lock(&self.inner).entries.get_mut(&id) {
            Some(entry) => {
                entry.visibility = visibility;
                true
            }
            None => false,
        }
    }

    /// Forgets `id` (the instance was destroyed); false if it was not
    /// registered.
    pub fn remove(&self, id: InstanceId) -> bool {
        lock(&self.inner).entries.remove(&id).is_some()
    }

    /// The class `id` was registered with; `None` if it is not registered.
    pub fn class(&self, id: InstanceId) -> Option<String> {
        lock(&self.inner).entries.get(&id).map(|e| e.class.clone())
    }

    /// Whether `id` is an instance of `class` or a subclass of it (Roblox's
    /// `IsA`); `None` if `id` is not registered.
    pub fn is_a(&self, id: InstanceId, class: &str) -> Option<bool> {
        let registry = lock(&self.inner);
        let entry = registry.entries.get(&id)?;
        Some(crate::classes::is_a(&entry.class, class))
    }

    /// Who sees `id`; `None` if it is not registered.
    pub fn visibility(&self, id: InstanceId) -> Option<Visibility> {
        lock(&self.inner)
            .entries
            .get(&id)
            .map(|e| e.visibility.clone())
    }

    /// Whether `player` sees `id`; false if it is not registered.
    pub fn is_visible_to(&self, id: InstanceId, player: &Player) -> bool {
        lock(&self.inner)
            .entries
            .get(&id)
            .is_some_and(|e| e.visibility.admits(player))
    }

    /// `player`'s view of an instance list: `None` for what it cannot see.
    pub fn view_for(
        &self,
        player: &Player,
        ids: impl IntoIterator<Item = Option<InstanceId>>,
    ) -> Vec<Option<InstanceId>> {
        let registry = lock(&self.inner);
        ids.into_iter()
            .map(|id| {
                let entry = registry.entries.get(&id?)?;
                entry.visibility.admits(player).then_some(id?)
            })
            .collect()
    }
}
