//! [`Connection`]: the handle `connect` returns, to disconnect a handler.

use std::fmt;
use std::sync::{Arc, Weak};

/// What a [`Connection`] points into: a runtime or a bindable that keeps
/// handlers by id.
pub(crate) trait HandlerSet: Send + Sync {
    fn disconnect(&self, id: u64);
    fn is_connected(&self, id: u64) -> bool;
}

/// A connected handler. Dropping the `Connection` leaves the handler
/// connected (as in Roblox); [`Connection::disconnect`] removes it. It holds
/// the runtime weakly: a connection never keeps a runtime alive.
pub struct Connection {
    set: Weak<dyn HandlerSet>,
    id: u64,
}

impl Connection {
    pub(crate) fn new<S: HandlerSet + 'static>(set: &Arc<S>, id: u64) -> Self {
        let set: Arc<dyn HandlerSet> = set.clone();
        Connection {
            set: Arc::downgrade(&set),
            id,
        }
    }

    /// Disconnects the handler: it runs no more (a run already under way
    /// finishes). Events still queued for it are not delivered to it.
    pub fn disconnect(self) {
        if let Some(set) = self.set.upgrade() {
            set.disconnect(self.id);
        }
    }

    /// Whether the handler is still connected (false once its runtime is
    /// gone).
    pub fn is_connected(&self) -> bool {
        self.set
            .upgrade()
            .is_some_and(|set| set.is_connected(self.id))
    }
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("id", &self.id)
            .field("connected", &self.is_connected())
            .finish()
    }
}
