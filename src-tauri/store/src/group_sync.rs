//! Why: a bulk job's workers each need their journal row and audit entry on disk before they
//! go on (docs/design.md §4), and one `fsync` per write made the disk, not the gateway, the limit
//! (docs/benchmarks.md). Group commit keeps the guarantee and shares the cost: a writer takes
//! a ticket after its write, and returns once a sync that *started after* that write has
//! finished — whoever holds the sync lock syncs for everyone who wrote before it began.
//!
//! Async writers ([`GroupSync::durable`]) wait without a thread: one of them leads, running
//! the sync on the group's own thread (a [`DiskLane`]), and the others sleep until it ends.
//! Parking a pool thread per waiter grew the pool to 60 threads during a bulk run, each
//! costing a context switch per wake and allocator memory that grew with the job
//! (docs/benchmarks.md).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::disk_lane::DiskLane;

/// Tickets for completed writes and the highest ticket known to be on disk.
/// How many times a new leader lets the runtime's other ready tasks run before it syncs, so
/// that writers about to write join this sync instead of the next. On this 2-core machine a
/// bulk run is CPU-bound and every sync costs kernel time: with 4, the run's CPU a row fell
/// from 357–450 to 244–292 µs (mostly system time) and its rate rose by about a fifth
/// (`cargo bench -p desk --bench bulk`, docs/benchmarks.md). More did no better (16) or
/// worse (32: the yields themselves cost). A yield is microseconds: nothing a writer waits
/// for a disk sync notices.
const LINGER_YIELDS: usize = 4;

#[derive(Debug)]
pub struct GroupSync {
    written: AtomicU64,
    synced: Mutex<u64>,
    /// The highest ticket on disk, readable without the lock.
    on_disk: AtomicU64,
    /// An async writer is running a sync for the others.
    leading: AtomicBool,
    /// Bumped when a led sync ends (done or failed): the waiters look again.
    ended: tokio::sync::watch::Sender<u64>,
    /// Where led syncs run.
    lane: DiskLane,
}

impl GroupSync {
    /// `name` names the thread that runs async writers' syncs.
    pub fn new(name: &'static str) -> GroupSync {
        GroupSync {
            written: AtomicU64::new(0),
            synced: Mutex::new(0),
            on_disk: AtomicU64::new(0),
            leading: AtomicBool::new(false),
            ended: tokio::sync::watch::Sender::new(0),
            lane: DiskLane::new(name),
        }
    }

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
        let mut synced = crate::lock(&self.synced);
        if *synced >= ticket {
            return Ok(());
        }
        // Every ticket up to here belongs to a write that finished before this sync starts.
        let covered = self.written.load(Ordering::SeqCst);
        sync()?;
        *synced = covered;
        self.on_disk.fetch_max(covered, Ordering::SeqCst);
        Ok(())
    }

    /// [`GroupSync::sync_through`] for async callers: waits until the write behind `ticket`
    /// is on disk, leading a sync on the group's thread when no one else is.
    pub async fn durable<E>(
        self: &Arc<Self>,
        ticket: u64,
        sync: impl FnOnce() -> Result<(), E> + Send + 'static,
    ) -> Result<(), E>
    where
        E: From<std::io::Error> + Send + 'static,
    {
        let mut ended = self.ended.subscribe();
        let mut sync = Some(sync);
        loop {
            if self.on_disk.load(Ordering::SeqCst) >= ticket {
                return Ok(());
            }
            if !self.leading.swap(true, Ordering::SeqCst) {
                let Some(run) = sync.take() else {
                    unreachable!("a writer leads at most once: it returns after")
                };
                // Hands the lead back even when this future is dropped mid-sync (a cancelled
                // task), or the waiters would wait for an end that never comes.
                let _lead = Lead(self);
                // Leading from here on: a writer that comes meanwhile waits for this sync.
                for _ in 0..LINGER_YIELDS {
                    tokio::task::yield_now().await;
                }
                let group = self.clone();
                return self
                    .lane
                    .run(move || group.sync_through(ticket, run))
                    .await?;
            }
            // A sync is running; it may have started before this write, so look again when
            // it ends (and lead the next one if no one else does). A send after `subscribe`
            // always wakes this.
            if ended.changed().await.is_err() {
                unreachable!("the sender lives in self")
            }
        }
    }
}

/// The lead of a sync; dropping it lets the next waiter lead and wakes the others.
struct Lead<'a>(&'a GroupSync);

impl Drop for Lead<'_> {
    fn drop(&mut self) {
        self.0.leading.store(false, Ordering::SeqCst);
        self.0.ended.send_modify(|n| *n = n.wrapping_add(1));
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
        let group = GroupSync::new("test-sync");
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
        let group = GroupSync::new("test-sync");
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn async_writers_share_syncs_and_all_end_on_disk() {
        let group = Arc::new(GroupSync::new("test-sync"));
        let on_disk = Arc::new(AtomicU64::new(0));
        let written = Arc::new(AtomicU64::new(0));
        let syncs = Arc::new(AtomicU64::new(0));
        let tasks: Vec<_> = (0..32)
            .map(|_| {
                let (group, on_disk, written, syncs) = (
                    group.clone(),
                    on_disk.clone(),
                    written.clone(),
                    syncs.clone(),
                );
                tokio::spawn(async move {
                    for _ in 0..50 {
                        let mine = written.fetch_add(1, Ordering::SeqCst) + 1;
                        let t = group.wrote();
                        let (on, w, s) = (on_disk.clone(), written.clone(), syncs.clone());
                        group
                            .durable(t, move || -> Result<(), SyncFailed> {
                                s.fetch_add(1, Ordering::SeqCst);
                                std::thread::sleep(std::time::Duration::from_millis(1));
                                on.fetch_max(w.load(Ordering::SeqCst), Ordering::SeqCst);
                                Ok(())
                            })
                            .await
                            .unwrap();
                        assert!(on_disk.load(Ordering::SeqCst) >= mine);
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        let syncs = syncs.load(Ordering::SeqCst);
        assert!(
            syncs < 1600 / 2,
            "writers shared syncs: {syncs} for 1600 writes"
        );
    }

    #[derive(Debug)]
    struct SyncFailed;
    impl From<std::io::Error> for SyncFailed {
        fn from(_: std::io::Error) -> SyncFailed {
            SyncFailed
        }
    }

    #[tokio::test]
    async fn a_failed_led_sync_is_reported_and_the_next_writer_syncs_again() {
        let group = Arc::new(GroupSync::new("test-sync"));
        let t = group.wrote();
        assert!(group.durable(t, || Err::<(), _>(SyncFailed)).await.is_err());
        let ran = Arc::new(AtomicU64::new(0));
        let r = ran.clone();
        group
            .durable(t, move || -> Result<(), SyncFailed> {
                r.fetch_add(1, Ordering::SeqCst);
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(ran.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_leader_dropped_mid_sync_hands_the_lead_on() {
        let group = Arc::new(GroupSync::new("test-sync"));
        let t = group.wrote();
        let (g, started) = (group.clone(), Arc::new(tokio::sync::Notify::new()));
        let s = started.clone();
        let leader = tokio::spawn(async move {
            g.durable(t, move || -> Result<(), SyncFailed> {
                s.notify_one();
                std::thread::sleep(std::time::Duration::from_millis(200));
                Ok(())
            })
            .await
        });
        started.notified().await;
        leader.abort();
        let t2 = group.wrote();
        let waited = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            group.durable(t2, || -> Result<(), SyncFailed> { Ok(()) }),
        )
        .await;
        assert!(matches!(waited, Ok(Ok(()))), "the next writer got on disk");
    }

    #[test]
    fn concurrent_writers_all_end_on_disk() {
        let group = Arc::new(GroupSync::new("test-sync"));
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
