//! [`Player`]: a connected client, as the server names it.

/// A connected client. The runtime supplies it (to the server's handlers,
/// first); it is never read from a payload, so a client cannot pose as
/// another.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Player {
    /// Unique for the server's lifetime, from 1. (The client runtime names
    /// the server with id 0.)
    pub id: u32,
    pub name: String,
}

impl Player {
    pub(crate) fn server() -> Self {
        Player {
            id: 0,
            name: "server".to_owned(),
        }
    }
}
