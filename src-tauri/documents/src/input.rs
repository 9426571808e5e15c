//! Why: the documents take their own plain input types, not the desk's or the register's, so
//! this crate builds and tests without either and the mapping from the request register is
//! one visible step. The types hold facts only; every sentence around them is the
//! documents' own, in both languages.

use time::OffsetDateTime;

use crate::{DocumentError, Language};

/// What every document carries to be traced: its id, when it was generated, and the audit
/// entries it rests on (their SHA-256 is printed on it, see [`crate::audit_digest`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// The register's id for this document, printed on every page.
    pub document_id: String,
    /// When the document was generated; also the PDF's creation date, so the same input
    /// gives the same bytes.
    pub generated_at: OffsetDateTime,
    /// The audit-log lines the document rests on, in log order.
    pub audit_entries: Vec<AuditLine>,
}

/// One line of the desk's audit log (docs/audit-log.md), exactly as written there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditLine {
    /// The entry's `seq`.
    pub seq: u64,
    /// The line's text without its newline.
    pub line: String,
}

/// A legal or natural person as a document names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    /// Name (organisation) or full name (person).
    pub name: String,
    /// Postal address; empty when unknown.
    pub address: String,
}

/// A saved card as the gateway lists it, never its full number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaskedCard {
    /// The first six digits.
    pub bin: String,
    /// The last four digits.
    pub last4: String,
    /// The payment system as the gateway names it (`VISA`, `MIR`).
    pub brand: String,
    /// Expiry month, 1–12.
    pub expiry_month: u8,
    /// Expiry year, four digits.
    pub expiry_year: u16,
}

impl MaskedCard {
    /// `4123 62•• •••• 0000`: the digits the gateway shows, the rest as bullets.
    pub fn masked(&self) -> String {
        let digits: String = format!("{}••••••{}", self.bin, self.last4);
        let chars: Vec<char> = digits.chars().collect();
        chars
            .chunks(4)
            .map(|group| group.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `12/2027`.
    pub fn expiry(&self) -> String {
        format!("{:02}/{}", self.expiry_month, self.expiry_year)
    }

    pub(crate) fn check(&self) -> Result<(), DocumentError> {
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(&self.bin, 6) {
            return Err(DocumentError::Invalid {
                field: "card.bin",
                reason: "must be six digits",
            });
        }
        if !digits(&self.last4, 4) {
            return Err(DocumentError::Invalid {
                field: "card.last4",
                reason: "must be four digits",
            });
        }
        if !(1..=12).contains(&self.expiry_month) || !(1000..=9999).contains(&self.expiry_year) {
            return Err(DocumentError::Invalid {
                field: "card.expiry",
                reason: "month must be 1–12 and year four digits",
            });
        }
        Ok(())
    }
}

/// What became of one saved card, as the desk's audit log settled it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemovalOutcome {
    /// Removed by this request, and absent when the card list was read again.
    Removed {
        /// When the gateway accepted the removal.
        removed_at: OffsetDateTime,
        /// When the re-read card list no longer showed the card.
        confirmed_at: OffsetDateTime,
    },
    /// Already gone before this request removed anything (e.g. fault 10/203 and absent).
    AlreadyRemoved {
        /// When the card list was read and did not show the card.
        confirmed_at: OffsetDateTime,
    },
    /// Still listed at the gateway after the attempt.
    NotRemoved {
        /// When the card list was read and still showed it.
        checked_at: OffsetDateTime,
    },
    /// The removal's reply was lost and no read-back has settled it yet.
    Unknown,
}

/// One saved card and what this request did to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardRemoval {
    /// The card.
    pub card: MaskedCard,
    /// What became of it.
    pub outcome: RemovalOutcome,
}

/// When and how a customer's request arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestReceipt {
    /// When it was received.
    pub received_at: OffsetDateTime,
    /// How it arrived.
    pub channel: Channel,
    /// The support ticket, if any.
    pub ticket: Option<String>,
}

/// The way a request reached the merchant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Channel {
    /// E-mail.
    Email,
    /// A phone call.
    Phone,
    /// Chat or messenger.
    Chat,
    /// A form on the merchant's site or in its app.
    WebForm,
    /// A letter on paper.
    Letter,
    /// In person.
    InPerson,
    /// Anything else, in the document's language.
    Other(String),
}

impl Channel {
    pub(crate) fn describe(&self, lang: Language) -> String {
        match self {
            Channel::Email => lang.pick("e-mail", "электронная почта"),
            Channel::Phone => lang.pick("phone call", "телефонный звонок"),
            Channel::Chat => lang.pick("chat", "чат"),
            Channel::WebForm => lang.pick("web form", "форма на сайте"),
            Channel::Letter => lang.pick("letter", "письмо"),
            Channel::InPerson => lang.pick("in person", "лично"),
            Channel::Other(text) => text,
        }
        .to_owned()
    }
}

/// A category of personal data the desk handles (the law notes' list for Card Desk).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataCategory {
    /// The stored-card token at the gateway.
    CardToken,
    /// The masked card number (first six and last four digits).
    MaskedCardNumber,
    /// The card's expiry date.
    Expiry,
    /// The card's payment system and issuing bank.
    BrandAndBank,
    /// The customer number at the merchant (`CustomerNumber`).
    CustomerNumber,
    /// Anything else, in the document's language.
    Other(String),
}

impl DataCategory {
    pub(crate) fn describe(&self, lang: Language) -> String {
        match self {
            DataCategory::CardToken => lang.pick(
                "saved-card token at the payment gateway",
                "токен сохранённой карты в платёжном шлюзе",
            ),
            DataCategory::MaskedCardNumber => lang.pick(
                "masked card number (first 6 and last 4 digits)",
                "маскированный номер карты (первые 6 и последние 4 цифры)",
            ),
            DataCategory::Expiry => lang.pick("card expiry date", "срок действия карты"),
            DataCategory::BrandAndBank => lang.pick(
                "payment system and issuing bank",
                "платёжная система и банк-эмитент",
            ),
            DataCategory::CustomerNumber => lang.pick(
                "customer number at the merchant",
                "номер клиента у продавца",
            ),
            DataCategory::Other(text) => text,
        }
        .to_owned()
    }

    pub(crate) fn list(categories: &[DataCategory], lang: Language) -> String {
        categories
            .iter()
            .map(|c| c.describe(lang))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Why personal data were destroyed (Order 179 п. 3 и, п. 5 г).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErasureReason {
    /// The customer refused saved card details (376-FZ).
    SavedCardRefusal,
    /// The customer withdrew consent (152-FZ ст. 21 ч. 5).
    ConsentWithdrawn,
    /// The customer demanded that processing stop (152-FZ ст. 21 ч. 5.1).
    ProcessingStopDemand,
    /// The purpose of processing was achieved (152-FZ ст. 21 ч. 4).
    PurposeAchieved,
    /// An erasure request under GDPR Article 17.
    GdprErasure,
    /// Anything else, in the document's language.
    Other(String),
}

impl ErasureReason {
    pub(crate) fn describe(&self, lang: Language) -> String {
        match self {
            ErasureReason::SavedCardRefusal => lang.pick(
                "the customer refused saved card details (Law 2300-1 art. 16.1 p. 4.2, as amended by 376-FZ)",
                "отказ потребителя от сохранённых реквизитов карты (п. 4.2 ст. 16.1 Закона № 2300-1 в ред. 376-ФЗ)",
            ),
            ErasureReason::ConsentWithdrawn => lang.pick(
                "the data subject withdrew consent (152-FZ art. 21 part 5)",
                "отзыв субъектом согласия на обработку (ч. 5 ст. 21 152-ФЗ)",
            ),
            ErasureReason::ProcessingStopDemand => lang.pick(
                "the data subject demanded that processing stop (152-FZ art. 21 part 5.1)",
                "требование субъекта прекратить обработку (ч. 5.1 ст. 21 152-ФЗ)",
            ),
            ErasureReason::PurposeAchieved => lang.pick(
                "the purpose of processing was achieved (152-FZ art. 21 part 4)",
                "достижение цели обработки (ч. 4 ст. 21 152-ФЗ)",
            ),
            ErasureReason::GdprErasure => lang.pick(
                "the data subject's request for erasure (GDPR Article 17)",
                "требование субъекта об удалении данных (ст. 17 GDPR)",
            ),
            ErasureReason::Other(text) => text,
        }
        .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_is_masked_in_groups_of_four() {
        let card = MaskedCard {
            bin: "412362".into(),
            last4: "0000".into(),
            brand: "VISA".into(),
            expiry_month: 3,
            expiry_year: 2028,
        };
        assert_eq!(card.masked(), "4123 62•• •••• 0000");
        assert_eq!(card.expiry(), "03/2028");
        assert!(card.check().is_ok());
        let bad = MaskedCard {
            bin: "41236".into(),
            ..card
        };
        assert!(matches!(
            bad.check(),
            Err(DocumentError::Invalid {
                field: "card.bin",
                ..
            })
        ));
    }
}
