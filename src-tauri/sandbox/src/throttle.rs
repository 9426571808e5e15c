//! The sandbox's request-rate limiter (fault plan `requestsPerSecond`): a token bucket that
//! refills at the plan's rate and holds at most one second's worth, so a client that sends
//! faster than the limit gets fault 17/3 for the excess, as a real gateway's limiter answers
//! (docs/gateway.md, "Rate limits"). Its counts let tests and benchmarks tell how much of the
//! limit a client used.

use std::sync::{Mutex, PoisonError};
use std::time::Instant;

#[derive(Debug, Default)]
pub(crate) struct Throttle {
    bucket: Mutex<Option<Bucket>>,
}

#[derive(Debug)]
struct Bucket {
    rate: f64,
    tokens: f64,
    at: Instant,
}

impl Throttle {
    /// Whether a request arriving now fits a limit of `rate` requests a second (`0` or less:
    /// no limit). A change of rate starts a full bucket.
    pub(crate) fn admit(&self, rate: f64) -> bool {
        if !rate.is_finite() || rate <= 0.0 {
            return true;
        }
        let now = Instant::now();
        let capacity = rate.max(1.0);
        let mut slot = self.bucket.lock().unwrap_or_else(PoisonError::into_inner);
        let bucket = match slot.as_mut() {
            Some(b) if b.rate == rate => b,
            _ => slot.insert(Bucket {
                rate,
                tokens: capacity,
                at: now,
            }),
        };
        let elapsed = now.duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Forgets the bucket (a sandbox reset).
    pub(crate) fn clear(&self) {
        *self.bucket.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_beyond_one_seconds_worth_is_refused_and_no_limit_refuses_nothing() {
        let t = Throttle::default();
        let admitted = (0..100).filter(|_| t.admit(20.0)).count();
        assert_eq!(admitted, 20, "one second's worth at once");
        assert!((0..100).all(|_| t.admit(0.0)));
    }

    #[test]
    fn the_bucket_refills_at_the_rate() {
        let t = Throttle::default();
        while t.admit(50.0) {}
        std::thread::sleep(std::time::Duration::from_millis(200));
        let admitted = (0..100).filter(|_| t.admit(50.0)).count();
        assert!(
            (8..=12).contains(&admitted),
            "{admitted} after 200 ms at 50/s"
        );
    }
}
