//! The profiles settings file: CRUD, validation messages that name the field and the rule,
//! atomic writes with private permissions, and no password anywhere in it.
#![allow(clippy::unwrap_used)]

use desk::profiles::{
    PRESETS, PROFILES_FILE, ProfileDraft, Profiles, SANDBOX_PROFILE_ID, Settings,
};
use desk::{Environment, ErrorCode};

fn draft(name: &str) -> ProfileDraft {
    ProfileDraft {
        name: name.into(),
        environment: "test".into(),
        base_url: "https://payments.demo.paysecure.ru/".into(),
        merchant_id: "452739".into(),
        login: "LOGIN".into(),
        language: "ru".into(),
        colour: "#1E88E5".into(),
    }
}

#[test]
fn create_update_delete_and_active_are_saved() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let mut book = Profiles::open(&config).unwrap();
    assert!(book.list().is_empty());
    assert_eq!(book.active_id(), None);
    assert_eq!(
        book.settings(),
        Settings {
            freshness_minutes: 15,
            typed_search_seconds: 60,
            record_lookups: true,
            require_ticket: true,
            record_views: true,
            operator_name: String::new(),
            webhook_url: String::new(),
            documents: desk::profiles::DocumentSettings::default(),
        }
    );
    assert!(
        !config.join(PROFILES_FILE).exists(),
        "opening writes nothing"
    );

    let a = book.create(&draft(" Demo shop ")).unwrap();
    assert_eq!(a.name, "Demo shop");
    assert_eq!(a.base_url.as_str(), "https://payments.demo.paysecure.ru");
    assert_eq!(a.colour, "#1e88e5");
    assert_eq!(a.environment, Environment::Test);
    assert!(uuid::Uuid::parse_str(&a.id).is_ok(), "{}", a.id);
    let mut prod = draft("Shop production");
    prod.environment = "Production".into();
    prod.base_url = "https://payments.paysecure.ru".into();
    let b = book.create(&prod).unwrap();
    book.set_active(&b.id).unwrap();

    let mut renamed = draft("Demo shop (old)");
    renamed.language = "EN".into();
    let a2 = book.update(&a.id, &renamed).unwrap();
    assert_eq!(a2.id, a.id);

    // Everything is on disk: a fresh load sees it.
    let again = Profiles::open(&config).unwrap();
    assert_eq!(again.list(), book.list());
    assert_eq!(again.active_id(), Some(b.id.as_str()));
    assert_eq!(again.get(&a.id).unwrap().name, "Demo shop (old)");
    assert_eq!(
        again.get(&b.id).unwrap().environment,
        Environment::Production
    );

    // Deleting the active profile leaves none active (the app falls back to Sandbox).
    let removed = book.delete(&b.id).unwrap();
    assert_eq!(removed.id, b.id);
    assert_eq!(book.active_id(), None);
    assert_eq!(book.list().len(), 1);
    book.set_active(SANDBOX_PROFILE_ID).unwrap();
    assert_eq!(
        Profiles::open(&config).unwrap().active_id(),
        Some(SANDBOX_PROFILE_ID)
    );

    book.set_settings(Settings {
        freshness_minutes: 0,
        record_lookups: false,
        ..Settings::default()
    })
    .unwrap();
    assert!(!Profiles::open(&config).unwrap().settings().record_lookups);
}

#[test]
fn unknown_ids_are_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Profiles::open(dir.path()).unwrap();
    for err in [
        book.update("nope", &draft("x")).unwrap_err(),
        book.delete("nope").unwrap_err(),
        book.set_active("nope").unwrap_err(),
    ] {
        assert_eq!(err.code, ErrorCode::NotFound);
        assert_eq!(err.message, "no profile with id nope");
    }
}

/// One edit of a valid draft that makes it invalid.
type Change = fn(&mut ProfileDraft);

#[test]
fn every_field_is_validated_with_a_message_naming_field_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Profiles::open(dir.path()).unwrap();
    book.create(&draft("Taken")).unwrap();
    let cases: Vec<(Change, &str)> = vec![
        (|d| d.name = "  ".into(), "name: must be 1–60 characters"),
        (|d| d.name = "x".repeat(61), "name: must be 1–60 characters"),
        (
            |d| d.name = "a\tb".into(),
            "name: must not contain control characters",
        ),
        (
            |d| d.name = "TAKEN".into(),
            "name: must be unique (another profile has this name)",
        ),
        (
            |d| d.environment = "staging".into(),
            "environment: must be sandbox, test or production",
        ),
        (
            |d| d.base_url = "http://payments.paysecure.ru".into(),
            "base URL: must use https:// (http:// is allowed only for loopback)",
        ),
        (
            |d| d.base_url = "payments.paysecure.ru".into(),
            "base URL: must be an absolute URL such as https://payments.paysecure.ru",
        ),
        (
            |d| d.merchant_id = "45a".into(),
            "merchant id: must be 1–15 digits with a value of at most 2147483647",
        ),
        (
            |d| d.login = "x".repeat(21),
            "login: must be 1–20 characters",
        ),
        (|d| d.language = "DE".into(), "language: must be RU or EN"),
        (
            |d| d.colour = "red".into(),
            "colour: must be #rrggbb (a # and six hex digits)",
        ),
        (
            |d| d.colour = "#12345g".into(),
            "colour: must be #rrggbb (a # and six hex digits)",
        ),
    ];
    for (change, message) in cases {
        let mut d = draft("Fresh");
        change(&mut d);
        let err = book.create(&d).unwrap_err();
        assert_eq!(err.code, ErrorCode::Validation);
        assert_eq!(err.message, message);
        // The field by its machine name, for the form to put the message beside it.
        let label = message.split(':').next().unwrap();
        let field = match label {
            "merchant id" => "merchant_id",
            "base URL" => "base_url",
            other => other,
        };
        assert_eq!(err.field.as_deref(), Some(field), "{message}");
    }
    assert_eq!(book.list().len(), 1, "nothing invalid was stored");
    // Renaming a profile to its own name is not a clash; Sandbox is an allowed environment;
    // loopback http is allowed.
    let id = book.list()[0].id.clone();
    let mut same = draft("taken");
    same.environment = "sandbox".into();
    same.base_url = "http://127.0.0.1:8080".into();
    assert_eq!(
        book.update(&id, &same).unwrap().environment,
        Environment::Sandbox
    );
    let err = book.set_settings(Settings {
        freshness_minutes: 100_000,
        record_lookups: true,
        ..Settings::default()
    });
    assert!(err.unwrap_err().message.starts_with("freshness minutes: "));
}

#[test]
fn the_file_has_no_password_is_private_and_written_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Profiles::open(dir.path()).unwrap();
    let a = book.create(&draft("Demo")).unwrap();
    book.set_active(&a.id).unwrap();
    let path = dir.path().join(PROFILES_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["active"], a.id.as_str());
    assert_eq!(
        json["settings"],
        serde_json::json!({
            "freshnessMinutes": 15,
            "typedSearchSeconds": 60,
            "recordLookups": true,
            "requireTicket": true,
            "recordViews": true,
            "operatorName": "",
            "webhookUrl": "",
            "documents": {
                "operatorName": "",
                "operatorAddress": "",
                "processorName": "",
                "processorAddress": "",
                "informationSystem": "",
            },
        })
    );
    let p = &json["profiles"][0];
    let mut keys: Vec<_> = p.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "baseUrl",
            "colour",
            "environment",
            "id",
            "language",
            "login",
            "merchantId",
            "name"
        ]
    );
    assert_eq!(p["environment"], "test");
    assert_eq!(p["language"], "RU");
    assert!(!text.to_lowercase().contains("password"));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
    }
    // Only the file itself is left: the temp file was renamed over it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, [PROFILES_FILE]);
}

#[test]
fn a_draft_with_a_password_is_refused_and_a_stored_one_is_dropped() {
    let err = serde_json::from_value::<ProfileDraft>(serde_json::json!({
        "name": "x", "environment": "test", "baseUrl": "https://test.paysecure.ru",
        "merchantId": "1", "login": "l", "language": "RU", "colour": "#000000",
        "password": "Canary-Pw-7Q2x"
    }))
    .unwrap_err();
    assert!(
        err.to_string().contains("unknown field `password`"),
        "{err}"
    );

    // A hand-edited file with a password: loaded, and the password is gone at the next save.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROFILES_FILE);
    std::fs::write(
        &path,
        serde_json::json!({
            "version": 1,
            "profiles": [{"id": "p1", "name": "Hand", "environment": "production",
                "baseUrl": "https://payments.paysec.by", "merchantId": "7", "login": "L",
                "language": "EN", "colour": "#ff0000", "password": "Canary-Pw-7Q2x"}]
        })
        .to_string(),
    )
    .unwrap();
    let mut book = Profiles::open(dir.path()).unwrap();
    assert_eq!(book.list()[0].environment, Environment::Production);
    assert!(!format!("{book:?}").contains("Canary"));
    book.set_active("p1").unwrap();
    assert!(!std::fs::read_to_string(&path).unwrap().contains("Canary"));
}

#[test]
fn a_broken_file_is_reported_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(PROFILES_FILE);
    std::fs::write(&path, "{ not json").unwrap();
    let err = Profiles::open(dir.path()).unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    assert!(err.message.contains(PROFILES_FILE), "{}", err.message);

    std::fs::write(&path, r##"{"version":1,"profiles":[{"id":"p","name":"x","environment":"test",
        "baseUrl":"http://example.com","merchantId":"1","login":"l","language":"RU","colour":"#000000"}]}"##).unwrap();
    let err = Profiles::open(dir.path()).unwrap_err();
    assert!(
        err.message.contains("base URL: must use https://"),
        "{}",
        err.message
    );
}

#[test]
fn presets_are_valid_https_hosts_with_a_suggested_environment() {
    assert_eq!(PRESETS.len(), 5);
    for p in PRESETS {
        assert!(assist::BaseUrl::new(p.base_url).is_ok(), "{}", p.base_url);
        let production = p.environment == Environment::Production;
        assert_eq!(
            production,
            p.base_url.starts_with("https://payments.pay"),
            "{}",
            p.base_url
        );
    }
    let json = serde_json::to_value(PRESETS[2]).unwrap();
    assert_eq!(json["baseUrl"], "https://payments.paysecure.ru");
    assert_eq!(json["environment"], "production");
}
