//! Why: a data subject may ask what is held about them (152-FZ ст. 14, answered within 10
//! working days; GDPR Art. 15, within a month). The answer must confirm the processing, show
//! the data (here: the saved cards at the gateway as read at one moment) and give the
//! information ст. 14 ч. 7 and Art. 15(1) list. Each row is labelled with the clause it
//! answers, so a reviewer can check the answer is complete. The merchant's own wording (its
//! purposes, grounds, retention) comes from the input, in the document's language.

use time::OffsetDateTime;

use crate::face::Faces;
use crate::sheet::{Column, Orientation, Sheet};
use crate::{DataCategory, DocumentError, Issue, Language, MaskedCard, Party, RequestReceipt};

/// The answer to an access request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessAnswer {
    /// The operator (the merchant): name and address.
    pub operator: Party,
    /// The customer's number at the merchant.
    pub customer_number: String,
    /// When and how the request arrived.
    pub request: RequestReceipt,
    /// When the gateway's card list was read for this answer.
    pub as_of: OffsetDateTime,
    /// The saved cards the gateway listed then.
    pub cards: Vec<HeldCard>,
    /// The merchant's gateway accounts whose card lists were read, when the request covered
    /// several (each card then says where it is held); empty for one account.
    pub accounts: Vec<String>,
    /// The categories of data processed.
    pub categories: Vec<DataCategory>,
    /// Purposes of processing (ст. 14 ч. 7 п. 2–3; Art. 15(1)(a)).
    pub purposes: Vec<String>,
    /// Legal grounds (ст. 14 ч. 7 п. 2).
    pub legal_grounds: Vec<String>,
    /// Methods of processing (ст. 14 ч. 7 п. 3).
    pub methods: String,
    /// Who has access or receives the data (ст. 14 ч. 7 п. 4; Art. 15(1)(c)).
    pub recipients: Vec<String>,
    /// Where the data came from (ст. 14 ч. 7 п. 5; Art. 15(1)(g)).
    pub source: String,
    /// Periods of processing and storage (ст. 14 ч. 7 п. 6; Art. 15(1)(d)).
    pub storage: String,
    /// The processor acting for the operator: the payment gateway (ст. 14 ч. 7 п. 9).
    pub processor: Option<Party>,
    /// Cross-border transfer, done or planned (ст. 14 ч. 7 п. 8; Art. 15(2)).
    pub cross_border: String,
    /// How to exercise the subject's rights, and where to complain (ст. 14 ч. 7 п. 7;
    /// Art. 15(1)(e)–(f)).
    pub rights: String,
    /// Id, time and audit basis.
    pub issue: Issue,
}

/// A saved card as the gateway listed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldCard {
    /// The card.
    pub card: MaskedCard,
    /// The issuing bank as the gateway names it; empty when not given.
    pub bank: String,
    /// Its state at the gateway.
    pub status: CardStatus,
    /// The merchant's gateway account holding it, when the answer covers several.
    pub held_in: Option<String>,
}

/// A saved card's state at the gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CardStatus {
    /// Usable for payments.
    Active,
    /// Past its expiry date, still stored.
    Expired,
    /// Anything else the gateway says, in the document's language.
    Other(String),
}

impl CardStatus {
    fn describe(&self, lang: Language) -> String {
        match self {
            CardStatus::Active => lang.pick("active", "действует"),
            CardStatus::Expired => lang.pick("expired", "срок действия истёк"),
            CardStatus::Other(text) => text,
        }
        .to_owned()
    }
}

fn or_none(text: &str, lang: Language) -> String {
    if text.trim().is_empty() {
        lang.pick("not applicable", "не применимо").to_owned()
    } else {
        text.to_owned()
    }
}

fn list(items: &[String], lang: Language) -> String {
    or_none(&items.join("; "), lang)
}

impl AccessAnswer {
    pub(crate) fn render(&self, faces: &Faces, lang: Language) -> Result<Vec<u8>, DocumentError> {
        self.issue.check()?;
        for held in &self.cards {
            held.card.check()?;
        }
        let title = lang.pick(
            "Answer to a request for access to personal data",
            "Ответ на запрос субъекта персональных данных",
        );
        let mut sheet = Sheet::new(faces, Orientation::Portrait);
        sheet.title(title);
        sheet.subtitle(lang.pick(
            "Under article 14 of Federal Law No. 152-FZ «On personal data» and Article 15 of \
             Regulation (EU) 2016/679 (GDPR)",
            "В соответствии со статьёй 14 Федерального закона от 27.07.2006 № 152-ФЗ \
             «О персональных данных» и статьёй 15 Регламента (ЕС) 2016/679 (GDPR)",
        ));
        sheet.space(8.0);
        let mut request = vec![
            (
                lang.pick("Operator", "Оператор").to_owned(),
                address_line(&self.operator, lang),
            ),
            (
                lang.pick("Customer number", "Номер клиента").to_owned(),
                self.customer_number.clone(),
            ),
            (
                lang.pick("Request received", "Запрос получен").to_owned(),
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

        sheet.heading(lang.pick(
            "Card data held at the payment gateway",
            "Данные карт, хранящиеся в платёжном шлюзе",
        ));
        let as_of = lang.date_time(self.as_of);
        if !self.accounts.is_empty() {
            sheet.fields(&[(
                lang.pick(
                    "Gateway accounts read",
                    "Проверенные учётные записи в шлюзе",
                )
                .to_owned(),
                self.accounts.join("; "),
            )]);
        }
        if self.cards.is_empty() {
            sheet.statement(&format!(
                "{} {}.",
                lang.pick(
                    "No saved card details are held for you at the payment gateway as of",
                    "Сохранённые реквизиты ваших карт в платёжном шлюзе отсутствуют по состоянию на"
                ),
                as_of
            ));
        } else {
            sheet.paragraph(&format!(
                "{} {} {}",
                lang.pick(
                    "We confirm that we process personal data about you. As of",
                    "Подтверждаем, что обрабатываем ваши персональные данные. По состоянию на"
                ),
                as_of,
                lang.pick(
                    "the payment gateway holds the following saved cards for you (card numbers \
                     are shown masked; the full number is never stored by us):",
                    "в платёжном шлюзе для вас сохранены следующие карты (номера показаны в \
                     маскированном виде; полный номер карты мы не храним):"
                )
            ));
            let per_account = !self.accounts.is_empty();
            let rows: Vec<Vec<String>> = self
                .cards
                .iter()
                .map(|h| {
                    let mut row = vec![
                        h.card.masked(),
                        h.card.brand.clone(),
                        or_none(&h.bank, lang),
                        h.card.expiry(),
                        h.status.describe(lang),
                    ];
                    if per_account {
                        row.insert(0, h.held_in.clone().unwrap_or_default());
                    }
                    row
                })
                .collect();
            let mut columns = vec![
                Column {
                    title: lang.pick("Card number", "Номер карты"),
                    share: 1.5,
                },
                Column {
                    title: lang.pick("Payment system", "Платёжная система"),
                    share: 0.95,
                },
                Column {
                    title: lang.pick("Issuing bank", "Банк-эмитент"),
                    share: 1.5,
                },
                Column {
                    title: lang.pick("Expiry", "Срок действия"),
                    share: 0.8,
                },
                Column {
                    title: lang.pick("Status", "Статус"),
                    share: 0.9,
                },
            ];
            if per_account {
                columns.insert(
                    0,
                    Column {
                        title: lang.pick("Gateway account", "Учётная запись"),
                        share: 1.1,
                    },
                );
            }
            sheet.table(&columns, &rows, 9.0);
        }

        sheet.heading(lang.pick(
            "How your data are processed",
            "Сведения об обработке ваших данных",
        ));
        let processor = match &self.processor {
            Some(p) => address_line(p, lang),
            None => or_none("", lang),
        };
        let row = |en: &str, ru: &str, value: String| (lang.pick(en, ru).to_owned(), value);
        sheet.fields(&[
            row(
                "Categories of data (art. 14 part 7 item 5; Art. 15(1)(b))",
                "Категории данных (ч. 7 ст. 14, п. 5; ст. 15(1)(b) GDPR)",
                or_none(&DataCategory::list(&self.categories, lang), lang),
            ),
            row(
                "Purposes (art. 14 part 7 item 3; Art. 15(1)(a))",
                "Цели обработки (ч. 7 ст. 14, п. 2–3; ст. 15(1)(a) GDPR)",
                list(&self.purposes, lang),
            ),
            row(
                "Legal grounds (art. 14 part 7 item 2)",
                "Правовые основания (ч. 7 ст. 14, п. 2)",
                list(&self.legal_grounds, lang),
            ),
            row(
                "Methods of processing (art. 14 part 7 item 3)",
                "Способы обработки (ч. 7 ст. 14, п. 3)",
                or_none(&self.methods, lang),
            ),
            row(
                "Recipients and persons with access (art. 14 part 7 item 4; Art. 15(1)(c))",
                "Получатели и лица, имеющие доступ к данным (ч. 7 ст. 14, п. 4; ст. 15(1)(c) GDPR)",
                list(&self.recipients, lang),
            ),
            row(
                "Source of the data (art. 14 part 7 item 5; Art. 15(1)(g))",
                "Источник данных (ч. 7 ст. 14, п. 5; ст. 15(1)(g) GDPR)",
                or_none(&self.source, lang),
            ),
            row(
                "Storage period (art. 14 part 7 item 6; Art. 15(1)(d))",
                "Сроки обработки и хранения (ч. 7 ст. 14, п. 6; ст. 15(1)(d) GDPR)",
                or_none(&self.storage, lang),
            ),
            row(
                "Processor acting for the operator (art. 14 part 7 item 9)",
                "Лицо, обрабатывающее данные по поручению оператора (ч. 7 ст. 14, п. 9)",
                processor,
            ),
            row(
                "Cross-border transfer (art. 14 part 7 item 8; Art. 15(2))",
                "Трансграничная передача (ч. 7 ст. 14, п. 8; ст. 15(2) GDPR)",
                or_none(&self.cross_border, lang),
            ),
            row(
                "How to exercise your rights (art. 14 part 7 item 7; Art. 15(1)(e)–(f))",
                "Порядок осуществления ваших прав (ч. 7 ст. 14, п. 7; ст. 15(1)(e)–(f) GDPR)",
                or_none(&self.rights, lang),
            ),
        ]);
        self.issue.block(&mut sheet, lang);
        self.issue
            .write(sheet, faces, &self.operator.name, (title, title), lang)
    }
}

/// `Name, address`, or the name alone.
pub(crate) fn address_line(party: &Party, lang: Language) -> String {
    if party.address.trim().is_empty() {
        format!(
            "{} ({})",
            party.name,
            lang.pick("address not given", "адрес не указан")
        )
    } else {
        format!("{}, {}", party.name, party.address)
    }
}
