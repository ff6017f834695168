use crate::place::ClientId;

/// Everything the mock can fail with.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// The Luau VM raised an error outside any script thread (host calls, `eval`).
    #[error("Luau: {0}")]
    Lua(#[from] mlua::Error),
    /// A script raised an error before its first yield (`Place::run`).
    #[error("script error: {message}")]
    Script {
        /// The error value as `tostring` gives it, with the `chunk:line:` prefix.
        message: String,
        /// `debug.traceback` of the failed thread.
        traceback: String,
    },
    /// The client was never added, or has been removed or kicked.
    #[error("no connected client {0:?}")]
    UnknownClient(ClientId),
    /// No instance at this path (`"ReplicatedStorage.Net.Chat"`) on the server.
    #[error("no instance at {0}")]
    NotFound(String),
    /// The instance at this path is not a RemoteEvent or UnreliableRemoteEvent.
    #[error("{path} is a {class}, not a remote event")]
    NotARemoteEvent {
        /// The path given.
        path: String,
        /// Its class.
        class: String,
    },
    /// The embedded reflection database could not be decoded.
    #[error("reflection database: {0}")]
    Reflection(String),
}
