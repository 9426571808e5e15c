//! Real answers of the desk, kept as JSON beside the UI's fake desk (ui/src/test/golden/):
//! the fake's answers are checked against their shape (ui/src/test/golden.test.ts), so a field
//! Rust adds or renames fails the UI's tests instead of going unnoticed behind a fake. This
//! test fails when an answer's shape drifts from the file (values such as times and hashes may
//! differ run to run); regenerate with `CARDDESK_BLESS=1 cargo test -p desk --test golden`.
//!
//! The answers kept: the status, a lookup, a revocation and a revoke-all; the audit page after
//! them and a connection check; a bulk job and its rows after a dry run; a request, the
//! request list and the write-back view with one event delivered and one refused.
#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::http::StatusCode;
use desk::audit::{AuditQuery, Reason};
use desk::bulk::{ColumnMap, ProgressFn, RunOptions};
use desk::profiles::Settings;
use desk::requests::RequestKind;
use desk::requests::model::{Channel, ProfileRef, Received, RequestDraft, SubjectDraft};
use desk::requests::store::RequestFilter;
use desk::{BulkDraft, Desk, RequestAction, RevokeAllRequest, RevokeRequest, WriteBackView};
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
    check(
        "connection_check",
        &desk.test_connection("sandbox").await.unwrap(),
    );
    // Newest first: the revoke-all's last outcome leads the page.
    let page = desk.audit_query(AuditQuery::default()).await.unwrap();
    check("audit_page", &page);
}

#[tokio::test]
async fn a_bulk_job_and_its_rows_after_a_dry_run_keep_their_shape() {
    let (_sandbox, desk, dir) = common::sandbox_and_desk().await;
    // One row of each kind the fake's first rows show: a card named, a customer without a
    // filter (held), a customer without cards (skipped), a refused row.
    let path = dir.path().join("deletion-requests.csv");
    std::fs::write(
        &path,
        "customer;last4;ticket\n1234;0028;SUP-1\n100301;;SUP-2\n100000;;SUP-3\nCRM<4>;;SUP-4\n",
    )
    .unwrap();
    let preview = desk.bulk_preview(path).await.unwrap();
    let job = desk
        .bulk_create(BulkDraft {
            source: preview.source,
            map: ColumnMap {
                customer: Some("customer".into()),
                last4: Some("last4".into()),
                ticket: Some("ticket".into()),
                ..ColumnMap::default()
            },
            erasure: false,
            ticket: None,
            reason: Reason::CustomerRequest,
            note: None,
        })
        .await
        .unwrap();
    let progress: ProgressFn = Arc::new(|_| {});
    let options = RunOptions {
        concurrency: 2,
        rate: None,
        patience_secs: None,
    };
    let planned = desk.bulk_plan(&job.id, options, progress).await.unwrap();
    check("job_view", &planned);
    check(
        "row_page",
        &desk.bulk_rows(&job.id, None, 0, 50).await.unwrap(),
    );
}

/// A webhook receiver on loopback that takes the first event (200) and refuses the rest (500).
async fn receiver() -> SocketAddr {
    let seen = Arc::new(AtomicUsize::new(0));
    let app = axum::Router::new().route(
        "/hooks/card-desk",
        axum::routing::post(move || {
            let seen = seen.clone();
            async move {
                if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                    StatusCode::OK
                } else {
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// An erasure request received `days_ago` (and an hour): five days apart, two requests' last
/// days differ even when a weekend moves one, so the list's order is theirs.
fn erasure_request(customer: &str, ticket: &str, days_ago: i64) -> RequestDraft {
    RequestDraft {
        kind: RequestKind::Erasure152,
        received: Received::at(
            time::OffsetDateTime::now_utc() - time::Duration::hours(1 + 24 * days_ago),
        ),
        channel: Channel::Ticket,
        ticket: Some(ticket.into()),
        subjects: vec![SubjectDraft {
            customer_number: customer.into(),
            profile: ProfileRef::Profile("sandbox".into()),
        }],
        assignee: None,
    }
}

/// Waits (up to 20 s) until `done` holds for the desk's write-back view.
async fn until(desk: &Desk, done: impl Fn(&WriteBackView) -> bool) -> WriteBackView {
    for _ in 0..400 {
        let view = desk.write_back_view().await.unwrap();
        if done(&view) {
            return view;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{:?}", desk.write_back_view().await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_and_the_write_back_keep_their_shape() {
    const MOSCOW: Option<i32> = Some(180);
    let (_sandbox, desk, _dir) = common::sandbox_and_desk().await;
    let addr = receiver().await;
    desk.save_settings_live(Settings {
        webhook_url: format!("http://{addr}/hooks/card-desk"),
        ..Settings::default()
    })
    .await
    .unwrap();
    desk.set_webhook_secret("whsec_Golden-Secret-0123456789".into())
        .await
        .unwrap();

    // The first request's opening is delivered; the second's is refused and waits. The first,
    // identified, leads the list (its last day is the earlier).
    let first = desk
        .request_new(erasure_request("1234", "DPO-7", 5), MOSCOW)
        .await
        .unwrap();
    until(&desk, |v| v.history.delivered_total == 1).await;
    desk.request_new(erasure_request("100301", "DPO-8", 0), MOSCOW)
        .await
        .unwrap();
    let view = until(&desk, |v| {
        v.pending.len() == 1 && v.pending[0].last_attempt.is_some()
    })
    .await;
    check("write_back", &view);

    let id = first.request.id().to_string();
    desk.request_act(
        &id,
        first.request.version(),
        RequestAction::IdentityCheck {
            asked: "last 4 and expiry".into(),
            matched: true,
        },
        MOSCOW,
    )
    .await
    .unwrap();
    check("request", &desk.request(&id, MOSCOW).await.unwrap());
    check(
        "request_list",
        &desk
            .requests(RequestFilter::default(), MOSCOW)
            .await
            .unwrap(),
    );
}
