//! Helpers shared by the sandbox's integration tests.

use std::sync::OnceLock;

use assist_sandbox::{Sandbox, SandboxConfig};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

pub const TOKEN: &str = "/pay/oneclick/v1/token.cfm";
pub const REM_TOKEN: &str = "/pay/oneclick/v1/rem_token.cfm";

/// The documentation's removable card (docs/assist-api.md §5), held by customer 1234.
pub const DOC_REMOVABLE: &str = "54F5A3DE-4B47-4B40-03B5-7FF992D6B401";

pub async fn start() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.unwrap()
}

/// A shared client that never goes through a proxy from the environment. Building one costs
/// ~25 ms, so tests share it; without an idle pool it holds no connection (and no task) of a
/// test's runtime that a later test could trip over.
pub fn client() -> reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            reqwest::Client::builder()
                .no_proxy()
                .pool_max_idle_per_host(0)
                .build()
                .unwrap()
        })
        .clone()
}

/// A client of its own that keeps connections alive, for tests about connection reuse.
pub fn pooled_client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// `(faultcode, faultstring)` as numbers; panics if this is not a fault.
    pub fn fault(&self) -> (u64, u64) {
        let v = self.json();
        let f = &v["fault"];
        assert!(f.is_object(), "expected a fault, got {}", self.text);
        (
            f["faultcode"].as_u64().unwrap(),
            f["faultstring"].as_u64().unwrap(),
        )
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

pub async fn post(sandbox: &Sandbox, path: &str, body: impl Into<reqwest::Body>) -> Answer {
    try_post(sandbox, path, body).await.unwrap()
}

pub async fn try_post(
    sandbox: &Sandbox,
    path: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Result<Answer> {
    let response = client()
        .post(format!("{}{path}", sandbox.url()))
        .body(body)
        .send()
        .await?;
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await?;
    Ok(Answer {
        status,
        headers,
        text,
    })
}

pub fn merchant() -> Value {
    json!({"merchant_id": "452739", "login": "LOGIN", "password": "PASSWORD"})
}

pub fn list_body(customer: &str) -> String {
    json!({"merchant": merchant(), "customernumber": customer}).to_string()
}

pub fn rem_body(customer: &str, token: &str) -> String {
    json!({"merchant": merchant(), "customernumber": customer, "token": token}).to_string()
}

pub async fn list(sandbox: &Sandbox, customer: &str) -> Vec<Value> {
    let answer = post(sandbox, TOKEN, list_body(customer)).await;
    match answer.json() {
        Value::Array(cards) => cards,
        other => panic!("expected a card list for {customer}, got {other}"),
    }
}

pub fn tokens(cards: &[Value]) -> Vec<String> {
    cards
        .iter()
        .map(|c| c["token"].as_str().unwrap().to_owned())
        .collect()
}
