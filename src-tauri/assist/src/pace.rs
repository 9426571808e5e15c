//! Why: the gateway limits how fast a merchant may call it (fault 17/3, "interface request rate
//! exceeded", or an HTTP 429/503 from a proxy in front of it), and a merchant rarely knows the
//! limit. A bulk job that keeps sending at the rate it was given gets most of its requests
//! refused. [`Pace`] finds the rate the gateway allows the way TCP finds a path's capacity
//! (AIMD): every refusal cuts the rate by [`DECREASE`] — once per burst of refusals, not once
//! per refused request — and while accepted requests wait for their turn it grows by about
//! [`INCREASE`] a second, faster the longer nothing is refused, and probes the limit again. It never goes
//! above the operator's ceiling. A `Retry-After` holds every request back until it has passed.
//!
//! A cut goes no lower than 70 % of the rate, but down to the rate the gateway accepted lately
//! when that is lower: far above the limit, that is the limit.
//!
//! Not every refusal is the limit: a busy gateway refuses some requests at random. A cut is
//! made only when more than [`CUT_SHARE`] of the last [`OUTCOMES`] answers were refusals, so a
//! tenth refused at random costs only their retries, while a limit below the rate sent is
//! found within a few cuts.
//!
//! A [`crate::Client`] made [`crate::Client::with_pace`] takes a turn before every request it
//! sends (retries and re-checks included) and tells the pace what came back
//! (docs/gateway.md, "Rate limits").

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

// tokio's clock, so that tests can run it paused.
use tokio::time::Instant;

/// The factor a refusal multiplies the rate by (0.7, as CUBIC does, rather than TCP Reno's
/// 0.5: the sawtooth then averages about 85 % of the limit instead of 75 %).
pub const DECREASE: f64 = 0.7;
/// Growth per second while the pace is what holds requests back (they wait for their turn
/// and the gateway accepts them): 5 % of the rate, whatever the rate (slow or fast, a limit
/// is probed in the same time).
pub const INCREASE: f64 = 0.05;
/// The most time one accepted request counts for when growing (a lull is not growth).
const MAX_STEP: Duration = Duration::from_secs(5);
/// The rate never drops below one request every two seconds.
pub const MIN_RATE: f64 = 0.5;
/// The answers (accepted or refused) a cut looks back on, at most [`OUTCOMES_FOR`] old.
pub const OUTCOMES: usize = 100;
const OUTCOMES_FOR: Duration = Duration::from_secs(10);
/// The share of refusals among those answers above which the rate is cut.
pub const CUT_SHARE: f64 = 0.15;
/// How long after a cut the pace still says it is held back by the gateway.
const LIMITED_FOR: Duration = Duration::from_secs(3);
/// Refusals this soon after a cut answer requests the cut did not reach yet (or a bucket
/// still refilling): they do not cut again.
const MIN_CUT_INTERVAL: Duration = Duration::from_millis(250);
/// Growth speeds up the longer no request has been refused (as CUBIC probes): ×1 for the first
/// `BOOST_AFTER`, then in proportion, at most ×[`MAX_BOOST`]; a deep cut (a burst of refusals
/// from a busy gateway) is made good in tens of seconds, not minutes.
const BOOST_AFTER: Duration = Duration::from_secs(10);
const MAX_BOOST: f64 = 10.0;

/// A shared request pace; one per bulk job (all its workers and clients share it).
#[derive(Debug)]
pub struct Pace {
    ceiling: Option<f64>,
    state: Mutex<State>,
    /// While `true`, a request whose turn has come waits (a paused job).
    held: tokio::sync::watch::Sender<bool>,
    /// Once `true`, no request waits for its turn any more (a cancelled job ending).
    released: tokio::sync::watch::Sender<bool>,
}

#[derive(Debug)]
struct State {
    /// Requests a second; `None`: not paced (no ceiling and no refusal yet).
    rate: Option<f64>,
    /// The earliest moment the next request may go.
    next: Instant,
    /// Nothing goes before this (a `Retry-After`).
    hold_until: Option<Instant>,
    /// Bumped by every decrease: a refusal of a request admitted before it is part of the
    /// same burst and does not cut the rate again.
    epoch: u64,
    last_refusal: Option<Instant>,
    last_cut: Option<Instant>,
    /// When the rate last grew.
    last_raise: Option<Instant>,
    refusals: u64,
    /// The last [`OUTCOMES`] answers: when, and whether refused.
    outcomes: VecDeque<(Instant, bool)>,
    /// When the requests of the last second were admitted (for the first cut when unpaced).
    recent: VecDeque<Instant>,
}

impl State {
    /// Notes an answer; returns the share of refusals among the recent ones.
    fn answered(&mut self, refused: bool) -> f64 {
        let now = Instant::now();
        self.outcomes.push_back((now, refused));
        while self.outcomes.len() > OUTCOMES
            || self
                .outcomes
                .front()
                .is_some_and(|(t, _)| now.duration_since(*t) > OUTCOMES_FOR)
        {
            self.outcomes.pop_front();
        }
        let refused = self.outcomes.iter().filter(|(_, r)| *r).count();
        refused as f64 / self.outcomes.len().max(1) as f64
    }

    /// Requests a second the gateway accepted over the recent answers (at least ten of them,
    /// spanning at least 100 ms); `None` with fewer, or when none was accepted (a gateway that
    /// refuses everything says nothing about its limit).
    fn accepted_rate(&self) -> Option<f64> {
        if self.outcomes.len() < 10 || self.outcomes.iter().all(|(_, r)| *r) {
            return None;
        }
        let (first, _) = self.outcomes.front()?;
        let span = Instant::now()
            .duration_since(*first)
            .max(Duration::from_millis(100));
        let accepted = self.outcomes.iter().filter(|(_, r)| !*r).count();
        Some(accepted as f64 / span.as_secs_f64())
    }

    /// Requests a second admitted lately (over the last second, or since the first request
    /// if that is sooner, but at least 100 ms).
    fn sending_rate(&self) -> f64 {
        let (Some(first), Some(last)) = (self.recent.front(), self.recent.back()) else {
            return 1.0;
        };
        let span = last.duration_since(*first).max(Duration::from_millis(100));
        self.recent.len() as f64 / span.as_secs_f64()
    }
}

/// One admitted request, to report back with [`Pace::accepted`] or [`Pace::refused`].
#[derive(Clone, Copy, Debug)]
pub struct Turn {
    epoch: u64,
    /// Whether the pace held this request back (it was the bottleneck).
    waited: bool,
}

/// What the pace is doing now, for a progress line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PaceStatus {
    /// Requests a second it sends at now; `None`: not paced.
    pub rate: Option<f64>,
    /// The gateway refused a request within the last few seconds, or a `Retry-After` holds.
    pub limited: bool,
    /// Requests refused so far.
    pub refusals: u64,
}

impl Pace {
    /// A pace that never exceeds `ceiling` requests a second (`None`: no ceiling) and starts at
    /// `start` (a rate settled on earlier, e.g. by the job before a restart), else at the
    /// ceiling.
    pub fn new(ceiling: Option<f64>, start: Option<f64>) -> Pace {
        let ceiling = ceiling.filter(|r| r.is_finite() && *r > 0.0);
        let start = start.filter(|r| r.is_finite() && *r > 0.0);
        let rate = match (start, ceiling) {
            (Some(s), Some(c)) => Some(s.min(c).max(MIN_RATE)),
            (Some(s), None) => Some(s.max(MIN_RATE)),
            (None, c) => c,
        };
        Pace {
            ceiling,
            held: tokio::sync::watch::Sender::new(false),
            released: tokio::sync::watch::Sender::new(false),
            state: Mutex::new(State {
                rate,
                next: Instant::now(),
                hold_until: None,
                epoch: 0,
                last_refusal: None,
                last_cut: None,
                last_raise: None,
                refusals: 0,
                outcomes: VecDeque::new(),
                recent: VecDeque::new(),
            }),
        }
    }

    /// Waits for this request's turn.
    pub async fn turn(&self) -> Turn {
        let (at, turn) = {
            let mut s = self.lock();
            let now = Instant::now();
            let mut at = now;
            if let Some(hold) = s.hold_until {
                if hold > now {
                    at = hold;
                } else {
                    s.hold_until = None;
                }
            }
            if let Some(rate) = s.rate {
                at = at.max(s.next);
                s.next = at + Duration::from_secs_f64(1.0 / rate);
            }
            s.recent.push_back(at);
            while s
                .recent
                .front()
                .is_some_and(|t| at.duration_since(*t) > Duration::from_secs(1))
            {
                s.recent.pop_front();
            }
            let turn = Turn {
                epoch: s.epoch,
                waited: at > now,
            };
            (at, turn)
        };
        let mut released = self.released.subscribe();
        tokio::select! {
            () = tokio::time::sleep_until(at) => {}
            // Only an error if the sender is gone, and it lives in `self`.
            _ = released.wait_for(|r| *r) => return turn,
        }
        let mut held = self.held.subscribe();
        let _ = held.wait_for(|h| !*h).await;
        turn
    }

    /// Lets every request go without waiting for its turn, from now on: a cancelled job
    /// finishes the requests it has in hand at once rather than at its (perhaps very slow)
    /// pace.
    pub fn release(&self) {
        self.held.send_replace(false);
        self.released.send_replace(true);
    }

    /// Holds every request whose turn comes (`true`) until released (`false`): a paused job
    /// sends nothing, not even the requests already queued for their turn.
    pub fn hold(&self, on: bool) {
        self.held.send_replace(on);
    }

    /// The gateway took the request: probe upward a little, if the pace was what held it.
    pub fn accepted(&self, turn: Turn) {
        let mut s = self.lock();
        s.answered(false);
        if turn.epoch != s.epoch || !turn.waited {
            return;
        }
        if let Some(rate) = s.rate {
            let now = Instant::now();
            let step = s
                .last_raise
                .map_or(Duration::ZERO, |t| now.duration_since(t))
                .min(MAX_STEP);
            s.last_raise = Some(now);
            let quiet = s
                .last_refusal
                .map_or(Duration::ZERO, |t| now.duration_since(t));
            let boost = (quiet.as_secs_f64() / BOOST_AFTER.as_secs_f64()).clamp(1.0, MAX_BOOST);
            let raised = rate * (1.0 + INCREASE * boost * step.as_secs_f64());
            s.rate = Some(self.ceiling.map_or(raised, |c| raised.min(c)));
        }
    }

    /// The gateway refused the request (17/3, HTTP 429/503): cut the rate, once per burst, and
    /// hold everything back for `retry_after` if the gateway said so.
    pub fn refused(&self, turn: Turn, retry_after: Option<Duration>) {
        let mut s = self.lock();
        let now = Instant::now();
        s.refusals += 1;
        s.last_refusal = Some(now);
        if let Some(wait) = retry_after {
            let until = now + wait.min(Duration::from_secs(300));
            s.hold_until = Some(s.hold_until.map_or(until, |h| h.max(until)));
        }
        let share = s.answered(true);
        // Over only a few answers, one refusal is no pattern yet.
        let threshold = if s.outcomes.len() < 10 {
            0.5
        } else {
            CUT_SHARE
        };
        if share <= threshold
            || turn.epoch != s.epoch
            || s.last_cut
                .is_some_and(|t| now.duration_since(t) < MIN_CUT_INTERVAL)
        {
            return;
        }
        let current = s.rate.unwrap_or_else(|| s.sending_rate());
        // Far above the limit, the rate the gateway accepted lately is the better guess of it:
        // a rate sent at 1,000 a second to a limit of 20 gets there in one cut, not eleven.
        let mut cut = current * DECREASE;
        if let Some(accepted) = s.accepted_rate() {
            cut = cut.min(accepted);
        }
        let cut = cut.max(MIN_RATE);
        s.rate = Some(cut);
        s.epoch += 1;
        s.last_cut = Some(now);
        s.last_raise = None;
        s.next = s.next.max(now + Duration::from_secs_f64(1.0 / cut));
    }

    /// The rate now, whether the gateway is holding the pace back, and refusals so far.
    pub fn status(&self) -> PaceStatus {
        let s = self.lock();
        let now = Instant::now();
        PaceStatus {
            rate: s.rate,
            limited: s.hold_until.is_some_and(|h| h > now)
                || s.last_cut
                    .is_some_and(|t| now.duration_since(t) < LIMITED_FOR),
            refusals: s.refusals,
        }
    }

    /// The ceiling the operator set.
    pub fn ceiling(&self) -> Option<f64> {
        self.ceiling
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_of_refusals_cuts_the_rate_once() {
        let pace = Pace::new(Some(100.0), None);
        let turns = [pace.turn().await, pace.turn().await, pace.turn().await];
        for t in turns {
            pace.refused(t, None);
        }
        let status = pace.status();
        assert_eq!(status.rate, Some(70.0));
        assert_eq!(status.refusals, 3);
        assert!(status.limited);
        // A request admitted after the cut and refused again cuts again, once the cut has
        // had time to act.
        tokio::time::sleep(MIN_CUT_INTERVAL).await;
        let t = pace.turn().await;
        pace.refused(t, None);
        assert_eq!(pace.status().rate, Some(49.0));
    }

    #[tokio::test(start_paused = true)]
    async fn accepted_requests_held_by_the_pace_raise_it_up_to_the_ceiling() {
        let pace = Pace::new(Some(10.0), Some(5.0));
        assert_eq!(pace.status().rate, Some(5.0));
        for _ in 0..400 {
            let t = pace.turn().await;
            pace.accepted(t);
        }
        assert_eq!(pace.status().rate, Some(10.0), "never above the ceiling");
    }

    #[tokio::test(start_paused = true)]
    async fn requests_are_spaced_at_the_rate() {
        let pace = Pace::new(Some(4.0), None);
        let start = tokio::time::Instant::now();
        for _ in 0..5 {
            pace.turn().await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_holds_every_request_back() {
        let pace = Pace::new(None, None);
        let t = pace.turn().await;
        pace.refused(t, Some(Duration::from_secs(2)));
        let start = tokio::time::Instant::now();
        pace.turn().await;
        assert!(start.elapsed() >= Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn an_unpaced_client_is_cut_from_what_it_was_sending() {
        let pace = Pace::new(None, None);
        let mut last = None;
        for _ in 0..40 {
            last = Some(pace.turn().await);
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert_eq!(pace.status().rate, None);
        let turn = last.unwrap_or(Turn {
            epoch: 0,
            waited: false,
        });
        pace.refused(turn, None);
        // 40 requests a second, cut to 70 %.
        let rate = pace.status().rate.unwrap_or_default();
        assert!((27.0..=30.0).contains(&rate), "{rate}");
    }

    #[tokio::test(start_paused = true)]
    async fn growth_speeds_up_the_longer_nothing_is_refused() {
        let pace = Pace::new(None, Some(10.0));
        let t = pace.turn().await;
        pace.refused(t, None);
        assert_eq!(pace.status().rate, Some(7.0));
        let mut grown = Vec::new();
        for _ in 0..4 {
            let before = pace.status().rate.unwrap_or_default();
            let start = tokio::time::Instant::now();
            while start.elapsed() < Duration::from_secs(10) {
                let t = pace.turn().await;
                pace.accepted(t);
            }
            grown.push(pace.status().rate.unwrap_or_default() / before);
        }
        assert!(grown.windows(2).all(|w| w[1] > w[0]), "{grown:?}");
        assert!(grown[0] < 2.0, "gently at first: {grown:?}");
        assert!(pace.status().rate.unwrap_or_default() > 70.0, "{grown:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_tenth_refused_at_random_does_not_slow_the_pace() {
        let pace = Pace::new(Some(100.0), None);
        for i in 0..500 {
            let t = pace.turn().await;
            if i % 10 == 3 {
                pace.refused(t, None);
            } else {
                pace.accepted(t);
            }
        }
        let status = pace.status();
        assert_eq!(status.rate, Some(100.0));
        assert_eq!(status.refusals, 50);
        assert!(!status.limited);
    }

    #[tokio::test(start_paused = true)]
    async fn a_rate_cut_to_the_floor_recovers_within_a_minute() {
        let pace = Pace::new(Some(50.0), Some(0.6));
        let t = pace.turn().await;
        pace.refused(t, None);
        assert_eq!(pace.status().rate, Some(MIN_RATE));
        let start = tokio::time::Instant::now();
        while pace.status().rate < Some(40.0) {
            let t = pace.turn().await;
            pace.accepted(t);
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "{:?}",
                pace.status()
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_held_pace_lets_nothing_go_until_released() {
        let pace = std::sync::Arc::new(Pace::new(Some(10.0), None));
        pace.hold(true);
        let waiting = tokio::spawn({
            let pace = pace.clone();
            async move { pace.turn().await }
        });
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert!(!waiting.is_finished(), "held");
        pace.hold(false);
        assert!(waiting.await.is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn a_released_pace_lets_queued_requests_go_at_once() {
        let pace = std::sync::Arc::new(Pace::new(Some(0.5), None));
        pace.turn().await;
        let queued = tokio::spawn({
            let pace = pace.clone();
            async move { pace.turn().await }
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!queued.is_finished(), "its turn is two seconds away");
        let start = tokio::time::Instant::now();
        pace.release();
        assert!(queued.await.is_ok());
        assert!(start.elapsed() < Duration::from_millis(10));
    }

    #[test]
    fn a_start_above_the_ceiling_is_clamped() {
        assert_eq!(Pace::new(Some(20.0), Some(50.0)).status().rate, Some(20.0));
        assert_eq!(Pace::new(None, Some(0.1)).status().rate, Some(MIN_RATE));
        assert_eq!(Pace::new(None, None).status().rate, None);
    }
}
