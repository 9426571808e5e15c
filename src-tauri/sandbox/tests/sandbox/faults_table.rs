//! Every row of the fault table (docs/assist-api.md §6.4) on the wire.

use assist_sandbox::FaultPlan;
use serde_json::{Value, json};

use crate::common::*;

fn with_merchant(merchant: Value) -> String {
    json!({"merchant": merchant, "customernumber": "1234"}).to_string()
}

async fn list_fault(body: impl Into<reqwest::Body>) -> (u64, u64) {
    let sandbox = start().await;
    post(&sandbox, TOKEN, body).await.fault()
}

#[tokio::test]
async fn body_not_a_json_object_is_4_0() {
    for body in ["", "not json", "[]", "\"text\"", "{\"merchant\":", "null"] {
        assert_eq!(list_fault(body).await, (4, 0), "{body:?}");
    }
    assert_eq!(list_fault(vec![0xff, 0xfe, b'{']).await, (4, 0));
}

#[tokio::test]
async fn missing_merchant_or_merchant_id_is_3_100() {
    assert_eq!(
        list_fault(json!({"customernumber": "1234"}).to_string()).await,
        (3, 100)
    );
    assert_eq!(
        list_fault(json!({"merchant": "452739", "customernumber": "1234"}).to_string()).await,
        (3, 100)
    );
    assert_eq!(
        list_fault(with_merchant(
            json!({"login": "LOGIN", "password": "PASSWORD"})
        ))
        .await,
        (3, 100)
    );
    assert_eq!(
        list_fault(with_merchant(
            json!({"merchant_id": "", "login": "LOGIN", "password": "PASSWORD"})
        ))
        .await,
        (3, 100)
    );
    assert_eq!(
        list_fault(with_merchant(
            json!({"merchant_id": null, "login": "LOGIN", "password": "PASSWORD"})
        ))
        .await,
        (3, 100)
    );
}

#[tokio::test]
async fn missing_login_or_password_is_3_101_or_3_102() {
    assert_eq!(
        list_fault(with_merchant(
            json!({"merchant_id": "452739", "password": "PASSWORD"})
        ))
        .await,
        (3, 101)
    );
    assert_eq!(
        list_fault(with_merchant(
            json!({"merchant_id": "452739", "login": "LOGIN"})
        ))
        .await,
        (3, 102)
    );
    assert_eq!(
        list_fault(with_merchant(
            json!({"merchant_id": "452739", "login": "", "password": "PASSWORD"})
        ))
        .await,
        (3, 101)
    );
}

#[tokio::test]
async fn missing_customer_number_or_token_is_3_0() {
    assert_eq!(
        list_fault(json!({"merchant": merchant()}).to_string()).await,
        (3, 0)
    );
    let sandbox = start().await;
    let no_token = json!({"merchant": merchant(), "customernumber": "1234"}).to_string();
    assert_eq!(post(&sandbox, REM_TOKEN, no_token).await.fault(), (3, 0));
    let no_customer = json!({"merchant": merchant(), "token": DOC_REMOVABLE}).to_string();
    assert_eq!(post(&sandbox, REM_TOKEN, no_customer).await.fault(), (3, 0));
}

#[tokio::test]
async fn bad_merchant_id_is_4_100() {
    for id in [
        json!("45x739"),
        json!("2147483648"),
        json!(-1),
        json!(452739.5),
        json!(true),
        json!("1234567890123456"),
    ] {
        let body =
            with_merchant(json!({"merchant_id": id, "login": "LOGIN", "password": "PASSWORD"}));
        assert_eq!(list_fault(body).await, (4, 100), "{id}");
    }
}

#[tokio::test]
async fn unknown_merchant_or_foreign_login_is_14_200() {
    let unknown =
        with_merchant(json!({"merchant_id": "999999", "login": "LOGIN", "password": "PASSWORD"}));
    assert_eq!(list_fault(unknown).await, (14, 200));
    let foreign = with_merchant(
        json!({"merchant_id": "452739", "login": "MINSK_API", "password": "Minsk2024pass"}),
    );
    assert_eq!(list_fault(foreign).await, (14, 200));
}

#[tokio::test]
async fn wrong_password_or_unknown_login_is_7_141() {
    let wrong =
        with_merchant(json!({"merchant_id": "452739", "login": "LOGIN", "password": "password"}));
    assert_eq!(list_fault(wrong).await, (7, 141));
    let unknown =
        with_merchant(json!({"merchant_id": "452739", "login": "NOBODY", "password": "PASSWORD"}));
    assert_eq!(list_fault(unknown).await, (7, 141));
}

#[tokio::test]
async fn no_web_service_rights_or_one_click_off_is_19_350() {
    let reports = with_merchant(
        json!({"merchant_id": "452739", "login": "REPORTS_ONLY", "password": "Reports2024"}),
    );
    assert_eq!(list_fault(reports).await, (19, 350));
    let off = with_merchant(
        json!({"merchant_id": "452740", "login": "ONECLICK_OFF", "password": "OneClickOff1"}),
    );
    assert_eq!(list_fault(off).await, (19, 350));
}

#[tokio::test]
async fn language_other_than_ru_or_en_is_5_127() {
    for language in [json!("DE"), json!("RUS"), json!(1)] {
        let body = json!({"merchant": merchant(), "customernumber": "1234", "language": language});
        assert_eq!(list_fault(body.to_string()).await, (5, 127), "{language}");
    }
}

#[tokio::test]
async fn malformed_token_is_4_0() {
    let sandbox = start().await;
    for token in [
        json!("12345"),
        json!("54F5A3DE4B474B4003B57FF992D6B401XXXX"),
        json!("54F5A3DE-4B47-4B40-03B5-7FF992D6B40Z"),
        json!(42),
    ] {
        let body = json!({"merchant": merchant(), "customernumber": "1234", "token": token});
        assert_eq!(
            post(&sandbox, REM_TOKEN, body.to_string()).await.fault(),
            (4, 0),
            "{token}"
        );
    }
}

#[tokio::test]
async fn unknown_or_foreign_token_is_10_203() {
    let sandbox = start().await;
    let unknown = "00000000-0000-4000-8000-000000000000";
    assert_eq!(
        post(&sandbox, REM_TOKEN, rem_body("1234", unknown))
            .await
            .fault(),
        (10, 203)
    );
    // A real token, but of another customer.
    assert_eq!(
        post(&sandbox, REM_TOKEN, rem_body("100301", DOC_REMOVABLE))
            .await
            .fault(),
        (10, 203)
    );
    // An unknown customer.
    assert_eq!(
        post(
            &sandbox,
            REM_TOKEN,
            rem_body("no-such-customer", DOC_REMOVABLE)
        )
        .await
        .fault(),
        (10, 203)
    );
}

#[tokio::test]
async fn no_cards_is_an_empty_list_or_10_202() {
    let sandbox = start().await;
    assert_eq!(post(&sandbox, TOKEN, list_body("100000")).await.text, "[]");
    assert_eq!(
        post(&sandbox, TOKEN, list_body("no-such-customer"))
            .await
            .text,
        "[]"
    );
    sandbox.faults().set(FaultPlan {
        no_cards_as_fault: true,
        ..FaultPlan::default()
    });
    assert_eq!(
        post(&sandbox, TOKEN, list_body("100000")).await.fault(),
        (10, 202)
    );
    assert_eq!(
        post(&sandbox, TOKEN, list_body("no-such-customer"))
            .await
            .fault(),
        (10, 202)
    );
    assert_eq!(list(&sandbox, "1234").await.len(), 3);
}

#[tokio::test]
async fn rate_limit_is_17_3_and_internal_error_is_2_1() {
    let sandbox = start().await;
    sandbox.faults().set(FaultPlan {
        rate_limit: 1,
        ..FaultPlan::default()
    });
    assert_eq!(
        post(&sandbox, TOKEN, list_body("1234")).await.fault(),
        (17, 3)
    );
    sandbox.faults().set(FaultPlan {
        error_rate: 1.0,
        ..FaultPlan::default()
    });
    assert_eq!(
        post(&sandbox, TOKEN, list_body("1234")).await.fault(),
        (2, 1)
    );
    assert_eq!(
        post(&sandbox, REM_TOKEN, rem_body("1234", DOC_REMOVABLE))
            .await
            .fault(),
        (2, 1)
    );
    // Nothing was removed by the failed calls.
    sandbox.faults().clear();
    assert_eq!(list(&sandbox, "1234").await.len(), 3);
}
