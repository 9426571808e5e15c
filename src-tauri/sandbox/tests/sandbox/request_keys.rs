//! Request reading: key case at every level, merchant_id types, CustomerNumber sanitising,
//! flat bodies, and asset URLs that follow the Host the client used (docs/assist-api.md §3, §11).

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn keys_match_in_any_case_at_every_level() {
    let sandbox = start().await;
    let expected = tokens(&list(&sandbox, "1234").await);
    let bodies = [
        json!({"Merchant": {"Merchant_ID": "452739", "Login": "LOGIN", "Password": "PASSWORD"}, "CustomerNumber": "1234", "Language": "RU"}),
        json!({"MERCHANT": {"MERCHANT_ID": "452739", "LOGIN": "LOGIN", "PASSWORD": "PASSWORD"}, "CUSTOMERNUMBER": "1234", "LANGUAGE": "EN"}),
        json!({"merchant": {"merchant_Id": "452739", "login": "LOGIN", "passWord": "PASSWORD"}, "customerNumber": "1234"}),
    ];
    for body in bodies {
        let answer = post(&sandbox, TOKEN, body.to_string()).await;
        assert_eq!(
            tokens(answer.json().as_array().unwrap()),
            expected,
            "{body}"
        );
    }
    let removal = json!({"MERCHANT": {"Merchant_ID": 452739, "LOGIN": "LOGIN", "PASSWORD": "PASSWORD"},
                         "CustomerNumber": "1234", "TOKEN": DOC_REMOVABLE});
    let answer = post(&sandbox, REM_TOKEN, removal.to_string()).await;
    assert_eq!(
        answer.json()["message"],
        format!("Token {DOC_REMOVABLE} is removed")
    );
}

#[tokio::test]
async fn merchant_id_may_be_a_number_and_customer_number_too() {
    let sandbox = start().await;
    let body = json!({"merchant": {"merchant_id": 452739, "login": "LOGIN", "password": "PASSWORD"}, "customernumber": 1234});
    let answer = post(&sandbox, TOKEN, body.to_string()).await;
    assert_eq!(answer.json().as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn customer_number_is_sanitised_before_lookup() {
    let sandbox = start().await;
    let expected = tokens(&list(&sandbox, "1234").await);
    for raw in ["12<3>4", "1\"2=3'4", "(1/2);3#4", "<>1234<>"] {
        assert_eq!(tokens(&list(&sandbox, raw).await), expected, "{raw}");
    }
    // Non-ASCII numbers work as stored.
    assert_eq!(list(&sandbox, "КЛ-000731").await.len(), 2);
    assert_eq!(list(&sandbox, "КЛ-<000731>").await.len(), 2);
    // Lookup is exact otherwise: case and spaces matter.
    assert!(list(&sandbox, "crm-100234").await.is_empty());
    assert_eq!(list(&sandbox, "CRM-100234").await.len(), 2);
}

#[tokio::test]
async fn a_number_left_empty_by_sanitising_is_missing() {
    let sandbox = start().await;
    assert_eq!(
        post(&sandbox, TOKEN, list_body("<>()")).await.fault(),
        (3, 0)
    );
}

#[tokio::test]
async fn flat_body_is_refused_unless_lenient() {
    let sandbox = start().await;
    let flat = json!({"merchant_id": "452739", "login": "LOGIN", "password": "PASSWORD", "customernumber": "1234"}).to_string();
    assert_eq!(post(&sandbox, TOKEN, flat.clone()).await.fault(), (3, 100));
    let mut plan = sandbox.faults().get();
    plan.lenient_flat_body = true;
    sandbox.faults().set(plan);
    assert_eq!(
        post(&sandbox, TOKEN, flat)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn long_customer_number_is_a_fault_or_truncated() {
    let sandbox = start().await;
    let exact = "A1B2C3D4E5F6G7H8I9J0K1L2M3N4O5P6";
    assert_eq!(list(&sandbox, exact).await.len(), 1);
    let long = format!("{exact}X");
    assert_eq!(
        post(&sandbox, TOKEN, list_body(&long)).await.fault(),
        (5, 0)
    );
    // Stripped characters do not count towards the limit.
    assert_eq!(list(&sandbox, &format!("<{exact}>")).await.len(), 1);
    let mut plan = sandbox.faults().get();
    plan.truncate_long_customer_number = true;
    sandbox.faults().set(plan);
    assert_eq!(list(&sandbox, &long).await.len(), 1);
}

#[tokio::test]
async fn language_is_case_insensitive_and_optional() {
    let sandbox = start().await;
    for language in ["ru", "En", "EN", ""] {
        let body = json!({"merchant": merchant(), "customernumber": "1234", "language": language});
        assert!(
            post(&sandbox, TOKEN, body.to_string())
                .await
                .json()
                .is_array(),
            "{language}"
        );
    }
}

#[tokio::test]
async fn asset_urls_follow_the_host_header() {
    let sandbox = start().await;
    // The sandbox answers to `localhost` as well as to its IP; art URLs use the name asked for.
    let localhost = format!("localhost:{}", sandbox.addr().port());
    let response = client()
        .post(format!("{}{TOKEN}", sandbox.url()))
        .header("Host", &localhost)
        .body(list_body("1234"))
        .send()
        .await
        .unwrap();
    let cards: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        cards[0]["assets"][0]["assetData"][0]["url"],
        format!("http://{localhost}/media/visa-icon.png")
    );
    // Without an override the URL is the sandbox's own address and resolves.
    let cards = list(&sandbox, "1234").await;
    let url = cards[0]["assets"][0]["assetData"][0]["url"]
        .as_str()
        .unwrap();
    assert_eq!(url, format!("{}/media/visa-icon.png", sandbox.url()));
    assert_eq!(client().get(url).send().await.unwrap().status(), 200);
}
