//! Why: 376-FZ (п. 4.2 ст. 16.1 of the consumer-protection law) lets a customer refuse saved
//! card details and forbids using them for periodic payments afterwards, but prescribes no
//! proof. This confirmation is the merchant's: what was asked, when and how, what became of
//! each saved card (checked by reading the card list again), and what that removal means: the
//! details can no longer be used for payments the merchant initiates with them. It promises no
//! more (a recurring series may be charged without a saved card: docs/documents.md). A card
//! whose removal is not settled is said to be unknown, never removed.

use time::OffsetDateTime;

use crate::access::address_line;
use crate::face::Faces;
use crate::removals;
use crate::sheet::{HEADING_HEIGHT, Orientation, SIGNATURE_HEIGHT, Sheet, SignatureLine};
use crate::{CardRemoval, DocumentError, Issue, Language, Party, RemovalOutcome, RequestReceipt};

/// The confirmation sent to the customer after a refusal of saved card details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    /// The merchant: its name and address as the operator's details give them (the same
    /// details the erasure act and the access answer name the operator by), or, when none were
    /// given, the gateway profile's name (see `merchant_named_by`).
    pub merchant: Party,
    /// Where `merchant` came from; the document says which.
    pub merchant_named_by: MerchantSource,
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

/// Where a confirmation's merchant was named from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MerchantSource {
    /// The operator's (merchant's) name and address, as given for the request's documents.
    OperatorDetails,
    /// No operator details were given: the names of the gateway profiles the cards were read
    /// in, which need not be the merchant's legal name; the row's label says so.
    GatewayProfile,
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
        // Every page's header repeats it beside the merchant, where the full Russian title
        // would be cut.
        let running_title = lang.pick(
            "Refusal confirmation (376-FZ)",
            "Подтверждение отказа (376-ФЗ)",
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
            match self.merchant_named_by {
                MerchantSource::OperatorDetails => (
                    lang.pick("Merchant", "Продавец").to_owned(),
                    address_line(&self.merchant, lang),
                ),
                MerchantSource::GatewayProfile => (
                    lang.pick(
                        "Merchant (as its accounts at the payment gateway are named; the \
                         merchant's name and address were not given)",
                        "Продавец (как названы его учётные записи в платёжном шлюзе; \
                         наименование и адрес продавца не указаны)",
                    )
                    .to_owned(),
                    self.merchant.name.clone(),
                ),
            },
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
        // Signed for the merchant by hand (or with an electronic signature), like the act, under
        // what it attests: the desk does not know who signs, so the name and position are blank
        // lines to fill in too.
        sheet.keep(HEADING_HEIGHT + SIGNATURE_HEIGHT);
        sheet.heading(lang.pick(
            "Signed for the merchant",
            "Подпись уполномоченного лица продавца",
        ));
        sheet.signatures(&[SignatureLine {
            name: lang.pick("full name", "ФИО").to_owned(),
            position: lang.pick("position", "должность").to_owned(),
            signature_caption: lang.pick("signature", "подпись").to_owned(),
            date_caption: lang.pick("date", "дата").to_owned(),
            blank: true,
        }]);

        self.issue.block(&mut sheet, lang);

        self.issue.write(
            sheet,
            faces,
            &self.merchant.name,
            (title, running_title),
            lang,
        )
    }
}
