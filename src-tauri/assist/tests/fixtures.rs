//! The documentation's own examples (tests/fixtures/assist, at the repository root) through
//! the parser, with the values the documentation shows.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use assist::reply::{interpret_list, interpret_removal};
use assist::wire::{Reply, parse_reply};
use assist::{AssetKind, Card, MediaKind, YearMonth};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/assist")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixtures_dir().join(name)).unwrap()
}

fn cards(name: &str) -> Vec<Card> {
    match parse_reply(&read(name)).unwrap() {
        Reply::Cards(cards) => cards,
        other => panic!("{name}: expected cards, got {other:?}"),
    }
}

#[test]
fn every_fixture_file_is_covered() {
    let found: BTreeSet<String> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".json"))
        .collect();
    let covered: BTreeSet<String> = [
        "rem-token-request.json",
        "rem-token-response.json",
        "token-request.json",
        "token-response-no-media.json",
        "token-response-several-cards.json",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(
        found, covered,
        "a fixture was added or removed: give it assertions here"
    );
    for name in &found {
        let bytes = read(name);
        let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        if name.contains("request") {
            // Requests are compared with what the client builds in src/request.rs tests.
            assert_eq!(value["merchant"]["merchant_id"], "452739", "{name}");
        } else {
            parse_reply(&bytes).unwrap();
        }
    }
}

#[test]
fn several_cards_visa_values() {
    let cards = cards("token-response-several-cards.json");
    assert_eq!(cards.len(), 2);
    let visa = &cards[0];
    assert_eq!(visa.token, "49D902C6-1CCF-4605-9228-11D0E8115C77");
    assert_eq!(visa.bin, "412362");
    assert_eq!(visa.last4, "0028");
    assert_eq!(visa.brand, "VISA");
    assert_eq!(visa.bank, "");
    assert_eq!(visa.expiry.raw, "12.2025");
    assert_eq!(visa.expiry.month_year(), YearMonth::new(2025, 12));
    assert!(visa.active);
    assert!(!visa.need_cvc);
    assert_eq!(visa.masked(), "4123 62•• •••• 0028");
    assert_eq!(visa.card_token().unwrap().as_str(), visa.token);

    let kinds: Vec<AssetKind> = visa.assets.iter().map(|a| a.kind()).collect();
    assert_eq!(kinds, [AssetKind::Icon, AssetKind::CardBackground]);
    let icon = &visa.assets[0];
    assert_eq!(icon.alt_text.as_deref(), Some("cardSymbol"));
    assert_eq!(icon.payment_type.as_deref(), Some("VISA"));
    assert_eq!(icon.data.len(), 1);
    assert_eq!(
        icon.data[0].url,
        "https://emvts-test-assets.s3.amazonaws.com/A5/VISA/aa3dcd69e8e8407fa2a59a1956994610/w100_h100.png"
    );
    assert_eq!(icon.data[0].media(), MediaKind::Png);
    assert_eq!(
        (icon.data[0].width, icon.data[0].height),
        (Some(100), Some(100))
    );
    let background = visa.asset(&AssetKind::CardBackground).unwrap();
    assert_eq!(background.alt_text.as_deref(), Some("digitalCardArt"));
    assert_eq!(
        (background.data[0].width, background.data[0].height),
        (Some(1536), Some(969))
    );
}

#[test]
fn several_cards_mastercard_values_with_pdf_logo() {
    let cards = cards("token-response-several-cards.json");
    let mc = &cards[1];
    assert_eq!(mc.token, "4D7F0B0D-B701-47B0-779A-BB0CB5F25A14");
    assert_eq!(mc.bin, "518615");
    assert_eq!(mc.last4, "1030");
    assert_eq!(mc.brand, "MasterCard");
    assert_eq!(mc.masked(), "5186 15•• •••• 1030");
    let kinds: Vec<AssetKind> = mc.assets.iter().map(|a| a.kind()).collect();
    assert_eq!(
        kinds,
        [
            AssetKind::BrandLogo,
            AssetKind::Icon,
            AssetKind::CardBackgroundCombined,
            AssetKind::IssuerLogo
        ]
    );
    let logo = &mc.assets[0];
    assert_eq!(logo.alt_text, None);
    assert_eq!(logo.payment_type.as_deref(), Some("MC"));
    let pdf = &logo.data[0];
    assert_eq!(pdf.media_type, "image/pdf");
    assert_eq!(pdf.media(), MediaKind::Pdf);
    assert_eq!((pdf.width, pdf.height), (None, None));
    assert!(pdf.url.ends_with("/w0_h0.pdf"));
    let issuer = mc.asset(&AssetKind::IssuerLogo).unwrap();
    assert_eq!(
        (issuer.data[0].width, issuer.data[0].height),
        (Some(1372), Some(283))
    );
}

#[test]
fn no_media_card() {
    let cards = cards("token-response-no-media.json");
    assert_eq!(cards.len(), 1);
    let c = &cards[0];
    assert_eq!(c.token, "91720736-CF93-469C-63A0-E5859815D6BA");
    assert_eq!(c.bin, "546792");
    assert_eq!(c.last4, "4128");
    assert_eq!(c.brand, "MasterCard");
    assert_eq!(c.bank, "Bank USA");
    assert!(c.assets.is_empty());
    assert_eq!(
        interpret_list(200, &read("token-response-no-media.json")).unwrap(),
        cards
    );
}

#[test]
fn removal_message_is_kept_verbatim() {
    let body = read("rem-token-response.json");
    assert_eq!(
        parse_reply(&body).unwrap(),
        Reply::Message("Token 33479991-B4E5-40FE-D9ED-EDC94BA7FA14 is removed".to_owned())
    );
    // docs/assist-api.md §12.15: the doc's message names another token than the request's; it is
    // success anyway.
    assert_eq!(
        interpret_removal(200, &body).unwrap(),
        "Token 33479991-B4E5-40FE-D9ED-EDC94BA7FA14 is removed"
    );
}

#[test]
fn parsed_cards_serialise_for_the_ui() {
    let cards = cards("token-response-several-cards.json");
    let v = serde_json::to_value(&cards).unwrap();
    assert_eq!(v[0]["bin"], "412362");
    assert_eq!(v[0]["needCvc"], false);
    assert_eq!(v[1]["assets"][0]["assetType"], "BRAND_LOGO");
    assert_eq!(v[1]["assets"][0]["data"][0]["mediaType"], "image/pdf");
    assert!(v[1]["assets"][0]["data"][0]["width"].is_null());
    let back: Vec<Card> = serde_json::from_value(v).unwrap();
    assert_eq!(back, cards);
}
