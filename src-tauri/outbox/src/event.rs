//! Why: what leaves the desk for a ticket system must be limited to what the ticket needs and
//! must never carry a gateway token, a password or a card number. So an event is a fixed set
//! of fields, each with a shape checked before anything is stored (machine words, a hex hash,
//! masked card numbers, a short ticket reference) — there is no free-form map to put a secret
//! in. Its JSON body is written once, when it is enqueued, so every attempt sends the same
//! bytes under the same [`EventId`], and a receiver can drop repeats.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::OutboxError;

/// An event's id: a UUID (v4) given once, when the event is enqueued, and sent with every
/// attempt (`X-CardDesk-Event-Id` and the body's `id`), so a receiver can drop repeats.
/// Serialized as the bare string (a newtype).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[ts(type = "string")]
pub struct EventId(String);

impl EventId {
    pub(crate) fn new() -> EventId {
        EventId(uuid::Uuid::new_v4().to_string())
    }

    /// Reads an id the UI sent back (e.g. for `retry`).
    pub fn parse(s: &str) -> Result<EventId, OutboxError> {
        uuid::Uuid::parse_str(s)
            .map(|u| EventId(u.to_string()))
            .map_err(|_| OutboxError::invalid("id", "must be an event id (a UUID)"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What happened to the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
// The register has its own `EventKind` (a request's history): in the UI's one bindings file
// this one is the webhook's.
#[ts(rename = "WebhookEventKind")]
pub enum EventKind {
    /// The request moved to another status (`status` says which).
    StatusChanged,
    /// A card of the request's customer was removed at the gateway (`masked_cards`, `outcome`).
    CardRemoved,
}

/// An event as the caller describes it, before it has an id. [`crate::Outbox::enqueue`]
/// checks every field and refuses what does not fit (the error names the field).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub kind: EventKind,
    pub occurred_at: OffsetDateTime,
    /// The request's id in the register (letters, digits, `-`, `_`; at most 64).
    pub request_id: String,
    /// The ticket the request came from, as the agent entered it (at most 64 characters).
    pub ticket: Option<String>,
    /// The request's type as a machine word (`card_refusal`, `erasure_152`, …).
    pub request_type: String,
    /// Cards in the masked form the desk shows (`4123 62•• •••• 0028`): at most 12 digits,
    /// the rest masked. Never a full number, never a gateway token.
    pub masked_cards: Vec<String>,
    /// For a removal: how it ended, as the audit log names it (`removed`, `already_removed`,
    /// `not_removed`, `unknown`, …).
    pub outcome: Option<String>,
    /// The audit log entry that records it (hex).
    pub audit_hash: Option<String>,
    /// For a status change: the new status, as a machine word (`in_progress`, `closed`, …).
    pub status: Option<String>,
}

/// An enqueued event: what the receiver gets as the JSON body (snake_case keys,
/// docs/webhooks.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub kind: EventKind,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub request_id: String,
    pub ticket: Option<String>,
    pub request_type: String,
    pub masked_cards: Vec<String>,
    pub outcome: Option<String>,
    pub audit_hash: Option<String>,
    pub status: Option<String>,
}

const MAX_CARDS: usize = 100;

impl NewEvent {
    /// Checks every field and gives the event its id.
    pub(crate) fn into_event(self) -> Result<Event, OutboxError> {
        id_like("request_id", &self.request_id)?;
        if let Some(ticket) = &self.ticket {
            ticket_text(ticket)?;
        }
        word("request_type", &self.request_type)?;
        if self.masked_cards.len() > MAX_CARDS {
            return Err(OutboxError::invalid(
                "masked_cards",
                format!("at most {MAX_CARDS} cards per event"),
            ));
        }
        for (i, card) in self.masked_cards.iter().enumerate() {
            masked_card(i, card)?;
        }
        if let Some(outcome) = &self.outcome {
            word("outcome", outcome)?;
        }
        if let Some(hash) = &self.audit_hash {
            hex_hash(hash)?;
        }
        if let Some(status) = &self.status {
            word("status", status)?;
        }
        match self.kind {
            EventKind::StatusChanged if self.status.is_none() => {
                return Err(OutboxError::invalid(
                    "status",
                    "a status change must say the new status",
                ));
            }
            EventKind::CardRemoved if self.masked_cards.is_empty() => {
                return Err(OutboxError::invalid(
                    "masked_cards",
                    "a card removal must name the card (masked)",
                ));
            }
            EventKind::CardRemoved if self.outcome.is_none() => {
                return Err(OutboxError::invalid(
                    "outcome",
                    "a card removal must say how it ended",
                ));
            }
            _ => {}
        }
        Ok(Event {
            id: EventId::new(),
            kind: self.kind,
            occurred_at: self.occurred_at,
            request_id: self.request_id,
            ticket: self.ticket,
            request_type: self.request_type,
            masked_cards: self.masked_cards,
            outcome: self.outcome,
            audit_hash: self.audit_hash,
            status: self.status,
        })
    }
}

fn id_like(field: &'static str, s: &str) -> Result<(), OutboxError> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(OutboxError::invalid(
            field,
            "must be 1 to 64 letters, digits, '-' or '_'",
        ))
    }
}

fn word(field: &'static str, s: &str) -> Result<(), OutboxError> {
    let ok = !s.is_empty()
        && s.len() <= 40
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(OutboxError::invalid(
            field,
            "must be a machine word: 1 to 40 of a-z, 0-9 and '_'",
        ))
    }
}

fn ticket_text(s: &str) -> Result<(), OutboxError> {
    if s.trim().is_empty() || s.chars().count() > 64 || s.chars().any(char::is_control) {
        return Err(OutboxError::invalid(
            "ticket",
            "must be 1 to 64 characters on one line",
        ));
    }
    Ok(())
}

/// The masked form the desk shows: digits (at most 12: a BIN of up to 8 and the last 4), mask
/// characters (`•`, `*`, `x`, `X`) and spaces, with at least 4 masked positions.
fn masked_card(i: usize, s: &str) -> Result<(), OutboxError> {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let masks = s
        .chars()
        .filter(|c| matches!(c, '•' | '*' | 'x' | 'X'))
        .count();
    let allowed = s
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || matches!(c, '•' | '*' | 'x' | 'X'));
    if allowed && digits <= 12 && masks >= 4 && s.chars().count() <= 32 {
        return Ok(());
    }
    Err(OutboxError::Invalid {
        field: format!("masked_cards[{i}]").into(),
        rule: "must be a masked card number (at most 12 digits shown, at least 4 masked with •, * or x)"
            .into(),
    })
}

fn hex_hash(s: &str) -> Result<(), OutboxError> {
    let ok = (16..=128).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit());
    if ok {
        Ok(())
    } else {
        Err(OutboxError::invalid(
            "audit_hash",
            "must be 16 to 128 hexadecimal digits",
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn removal() -> NewEvent {
        NewEvent {
            kind: EventKind::CardRemoved,
            occurred_at: time::macros::datetime!(2026-12-01 10:00 UTC),
            request_id: "5f0c3f9e-2b1a-4c55-9d0e-8f1a2b3c4d5e".into(),
            ticket: Some("HD-1042".into()),
            request_type: "card_refusal".into(),
            masked_cards: vec!["4123 62•• •••• 0028".into()],
            outcome: Some("removed".into()),
            audit_hash: Some("ab".repeat(32)),
            status: None,
        }
    }

    #[test]
    fn a_removal_is_accepted_and_gets_an_id() {
        let e = removal().into_event().unwrap();
        assert!(EventId::parse(e.id.as_str()).is_ok());
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains(r#""kind":"card_removed""#), "{json}");
        assert!(
            json.contains(r#""occurred_at":"2026-12-01T10:00:00Z""#),
            "{json}"
        );
    }

    #[test]
    fn a_full_card_number_or_a_token_is_refused() {
        for card in [
            "4111111111111111",
            "4111 1111 1111 1111",
            "tok_9f8e7d6c5b4a",
        ] {
            let mut e = removal();
            e.masked_cards = vec![card.into()];
            let err = e.into_event().unwrap_err();
            assert_eq!(err.field(), Some("masked_cards[0]"), "{card}: {err}");
        }
    }

    #[test]
    fn free_text_cannot_hide_in_machine_words() {
        let mut e = removal();
        e.outcome = Some("password=hunter2".into());
        assert_eq!(e.into_event().unwrap_err().field(), Some("outcome"));
        let mut e = removal();
        e.audit_hash = Some("not hex at all, really".into());
        assert_eq!(e.into_event().unwrap_err().field(), Some("audit_hash"));
        let mut e = removal();
        e.ticket = Some("line\nbreak".into());
        assert_eq!(e.into_event().unwrap_err().field(), Some("ticket"));
    }

    #[test]
    fn each_kind_carries_what_it_is_about() {
        let mut e = removal();
        e.kind = EventKind::StatusChanged;
        assert_eq!(e.into_event().unwrap_err().field(), Some("status"));
        let mut e = removal();
        e.outcome = None;
        assert_eq!(e.into_event().unwrap_err().field(), Some("outcome"));
    }
}
