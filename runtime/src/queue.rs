//! [`EventQueue`]: events collected for a game loop to take once a frame,
//! instead of handlers that run during `poll`.

use crate::connection::Connection;
use crate::lock::lock;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// Events of one remote, collected as they are delivered. A game loop takes
/// them with [`EventQueue::try_next`] or [`EventQueue::drain`] after each
/// `poll`. The queue holds at most its capacity; events beyond it are
/// dropped and counted, so a loop that stops draining cannot exhaust memory.
pub struct EventQueue<T> {
    shared: Arc<Mutex<Queue<T>>>,
    connection: Connection,
}

struct Queue<T> {
    items: VecDeque<T>,
    capacity: usize,
    dropped: u64,
}

impl<T: Send + 'static> EventQueue<T> {
    /// How many events a queue holds before it drops new ones.
    pub const DEFAULT_CAPACITY: usize = 1024;

    /// A queue fed by the handler that `connect` connects.
    pub fn connect_with(
        capacity: usize,
        connect: impl FnOnce(Box<dyn FnMut(T) + Send>) -> Connection,
    ) -> Self {
        let shared = Arc::new(Mutex::new(Queue {
            items: VecDeque::new(),
            capacity,
            dropped: 0,
        }));
        let feed = shared.clone();
        let connection = connect(Box::new(move |item| {
            let mut queue = lock(&feed);
            if queue.items.len() < queue.capacity {
                queue.items.push_back(item);
            } else {
                queue.dropped += 1;
            }
        }));
        EventQueue { shared, connection }
    }

    /// The oldest event not taken yet.
    pub fn try_next(&self) -> Option<T> {
        lock(&self.shared).items.pop_front()
    }

    /// Every event not taken yet, oldest first.
    pub fn drain(&self) -> Vec<T> {
        lock(&self.shared).items.drain(..).collect()
    }

    /// How many events wait to be taken.
    pub fn len(&self) -> usize {
        lock(&self.shared).items.len()
    }

    /// Whether no event waits.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Events dropped because the queue was full.
    pub fn dropped(&self) -> u64 {
        lock(&self.shared).dropped
    }

    /// Stops collecting; events already queued can still be taken.
    pub fn disconnect(self) -> Vec<T> {
        let EventQueue { shared, connection } = self;
        connection.disconnect();
        let items = lock(&shared).items.drain(..).collect();
        items
    }
}

impl<T> std::fmt::Debug for EventQueue<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let queue = lock(&self.shared);
        f.debug_struct("EventQueue")
            .field("len", &queue.items.len())
            .field("capacity", &queue.capacity)
            .field("dropped", &queue.dropped)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BindableEvent;

    #[test]
    fn collects_in_order_and_drops_beyond_capacity() {
        let event = BindableEvent::<u32>::new();
        let queue = EventQueue::connect_with(2, |push| event.connect(push));
        for value in 1..=3 {
            event.fire(value);
        }
        event.poll();
        assert_eq!(queue.len(), 2);
        assert_eq!(queue.dropped(), 1);
        assert_eq!(queue.try_next(), Some(1));
        assert_eq!(queue.drain(), vec![2]);
        assert!(queue.is_empty());
        let left = queue.disconnect();
        assert!(left.is_empty());
        event.fire(4);
        event.poll();
    }
}
