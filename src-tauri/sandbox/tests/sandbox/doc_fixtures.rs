//! The gateway documentation's own examples (tests/fixtures/assist) work unchanged.

use serde_json::Value;

use crate::common::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/assist/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Replaces every asset URL of `ours` into `doc`, after checking it points at the sandbox.
fn adopt_urls(doc: &mut Value, ours: &Value, base: &str) {
    for (d_asset, o_asset) in doc["assets"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .zip(ours["assets"].as_array().unwrap())
    {
        for (d, o) in d_asset["assetData"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .zip(o_asset["assetData"].as_array().unwrap())
        {
            let url = o["url"].as_str().unwrap();
            assert!(url.starts_with(&format!("{base}/media/")), "{url}");
            d["url"] = Value::String(url.to_owned());
        }
    }
}

#[tokio::test]
async fn list_request_verbatim_gives_the_documented_cards() {
    let sandbox = start().await;
    let answer = post(&sandbox, TOKEN, fixture("token-request.json")).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_type(), "application/json;charset=UTF-8");
    let ours: Vec<Value> = serde_json::from_str(&answer.text).unwrap();
    let doc: Vec<Value> =
        serde_json::from_slice(&fixture("token-response-several-cards.json")).unwrap();
    assert_eq!(
        ours.len(),
        3,
        "the two documented cards plus the removable one"
    );
    for (mut doc_card, our_card) in doc.into_iter().zip(&ours) {
        adopt_urls(&mut doc_card, our_card, &sandbox.url());
        // Serialised text compares key order and JSON types, not just values.
        assert_eq!(our_card.to_string(), doc_card.to_string());
    }
    assert_eq!(ours[2]["token"], DOC_REMOVABLE);
    // Types straight from the wire, not from a re-serialisation.
    assert!(answer.text.contains(r#""bin":412362"#));
    assert!(answer.text.contains(r#""post":"0028""#));
    assert!(answer.text.starts_with(r#"[{"expire":"12.2025","token":"49D902C6-1CCF-4605-9228-11D0E8115C77","bank":"","brand":"VISA","bin":412362,"active":true,"needCVC":false,"post":"0028","assets":[{"assetType":"ICON""#));
}

#[tokio::test]
async fn no_media_example_is_reproduced_exactly() {
    let sandbox = start().await;
    let answer = post(&sandbox, TOKEN, list_body("100601")).await;
    let doc = String::from_utf8(fixture("token-response-no-media.json")).unwrap();
    assert_eq!(answer.text, doc.trim());
}

#[tokio::test]
async fn removal_request_verbatim_removes_the_documented_token() {
    let sandbox = start().await;
    let answer = post(&sandbox, REM_TOKEN, fixture("rem-token-request.json")).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_type(), "application/json;charset=UTF-8");
    // The doc's response shows another token (a slip, docs/assist-api.md §5); the sandbox echoes
    // the stored one.
    assert_eq!(
        answer.text,
        format!(r#"{{"message":"Token {DOC_REMOVABLE} is removed"}}"#)
    );
    let doc: Value = serde_json::from_slice(&fixture("rem-token-response.json")).unwrap();
    let doc_message = doc["message"].as_str().unwrap();
    assert!(doc_message.starts_with("Token ") && doc_message.ends_with(" is removed"));

    assert!(!tokens(&list(&sandbox, "1234").await).contains(&DOC_REMOVABLE.to_owned()));
    let again = post(&sandbox, REM_TOKEN, fixture("rem-token-request.json")).await;
    assert_eq!(again.fault(), (10, 203));
    let entry = sandbox.ledger().entry(DOC_REMOVABLE);
    assert_eq!((entry.rem_token_calls, entry.effective_removals), (2, 1));
}
