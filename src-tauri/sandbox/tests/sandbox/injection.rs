//! Each fault-plan knob, and that countdowns fire exactly N times.

use std::time::{Duration, Instant};

use assist_sandbox::{FaultPlan, NoMediaForm};

use crate::common::*;

fn plan(f: impl FnOnce(&mut FaultPlan)) -> FaultPlan {
    let mut plan = FaultPlan::default();
    f(&mut plan);
    plan
}

#[tokio::test]
async fn html_error_pages_then_recovery() {
    let sandbox = start().await;
    sandbox.faults().set(plan(|p| p.html_5xx = 2));
    let first = post(&sandbox, TOKEN, list_body("1234")).await;
    assert_eq!(first.status, 503);
    assert!(first.content_type().starts_with("text/html"));
    assert!(first.text.contains("<html>"));
    let second = post(&sandbox, TOKEN, list_body("1234")).await;
    assert_eq!(second.status, 502);
    assert!(second.text.contains("502 Bad Gateway"));
    assert_eq!(
        post(&sandbox, TOKEN, list_body("1234"))
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(sandbox.faults().get().html_5xx, 0);
}

#[tokio::test]
async fn malformed_and_truncated_json_once_each() {
    let sandbox = start().await;
    sandbox.faults().set(plan(|p| {
        p.malformed_json = 1;
        p.truncated_json = 1;
    }));
    let malformed = post(&sandbox, TOKEN, list_body("1234")).await;
    assert_eq!(malformed.status, 200);
    assert!(serde_json::from_str::<serde_json::Value>(&malformed.text).is_err());
    assert!(malformed.text.contains("'token'"));
    let truncated = post(&sandbox, TOKEN, list_body("1234")).await;
    assert!(serde_json::from_str::<serde_json::Value>(&truncated.text).is_err());
    assert!(truncated.text.starts_with("[{\"expire\""));
    let content_length: usize = truncated.headers["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(content_length, truncated.text.len());
    assert!(
        post(&sandbox, TOKEN, list_body("1234"))
            .await
            .json()
            .is_array()
    );
    // Empty lists and faults break too.
    sandbox.faults().set(plan(|p| p.malformed_json = 2));
    assert!(
        serde_json::from_str::<serde_json::Value>(
            &post(&sandbox, TOKEN, list_body("100000")).await.text
        )
        .is_err()
    );
    let fault = post(&sandbox, TOKEN, list_body("")).await;
    assert!(serde_json::from_str::<serde_json::Value>(&fault.text).is_err());
}

#[tokio::test]
async fn reset_before_response_is_a_transport_error_and_nothing_happens() {
    let sandbox = start().await;
    sandbox.faults().set(plan(|p| p.reset_before_response = 1));
    let error = try_post(&sandbox, REM_TOKEN, rem_body("1234", DOC_REMOVABLE))
        .await
        .err();
    let error = error.expect("a reset connection is a transport error");
    assert!(error.status().is_none(), "no HTTP status: {error:?}");
    assert_eq!(sandbox.requests_seen(), 1);
    let entry = sandbox.ledger().entry(DOC_REMOVABLE);
    assert_eq!((entry.rem_token_calls, entry.effective_removals), (1, 0));
    assert!(tokens(&list(&sandbox, "1234").await).contains(&DOC_REMOVABLE.to_owned()));
}

#[tokio::test]
async fn reset_is_seen_on_a_kept_alive_connection_too() {
    let sandbox = start().await;
    let client = pooled_client();
    let url = format!("{}{TOKEN}", sandbox.url());
    assert!(
        client
            .post(&url)
            .body(list_body("1234"))
            .send()
            .await
            .unwrap()
            .status()
            .is_success()
    );
    sandbox.faults().set(plan(|p| p.reset_before_response = 1));
    assert!(
        client
            .post(&url)
            .body(list_body("1234"))
            .send()
            .await
            .is_err()
    );
    let after = client
        .post(&url)
        .body(list_body("1234"))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 200);
}

#[tokio::test]
async fn reset_after_removal_applies_the_removal() {
    let sandbox = start().await;
    sandbox.faults().set(plan(|p| p.reset_after_removal = 1));
    // Listing is not affected by this knob.
    assert_eq!(list(&sandbox, "1234").await.len(), 3);
    assert!(
        try_post(&sandbox, REM_TOKEN, rem_body("1234", DOC_REMOVABLE))
            .await
            .is_err()
    );
    let entry = sandbox.ledger().entry(DOC_REMOVABLE);
    assert_eq!((entry.rem_token_calls, entry.effective_removals), (1, 1));
    assert!(!tokens(&list(&sandbox, "1234").await).contains(&DOC_REMOVABLE.to_owned()));
    // A blind retry now looks like "not found" (docs/assist-api.md §12.14).
    assert_eq!(
        post(&sandbox, REM_TOKEN, rem_body("1234", DOC_REMOVABLE))
            .await
            .fault(),
        (10, 203)
    );
    let entry = sandbox.ledger().entry(DOC_REMOVABLE);
    assert_eq!((entry.rem_token_calls, entry.effective_removals), (2, 1));
}

#[tokio::test]
async fn rate_limit_fires_n_times_then_succeeds() {
    let sandbox = start().await;
    sandbox.faults().set(plan(|p| p.rate_limit = 2));
    assert_eq!(
        post(&sandbox, TOKEN, list_body("1234")).await.fault(),
        (17, 3)
    );
    assert_eq!(sandbox.faults().get().rate_limit, 1);
    assert_eq!(
        post(&sandbox, REM_TOKEN, rem_body("1234", DOC_REMOVABLE))
            .await
            .fault(),
        (17, 3)
    );
    assert!(
        post(&sandbox, TOKEN, list_body("1234"))
            .await
            .json()
            .is_array()
    );
    assert_eq!(sandbox.requests_seen(), 3);
}

#[tokio::test]
async fn latency_delays_gateway_answers() {
    let sandbox = start().await;
    sandbox.faults().set(plan(|p| p.latency_ms = 300));
    let started = Instant::now();
    assert!(
        post(&sandbox, TOKEN, list_body("1234"))
            .await
            .json()
            .is_array()
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn error_rate_zero_and_one() {
    let sandbox = start().await;
    sandbox.faults().set(plan(|p| p.error_rate = 1.0));
    for _ in 0..3 {
        assert_eq!(
            post(&sandbox, TOKEN, list_body("1234")).await.fault(),
            (2, 1)
        );
    }
    sandbox.faults().set(plan(|p| p.error_rate = 0.0));
    for _ in 0..3 {
        assert!(
            post(&sandbox, TOKEN, list_body("1234"))
                .await
                .json()
                .is_array()
        );
    }
}

#[tokio::test]
async fn no_media_form_overrides_every_card_without_media() {
    let sandbox = start().await;
    let own = [
        ("100600", r#""assets":"""#),
        ("100601", r#""assets":[]"#),
        ("100602", r#""assets":null"#),
    ];
    for (customer, form) in own {
        assert!(
            post(&sandbox, TOKEN, list_body(customer))
                .await
                .text
                .contains(form),
            "{customer}"
        );
    }
    assert!(
        !post(&sandbox, TOKEN, list_body("100603"))
            .await
            .text
            .contains("assets")
    );
    let overrides = [
        (NoMediaForm::EmptyString, Some(r#""assets":"""#)),
        (NoMediaForm::EmptyArray, Some(r#""assets":[]"#)),
        (NoMediaForm::Null, Some(r#""assets":null"#)),
        (NoMediaForm::Missing, None),
    ];
    for (form, text) in overrides {
        sandbox.faults().set(plan(|p| p.no_media_form = Some(form)));
        for customer in ["100600", "100601", "100602", "100603"] {
            let answer = post(&sandbox, TOKEN, list_body(customer)).await.text;
            match text {
                Some(text) => assert!(answer.contains(text), "{form:?} {customer}: {answer}"),
                None => assert!(!answer.contains("assets"), "{form:?} {customer}: {answer}"),
            }
        }
        // Cards with media keep it.
        assert!(list(&sandbox, "1234").await[0]["assets"].is_array());
    }
}
