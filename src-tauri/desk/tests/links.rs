//! Why: a ticket link only fills in, and on production it must open read-only until the agent
//! confirms — whether the link names the production profile or names none while production is
//! the active one; a link naming a profile this desk lacks is refused with the field named.
#![allow(clippy::unwrap_used)]

mod common;

use desk::{Environment, ErrorCode};

const LOOKUP: &str = "carddesk://lookup?customer=1234&ticket=ZD-5812";

async fn production(desk: &desk::Desk, sandbox: &assist_sandbox::Sandbox) -> String {
    desk.save_profile(
        None,
        &desk::profiles::ProfileDraft {
            name: "Shop production".into(),
            environment: "production".into(),
            base_url: sandbox.url(),
            merchant_id: "452739".into(),
            login: "LOGIN".into(),
            language: "RU".into(),
            colour: "#b91c1c".into(),
        },
        Some("PASSWORD".into()),
    )
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn a_link_naming_a_production_profile_opens_it_read_only() {
    let (sandbox, desk, _dir) = common::sandbox_and_desk().await;
    let prod = production(&desk, &sandbox).await;
    let opened = desk.open_link(&format!("{LOOKUP}&profile={prod}")).unwrap();
    assert!(opened.read_only);
    assert_eq!(opened.profile_name.as_deref(), Some("Shop production"));
    assert_eq!(opened.environment, Some(Environment::Production));
    // The sandbox, named, is not.
    let sandboxed = desk
        .open_link(&format!("{LOOKUP}&profile=sandbox"))
        .unwrap();
    assert!(!sandboxed.read_only);
    assert_eq!(sandboxed.environment, Some(Environment::Sandbox));
}

#[tokio::test]
async fn a_link_naming_an_unknown_profile_is_refused_with_the_field_named() {
    let (_sandbox, desk, _dir) = common::sandbox_and_desk().await;
    let e = desk
        .open_link(&format!("{LOOKUP}&profile=p-gone"))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(e.field.as_deref(), Some("profile"));
    assert!(e.message.contains("«p-gone»"), "{e:?}");
    assert!(e.ru.as_deref().unwrap().contains("«p-gone»"), "{e:?}");
}

#[tokio::test]
async fn a_link_naming_no_profile_is_read_only_while_production_is_active() {
    let (sandbox, desk, _dir) = common::sandbox_and_desk().await;
    let prod = production(&desk, &sandbox).await;
    let on_sandbox = desk.open_link(LOOKUP).unwrap();
    assert!(!on_sandbox.read_only, "the active profile is the sandbox");

    desk.activate(&prod).unwrap();
    for link in [
        LOOKUP.to_owned(),
        "carddesk://request/new?type=erasure-152&customer=1234&ticket=ZD-7".to_owned(),
    ] {
        let opened = desk.open_link(&link).unwrap();
        assert!(opened.read_only, "{link} opens in production: {opened:?}");
        assert_eq!(opened.profile_name, None, "the link itself named none");
    }
}
