//! The fault plan: every way the sandbox can misbehave on purpose, switchable at run time.
//!
//! Clients must survive what docs/assist-api.md §12 lists (HTML error pages, broken JSON, resets,
//! rate limits, faults with odd shapes), and tests must be able to say "fail once, then
//! succeed". So the plan mixes standing options (status code, code and detail shapes,
//! "no media" form, latency, error rate) with counters that fire on the next N gateway
//! requests and count down as they fire. The same plan is read and written from Rust
//! ([`FaultControl`]) and over HTTP (`/_sandbox/faults`, camelCase JSON).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};

use crate::echo::PasswordEcho;

/// What the gateway should do wrong, and how faults look.
///
/// JSON form (control API, CLI files) is camelCase, unknown keys are rejected and missing keys
/// take the defaults below, so `{"rateLimit":1}` is a complete plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FaultPlan {
    /// Delay before every gateway response, in milliseconds.
    pub latency_ms: u64,
    /// Chance (0..=1) that a gateway request fails with the internal error 2/1 (§6.4).
    pub error_rate: f64,
    /// The next N gateway responses are an nginx-style HTML page, 502 or 503 (503 while the
    /// remaining count is even, 502 when it is odd: `1` gives one 502).
    #[serde(rename = "html5xx")]
    pub html_5xx: u32,
    /// The next N gateway responses carry JSON that does not parse (quotes turned into
    /// apostrophes). The request is processed first: a removal does happen.
    pub malformed_json: u32,
    /// The next N gateway responses carry only the first half of their JSON (with a matching
    /// Content-Length). The request is processed first: a removal does happen.
    pub truncated_json: u32,
    /// The next N gateway requests are dropped: the TCP connection is reset without any
    /// HTTP response, before anything is processed.
    pub reset_before_response: u32,
    /// The next N `rem_token.cfm` requests are processed (the card, if listed, is removed),
    /// then the connection is reset without a response: the "did it happen?" case of §12.14.
    pub reset_after_removal: u32,
    /// The next N gateway requests get fault 17/3 (request rate exceeded).
    pub rate_limit: u32,
    /// The gateway's request-rate limiter: a token bucket of this many requests a second
    /// (holding at most one second's worth), shared by both services; a request beyond it
    /// gets fault 17/3 and is not processed. `0` (the default) means no limit.
    pub requests_per_second: f64,
    /// Chance (0..=1) that a gateway request is refused with fault 17/3 before it is
    /// processed: a busy gateway.
    pub refusal_rate: f64,
    /// The next N `rem_token.cfm` requests get an HTML 502 page before they are processed,
    /// while listings answer as usual: a proxy that fails removals. The client cannot tell
    /// whether the gateway behind it acted.
    #[serde(rename = "html502OnRemoval")]
    pub html_502_on_removal: u32,
    /// Every `rem_token.cfm` takes this long before it takes effect, while listings answer
    /// at once: a slow gateway. The removal happens even when the client gave up waiting
    /// (it runs apart from the connection), so a client's timeout is followed by the card
    /// still listed, then gone.
    pub slow_removal_ms: u64,
    /// The next N `rem_token.cfm` requests are processed (the card, if listed, is removed),
    /// then answered with the internal error 2/1: the gateway lost its own reply.
    pub internal_error_after_removal: u32,
    /// The next N `rem_token.cfm` requests are processed, then answered with 16/216
    /// (operation timed out).
    pub timeout_fault_after_removal: u32,
    /// An unknown customer, or one without listable cards, gets fault 10/202 from
    /// `token.cfm` instead of `[]` (docs/assist-api.md §4.3).
    pub no_cards_as_fault: bool,
    /// HTTP status of fault responses (§11.10); 200 by default, 400/401/403/500 mimic the
    /// newer `/api/v1` services. A value that is not a valid status code means 200.
    pub fault_http_status: u16,
    /// Emit `faultcode` / `faultstring` as JSON strings (`"7"`) instead of numbers.
    pub codes_as_strings: bool,
    /// Emit `detail` as `{"message","recomendation"}` (sic, like the official SDK) instead
    /// of a string.
    pub detail_as_object: bool,
    /// How every card without media shows its `assets`; `None` keeps each card's own form
    /// from the seed (§4.2, §11.6).
    pub no_media_form: Option<NoMediaForm>,
    /// Accept a flat body (`merchant_id`, `login`, `password` at the top level, no
    /// `merchant` object) instead of rejecting it with 3/100 (§3.1).
    pub lenient_flat_body: bool,
    /// A customer number longer than 32 characters (after sanitising) is cut to 32 instead
    /// of being rejected with fault 5/0 (§7.1 leaves this open).
    pub truncate_long_customer_number: bool,
    /// Every JSON answer's text — the removal `message`, a fault's `detail` and
    /// `recomendation` — ends with ` (auth <password>)`, the request's password `"as_sent"`,
    /// `"upper"`-cased or `"truncated"` to its first 10 characters: a gateway that leaks the
    /// credential back, which a client must scrub before keeping any of its texts.
    pub echo_password: Option<PasswordEcho>,
}

impl Default for FaultPlan {
    fn default() -> Self {
        FaultPlan {
            latency_ms: 0,
            error_rate: 0.0,
            html_5xx: 0,
            malformed_json: 0,
            truncated_json: 0,
            reset_before_response: 0,
            reset_after_removal: 0,
            rate_limit: 0,
            requests_per_second: 0.0,
            refusal_rate: 0.0,
            html_502_on_removal: 0,
            slow_removal_ms: 0,
            internal_error_after_removal: 0,
            timeout_fault_after_removal: 0,
            no_cards_as_fault: false,
            fault_http_status: 200,
            codes_as_strings: false,
            detail_as_object: false,
            no_media_form: None,
            lenient_flat_body: false,
            truncate_long_customer_number: false,
            echo_password: None,
        }
    }
}

/// The JSON value `assets` takes on a card without media (§4.2: "an empty value").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NoMediaForm {
    /// `"assets": ""`
    EmptyString,
    /// `"assets": []`
    EmptyArray,
    /// `"assets": null`
    Null,
    /// no `assets` key at all
    Missing,
}

/// A handle on the running sandbox's fault plan; clones share the plan.
#[derive(Clone, Debug, Default)]
pub struct FaultControl {
    plan: Arc<Mutex<FaultPlan>>,
}

/// Which countdown to draw from (see [`FaultControl::draw`]).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Countdown {
    Html5xx,
    MalformedJson,
    TruncatedJson,
    ResetBeforeResponse,
    ResetAfterRemoval,
    RateLimit,
    InternalErrorAfterRemoval,
    TimeoutFaultAfterRemoval,
    Html502OnRemoval,
}

impl FaultControl {
    pub(crate) fn new(plan: FaultPlan) -> Self {
        FaultControl {
            plan: Arc::new(Mutex::new(plan)),
        }
    }

    /// Replaces the whole plan.
    pub fn set(&self, plan: FaultPlan) {
        *self.lock() = plan;
    }

    /// The plan as it is now (counters show what is left).
    pub fn get(&self) -> FaultPlan {
        self.lock().clone()
    }

    /// Back to the default plan: no faults.
    pub fn clear(&self) {
        self.set(FaultPlan::default());
    }

    /// If the countdown is above zero, takes one and returns the count before taking.
    pub(crate) fn draw(&self, which: Countdown) -> Option<u32> {
        let mut plan = self.lock();
        let counter = match which {
            Countdown::Html5xx => &mut plan.html_5xx,
            Countdown::MalformedJson => &mut plan.malformed_json,
            Countdown::TruncatedJson => &mut plan.truncated_json,
            Countdown::ResetBeforeResponse => &mut plan.reset_before_response,
            Countdown::ResetAfterRemoval => &mut plan.reset_after_removal,
            Countdown::RateLimit => &mut plan.rate_limit,
            Countdown::InternalErrorAfterRemoval => &mut plan.internal_error_after_removal,
            Countdown::TimeoutFaultAfterRemoval => &mut plan.timeout_fault_after_removal,
            Countdown::Html502OnRemoval => &mut plan.html_502_on_removal,
        };
        let before = *counter;
        if before == 0 {
            return None;
        }
        *counter = before - 1;
        Some(before)
    }

    fn lock(&self) -> MutexGuard<'_, FaultPlan> {
        self.plan.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn partial_json_takes_defaults_and_unknown_keys_are_refused() {
        let plan: FaultPlan = serde_json::from_str(r#"{"rateLimit":2,"html5xx":1}"#).unwrap();
        assert_eq!(plan.rate_limit, 2);
        assert_eq!(plan.html_5xx, 1);
        assert_eq!(plan.fault_http_status, 200);
        assert!(serde_json::from_str::<FaultPlan>(r#"{"rate_limit":2}"#).is_err());
    }

    #[test]
    fn countdowns_fire_n_times() {
        let control = FaultControl::new(FaultPlan {
            rate_limit: 2,
            ..FaultPlan::default()
        });
        assert_eq!(control.draw(Countdown::RateLimit), Some(2));
        assert_eq!(control.draw(Countdown::RateLimit), Some(1));
        assert_eq!(control.draw(Countdown::RateLimit), None);
        assert_eq!(control.get().rate_limit, 0);
    }
}
