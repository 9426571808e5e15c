//! Why: the confirmation and the act show the same table of saved cards — number, system,
//! expiry, when it was removed, when a fresh read of the card list showed it gone — and must
//! word an unsettled card the same way: "unknown — not yet confirmed", never "removed".

use crate::sheet::{Column, Sheet};
use crate::{CardRemoval, Language, RemovalOutcome};

impl RemovalOutcome {
    /// The two cells of the table: what happened, and the read-back that shows it.
    pub(crate) fn cells(&self, lang: Language) -> (String, String) {
        let none = "—".to_owned();
        match self {
            RemovalOutcome::Removed {
                removed_at,
                confirmed_at,
            } => (lang.date_time(*removed_at), lang.date_time(*confirmed_at)),
            RemovalOutcome::AlreadyRemoved { confirmed_at } => (
                lang.pick(
                    "already removed before this request",
                    "удалена до этого обращения",
                )
                .to_owned(),
                lang.date_time(*confirmed_at),
            ),
            RemovalOutcome::NotRemoved { checked_at } => (
                format!(
                    "{} {}",
                    lang.pick(
                        "not removed: still listed at",
                        "не удалена: в списке карт на"
                    ),
                    lang.date_time(*checked_at)
                ),
                none,
            ),
            RemovalOutcome::Unknown => (
                lang.pick(
                    "unknown — not yet confirmed",
                    "неизвестно — ещё не подтверждено",
                )
                .to_owned(),
                none,
            ),
        }
    }
}

/// The table of cards and what became of each.
pub(crate) fn table(sheet: &mut Sheet<'_>, removals: &[CardRemoval], lang: Language) {
    let rows: Vec<Vec<String>> = removals
        .iter()
        .map(|r| {
            let (removed, confirmed) = r.outcome.cells(lang);
            vec![
                r.card.masked(),
                r.card.brand.clone(),
                r.card.expiry(),
                removed,
                confirmed,
            ]
        })
        .collect();
    sheet.table(
        &[
            Column {
                title: lang.pick("Card number", "Номер карты"),
                share: 1.45,
            },
            Column {
                title: lang.pick("Payment system", "Платёжная система"),
                share: 0.9,
            },
            Column {
                title: lang.pick("Expiry", "Срок действия"),
                share: 0.75,
            },
            Column {
                title: lang.pick("Removed at", "Удалена"),
                share: 1.6,
            },
            Column {
                title: lang.pick(
                    "Confirmed by re-reading the card list at",
                    "Удаление подтверждено повторным чтением списка карт",
                ),
                share: 1.6,
            },
        ],
        &rows,
        9.0,
    );
}
