//! The desk on its built-in sandbox profile, over real loopback HTTP.
#![allow(clippy::unwrap_used)]

use assist::{BaseUrl, Password};
use assist_sandbox::{Sandbox, SandboxConfig};
use desk::{Desk, ErrorCode, Profile};

async fn open() -> (Sandbox, Desk) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let profile = Profile::sandbox(BaseUrl::new(&sb.url()).unwrap()).unwrap();
    let desk = Desk::open(profile, Password::new("PASSWORD").unwrap()).unwrap();
    (sb, desk)
}

#[tokio::test]
async fn lists_the_documentation_customer_as_masked_card_views() {
    let (sb, desk) = open().await;
    let list = desk.list_cards(" 1234 ").await.unwrap();
    assert_eq!(list.customer, "1234");
    assert_eq!(list.cards.len(), 3);
    let visa = list.cards.iter().find(|c| c.last4 == "0028").unwrap();
    assert_eq!(visa.masked, "4123 62•• •••• 0028");
    assert_eq!(visa.expiry_text, "12/2025");
    assert!(visa.expired, "12/2025 is past");
    assert!(list.fetched_at.ends_with('Z'), "{}", list.fetched_at);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_forbidden_character_is_a_validation_error_and_nothing_is_sent() {
    let (sb, desk) = open().await;
    let err = desk.list_cards("12<3>4").await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.message.contains("customer number"), "{}", err.message);
    assert_eq!(sb.requests_seen(), 0);
    sb.shutdown().await;
}

#[test]
fn desk_errors_cross_ipc_as_code_and_message() {
    let e = desk::DeskError {
        code: ErrorCode::GatewayFault,
        message: "7/141".into(),
    };
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        serde_json::json!({"code": "gateway_fault", "message": "7/141"})
    );
}
