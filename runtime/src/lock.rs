//! Poison-tolerant locking: a panic caught while a lock was held (a user
//! handler's, isolated with `catch_unwind`) must not stop the runtime.

use std::sync::{Mutex, MutexGuard};

pub(crate) fn lock<T: ?Sized>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
