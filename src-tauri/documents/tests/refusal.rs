//! Why: a proof document must not claim what is not settled. A card whose removal's reply was
//! lost reads "unknown — not yet confirmed" in the confirmation, and the act and the log
//! export — documents of destruction — refuse to exist until every card is settled, naming
//! the card.
#![allow(clippy::unwrap_used)]

mod sample;

use desk_documents::*;
use sample::*;

fn with_unknown() -> Vec<CardRemoval> {
    let mut cards = two_cards();
    cards[1].outcome = RemovalOutcome::Unknown;
    cards
}

#[test]
fn the_confirmation_says_unknown_rather_than_removed() {
    let (_keep, dir) = out_dir();
    for (lang, name, words) in [
        (
            Language::En,
            "confirmation-unknown-en.pdf",
            "unknown — not yet confirmed",
        ),
        (
            Language::Ru,
            "confirmation-unknown-ru.pdf",
            "неизвестно — ещё не подтверждено",
        ),
    ] {
        let r = render(
            &Document::Confirmation(confirmation(lang, with_unknown())),
            lang,
        )
        .unwrap();
        let text = write_and_read(&dir, name, &r.bytes);
        assert_has(&text, &["2200 70•• •••• 4417", words]);
    }
}

#[test]
fn the_act_and_the_log_refuse_while_a_removal_is_unknown() {
    for lang in [Language::En, Language::Ru] {
        let expected = DocumentError::OutcomeUnknown {
            cards: vec!["2200 70•• •••• 4417".into()],
        };
        let act = act(lang, with_unknown());
        assert_eq!(act.destroyed_at(), Err(expected.clone()));
        assert_eq!(
            render(&Document::ErasureAct(act), lang),
            Err(expected.clone())
        );
        let log = log(lang, with_unknown());
        assert_eq!(
            render(&Document::ErasureLog(log.clone()), lang),
            Err(expected.clone())
        );
        assert_eq!(erasure_log_csv(&log, lang), Err(expected.clone()));
        assert!(expected.to_string().contains("unknown — not yet confirmed"));
        assert!(expected.to_string().contains("2200 70•• •••• 4417"));
    }
}

#[test]
fn the_act_refuses_a_card_still_held_or_nothing_removed() {
    let mut cards = two_cards();
    cards[0].outcome = RemovalOutcome::NotRemoved {
        checked_at: CONFIRMED,
    };
    assert_eq!(
        render(
            &Document::ErasureAct(act(Language::En, cards)),
            Language::En
        ),
        Err(DocumentError::NotRemoved {
            cards: vec!["4123 62•• •••• 0000".into()]
        })
    );
    let gone_before = vec![CardRemoval {
        card: card("412362", "0000", "VISA"),
        outcome: RemovalOutcome::AlreadyRemoved {
            confirmed_at: CONFIRMED,
        },
    }];
    assert_eq!(
        render(
            &Document::ErasureAct(act(Language::En, gone_before)),
            Language::En
        ),
        Err(DocumentError::NothingDestroyed)
    );
    assert_eq!(
        render(
            &Document::ErasureAct(act(Language::En, vec![])),
            Language::En
        ),
        Err(DocumentError::NothingDestroyed)
    );
}

#[test]
fn a_document_without_audit_entries_or_with_a_bad_card_is_refused() {
    let mut doc = confirmation(Language::En, two_cards());
    doc.issue.audit_entries.clear();
    assert_eq!(
        render(&Document::Confirmation(doc), Language::En),
        Err(DocumentError::NoAuditEntries)
    );
    let mut doc = confirmation(Language::En, two_cards());
    doc.cards[0].card.last4 = "12345".into();
    assert!(matches!(
        render(&Document::Confirmation(doc), Language::En),
        Err(DocumentError::Invalid {
            field: "card.last4",
            ..
        })
    ));
}
