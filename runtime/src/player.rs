//! [`Player`]: a connected client, as the server names it.

use crate::types::{InstanceId, PlayerClass, Ref};

/// A connected client. The runtime supplies it (to the server's handlers,
/// first); it is never read from a payload, so a client cannot pose as
/// another.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Player {
    /// Unique for the server's lifetime, from 1. (The client runtime names
    /// the server with id 0.)
    pub id: u32,
    /// The player's name, as the transport reported it.
    pub name: String,
    /// The player's `Player` instance, registered with the server's
    /// [`InstanceRegistry`](crate::InstanceRegistry) (seen by everyone) for
    /// as long as the player is connected. `None` for the server as a
    /// client names it.
    pub instance: Option<InstanceId>,
}

impl Player {
    pub(crate) fn server() -> Self {
        Player {
            id: 0,
            name: "server".to_owned(),
            instance: None,
        }
    }

    /// A reference to the player's `Player` instance, to pass where a
    /// schema's remote takes a `Player`.
    pub fn instance(&self) -> Option<Ref<PlayerClass>> {
        self.instance.map(Ref::new)
    }
}
