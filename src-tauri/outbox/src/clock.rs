//! Why: backoff is minutes to an hour; tests must not sleep through it. Every decision about
//! time takes a `now`, and the delivery loop reads it from a [`Clock`] the caller chooses.

use time::OffsetDateTime;

/// Where the delivery loop reads the time from.
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The system's clock, for the app.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}
