//! How a fault looks on the wire (docs/assist-api.md §4.4, §11.9, §11.10, §11.14).

use assist_sandbox::FaultPlan;
use serde_json::json;

use crate::common::*;

fn wrong_password(language: Option<&str>) -> String {
    let mut body = json!({"merchant": {"merchant_id": "452739", "login": "LOGIN", "password": "nope"}, "customernumber": "1234"});
    if let Some(language) = language {
        body["language"] = json!(language);
    }
    body.to_string()
}

#[tokio::test]
async fn default_fault_is_the_documented_shape_in_russian() {
    let sandbox = start().await;
    let answer = post(&sandbox, TOKEN, wrong_password(Some("RU"))).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_type(), "application/json;charset=UTF-8");
    assert_eq!(
        answer.text,
        r#"{"fault":{"detail":"Ошибка аутентификации (Login и/или Password)","faultcode":7,"faultstring":141}}"#
    );
}

#[tokio::test]
async fn detail_language_is_the_requests_then_the_merchants() {
    let sandbox = start().await;
    let en = post(&sandbox, TOKEN, wrong_password(Some("EN")))
        .await
        .json();
    assert_eq!(
        en["fault"]["detail"],
        "Authentication error (Login and/or Password)"
    );
    // No language: merchant 452739 is configured RU.
    let default = post(&sandbox, TOKEN, wrong_password(None)).await.json();
    assert_eq!(
        default["fault"]["detail"],
        "Ошибка аутентификации (Login и/или Password)"
    );
    // Merchant 700001 is configured EN.
    let travel = json!({"merchant": {"merchant_id": 700001, "login": "TRAVEL_API", "password": "x"}, "customernumber": "1"});
    let answer = post(&sandbox, TOKEN, travel.to_string()).await.json();
    assert_eq!(
        answer["fault"]["detail"],
        "Authentication error (Login and/or Password)"
    );
    // An invalid language is itself reported in the merchant's language.
    let bad = json!({"merchant": merchant(), "customernumber": "1234", "language": "DE"});
    let answer = post(&sandbox, TOKEN, bad.to_string()).await.json();
    assert_eq!(
        answer["fault"]["detail"],
        "Неверное значение параметра (Language)"
    );
}

#[tokio::test]
async fn fault_http_status_is_configurable() {
    let sandbox = start().await;
    for status in [400u16, 401, 403, 500] {
        sandbox.faults().set(FaultPlan {
            fault_http_status: status,
            ..FaultPlan::default()
        });
        let answer = post(&sandbox, TOKEN, wrong_password(None)).await;
        assert_eq!(answer.status.as_u16(), status);
        assert_eq!(answer.fault(), (7, 141));
        // Successes stay 200.
        assert_eq!(post(&sandbox, TOKEN, list_body("1234")).await.status, 200);
    }
    sandbox.faults().set(FaultPlan {
        fault_http_status: 0,
        ..FaultPlan::default()
    });
    assert_eq!(
        post(&sandbox, TOKEN, wrong_password(None)).await.status,
        200
    );
}

#[tokio::test]
async fn codes_as_strings_and_detail_as_object() {
    let sandbox = start().await;
    sandbox.faults().set(FaultPlan {
        codes_as_strings: true,
        ..FaultPlan::default()
    });
    let answer = post(&sandbox, TOKEN, wrong_password(Some("RU"))).await;
    assert_eq!(
        answer.text,
        r#"{"fault":{"detail":"Ошибка аутентификации (Login и/или Password)","faultcode":"7","faultstring":"141"}}"#
    );
    sandbox.faults().set(FaultPlan {
        detail_as_object: true,
        ..FaultPlan::default()
    });
    let v = post(&sandbox, TOKEN, wrong_password(Some("EN")))
        .await
        .json();
    let detail = &v["fault"]["detail"];
    assert_eq!(
        detail["message"],
        "Authentication error (Login and/or Password)"
    );
    assert!(detail["recomendation"].as_str().unwrap().len() > 5);
    assert_eq!(v["fault"]["faultcode"], 7);
    let keys: Vec<&String> = v["fault"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["detail", "faultcode", "faultstring"]);
}
