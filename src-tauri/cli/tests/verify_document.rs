//! `carddesk audit verify-document FILE` as a real process: a 376-FZ confirmation produced by
//! the desk (against the sandbox on loopback, in the same data dir) is recognised by its
//! SHA-256 in the audit chain and named with its request; the same file with one byte changed,
//! or any other file, is not (exit 1).
#![allow(clippy::unwrap_used)]

use std::process::Command;
use std::sync::Arc;

use assist_sandbox::{Sandbox, SandboxConfig};
use desk::audit::Reason;
use desk::requests::RequestKind;
use desk::requests::model::{Channel, ProfileRef, Received, RequestDraft, SubjectDraft};
use desk::secrets::{ChosenStore, MemoryStore};
use desk::{Desk, DeskConfig, RequestAction, RevokeAllRequest, UiLanguage};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_carddesk");

fn verify(data: &std::path::Path, file: &std::path::Path) -> (i32, Value) {
    let out = Command::new(BIN)
        .args(["audit", "verify-document"])
        .arg(file)
        .arg("--data-dir")
        .arg(data)
        .arg("--json")
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), json)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_produced_confirmation_is_recognised_and_a_changed_copy_is_not() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let desk = Desk::open(DeskConfig {
        config_dir: dir.path().join("config"),
        data_dir: data.clone(),
        sandbox_url: Some(sandbox.url()),
        secrets: ChosenStore {
            store: Arc::new(MemoryStore::new()),
            fallback_reason: None,
        },
    })
    .unwrap();
    let opened = desk
        .request_new(
            RequestDraft {
                kind: RequestKind::CardRefusal,
                received: Received::at(time::OffsetDateTime::now_utc()),
                channel: Channel::Email,
                ticket: Some("ZD-5812".into()),
                subjects: vec![SubjectDraft {
                    customer_number: "1234".into(),
                    profile: ProfileRef::Profile("sandbox".into()),
                }],
                assignee: None,
            },
            None,
        )
        .await
        .unwrap();
    let id = opened.request.id().to_string();
    desk.request_act(
        &id,
        opened.request.version(),
        RequestAction::IdentityCheck {
            asked: "last 4 digits".into(),
            matched: true,
        },
        None,
    )
    .await
    .unwrap();
    desk.revoke_all(&RevokeAllRequest {
        profile_id: "sandbox".into(),
        customer: "1234".into(),
        reason: Reason::CustomerRequest,
        note: None,
        ticket: Some("ZD-5812".into()),
        customer_confirmation: None,
        utc_offset_minutes: None,
        request: Some(id.clone()),
    })
    .await
    .unwrap();
    let now = desk.request(&id, None).await.unwrap();
    let pdf = dir.path().join("confirmation.pdf");
    let produced = desk
        .request_confirmation(
            &id,
            now.request.version(),
            UiLanguage::En,
            None,
            pdf.clone(),
            None,
        )
        .await
        .unwrap();

    let (status, json) = verify(&data, &pdf);
    assert_eq!(status, 0, "{json}");
    assert_eq!(json["recorded"], true);
    assert_eq!(json["sha256"], produced.sha256.as_str());
    assert_eq!(json["request"], id.as_str());
    assert_eq!(json["ticket"], "ZD-5812");
    assert_eq!(json["document"], "confirmation confirmation.pdf");
    assert_eq!(json["chainIntact"], true);

    let mut changed = std::fs::read(&pdf).unwrap();
    let middle = changed.len() / 2;
    changed[middle] ^= 0x01;
    let copy = dir.path().join("changed.pdf");
    std::fs::write(&copy, changed).unwrap();
    let (status, json) = verify(&data, &copy);
    assert_eq!(status, 1, "{json}");
    assert_eq!(json["recorded"], false);
    sandbox.shutdown().await;
}
