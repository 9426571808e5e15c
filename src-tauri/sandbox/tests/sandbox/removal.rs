//! rem_token.cfm semantics: soft delete, exact token match, the ledger (docs/assist-api.md §5,
//! §7.2).

use crate::common::*;

#[tokio::test]
async fn removal_is_effective_once_and_counted_every_time() {
    let sandbox = start().await;
    let cards = list(&sandbox, "100304").await;
    let token = cards[0]["token"].as_str().unwrap().to_owned();
    let first = post(&sandbox, REM_TOKEN, rem_body("100304", &token)).await;
    assert_eq!(first.json()["message"], format!("Token {token} is removed"));
    assert_eq!(tokens(&list(&sandbox, "100304").await), tokens(&cards[1..]));
    for _ in 0..2 {
        assert_eq!(
            post(&sandbox, REM_TOKEN, rem_body("100304", &token))
                .await
                .fault(),
            (10, 203)
        );
    }
    let entry = sandbox.ledger().entry(&token);
    assert_eq!((entry.rem_token_calls, entry.effective_removals), (3, 1));
    assert_eq!(sandbox.ledger().all().len(), 1);
}

#[tokio::test]
async fn tokens_match_exactly_as_issued() {
    let sandbox = start().await;
    let lower = DOC_REMOVABLE.to_lowercase();
    assert_eq!(
        post(&sandbox, REM_TOKEN, rem_body("1234", &lower))
            .await
            .fault(),
        (10, 203)
    );
    assert_eq!(list(&sandbox, "1234").await.len(), 3);
    // The ledger keeps what was sent.
    assert_eq!(sandbox.ledger().entry(&lower).rem_token_calls, 1);
    assert_eq!(sandbox.ledger().entry(DOC_REMOVABLE).rem_token_calls, 0);
}

#[tokio::test]
async fn cards_deleted_in_the_seed_are_hidden_and_not_removable() {
    let sandbox = start().await;
    // 100800 has two cards in the seed, the first one already deleted.
    let listed = list(&sandbox, "100800").await;
    assert_eq!(listed.len(), 1);
    let customers: serde_json::Value = client()
        .get(format!("{}/_sandbox/customers", sandbox.url()))
        .bearer_auth(sandbox.control_token())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entry = customers
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["customerNumber"] == "100800")
        .unwrap();
    assert_eq!(entry["cards"], 1);
}

#[tokio::test]
async fn reset_brings_removed_cards_back() {
    let sandbox = start().await;
    post(&sandbox, REM_TOKEN, rem_body("1234", DOC_REMOVABLE)).await;
    assert_eq!(list(&sandbox, "1234").await.len(), 2);
    sandbox.reset();
    assert_eq!(list(&sandbox, "1234").await.len(), 3);
    assert!(sandbox.ledger().all().is_empty());
    assert_eq!(sandbox.requests_seen(), 1);
}

#[tokio::test]
async fn sandboxes_do_not_share_state() {
    let a = start().await;
    let b = start().await;
    post(&a, REM_TOKEN, rem_body("1234", DOC_REMOVABLE)).await;
    assert_eq!(list(&a, "1234").await.len(), 2);
    assert_eq!(list(&b, "1234").await.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_removals_of_one_card_succeed_once() {
    let sandbox = start().await;
    let url = format!("{}{REM_TOKEN}", sandbox.url());
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let url = url.clone();
        calls.spawn(async move {
            let response = client()
                .post(url)
                .body(rem_body("1234", DOC_REMOVABLE))
                .send()
                .await;
            response.unwrap().text().await.unwrap()
        });
    }
    let answers = calls.join_all().await;
    let removed = answers.iter().filter(|a| a.contains("is removed")).count();
    assert_eq!(removed, 1, "{answers:?}");
    let entry = sandbox.ledger().entry(DOC_REMOVABLE);
    assert_eq!((entry.rem_token_calls, entry.effective_removals), (8, 1));
}
