//! A web page in the agent's browser must not drive the sandbox: a foreign `Host` (DNS
//! rebinding) is refused, a foreign `Origin` is refused, and the control API needs the
//! control token. Each refusal is checked against the ledger and the card list: nothing
//! happened.

use std::io::ErrorKind;

use assist_sandbox::{LedgerEntry, Sandbox, SandboxConfig};
use serde_json::Value;

use crate::common::*;

/// A client for which `evil.example` resolves to the sandbox: what a page on
/// `http://evil.example:PORT` gets once its DNS name is re-pointed at 127.0.0.1.
fn rebound(sandbox: &Sandbox, http2: bool) -> reqwest::Client {
    let builder = reqwest::Client::builder()
        .no_proxy()
        .resolve("evil.example", sandbox.addr());
    let builder = if http2 {
        builder.http2_prior_knowledge()
    } else {
        builder
    };
    builder.build().unwrap()
}

fn evil_url(sandbox: &Sandbox, path: &str) -> String {
    format!("http://evil.example:{}{path}", sandbox.addr().port())
}

async fn still_listed(sandbox: &Sandbox) -> bool {
    tokens(&list(sandbox, "1234").await).contains(&DOC_REMOVABLE.to_owned())
}

#[tokio::test]
async fn a_rebound_host_name_is_refused_on_every_route_over_http1_and_http2() {
    let sandbox = start().await;
    for http2 in [false, true] {
        let evil = rebound(&sandbox, http2);
        let removal = evil
            .post(evil_url(&sandbox, REM_TOKEN))
            .header("Content-Type", "text/plain")
            .body(rem_body("1234", DOC_REMOVABLE))
            .send()
            .await
            .unwrap();
        assert_eq!(removal.status(), 421, "http2: {http2}");
        for path in ["/_sandbox/health", "/media/visa-icon.png"] {
            let status = evil
                .get(evil_url(&sandbox, path))
                .send()
                .await
                .unwrap()
                .status();
            assert_eq!(status, 421, "{path}, http2: {http2}");
        }
        let reset = evil
            .post(evil_url(&sandbox, "/_sandbox/reset"))
            .bearer_auth(sandbox.control_token())
            .send()
            .await
            .unwrap();
        assert_eq!(reset.status(), 421, "even with the token, http2: {http2}");
    }
    assert_eq!(sandbox.requests_seen(), 0, "refused before the gateway");
    assert_eq!(
        sandbox.ledger().entry(DOC_REMOVABLE),
        LedgerEntry::default()
    );
    assert!(still_listed(&sandbox).await);
}

#[tokio::test]
async fn a_host_header_that_is_not_the_bound_address_is_refused() {
    let sandbox = start().await;
    let port = sandbox.addr().port();
    for host in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        format!("[::1]:{port}"),
        "127.0.0.1".to_owned(),
    ] {
        let answer = client()
            .post(format!("{}{TOKEN}", sandbox.url()))
            .header("Host", &host)
            .body(list_body("1234"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 421, "{host}");
        let body: Value = answer.json().await.unwrap();
        assert!(body["error"].is_string(), "{host}: {body}");
    }
    // The bound address and localhost on the bound port are the sandbox's own.
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        let answer = client()
            .post(format!("{}{TOKEN}", sandbox.url()))
            .header("Host", &host)
            .body(list_body("1234"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{host}");
    }
}

#[tokio::test]
async fn a_text_plain_removal_from_a_foreign_origin_is_refused_and_removes_nothing() {
    let sandbox = start().await;
    for origin in ["http://evil.example", "null", "https://127.0.0.1"] {
        let answer = client()
            .post(format!("{}{REM_TOKEN}", sandbox.url()))
            .header("Origin", origin)
            .header("Content-Type", "text/plain;charset=UTF-8")
            .body(rem_body("1234", DOC_REMOVABLE))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 403, "{origin}");
    }
    // The sandbox's own origin (on its own port) is someone else on this port, not a page.
    let own_on_other_port = format!("http://127.0.0.1:{}", sandbox.addr().port() ^ 1);
    let answer = client()
        .post(format!("{}{REM_TOKEN}", sandbox.url()))
        .header("Origin", own_on_other_port)
        .body(rem_body("1234", DOC_REMOVABLE))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 403);
    assert_eq!(sandbox.requests_seen(), 0);
    assert_eq!(
        sandbox.ledger().entry(DOC_REMOVABLE),
        LedgerEntry::default()
    );
    assert!(still_listed(&sandbox).await);

    // A foreign Origin on the control API is refused too, token or not.
    let reset = client()
        .post(format!("{}/_sandbox/reset", sandbox.url()))
        .header("Origin", "http://evil.example")
        .bearer_auth(sandbox.control_token())
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 403);

    // The sandbox's own origin passes.
    let own = client()
        .post(format!("{}{TOKEN}", sandbox.url()))
        .header("Origin", sandbox.url())
        .body(list_body("1234"))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
}

#[tokio::test]
async fn the_control_api_needs_the_token() {
    let sandbox = start().await;
    let base = sandbox.url();
    post(&sandbox, REM_TOKEN, rem_body("1234", DOC_REMOVABLE)).await;
    assert!(!still_listed(&sandbox).await);
    let removed = sandbox.ledger().entry(DOC_REMOVABLE);
    assert_eq!(removed.effective_removals, 1);

    for auth in [
        None,
        Some("Bearer wrong-token-0123456789".to_owned()),
        Some(format!("Basic {}", sandbox.control_token())),
        Some(format!("Bearer {}x", sandbox.control_token())),
    ] {
        let mut reset = client().post(format!("{base}/_sandbox/reset"));
        let mut ledger = client().get(format!("{base}/_sandbox/ledger"));
        if let Some(auth) = &auth {
            reset = reset.header("Authorization", auth);
            ledger = ledger.header("Authorization", auth);
        }
        let reset = reset.send().await.unwrap();
        assert_eq!(reset.status(), 401, "{auth:?}");
        assert!(reset.headers().contains_key("www-authenticate"));
        assert_eq!(ledger.send().await.unwrap().status(), 401, "{auth:?}");
    }
    // Nothing was reset: the card is still removed and the ledger still says so.
    assert_eq!(sandbox.ledger().entry(DOC_REMOVABLE), removed);
    assert!(!still_listed(&sandbox).await);

    // Health needs no token (a liveness probe), and the token works.
    let health = client()
        .get(format!("{base}/_sandbox/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let reset = client()
        .post(format!("{base}/_sandbox/reset"))
        .bearer_auth(sandbox.control_token())
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 204);
    assert!(still_listed(&sandbox).await);
    assert_eq!(
        sandbox.ledger().entry(DOC_REMOVABLE),
        LedgerEntry::default()
    );
}

#[tokio::test]
async fn the_token_is_random_per_start_unless_configured() {
    let (a, b) = (start().await, start().await);
    assert_ne!(a.control_token(), b.control_token());
    assert_eq!(a.control_token().len(), 64);

    let token = "a-known-token-for-tests-0123456789";
    let configured = Sandbox::start(SandboxConfig {
        control_token: Some(token.to_owned()),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    assert_eq!(configured.control_token(), token);
    let status = client()
        .get(format!("{}/_sandbox/stats", configured.url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200);

    for bad in ["short", "has spaces in the token", ""] {
        let error = Sandbox::start(SandboxConfig {
            control_token: Some(bad.to_owned()),
            ..SandboxConfig::default()
        })
        .await
        .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{bad:?}");
    }
}
