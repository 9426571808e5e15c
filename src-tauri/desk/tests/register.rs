//! The request register through the desk, against the sandbox on loopback: a 376-FZ refusal
//! is opened with its deadline, a removal for it is refused — with nothing sent — until the
//! person asking is identified, then removes the card once and is linked to the request, and
//! every change is in the audit log under the request's id. Two windows editing one request
//! cannot overwrite each other.
#![allow(clippy::unwrap_used)]

mod common;

use desk::audit::{AuditAction, AuditOutcome, Reason, audit_path, read_entries};
use desk::requests::model::{
    Channel, EventKind, OpenItem, ProfileRef, Received, RemovalResult, RequestDraft, Status,
    StatusKind, SubjectDraft,
};
use desk::requests::store::DueState;
use desk::requests::{RequestFilter, RequestKind};
use desk::{ErrorCode, RequestAction, RevokeRequest};

const VISA: &str = "49D902C6-1CCF-4605-9228-11D0E8115C77";
const MOSCOW: Option<i32> = Some(180);

fn draft(kind: RequestKind, customer: &str) -> RequestDraft {
    RequestDraft {
        kind,
        received: Received::at(time::OffsetDateTime::now_utc() - time::Duration::hours(1)),
        channel: Channel::Ticket,
        ticket: Some("SUP-2001".into()),
        subjects: vec![SubjectDraft {
            customer_number: customer.into(),
            profile: ProfileRef::Profile("sandbox".into()),
        }],
        assignee: None,
    }
}

fn removal(customer: &str, token: &str, last4: &str, request: Option<String>) -> RevokeRequest {
    RevokeRequest {
        profile_id: "sandbox".into(),
        customer: customer.into(),
        token: token.into(),
        last4_confirmation: last4.into(),
        reason: Reason::CustomerRequest,
        note: None,
        ticket: Some("SUP-2001".into()),
        customer_confirmation: None,
        utc_offset_minutes: MOSCOW,
        request,
    }
}

#[tokio::test]
async fn a_refusal_is_worked_from_identity_to_a_linked_removal_and_every_step_is_audited() {
    let (sandbox, desk, dir) = common::sandbox_and_desk().await;
    let opened = desk
        .request_new(draft(RequestKind::CardRefusal, "1234"), MOSCOW)
        .await
        .unwrap();
    let id = opened.request.id().to_string();
    assert_eq!(opened.request.status().kind(), StatusKind::New);
    // 376-FZ sets no term: the register says so instead of inventing one.
    assert!(opened.request.deadline().is_none());
    assert_eq!(opened.due, DueState::NoDeadline);
    assert!(!opened.identity_confirmed);

    // Not identified yet: refused before anything reaches the gateway.
    let refused = desk
        .revoke(&removal("1234", VISA, "0028", Some(id.clone())))
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Validation);
    assert_eq!(refused.field.as_deref(), Some("request"));
    assert!(refused.message.contains("identity check"), "{refused:?}");
    assert!(refused.ru.as_deref().unwrap().contains("проверка личности"));
    assert_eq!(sandbox.ledger().entry(VISA).rem_token_calls, 0);

    let checked = desk
        .request_act(
            &id,
            opened.request.version(),
            RequestAction::IdentityCheck {
                asked: "last 4 and expiry of the card, e-mail on file".into(),
                matched: true,
            },
            MOSCOW,
        )
        .await
        .unwrap();
    assert!(checked.identity_confirmed);

    // A removal for a customer the request does not name is refused too.
    let other = desk
        .revoke(&removal("100301", VISA, "0028", Some(id.clone())))
        .await
        .unwrap_err();
    assert!(
        other.message.contains("does not name this customer"),
        "{other:?}"
    );

    let done = desk
        .revoke(&removal("1234", VISA, "0028", Some(id.clone())))
        .await
        .unwrap();
    assert_eq!(done.outcome, AuditOutcome::Removed);
    assert_eq!(sandbox.ledger().entry(VISA).effective_removals, 1);

    let after = desk.request(&id, MOSCOW).await.unwrap();
    // The first removal starts the work; the removal is linked by its audit entry.
    assert_eq!(after.request.status().kind(), StatusKind::InProgress);
    let links: Vec<_> = after.request.removals().collect();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].audit.seq, done.audit_seq);
    assert_eq!(links[0].audit.hash, done.audit_hash);
    assert_eq!(links[0].result, RemovalResult::Removed);
    // Closing still needs the confirmation to the customer.
    assert!(
        after
            .open_items
            .iter()
            .any(|i| matches!(i, OpenItem::MissingDocument { .. }))
    );

    let entries = read_entries(&audit_path(&dir.path().join("data"))).unwrap();
    let for_request: Vec<_> = entries
        .iter()
        .filter(|e| e.request.as_deref() == Some(id.as_str()))
        .collect();
    let actions: Vec<_> = for_request.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::RequestEvent,
            AuditAction::RequestEvent,
            AuditAction::RevokeIntent,
            AuditAction::RevokeOutcome,
        ],
        "{for_request:#?}"
    );
    assert!(
        for_request[0]
            .detail
            .as_deref()
            .unwrap()
            .starts_with("request opened: refusal of saved card details (376-FZ)")
    );
    assert_eq!(
        for_request[1].detail.as_deref(),
        Some("identity check: matched")
    );
    // What was asked (possibly personal data) stays in the register, not in the log.
    assert!(
        !for_request
            .iter()
            .any(|e| e.detail.as_deref().unwrap_or("").contains("e-mail"))
    );
}

#[tokio::test]
async fn an_access_request_counts_working_days_and_the_list_sorts_by_deadline() {
    let (_sandbox, desk, _dir) = common::sandbox_and_desk().await;
    let refusal = desk
        .request_new(draft(RequestKind::CardRefusal, "1234"), MOSCOW)
        .await
        .unwrap();
    let access = desk
        .request_new(draft(RequestKind::Access152, "100025"), MOSCOW)
        .await
        .unwrap();
    let erasure = desk
        .request_new(draft(RequestKind::Erasure152, "100700"), MOSCOW)
        .await
        .unwrap();
    let access_due = access.request.deadline().unwrap().due;
    let erasure_due = erasure.request.deadline().unwrap().due;
    // Ten working days come before thirty calendar days.
    assert!(access_due < erasure_due, "{access_due} {erasure_due}");

    let list = desk
        .requests(RequestFilter::default(), MOSCOW)
        .await
        .unwrap();
    let order: Vec<_> = list
        .requests
        .iter()
        .map(|v| v.request.id().clone())
        .collect();
    assert_eq!(
        order,
        [
            access.request.id().clone(),
            erasure.request.id().clone(),
            refusal.request.id().clone()
        ],
        "dated requests by deadline, then the one without a term"
    );
    assert_eq!(list.counts.open, 3);
    assert_eq!(list.counts.no_deadline, 1);
    assert_eq!(list.counts.overdue, 0);
}

#[tokio::test]
async fn a_change_made_to_an_old_version_is_refused_and_nothing_is_written() {
    let (_sandbox, desk, _dir) = common::sandbox_and_desk().await;
    let opened = desk
        .request_new(draft(RequestKind::Access152, "1234"), MOSCOW)
        .await
        .unwrap();
    let id = opened.request.id().to_string();
    let seen = opened.request.version();
    // One window adds a note…
    desk.request_act(
        &id,
        seen,
        RequestAction::Note {
            text: "customer called back".into(),
        },
        MOSCOW,
    )
    .await
    .unwrap();
    // …the other, still showing the old version, tries to refuse the request.
    let stale = desk
        .request_act(
            &id,
            seen,
            RequestAction::Status {
                to: Status::Refused {
                    reason: "not our customer".into(),
                },
                force: false,
            },
            MOSCOW,
        )
        .await
        .unwrap_err();
    assert_eq!(stale.code, ErrorCode::Conflict);
    let now = desk.request(&id, MOSCOW).await.unwrap();
    assert_eq!(now.request.status().kind(), StatusKind::New);
    assert_eq!(now.request.notes().len(), 1);
}

#[tokio::test]
async fn closing_with_open_items_asks_and_a_forced_close_records_what_was_left_open() {
    let (_sandbox, desk, _dir) = common::sandbox_and_desk().await;
    let mut v = desk
        .request_new(draft(RequestKind::Erasure152, "1234"), MOSCOW)
        .await
        .unwrap();
    let id = v.request.id().to_string();
    let steps = [
        RequestAction::IdentityCheck {
            asked: "passport seen".into(),
            matched: true,
        },
        RequestAction::Status {
            to: Status::InProgress,
            force: false,
        },
        RequestAction::Status {
            to: Status::Answered,
            force: false,
        },
    ];
    for step in steps {
        v = desk
            .request_act(&id, v.request.version(), step, MOSCOW)
            .await
            .unwrap();
    }
    let close = |force| RequestAction::Status {
        to: Status::Closed,
        force,
    };
    let refused = desk
        .request_act(&id, v.request.version(), close(false), MOSCOW)
        .await
        .unwrap_err();
    assert_eq!(refused.field.as_deref(), Some("status"));
    assert!(refused.message.contains("open items"), "{refused:?}");
    let closed = desk
        .request_act(&id, v.request.version(), close(true), MOSCOW)
        .await
        .unwrap();
    assert_eq!(closed.request.status().kind(), StatusKind::Closed);
    let last = closed.request.events().last().unwrap();
    match &last.what {
        EventKind::StatusChanged { forced, open, .. } => {
            assert!(forced);
            assert_eq!(open.len(), 2, "the act and the log export: {open:?}");
        }
        other => panic!("{other:?}"),
    }
}

fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils; scripts/install-deps.sh installs it) runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn a_refusal_ends_in_a_confirmation_whose_digest_is_in_the_request_and_the_log() {
    let (sandbox, desk, dir) = common::sandbox_and_desk().await;
    let opened = desk
        .request_new(draft(RequestKind::CardRefusal, "1234"), MOSCOW)
        .await
        .unwrap();
    let id = opened.request.id().to_string();
    let v = desk
        .request_act(
            &id,
            opened.request.version(),
            RequestAction::IdentityCheck {
                asked: "expiry and last 4 named by the customer".into(),
                matched: true,
            },
            MOSCOW,
        )
        .await
        .unwrap();
    let dest = dir.path().join("confirmation.pdf");
    // The merchant's details are checked like the act's operator, before anything is read.
    let bad = desk
        .request_confirmation(
            &id,
            v.request.version(),
            desk::UiLanguage::En,
            Some(desk::documents::Party {
                name: "Daisy\u{7} LLC".into(),
                address: String::new(),
            }),
            dest.clone(),
            MOSCOW,
        )
        .await
        .unwrap_err();
    assert_eq!(bad.field.as_deref(), Some("operator_name"), "{bad:?}");
    // The customer still has cards: no confirmation yet, and no file.
    let early = desk
        .request_confirmation(
            &id,
            v.request.version(),
            desk::UiLanguage::En,
            None,
            dest.clone(),
            MOSCOW,
        )
        .await
        .unwrap_err();
    assert!(early.message.contains("still has saved cards"), "{early:?}");
    assert!(!dest.exists());

    let all = desk
        .revoke_all(&desk::RevokeAllRequest {
            profile_id: "sandbox".into(),
            customer: "1234".into(),
            reason: Reason::CustomerRequest,
            note: None,
            ticket: Some("SUP-2001".into()),
            customer_confirmation: None,
            utc_offset_minutes: MOSCOW,
            request: Some(id.clone()),
        })
        .await
        .unwrap();
    assert_eq!(all.items.len(), 3);
    let v = desk.request(&id, MOSCOW).await.unwrap();
    assert_eq!(v.request.removals().count(), 3);

    let produced = desk
        .request_confirmation(
            &id,
            v.request.version(),
            desk::UiLanguage::Ru,
            // the operator's details, as the window remembers them from the act's form
            Some(desk::documents::Party {
                name: "ООО «Ромашка»".into(),
                address: "Москва, ул. Ленина, д. 1".into(),
            }),
            dest.clone(),
            MOSCOW,
        )
        .await
        .unwrap();
    let bytes = std::fs::read(&dest).unwrap();
    desk::documents::verify(&bytes, &produced.sha256).unwrap();
    // To look at it: CARDDESK_DOCUMENTS_OUT=<dir> keeps a copy (then `pdftoppm -png`).
    if let Some(out) = std::env::var_os("CARDDESK_DOCUMENTS_OUT") {
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(
            std::path::Path::new(&out).join("desk-confirmation-ru.pdf"),
            &bytes,
        )
        .unwrap();
    }
    let text = pdf_text(&dest);
    assert!(text.contains("Подтверждение отказа"), "{text}");
    assert!(text.contains("1234"), "{text}");
    // the merchant by its own name and address, not the sandbox profile's name
    assert!(text.contains("ООО «Ромашка»"), "{text}");
    assert!(text.contains("ул. Ленина"), "{text}");
    assert!(!text.contains("Sandbox"), "{text}");
    for item in &all.items {
        let last4 = &item.card.last4;
        assert!(text.contains(last4.as_str()), "card {last4} in {text}");
    }
    // Recorded in the request and in the chain, by digest.
    let docs: Vec<_> = produced.request.request.documents().collect();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].sha256, produced.sha256);
    assert!(
        !produced
            .request
            .open_items
            .iter()
            .any(|i| matches!(i, OpenItem::MissingDocument { .. }))
    );
    let entries = read_entries(&audit_path(&dir.path().join("data"))).unwrap();
    let last = entries.last().unwrap();
    assert_eq!(last.request.as_deref(), Some(id.as_str()));
    assert_eq!(
        last.detail.as_deref(),
        Some(
            format!(
                "document: confirmation confirmation.pdf sha256 {}",
                produced.sha256
            )
            .as_str()
        )
    );
    assert!(entries.iter().any(|e| {
        e.detail
            .as_deref()
            .unwrap_or("")
            .starts_with("finding: no saved cards held")
    }));
    // Each card was removed once.
    let ledger = sandbox.ledger().all();
    assert_eq!(
        ledger
            .values()
            .filter(|e| e.effective_removals == 1)
            .count(),
        3,
        "{ledger:?}"
    );
    assert!(ledger.values().all(|e| e.calls_after_removal == 0));
}

#[tokio::test]
async fn an_erasure_ends_in_the_order_179_act_and_its_log_export_and_then_closes_cleanly() {
    let (sandbox, desk, dir) = common::sandbox_and_desk().await;
    let mut v = desk
        .request_new(draft(RequestKind::Erasure152, "1234"), MOSCOW)
        .await
        .unwrap();
    let id = v.request.id().to_string();
    v = desk
        .request_act(
            &id,
            v.request.version(),
            RequestAction::IdentityCheck {
                asked: "signed application with passport details".into(),
                matched: true,
            },
            MOSCOW,
        )
        .await
        .unwrap();
    let details = desk::ErasureDetails {
        operator_name: "ООО «Ромашка»".into(),
        operator_address: "125009, Москва, ул. Тверская, д. 1".into(),
        processor_name: Some("IPS Assist".into()),
        processor_address: Some("Москва".into()),
        information_system: "Card Desk / IPS Assist One Click".into(),
        destroyed_by: vec![desk::ErasureSignatory {
            name: "Иванова Анна Сергеевна".into(),
            position: "специалист службы поддержки".into(),
        }],
    };
    let out = dir.path().join("act");
    std::fs::create_dir(&out).unwrap();
    // Before the cards are gone there is nothing to attest.
    let early = desk
        .request_erasure_documents(
            &id,
            v.request.version(),
            desk::UiLanguage::Ru,
            details.clone(),
            out.clone(),
            MOSCOW,
        )
        .await
        .unwrap_err();
    assert!(early.message.contains("still has saved cards"), "{early:?}");
    // A missing signatory is named.
    let mut unsigned = details.clone();
    unsigned.destroyed_by.clear();
    let e = desk
        .request_erasure_documents(
            &id,
            v.request.version(),
            desk::UiLanguage::Ru,
            unsigned,
            out.clone(),
            MOSCOW,
        )
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("destroyed_by"));
    // No operator given and none in Settings: refused, naming the field and where to set it.
    let from_settings = desk::ErasureDetails {
        destroyed_by: details.destroyed_by.clone(),
        ..desk::ErasureDetails::default()
    };
    let e = desk
        .request_erasure_documents(
            &id,
            v.request.version(),
            desk::UiLanguage::Ru,
            from_settings.clone(),
            out.clone(),
            MOSCOW,
        )
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("operator_name"), "{e:?}");
    assert!(e.message.contains("Settings → Documents"), "{e:?}");
    assert!(e.ru.as_deref().unwrap().contains("настройках"), "{e:?}");
    // Settings → Documents name the operator, the processor and the system once for every act.
    desk.save_settings(desk::profiles::Settings {
        documents: desk::profiles::DocumentSettings {
            operator_name: " ООО «Ромашка» ".into(),
            operator_address: "125009, Москва, ул. Тверская, д. 1".into(),
            processor_name: "IPS Assist".into(),
            processor_address: "Москва".into(),
            information_system: "Card Desk / IPS Assist One Click".into(),
        },
        ..desk::profiles::Settings::default()
    })
    .unwrap();

    desk.revoke_all(&desk::RevokeAllRequest {
        profile_id: "sandbox".into(),
        customer: "1234".into(),
        reason: Reason::ErasureRequest,
        note: None,
        ticket: Some("SUP-2001".into()),
        customer_confirmation: None,
        utc_offset_minutes: MOSCOW,
        request: Some(id.clone()),
    })
    .await
    .unwrap();
    let v = desk.request(&id, MOSCOW).await.unwrap();
    let produced = desk
        .request_erasure_documents(
            &id,
            v.request.version(),
            desk::UiLanguage::Ru,
            from_settings,
            out.clone(),
            MOSCOW,
        )
        .await
        .unwrap();
    assert_eq!(produced.len(), 3);
    for p in &produced {
        let bytes = std::fs::read(&p.path).unwrap();
        desk::documents::verify(&bytes, &p.sha256).unwrap();
        if let Some(keep) = std::env::var_os("CARDDESK_DOCUMENTS_OUT") {
            std::fs::create_dir_all(&keep).unwrap();
            std::fs::write(std::path::Path::new(&keep).join(&p.name), &bytes).unwrap();
        }
    }
    let act = pdf_text(std::path::Path::new(&produced[0].path));
    // The operator, the processor and the system came from Settings.
    for needle in [
        "ООО «Ромашка», 125009, Москва, ул. Тверская, д. 1",
        "IPS Assist, Москва",
        "Иванова Анна Сергеевна",
        "Card Desk / IPS Assist One Click",
        "клиент с номером 1234",
    ] {
        assert!(act.contains(needle), "{needle} in {act}");
    }
    let csv = std::fs::read_to_string(&produced[2].path).unwrap();
    assert_eq!(
        csv.lines().count(),
        4,
        "a header and the three cards: {csv}"
    );
    // The documents the kind needs are recorded: nothing stands in the way of closing.
    let last = &produced[2].request;
    assert!(last.open_items.is_empty(), "{:?}", last.open_items);
    let mut v = desk.request(&id, MOSCOW).await.unwrap();
    for to in [Status::Answered, Status::Closed] {
        v = desk
            .request_act(
                &id,
                v.request.version(),
                RequestAction::Status { to, force: false },
                MOSCOW,
            )
            .await
            .unwrap();
    }
    assert_eq!(v.request.status().kind(), StatusKind::Closed);
    assert_eq!(
        sandbox
            .ledger()
            .all()
            .values()
            .filter(|e| e.effective_removals == 1)
            .count(),
        3
    );
}

#[tokio::test]
async fn a_lookup_made_from_a_request_is_logged_under_it_even_with_views_not_recorded() {
    let (_sandbox, desk, dir) = common::sandbox_and_desk().await;
    desk.save_settings(desk::profiles::Settings {
        record_views: false,
        ..desk::profiles::Settings::default()
    })
    .unwrap();
    let opened = desk
        .request_new(draft(RequestKind::Access152, "1234"), MOSCOW)
        .await
        .unwrap();
    let id = opened.request.id().to_string();

    let plain = desk
        .lookup_from("1234", desk::Freshness::Live, None)
        .await
        .unwrap();
    assert_eq!(plain.cards.len(), 3);
    let from_request = desk
        .lookup_from("1234", desk::Freshness::Live, Some(&id))
        .await
        .unwrap();
    assert_eq!(from_request.cards.len(), 3);

    let views: Vec<_> = read_entries(&audit_path(&dir.path().join("data")))
        .unwrap()
        .into_iter()
        .filter(|e| e.action == AuditAction::ViewedCustomer)
        .collect();
    assert_eq!(
        views.len(),
        1,
        "the plain lookup is not recorded: {views:?}"
    );
    assert_eq!(views[0].request.as_deref(), Some(id.as_str()));
    assert_eq!(views[0].ticket.as_deref(), Some("SUP-2001"));
    assert_eq!(views[0].customer.as_deref(), Some("1234"));

    // A request about someone else does not cover this customer; an unknown one is refused.
    let other = desk
        .lookup_from("100301", desk::Freshness::Live, Some(&id))
        .await
        .unwrap_err();
    assert_eq!(other.field.as_deref(), Some("request"));
    assert!(
        other.message.contains("does not name this customer"),
        "{other:?}"
    );
    let unknown = desk
        .lookup_from(
            "1234",
            desk::Freshness::Live,
            Some("00000000-0000-4000-8000-000000000000"),
        )
        .await
        .unwrap_err();
    assert_eq!(unknown.code, ErrorCode::NotFound, "{unknown:?}");
}

#[tokio::test]
async fn the_registers_refusals_are_said_in_russian_too() {
    let (_sandbox, desk, _dir) = common::sandbox_and_desk().await;
    let mut bad = draft(RequestKind::Access152, "1234");
    bad.ticket = Some("T".repeat(65));
    let long = desk.request_new(bad, MOSCOW).await.unwrap_err();
    assert_eq!(long.field.as_deref(), Some("ticket"));
    assert_eq!(long.ru.as_deref(), Some("тикет: не длиннее 64 символов"));

    let opened = desk
        .request_new(draft(RequestKind::Access152, "1234"), MOSCOW)
        .await
        .unwrap();
    let jump = desk
        .request_act(
            &opened.request.id().to_string(),
            opened.request.version(),
            RequestAction::Status {
                to: Status::Closed,
                force: false,
            },
            MOSCOW,
        )
        .await
        .unwrap_err();
    assert_eq!(jump.field.as_deref(), Some("status"));
    assert!(
        jump.message.contains("cannot go from new to closed"),
        "{jump:?}"
    );
    assert_eq!(
        jump.ru.as_deref(),
        Some("статус: нельзя перейти из «новое» в «закрыто» (дальше: «в работе» или «отказано»)")
    );
}

fn access_details() -> desk::AccessDetails {
    desk::AccessDetails {
        operator_name: "ООО «Ромашка»".into(),
        operator_address: "Москва, ул. Ленина, д. 1".into(),
        processor_name: Some("IPS Assist".into()),
        processor_address: Some("Москва".into()),
        purposes: "оплата заказов сохранённой картой\nподписки".into(),
        legal_grounds: "договор с клиентом (п. 5 ч. 1 ст. 6 152-ФЗ)".into(),
        methods: "автоматизированная обработка".into(),
        recipients: "IPS Assist (платёжный шлюз)".into(),
        source: "вы сами при оплате".into(),
        storage: "пока вы не удалите карту или не отзовёте согласие".into(),
        cross_border: String::new(),
        rights: "уточнить, заблокировать или уничтожить данные; жалоба в Роскомнадзор".into(),
    }
}

#[tokio::test]
async fn an_access_answer_lists_the_cards_held_now_and_is_refused_before_identity() {
    let (_sandbox, desk, dir) = common::sandbox_and_desk().await;
    let opened = desk
        .request_new(draft(RequestKind::Access152, "1234"), MOSCOW)
        .await
        .unwrap();
    let id = opened.request.id().to_string();
    let dest = dir.path().join("answer.pdf");

    let early = desk
        .request_access_answer(
            &id,
            opened.request.version(),
            desk::UiLanguage::Ru,
            access_details(),
            dest.clone(),
            MOSCOW,
        )
        .await
        .unwrap_err();
    assert_eq!(early.field.as_deref(), Some("document"));
    assert!(early.message.contains("identity check"), "{early:?}");
    assert!(!dest.exists(), "nothing is written before the check");

    let mut blank = access_details();
    blank.rights = "  ".into();
    let v = desk
        .request_act(
            &id,
            opened.request.version(),
            RequestAction::IdentityCheck {
                asked: "e-mail on file".into(),
                matched: true,
            },
            MOSCOW,
        )
        .await
        .unwrap();
    let missing = desk
        .request_access_answer(
            &id,
            v.request.version(),
            desk::UiLanguage::Ru,
            blank,
            dest.clone(),
            MOSCOW,
        )
        .await
        .unwrap_err();
    assert_eq!(missing.field.as_deref(), Some("rights"));

    let made = desk
        .request_access_answer(
            &id,
            v.request.version(),
            desk::UiLanguage::Ru,
            access_details(),
            dest.clone(),
            MOSCOW,
        )
        .await
        .unwrap();
    let text = pdf_text(&dest);
    assert!(
        text.contains("Ответ на запрос субъекта персональных данных"),
        "{text}"
    );
    for masked in ["2202 20", "4417", "4123 62", "0028", "5186 15", "1030"] {
        assert!(text.contains(masked), "{masked} in {text}");
    }
    assert!(text.contains("ООО «Ромашка»"), "{text}");
    assert!(text.contains("истёк"), "an expired card says so: {text}");
    let bytes = std::fs::read(&dest).unwrap();
    // A copy to look at (rendered to PNG by hand: pdftoppm), where the window tests keep theirs.
    if let Some(out) = std::env::var_os("CARDDESK_E2E_OUT") {
        let _ = std::fs::write(
            std::path::Path::new(&out).join("access-answer-ru.pdf"),
            &bytes,
        );
    }
    assert_eq!(made.sha256, desk::documents::sha256_hex(&bytes));
    assert!(
        made.request
            .request
            .documents()
            .any(|d| d.sha256 == made.sha256)
    );
    let log = read_entries(&audit_path(&dir.path().join("data"))).unwrap();
    assert!(log.iter().any(|e| {
        e.detail
            .as_deref()
            .is_some_and(|d| d.contains(&format!("sha256 {}", made.sha256)))
    }));
    assert!(log.iter().any(|e| {
        e.request.as_deref() == Some(id.as_str())
            && e.detail
                .as_deref()
                .is_some_and(|d| d.starts_with("finding: 3 saved cards"))
    }));
}

/// A request about customer `customer` in every profile (the "all profiles" subject).
fn all_profiles(kind: RequestKind, customer: &str) -> RequestDraft {
    let mut d = draft(kind, customer);
    d.subjects[0].profile = ProfileRef::AllProfiles;
    d
}

/// A second profile, on the sandbox's other merchant (700001), which also knows customer 1234
/// (one saved VISA ending 5807): a request about "all profiles" then spans two merchants.
async fn travel_profile(desk: &desk::Desk, sandbox: &assist_sandbox::Sandbox) -> String {
    desk.save_profile(
        None,
        &profile_draft(sandbox, "Travel", "700001", "TRAVEL_API"),
        Some("Travel2024pass".into()),
    )
    .await
    .unwrap()
    .id
}

fn profile_draft(
    sandbox: &assist_sandbox::Sandbox,
    name: &str,
    merchant: &str,
    login: &str,
) -> desk::profiles::ProfileDraft {
    desk::profiles::ProfileDraft {
        name: name.into(),
        environment: "test".into(),
        base_url: sandbox.url(),
        merchant_id: merchant.into(),
        login: login.into(),
        language: "EN".into(),
        colour: "#336699".into(),
    }
}

fn remove_all_in(profile: &str, id: &str, reason: Reason) -> desk::RevokeAllRequest {
    desk::RevokeAllRequest {
        profile_id: profile.into(),
        customer: "1234".into(),
        reason,
        note: None,
        ticket: Some("SUP-2001".into()),
        customer_confirmation: None,
        utc_offset_minutes: MOSCOW,
        request: Some(id.into()),
    }
}

async fn identified(desk: &desk::Desk, opened: &desk::RequestView) -> desk::RequestView {
    desk.request_act(
        &opened.request.id().to_string(),
        opened.request.version(),
        RequestAction::IdentityCheck {
            asked: "signed application with passport details".into(),
            matched: true,
        },
        MOSCOW,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn an_erasure_about_all_profiles_is_looked_up_in_each_and_its_act_waits_for_every_one() {
    let (sandbox, desk, dir) = common::sandbox_and_desk().await;
    let travel = travel_profile(&desk, &sandbox).await;
    let opened = desk
        .request_new(all_profiles(RequestKind::Erasure152, "1234"), MOSCOW)
        .await
        .unwrap();
    let id = opened.request.id().to_string();
    identified(&desk, &opened).await;

    // Looked up from the request: each profile's view is logged under it.
    let found = desk.lookup_all_from("1234", Some(&id)).await.unwrap();
    let counts: Vec<_> = found
        .iter()
        .map(|p| {
            (
                p.profile_name.as_str(),
                p.lookup.as_ref().unwrap().cards.len(),
            )
        })
        .collect();
    assert_eq!(counts, [("Sandbox", 3), ("Travel", 1)]);
    let views: Vec<_> = read_entries(&audit_path(&dir.path().join("data")))
        .unwrap()
        .into_iter()
        .filter(|e| e.action == AuditAction::ViewedCustomer)
        .collect();
    assert_eq!(views.len(), 2, "{views:?}");
    for (view, profile) in views.iter().zip(["sandbox", travel.as_str()]) {
        assert_eq!(view.request.as_deref(), Some(id.as_str()));
        assert_eq!(view.ticket.as_deref(), Some("SUP-2001"));
        assert_eq!(view.profile_id.as_deref(), Some(profile));
    }
    // The request covers its own customer only, as a lookup in one profile does.
    let other = desk.lookup_all_from("100301", Some(&id)).await.unwrap_err();
    assert_eq!(other.field.as_deref(), Some("request"));
    assert!(
        other.message.contains("does not name this customer"),
        "{other:?}"
    );

    let details = desk::ErasureDetails {
        operator_name: "ООО «Ромашка»".into(),
        operator_address: "125009, Москва, ул. Тверская, д. 1".into(),
        processor_name: None,
        processor_address: None,
        information_system: "Card Desk / IPS Assist One Click".into(),
        destroyed_by: vec![desk::ErasureSignatory {
            name: "Иванова Анна Сергеевна".into(),
            position: "специалист службы поддержки".into(),
        }],
    };
    let out = dir.path().join("act");
    std::fs::create_dir(&out).unwrap();
    let act = |version| {
        desk.request_erasure_documents(
            &id,
            version,
            desk::UiLanguage::En,
            details.clone(),
            out.clone(),
            MOSCOW,
        )
    };

    // The active profile is clean, the other still holds a card: no act, and it says where.
    desk.revoke_all(&remove_all_in("sandbox", &id, Reason::ErasureRequest))
        .await
        .unwrap();
    let v = desk.request(&id, MOSCOW).await.unwrap();
    let held = act(v.request.version()).await.unwrap_err();
    assert_eq!(held.code, ErrorCode::Validation);
    assert_eq!(held.field.as_deref(), Some("document"));
    assert!(
        held.message
            .contains("profile «Travel» still holds 1 saved card for customer 1234"),
        "{held:?}"
    );
    assert!(held.ru.as_deref().unwrap().contains("в профиле «Travel»"));
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "no file");

    desk.revoke_all(&remove_all_in(&travel, &id, Reason::ErasureRequest))
        .await
        .unwrap();
    // A profile whose cards cannot be read stops the act too, named, with the reason's code.
    let locked = desk
        .save_profile(
            None,
            &profile_draft(&sandbox, "No password", "452739", "LOGIN"),
            None,
        )
        .await
        .unwrap();
    let v = desk.request(&id, MOSCOW).await.unwrap();
    let unread = act(v.request.version()).await.unwrap_err();
    assert_eq!(unread.code, ErrorCode::CredentialsMissing, "{unread:?}");
    assert_eq!(unread.field.as_deref(), Some("document"));
    assert!(
        unread
            .message
            .contains("profile «No password» could not be read"),
        "{unread:?}"
    );
    assert!(unread.ru.as_deref().unwrap().contains("«No password»"));
    desk.delete_profile(&locked.id).await.unwrap();

    let produced = act(v.request.version()).await.unwrap();
    let csv = std::fs::read_to_string(&produced[2].path).unwrap();
    assert_eq!(csv.lines().count(), 5, "a header and four cards: {csv}");
    let text = pdf_text(std::path::Path::new(&produced[0].path));
    for last4 in ["0028", "1030", "4417", "5807"] {
        assert!(text.contains(last4), "{last4} in {text}");
    }
    let entries = read_entries(&audit_path(&dir.path().join("data"))).unwrap();
    assert!(
        entries.iter().any(|e| e.detail.as_deref().is_some_and(|d| {
            d.starts_with("finding: no saved cards held")
                && d.contains("customer 1234 in all profiles: Sandbox, Travel")
        })),
        "the finding names every profile read"
    );
    assert_eq!(
        sandbox
            .ledger()
            .entry("7636BAB9-BBA6-4F22-E9EF-0E01B5E44866")
            .effective_removals,
        1
    );
}

#[tokio::test]
async fn a_refusal_about_all_profiles_is_confirmed_only_once_no_profile_holds_a_card() {
    let (sandbox, desk, dir) = common::sandbox_and_desk().await;
    let travel = travel_profile(&desk, &sandbox).await;
    let opened = desk
        .request_new(all_profiles(RequestKind::CardRefusal, "1234"), MOSCOW)
        .await
        .unwrap();
    let id = opened.request.id().to_string();
    identified(&desk, &opened).await;
    let dest = dir.path().join("confirmation.pdf");

    desk.revoke_all(&remove_all_in("sandbox", &id, Reason::CustomerRequest))
        .await
        .unwrap();
    let v = desk.request(&id, MOSCOW).await.unwrap();
    let held = desk
        .request_confirmation(
            &id,
            v.request.version(),
            desk::UiLanguage::En,
            None,
            dest.clone(),
            MOSCOW,
        )
        .await
        .unwrap_err();
    assert_eq!(held.field.as_deref(), Some("document"));
    assert!(
        held.message.contains("profile «Travel» still holds"),
        "{held:?}"
    );
    assert!(!dest.exists());

    desk.revoke_all(&remove_all_in(&travel, &id, Reason::CustomerRequest))
        .await
        .unwrap();
    let v = desk.request(&id, MOSCOW).await.unwrap();
    desk.request_confirmation(
        &id,
        v.request.version(),
        desk::UiLanguage::En,
        None,
        dest.clone(),
        MOSCOW,
    )
    .await
    .unwrap();
    let text = pdf_text(&dest);
    assert!(text.contains("Sandbox, Travel"), "both merchants: {text}");
    // no merchant's details given: the profiles' names, said to be just that
    assert!(text.contains("Merchant (as its accounts at the"), "{text}");
    assert!(text.contains("merchant's name and address were"), "{text}");
    for last4 in ["0028", "1030", "4417", "5807"] {
        assert!(text.contains(last4), "{last4} in {text}");
    }
}

#[tokio::test]
async fn an_access_answer_about_all_profiles_lists_the_cards_held_in_each() {
    let (sandbox, desk, dir) = common::sandbox_and_desk().await;
    travel_profile(&desk, &sandbox).await;
    let opened = desk
        .request_new(all_profiles(RequestKind::Access152, "1234"), MOSCOW)
        .await
        .unwrap();
    let id = opened.request.id().to_string();
    let v = identified(&desk, &opened).await;
    let dest = dir.path().join("answer.pdf");
    desk.request_access_answer(
        &id,
        v.request.version(),
        desk::UiLanguage::En,
        access_details(),
        dest.clone(),
        MOSCOW,
    )
    .await
    .unwrap();
    let text = pdf_text(&dest);
    assert!(text.contains("Gateway accounts read"), "{text}");
    assert!(text.contains("Sandbox; Travel"), "{text}");
    for last4 in ["0028", "1030", "4417", "5807"] {
        assert!(text.contains(last4), "{last4} in {text}");
    }
    let log = read_entries(&audit_path(&dir.path().join("data"))).unwrap();
    assert!(
        log.iter().any(|e| e.detail.as_deref().is_some_and(|d| {
            d.starts_with("finding: 4 saved cards")
                && d.contains("in all profiles: Sandbox 3, Travel 1")
        })),
        "the finding counts per profile"
    );
}
