//! Why: the register keeps each document's SHA-256 so the file can be checked later, and a
//! lost file can be issued again from the same facts only if rendering is deterministic:
//! the same input must give byte-identical PDF and CSV, and `verify` must tell them apart from
//! anything else.
#![allow(clippy::unwrap_used)]

mod sample;

use desk_documents::*;
use sample::*;

fn every_document(lang: Language) -> Vec<Document> {
    vec![
        Document::Confirmation(confirmation(lang, two_cards())),
        Document::Confirmation(confirmation(lang, vec![])),
        Document::AccessAnswer(access(lang)),
        Document::ErasureAct(act(lang, two_cards())),
        Document::ErasureLog(log(lang, two_cards())),
    ]
}

#[test]
fn the_same_input_renders_to_the_same_bytes() {
    for lang in [Language::En, Language::Ru] {
        for doc in every_document(lang) {
            let first = render(&doc, lang).unwrap();
            let second = render(&doc, lang).unwrap();
            assert!(first.bytes == second.bytes, "{doc:?} is not deterministic");
            assert_eq!(first.sha256_hex, second.sha256_hex);
            assert!(first.bytes.starts_with(b"%PDF-"));
            verify(&first.bytes, &first.sha256_hex).unwrap();
        }
        let log = log(lang, two_cards());
        assert_eq!(
            erasure_log_csv(&log, lang).unwrap(),
            erasure_log_csv(&log, lang).unwrap()
        );
    }
}

#[test]
fn a_changed_fact_or_a_changed_byte_changes_the_digest() {
    let doc = confirmation(Language::En, two_cards());
    let original = render(&Document::Confirmation(doc.clone()), Language::En).unwrap();
    let mut other = doc;
    other.customer_number = "100235".into();
    let changed = render(&Document::Confirmation(other), Language::En).unwrap();
    assert_ne!(original.sha256_hex, changed.sha256_hex);
    let mut tampered = original.bytes.clone();
    let last = tampered.len() - 2;
    tampered[last] ^= 1;
    assert!(matches!(
        verify(&tampered, &original.sha256_hex),
        Err(DocumentError::DigestMismatch { .. })
    ));
}

#[test]
fn the_pdf_declares_pdf_a_2b_and_the_input_creation_date() {
    let r = render(
        &Document::ErasureAct(act(Language::Ru, two_cards())),
        Language::Ru,
    )
    .unwrap();
    let raw = String::from_utf8_lossy(&r.bytes);
    assert!(
        raw.contains("<pdfaid:part>2</pdfaid:part>"),
        "no PDF/A part"
    );
    assert!(raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    assert!(
        raw.contains("2026-12-07T14:30:00+03:00"),
        "creation date from the input"
    );
}
