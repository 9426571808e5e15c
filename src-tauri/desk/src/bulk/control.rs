//! Why: a lead must be able to pause, resume or cancel a long job from another task (the UI,
//! Ctrl+C in the CLI), and the gateway must not be flooded: a shared handle and a token
//! bucket that every worker goes through.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{Mutex, Notify};

const RUNNING: u8 = 0;
const PAUSED: u8 = 1;
const CANCELLED: u8 = 2;

/// Pause, resume and cancel a running job; clones share the state.
#[derive(Clone, Debug, Default)]
pub struct JobControl {
    inner: Arc<(AtomicU8, Notify)>,
}

impl JobControl {
    pub fn new() -> JobControl {
        JobControl::default()
    }

    /// Workers finish the row in hand, then wait.
    pub fn pause(&self) {
        let _ = self
            .inner
            .0
            .compare_exchange(RUNNING, PAUSED, Ordering::SeqCst, Ordering::SeqCst);
    }

    pub fn resume(&self) {
        let _ = self
            .inner
            .0
            .compare_exchange(PAUSED, RUNNING, Ordering::SeqCst, Ordering::SeqCst);
        self.inner.1.notify_waiters();
    }

    /// Workers finish the row in hand and stop; the job can be resumed later.
    pub fn cancel(&self) {
        self.inner.0.store(CANCELLED, Ordering::SeqCst);
        self.inner.1.notify_waiters();
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
}

/// A token bucket without burst: at most `rate` requests per second across all workers.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    interval: Option<Duration>,
    next: Mutex<Instant>,
}

impl RateLimiter {
    pub(crate) fn new(rate: Option<f64>) -> RateLimiter {
        let interval = rate
            .filter(|r| r.is_finite() && *r > 0.0)
            .map(|r| Duration::from_secs_f64(1.0 / r));
        RateLimiter {
            interval,
            next: Mutex::new(Instant::now()),
        }
    }

    /// Takes `n` tokens, sleeping until they are due.
    pub(crate) async fn take(&self, n: u32) {
        let Some(interval) = self.interval else {
            return;
        };
        let at = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let at = (*next).max(now);
            *next = at + interval * n;
            at
        };
        tokio::time::sleep_until(at.into()).await;
    }
}
