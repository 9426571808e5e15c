//! A real webhook receiver on 127.0.0.1 (axum) that answers as each test plans: refuses,
//! stalls, asks to come back later, or accepts. It records every request as it arrives (before
//! stalling), so a test sees exactly what was sent on each attempt, and it checks signatures
//! the way docs/webhooks.md tells receivers to, with its own HMAC, not the crate's.
#![allow(clippy::unwrap_used, dead_code)]

use std::collections::{HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header::RETRY_AFTER};
use axum::response::{IntoResponse, Response};
use desk_outbox::{EventKind, NewEvent, Policy, WebhookSecret};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use time::OffsetDateTime;

pub const SECRET: &str = "whsec_Known-Secret-0123456789abcdef";

pub fn secret() -> WebhookSecret {
    WebhookSecret::new(SECRET).unwrap()
}

/// The app's policy with a short timeout, so a stalling receiver costs a test 300 ms.
pub fn policy() -> Policy {
    Policy {
        timeout: Duration::from_millis(300),
        ..Policy::default()
    }
}

/// Longer than any backoff: the next attempt is due whatever the jitter.
pub const PAST_ANY_BACKOFF: time::Duration = time::Duration::seconds(3601);

/// How the receiver answers one request.
#[derive(Clone, Debug)]
pub enum Reply {
    Status(u16),
    /// A status with `Retry-After: <value>`.
    RetryAfter(u16, &'static str),
    /// Takes the request (records it), waits, then answers.
    Stall(Duration, u16),
}

/// One request as the receiver got it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Seen {
    /// The receiver's check: HMAC-SHA256 over "<timestamp>.<body>" with the shared secret.
    pub fn signature_verifies(&self, secret: &str) -> bool {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(self.timestamp.as_bytes());
        mac.update(b".");
        mac.update(&self.body);
        let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        expected == self.signature
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

#[derive(Default)]
struct Shared {
    plan: Mutex<VecDeque<Reply>>,
    seen: Mutex<Vec<Seen>>,
}

/// A running receiver; stops when dropped.
pub struct Receiver {
    pub url: String,
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    /// On a free port; answers 200 once `plan` is used up.
    pub async fn start(plan: impl IntoIterator<Item = Reply>) -> Receiver {
        Receiver::start_on("127.0.0.1:0".parse().unwrap(), plan).await
    }

    pub async fn start_on(addr: SocketAddr, plan: impl IntoIterator<Item = Reply>) -> Receiver {
        let shared = Arc::new(Shared::default());
        shared.plan.lock().unwrap().extend(plan);
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new()
            .route("/hooks/card-desk", axum::routing::post(hook))
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Receiver {
            url: format!("http://{addr}/hooks/card-desk"),
            addr,
            shared,
            task,
        }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().unwrap().clone()
    }

    /// What a receiver that drops repeats by event id would have processed.
    pub fn unique_ids(&self) -> Vec<String> {
        let mut done = HashSet::new();
        self.seen()
            .into_iter()
            .filter(|s| done.insert(s.id.clone()))
            .map(|s| s.id)
            .collect()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn hook(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    shared.seen.lock().unwrap().push(Seen {
        id: header("x-carddesk-event-id"),
        timestamp: header("x-carddesk-timestamp"),
        signature: header("x-carddesk-signature"),
        content_type: header("content-type"),
        body: body.to_vec(),
    });
    let reply = shared
        .plan
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or(Reply::Status(200));
    let status = |s: u16| StatusCode::from_u16(s).unwrap();
    match reply {
        Reply::Status(s) => status(s).into_response(),
        Reply::RetryAfter(s, after) => (status(s), [(RETRY_AFTER, after)]).into_response(),
        Reply::Stall(wait, s) => {
            tokio::time::sleep(wait).await;
            status(s).into_response()
        }
    }
}

/// A port nothing listens on (bound, then let go).
pub fn closed_port() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap()
}

pub const REQUEST_A: &str = "5f0c3f9e-2b1a-4c55-9d0e-8f1a2b3c4d5e";
pub const REQUEST_B: &str = "0d6e1c2b-9a8f-4e7d-8c6b-5a4f3e2d1c0b";

pub fn status_changed(request_id: &str, status: &str) -> NewEvent {
    NewEvent {
        kind: EventKind::StatusChanged,
        occurred_at: OffsetDateTime::now_utc(),
        request_id: request_id.into(),
        ticket: Some("HD-1042".into()),
        request_type: "card_refusal".into(),
        masked_cards: vec![],
        outcome: None,
        audit_hash: None,
        status: Some(status.into()),
    }
}

pub fn card_removed(request_id: &str) -> NewEvent {
    NewEvent {
        kind: EventKind::CardRemoved,
        occurred_at: OffsetDateTime::now_utc(),
        request_id: request_id.into(),
        ticket: Some("HD-1042".into()),
        request_type: "card_refusal".into(),
        masked_cards: vec!["4123 62•• •••• 0028".into()],
        outcome: Some("removed".into()),
        audit_hash: Some("9f".repeat(32)),
        status: None,
    }
}
