//! Why: a lead must be able to pause, resume or cancel a long job from another task (the UI,
//! Ctrl+C in the CLI), also while rows wait out the gateway's rate limit: a shared handle every
//! worker goes through. (The request rate itself is `assist::Pace`, shared by the job's
//! clients.)

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

/// The longest a refused row waits before it is tried again (the pace slows the whole job
/// down meanwhile).
pub(crate) const MAX_REFUSAL_BACKOFF: Duration = Duration::from_secs(5);

const RUNNING: u8 = 0;
const PAUSED: u8 = 1;
const CANCELLED: u8 = 2;

/// Pause, resume and cancel a running job; clones share the state.
#[derive(Clone, Debug, Default)]
pub struct JobControl {
    inner: Arc<(AtomicU8, Notify)>,
    /// The running pass's request pace: a pause holds the requests queued there too.
    pace: Arc<std::sync::Mutex<Option<Arc<assist::Pace>>>>,
}

impl JobControl {
    pub fn new() -> JobControl {
        JobControl::default()
    }

    /// Workers finish the request in hand, then wait; requests queued for their turn at the
    /// job's pace wait too.
    pub fn pause(&self) {
        let _ = self
            .inner
            .0
            .compare_exchange(RUNNING, PAUSED, Ordering::SeqCst, Ordering::SeqCst);
        self.hold_pace(self.is_paused());
    }

    pub fn resume(&self) {
        let _ = self
            .inner
            .0
            .compare_exchange(PAUSED, RUNNING, Ordering::SeqCst, Ordering::SeqCst);
        self.hold_pace(false);
        self.inner.1.notify_waiters();
    }

    /// Workers finish the row in hand and stop; the job can be resumed later.
    pub fn cancel(&self) {
        self.inner.0.store(CANCELLED, Ordering::SeqCst);
        if let Some(p) = desk_store::lock(&self.pace).as_ref() {
            p.release();
        }
        self.inner.1.notify_waiters();
    }

    /// Links the running pass's pace (held at once if the job is paused).
    pub(crate) fn attach_pace(&self, pace: Arc<assist::Pace>) {
        pace.hold(self.is_paused());
        *desk_store::lock(&self.pace) = Some(pace);
    }

    fn hold_pace(&self, on: bool) {
        let pace = desk_store::lock(&self.pace);
        if let Some(p) = pace.as_ref() {
            p.hold(on);
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.inner.0.load(Ordering::SeqCst) == CANCELLED
    }

    pub fn is_paused(&self) -> bool {
        self.inner.0.load(Ordering::SeqCst) == PAUSED
    }

    /// Waits while paused; `false` when cancelled.
    pub(crate) async fn proceed(&self) -> bool {
        loop {
            let notified = self.inner.1.notified();
            match self.inner.0.load(Ordering::SeqCst) {
                RUNNING => return true,
                CANCELLED => return false,
                _ => {
                    let _ = tokio::time::timeout(Duration::from_millis(200), notified).await;
                }
            }
        }
    }

    /// Waits `delay` (a backoff), then while paused; `false` as soon as the job is cancelled.
    pub(crate) async fn wait(&self, delay: Duration) -> bool {
        let until = tokio::time::Instant::now() + delay;
        loop {
            let notified = self.inner.1.notified();
            if self.is_cancelled() {
                return false;
            }
            if tokio::time::Instant::now() >= until {
                return self.proceed().await;
            }
            let _ = tokio::time::timeout_at(until, notified).await;
        }
    }
}
