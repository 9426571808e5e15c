//! Why: 376-FZ (п. 4.2 ст. 16.1 of the consumer-protection law) lets a customer refuse saved
//! card details and forbids using them for periodic payments afterwards, but prescribes no
//! proof. This confirmation is the merchant's: what was asked, when and how, what became of
//! each saved card (checked by reading the card list again), and what that removal means: the
//! details can no longer be used for payments the merchant initiates with them. It promises no
//! more (a recurring series may be charged without a saved card: docs/documents.md). A card
//! whose removal is not settled is said to be unknown, never removed.

use time::OffsetDateTime;

use crate::face::Faces;
use crate::removals;
use crate::sheet::{Orientation, Sheet};
use crate::{CardRemoval, DocumentError, Issue, Language, RemovalOutcome, RequestReceipt};

/// The confirmation sent to the customer after a refusal of saved card details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    /// The merchant's name, as the customer knows it.
    pub merchant: String,
    /// The customer's number at the merchant (`CustomerNumber` at the gateway).
    pub customer_number: String,
    /// When and how the refusal arrived.
    pub request: RequestReceipt,
    /// Every saved card the request concerned; empty when none was held.
    pub cards: Vec<CardRemoval>,
    /// When the card list was last read for this customer (the "as of" of an empty list).
    pub checked_at: OffsetDateTime,
    /// Id, time and audit basis.
    pub issue: Issue,
}

impl Confirmation {
    pub(crate) fn render(&self, faces: &Faces, lang: Language) -> Result<Vec<u8>, DocumentError> {
        self.issue.check()?;
        for removal in &self.cards {
            removal.card.check()?;
        }
        let title = lang.pick(
            "Confirmation of the refusal of saved card details",
            "Подтверждение отказа от сохранённых реквизитов банковской карты",
        );
        let mut sheet = Sheet::new(faces, Orientation::Portrait);
        sheet.title(title);
        sheet.subtitle(lang.pick(
            "Under paragraph 4.2 of article 16.1 of the Law of the Russian Federation \
             No. 2300-1 «On the protection of consumer rights» (as amended by Federal Law \
             No. 376-FZ)",
            "В соответствии с пунктом 4.2 статьи 16.1 Закона РФ от 07.02.1992 № 2300-1 \
             «О защите прав потребителей» (в редакции Федерального закона № 376-ФЗ)",
        ));
        sheet.space(8.0);
        let mut request = vec![
            (
                lang.pick("Merchant", "Продавец").to_owned(),
                self.merchant.clone(),
            ),
            (
                lang.pick("Customer number", "Номер клиента").to_owned(),
                self.customer_number.clone(),
            ),
            (
                lang.pick("Request received", "Обращение получено")
                    .to_owned(),
                lang.date_time(self.request.received_at),
            ),
            (
                lang.pick("Channel", "Канал обращения").to_owned(),
                self.request.channel.describe(lang),
            ),
        ];
        if let Some(ticket) = &self.request.ticket {
            request.push((
                lang.pick("Ticket", "Номер обращения").to_owned(),
                ticket.clone(),
            ));
        }
        sheet.fields(&request);

        sheet.heading(lang.pick("Saved card details", "Сохранённые реквизиты карт"));
        if self.cards.is_empty() {
            sheet.statement(&format!(
                "{} {}.",
                lang.pick(
                    "No saved card details are held for this customer as of",
                    "Сохранённые реквизиты карт для этого клиента отсутствуют по состоянию на"
                ),
                lang.date_time(self.checked_at)
            ));
        } else {
            sheet.paragraph(lang.pick(
                "The customer's saved cards at the payment gateway and what became of each. A \
                 removal counts as done only when a fresh read of the customer's card list at \
                 the gateway no longer shows the card.",
                "Сохранённые карты клиента в платёжном шлюзе и результат по каждой. Удаление \
                 считается выполненным, только когда повторное чтение списка карт клиента в \
                 шлюзе её больше не показывает.",
            ));
            removals::table(&mut sheet, &self.cards, lang);
        }
        // Only what the desk did and checked: the removal at the gateway. A recurring series
        // the gateway charges by its first order (not by a saved card) is not stopped by it,
        // so nothing is promised about periodic payments as such.
        if self.cards.iter().any(|c| {
            matches!(
                c.outcome,
                RemovalOutcome::Removed { .. } | RemovalOutcome::AlreadyRemoved { .. }
            )
        }) {
            sheet.space(6.0);
            sheet.statement(lang.pick(
                "The saved card details shown above as removed were removed at the payment \
                 gateway and can no longer be used for payments initiated by the merchant \
                 with them.",
                "Сохранённые реквизиты карт, указанные выше как удалённые, удалены в платёжном \
                 шлюзе и больше не могут использоваться для платежей, инициируемых продавцом с \
                 их использованием.",
            ));
        }
        self.issue.block(&mut sheet, lang);
        self.issue.write(sheet, faces, &self.merchant, title, lang)
    }
}
