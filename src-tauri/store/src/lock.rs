//! Why: the desk's mutexes guard state that every operation leaves whole (one call, one
//! update), so a panic in another thread never leaves it half-written: a poisoned lock is
//! taken as it is rather than turned into a second panic. One helper instead of the same
//! `unwrap_or_else(PoisonError::into_inner)` written at every lock.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `m`, poisoned or not.
pub fn lock<T: ?Sized>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
