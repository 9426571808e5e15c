//! Whatever the gateway (or something in front of it) sends, parsing returns a value or an
//! error and never panics: arbitrary JSON, card-shaped JSON with values of any type, and
//! arbitrary bytes.
#![allow(clippy::unwrap_used)]

use assist::reply::{interpret_list, interpret_removal};
use assist::wire::parse_reply;
use proptest::prelude::*;
use serde_json::{Map, Value};

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        "[0-9]{0,10}".prop_map(Value::String),
        prop_oneof![
            Just("YES"),
            Just("no"),
            Just("true"),
            Just("0"),
            Just("12.2025")
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ]
}

/// Keys the parser knows, in odd cases, mixed with arbitrary ones.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "token",
            "bin",
            "post",
            "brand",
            "bank",
            "expire",
            "active",
            "needCVC",
            "NEEDCVC",
            "assets",
            "assetType",
            "altText",
            "paymentType",
            "assetData",
            "url",
            "mediaType",
            "width",
            "height",
            "fault",
            "Fault",
            "message",
            "faultcode",
            "faultstring",
            "detail",
            "recomendation",
        ])
        .prop_map(str::to_owned),
        ".{0,8}",
    ]
}

fn json() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..8)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn check(bytes: &[u8]) {
    let _ = parse_reply(bytes);
    for status in [200, 500] {
        let _ = interpret_list(status, bytes);
        let _ = interpret_removal(status, bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(value in json()) {
        check(&serde_json::to_vec(&value).unwrap());
    }

    #[test]
    fn card_arrays_of_arbitrary_values_never_panic(cards in prop::collection::vec(json(), 0..6)) {
        let body = serde_json::to_vec(&Value::Array(cards)).unwrap();
        check(&body);
    }

    #[test]
    fn faults_of_arbitrary_values_never_panic(inner in json()) {
        let body = serde_json::to_vec(&serde_json::json!({ "fault": inner })).unwrap();
        check(&body);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes);
    }

    #[test]
    fn cut_replies_never_panic(cut in 0usize..2000) {
        let full = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../tests/fixtures/assist/token-response-several-cards.json"),
        )
        .unwrap();
        check(&full[..cut.min(full.len())]);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = "[".repeat(100_000);
    assert!(parse_reply(deep.as_bytes()).is_err());
    let deep_assets = format!(
        r#"[{{"token":"49D902C6-1CCF-4605-9228-11D0E8115C77","assets":{}}}]"#,
        "[".repeat(50_000)
    );
    assert!(parse_reply(deep_assets.as_bytes()).is_err());
}
