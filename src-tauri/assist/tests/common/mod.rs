//! Shared set-up for tests against the sandbox: a sandbox on 127.0.0.1:0 whose documented
//! user (merchant 452739, login LOGIN) has a unique canary password, and clients for it.
#![allow(clippy::unwrap_used, dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use assist::{BaseUrl, Client, ClientConfig, CustomerNumber, Login, MerchantId, Password};
use assist_sandbox::{Sandbox, SandboxConfig, Seed};

/// A password that appears nowhere else, so a leak is unmistakable.
pub const CANARY: &str = "Canary-Pw-7Q2x";

/// The documentation's example customer and cards (docs/assist-api.md §4.1, §5).
pub const DOC_CUSTOMER: &str = "1234";
pub const VISA: &str = "49D902C6-1CCF-4605-9228-11D0E8115C77";
pub const MC: &str = "4D7F0B0D-B701-47B0-779A-BB0CB5F25A14";
pub const MIR: &str = "54F5A3DE-4B47-4B40-03B5-7FF992D6B401";

/// The built-in seed with user LOGIN's password replaced by [`CANARY`].
pub fn canary_seed() -> Seed {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sandbox/seed/default.json");
    let mut seed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let users = seed["users"].as_array_mut().unwrap();
    let user = users.iter_mut().find(|u| u["login"] == "LOGIN").unwrap();
    user["password"] = CANARY.into();
    Seed::from_json(&seed.to_string()).unwrap()
}

pub async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig {
        seed: canary_seed(),
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

/// Short timeouts and backoff, so retries are quick in tests.
pub fn config(url: &str, password: &str) -> ClientConfig {
    let mut config = ClientConfig::new(
        BaseUrl::new(url).unwrap(),
        MerchantId::new("452739").unwrap(),
        Login::new("LOGIN").unwrap(),
        Password::new(password).unwrap(),
    );
    config.connect_timeout = Duration::from_secs(2);
    config.total_timeout = Duration::from_secs(5);
    config.retry_backoff = Duration::from_millis(10);
    config
}

pub fn client(sb: &Sandbox) -> Client {
    Client::new(config(&sb.url(), CANARY)).unwrap()
}

pub fn customer(number: &str) -> CustomerNumber {
    CustomerNumber::new(number).unwrap()
}

pub fn tokens(cards: &[assist::Card]) -> Vec<&str> {
    cards.iter().map(|c| c.token.as_str()).collect()
}

/// Fails if the canary password shows in any rendering of `value`.
pub fn assert_no_leak(value: &(impl std::fmt::Debug + std::fmt::Display + serde::Serialize)) {
    let renderings = [
        format!("{value}"),
        format!("{value:?}"),
        format!("{value:#?}"),
        serde_json::to_string(value).unwrap(),
    ];
    for text in renderings {
        assert!(!text.contains(CANARY), "credential leaked: {text}");
    }
}
