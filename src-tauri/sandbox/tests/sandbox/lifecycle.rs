//! Start, address, shutdown.

use std::time::Duration;

use assist_sandbox::{FaultPlan, Sandbox, SandboxConfig, Seed};

use crate::common::*;

#[tokio::test]
async fn url_and_addr_agree() {
    let sandbox = start().await;
    assert!(sandbox.addr().port() > 0);
    assert_eq!(
        sandbox.url(),
        format!("http://127.0.0.1:{}", sandbox.addr().port())
    );
}

#[tokio::test]
async fn wildcard_bind_shows_a_loopback_url() {
    let cfg = SandboxConfig {
        addr: "0.0.0.0:0".parse().unwrap(),
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(cfg).await.unwrap();
    assert!(sandbox.url().starts_with("http://127.0.0.1:"));
    assert_eq!(list(&sandbox, "1234").await.len(), 3);
}

#[tokio::test]
async fn shutdown_waits_for_in_flight_requests_then_refuses() {
    let cfg = SandboxConfig {
        faults: FaultPlan {
            latency_ms: 300,
            ..FaultPlan::default()
        },
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::start(cfg).await.unwrap();
    let url = format!("{}{TOKEN}", sandbox.url());
    let in_flight = tokio::spawn({
        let url = url.clone();
        async move {
            client()
                .post(url)
                .body(list_body("1234"))
                .send()
                .await
                .unwrap()
                .status()
        }
    });
    // Wait until the request is being served (inside its 300 ms latency).
    while sandbox.requests_seen() == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    sandbox.shutdown().await;
    assert_eq!(in_flight.await.unwrap(), 200);
    assert!(
        client()
            .post(&url)
            .body(list_body("1234"))
            .send()
            .await
            .is_err()
    );
}

#[tokio::test]
async fn dropping_stops_the_server() {
    let sandbox = start().await;
    let url = format!("{}/_sandbox/health", sandbox.url());
    drop(sandbox);
    // The accept loop stops in the background; give it a moment on a busy machine.
    let mut refused = false;
    for _ in 0..100 {
        if client().get(&url).send().await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "still serving after drop");
}

#[tokio::test]
async fn serve_until_runs_until_the_signal() {
    // A fixed port, found by binding :0 and letting go (serve_until does not report it).
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let cfg = SandboxConfig {
        addr,
        ..SandboxConfig::default()
    };
    let server = tokio::spawn(Sandbox::serve_until(cfg, async move {
        let _ = rx.await;
    }));
    let url = format!("http://{addr}/_sandbox/health");
    let mut up = false;
    for _ in 0..50 {
        if client().get(&url).send().await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(up, "sandbox did not come up on {addr}");
    tx.send(()).unwrap();
    server.await.unwrap().unwrap();
    assert!(client().get(&url).send().await.is_err());
}

#[tokio::test]
async fn custom_seed_from_json_and_errors() {
    let json = r#"{"merchants":[{"merchantId":1,"name":"M","language":"EN","oneClick":{"enabled":true,"mode":"standard"},
        "customers":[{"customerNumber":"c1","cards":[{"expire":"01.2030","token":"AAAAAAAA-BBBB-4CCC-DDDD-EEEEEEEEEEEE","bank":"","brand":"VISA","bin":400000,"active":true,"needCVC":false,"post":"0001"}]}]}],
        "users":[{"login":"u","password":"p","merchantId":1,"webService":true}]}"#;
    let seed = Seed::from_json(json).unwrap();
    assert_eq!(seed.customer_numbers(1), ["c1"]);
    let sandbox = Sandbox::start(SandboxConfig {
        seed,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let body = serde_json::json!({"merchant": {"merchant_id": 1, "login": "u", "password": "p"}, "customernumber": "c1"});
    let answer = post(&sandbox, TOKEN, body.to_string()).await;
    assert_eq!(
        answer.text,
        r#"[{"expire":"01.2030","token":"AAAAAAAA-BBBB-4CCC-DDDD-EEEEEEEEEEEE","bank":"","brand":"VISA","bin":400000,"active":true,"needCVC":false,"post":"0001"}]"#
    );
    assert!(Seed::from_path(std::path::Path::new("/no/such/seed.json")).is_err());
    let builtin = Seed::from_path(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seed/default.json"),
    );
    assert!(builtin.unwrap().customer_numbers(452739).len() >= 50);
}

#[tokio::test]
async fn shutdown_does_not_wait_for_idle_connections() {
    let sandbox = start().await;
    let pooled = pooled_client();
    let url = format!("{}{TOKEN}", sandbox.url());
    assert_eq!(
        pooled
            .post(&url)
            .body(list_body("1234"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // A second connection that never sends a byte.
    let silent = tokio::net::TcpStream::connect(sandbox.addr())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = std::time::Instant::now();
    sandbox.shutdown().await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    drop(silent);
}
