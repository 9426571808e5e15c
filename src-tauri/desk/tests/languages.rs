//! The desk's errors read in both languages of the window: each one a person can meet carries
//! its English `message` (the CLI, the logs) and the same in Russian (`ru`), and a refused
//! field is named in each. These tests reach the errors the way the window does, through the
//! desk's own calls.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use desk::audit::{AuditQuery, Reason};
use desk::bulk::{ProgressFn, RunOptions};
use desk::profiles::{ProfileDraft, Settings};
use desk::{DeskError, ErrorCode, RevokeRequest, UiLanguage};

fn russian(text: &str) -> bool {
    text.chars().any(|c| matches!(c, 'а'..='я' | 'А'..='Я'))
}

/// Both texts are there, the English one without Russian words (the CLI prints it) and the
/// Russian one in Russian.
fn says_both(e: &DeskError) -> &str {
    let ru =
        e.ru.as_deref()
            .unwrap_or_else(|| panic!("no Russian text: {e:?}"));
    assert!(russian(ru), "not Russian: {ru}");
    assert!(
        !russian(&e.message),
        "the English text is not English: {}",
        e.message
    );
    assert_eq!(e.text(UiLanguage::Ru), ru);
    assert_eq!(e.text(UiLanguage::En), e.message);
    ru
}

#[tokio::test]
async fn a_refused_customer_number_is_named_in_russian_and_nothing_is_sent() {
    let (sandbox, desk, _dir) = common::sandbox_and_desk().await;
    let e = desk.lookup("12<3>4", false).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(e.field.as_deref(), Some("customer_number"));
    assert_eq!(
        e.message,
        "customer number: must not contain any of < > \" = ' / ( ) ; #"
    );
    assert_eq!(
        says_both(&e),
        "номер клиента: не должен содержать символов < > \" = ' / ( ) ; #"
    );
    let e = desk.lookup("", false).await.unwrap_err();
    assert_eq!(says_both(&e), "номер клиента: от 1 до 32 символов");
    assert_eq!(sandbox.requests_seen(), 0);
}

#[tokio::test]
async fn a_gateway_fault_reads_in_both_languages() {
    let (sandbox, desk, _dir) = common::sandbox_and_desk().await;
    let draft = ProfileDraft {
        name: "Shop test".into(),
        environment: "test".into(),
        base_url: sandbox.url(),
        merchant_id: "452739".into(),
        login: "LOGIN".into(),
        language: "EN".into(),
        colour: "#336699".into(),
    };
    let view = desk
        .save_profile(None, &draft, Some("not-the-password".into()))
        .await
        .unwrap();
    desk.activate(&view.id).unwrap();
    let e = desk.lookup("1234", true).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::GatewayFault);
    assert!(
        e.message
            .starts_with("gateway fault 7/141 Authentication error (Login and/or Password)"),
        "{}",
        e.message
    );
    let ru = says_both(&e);
    assert!(
        ru.starts_with("шлюз ответил ошибкой 7/141 Ошибка аутентификации (Login и/или Password)"),
        "{ru}"
    );
}

#[tokio::test]
async fn a_profile_field_refused_by_the_desk_is_named_in_russian() {
    let (sandbox, desk, _dir) = common::sandbox_and_desk().await;
    let good = ProfileDraft {
        name: "Shop".into(),
        environment: "test".into(),
        base_url: sandbox.url(),
        merchant_id: "452739".into(),
        login: "LOGIN".into(),
        language: "RU".into(),
        colour: "#336699".into(),
    };
    let cases: [(ProfileDraft, &str, &str); 7] = [
        (
            ProfileDraft {
                name: " ".into(),
                ..good.clone()
            },
            "name",
            "название: от 1 до 60 символов",
        ),
        (
            ProfileDraft {
                environment: "live".into(),
                ..good.clone()
            },
            "environment",
            "среда: sandbox, test или production",
        ),
        (
            ProfileDraft {
                base_url: "http://payments.example.com".into(),
                ..good.clone()
            },
            "base_url",
            "базовый URL: должен начинаться с https:// (http:// — только для этого компьютера)",
        ),
        (
            ProfileDraft {
                merchant_id: "45x".into(),
                ..good.clone()
            },
            "merchant_id",
            "номер мерчанта: от 1 до 15 цифр, не больше 2147483647",
        ),
        (
            ProfileDraft {
                login: String::new(),
                ..good.clone()
            },
            "login",
            "логин: от 1 до 20 символов",
        ),
        (
            ProfileDraft {
                language: "DE".into(),
                ..good.clone()
            },
            "language",
            "язык шлюза: только RU или EN",
        ),
        (
            ProfileDraft {
                colour: "blue".into(),
                ..good.clone()
            },
            "colour",
            "цвет: в виде #rrggbb (# и шесть шестнадцатеричных цифр)",
        ),
    ];
    for (draft, field, ru) in cases {
        let e = desk.save_profile(None, &draft, None).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation, "{e:?}");
        assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
        assert_eq!(says_both(&e), ru);
    }
    let e = desk
        .save_profile(None, &good, Some("x".repeat(31)))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("password"));
    assert_eq!(says_both(&e), "пароль: от 1 до 30 символов");
}

/// Every other rule the window's requests can break, each through the call that checks it.
#[tokio::test]
async fn every_refused_request_has_its_russian_text() {
    let (_sandbox, desk, _dir) = common::sandbox_and_desk().await;
    let mut errors: Vec<DeskError> = Vec::new();

    for settings in [
        Settings {
            freshness_minutes: 10_081,
            ..Settings::default()
        },
        Settings {
            typed_search_seconds: 86_401,
            ..Settings::default()
        },
        Settings {
            operator_name: "a\u{7}b".into(),
            ..Settings::default()
        },
    ] {
        errors.push(desk.save_settings(settings).unwrap_err());
    }

    let lookup = desk.lookup("1234", true).await.unwrap();
    let visa = lookup.cards.iter().find(|c| c.last4 == "0028").unwrap();
    let good = RevokeRequest {
        profile_id: "sandbox".into(),
        customer: "1234".into(),
        token: visa.token.clone(),
        last4_confirmation: "0028".into(),
        reason: Reason::CustomerRequest,
        note: None,
        ticket: Some("SUP-1".into()),
        customer_confirmation: None,
        utc_offset_minutes: None,
        request: None,
    };
    for request in [
        RevokeRequest {
            note: Some("x".repeat(501)),
            ..good.clone()
        },
        RevokeRequest {
            reason: Reason::Other,
            ..good.clone()
        },
        RevokeRequest {
            ticket: Some("SUP\u{7}1".into()),
            ..good.clone()
        },
        RevokeRequest {
            ticket: None,
            ..good.clone()
        },
        RevokeRequest {
            token: "not-a-token".into(),
            ..good.clone()
        },
        RevokeRequest {
            last4_confirmation: "28".into(),
            ..good.clone()
        },
        RevokeRequest {
            last4_confirmation: "1111".into(),
            ..good.clone()
        },
        RevokeRequest {
            token: "00000000-0000-0000-0000-000000000000".into(),
            ..good.clone()
        },
        RevokeRequest {
            utc_offset_minutes: Some(900),
            ..good.clone()
        },
    ] {
        errors.push(desk.revoke(&request).await.unwrap_err());
    }

    let progress: ProgressFn = Arc::new(|_| {});
    for options in [
        RunOptions {
            concurrency: 0,
            rate: None,
            patience_secs: None,
        },
        RunOptions {
            concurrency: 4,
            rate: Some(-1.0),
            patience_secs: None,
        },
    ] {
        errors.push(
            desk.bulk_plan("20261127125246-1a2b3c", options, progress.clone())
                .await
                .unwrap_err(),
        );
    }
    errors.push(desk.bulk_job("no such job!").await.unwrap_err());
    errors.push(
        desk.audit_query(AuditQuery {
            from: Some("yesterday".into()),
            ..AuditQuery::default()
        })
        .await
        .unwrap_err(),
    );
    errors.push(desk.check_removal(424_242).await.unwrap_err());
    errors.push(desk.delete_profile("sandbox").await.unwrap_err());

    for e in &errors {
        assert_eq!(e.code, ErrorCode::Validation, "{e:?}");
        says_both(e);
    }
    let fields: Vec<_> = errors.iter().filter_map(|e| e.field.as_deref()).collect();
    for field in [
        "freshness_minutes",
        "typed_search_seconds",
        "operator_name",
        "note",
        "ticket",
        "token",
        "last_4_confirmation",
        "card_token",
        "utc_offset_minutes",
        "concurrency",
        "rate_limit",
        "from",
    ] {
        assert!(
            fields.contains(&field),
            "no error about {field}: {fields:?}"
        );
    }
}
