//! Why: a customer may ask what the merchant holds about them (152-FZ ст. 14, ten working days;
//! GDPR Art. 15, a month). For a card desk the honest answer is the saved cards at the gateway
//! as read at one moment, and the information the law lists (purposes, grounds, recipients,
//! storage, rights) in the merchant's own words. This produces that answer (docs/documents.md):
//! only for an access request whose requester was identified, from a card list read now, with
//! the read recorded in the audit log under the request, the file saved where the agent chose
//! and its SHA-256 kept in the request and in the audit chain.

use std::path::PathBuf;

use desk_documents::{
    AccessAnswer, AuditLine, CardStatus, DataCategory, Document as Pdf, HeldCard, Issue,
    Language as PdfLanguage, MaskedCard, Party, RequestReceipt,
};
use desk_requests::RequestKind;
use desk_requests::model::DocumentKind;
use serde::Deserialize;
use time::OffsetDateTime;

use super::register::view;
use super::request_documents::{
    ProducedDocument, channel, document_file_name, parties_or_settings, received_at, refuse, save,
};
use super::subject_cards::{ProfileCards, all_profiles, unreadable};
use super::*;
use crate::UiLanguage;
use crate::profiles::DocumentSettings;
use crate::words::Words;

/// What the answer says in the merchant's own words, beyond the cards: who the operator (and
/// any processor) is, and the information 152-FZ ст. 14 ч. 7 and GDPR Art. 15(1) list. Lists
/// (purposes, grounds, recipients) are one item per line. The operator and the processor
/// default to Settings → Documents, as for the act ([`super::ErasureDetails`]).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AccessDetails {
    #[serde(default)]
    pub operator_name: String,
    #[serde(default)]
    pub operator_address: String,
    #[serde(default)]
    pub processor_name: Option<String>,
    #[serde(default)]
    pub processor_address: Option<String>,
    pub purposes: String,
    pub legal_grounds: String,
    pub methods: String,
    #[serde(default)]
    pub recipients: String,
    pub source: String,
    pub storage: String,
    #[serde(default)]
    pub cross_border: String,
    pub rights: String,
}

/// Longest text of one of the answer's paragraphs, in characters.
const ANSWER_TEXT_MAX: usize = 2000;

/// A paragraph of the answer: required ones 1–2000 characters, optional ones may be blank;
/// line breaks are allowed (lists), other control characters not.
fn paragraph(
    field: &str,
    label: Words<'_>,
    text: &str,
    required: bool,
) -> Result<String, DeskError> {
    let t = text.trim();
    let bad = (required && t.is_empty())
        || t.chars().count() > ANSWER_TEXT_MAX
        || t.chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t');
    if bad {
        return Err(DeskError::invalid(
            field,
            label,
            if required {
                Words::new(
                    "must be 1–2000 characters without control characters",
                    "от 1 до 2000 символов без управляющих символов",
                )
            } else {
                Words::new(
                    "must be at most 2000 characters without control characters",
                    "не длиннее 2000 символов, без управляющих символов",
                )
            },
        ));
    }
    Ok(t.to_owned())
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The checked details, as the document takes them.
struct Checked {
    operator: Party,
    processor: Option<Party>,
    purposes: Vec<String>,
    legal_grounds: Vec<String>,
    methods: String,
    recipients: Vec<String>,
    source: String,
    storage: String,
    cross_border: String,
    rights: String,
}

impl AccessDetails {
    fn checked(&self, settings: &DocumentSettings) -> Result<Checked, DeskError> {
        let (operator, processor) = parties_or_settings(
            &self.operator_name,
            &self.operator_address,
            self.processor_name.as_deref(),
            self.processor_address.as_deref(),
            settings,
        )?;
        let p = |field, en, ru, text: &str, required| {
            paragraph(field, Words::new(en, ru), text, required)
        };
        Ok(Checked {
            operator,
            processor,
            purposes: lines(&p("purposes", "purposes", "цели", &self.purposes, true)?),
            legal_grounds: lines(&p(
                "legal_grounds",
                "legal grounds",
                "правовые основания",
                &self.legal_grounds,
                true,
            )?),
            methods: p(
                "methods",
                "methods",
                "способы обработки",
                &self.methods,
                true,
            )?,
            recipients: lines(&p(
                "recipients",
                "recipients",
                "получатели",
                &self.recipients,
                false,
            )?),
            source: p("source", "source", "источник", &self.source, true)?,
            storage: p("storage", "storage", "сроки хранения", &self.storage, true)?,
            cross_border: p(
                "cross_border",
                "cross-border transfer",
                "трансграничная передача",
                &self.cross_border,
                false,
            )?,
            rights: p("rights", "rights", "права", &self.rights, true)?,
        })
    }
}

/// A saved card as the answer shows it; `None` when its expiry cannot be read.
fn held(card: &assist::Card, today: assist::YearMonth, language: UiLanguage) -> Option<HeldCard> {
    Some(HeldCard {
        card: MaskedCard {
            bin: card.bin.clone(),
            last4: card.last4.clone(),
            brand: card.brand.clone(),
            expiry_month: card.expiry.month?,
            expiry_year: card.expiry.year?,
        },
        // An empty bank would print as "not applicable"; the gateway just did not say.
        bank: if card.bank.trim().is_empty() {
            match language {
                UiLanguage::En => "not reported by the gateway",
                UiLanguage::Ru => "шлюз не сообщил",
            }
            .to_owned()
        } else {
            card.bank.clone()
        },
        held_in: None,
        status: if card.is_expired(today) {
            CardStatus::Expired
        } else if card.active {
            CardStatus::Active
        } else {
            CardStatus::Other(
                match language {
                    UiLanguage::En => "not active at the gateway",
                    UiLanguage::Ru => "не активна в шлюзе",
                }
                .to_owned(),
            )
        },
    })
}

impl Desk {
    /// Produces the answer to access request `id` (made to `version`), in `language`, saved at
    /// `dest`: the customer's saved cards as the gateway lists them now, and `details`.
    /// Refused for another kind of request, before a matched identity check, or for a request
    /// naming several customers. For a customer on "all profiles" every profile is read and
    /// the cards are listed per profile; one that cannot be read refuses the answer, named.
    pub async fn request_access_answer(
        &self,
        id: &str,
        version: u64,
        language: UiLanguage,
        details: AccessDetails,
        dest: PathBuf,
        utc_offset_minutes: Option<i32>,
    ) -> Result<ProducedDocument, DeskError> {
        let checked = details.checked(&self.settings().documents)?;
        let offset = crate::revoke::utc_offset(utc_offset_minutes)?;
        let now = OffsetDateTime::now_utc().to_offset(offset);
        self.audit_log()?;
        let request = self.request_at(id, version).await?;
        if !matches!(
            request.kind(),
            RequestKind::Access152 | RequestKind::AccessGdpr
        ) {
            return Err(refuse(
                "an answer about the data held is made for an access request",
                "ответ о хранящихся данных составляется только по запросу сведений",
            ));
        }
        if !request.identity_confirmed() {
            return Err(refuse(
                "goes only to a person identified as the customer: record an identity check \
                 that matched first",
                "направляется только тому, кто подтвердил, что он клиент: сначала запишите \
                 успешную проверку личности",
            ));
        }
        let [subject] = request.subjects() else {
            return Err(refuse(
                "an answer names one customer: this request names several",
                "ответ составляется на одного клиента, а в обращении их несколько",
            ));
        };
        // What the gateway holds now, not what a cache remembers: in the request's profile, or
        // in every profile (each card saying where) when it covers all of them.
        let every = all_profiles(subject);
        let customer = subject.customer_number.as_str();
        let mut per_profile = Vec::new();
        for ProfileCards { record, cards } in self.subject_cards(subject).await? {
            match cards {
                Ok(cards) => per_profile.push((record, cards)),
                Err(e) if every => return Err(unreadable(&record, customer, e)),
                Err(e) => return Err(e),
            }
        }
        let as_of = OffsetDateTime::now_utc().to_offset(offset);
        let today = super::today(now_ms());
        let mut held_cards: Vec<HeldCard> = Vec::new();
        for (record, cards) in &per_profile {
            for c in cards {
                let mut card = held(c, today, language).ok_or_else(|| {
                    refuse(
                        "a saved card's expiry date could not be read from the gateway's answer",
                        "срок действия одной из сохранённых карт не удалось прочитать в ответе \
                         шлюза",
                    )
                })?;
                if every {
                    card.held_in = Some(record.name.clone());
                }
                held_cards.push(card);
            }
        }
        let held = held_cards;
        let accounts: Vec<String> = if every {
            per_profile.iter().map(|(r, _)| r.name.clone()).collect()
        } else {
            Vec::new()
        };
        let in_each = if every {
            let each: Vec<String> = per_profile
                .iter()
                .map(|(r, cards)| format!("{} {}", r.name, cards.len()))
                .collect();
            format!("; in all profiles: {}", each.join(", "))
        } else {
            String::new()
        };
        // The read is the answer's evidence: a finding in the log, under the request.
        let finding = self
            .record_request_event(
                &request,
                format!(
                    "finding: {} saved card{} held for the customer at the gateway (card list \
                     read {}{in_each}) for the access answer",
                    held.len(),
                    if held.len() == 1 { "" } else { "s" },
                    as_of.to_offset(time::UtcOffset::UTC)
                ),
            )
            .await?;
        let line = AuditLine {
            seq: finding.seq,
            line: serde_json::to_string(&finding)
                .map_err(|e| DeskError::internal(format!("audit line: {e}")))?,
        };
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| document_file_name(id, DocumentKind::Answer, language));
        let document = Pdf::AccessAnswer(AccessAnswer {
            operator: checked.operator,
            customer_number: subject.customer_number.as_str().to_owned(),
            request: RequestReceipt {
                received_at: received_at(request.received()),
                channel: channel(request.channel(), language),
                ticket: request.ticket().map(str::to_owned),
            },
            as_of,
            cards: held,
            accounts,
            categories: vec![
                DataCategory::CustomerNumber,
                DataCategory::CardToken,
                DataCategory::MaskedCardNumber,
                DataCategory::Expiry,
                DataCategory::BrandAndBank,
            ],
            purposes: checked.purposes,
            legal_grounds: checked.legal_grounds,
            methods: checked.methods,
            recipients: checked.recipients,
            source: checked.source,
            storage: checked.storage,
            processor: checked.processor,
            cross_border: checked.cross_border,
            rights: checked.rights,
            issue: Issue {
                document_id: format!("{}-{}", request.id(), finding.seq),
                generated_at: now,
                audit_entries: vec![line],
            },
        });
        let pdf_language = match language {
            UiLanguage::Ru => PdfLanguage::Ru,
            UiLanguage::En => PdfLanguage::En,
        };
        let written_to = dest.clone();
        let rendered = blocking(move || {
            let rendered = desk_documents::render(&document, pdf_language)
                .map_err(|e| DeskError::internal(format!("the document: {e}")))?;
            save(&written_to, &rendered.bytes)?;
            Ok(rendered)
        })
        .await?;
        let sha256 = rendered.sha256_hex.clone();
        let updated = self
            .record_document(request.id(), DocumentKind::Answer, &name, &sha256)
            .await?;
        self.record_request_event(&updated, format!("document: answer {name} sha256 {sha256}"))
            .await?;
        *lock(&self.last_export) = Some(dest.clone());
        Ok(ProducedDocument {
            kind: DocumentKind::Answer,
            name,
            path: dest.display().to_string(),
            sha256,
            request: view(updated, now.date()),
        })
    }
}
