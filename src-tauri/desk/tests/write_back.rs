//! The ticket write-back through the desk (docs/webhooks.md): with a webhook address in
//! Settings and its secret in the keyring, opening a request, changing its status and removing
//! a card for it each reach a real receiver on loopback as a signed event carrying the
//! request's ticket, the masked card and the audit entry's hash; while the receiver is down the
//! events wait in the outbox and Settings shows them; with no address nothing is queued; a bad
//! address or a short secret is refused by field; the secret is in no file the desk writes.
#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use desk::audit::{Reason, audit_path, read_entries};
use desk::outbox::{EventKind as WireKind, PendingState};
use desk::profiles::Settings;
use desk::requests::RequestKind;
use desk::requests::model::{Channel, ProfileRef, Received, RequestDraft, Status, SubjectDraft};
use desk::{Desk, ErrorCode, RequestAction, RevokeRequest, WriteBackView};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const SECRET: &str = "whsec_Desk-Test-Secret-0123456789";
const VISA: &str = "49D902C6-1CCF-4605-9228-11D0E8115C77";
const MOSCOW: Option<i32> = Some(180);

/// One request as the receiver got it: its headers and raw body.
type Seen = (HeaderMap, Vec<u8>);

/// A receiver that answers 200 to everything and keeps what it got.
#[derive(Clone, Default)]
struct Receiver {
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Receiver {
    async fn start_on(addr: SocketAddr) -> Receiver {
        let receiver = Receiver::default();
        let app = Router::new()
            .route("/hooks/card-desk", axum::routing::post(take))
            .with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        receiver
    }

    /// The events' JSON bodies, each checked against its signature as docs/webhooks.md says.
    fn events(&self) -> Vec<serde_json::Value> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .map(|(headers, body)| {
                let stamp = headers["x-carddesk-timestamp"].to_str().unwrap();
                let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
                mac.update(stamp.as_bytes());
                mac.update(b".");
                mac.update(body);
                let expected = format!("sha256={}", hex_lower(&mac.finalize().into_bytes()));
                assert_eq!(headers["x-carddesk-signature"].to_str().unwrap(), expected);
                serde_json::from_slice(body).unwrap()
            })
            .collect()
    }
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn take(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    r.seen.lock().unwrap().push((headers, body.to_vec()));
    StatusCode::OK
}

fn free_port() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap()
}

fn draft() -> RequestDraft {
    RequestDraft {
        kind: RequestKind::CardRefusal,
        received: Received::at(time::OffsetDateTime::now_utc() - time::Duration::hours(1)),
        channel: Channel::Ticket,
        ticket: Some("SUP-3001".into()),
        subjects: vec![SubjectDraft {
            customer_number: "1234".into(),
            profile: ProfileRef::Profile("sandbox".into()),
        }],
        assignee: None,
    }
}

async fn webhook_on(desk: &Desk, url: &str) {
    let settings = Settings {
        webhook_url: url.into(),
        ..Settings::default()
    };
    desk.save_settings_live(settings).await.unwrap();
    desk.set_webhook_secret(SECRET.into()).await.unwrap();
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
async fn a_request_reaches_the_ticket_signed_from_opening_to_removal_after_the_receiver_comes_up() {
    let (_sandbox, desk, dir) = common::sandbox_and_desk().await;
    let addr = free_port();
    webhook_on(&desk, &format!("http://{addr}/hooks/card-desk")).await;

    // The receiver is down: the opening waits in the outbox, shown in Settings.
    let opened = desk.request_new(draft(), MOSCOW).await.unwrap();
    let id = opened.request.id().to_string();
    let view = until(&desk, |v| {
        v.pending.len() == 1 && v.pending[0].last_attempt.is_some()
    })
    .await;
    assert_eq!(view.pending[0].state, PendingState::Waiting);
    assert_eq!(view.pending[0].request_id, id);
    assert!(view.delivering);
    assert_eq!(view.secret_stored, Some(true));
    assert!(
        view.pending[0]
            .last_attempt
            .as_ref()
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .starts_with("could not connect")
    );

    let checked = desk
        .request_act(
            &id,
            opened.request.version(),
            RequestAction::IdentityCheck {
                asked: "last 4 and expiry".into(),
                matched: true,
            },
            MOSCOW,
        )
        .await
        .unwrap();
    let removed = desk
        .revoke(&RevokeRequest {
            profile_id: "sandbox".into(),
            customer: "1234".into(),
            token: VISA.into(),
            last4_confirmation: "0028".into(),
            reason: Reason::CustomerRequest,
            note: None,
            ticket: Some("SUP-3001".into()),
            customer_confirmation: None,
            utc_offset_minutes: MOSCOW,
            request: Some(id.clone()),
        })
        .await
        .unwrap();
    let now = desk.request(&id, MOSCOW).await.unwrap();
    desk.request_act(
        &id,
        now.request.version(),
        RequestAction::Status {
            to: Status::Answered,
            force: false,
        },
        MOSCOW,
    )
    .await
    .unwrap();
    // An identity check is not a status: no event for it.
    let _ = checked;

    // The receiver comes up: the first event's next attempt (after its backoff of a few
    // seconds) goes through, and the ones behind it follow in order.
    let receiver = Receiver::start_on(addr).await;
    let view = until(&desk, |v| v.pending.is_empty()).await;
    assert_eq!(view.history.delivered_total, 4, "{view:?}");

    let events = receiver.events();
    let kinds: Vec<_> = events
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["status"].as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("status_changed", Some("new")),
            ("status_changed", Some("in_progress")),
            ("card_removed", None),
            ("status_changed", Some("answered")),
        ],
        "in order, as they happened"
    );
    for e in &events {
        assert_eq!(e["request_id"], id.as_str());
        assert_eq!(e["ticket"], "SUP-3001");
        assert_eq!(e["request_type"], "card_refusal");
    }
    let removal = &events[2];
    assert_eq!(removal["masked_cards"][0], removed.masked.as_str());
    assert_eq!(removal["outcome"], "removed");
    assert_eq!(removal["audit_hash"], removed.audit_hash.as_str());
    // Every status event names the audit entry that records it.
    let log = read_entries(&audit_path(&dir.path().join("data"))).unwrap();
    for e in [&events[0], &events[3]] {
        let hash = e["audit_hash"].as_str().unwrap();
        assert!(log.iter().any(|entry| entry.hash == hash), "{hash}");
    }
    assert!(!serde_json::to_string(&events).unwrap().contains(VISA));

    // The secret is in no file the desk wrote (it lives in the keyring).
    for entry in walk(dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
            "{}",
            entry.display()
        );
    }
    assert!(!format!("{:?}", desk.write_back_view().await.unwrap()).contains(SECRET));
}

#[tokio::test]
async fn with_no_webhook_nothing_is_queued_and_bad_settings_are_refused_by_field() {
    let (_sandbox, desk, _dir) = common::sandbox_and_desk().await;
    desk.request_new(draft(), MOSCOW).await.unwrap();
    let view = desk.write_back_view().await.unwrap();
    assert_eq!(view.url, "");
    assert!(view.pending.is_empty());
    assert!(!view.delivering);

    let bad = desk
        .save_settings_live(Settings {
            webhook_url: "http://tickets.example.com/hook".into(),
            ..Settings::default()
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code, ErrorCode::Validation);
    assert_eq!(bad.field.as_deref(), Some("webhook_url"));
    assert!(bad.message.contains("https://"), "{bad:?}");
    assert!(bad.ru.as_deref().unwrap().contains("адрес вебхука"));

    let short = desk.set_webhook_secret("short".into()).await.unwrap_err();
    assert_eq!(short.field.as_deref(), Some("webhook_secret"));
    assert!(short.message.contains("at least 16"), "{short:?}");
    assert!(!short.message.contains("short\""));

    // An address without a secret: events wait, and Settings says why.
    desk.save_settings_live(Settings {
        webhook_url: "https://tickets.example.com/hooks/card-desk".into(),
        ..Settings::default()
    })
    .await
    .unwrap();
    desk.request_new(draft(), MOSCOW).await.unwrap();
    let view = desk.write_back_view().await.unwrap();
    assert_eq!(view.pending.len(), 1);
    assert!(!view.delivering);
    assert_eq!(view.secret_stored, Some(false));
    assert!(view.problem.unwrap().contains("no signing secret"));
    assert_eq!(view.pending[0].kind, WireKind::StatusChanged);
}

fn walk(root: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}
