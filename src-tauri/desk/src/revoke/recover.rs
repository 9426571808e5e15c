//! Why: if the app or the CLI dies between a `revoke_intent` entry and its outcome entry
//! (killed, power cut, a full disk), the log holds an intent nobody settled — and the card may
//! or may not be gone. Recovery settles it the only safe way: it reads the customer's card
//! list again and looks for the intent's token fingerprint. It never sends a removal.
//!
//! * fingerprint absent → `recovered_outcome` "removed (confirmed by re-check)";
//! * still listed → `recovered_outcome` "not removed" (the removal never took effect);
//! * the list cannot be read → the intent stays open and is reported; the next run retries.

use assist::CustomerNumber;
use serde::Serialize;

use crate::audit::{
    AuditAction, AuditEntry, AuditOutcome, EntryDraft, ProfileRef, ReadBack, token_fingerprint,
};

use super::{Revoker, append};

/// An intent left open, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenIntent {
    pub intent_seq: u64,
    pub profile_id: Option<String>,
    pub customer: Option<String>,
    pub reason: String,
}

/// What a recovery run did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Recovery {
    /// The `recovered_outcome` entries written.
    pub recovered: Vec<AuditEntry>,
    pub left_open: Vec<OpenIntent>,
}

impl Recovery {
    pub fn leave_open(&mut self, intent: &AuditEntry, reason: impl Into<String>) {
        self.left_open.push(OpenIntent {
            intent_seq: intent.seq,
            profile_id: intent.profile_id.clone(),
            customer: intent.customer.clone(),
            reason: reason.into(),
        });
    }

    pub fn extend(&mut self, other: Recovery) {
        self.recovered.extend(other.recovered);
        self.left_open.extend(other.left_open);
    }
}

pub(super) async fn recover(revoker: &Revoker, intents: &[AuditEntry]) -> Recovery {
    let mut done = Recovery::default();
    for intent in intents {
        if intent.profile_id.as_deref() != Some(revoker.profile.id.as_str()) {
            done.leave_open(intent, "belongs to another profile");
            continue;
        }
        let (Some(customer), Some(fingerprint)) = (
            intent
                .customer
                .as_deref()
                .and_then(|c| CustomerNumber::new(c).ok()),
            intent.token_fingerprint.as_deref(),
        ) else {
            done.leave_open(intent, "the intent names no valid customer or card");
            continue;
        };
        let cards = match revoker.client.list_cards(&customer).await {
            Ok(cards) => cards,
            Err(e) => {
                done.leave_open(
                    intent,
                    format!("the card list could not be read to re-check it: {e}"),
                );
                continue;
            }
        };
        revoker.cache_cards(&customer, &cards);
        let listed = cards
            .iter()
            .any(|c| token_fingerprint(&c.token) == fingerprint);
        let (outcome, read_back, finding) = if listed {
            (
                AuditOutcome::NotRemoved,
                ReadBack::Listed,
                "the card list still holds the card",
            )
        } else {
            (
                AuditOutcome::RemovedConfirmedByRecheck,
                ReadBack::Absent,
                "the card list no longer holds the card",
            )
        };
        let mut draft = EntryDraft::new(revoker.operator.clone(), AuditAction::RecoveredOutcome);
        draft.profile = Some(profile_of(intent, &revoker.profile));
        draft.customer = intent.customer.clone();
        draft.card = intent.card.clone();
        draft.token_fingerprint = intent.token_fingerprint.clone();
        draft.reason = intent.reason;
        draft.note = intent.note.clone();
        draft.ticket = intent.ticket.clone();
        draft.outcome = Some(outcome);
        draft.read_back = Some(read_back);
        draft.intent_seq = Some(intent.seq);
        draft.detail = Some(format!(
            "settled after a restart: intent {} had no outcome entry (the process stopped \
             before writing it); a re-check found that {finding}; no removal was sent during \
             recovery",
            intent.seq
        ));
        match append(&revoker.audit, draft).await {
            Ok(entry) => done.recovered.push(entry),
            Err(e) => done.leave_open(intent, e.message),
        }
    }
    done
}

/// The profile as the intent recorded it (its name may have changed since).
fn profile_of(intent: &AuditEntry, current: &ProfileRef) -> ProfileRef {
    ProfileRef {
        id: current.id.clone(),
        name: intent
            .profile_name
            .clone()
            .unwrap_or_else(|| current.name.clone()),
        environment: intent.environment.unwrap_or(current.environment),
        merchant_id: intent
            .merchant_id
            .clone()
            .unwrap_or_else(|| current.merchant_id.clone()),
    }
}
