//! Why: a request ends in a document the customer (or a regulator) can keep, and the desk must
//! be able to prove years later which file it produced. This turns a request's linked audit
//! entries into the 376-FZ confirmation (docs/documents.md), re-reads the customer's card list
//! first so the document never says less than the gateway shows, saves it owner-only where the
//! agent chose, and records its SHA-256 both in the request and in the audit chain (a
//! `request_event` naming the file and the digest), which `carddesk audit verify-document`
//! checks a file against.

use std::path::PathBuf;

use desk_documents::{
    AuditLine, CardRemoval, Confirmation, DataCategory, Document as Pdf, DocumentError, ErasureAct,
    ErasureLog, ErasureLogEntry, ErasureReason, Issue, Language as PdfLanguage, MaskedCard,
    MerchantSource, Party, RemovalOutcome, RequestReceipt, Signatory,
};
use desk_requests::model::{Channel, DocumentKind, Received, RemovalResult};
use desk_requests::{RequestError, RequestId, RequestKind};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::register::{register_error, view};
use super::*;
use crate::UiLanguage;
use crate::profiles::DocumentSettings;
use crate::words::Words;

/// A document saved for a request: where, its digest, and the request as it is now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ProducedDocument {
    pub kind: DocumentKind,
    /// The file's name (no folder).
    pub name: String,
    /// Where it was saved, for the agent to read (the window never sends a path back).
    pub path: String,
    /// 64 lowercase hex digits: also in the request and in the audit log.
    pub sha256: String,
    pub request: RequestView,
}

/// What the Order 179 act needs beyond the request and the log: who the operator (and any
/// processor) is, the information system, and who destroyed the data (they sign the act).
/// The operator, the processor and the system default to Settings → Documents: a blank
/// operator name (or system) takes Settings', and so does an absent (`null`) processor; a
/// processor given blank means none for this act.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ErasureDetails {
    #[serde(default)]
    pub operator_name: String,
    #[serde(default)]
    pub operator_address: String,
    #[serde(default)]
    pub processor_name: Option<String>,
    #[serde(default)]
    pub processor_address: Option<String>,
    #[serde(default)]
    pub information_system: String,
    pub destroyed_by: Vec<ErasureSignatory>,
}

/// A person who destroyed the data: full name and position, printed above a signature line.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ErasureSignatory {
    pub name: String,
    pub position: String,
}

/// Longest text of an act's field, in characters.
const ACT_TEXT_MAX: usize = 300;

pub(super) fn act_text(field: &str, label: Words<'_>, text: &str) -> Result<String, DeskError> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > ACT_TEXT_MAX || t.chars().any(char::is_control) {
        return Err(DeskError::invalid(
            field,
            label,
            Words::new(
                "must be 1–300 characters without control characters",
                "от 1 до 300 символов без управляющих символов",
            ),
        ));
    }
    Ok(t.to_owned())
}

/// The operator and, when named, the processor, as every document names them (fields
/// `operator_name`, `operator_address`, `processor_name`, `processor_address`).
pub(super) fn parties(
    operator_name: &str,
    operator_address: &str,
    processor_name: Option<&str>,
    processor_address: Option<&str>,
) -> Result<(Party, Option<Party>), DeskError> {
    let operator = Party {
        name: act_text(
            "operator_name",
            Words::new("operator", "оператор"),
            operator_name,
        )?,
        address: act_text(
            "operator_address",
            Words::new("operator's address", "адрес оператора"),
            operator_address,
        )?,
    };
    let processor = match processor_name.map(str::trim).filter(|n| !n.is_empty()) {
        None => None,
        Some(name) => Some(Party {
            name: act_text(
                "processor_name",
                Words::new("processor", "обработчик"),
                name,
            )?,
            address: act_text(
                "processor_address",
                Words::new("processor's address", "адрес обработчика"),
                processor_address.unwrap_or_default(),
            )?,
        }),
    };
    Ok((operator, processor))
}

/// The operator and the processor as a document names them: those given for this document,
/// else Settings → Documents' (`settings`). A blank `operator_name` takes Settings' operator
/// (name and address); an absent processor takes Settings' (none when Settings has none), a
/// blank one is none. Refused, naming `operator_name` (or `operator_address`), when neither
/// gives an operator.
pub(super) fn parties_or_settings(
    operator_name: &str,
    operator_address: &str,
    processor_name: Option<&str>,
    processor_address: Option<&str>,
    settings: &DocumentSettings,
) -> Result<(Party, Option<Party>), DeskError> {
    let (name, address) = if operator_name.trim().is_empty() {
        if settings.operator_name.trim().is_empty() {
            return Err(DeskError::invalid(
                "operator_name",
                Words::new("operator", "оператор"),
                Words::new(
                    "is not given: set the operator in Settings → Documents, or give it here",
                    "не указан: задайте оператора в настройках («Документы») или укажите его здесь",
                ),
            ));
        }
        if settings.operator_address.trim().is_empty() {
            return Err(DeskError::invalid(
                "operator_address",
                Words::new("operator's address", "адрес оператора"),
                Words::new(
                    "is not given: add it in Settings → Documents, or give it here",
                    "не указан: добавьте его в настройках («Документы») или укажите здесь",
                ),
            ));
        }
        (
            settings.operator_name.as_str(),
            settings.operator_address.as_str(),
        )
    } else {
        (operator_name, operator_address)
    };
    let (processor_name, processor_address) = match processor_name {
        None => (
            Some(settings.processor_name.as_str()),
            Some(settings.processor_address.as_str()),
        ),
        Some(n) => (Some(n), processor_address),
    };
    parties(name, address, processor_name, processor_address)
}

/// The information system a document names: the one given, else Settings'.
fn information_system(given: &str, settings: &DocumentSettings) -> Result<String, DeskError> {
    let label = Words::new("information system", "информационная система");
    let text = if given.trim().is_empty() {
        settings.information_system.as_str()
    } else {
        given
    };
    if text.trim().is_empty() {
        return Err(DeskError::invalid(
            "information_system",
            label,
            Words::new(
                "is not given: set it in Settings → Documents, or give it here",
                "не указана: задайте её в настройках («Документы») или укажите здесь",
            ),
        ));
    }
    act_text("information_system", label, text)
}

/// The confirmation's merchant, checked like the act's operator: `None` when no name is given
/// (the document then names the gateway profile), the address optional.
fn merchant_details(merchant: Option<Party>) -> Result<Option<Party>, DeskError> {
    let Some(m) = merchant.filter(|m| !m.name.trim().is_empty()) else {
        return Ok(None);
    };
    let address = if m.address.trim().is_empty() {
        String::new()
    } else {
        act_text(
            "operator_address",
            Words::new("operator's address", "адрес оператора"),
            &m.address,
        )?
    };
    Ok(Some(Party {
        name: act_text("operator_name", Words::new("operator", "оператор"), &m.name)?,
        address,
    }))
}

impl ErasureDetails {
    fn checked(
        &self,
        settings: &DocumentSettings,
    ) -> Result<(Party, Option<Party>, String, Vec<Signatory>), DeskError> {
        let (operator, processor) = parties_or_settings(
            &self.operator_name,
            &self.operator_address,
            self.processor_name.as_deref(),
            self.processor_address.as_deref(),
            settings,
        )?;
        let system = information_system(&self.information_system, settings)?;
        if self.destroyed_by.is_empty() {
            return Err(DeskError::invalid(
                "destroyed_by",
                Words::new("destroyed by", "уничтожившие"),
                Words::new(
                    "must name at least one person, who signs the act",
                    "нужно указать хотя бы одного человека — он подписывает акт",
                ),
            ));
        }
        let mut people = Vec::new();
        for (i, p) in self.destroyed_by.iter().enumerate() {
            people.push(Signatory {
                name: act_text(
                    &format!("destroyed_by[{i}].name"),
                    Words::new("name", "ФИО"),
                    &p.name,
                )?,
                position: act_text(
                    &format!("destroyed_by[{i}].position"),
                    Words::new("position", "должность"),
                    &p.position,
                )?,
            });
        }
        Ok((operator, processor, system, people))
    }
}

/// A document the documents crate refused (an unsettled card, nothing destroyed), in words.
fn document_refused(e: DocumentError) -> DeskError {
    match e {
        DocumentError::OutcomeUnknown { .. }
        | DocumentError::NotRemoved { .. }
        | DocumentError::NothingDestroyed
        | DocumentError::NoAuditEntries => DeskError::new(ErrorCode::Validation, e.to_string())
            .ru(format!(
                "документ не составлен: {}",
                match e {
                    DocumentError::OutcomeUnknown { .. } => {
                        "результат удаления карты неизвестен — сначала проверьте список карт \
                         клиента ещё раз"
                    }
                    DocumentError::NotRemoved { .. } => "карта всё ещё хранится в шлюзе",
                    _ => "по этому обращению не удалено ни одной карты",
                }
            ))
            .with_field("document"),
        other => DeskError::internal(format!("the document: {other}")),
    }
}

const DOCUMENT: Words<'static> = Words::new("document", "документ");

pub(super) fn refuse(en: &'static str, ru: &'static str) -> DeskError {
    DeskError::invalid("document", DOCUMENT, Words::new(en, ru))
}

/// The file name a document of `kind` for request `id` is offered under.
pub fn document_file_name(id: &str, kind: DocumentKind, language: UiLanguage) -> String {
    let short: String = id.chars().take(8).collect();
    let what = match (kind, language) {
        (DocumentKind::Confirmation, UiLanguage::Ru) => "podtverzhdenie-otkaza",
        (DocumentKind::Confirmation, UiLanguage::En) => "refusal-confirmation",
        (DocumentKind::Answer, _) => "answer",
        (DocumentKind::DestructionAct, _) => "destruction-act",
        (DocumentKind::LogExport, _) => "log-export",
        (DocumentKind::ExtensionNotice, _) => "extension-notice",
        (DocumentKind::Other, _) => "document",
    };
    format!("carddesk-{short}-{what}.pdf")
}

fn masked_card(card: &crate::audit::CardSummary) -> Option<MaskedCard> {
    let (month, year) = card.expiry.split_once('/')?;
    Some(MaskedCard {
        bin: card.bin.clone(),
        last4: card.last4.clone(),
        brand: card.brand.clone(),
        expiry_month: month.parse().ok()?,
        expiry_year: year.parse().ok()?,
    })
}

pub(super) fn channel(c: Channel, language: UiLanguage) -> desk_documents::Channel {
    match c {
        Channel::Email => desk_documents::Channel::Email,
        Channel::Phone => desk_documents::Channel::Phone,
        Channel::Letter => desk_documents::Channel::Letter,
        Channel::WebForm => desk_documents::Channel::WebForm,
        Channel::Ticket => desk_documents::Channel::Other(
            match language {
                UiLanguage::En => "helpdesk ticket",
                UiLanguage::Ru => "обращение в службу поддержки",
            }
            .to_owned(),
        ),
    }
}

pub(super) fn received_at(r: &Received) -> OffsetDateTime {
    match *r {
        Received::Instant { at, offset } => {
            time::UtcOffset::from_whole_seconds(i32::from(offset) * 60)
                .map_or(at, |o| at.to_offset(o))
        }
        Received::Day { date } => date.midnight().assume_utc(),
    }
}

/// Writes a produced document owner-only (it names a customer) and makes it durable.
pub(super) fn save(path: &std::path::Path, bytes: &[u8]) -> Result<(), DeskError> {
    let mut file = crate::audit::create_export(path).map_err(DeskError::from)?;
    std::io::Write::write_all(&mut file, bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| DeskError::internal(format!("{} cannot be written: {e}", path.display())))
}

/// For a subject on "all profiles", the profiles whose card lists were read, as a finding
/// names them (`; customer 1234 in profiles A, B`); nothing for a subject on one profile.
fn profiles_read(subject: &desk_requests::model::Subject, read: &[ProfileRecord]) -> String {
    if !super::subject_cards::all_profiles(subject) {
        return String::new();
    }
    let names: Vec<&str> = read.iter().map(|r| r.name.as_str()).collect();
    format!(
        "; customer {} in all profiles: {}",
        subject.customer_number.as_str(),
        names.join(", ")
    )
}

fn entry_time(e: &AuditEntry) -> Result<OffsetDateTime, DeskError> {
    OffsetDateTime::parse(&e.time, &Rfc3339)
        .map_err(|err| DeskError::internal(format!("audit entry {}: time: {err}", e.seq)))
}

impl Desk {
    /// Produces the 376-FZ confirmation for request `id` (made to `version`), in `language`,
    /// saved at `dest`. Refused while the customer still holds saved cards, while the card list
    /// cannot be read, or for a request of another kind. `merchant` names the merchant as the
    /// operator's details do for the erasure act and the access answer (fields `operator_name`,
    /// `operator_address`; the address may be blank); without a name, Settings → Documents'
    /// operator does; without that either, the document names the gateway profiles read and
    /// says that is what it is.
    pub async fn request_confirmation(
        &self,
        id: &str,
        version: u64,
        language: UiLanguage,
        merchant: Option<Party>,
        dest: PathBuf,
        utc_offset_minutes: Option<i32>,
    ) -> Result<ProducedDocument, DeskError> {
        let merchant = merchant_details(merchant)?.or_else(|| {
            let d = self.settings().documents;
            (!d.operator_name.trim().is_empty()).then_some(Party {
                name: d.operator_name,
                address: d.operator_address,
            })
        });
        let offset = crate::revoke::utc_offset(utc_offset_minutes)?;
        let now = OffsetDateTime::now_utc().to_offset(offset);
        self.audit_log()?;
        let request = self.request_at(id, version).await?;
        let request_id = request.id().clone();
        if request.kind() != RequestKind::CardRefusal {
            return Err(refuse(
                "a confirmation of a refusal is made for a 376-FZ refusal request",
                "подтверждение отказа делается только по обращению об отказе (376-ФЗ)",
            ));
        }
        let [subject] = request.subjects() else {
            return Err(refuse(
                "a confirmation names one customer: this request names several",
                "подтверждение составляется на одного клиента, а в обращении их несколько",
            ));
        };
        // The document must not say less than the gateway shows: read the list now, in every
        // profile the request covers.
        let read = self
            .none_held(subject, || {
                refuse(
                    "the customer still has saved cards at the gateway: remove them for this \
                     request first",
                    "у клиента в шлюзе ещё есть сохранённые карты: сначала удалите их по этому \
                     обращению",
                )
            })
            .await?;
        let (merchant, merchant_named_by) = match merchant {
            Some(party) => (party, MerchantSource::OperatorDetails),
            None => (
                Party {
                    name: read
                        .iter()
                        .map(|r| r.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    address: String::new(),
                },
                MerchantSource::GatewayProfile,
            ),
        };
        let checked_at = OffsetDateTime::now_utc().to_offset(offset);
        let (removals, mut lines) = self.linked_removals(&request, offset).await?;
        // The read just made is evidence too: a finding in the log, under the request.
        let finding = self
            .record_request_event(
                &request,
                format!(
                    "finding: no saved cards held for the customer at the gateway \
                     (card list read {}{})",
                    checked_at.to_offset(time::UtcOffset::UTC),
                    profiles_read(subject, &read)
                ),
            )
            .await?;
        lines.push(AuditLine {
            seq: finding.seq,
            line: serde_json::to_string(&finding)
                .map_err(|e| DeskError::internal(format!("audit line: {e}")))?,
        });
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| document_file_name(id, DocumentKind::Confirmation, language));
        let document = Pdf::Confirmation(Confirmation {
            merchant,
            merchant_named_by,
            customer_number: subject.customer_number.as_str().to_owned(),
            request: RequestReceipt {
                received_at: received_at(request.received()),
                channel: channel(request.channel(), language),
                ticket: request.ticket().map(str::to_owned),
            },
            cards: removals.into_iter().map(|(r, _, _)| r).collect(),
            checked_at,
            issue: Issue {
                document_id: format!("{}-{}", request.id(), finding.seq),
                generated_at: now,
                audit_entries: lines,
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
            .record_document(&request_id, DocumentKind::Confirmation, &name, &sha256)
            .await?;
        self.record_request_event(
            &updated,
            format!("document: confirmation {name} sha256 {sha256}"),
        )
        .await?;
        *lock(&self.last_export) = Some(dest.clone());
        Ok(ProducedDocument {
            kind: DocumentKind::Confirmation,
            name,
            path: dest.display().to_string(),
            sha256,
            request: view(updated, now.date()),
        })
    }

    /// Produces the Order 179 act of destruction for erasure request `id` (made to `version`)
    /// and its event-log export (PDF and CSV) in folder `dir`. Refused while a linked removal's
    /// outcome is unknown, while the customer still holds saved cards, or when nothing was
    /// removed; each file's SHA-256 goes into the request and the audit chain.
    pub async fn request_erasure_documents(
        &self,
        id: &str,
        version: u64,
        language: UiLanguage,
        details: ErasureDetails,
        dir: PathBuf,
        utc_offset_minutes: Option<i32>,
    ) -> Result<Vec<ProducedDocument>, DeskError> {
        let (operator, processor, system, people) = details.checked(&self.settings().documents)?;
        let offset = crate::revoke::utc_offset(utc_offset_minutes)?;
        let now = OffsetDateTime::now_utc().to_offset(offset);
        self.audit_log()?;
        let request = self.request_at(id, version).await?;
        let reason = match request.kind() {
            RequestKind::Erasure152 => ErasureReason::ConsentWithdrawn,
            RequestKind::ErasureGdpr => ErasureReason::GdprErasure,
            _ => {
                return Err(refuse(
                    "an act of destruction is made for an erasure request",
                    "акт об уничтожении составляется только по обращению об удалении данных",
                ));
            }
        };
        // Every customer of the request must hold no saved card any more, in every profile
        // their subject covers ("all profiles": each one, read now).
        let mut read = String::new();
        for subject in request.subjects() {
            let records = self
                .none_held(subject, || {
                    refuse(
                        "a customer of this request still has saved cards at the gateway: \
                         remove them for this request first",
                        "у клиента по этому обращению ещё есть сохранённые карты в шлюзе: \
                         сначала удалите их",
                    )
                })
                .await?;
            read.push_str(&profiles_read(subject, &records));
        }
        let checked_at = OffsetDateTime::now_utc().to_offset(offset);
        let (removals, mut lines) = self.linked_removals(&request, offset).await?;
        let finding = self
            .record_request_event(
                &request,
                format!(
                    "finding: no saved cards held for the request's customers at the gateway \
                     (card lists read {}{read})",
                    checked_at.to_offset(time::UtcOffset::UTC)
                ),
            )
            .await?;
        lines.push(AuditLine {
            seq: finding.seq,
            line: serde_json::to_string(&finding)
                .map_err(|e| DeskError::internal(format!("audit line: {e}")))?,
        });
        let subject_of = |customer: &str| match language {
            UiLanguage::En => format!("customer number {customer}"),
            UiLanguage::Ru => format!("клиент с номером {customer}"),
        };
        let subjects: Vec<String> = request
            .subjects()
            .iter()
            .map(|s| subject_of(s.customer_number.as_str()))
            .collect();
        let categories = vec![
            DataCategory::CardToken,
            DataCategory::MaskedCardNumber,
            DataCategory::Expiry,
            DataCategory::BrandAndBank,
        ];
        let issue = Issue {
            document_id: format!("{}-{}", request.id(), finding.seq),
            generated_at: now,
            audit_entries: lines,
        };
        let act = Pdf::ErasureAct(ErasureAct {
            operator: operator.clone(),
            processor,
            subject: subjects.join("; "),
            destroyed_by: people,
            categories: categories.clone(),
            information_system: system.clone(),
            reason: reason.clone(),
            removals: removals.iter().map(|(r, _, _)| r.clone()).collect(),
            issue: issue.clone(),
        });
        let log = ErasureLog {
            operator,
            information_system: system,
            entries: removals
                .iter()
                .map(|(r, customer, hash)| ErasureLogEntry {
                    subject: subject_of(customer),
                    card: r.card.clone(),
                    categories: categories.clone(),
                    reason: reason.clone(),
                    outcome: r.outcome.clone(),
                    audit_entry_hash: hash.clone(),
                })
                .collect(),
            issue,
        };
        let pdf_language = match language {
            UiLanguage::Ru => PdfLanguage::Ru,
            UiLanguage::En => PdfLanguage::En,
        };
        let rendered = blocking(move || {
            let act = desk_documents::render(&act, pdf_language).map_err(document_refused)?;
            let log_pdf = desk_documents::render(&Pdf::ErasureLog(log.clone()), pdf_language)
                .map_err(document_refused)?;
            let log_csv =
                desk_documents::erasure_log_csv(&log, pdf_language).map_err(document_refused)?;
            Ok([act, log_pdf, log_csv])
        })
        .await?;
        let short: String = id.chars().take(8).collect();
        let files = [
            (
                DocumentKind::DestructionAct,
                format!("carddesk-{short}-destruction-act.pdf"),
            ),
            (
                DocumentKind::LogExport,
                format!("carddesk-{short}-log-export.pdf"),
            ),
            (
                DocumentKind::LogExport,
                format!("carddesk-{short}-log-export.csv"),
            ),
        ];
        let mut produced = Vec::new();
        let mut latest = request;
        for ((kind, name), rendered) in files.into_iter().zip(rendered) {
            let path = dir.join(&name);
            let written_to = path.clone();
            let bytes = rendered.bytes;
            blocking(move || save(&written_to, &bytes)).await?;
            latest = self
                .record_document(latest.id(), kind, &name, &rendered.sha256_hex)
                .await?;
            let what = match kind {
                DocumentKind::DestructionAct => "act of destruction",
                _ => "event-log export",
            };
            self.record_request_event(
                &latest,
                format!("document: {what} {name} sha256 {}", rendered.sha256_hex),
            )
            .await?;
            produced.push((kind, name, path, rendered.sha256_hex));
        }
        *lock(&self.last_export) = produced.first().map(|(_, _, p, _)| p.clone());
        let today = now.date();
        Ok(produced
            .into_iter()
            .map(|(kind, name, path, sha256)| ProducedDocument {
                kind,
                name,
                path: path.display().to_string(),
                sha256,
                request: view(latest.clone(), today),
            })
            .collect())
    }

    /// Each removal linked to `request`, from its audit entry (checked against the linked hash),
    /// with the entries' exact lines.
    async fn linked_removals(
        &self,
        request: &desk_requests::Request,
        offset: time::UtcOffset,
    ) -> Result<(Vec<(CardRemoval, String, String)>, Vec<AuditLine>), DeskError> {
        let audit = self.audit_log()?;
        let links: Vec<_> = request.removals().cloned().collect();
        let wanted: Vec<u64> = links.iter().map(|l| l.audit.seq).collect();
        let log = audit.clone();
        let entries = blocking(move || {
            crate::audit::read_entries(log.path())
                .map(|all| {
                    all.into_iter()
                        .filter(|e| wanted.contains(&e.seq))
                        .collect::<Vec<_>>()
                })
                .map_err(DeskError::from)
        })
        .await?;
        let mut removals = Vec::new();
        let mut lines = Vec::new();
        for link in &links {
            let Some(entry) = entries.iter().find(|e| e.seq == link.audit.seq) else {
                return Err(DeskError::new(
                    ErrorCode::AuditLog,
                    format!(
                        "audit entry {} linked to the request is not in the live log (archived?)",
                        link.audit.seq
                    ),
                ));
            };
            if entry.hash != link.audit.hash {
                return Err(DeskError::new(
                    ErrorCode::AuditLog,
                    format!(
                        "audit entry {} is not the one linked to the request (its hash differs)",
                        entry.seq
                    ),
                ));
            }
            let at = entry_time(entry)?.to_offset(offset);
            let Some(card) = entry.card.as_ref().and_then(masked_card) else {
                continue;
            };
            let outcome = match (link.result, entry.outcome) {
                (RemovalResult::Unknown, _) => RemovalOutcome::Unknown,
                (_, Some(crate::audit::AuditOutcome::AlreadyRemoved)) => {
                    RemovalOutcome::AlreadyRemoved { confirmed_at: at }
                }
                (RemovalResult::Removed, _) => RemovalOutcome::Removed {
                    removed_at: at,
                    confirmed_at: at,
                },
                (RemovalResult::NotRemoved, _) => RemovalOutcome::NotRemoved { checked_at: at },
            };
            removals.push((
                CardRemoval { card, outcome },
                entry.customer.clone().unwrap_or_default(),
                entry.hash.clone(),
            ));
            lines.push(AuditLine {
                seq: entry.seq,
                line: serde_json::to_string(entry)
                    .map_err(|e| DeskError::internal(format!("audit line: {e}")))?,
            });
        }
        Ok((removals, lines))
    }

    /// Request `id` as the agent saw it: a conflict if it changed since `version`.
    pub(super) async fn request_at(
        &self,
        id: &str,
        version: u64,
    ) -> Result<desk_requests::Request, DeskError> {
        let request_id = RequestId::parse(id).map_err(register_error)?;
        let store = self.register.store()?;
        let rid = request_id.clone();
        let request = blocking(move || store.get(&rid).map_err(register_error)).await?;
        if request.version() != version {
            return Err(register_error(RequestError::Stale {
                id: request_id,
                expected: version,
                found: request.version(),
            }));
        }
        Ok(request)
    }

    /// Records a document on the request, reading it again if a colleague changed it meanwhile.
    pub(super) async fn record_document(
        &self,
        id: &RequestId,
        kind: DocumentKind,
        name: &str,
        sha256: &str,
    ) -> Result<desk_requests::Request, DeskError> {
        let store = self.register.store()?;
        let by = Self::operator(&self.settings()).display_name;
        let (id, name, sha256) = (id.clone(), name.to_owned(), sha256.to_owned());
        blocking(move || {
            for _ in 0..3 {
                let mut request = store.get(&id).map_err(register_error)?;
                request
                    .add_document(kind, &name, &sha256, &by, OffsetDateTime::now_utc())
                    .map_err(register_error)?;
                match store.update(&request) {
                    Err(RequestError::Stale { .. }) => continue,
                    other => return other.map_err(register_error),
                }
            }
            Err(DeskError::new(
                ErrorCode::Conflict,
                "the request kept changing while the document was recorded: reload it",
            ))
        })
        .await
    }
}
