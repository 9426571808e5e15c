//! Why: a support desk that removes saved cards has to prove it: to the customer (a 376-FZ
//! confirmation), to a data subject who asks what is held (152-FZ ст. 14, GDPR Art. 15), and
//! to Roskomnadzor (the Order 179 act of destruction and its event-log export). This crate
//! turns plain facts into those documents as deterministic PDF/A files (and the export also as
//! CSV), each with the SHA-256 of its bytes, and refuses to issue a document of destruction
//! while a card's removal is not settled. docs/documents.md describes each document field by
//! field.
//!
//! It knows nothing of the desk, the register or Tauri: a later step maps the register's
//! records onto the input types here.

mod access;
mod confirmation;
mod digest;
mod erasure_act;
mod erasure_log;
mod error;
mod face;
mod input;
mod issue;
mod language;
mod pdf;
mod removals;
mod sheet;

pub use access::{AccessAnswer, CardStatus, HeldCard};
pub use confirmation::{Confirmation, MerchantSource};
pub use digest::{Rendered, audit_digest, sha256_hex, verify};
pub use erasure_act::{ErasureAct, Signatory};
pub use erasure_log::{ErasureLog, ErasureLogEntry, erasure_log_csv};
pub use error::DocumentError;
pub use input::{
    AuditLine, CardRemoval, Channel, DataCategory, ErasureReason, Issue, MaskedCard, Party,
    RemovalOutcome, RequestReceipt,
};
pub use language::Language;

/// A document to render.
// One is built per rendering and dropped after it: the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Document {
    /// The 376-FZ confirmation to the customer.
    Confirmation(Confirmation),
    /// The answer to an access request (152-FZ ст. 14, GDPR Art. 15).
    AccessAnswer(AccessAnswer),
    /// The act of destruction (Order 179 п. 3).
    ErasureAct(ErasureAct),
    /// The event-log export that goes with the act (Order 179 п. 5).
    ErasureLog(ErasureLog),
}

/// Renders `document` in `language` as PDF/A-2b. The same input gives the same bytes.
pub fn render(document: &Document, language: Language) -> Result<Rendered, DocumentError> {
    let faces = face::Faces::load()?;
    let bytes = match document {
        Document::Confirmation(d) => d.render(&faces, language)?,
        Document::AccessAnswer(d) => d.render(&faces, language)?,
        Document::ErasureAct(d) => d.render(&faces, language)?,
        Document::ErasureLog(d) => d.render(&faces, language)?,
    };
    Ok(Rendered::new(bytes))
}
