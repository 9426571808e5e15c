//! The removal ledger: what `rem_token.cfm` was asked, and what it actually did.
//!
//! Removal is the one call that is not idempotent (docs/assist-api.md §12.14), so client and bulk
//! job tests need ground truth beyond the responses they saw: how many times each token was
//! sent to `rem_token.cfm` (any outcome, injected faults and resets included) and how many of
//! those calls really removed the card (at most one per seed state).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};

/// Per-token counts. Serialised as `{"remTokenCalls":…, "effectiveRemovals":…}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerEntry {
    /// Every `rem_token.cfm` request that carried this token, whatever its outcome.
    pub rem_token_calls: u64,
    /// Calls that removed the card (a repeat for a removed card is fault 10/203, not counted).
    pub effective_removals: u64,
    /// Calls that arrived after the card had been removed: a client that sent a removal
    /// again for a card already gone (what a desk must never do).
    #[serde(default)]
    pub calls_after_removal: u64,
}

/// A handle on the sandbox's ledger; clones share it. Keys are tokens exactly as sent.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    entries: Arc<Mutex<BTreeMap<String, LedgerEntry>>>,
}

impl Ledger {
    /// Counts for one token (zeros when it was never sent).
    pub fn entry(&self, token: &str) -> LedgerEntry {
        self.lock().get(token).copied().unwrap_or_default()
    }

    /// Every token seen, in token order.
    pub fn all(&self) -> BTreeMap<String, LedgerEntry> {
        self.lock().clone()
    }

    pub(crate) fn record_call(&self, token: &str) {
        let mut entries = self.lock();
        let entry = entries.entry(token.to_owned()).or_default();
        entry.rem_token_calls += 1;
        if entry.effective_removals > 0 {
            entry.calls_after_removal += 1;
        }
    }

    pub(crate) fn record_removal(&self, token: &str) {
        self.lock()
            .entry(token.to_owned())
            .or_default()
            .effective_removals += 1;
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, LedgerEntry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
