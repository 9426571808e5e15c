//! Why: if the app or the CLI dies between a `revoke_intent` entry and its outcome entry
//! (killed, power cut, a full disk), the log holds an intent nobody settled — and the card may
//! or may not be gone. Recovery settles it the only safe way: it reads the customer's card
//! list again and looks for the intent's token fingerprint. It never sends a removal.
//!
//! Recovery touches only what is dead. Before it looks at an intent it takes the card's claim
//! ([`crate::claim`]): a removal still waiting on the gateway, in this or another process,
//! holds that claim, and its intent is left alone. With the claim held it reads the log again
//! and settles only intents that still have no outcome, so it never writes a second one.
//!
//! * fingerprint absent → `recovered_outcome` "removed (confirmed by re-check)";
//! * still listed, and the intent older than [`SETTLE_GRACE`] → `recovered_outcome` "not
//!   removed" (its process is gone and the gateway has had ample time); younger → left open:
//!   the gateway may still be working on it;
//! * the list cannot be read → the intent stays open and is reported; the next run retries.

use std::collections::HashSet;
use std::time::Duration;

use assist::CustomerNumber;
use serde::Serialize;

use crate::audit::{
    AuditAction, AuditEntry, AuditOutcome, BrokenLink, EntryDraft, ProfileRef, ReadBack,
    token_fingerprint,
};

use super::{Revoker, append};
use crate::claim::ClaimRefused;

/// An intent left open, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenIntent {
    pub intent_seq: u64,
    pub profile_id: Option<String>,
    pub customer: Option<String>,
    pub reason: String,
    /// `reason` in Russian, for a window in Russian.
    pub reason_ru: String,
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
    /// Leaves `intent` open, saying why in English and in Russian.
    pub fn leave_open(
        &mut self,
        intent: &AuditEntry,
        reason: impl Into<String>,
        reason_ru: impl Into<String>,
    ) {
        self.left_open.push(OpenIntent {
            intent_seq: intent.seq,
            profile_id: intent.profile_id.clone(),
            customer: intent.customer.clone(),
            reason: reason.into(),
            reason_ru: reason_ru.into(),
        });
    }

    pub fn extend(&mut self, other: Recovery) {
        self.recovered.extend(other.recovered);
        self.left_open.extend(other.left_open);
    }
}

/// How long after its intent a still-listed card is taken as "not removed" by recovery: well
/// past the client's 20 s request timeout, so a slow gateway has finished or given up.
pub const SETTLE_GRACE: Duration = Duration::from_secs(120);

/// [`SETTLE_GRACE`], or `CARDDESK_SETTLE_GRACE_MS` when set: a desk whose gateway is known to
/// answer (or give up) quickly may settle sooner; tests use it to avoid waiting minutes.
pub fn default_settle_grace() -> Duration {
    std::env::var("CARDDESK_SETTLE_GRACE_MS")
        .ok()
        .and_then(|ms| ms.trim().parse::<u64>().ok())
        .map_or(SETTLE_GRACE, Duration::from_millis)
}

pub(super) async fn recover(revoker: &Revoker, intents: &[AuditEntry]) -> Recovery {
    let mut done = Recovery::default();
    // Claims first, for every intent of this profile whose card is free.
    let mut claimed = Vec::new();
    for intent in intents {
        if intent.profile_id.as_deref() != Some(revoker.profile.id.as_str()) {
            done.leave_open(
                intent,
                "belongs to another profile",
                "относится к другому профилю",
            );
            continue;
        }
        let (Some(customer), Some(fingerprint)) = (
            intent
                .customer
                .as_deref()
                .and_then(|c| CustomerNumber::new(c).ok()),
            intent.token_fingerprint.as_deref(),
        ) else {
            done.leave_open(
                intent,
                "the intent names no valid customer or card",
                "в намерении нет верного номера клиента или карты",
            );
            continue;
        };
        match revoker
            .claims
            .try_claim(&revoker.profile.id, fingerprint, &revoker.claimant)
        {
            Ok(claim) => claimed.push((intent, customer, claim)),
            Err(ClaimRefused::Held(owner)) => match owner {
                Some(o) => done.leave_open(
                    intent,
                    format!(
                        "its removal is still in progress ({}); it settles itself",
                        o.describe()
                    ),
                    format!(
                        "её удаление ещё идёт ({}); итог запишется сам",
                        o.describe_ru()
                    ),
                ),
                None => done.leave_open(
                    intent,
                    "its removal is still in progress in another window or command",
                    "её удаление ещё идёт в другом окне или команде",
                ),
            },
            Err(ClaimRefused::Io(e)) => done.leave_open(
                intent,
                format!("the card could not be claimed: {e}"),
                format!("карту не удалось закрепить за этой проверкой: {e}"),
            ),
        }
    }
    if claimed.is_empty() {
        return done;
    }
    // With the claims held no outcome can be written for these intents but ours: whatever
    // the log says now is final. An intent settled meanwhile is skipped.
    // Damage in the log (a line cut short, an entry deleted) may have taken an intent's own
    // outcome with it: such an intent looks open. It is still settled by what a re-check shows
    // now — but its entry says so (see [`damage_note`]).
    let audit = revoker.audit.clone();
    type Reread = (HashSet<u64>, Option<BrokenLink>);
    let still_open: Result<Reread, String> = tokio::task::spawn_blocking(move || {
        let open = audit.open_intents().map_err(|e| e.to_string())?;
        let damage = crate::audit::first_break(audit.path()).map_err(|e| e.to_string())?;
        Ok((open.into_iter().map(|e| e.seq).collect(), damage))
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    let (still_open, damage) = match still_open {
        Ok(found) => found,
        Err(e) => {
            for (intent, _, _) in &claimed {
                done.leave_open(
                    intent,
                    format!("the audit log could not be read again: {e}"),
                    format!("журнал аудита не удалось прочитать повторно: {e}"),
                );
            }
            return done;
        }
    };
    for (intent, customer, claim) in claimed {
        if !still_open.contains(&intent.seq) {
            continue;
        }
        let note = damage.as_ref().and_then(|d| damage_note(intent, d));
        settle_one(revoker, intent, &customer, note.as_ref(), &mut done).await;
        drop(claim);
    }
    done
}

/// Re-checks one dead intent's card and writes its `recovered_outcome`.
async fn settle_one(
    revoker: &Revoker,
    intent: &AuditEntry,
    customer: &CustomerNumber,
    damage: Option<&(String, String)>,
    done: &mut Recovery,
) {
    let fingerprint = intent.token_fingerprint.as_deref().unwrap_or_default();
    let cards = match revoker.client.list_cards(customer).await {
        Ok(cards) => cards,
        Err(e) => {
            done.leave_open(
                intent,
                format!("the card list could not be read to re-check it: {e}"),
                format!(
                    "список карт не удалось прочитать для повторной проверки: {}",
                    e.render(assist::Language::Ru)
                ),
            );
            return;
        }
    };
    revoker.cache_cards(customer, &cards);
    let listed = cards
        .iter()
        .any(|c| token_fingerprint(&c.token) == fingerprint);
    if listed && age_of(intent).is_none_or(|age| age < revoker.settle_grace) {
        done.leave_open(
            intent,
            "the card is still listed, but its removal may have been sent only moments ago: \
             the gateway may still be working; check again in two minutes",
            "карта ещё в списке, но её удаление могло быть отправлено только что: шлюз, \
             возможно, ещё работает; проверьте снова через две минуты",
        );
        return;
    }
    let (outcome, read_back, finding, finding_ru) = if listed {
        (
            AuditOutcome::NotRemoved,
            ReadBack::Listed,
            "the card list still holds the card",
            "карта всё ещё в списке",
        )
    } else {
        (
            AuditOutcome::RemovedConfirmedByRecheck,
            ReadBack::Absent,
            "the card list no longer holds the card",
            "карты в списке больше нет",
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
    draft.request = intent.request.clone();
    draft.outcome = Some(outcome);
    draft.read_back = Some(read_back);
    draft.intent_seq = Some(intent.seq);
    let (by, by_ru) = intent
        .owner
        .as_ref()
        .map(|o| {
            (
                format!(" ({} is gone)", o.describe()),
                format!(" ({} уже не работает)", o.describe_ru()),
            )
        })
        .unwrap_or_default();
    let (damage, damage_ru) = damage
        .map(|(en, ru)| (format!("; {en}"), format!("; {ru}")))
        .unwrap_or_default();
    draft.detail = Some(format!(
        "settled later: intent {} had no final outcome (its process stopped before writing \
         one{by}, or the gateway's answer was unknown); a re-check found that {finding}; no \
         removal was sent during recovery{damage}",
        intent.seq
    ));
    draft.detail_ru = Some(format!(
        "итог записан позже: у намерения №{} не было окончательного итога (его процесс \
         остановился раньше{by_ru}, или ответ шлюза неизвестен); повторная проверка показала: \
         {finding_ru}; при восстановлении удаление не отправлялось{damage_ru}",
        intent.seq
    ));
    match append(&revoker.audit, draft).await {
        Ok(entry) => done.recovered.push(entry),
        Err(e) => {
            let ru = e.text(crate::UiLanguage::Ru).to_owned();
            done.leave_open(intent, e.message, ru)
        }
    }
}

/// What a settling entry says when the log's chain breaks after `intent`: its own outcome
/// may have been the damaged line, so "no outcome" is not known to be true.
fn damage_note(intent: &AuditEntry, damage: &BrokenLink) -> Option<(String, String)> {
    (intent.seq < damage.expected_seq).then(|| {
        (
            format!(
                "the audit log is damaged at line {} ({}), after this intent: its own outcome \
                 may have been written there and is no longer readable, so this entry records \
                 only what the re-check shows now",
                damage.line, damage.message
            ),
            format!(
                "журнал аудита повреждён в строке {} ({}), после этого намерения: его итог мог \
                 быть записан там и больше не читается, поэтому эта запись отражает только то, \
                 что показала повторная проверка сейчас",
                damage.line, damage.message
            ),
        )
    })
}

/// How long ago the intent was written; `None` when its time cannot be read.
fn age_of(intent: &AuditEntry) -> Option<Duration> {
    let at =
        time::OffsetDateTime::parse(&intent.time, &time::format_description::well_known::Rfc3339)
            .ok()?;
    let age = time::OffsetDateTime::now_utc() - at;
    Duration::try_from(age).ok()
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
