//! The `/_sandbox/` control API over HTTP.

use serde_json::{Value, json};

use crate::common::*;

/// A GET with the sandbox's control token.
async fn get(sandbox: &assist_sandbox::Sandbox, url: String) -> (u16, Value) {
    let response = client()
        .get(url)
        .bearer_auth(sandbox.control_token())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn health_and_stats() {
    let sandbox = start().await;
    let base = sandbox.url();
    assert_eq!(
        get(&sandbox, format!("{base}/_sandbox/health")).await,
        (200, json!({"status": "ok"}))
    );
    post(&sandbox, TOKEN, list_body("1234")).await;
    post(&sandbox, REM_TOKEN, "garbage").await;
    client()
        .get(format!("{base}/media/visa-icon.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        get(&sandbox, format!("{base}/_sandbox/stats")).await,
        (200, json!({"requestsSeen": 2, "requestsRefused": 0}))
    );
}

#[tokio::test]
async fn faults_put_get_delete() {
    let sandbox = start().await;
    let url = format!("{}/_sandbox/faults", sandbox.url());
    let (_, plan) = get(&sandbox, url.clone()).await;
    assert_eq!(plan["faultHttpStatus"], 200);
    assert_eq!(plan["html5xx"], 0);
    assert_eq!(plan["noMediaForm"], Value::Null);

    let put = client()
        .put(&url)
        .bearer_auth(sandbox.control_token())
        .json(&json!({"rateLimit": 1, "codesAsStrings": true, "noMediaForm": "null"}))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    assert_eq!(sandbox.faults().get().rate_limit, 1);
    let answer = post(&sandbox, TOKEN, list_body("1234")).await.json();
    assert_eq!(answer["fault"]["faultcode"], "17");
    let (_, plan) = get(&sandbox, url.clone()).await;
    assert_eq!(plan["rateLimit"], 0);
    assert_eq!(plan["codesAsStrings"], true);

    let bad = client()
        .put(&url)
        .bearer_auth(sandbox.control_token())
        .json(&json!({"rate_limit": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let error: Value = bad.json().await.unwrap();
    assert!(error["error"].as_str().unwrap().contains("rate_limit"));

    let cleared = client()
        .delete(&url)
        .bearer_auth(sandbox.control_token())
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), 200);
    assert_eq!(sandbox.faults().get(), assist_sandbox::FaultPlan::default());
}

#[tokio::test]
async fn ledger_and_reset() {
    let sandbox = start().await;
    let base = sandbox.url();
    post(&sandbox, REM_TOKEN, rem_body("1234", DOC_REMOVABLE)).await;
    post(&sandbox, REM_TOKEN, rem_body("1234", DOC_REMOVABLE)).await;
    let (status, ledger) = get(&sandbox, format!("{base}/_sandbox/ledger")).await;
    assert_eq!(status, 200);
    assert_eq!(
        ledger,
        json!({DOC_REMOVABLE: {"remTokenCalls": 2, "effectiveRemovals": 1, "callsAfterRemoval": 1}})
    );

    let mut plan = sandbox.faults().get();
    plan.latency_ms = 5;
    sandbox.faults().set(plan);
    let reset = client()
        .post(format!("{base}/_sandbox/reset"))
        .bearer_auth(sandbox.control_token())
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 204);
    assert_eq!(
        get(&sandbox, format!("{base}/_sandbox/ledger")).await.1,
        json!({})
    );
    assert_eq!(
        get(&sandbox, format!("{base}/_sandbox/stats")).await.1,
        json!({"requestsSeen": 0, "requestsRefused": 0})
    );
    assert_eq!(sandbox.faults().get().latency_ms, 0);
    assert_eq!(list(&sandbox, "1234").await.len(), 3);
}

#[tokio::test]
async fn merchants_and_customers_listing() {
    let sandbox = start().await;
    let base = sandbox.url();
    let (_, merchants) = get(&sandbox, format!("{base}/_sandbox/merchants")).await;
    let demo = merchants
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["merchantId"] == 452739)
        .unwrap();
    assert_eq!(demo["language"], "RU");
    assert!(
        demo["logins"]
            .as_array()
            .unwrap()
            .contains(&json!({"login": "LOGIN", "webService": true}))
    );
    assert!(
        !merchants.to_string().contains("PASSWORD\""),
        "no passwords"
    );
    let (_, customers) = get(&sandbox, format!("{base}/_sandbox/customers")).await;
    let first = &customers[0];
    assert_eq!(first["merchantId"], 452739);
    assert_eq!(first["customerNumber"], "1234");
    assert_eq!(first["cards"], 3);
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let sandbox = start().await;
    let base = sandbox.url();
    assert_eq!(
        client()
            .get(format!("{base}{TOKEN}"))
            .send()
            .await
            .unwrap()
            .status(),
        405
    );
    assert_eq!(
        client()
            .get(format!("{base}/nope"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        client()
            .get(format!("{base}/media/nope.png"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        client()
            .get(format!("{base}/media/../Cargo.toml"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}
