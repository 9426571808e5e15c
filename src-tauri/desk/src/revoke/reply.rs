//! Why: after a revocation the agent answers the customer, in English or Russian, and the
//! answer must say no more than the log does: "removed" only when the card is known to be
//! gone, the masked number only (docs/design.md §5), the time in UTC, and a reference the
//! customer can quote (the ticket, or the audit entry's number).

use crate::audit::{AuditEntry, AuditOutcome, CardSummary, ReadBack};

use super::Revocation;

/// The [`Revocation`] for an outcome entry just written.
pub(super) fn revocation(entry: &AuditEntry, card: CardSummary, read_back: ReadBack) -> Revocation {
    let outcome = entry.outcome.unwrap_or(AuditOutcome::Unknown);
    let masked = card.masked();
    let reference = entry
        .ticket
        .clone()
        .unwrap_or_else(|| format!("audit #{}", entry.seq));
    let when = human_time(&entry.time);
    let (reply_en, reply_ru) = replies(outcome, &masked, &when, &reference);
    Revocation {
        outcome,
        label: outcome.label().to_owned(),
        explanation: explanation(
            outcome,
            entry.fault_codes.as_deref(),
            entry.detail.as_deref(),
        ),
        customer: entry.customer.clone().unwrap_or_default(),
        masked,
        card,
        token_fingerprint: entry.token_fingerprint.clone().unwrap_or_default(),
        time: entry.time.clone(),
        intent_seq: entry.intent_seq.unwrap_or_default(),
        audit_seq: entry.seq,
        audit_hash: entry.hash.clone(),
        read_back,
        gateway_message: entry.gateway_message.clone(),
        fault_codes: entry.fault_codes.clone(),
        detail: entry.detail.clone(),
        reference,
        reply_en,
        reply_ru,
        refused_for_rate: false,
        unreachable: false,
    }
}

/// `2026-05-01T12:34:56.789Z` → `2026-05-01 12:34 UTC`.
fn human_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(date), Some(hm)) => format!("{date} {hm} UTC"),
        _ => rfc3339.to_owned(),
    }
}

fn explanation(outcome: AuditOutcome, codes: Option<&str>, detail: Option<&str>) -> String {
    let detail = detail.unwrap_or("no detail");
    match outcome {
        AuditOutcome::Removed => "The gateway confirmed the removal.".to_owned(),
        AuditOutcome::RemovedConfirmedByRecheck => {
            "The gateway's reply was lost; a fresh card list no longer holds the card, so the \
             removal took effect."
                .to_owned()
        }
        AuditOutcome::NotRemoved => format!("The card is still stored: {detail}."),
        AuditOutcome::Unknown => format!(
            "Unknown: the gateway's reply was lost ({detail}), and the card list does not yet \
             show the card gone. The gateway may still be working on the removal. Check again \
             later; do not send the removal again."
        ),
        AuditOutcome::AlreadyRemoved => format!(
            "The gateway removed nothing for this request ({}), and the card is no longer \
             listed: it had been removed before — by another agent, by the customer on the \
             payment page, or in the Personal Account.",
            codes.unwrap_or("a fault")
        ),
    }
}

fn replies(outcome: AuditOutcome, masked: &str, when: &str, reference: &str) -> (String, String) {
    match outcome {
        AuditOutcome::Removed | AuditOutcome::RemovedConfirmedByRecheck => (
            format!(
                "Your saved card {masked} was removed from our payment system on {when}. It can \
                 no longer be used for payments without entering the card details again. \
                 Reference: {reference}."
            ),
            format!(
                "Ваша сохранённая карта {masked} удалена из нашей платёжной системы {when}. \
                 Оплатить ею без повторного ввода данных карты больше нельзя. \
                 Номер обращения: {reference}."
            ),
        ),
        AuditOutcome::AlreadyRemoved => (
            format!(
                "Your saved card {masked} is no longer stored in our payment system (checked on \
                 {when}). Reference: {reference}."
            ),
            format!(
                "Ваша сохранённая карта {masked} больше не хранится в нашей платёжной системе \
                 (проверено {when}). Номер обращения: {reference}."
            ),
        ),
        AuditOutcome::NotRemoved => (
            format!(
                "We could not remove your saved card {masked} yet. We are looking into it and \
                 will contact you again. Reference: {reference}."
            ),
            format!(
                "Нам пока не удалось удалить вашу сохранённую карту {masked}. Мы разбираемся и \
                 свяжемся с вами. Номер обращения: {reference}."
            ),
        ),
        AuditOutcome::Unknown => (
            format!(
                "Your request to remove the saved card {masked} is being processed; we will \
                 confirm once it is complete. Reference: {reference}."
            ),
            format!(
                "Ваш запрос на удаление сохранённой карты {masked} обрабатывается; мы сообщим, \
                 когда он будет выполнен. Номер обращения: {reference}."
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removed_reply_names_the_masked_card_time_and_reference_only() {
        let (en, ru) = replies(
            AuditOutcome::Removed,
            "4123 62•• •••• 0028",
            &human_time("2026-05-01T12:34:56.789Z"),
            "TICKET-7",
        );
        assert!(en.contains("4123 62•• •••• 0028"), "{en}");
        assert!(
            en.contains("2026-05-01 12:34 UTC") && en.contains("TICKET-7"),
            "{en}"
        );
        assert!(ru.contains("удалена") && ru.contains("TICKET-7"), "{ru}");
    }

    #[test]
    fn only_gone_cards_are_called_removed() {
        for outcome in [AuditOutcome::NotRemoved, AuditOutcome::Unknown] {
            let (en, _) = replies(outcome, "m", "t", "r");
            assert!(!en.contains("was removed"), "{en}");
        }
    }
}
