//! Why: Roskomnadzor Order No. 179 (28.10.2022) says how the destruction of personal data is
//! proved: for automated processing, an act with the fields of п. 3 а–к plus an export of the
//! event log (п. 5, [`crate::ErasureLog`]), both kept three years. This is the act, every
//! field labelled with its letter, with blank lines for those who destroyed the data to sign.
//! It refuses to exist while any card's removal is unknown or failed: an act of destruction
//! must not attest what has not happened.

use time::OffsetDateTime;

use crate::access::address_line;
use crate::face::Faces;
use crate::removals;
use crate::sheet::{HEADING_HEIGHT, Orientation, SIGNATURE_HEIGHT, Sheet, SignatureLine};
use crate::{
    CardRemoval, DataCategory, DocumentError, ErasureReason, Issue, Language, Party, RemovalOutcome,
};

/// The act of destruction of personal data (Order 179 п. 3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErasureAct {
    /// (а) The operator (the merchant): name and address.
    pub operator: Party,
    /// (б) A processor acting for the operator (the gateway, if it is one); `None` prints
    /// "not applicable".
    pub processor: Option<Party>,
    /// (в) The data subject: who the customer is, as the merchant knows them.
    pub subject: String,
    /// (г) Who destroyed the data; each signs the paper act.
    pub destroyed_by: Vec<Signatory>,
    /// (д) The categories destroyed.
    pub categories: Vec<DataCategory>,
    /// (ж) The information system the data were in.
    pub information_system: String,
    /// (и) Why the data were destroyed.
    pub reason: ErasureReason,
    /// The cards concerned and what became of each; (к) is the latest removal among them.
    pub removals: Vec<CardRemoval>,
    /// Id, time and audit basis.
    pub issue: Issue,
}

/// A person who destroyed the data and signs the act.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signatory {
    /// Full name.
    pub name: String,
    /// Position.
    pub position: String,
}

impl ErasureAct {
    /// The moment of destruction (п. 3 к): the latest removal among the cards. Fails when any
    /// card is unknown or not removed, or when nothing was removed.
    pub fn destroyed_at(&self) -> Result<OffsetDateTime, DocumentError> {
        settled(&self.removals)
    }

    pub(crate) fn render(&self, faces: &Faces, lang: Language) -> Result<Vec<u8>, DocumentError> {
        self.issue.check()?;
        for removal in &self.removals {
            removal.card.check()?;
        }
        let destroyed_at = self.destroyed_at()?;
        let title = lang.pick(
            "Act of destruction of personal data",
            "Акт об уничтожении персональных данных",
        );
        let mut sheet = Sheet::new(faces, Orientation::Portrait);
        sheet.title(title);
        sheet.subtitle(&format!(
            "{} {} · {}",
            lang.pick("No.", "№"),
            self.issue.document_id,
            lang.date(self.issue.generated_at.date())
        ));
        sheet.subtitle(lang.pick(
            "Drawn up under paragraph 3 of the Requirements approved by Order of Roskomnadzor \
             No. 179 of 28 October 2022; items (a)–(k) are its subparagraphs «а»–«к», in order",
            "Составлен в соответствии с пунктом 3 Требований, утверждённых приказом \
             Роскомнадзора от 28.10.2022 № 179",
        ));
        sheet.space(8.0);
        let na = lang.pick("not applicable", "не применимо");
        let processor = match &self.processor {
            Some(p) if !p.name.trim().is_empty() => address_line(p, lang),
            _ => na.to_owned(),
        };
        let destroyers = if self.destroyed_by.is_empty() {
            lang.pick("see signatures below", "см. подписи ниже")
                .to_owned()
        } else {
            self.destroyed_by
                .iter()
                .map(|s| format!("{}, {}", s.name, s.position))
                .collect::<Vec<_>>()
                .join("; ")
                + lang.pick(" (signatures below)", " (подписи ниже)")
        };
        let row =
            |label: (&str, &str), value: String| (lang.pick(label.0, label.1).to_owned(), value);
        sheet.fields(&[
            row(LABELS[0], address_line(&self.operator, lang)),
            row(LABELS[1], processor),
            row(LABELS[2], self.subject.clone()),
            row(LABELS[3], destroyers),
            row(LABELS[4], DataCategory::list(&self.categories, lang)),
            row(
                LABELS[5],
                lang.pick(
                    "not applicable — automated processing",
                    "не применимо — обработка автоматизированная",
                )
                .to_owned(),
            ),
            row(LABELS[6], self.information_system.clone()),
            row(
                LABELS[7],
                lang.pick(
                    "removal of the stored-card token at the payment gateway, verified by \
                     re-reading the card list",
                    "удаление токена сохранённой карты в платёжном шлюзе с проверкой повторным \
                     чтением списка карт",
                )
                .to_owned(),
            ),
            row(LABELS[8], self.reason.describe(lang)),
            row(LABELS[9], lang.date_time(destroyed_at)),
        ]);

        sheet.heading(lang.pick(
            "The saved cards concerned",
            "Сохранённые карты, к которым относится акт",
        ));
        removals::table(&mut sheet, &self.removals, lang);
        sheet.note(lang.pick(
            "The act is kept together with the export from the event log of the information \
             system (Order 179, paragraph 5) for three years from the date of destruction.",
            "Акт хранится вместе с выгрузкой из журнала регистрации событий в информационной \
             системе (п. 5 Требований) в течение трёх лет с даты уничтожения.",
        ));

        self.issue.block(&mut sheet, lang);
        let signers = self.destroyed_by.len().max(1) as f32;
        sheet.keep(HEADING_HEIGHT + signers * SIGNATURE_HEIGHT);
        sheet.heading(lang.pick(
            "Signatures of those who destroyed the data",
            "Подписи лиц, уничтоживших персональные данные (подпункт «г»)",
        ));
        let mut signatories: Vec<Signatory> = self.destroyed_by.clone();
        if signatories.is_empty() {
            signatories.push(Signatory {
                name: lang.pick("Full name", "ФИО").to_owned(),
                position: lang.pick("Position", "Должность").to_owned(),
            });
        }
        let lines: Vec<SignatureLine> = signatories
            .iter()
            .map(|s| SignatureLine {
                name: s.name.clone(),
                position: s.position.clone(),
                signature_caption: lang.pick("signature", "подпись").to_owned(),
                date_caption: lang.pick("date", "дата").to_owned(),
                blank: false,
            })
            .collect();
        sheet.signatures(&lines);
        self.issue
            .write(sheet, faces, &self.operator.name, (title, title), lang)
    }
}

/// The labels of Order 179 п. 3 а–к, English and Russian. The English ones letter the items
/// in Latin, (a)–(k) without (j) as legal lists do, one for one with «а»–«к» (which skips
/// «й»); the act's subtitle says they follow the Order's items.
pub(crate) const LABELS: [(&str, &str); 10] = [
    (
        "(a) Operator: name and address",
        "(а) Оператор: наименование и адрес",
    ),
    (
        "(b) Processor acting on the operator's instruction: name and address",
        "(б) Лицо, осуществляющее обработку по поручению оператора: наименование и адрес",
    ),
    ("(c) Data subject", "(в) Субъект персональных данных"),
    (
        "(d) Destroyed by: full name, position",
        "(г) Уничтожившие персональные данные: ФИО, должность",
    ),
    (
        "(e) Categories of personal data destroyed",
        "(д) Перечень категорий уничтоженных персональных данных",
    ),
    (
        "(f) Tangible media destroyed, number of sheets",
        "(е) Уничтоженный материальный носитель, количество листов",
    ),
    (
        "(g) Information system of personal data",
        "(ж) Наименование информационной системы персональных данных",
    ),
    ("(h) Method of destruction", "(з) Способ уничтожения"),
    ("(i) Reason for destruction", "(и) Причина уничтожения"),
    ("(k) Date of destruction", "(к) Дата уничтожения"),
];

/// The latest removal, or why the removals do not attest a destruction.
pub(crate) fn settled(removals: &[CardRemoval]) -> Result<OffsetDateTime, DocumentError> {
    let unknown: Vec<String> = removals
        .iter()
        .filter(|r| r.outcome == RemovalOutcome::Unknown)
        .map(|r| r.card.masked())
        .collect();
    if !unknown.is_empty() {
        return Err(DocumentError::OutcomeUnknown { cards: unknown });
    }
    let kept: Vec<String> = removals
        .iter()
        .filter(|r| matches!(r.outcome, RemovalOutcome::NotRemoved { .. }))
        .map(|r| r.card.masked())
        .collect();
    if !kept.is_empty() {
        return Err(DocumentError::NotRemoved { cards: kept });
    }
    removals
        .iter()
        .filter_map(|r| match r.outcome {
            RemovalOutcome::Removed { removed_at, .. } => Some(removed_at),
            _ => None,
        })
        .max()
        .ok_or(DocumentError::NothingDestroyed)
}
