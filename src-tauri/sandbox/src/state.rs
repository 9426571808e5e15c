//! Everything a running sandbox shares between requests: the immutable seed, which cards have
//! been removed since, the fault plan, the ledger and the request counter.
//!
//! Removal is a soft delete (the Personal Account shows a "Deleted" card state, docs/assist-api.md
//! §8.5): the seed never changes, a set of removed tokens does, and a reset just puts that set
//! back to the seed's own deleted cards.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use crate::fault_plan::{FaultControl, FaultPlan};
use crate::ledger::Ledger;
use crate::seed::{Seed, SeedCard, SeedCustomer};

/// Shared state behind [`crate::router`]; cheap to clone.
#[derive(Clone, Debug)]
pub struct SandboxState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    seed: Seed,
    removed: Mutex<HashSet<String>>,
    faults: FaultControl,
    ledger: Ledger,
    requests_seen: AtomicU64,
    /// Requests refused with 17/3 by the rate limit or the random refusals of the plan.
    requests_refused: AtomicU64,
    throttle: crate::throttle::Throttle,
    bound: OnceLock<SocketAddr>,
    /// `None` only if the OS had no randomness: the control routes then refuse everything.
    control_token: Option<String>,
}

/// What a removal attempt found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Removal {
    /// The card was listed and is now removed; carries the token as stored.
    Removed(String),
    /// No such card for this customer, or already removed.
    NotFound,
}

impl SandboxState {
    /// Fresh state from a seed, with a starting fault plan and a random control token.
    pub fn new(seed: Seed, faults: FaultPlan) -> SandboxState {
        SandboxState::with_control_token(seed, faults, crate::token::random().ok())
    }

    /// Fresh state whose control API asks for `control_token` (checked by the caller).
    pub(crate) fn with_control_token(
        seed: Seed,
        faults: FaultPlan,
        control_token: Option<String>,
    ) -> SandboxState {
        let removed = seed.deleted_tokens().map(str::to_owned).collect();
        SandboxState {
            inner: Arc::new(Inner {
                seed,
                removed: Mutex::new(removed),
                faults: FaultControl::new(faults),
                ledger: Ledger::default(),
                requests_seen: AtomicU64::new(0),
                requests_refused: AtomicU64::new(0),
                throttle: crate::throttle::Throttle::default(),
                bound: OnceLock::new(),
                control_token,
            }),
        }
    }

    pub fn faults(&self) -> FaultControl {
        self.inner.faults.clone()
    }

    pub fn ledger(&self) -> Ledger {
        self.inner.ledger.clone()
    }

    /// Gateway requests (`token.cfm` and `rem_token.cfm`) received, whatever their outcome.
    pub fn requests_seen(&self) -> u64 {
        self.inner.requests_seen.load(Ordering::Relaxed)
    }

    /// Back to the seed: removed cards return, ledger, counter and faults are cleared.
    pub fn reset(&self) {
        *self.removed() = self
            .inner
            .seed
            .deleted_tokens()
            .map(str::to_owned)
            .collect();
        self.inner.ledger.clear();
        self.inner.faults.clear();
        self.inner.requests_seen.store(0, Ordering::Relaxed);
        self.inner.requests_refused.store(0, Ordering::Relaxed);
        self.inner.throttle.clear();
    }

    /// Gateway requests refused with 17/3 by the plan's rate limit or random refusals (not
    /// the `rateLimit` countdown).
    pub fn requests_refused(&self) -> u64 {
        self.inner.requests_refused.load(Ordering::Relaxed)
    }

    /// Whether the plan's rate limit and random refusals let a request through; counts a
    /// refusal.
    pub(crate) fn admit(&self, plan: &FaultPlan) -> bool {
        let refused = !self.inner.throttle.admit(plan.requests_per_second)
            || (plan.refusal_rate > 0.0 && crate::injection::chance() < plan.refusal_rate);
        if refused {
            self.inner.requests_refused.fetch_add(1, Ordering::Relaxed);
        }
        !refused
    }

    /// The bearer token `/_sandbox/*` asks for (all but `health`).
    pub fn control_token(&self) -> Option<&str> {
        self.inner.control_token.as_deref()
    }

    pub(crate) fn seed(&self) -> &Seed {
        &self.inner.seed
    }

    pub(crate) fn count_request(&self) {
        self.inner.requests_seen.fetch_add(1, Ordering::Relaxed);
    }

    /// Records the listening address, the fallback host for asset URLs.
    pub(crate) fn set_bound(&self, addr: SocketAddr) {
        let _ = self.inner.bound.set(addr);
    }

    pub(crate) fn bound(&self) -> Option<SocketAddr> {
        self.inner.bound.get().copied()
    }

    /// The customer's cards that are still listed (not removed), in seed order.
    pub(crate) fn listed_cards<'a>(&self, customer: &'a SeedCustomer) -> Vec<&'a SeedCard> {
        let removed = self.removed();
        customer
            .cards
            .iter()
            .filter(|card| !removed.contains(&card.token))
            .collect()
    }

    /// Removes one of the customer's listed cards. The token must match exactly as stored:
    /// tokens are kept as issued (§7.2), so a lowercased token is a different, unknown token.
    pub(crate) fn remove(&self, customer: &SeedCustomer, token: &str) -> Removal {
        let mut removed = self.removed();
        match customer.cards.iter().find(|card| card.token == token) {
            Some(card) if removed.insert(card.token.clone()) => {
                self.inner.ledger.record_removal(&card.token);
                Removal::Removed(card.token.clone())
            }
            _ => Removal::NotFound,
        }
    }

    fn removed(&self) -> MutexGuard<'_, HashSet<String>> {
        self.inner
            .removed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
