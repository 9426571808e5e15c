//! How a lookup works (desk/lookup.rs), through `Desk` over real loopback HTTP to the sandbox
//! with a real sled cache in a temp dir: the built-in profile on a first run, lookups cached
//! and refreshed, the typed-search setting, offline fallback and stale data, numbers refused
//! before sending, recent customers, lookups across profiles, card art by key only.
#![allow(clippy::unwrap_used)]

mod common;

use assist_sandbox::{FaultPlan, Sandbox};
use desk::profiles::{ProfileDraft, Settings};
use desk::{Desk, ErrorCode, Freshness, Source};

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

#[tokio::test]
async fn first_run_uses_the_built_in_sandbox_profile() {
    let f = fixture().await;
    let status = f.desk.status().await.unwrap();
    assert_eq!(status.active_profile_id, "sandbox");
    assert!(status.profiles[0].built_in && status.profiles[0].has_password);
    let found = f.desk.lookup("1234", false).await.unwrap();
    assert_eq!(found.source, Source::Live);
    assert_eq!(found.cards.len(), 3);
    let visa = found.cards.iter().find(|c| c.last4 == "0028").unwrap();
    assert_eq!(visa.masked, "4123 62•• •••• 0028");
    assert!(visa.expired);
    assert!(visa.art.background.is_some() && visa.art.icon.is_some());
}

#[tokio::test]
async fn a_second_lookup_comes_from_the_cache_until_refreshed() {
    let f = fixture().await;
    f.desk.lookup("1234", false).await.unwrap();
    let seen = f.sandbox.requests_seen();
    let again = f.desk.lookup("1234", false).await.unwrap();
    assert_eq!(again.source, Source::Cache);
    assert!(!again.stale);
    assert_eq!(
        f.sandbox.requests_seen(),
        seen,
        "a fresh cached answer sends nothing"
    );
    let refreshed = f.desk.lookup("1234", true).await.unwrap();
    assert_eq!(refreshed.source, Source::Live);
    assert_eq!(f.sandbox.requests_seen(), seen + 1);
}

#[tokio::test]
async fn a_search_typed_again_asks_the_gateway_once_the_cache_is_older_than_the_setting() {
    let f = fixture().await;
    f.desk.lookup_as("1234", Freshness::Typed).await.unwrap();
    let seen = f.sandbox.requests_seen();
    // Typed again within the minute: the cache, nothing sent.
    let again = f.desk.lookup_as("1234", Freshness::Typed).await.unwrap();
    assert_eq!(again.source, Source::Cache);
    assert_eq!(f.sandbox.requests_seen(), seen);
    // With the setting at 0 seconds, every typed search is live; a view reopened still uses
    // the cache while it is fresh.
    f.desk
        .save_settings(Settings {
            typed_search_seconds: 0,
            ..Settings::default()
        })
        .unwrap();
    let typed = f.desk.lookup_as("1234", Freshness::Typed).await.unwrap();
    assert_eq!(typed.source, Source::Live);
    assert_eq!(f.sandbox.requests_seen(), seen + 1);
    let reopened = f.desk.lookup_as("1234", Freshness::Fresh).await.unwrap();
    assert_eq!(reopened.source, Source::Cache);
    // Out of range: named.
    let err = f
        .desk
        .save_settings(Settings {
            typed_search_seconds: 86_401,
            ..Settings::default()
        })
        .unwrap_err();
    assert_eq!(err.field.as_deref(), Some("typed_search_seconds"));
}

#[tokio::test]
async fn an_unreachable_gateway_shows_cached_cards_flagged_offline_and_stale() {
    let f = fixture().await;
    f.desk
        .save_settings(Settings {
            freshness_minutes: 0,
            record_lookups: true,
            ..Settings::default()
        })
        .unwrap();
    f.desk.lookup("100025", false).await.unwrap();
    // Every try of the lookup gets an HTML 502 page: the gateway is effectively down.
    f.sandbox.faults().set(FaultPlan {
        html_5xx: 10,
        ..FaultPlan::default()
    });
    let offline = f.desk.lookup("100025", false).await.unwrap();
    assert_eq!(offline.source, Source::Cache);
    assert_eq!(offline.cards.len(), 25);
    assert!(offline.stale, "freshness 0: anything cached is stale");
    let reason = offline.offline_reason.unwrap();
    assert!(reason.contains("HTTP 50"), "{reason}");
    // With nothing cached there is nothing to show: the transport error comes through.
    let err = f.desk.lookup("1234", false).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Transport);
}

#[tokio::test]
async fn invalid_customer_numbers_are_refused_before_sending() {
    let f = fixture().await;
    for bad in ["12<3>4", "", &"7".repeat(33)] {
        let err = f.desk.lookup(bad, false).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::Validation, "{bad:?}");
        assert!(err.message.contains("customer number"), "{}", err.message);
    }
    assert_eq!(f.sandbox.requests_seen(), 0);
}

#[tokio::test]
async fn recent_customers_filter_and_forget() {
    let f = fixture().await;
    for c in ["1234", "100025", "100000"] {
        f.desk.lookup(c, false).await.unwrap();
    }
    let all = f.desk.recent("").unwrap();
    assert_eq!(
        all.iter().map(|r| r.customer.as_str()).collect::<Vec<_>>(),
        ["100000", "100025", "1234"]
    );
    assert_eq!(f.desk.recent("0025").unwrap()[0].card_count, 25);
    f.desk.forget_customer("100025").unwrap();
    assert!(f.desk.recent("0025").unwrap().is_empty());
    let seen = f.sandbox.requests_seen();
    assert_eq!(
        f.desk.lookup("100025", false).await.unwrap().source,
        Source::Live,
        "forgotten: not cached"
    );
    assert_eq!(f.sandbox.requests_seen(), seen + 1);
    f.desk.clear_cache().unwrap();
    assert!(f.desk.recent("").unwrap().is_empty());
}

#[tokio::test]
async fn lookup_across_profiles_reports_each_profile() {
    let f = fixture().await;
    f.desk
        .save_profile(None, &draft(&f, "Second"), Some("PASSWORD".into()))
        .await
        .unwrap();
    f.desk
        .save_profile(None, &draft(&f, "No password"), None)
        .await
        .unwrap();
    let all = f.desk.lookup_all("1234").await;
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].lookup.as_ref().unwrap().cards.len(), 3);
    assert_eq!(all[1].lookup.as_ref().unwrap().profile_name, "Second");
    assert_eq!(
        all[2].error.as_ref().unwrap().code,
        ErrorCode::CredentialsMissing
    );
}

#[tokio::test]
async fn card_art_is_served_only_for_keys_handed_out_and_is_cached() {
    let f = fixture().await;
    assert_eq!(
        f.desk
            .art("sandbox.aHR0cDovL2V4YW1wbGUuY29t")
            .await
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    let found = f.desk.lookup("100500", false).await.unwrap();
    let pdf = found
        .cards
        .iter()
        .find_map(|c| {
            c.art
                .brand_logo
                .clone()
                .filter(|a| a.media_type.contains("pdf"))
        })
        .unwrap();
    let media = f.desk.art(&pdf.key).await.unwrap();
    assert_eq!(media.content_type, "application/pdf");
    assert!(media.bytes.starts_with(b"%PDF-"));
    let png = found
        .cards
        .iter()
        .find_map(|c| c.art.background.clone())
        .unwrap();
    let media = f.desk.art(&png.key).await.unwrap();
    assert_eq!(media.content_type, "image/png");
    // Cached: served again with the sandbox gone.
    let Fixture {
        sandbox,
        desk,
        dir: _dir,
    } = f;
    sandbox.shutdown().await;
    assert!(
        desk.art(&png.key)
            .await
            .unwrap()
            .bytes
            .starts_with(b"\x89PNG")
    );
}
