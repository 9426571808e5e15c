//! Why: a bulk job's workers each need their journal row and audit entry on disk before they
//! go on (design.md §4), and one `fsync` per write made the disk, not the gateway, the limit
//! (docs/benchmarks.md). Group commit keeps the guarantee and shares the cost: a writer takes
//! a ticket after its write, and returns once a sync that *started after* that write has
//! finished — whoever holds the sync lock syncs for everyone who wrote before it began.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

/// Tickets for completed writes and the highest ticket known to be on disk.
#[derive(Debug, Default)]
pub struct GroupSync {
    written: AtomicU64,
    synced: Mutex<u64>,
}

impl GroupSync {
    /// Call once a write has completed (its bytes handed to the OS or the database).
    pub fn wrote(&self) -> u64 {
        self.written.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Blocks until the write behind `ticket` is on disk; runs `sync` (with the lock held)
    /// only when no finished sync covers it yet.
    pub fn sync_through<E>(
        &self,
        ticket: u64,
        sync: impl FnOnce() -> Result<(), E>,
    ) -> Result<(), E> {
        let mut synced = self.synced.lock().unwrap_or_else(PoisonError::into_inner);
        if *synced >= ticket {
            return Ok(());
        }
        // Every ticket up to here belongs to a write that finished before this sync starts.
        let covered = self.written.load(Ordering::SeqCst);
        sync()?;
        *synced = covered;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::GroupSync;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn a_sync_after_a_write_covers_it_and_waiters_share_it() {
        let group = GroupSync::default();
        let syncs = AtomicU64::new(0);
        let count = || -> Result<(), ()> {
            syncs.fetch_add(1, Ordering::SeqCst);
            Ok(())
        };
        let a = group.wrote();
        let b = group.wrote();
        group.sync_through(a, count).unwrap();
        // b was written before that sync began: already covered.
        group.sync_through(b, count).unwrap();
        assert_eq!(syncs.load(Ordering::SeqCst), 1);
        let c = group.wrote();
        group.sync_through(c, count).unwrap();
        assert_eq!(syncs.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_failed_sync_covers_nothing() {
        let group = GroupSync::default();
        let t = group.wrote();
        assert!(group.sync_through(t, || Err::<(), _>("disk full")).is_err());
        let mut ran = false;
        group
            .sync_through(t, || -> Result<(), ()> {
                ran = true;
                Ok(())
            })
            .unwrap();
        assert!(ran, "the write is synced again, not assumed on disk");
    }

    #[test]
    fn concurrent_writers_all_end_on_disk() {
        let group = Arc::new(GroupSync::default());
        let on_disk = Arc::new(AtomicU64::new(0));
        let written = Arc::new(AtomicU64::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (group, on_disk, written) = (group.clone(), on_disk.clone(), written.clone());
                std::thread::spawn(move || {
                    for _ in 0..200 {
                        let mine = written.fetch_add(1, Ordering::SeqCst) + 1;
                        let t = group.wrote();
                        group
                            .sync_through(t, || -> Result<(), ()> {
                                on_disk.fetch_max(written.load(Ordering::SeqCst), Ordering::SeqCst);
                                Ok(())
                            })
                            .unwrap();
                        assert!(on_disk.load(Ordering::SeqCst) >= mine);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
    }
}
