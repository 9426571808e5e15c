//! Why: a proof document that cannot be produced honestly must say so in a way the caller can
//! act on. Each refusal is its own variant (an unsettled card, nothing destroyed, no audit
//! basis, a malformed field), apart from the machinery failures (PDF, CSV) and a digest that
//! does not match.

/// Why a document was not produced, or why its bytes are not the ones expected.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum DocumentError {
    /// The erasure act or its log export was asked for while a card's removal is not settled:
    /// a document of destruction must not claim what no read-back has confirmed.
    #[error(
        "the erasure act cannot be produced: the removal of {cards} is unknown — not yet \
         confirmed; settle it by re-reading the customer's card list first",
        cards = .cards.join(", ")
    )]
    OutcomeUnknown {
        /// The masked numbers of the unsettled cards.
        cards: Vec<String>,
    },
    /// The erasure act was asked for while a card is still listed at the gateway.
    #[error(
        "the erasure act cannot be produced: {cards} is still held at the gateway (not removed)",
        cards = .cards.join(", ")
    )]
    NotRemoved {
        /// The masked numbers of the cards still listed.
        cards: Vec<String>,
    },
    /// The erasure act was asked for, but no card was removed by this request (none given,
    /// or every one was already gone): there is no destruction to attest.
    #[error("the erasure act cannot be produced: no card was removed by this request")]
    NothingDestroyed,
    /// The document names no audit entry: its digest would rest on nothing.
    #[error("the document names no audit entry to rest on")]
    NoAuditEntries,
    /// An input field is malformed (e.g. a BIN that is not six digits).
    #[error("{field}: {reason}")]
    Invalid {
        /// The input field, as `card.bin`.
        field: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The PDF writer refused the document (a font, or a PDF/A rule).
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    /// The CSV writer failed.
    #[error("the CSV could not be written: {0}")]
    Csv(String),
    /// The bytes are not the document whose digest was recorded.
    #[error("the document's SHA-256 is {actual}, not the recorded {expected}")]
    DigestMismatch {
        /// The digest recorded when the document was issued.
        expected: String,
        /// The digest of the bytes at hand.
        actual: String,
    },
}
