//! Why: a receiver that is down must not be hammered, nor a transient failure turned into a
//! lost event, nor a misconfigured one retried forever. This decides, from what an attempt got
//! back, whether the event is delivered, tried again later (and when), or set aside as failed
//! for a person to look at — in one place, with the numbers a test can change.

use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::EventId;

/// The numbers of delivery. [`Policy::default`] is what the app uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// The wait after the first failed attempt; it doubles with each failure after that.
    pub first_delay: Duration,
    /// The longest wait between attempts (also the longest `Retry-After` honoured).
    pub max_delay: Duration,
    /// How long one attempt may take, connecting included: a stalling receiver costs this, not
    /// the queue.
    pub timeout: Duration,
    /// After this many refusals (4xx other than 408 and 429, or a redirect) an event is set
    /// aside as failed: kept, visible, retried only by hand.
    pub refusals_before_failed: u32,
    /// How many events (of different requests) are in flight at once.
    pub parallel: usize,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            first_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(3600),
            timeout: Duration::from_secs(10),
            refusals_before_failed: 3,
            parallel: 4,
        }
    }
}

impl Policy {
    /// The wait after the `failures`-th failed attempt (1-based) of event `id`: `first_delay`
    /// doubled per failure up to `max_delay`, less up to a quarter (jitter, so events that
    /// failed together do not all come back together). The jitter is derived from the id and
    /// the attempt, so it is the same on every run and needs no random source.
    pub fn backoff(&self, failures: u32, id: &EventId) -> Duration {
        let doublings = failures.saturating_sub(1).min(31);
        let full = self
            .first_delay
            .saturating_mul(1u32 << doublings)
            .min(self.max_delay);
        let digest = Sha256::new()
            .chain_update(id.as_str().as_bytes())
            .chain_update(failures.to_be_bytes())
            .finalize();
        let mut eight = [0u8; 8];
        eight.copy_from_slice(&digest[..8]);
        let fraction = u64::from_be_bytes(eight) as f64 / u64::MAX as f64;
        full.mul_f64(1.0 - 0.25 * fraction)
    }
}

/// What an attempt got back, as the outbox records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// 2xx.
    Delivered { status: u16 },
    /// 5xx, 408, 429, a timeout, no connection: try again after the backoff, or after
    /// `retry_after` if the receiver asked for longer.
    Retry {
        status: Option<u16>,
        error: String,
        retry_after: Option<Duration>,
    },
    /// Any other status (4xx, a redirect, 1xx): counted towards `refusals_before_failed`.
    Refused { status: u16, error: String },
}

/// Sorts a response's status.
pub(crate) fn verdict(status: u16, retry_after: Option<Duration>) -> Verdict {
    match status {
        200..=299 => Verdict::Delivered { status },
        408 | 429 | 500..=599 => Verdict::Retry {
            status: Some(status),
            error: format!("the receiver answered HTTP {status}"),
            retry_after,
        },
        300..=399 => Verdict::Refused {
            status,
            error: format!(
                "the receiver answered HTTP {status} (a redirect, not followed): set the webhook URL to where it points"
            ),
        },
        _ => Verdict::Refused {
            status,
            error: format!("the receiver refused the event: HTTP {status}"),
        },
    }
}

/// `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3), relative to `now`; a
/// date in the past is no wait, anything unreadable is ignored.
pub(crate) fn retry_after(value: &str, now: OffsetDateTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let now = SystemTime::from(now);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn backoff_doubles_to_the_cap_with_at_most_a_quarter_off() {
        let policy = Policy::default();
        let id = EventId::new();
        let mut last_full = Duration::ZERO;
        for failures in 1..=40 {
            let full = (Duration::from_secs(5) * 2u32.pow(failures.min(30) - 1))
                .min(Duration::from_secs(3600));
            let got = policy.backoff(failures, &id);
            assert!(
                got <= full && got >= full.mul_f64(0.75),
                "{failures}: {got:?}"
            );
            assert_eq!(got, policy.backoff(failures, &id), "the same on every run");
            assert!(full >= last_full);
            last_full = full;
        }
        assert_eq!(last_full, Duration::from_secs(3600));
    }

    #[test]
    fn statuses_are_sorted() {
        assert_eq!(verdict(204, None), Verdict::Delivered { status: 204 });
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(matches!(verdict(s, None), Verdict::Retry { .. }), "{s}");
        }
        for s in [301, 400, 401, 403, 404, 410, 422] {
            assert!(matches!(verdict(s, None), Verdict::Refused { .. }), "{s}");
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates_against_the_given_clock() {
        let now = time::macros::datetime!(2015-10-21 07:27:00 UTC);
        assert_eq!(retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
    }
}
