//! Why: after a revocation the agent answers the customer, in English or Russian, and the
//! answer must say no more than the log does: "removed" only when the card is known to be
//! gone, the masked number only (docs/design.md §5), the date (the agent's local date: a
//! letter to a customer quotes no UTC time), and a reference the customer can quote (the
//! ticket, or the audit entry's number). Dates and masked numbers are held together with
//! no-break spaces, so a mail client never splits them across lines.

use time::UtcOffset;
use time::format_description::well_known::Rfc3339;

use crate::audit::{AuditEntry, AuditOutcome, CardSummary, ReadBack};

use super::{Revocation, RevokeAllItem, RevokeAllResult};

/// The [`Revocation`] for an outcome entry just written.
pub(super) fn revocation(
    entry: &AuditEntry,
    card: CardSummary,
    read_back: ReadBack,
    offset: UtcOffset,
) -> Revocation {
    let outcome = entry.outcome.unwrap_or(AuditOutcome::Unknown);
    let masked = card.masked();
    let reference = entry
        .ticket
        .clone()
        .unwrap_or_else(|| format!("audit #{}", entry.seq));
    let (reply_en, reply_ru) = replies(
        outcome,
        &unbroken(&masked),
        &letter_date(&entry.time, offset),
        &reference,
    );
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
        detail_ru: entry.detail_ru.clone(),
        reference,
        reply_en,
        reply_ru,
        refused_for_rate: false,
        unreachable: false,
    }
}

const NBSP: char = '\u{a0}';

/// `text` with its spaces made no-break.
fn unbroken(text: &str) -> String {
    text.replace(' ', &NBSP.to_string())
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// In the genitive, as a date reads: «6 декабря 2026 г.».
const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// A date for a letter, in English and Russian, at the agent's offset: `6 December 2026`,
/// `6 декабря 2026 г.` (no-break spaces; the Russian one's «г.» also ends a sentence, so a
/// template adds no full stop after it). An unreadable time is given as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LetterDate {
    pub en: String,
    pub ru: String,
}

pub(crate) fn letter_date(rfc3339: &str, offset: UtcOffset) -> LetterDate {
    let Ok(at) = time::OffsetDateTime::parse(rfc3339, &Rfc3339) else {
        return LetterDate {
            en: rfc3339.to_owned(),
            ru: rfc3339.to_owned(),
        };
    };
    let local = at.to_offset(offset);
    let month = usize::from(u8::from(local.month())) - 1;
    LetterDate {
        en: format!(
            "{}{NBSP}{}{NBSP}{}",
            local.day(),
            MONTHS_EN[month],
            local.year()
        ),
        ru: format!(
            "{}{NBSP}{}{NBSP}{}{NBSP}г.",
            local.day(),
            MONTHS_RU[month],
            local.year()
        ),
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

fn replies(
    outcome: AuditOutcome,
    masked: &str,
    when: &LetterDate,
    reference: &str,
) -> (String, String) {
    let (en, ru) = (&when.en, &when.ru);
    match outcome {
        AuditOutcome::Removed | AuditOutcome::RemovedConfirmedByRecheck => (
            format!(
                "Your saved card {masked} was removed from our payment system on {en}. It can \
                 no longer be used for payments without entering the card details again. \
                 Reference: {reference}."
            ),
            format!(
                "Ваша сохранённая карта {masked} удалена из нашей платёжной системы {ru} \
                 Оплатить ею без повторного ввода данных карты больше нельзя. \
                 Номер обращения: {reference}."
            ),
        ),
        AuditOutcome::AlreadyRemoved => (
            format!(
                "Your saved card {masked} is no longer stored in our payment system (checked on \
                 {en}). Reference: {reference}."
            ),
            format!(
                "Ваша сохранённая карта {masked} больше не хранится в нашей платёжной системе \
                 (проверено {ru}). Номер обращения: {reference}."
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

/// One reply for an erasure request, from every card's result: the cards known gone, those
/// not removed (or refused before anything was sent), and those whose outcome is not known
/// yet, each said as such. `at` dates it (the last outcome, or now).
pub(super) fn for_all(
    items: Vec<RevokeAllItem>,
    ticket: Option<String>,
    now: &str,
    offset: UtcOffset,
) -> RevokeAllResult {
    let mut gone = Vec::new();
    let mut not_removed = Vec::new();
    let mut pending = Vec::new();
    let mut first_seq = None;
    let mut last_time = None;
    for item in &items {
        let masked = unbroken(&item.masked);
        match &item.revocation {
            Some(r) => {
                first_seq.get_or_insert(r.audit_seq);
                last_time = Some(r.time.clone());
                match r.outcome {
                    AuditOutcome::Removed
                    | AuditOutcome::RemovedConfirmedByRecheck
                    | AuditOutcome::AlreadyRemoved => gone.push(masked),
                    AuditOutcome::NotRemoved => not_removed.push(masked),
                    AuditOutcome::Unknown => pending.push(masked),
                }
            }
            None => not_removed.push(masked),
        }
    }
    let reference = ticket
        .or_else(|| first_seq.map(|seq| format!("audit #{seq}")))
        .unwrap_or_else(|| "—".to_owned());
    let when = letter_date(last_time.as_deref().unwrap_or(now), offset);
    let (reply_en, reply_ru) = all_replies(&gone, &not_removed, &pending, &when, &reference);
    RevokeAllResult {
        items,
        reference,
        reply_en,
        reply_ru,
    }
}

fn all_replies(
    gone: &[String],
    not_removed: &[String],
    pending: &[String],
    when: &LetterDate,
    reference: &str,
) -> (String, String) {
    let (en, ru) = (&when.en, &when.ru);
    let mut out_en = Vec::new();
    let mut out_ru = Vec::new();
    if gone.is_empty() && not_removed.is_empty() && pending.is_empty() {
        out_en.push(format!(
            "No saved cards of yours are stored in our payment system (checked on {en})."
        ));
        out_ru.push(format!(
            "В нашей платёжной системе не хранится ни одной вашей сохранённой карты \
             (проверено {ru})."
        ));
    }
    match gone {
        [] => {}
        [one] => {
            out_en.push(format!(
                "Your saved card {one} was removed from our payment system on {en}. It can no \
                 longer be used for payments without entering the card details again."
            ));
            out_ru.push(format!(
                "Ваша сохранённая карта {one} удалена из нашей платёжной системы {ru} \
                 Оплатить ею без повторного ввода данных карты больше нельзя."
            ));
        }
        many => {
            let list = many.join(", ");
            out_en.push(format!(
                "Your saved cards {list} were removed from our payment system on {en}. They can \
                 no longer be used for payments without entering the card details again."
            ));
            out_ru.push(format!(
                "Ваши сохранённые карты {list} удалены из нашей платёжной системы {ru} \
                 Оплатить ими без повторного ввода данных карт больше нельзя."
            ));
        }
    }
    if !not_removed.is_empty() {
        let list = not_removed.join(", ");
        let (card_en, card_ru) = if not_removed.len() == 1 {
            ("card", "карту")
        } else {
            ("cards", "карты")
        };
        out_en.push(format!(
            "We could not remove your saved {card_en} {list} yet. We are looking into it and \
             will contact you again."
        ));
        out_ru.push(format!(
            "Нам пока не удалось удалить вашу сохранённую {card_ru} {list}. Мы разбираемся и \
             свяжемся с вами."
        ));
    }
    if !pending.is_empty() {
        let list = pending.join(", ");
        let (card_en, card_ru) = if pending.len() == 1 {
            ("card", "карты")
        } else {
            ("cards", "карт")
        };
        out_en.push(format!(
            "Your request to remove the saved {card_en} {list} is being processed; we will \
             confirm once it is complete."
        ));
        out_ru.push(format!(
            "Ваш запрос на удаление сохранённых {card_ru} {list} обрабатывается; мы сообщим, \
             когда он будет выполнен."
        ));
    }
    out_en.push(format!("Reference: {reference}."));
    out_ru.push(format!("Номер обращения: {reference}."));
    (out_en.join(" "), out_ru.join(" "))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn removed_reply_names_the_masked_card_time_and_reference_only() {
        let (en, ru) = replies(
            AuditOutcome::Removed,
            &unbroken("4123 62•• •••• 0028"),
            &letter_date("2026-05-01T12:34:56.789Z", UtcOffset::UTC),
            "TICKET-7",
        );
        assert!(en.contains("4123\u{a0}62••\u{a0}••••\u{a0}0028"), "{en}");
        assert!(
            en.contains("on 1\u{a0}May\u{a0}2026.") && en.contains("TICKET-7"),
            "{en}"
        );
        assert!(!en.contains("UTC") && !ru.contains("UTC"), "{en} {ru}");
        // «г.» ends the sentence: no second full stop after it.
        assert!(!ru.contains("г.."), "{ru}");
        assert!(ru.contains("г. Оплатить"), "{ru}");
        assert!(
            ru.contains("удалена из нашей платёжной системы 1\u{a0}мая\u{a0}2026\u{a0}г.")
                && ru.contains("TICKET-7"),
            "{ru}"
        );
    }

    #[test]
    fn an_erasure_reply_says_card_by_card_only_what_is_known() {
        let when = letter_date("2026-05-01T12:34:56.789Z", UtcOffset::UTC);
        let (en, ru) = all_replies(
            &["A".into(), "B".into()],
            &["C".into()],
            &["D".into()],
            &when,
            "DPO-1",
        );
        assert!(en.starts_with("Your saved cards A, B were removed from our payment system on 1\u{a0}May\u{a0}2026."), "{en}");
        assert!(
            en.contains("We could not remove your saved card C yet."),
            "{en}"
        );
        assert!(en.contains("the saved card D is being processed"), "{en}");
        assert!(en.ends_with("Reference: DPO-1."), "{en}");
        assert!(
            !en.contains("C was removed") && !en.contains("D was removed"),
            "{en}"
        );
        assert!(ru.contains("Ваши сохранённые карты A, B удалены"), "{ru}");
        assert!(!ru.contains("г.."), "{ru}");
        assert!(ru.contains("удалить вашу сохранённую карту C"), "{ru}");
        let (en, _) = all_replies(&[], &[], &[], &when, "DPO-2");
        assert!(en.starts_with("No saved cards of yours are stored"), "{en}");
        let (en, _) = all_replies(&["A".into()], &[], &[], &when, "DPO-3");
        assert!(en.starts_with("Your saved card A was removed"), "{en}");
    }

    #[test]
    fn the_date_is_the_agents_local_date() {
        // 23:30 UTC on 31 December is already 1 January in Moscow (UTC+3), not in New York.
        let at = "2026-12-31T23:30:00.000Z";
        let moscow = UtcOffset::from_whole_seconds(3 * 3600).unwrap();
        let new_york = UtcOffset::from_whole_seconds(-5 * 3600).unwrap();
        assert_eq!(
            letter_date(at, moscow).ru,
            "1\u{a0}января\u{a0}2027\u{a0}г."
        );
        assert_eq!(letter_date(at, new_york).en, "31\u{a0}December\u{a0}2026");
        assert_eq!(
            letter_date(at, UtcOffset::UTC).en,
            "31\u{a0}December\u{a0}2026"
        );
    }

    #[test]
    fn only_gone_cards_are_called_removed() {
        for outcome in [AuditOutcome::NotRemoved, AuditOutcome::Unknown] {
            let when = letter_date("2026-05-01T12:34:56.789Z", UtcOffset::UTC);
            let (en, _) = replies(outcome, "m", &when, "r");
            assert!(!en.contains("was removed"), "{en}");
        }
    }
}
