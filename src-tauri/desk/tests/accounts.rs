//! Profiles and their secrets through `Desk` (desk/accounts.rs), with the sandbox on loopback:
//! a profile needs a password, "Test connection" explains each outcome (in Russian too), saving and editing a
//! profile (a bad password or field saves nothing; the sandbox's is read-only), setting a
//! password, and no password anywhere on disk.
#![allow(clippy::unwrap_used)]

mod common;

use assist_sandbox::{FaultPlan, Sandbox};
use desk::profiles::ProfileDraft;
use desk::{Desk, ErrorCode, Verdict};

const CANARY: &str = concat!("Canary-Pw-", "7Q2x");

struct Fixture {
    sandbox: Sandbox,
    desk: Desk,
    dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let (sandbox, desk, dir) = common::sandbox_and_desk().await;
    Fixture { sandbox, desk, dir }
}

fn draft(f: &Fixture, name: &str) -> ProfileDraft {
    ProfileDraft {
        name: name.into(),
        environment: "test".into(),
        base_url: f.sandbox.url(),
        merchant_id: "452739".into(),
        login: "LOGIN".into(),
        language: "EN".into(),
        colour: "#336699".into(),
    }
}

/// "Test connection" of profile `id`: its verdict, once its Russian words (what a window in RU
/// shows) are checked to hold `ru_words`.
async fn checked(f: &Fixture, id: &str, ru_words: &str) -> Verdict {
    let check = f.desk.test_connection(id).await.unwrap();
    let ru = check.ru.as_deref().unwrap_or_default();
    assert!(ru.contains(ru_words), "{check:?}");
    check.verdict
}

#[tokio::test]
async fn a_profile_needs_a_password_and_test_connection_explains_the_outcome() {
    let f = fixture().await;
    let p = f
        .desk
        .save_profile(None, &draft(&f, "Test shop"), None)
        .await
        .unwrap();
    assert!(!p.has_password);
    f.desk.activate(&p.id).unwrap();
    assert_eq!(
        f.desk.lookup("1234", false).await.unwrap_err().code,
        ErrorCode::CredentialsMissing
    );
    assert_eq!(
        checked(&f, &p.id, "пароль не задан").await,
        Verdict::NoPassword
    );

    f.desk.set_password(&p.id, CANARY.into()).await.unwrap();
    let check = f.desk.test_connection(&p.id).await.unwrap();
    assert_eq!(check.verdict, Verdict::BadCredentials, "{}", check.message);
    assert!(!check.message.contains(CANARY));
    let ru = check.ru.unwrap();
    assert!(ru.starts_with("шлюз ответил ошибкой"), "{ru}");
    assert!(!ru.contains(CANARY));

    f.desk.set_password(&p.id, "PASSWORD".into()).await.unwrap();
    assert_eq!(
        checked(&f, &p.id, "шлюз принял учётные данные").await,
        Verdict::Ok
    );
    assert_eq!(
        f.desk.lookup("1234", false).await.unwrap().profile_name,
        "Test shop"
    );

    let status = f.desk.status().await.unwrap();
    assert_eq!(status.active_profile_id, p.id);
    assert!(
        status
            .profiles
            .iter()
            .find(|v| v.id == p.id)
            .unwrap()
            .has_password
    );

    // Unreachable: a closed port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut gone = draft(&f, "Gone");
    gone.base_url = format!("http://127.0.0.1:{port}");
    let g = f
        .desk
        .save_profile(None, &gone, Some("PASSWORD".into()))
        .await
        .unwrap();
    assert_eq!(
        checked(&f, &g.id, "ошибка связи со шлюзом").await,
        Verdict::Unreachable
    );
}

#[tokio::test]
async fn a_bad_password_saves_nothing_and_the_sandbox_profile_is_read_only() {
    let f = fixture().await;
    let err = f
        .desk
        .save_profile(None, &draft(&f, "X"), Some("p".repeat(31)))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.message.contains("password"), "{}", err.message);
    assert_eq!(
        f.desk.status().await.unwrap().profiles.len(),
        1,
        "nothing saved"
    );
    assert!(f.desk.delete_profile("sandbox").await.is_err());
    assert!(
        f.desk
            .save_profile(Some("sandbox"), &draft(&f, "X"), None)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn an_edited_profile_keeps_its_password_and_the_next_lookup_uses_the_change() {
    let f = fixture().await;
    let p = f
        .desk
        .save_profile(None, &draft(&f, "Shop"), Some("PASSWORD".into()))
        .await
        .unwrap();
    assert!(p.has_password);
    f.desk.activate(&p.id).unwrap();
    assert_eq!(
        f.desk.lookup("1234", false).await.unwrap().profile_name,
        "Shop"
    );

    // No password given: the stored one stays; the profile's client is made afresh.
    let edited = f
        .desk
        .save_profile(Some(&p.id), &draft(&f, "Shop renamed"), None)
        .await
        .unwrap();
    assert_eq!(
        (edited.id.as_str(), edited.has_password),
        (p.id.as_str(), true)
    );
    assert_eq!(
        f.desk.lookup("1234", true).await.unwrap().profile_name,
        "Shop renamed"
    );

    // A field Rust refuses is named, and nothing changes.
    let mut bad = draft(&f, "Shop renamed again");
    bad.merchant_id = "45x739".into();
    let err = f
        .desk
        .save_profile(Some(&p.id), &bad, None)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(err.field.as_deref(), Some("merchant_id"));
    let status = f.desk.status().await.unwrap();
    let shown = status.profiles.iter().find(|v| v.id == p.id).unwrap();
    assert_eq!(shown.name, "Shop renamed");

    // An unknown id is not found, not created.
    let err = f
        .desk
        .save_profile(Some("no-such-profile"), &draft(&f, "Ghost"), None)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(f.desk.status().await.unwrap().profiles.len(), 2);
}

#[tokio::test]
async fn set_password_refuses_a_bad_one_an_unknown_profile_and_the_sandbox() {
    let f = fixture().await;
    let p = f
        .desk
        .save_profile(None, &draft(&f, "Shop"), Some("PASSWORD".into()))
        .await
        .unwrap();
    for bad in [String::new(), "p".repeat(31)] {
        let err = f.desk.set_password(&p.id, bad).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::Validation);
        assert!(err.message.contains("password"), "{}", err.message);
    }
    // The stored password was left as it was.
    assert_eq!(
        f.desk.test_connection(&p.id).await.unwrap().verdict,
        Verdict::Ok
    );
    assert_eq!(
        f.desk
            .set_password("no-such-profile", "PASSWORD".into())
            .await
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    let err = f
        .desk
        .set_password("sandbox", "PASSWORD".into())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.message.contains("demo credentials"), "{}", err.message);
}

#[tokio::test]
async fn test_connection_tells_no_access_from_no_such_customer() {
    let f = fixture().await;
    assert_eq!(
        f.desk.test_connection("sandbox").await.unwrap().verdict,
        Verdict::Ok
    );
    assert_eq!(
        f.desk
            .test_connection("no-such-profile")
            .await
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    // The right login and password for another merchant: the gateway denies access.
    let mut other = draft(&f, "Other merchant");
    other.merchant_id = "999999".into();
    let o = f
        .desk
        .save_profile(None, &other, Some("PASSWORD".into()))
        .await
        .unwrap();
    assert_eq!(
        checked(&f, &o.id, "шлюз ответил ошибкой").await,
        Verdict::NoAccess
    );
    // A gateway that answers an unknown customer with a not-found fault took the credentials.
    f.sandbox.faults().set(FaultPlan {
        no_cards_as_fault: true,
        ..FaultPlan::default()
    });
    assert_eq!(
        checked(&f, "sandbox", "шлюз принял учётные данные").await,
        Verdict::Ok
    );
}

#[tokio::test]
async fn no_password_reaches_the_config_or_data_dirs() {
    let f = fixture().await;
    let p = f
        .desk
        .save_profile(None, &draft(&f, "Leak check"), Some(CANARY.into()))
        .await
        .unwrap();
    f.desk.activate(&p.id).unwrap();
    let _ = f.desk.lookup("1234", false).await;
    drop(f.desk);
    for entry in walk(f.dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()),
            "{}",
            entry.display()
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test]
async fn the_documents_details_in_settings_are_checked_field_by_field_and_kept() {
    use desk::profiles::{DocumentSettings, Settings};
    let f = fixture().await;
    let with = |documents: DocumentSettings| Settings {
        documents,
        ..Settings::default()
    };
    let refused = |documents: DocumentSettings, field: &str, ru: &str| {
        let e = f.desk.save_settings(with(documents)).unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation, "{e:?}");
        assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
        assert!(e.ru.as_deref().unwrap().contains(ru), "{e:?}");
    };
    refused(
        DocumentSettings {
            operator_name: "О".repeat(301),
            ..DocumentSettings::default()
        },
        "documents.operator_name",
        "не длиннее 300 символов",
    );
    refused(
        DocumentSettings {
            information_system: "Card\u{7}Desk".into(),
            ..DocumentSettings::default()
        },
        "documents.information_system",
        "без управляющих символов",
    );
    refused(
        DocumentSettings {
            operator_address: "Москва".into(),
            ..DocumentSettings::default()
        },
        "documents.operator_name",
        "нужно, если указан адрес оператора",
    );
    refused(
        DocumentSettings {
            processor_name: "IPS Assist".into(),
            ..DocumentSettings::default()
        },
        "documents.processor_address",
        "нужен, если указан обработчик",
    );
    refused(
        DocumentSettings {
            processor_address: "Москва".into(),
            ..DocumentSettings::default()
        },
        "documents.processor_name",
        "адрес обработчика",
    );
    // Nothing refused was kept.
    assert_eq!(
        f.desk.status().await.unwrap().settings.documents,
        DocumentSettings::default()
    );
    let saved = f
        .desk
        .save_settings(with(DocumentSettings {
            operator_name: "  ООО «Ромашка»  ".into(),
            operator_address: "Москва, ул. Ленина, д. 1".into(),
            processor_name: String::new(),
            processor_address: String::new(),
            information_system: "Card Desk".into(),
        }))
        .unwrap();
    assert_eq!(saved.documents.operator_name, "ООО «Ромашка»", "trimmed");
    // A settings file from before the documents' details loads with them blank.
    let old = f.dir.path().join("old");
    std::fs::create_dir(&old).unwrap();
    std::fs::write(
        old.join(desk::profiles::PROFILES_FILE),
        r#"{ "version": 1, "settings": { "freshnessMinutes": 5, "operatorName": "Anna" } }"#,
    )
    .unwrap();
    let loaded = desk::profiles::Profiles::open(&old).unwrap().settings();
    assert_eq!(loaded.freshness_minutes, 5);
    assert_eq!(loaded.documents, DocumentSettings::default());
}
