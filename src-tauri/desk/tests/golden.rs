//! Real answers of the desk, kept as JSON beside the UI's fake desk (ui/src/test/golden/):
//! the fake's answers are checked against their shape (ui/src/test/golden.test.ts), so a field
//! Rust adds or renames fails the UI's tests instead of going unnoticed behind a fake. This
//! test fails when an answer's shape drifts from the file (values such as times and hashes may
//! differ run to run); regenerate with `CARDDESK_BLESS=1 cargo test -p desk --test golden`.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;

use desk::audit::Reason;
use desk::{RevokeAllRequest, RevokeRequest};
use serde_json::Value;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/test/golden")
}

/// The JSON's shape: every leaf replaced by its kind, arrays by the shape of their first item.
fn shape(v: &Value) -> Value {
    match v {
        Value::Null => Value::from("null"),
        Value::Bool(_) => Value::from("boolean"),
        Value::Number(_) => Value::from("number"),
        Value::String(_) => Value::from("string"),
        Value::Array(items) => Value::Array(items.first().map(shape).into_iter().collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), shape(v))).collect())
        }
    }
}

fn check(name: &str, answer: &impl serde::Serialize) {
    let value = serde_json::to_value(answer).unwrap();
    let path = golden_dir().join(format!("{name}.json"));
    if std::env::var_os("CARDDESK_BLESS").is_some() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        let mut text = serde_json::to_string_pretty(&value).unwrap();
        text.push('\n');
        std::fs::write(&path, text).unwrap();
        return;
    }
    let kept: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        shape(&value),
        shape(&kept),
        "{name}: the answer's shape differs from {}; regenerate with CARDDESK_BLESS=1",
        path.display()
    );
}

#[tokio::test]
async fn the_desks_answers_keep_the_shape_the_ui_fake_is_checked_against() {
    let (_sandbox, desk, _dir) = common::sandbox_and_desk().await;
    check("status", &desk.status().await.unwrap());
    let lookup = desk.lookup("1234", false).await.unwrap();
    check("lookup", &lookup);
    let visa = lookup.cards.iter().find(|c| c.last4 == "0028").unwrap();
    let revocation = desk
        .revoke(&RevokeRequest {
            profile_id: "sandbox".into(),
            customer: "1234".into(),
            token: visa.token.clone(),
            last4_confirmation: "0028".into(),
            reason: Reason::CustomerRequest,
            note: None,
            ticket: Some("SUP-1001".into()),
            customer_confirmation: None,
            utc_offset_minutes: Some(180),
            request: None,
        })
        .await
        .unwrap();
    check("revocation", &revocation);
    let all = desk
        .revoke_all(&RevokeAllRequest {
            profile_id: "sandbox".into(),
            customer: "100301".into(),
            reason: Reason::ErasureRequest,
            note: None,
            ticket: Some("DPO-42".into()),
            customer_confirmation: None,
            utc_offset_minutes: Some(180),
            request: None,
        })
        .await
        .unwrap();
    check("revoke_all", &all);
}
