//! Why: the outbox only keeps events; something must carry them to the desk's webhook, signed,
//! in order per request, without letting a down or stalling receiver block the app or lose an
//! event. The [`Deliverer`] sends what is due (one event per request at a time, a few requests
//! at once, each attempt bounded by a timeout), records each answer in the outbox (which
//! decides the next attempt, [`crate::Policy`]), and runs as a loop the app spawns and stops.
//! [`Deliverer::run_once`] is one step of that loop at a given time, for tests.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use time::OffsetDateTime;
use tokio::task::JoinSet;

use crate::outbox::Due;
use crate::policy::{Verdict, retry_after, verdict};
use crate::signature::{EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use crate::{Clock, Outbox, OutboxError, Policy, WebhookSecret};

/// The longest the loop sleeps with nothing due; it also wakes on every enqueue.
const IDLE: Duration = Duration::from_secs(60);
/// The wait after the outbox itself failed (the disk), before trying again.
const AFTER_STORAGE_ERROR: Duration = Duration::from_secs(30);

/// Sends an outbox's events to one webhook. Cheap to clone. Run one per outbox; when the URL or
/// the secret changes in Settings, stop the loop and start a new one.
#[derive(Clone)]
pub struct Deliverer {
    shared: Arc<Shared>,
}

struct Shared {
    outbox: Outbox,
    url: reqwest::Url,
    secret: WebhookSecret,
    client: reqwest::Client,
    policy: Policy,
    problem: Mutex<Option<String>>,
}

impl std::fmt::Debug for Deliverer {
    // The host only: a URL's path or query may hold a token of the receiver's.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deliverer")
            .field("outbox", &self.shared.outbox)
            .field("host", &self.shared.url.host_str())
            .field("secret", &self.shared.secret)
            .finish_non_exhaustive()
    }
}

/// What one [`Deliverer::run_once`] did: attempts by result.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub delivered: u32,
    /// Failed and to be tried again later.
    pub retrying: u32,
    /// Refused by the receiver (4xx); some of these may now be failed for good.
    pub refused: u32,
}

impl Pass {
    pub fn attempts(&self) -> u32 {
        self.delivered + self.retrying + self.refused
    }
}

impl Deliverer {
    /// `url`: https, or http to this machine only (events name requests and masked cards).
    /// The error names the field and never repeats the URL or the secret.
    pub fn new(
        outbox: Outbox,
        url: &str,
        secret: WebhookSecret,
        policy: Policy,
    ) -> Result<Deliverer, OutboxError> {
        let url = webhook_url(url)?;
        if policy.first_delay.is_zero() || policy.timeout.is_zero() {
            return Err(OutboxError::invalid(
                "policy",
                "the first delay and the timeout must be longer than zero",
            ));
        }
        let client = reqwest::Client::builder()
            .timeout(policy.timeout)
            .connect_timeout(policy.timeout)
            // A redirected POST becomes a GET elsewhere: refused instead (policy::verdict).
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("CardDesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| OutboxError::Setup(root_cause(&e)))?;
        Ok(Deliverer {
            shared: Arc::new(Shared {
                outbox,
                url,
                secret,
                client,
                policy,
                problem: Mutex::new(None),
            }),
        })
    }

    pub fn outbox(&self) -> &Outbox {
        &self.shared.outbox
    }

    /// Sends everything due at `now`, and what falls due meanwhile (the next event of a
    /// request once the one before it is delivered), until nothing is left due. A failing
    /// receiver ends the step: it goes on only while events are being delivered.
    ///
    /// `now` is when the step starts; time then runs on from it at the real pace, so an
    /// attempt is signed and recorded at `now` plus the real time spent so far in the step (a
    /// long step against a slow receiver does not sign with a stale timestamp).
    pub async fn run_once(&self, now: OffsetDateTime) -> Result<Pass, OutboxError> {
        let clock = StepClock {
            start: now,
            started: Instant::now(),
        };
        let mut pass = Pass::default();
        loop {
            let outbox = self.shared.outbox.clone();
            let at = clock.now();
            let due = blocking(move || outbox.next_due(at)).await?;
            if due.is_empty() {
                return Ok(pass);
            }
            let round = self.send_all(due, clock).await?;
            pass.delivered += round.delivered;
            pass.retrying += round.retrying;
            pass.refused += round.refused;
            if round.delivered == 0 {
                return Ok(pass);
            }
        }
    }

    /// Delivers until `shutdown` resolves: a step at the clock's time, then a sleep until the
    /// next event falls due (at most a minute), cut short by an enqueue or a retry. An attempt
    /// in flight at shutdown is abandoned and sent again on the next start (the receiver drops
    /// it by its id if it got it). A failing disk does not end the loop: it is reported by
    /// [`Deliverer::problem`] and tried again.
    pub async fn run<C: Clock>(self, clock: C, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            let wait = tokio::select! {
                biased;
                () = &mut shutdown => return,
                wait = self.step(&clock) => wait,
            };
            tokio::select! {
                biased;
                () = &mut shutdown => return,
                () = self.shared.outbox.changed() => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// The last failure of the outbox itself in the loop (not of a receiver: those are on each
    /// event), `None` once a step succeeds again.
    pub fn problem(&self) -> Option<String> {
        desk_store::lock(&self.shared.problem).clone()
    }

    async fn step<C: Clock>(&self, clock: &C) -> Duration {
        let result = match self.run_once(clock.now()).await {
            Ok(_) => {
                let outbox = self.shared.outbox.clone();
                blocking(move || outbox.next_wake()).await
            }
            Err(e) => Err(e),
        };
        let (problem, wait) = match result {
            Ok(None) => (None, IDLE),
            Ok(Some(at)) => {
                let until = (at - clock.now()).max(time::Duration::ZERO);
                (None, Duration::try_from(until).unwrap_or(IDLE).min(IDLE))
            }
            Err(e) => (Some(e.to_string()), AFTER_STORAGE_ERROR),
        };
        *desk_store::lock(&self.shared.problem) = problem;
        wait
    }

    /// Sends `due` (one per request), a few at once, recording each answer as it comes.
    async fn send_all(&self, due: Vec<Due>, clock: StepClock) -> Result<Pass, OutboxError> {
        let mut pass = Pass::default();
        let mut waiting = due.into_iter();
        let mut in_flight = JoinSet::new();
        loop {
            while in_flight.len() < self.shared.policy.parallel.max(1) {
                let Some(due) = waiting.next() else { break };
                let me = self.clone();
                in_flight.spawn(async move {
                    let verdict = me.attempt(&due, clock.now()).await;
                    let now = clock.now();
                    let shared = me.shared.clone();
                    let counted = verdict.clone();
                    blocking(move || shared.outbox.record(&due, &verdict, now, &shared.policy))
                        .await
                        .map(|()| counted)
                });
            }
            let Some(joined) = in_flight.join_next().await else {
                return Ok(pass);
            };
            let verdict = match joined {
                Ok(result) => result?,
                Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                Err(_) => continue, // cancelled: the runtime is shutting down
            };
            match verdict {
                Verdict::Delivered { .. } => pass.delivered += 1,
                Verdict::Retry { .. } => pass.retrying += 1,
                Verdict::Refused { .. } => pass.refused += 1,
            }
        }
    }

    /// One signed POST of `due`'s body, signed at `now`.
    async fn attempt(&self, due: &Due, now: OffsetDateTime) -> Verdict {
        let timestamp = now.unix_timestamp();
        let signature = self.shared.secret.sign(timestamp, due.body());
        let sent = self
            .shared
            .client
            .post(self.shared.url.clone())
            .header(CONTENT_TYPE, "application/json")
            .header(EVENT_ID_HEADER, due.id().as_str())
            .header(TIMESTAMP_HEADER, timestamp.to_string())
            .header(SIGNATURE_HEADER, signature)
            .body(due.body().to_vec())
            .send()
            .await;
        match sent {
            Ok(response) => {
                let wait = response
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| retry_after(v, now));
                verdict(response.status().as_u16(), wait)
            }
            Err(e) => Verdict::Retry {
                status: None,
                error: transport_error(&e, self.shared.policy.timeout),
                retry_after: None,
            },
        }
    }
}

/// A step's time: its start, run on at the real pace.
#[derive(Clone, Copy)]
struct StepClock {
    start: OffsetDateTime,
    started: Instant,
}

impl StepClock {
    fn now(&self) -> OffsetDateTime {
        self.start + self.started.elapsed()
    }
}

/// Runs blocking outbox work (sled, flushes) off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, OutboxError> + Send + 'static,
) -> Result<T, OutboxError> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

/// Whether `url` may be a webhook's address (https anywhere, http only to this machine), for a
/// settings form to check before it is saved. The error names the field `url` and the rule.
pub fn check_url(url: &str) -> Result<(), OutboxError> {
    webhook_url(url).map(|_| ())
}

/// https anywhere, http only to this machine.
fn webhook_url(url: &str) -> Result<reqwest::Url, OutboxError> {
    let invalid = |rule: &'static str| OutboxError::invalid("url", rule);
    let parsed = reqwest::Url::parse(url.trim()).map_err(|_| {
        invalid("must be a full URL, such as https://tickets.example.com/hooks/card-desk")
    })?;
    let local = match parsed.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err(invalid("must name a host")),
    };
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if local => Ok(parsed),
        "http" => Err(invalid(
            "must use https (plain http is allowed only to this machine: localhost, 127.0.0.1)",
        )),
        _ => Err(invalid("must be an https:// URL")),
    }
}

/// "the receiver did not answer within 10 s", "could not connect: Connection refused (os
/// error 111)", … Built from the root cause only, never from reqwest's own text, which names
/// the URL.
fn transport_error(e: &reqwest::Error, timeout: Duration) -> String {
    // Before `is_connect`'s branch: a connect timeout is both, and is "could not connect".
    if e.is_timeout() && !e.is_connect() {
        return format!(
            "the receiver did not answer within {} s",
            timeout.as_secs_f64()
        );
    }
    let kind = if e.is_connect() {
        "could not connect"
    } else if e.is_request() || e.is_body() {
        "the connection failed while sending the event"
    } else {
        "HTTP failure"
    };
    let cause = root_cause(e);
    if cause.is_empty() || cause == kind {
        kind.to_owned()
    } else {
        format!("{kind}: {cause}")
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut root: &(dyn std::error::Error + 'static) = e;
    while let Some(next) = root.source() {
        root = next;
    }
    if std::ptr::addr_eq(root, e) {
        // reqwest's own text names the URL: say nothing rather than that.
        return String::new();
    }
    root.to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn only_https_or_local_http_is_accepted() {
        for ok in [
            "https://tickets.example.com/hooks/card-desk?token=abc",
            "http://127.0.0.1:8080/hook",
            "http://localhost/hook",
            "http://[::1]:9/hook",
        ] {
            assert!(webhook_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://tickets.example.com/hook",
            "ftp://x/y",
            "no-scheme-here",
            "",
        ] {
            let e = webhook_url(bad).unwrap_err();
            assert_eq!(e.field(), Some("url"), "{bad}");
            assert!(bad.is_empty() || !e.to_string().contains(bad), "{e}");
        }
    }
}
