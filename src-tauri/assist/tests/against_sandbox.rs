//! The client against the real sandbox over loopback, for every fault and quirk the sandbox
//! can inject. The ledger is the ground truth for removals: how many rem_token calls a token
//! got, and how many of them removed it.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use assist::{CardToken, Client, CustomerNumber, Error, Fault, Language, RemovalOutcome};
use assist_sandbox::{FaultPlan, LedgerEntry, NoMediaForm};
use common::{
    CANARY, DOC_CUSTOMER, MC, MIR, VISA, assert_no_leak, client, config, customer, sandbox, tokens,
};

fn plan(f: impl FnOnce(&mut FaultPlan)) -> FaultPlan {
    let mut plan = FaultPlan::default();
    f(&mut plan);
    plan
}

fn token(t: &str) -> CardToken {
    CardToken::new(t).unwrap()
}

/// `calls` removals sent, `removals` of them effective, and (in every sequence here) any call
/// beyond the effective one came after it.
fn ledger(calls: u64, removals: u64) -> LedgerEntry {
    LedgerEntry {
        rem_token_calls: calls,
        effective_removals: removals,
        calls_after_removal: if removals > 0 { calls - removals } else { 0 },
    }
}

fn expect_fault(result: Result<Vec<assist::Card>, Error>) -> Fault {
    let err = result.unwrap_err();
    assert_no_leak(&err);
    match err {
        Error::Fault(fault) => fault,
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[tokio::test]
async fn list_success_returns_the_documented_cards() {
    let sb = sandbox().await;
    let cards = client(&sb)
        .list_cards(&customer(DOC_CUSTOMER))
        .await
        .unwrap();
    assert_eq!(tokens(&cards), [VISA, MC, MIR]);
    assert_eq!(cards[0].bin, "412362");
    assert_eq!(cards[0].last4, "0028");
    assert_eq!(cards[0].masked(), "4123 62•• •••• 0028");
    assert_eq!(cards[1].brand, "MasterCard");
    assert_eq!(cards[1].assets[0].data[0].media_type, "image/pdf");
    assert_eq!(cards[1].assets[0].data[0].width, None);
    assert!(cards[1].assets[0].data[0].url.starts_with(&sb.url()));
    assert_eq!(sb.requests_seen(), 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn empty_list_as_array_and_as_no_cards_fault() {
    let sb = sandbox().await;
    let c = client(&sb);
    // Customer 100000 exists without cards; NOPE-1 does not exist at all.
    for number in ["100000", "NOPE-1"] {
        assert!(c.list_cards(&customer(number)).await.unwrap().is_empty());
    }
    sb.faults().set(plan(|p| p.no_cards_as_fault = true));
    for number in ["100000", "NOPE-1"] {
        assert!(c.list_cards(&customer(number)).await.unwrap().is_empty());
    }
    // A "no cards" fault is an answer, not a failure: no retries.
    assert_eq!(sb.requests_seen(), 4);
    sb.shutdown().await;
}

#[tokio::test]
async fn every_no_media_form_parses_to_no_assets() {
    let sb = sandbox().await;
    let c = client(&sb);
    // The seed's own forms: "" (100600), [] (100601), null (100602), missing (100603).
    for number in ["100600", "100601", "100602", "100603"] {
        let cards = c.list_cards(&customer(number)).await.unwrap();
        assert_eq!(cards.len(), 1, "{number}");
        assert!(cards[0].assets.is_empty(), "{number}");
    }
    for form in [
        NoMediaForm::EmptyString,
        NoMediaForm::EmptyArray,
        NoMediaForm::Null,
        NoMediaForm::Missing,
    ] {
        sb.faults().set(plan(|p| p.no_media_form = Some(form)));
        let cards = c.list_cards(&customer("100600")).await.unwrap();
        assert!(cards[0].assets.is_empty(), "{form:?}");
        let doc = c.list_cards(&customer(DOC_CUSTOMER)).await.unwrap();
        assert_eq!(doc[0].assets.len(), 2, "{form:?}: cards with media keep it");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn bad_password_is_fault_7_141_decoded_and_not_retried() {
    let sb = sandbox().await;
    let c = Client::new(config(&sb.url(), "Wrong-Pw-1")).unwrap();
    let fault = expect_fault(c.list_cards(&customer(DOC_CUSTOMER)).await);
    assert_eq!((fault.first, fault.second), (Some(7), Some(141)));
    assert!(
        fault
            .render(Language::En)
            .starts_with("7/141 Authentication error (Login and/or Password)")
    );
    assert!(
        fault
            .render(Language::Ru)
            .starts_with("7/141 Ошибка аутентификации (Login и/или Password)")
    );
    assert!(!fault.detail.is_empty());
    assert_eq!(sb.requests_seen(), 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn fault_details_follow_the_language_and_odd_fault_shapes_decode() {
    let sb = sandbox().await;
    let mut cfg = config(&sb.url(), "Wrong-Pw-1");
    cfg.language = Some(Language::En);
    let c = Client::new(cfg).unwrap();
    sb.faults().set(plan(|p| {
        p.codes_as_strings = true;
        p.detail_as_object = true;
        p.fault_http_status = 401;
    }));
    let fault = expect_fault(c.list_cards(&customer(DOC_CUSTOMER)).await);
    assert_eq!((fault.first, fault.second), (Some(7), Some(141)));
    assert!(
        fault.detail.is_ascii(),
        "EN detail expected: {}",
        fault.detail
    );
    assert!(!fault.detail.is_empty());
    sb.shutdown().await;
}

#[tokio::test]
async fn unknown_merchant_is_fault_14_200() {
    let sb = sandbox().await;
    let mut cfg = config(&sb.url(), CANARY);
    cfg.merchant_id = assist::MerchantId::new("999999").unwrap();
    let fault = expect_fault(Client::new(cfg).unwrap().list_cards(&customer("1")).await);
    assert_eq!((fault.first, fault.second), (Some(14), Some(200)));
    assert!(
        fault
            .render(Language::En)
            .starts_with("14/200 Forbidden object (Enterprise (merchant))")
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn user_without_web_service_rights_is_fault_19_350() {
    let sb = sandbox().await;
    let mut cfg = config(&sb.url(), "Reports2024");
    cfg.login = assist::Login::new("REPORTS_ONLY").unwrap();
    let fault = expect_fault(
        Client::new(cfg)
            .unwrap()
            .list_cards(&customer("1234"))
            .await,
    );
    assert_eq!((fault.first, fault.second), (Some(19), Some(350)));
    sb.shutdown().await;
}

#[tokio::test]
async fn fault_with_http_500_status_is_still_a_fault() {
    let sb = sandbox().await;
    sb.faults().set(plan(|p| p.fault_http_status = 500));
    let c = Client::new(config(&sb.url(), "Wrong-Pw-1")).unwrap();
    let fault = expect_fault(c.list_cards(&customer(DOC_CUSTOMER)).await);
    assert_eq!((fault.first, fault.second), (Some(7), Some(141)));
    assert_eq!(
        sb.requests_seen(),
        1,
        "a fault is not a transport error: no retry"
    );
    // A 500 with the correct password is the list itself, unaffected.
    let cards = client(&sb)
        .list_cards(&customer(DOC_CUSTOMER))
        .await
        .unwrap();
    assert_eq!(cards.len(), 3);
    sb.shutdown().await;
}

#[tokio::test]
async fn html_5xx_page_is_retried_then_succeeds() {
    let sb = sandbox().await;
    sb.faults().set(plan(|p| p.html_5xx = 2));
    let cards = client(&sb)
        .list_cards(&customer(DOC_CUSTOMER))
        .await
        .unwrap();
    assert_eq!(cards.len(), 3);
    assert_eq!(sb.requests_seen(), 3);
    sb.shutdown().await;
}

#[tokio::test]
async fn html_5xx_page_fails_after_three_tries_as_transport() {
    let sb = sandbox().await;
    sb.faults().set(plan(|p| p.html_5xx = 5));
    let err = client(&sb)
        .list_cards(&customer(DOC_CUSTOMER))
        .await
        .unwrap_err();
    assert_no_leak(&err);
    match &err {
        Error::Transport { status, detail } => {
            assert!(matches!(status, Some(502 | 503)), "{status:?}");
            assert!(!detail.contains("nginx"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.code(), "transport");
    assert_eq!(sb.requests_seen(), 3);
    sb.shutdown().await;
}

#[tokio::test]
async fn configured_tries_are_respected_and_capped_at_three() {
    let sb = sandbox().await;
    let mut cfg = config(&sb.url(), CANARY);
    cfg.list_retries = 1;
    sb.faults().set(plan(|p| p.html_5xx = 10));
    let once = Client::new(cfg.clone()).unwrap();
    assert!(once.list_cards(&customer(DOC_CUSTOMER)).await.is_err());
    assert_eq!(sb.requests_seen(), 1);
    cfg.list_retries = 10;
    let capped = Client::new(cfg).unwrap();
    assert!(capped.list_cards(&customer(DOC_CUSTOMER)).await.is_err());
    assert_eq!(sb.requests_seen(), 4);
    sb.shutdown().await;
}

#[tokio::test]
async fn malformed_and_truncated_json_are_retried() {
    let sb = sandbox().await;
    let c = client(&sb);
    sb.faults().set(plan(|p| {
        p.malformed_json = 1;
        p.truncated_json = 1;
    }));
    assert_eq!(
        c.list_cards(&customer(DOC_CUSTOMER)).await.unwrap().len(),
        3
    );
    assert_eq!(sb.requests_seen(), 3);

    for broken in [
        plan(|p| p.malformed_json = 3),
        plan(|p| p.truncated_json = 3),
    ] {
        sb.faults().set(broken);
        let err = c.list_cards(&customer(DOC_CUSTOMER)).await.unwrap_err();
        assert_no_leak(&err);
        assert!(
            matches!(
                err,
                Error::Transport {
                    status: Some(200),
                    ..
                }
            ),
            "{err:?}"
        );
    }
    assert_eq!(sb.requests_seen(), 9);
    sb.shutdown().await;
}

#[tokio::test]
async fn latency_beyond_the_total_timeout_is_a_transport_timeout() {
    let sb = sandbox().await;
    let mut cfg = config(&sb.url(), CANARY);
    cfg.total_timeout = Duration::from_millis(200);
    cfg.list_retries = 2;
    sb.faults().set(plan(|p| p.latency_ms = 1_000));
    let err = Client::new(cfg)
        .unwrap()
        .list_cards(&customer(DOC_CUSTOMER))
        .await
        .unwrap_err();
    assert_no_leak(&err);
    match err {
        Error::Transport { status, detail } => {
            assert_eq!(status, None);
            assert!(detail.starts_with("timed out"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(sb.requests_seen(), 2);
    sb.shutdown().await;
}

#[tokio::test]
async fn connection_reset_on_list_is_retried() {
    let sb = sandbox().await;
    sb.faults().set(plan(|p| p.reset_before_response = 2));
    let cards = client(&sb)
        .list_cards(&customer(DOC_CUSTOMER))
        .await
        .unwrap();
    assert_eq!(cards.len(), 3);
    assert_eq!(sb.requests_seen(), 3);

    sb.faults().set(plan(|p| p.reset_before_response = 3));
    let err = client(&sb)
        .list_cards(&customer(DOC_CUSTOMER))
        .await
        .unwrap_err();
    assert_no_leak(&err);
    assert!(
        matches!(err, Error::Transport { status: None, .. }),
        "{err:?}"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error_after_three_tries() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let c = Client::new(config(&format!("http://127.0.0.1:{port}"), CANARY)).unwrap();
    let err = c.list_cards(&customer(DOC_CUSTOMER)).await.unwrap_err();
    assert_no_leak(&err);
    match err {
        Error::Transport {
            status: None,
            detail,
        } => {
            assert!(detail.starts_with("could not connect"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn rate_limit_fault_is_retried_on_list_within_three_tries() {
    let sb = sandbox().await;
    let c = client(&sb);
    sb.faults().set(plan(|p| p.rate_limit = 2));
    assert_eq!(
        c.list_cards(&customer(DOC_CUSTOMER)).await.unwrap().len(),
        3
    );
    assert_eq!(sb.requests_seen(), 3);

    sb.faults().set(plan(|p| p.rate_limit = 3));
    let fault = expect_fault(c.list_cards(&customer(DOC_CUSTOMER)).await);
    assert_eq!((fault.first, fault.second), (Some(17), Some(3)));
    assert!(fault.is_rate_limited());
    assert_eq!(sb.requests_seen(), 6);
    sb.shutdown().await;
}

#[tokio::test]
async fn internal_error_fault_is_not_retried() {
    let sb = sandbox().await;
    sb.faults().set(plan(|p| p.error_rate = 1.0));
    let fault = expect_fault(client(&sb).list_cards(&customer(DOC_CUSTOMER)).await);
    assert_eq!((fault.first, fault.second), (Some(2), Some(1)));
    assert_eq!(sb.requests_seen(), 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn removal_success_is_one_effective_removal() {
    let sb = sandbox().await;
    let c = client(&sb);
    let outcome = c.remove_card(&customer(DOC_CUSTOMER), &token(MIR)).await;
    assert_no_leak(&outcome);
    match &outcome {
        RemovalOutcome::Removed { message } => assert!(message.contains(MIR), "{message}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(outcome.label(), "removed");
    assert_eq!(sb.ledger().entry(MIR), ledger(1, 1));
    assert_eq!(sb.requests_seen(), 1, "a success needs no re-check");
    let left = c.list_cards(&customer(DOC_CUSTOMER)).await.unwrap();
    assert_eq!(tokens(&left), [VISA, MC]);
    sb.shutdown().await;
}

#[tokio::test]
async fn reset_after_the_removal_took_effect_is_confirmed_by_recheck() {
    let sb = sandbox().await;
    sb.faults().set(plan(|p| p.reset_after_removal = 1));
    let outcome = client(&sb)
        .remove_card(&customer(DOC_CUSTOMER), &token(VISA))
        .await;
    assert_no_leak(&outcome);
    match &outcome {
        RemovalOutcome::RemovedConfirmedByRecheck { cause } => {
            assert!(
                matches!(cause, Error::Transport { status: None, .. }),
                "{cause:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(outcome.label(), "removed (confirmed by re-check)");
    assert!(outcome.is_removed());
    // Exactly one rem_token call, never a second; the re-check was a listing.
    assert_eq!(sb.ledger().entry(VISA), ledger(1, 1));
    assert_eq!(sb.requests_seen(), 2);
    sb.shutdown().await;
}

#[tokio::test]
async fn unreadable_removal_reply_is_settled_by_recheck() {
    let sb = sandbox().await;
    let c = client(&sb);
    // The sandbox processes the removal, then garbles the reply.
    sb.faults().set(plan(|p| p.malformed_json = 1));
    let outcome = c.remove_card(&customer(DOC_CUSTOMER), &token(VISA)).await;
    assert!(
        matches!(outcome, RemovalOutcome::RemovedConfirmedByRecheck { .. }),
        "{outcome:?}"
    );
    sb.faults().set(plan(|p| p.truncated_json = 1));
    let outcome = c.remove_card(&customer(DOC_CUSTOMER), &token(MC)).await;
    assert!(
        matches!(outcome, RemovalOutcome::RemovedConfirmedByRecheck { .. }),
        "{outcome:?}"
    );
    // An HTML page in front of the gateway: the re-check still lists the card, but a proxy
    // may have passed the request on — unknown, never "not removed".
    sb.faults().set(plan(|p| p.html_5xx = 1));
    let outcome = c.remove_card(&customer(DOC_CUSTOMER), &token(MIR)).await;
    match &outcome {
        RemovalOutcome::Unknown {
            reason: Error::Transport {
                status: Some(502), ..
            },
            recheck: None,
        } => {}
        other => panic!("{other:?}"),
    }
    for t in [VISA, MC] {
        assert_eq!(sb.ledger().entry(t), ledger(1, 1), "{t}");
    }
    assert_eq!(sb.ledger().entry(MIR), ledger(1, 0));
    sb.shutdown().await;
}

#[tokio::test]
async fn reset_with_the_card_still_listed_is_unknown_and_not_retried() {
    let sb = sandbox().await;
    sb.faults().set(plan(|p| p.reset_before_response = 1));
    let outcome = client(&sb)
        .remove_card(&customer(DOC_CUSTOMER), &token(MC))
        .await;
    assert_no_leak(&outcome);
    // The client cannot tell a reset before processing from one of a gateway still at work.
    match &outcome {
        RemovalOutcome::Unknown {
            reason: Error::Transport { status: None, .. },
            recheck: None,
        } => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(outcome.label(), "unknown — check again");
    assert_eq!(sb.ledger().entry(MC), ledger(1, 0));
    assert_eq!(sb.requests_seen(), 2, "one rem_token, one listing");
    sb.shutdown().await;
}

#[tokio::test]
async fn lost_reply_and_failed_recheck_is_unknown() {
    let sb = sandbox().await;
    // The removal and all three re-check tries are dropped.
    sb.faults().set(plan(|p| p.reset_before_response = 4));
    let outcome = client(&sb)
        .remove_card(&customer(DOC_CUSTOMER), &token(MC))
        .await;
    assert_no_leak(&outcome);
    match &outcome {
        RemovalOutcome::Unknown {
            reason,
            recheck: Some(recheck),
        } => {
            assert_eq!(reason.code(), "transport");
            assert_eq!(recheck.code(), "transport");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(outcome.label(), "unknown — check again");
    assert_eq!(sb.ledger().entry(MC), ledger(1, 0));
    assert_eq!(sb.requests_seen(), 4);
    sb.shutdown().await;
}

#[tokio::test]
async fn removal_timeout_is_rechecked_not_retried() {
    let sb = sandbox().await;
    let mut cfg = config(&sb.url(), CANARY);
    cfg.total_timeout = Duration::from_millis(300);
    let c = Client::new(cfg).unwrap();
    // The sandbox sleeps before it processes: the timed-out removal never happens... until
    // the sleep ends. Latency applies to the re-check too, so it fails and the outcome is
    // unknown: exactly the case where the desk must check again later.
    sb.faults().set(plan(|p| p.latency_ms = 600));
    let outcome = c.remove_card(&customer(DOC_CUSTOMER), &token(VISA)).await;
    assert_no_leak(&outcome);
    assert!(
        matches!(outcome, RemovalOutcome::Unknown { .. }),
        "{outcome:?}"
    );
    sb.faults().clear();
    tokio::time::sleep(Duration::from_millis(700)).await;
    // Still one call: the client never sent rem_token again.
    assert_eq!(sb.ledger().entry(VISA).rem_token_calls, 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn slow_removal_is_unknown_then_gone_and_sent_once() {
    let sb = sandbox().await;
    let mut cfg = config(&sb.url(), CANARY);
    cfg.total_timeout = Duration::from_millis(300);
    let c = Client::new(cfg).unwrap();
    // The removal takes effect 900 ms after it arrives; listings answer at once, so the
    // client's re-check (200 ms after its timeout) still sees the card.
    sb.faults().set(plan(|p| p.slow_removal_ms = 900));
    let outcome = c.remove_card(&customer(DOC_CUSTOMER), &token(VISA)).await;
    assert_no_leak(&outcome);
    match &outcome {
        RemovalOutcome::Unknown {
            reason: Error::Transport { status: None, .. },
            recheck: None,
        } => {}
        other => panic!("a slow removal must be unknown, never not removed: {other:?}"),
    }
    assert!(!outcome.is_removed());
    tokio::time::sleep(Duration::from_millis(900)).await;
    let left = c.list_cards(&customer(DOC_CUSTOMER)).await.unwrap();
    assert!(
        !tokens(&left).contains(&VISA),
        "the gateway finished the removal later"
    );
    assert_eq!(
        sb.ledger().entry(VISA),
        ledger(1, 1),
        "sent once, removed once"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn internal_error_or_operation_timeout_after_the_removal_is_confirmed_by_recheck() {
    let sb = sandbox().await;
    let c = client(&sb);
    sb.faults()
        .set(plan(|p| p.internal_error_after_removal = 1));
    let outcome = c.remove_card(&customer(DOC_CUSTOMER), &token(VISA)).await;
    match &outcome {
        RemovalOutcome::RemovedConfirmedByRecheck {
            cause: Error::Fault(f),
        } => assert_eq!(f.first, Some(2)),
        other => panic!("{other:?}"),
    }
    sb.faults().set(plan(|p| p.timeout_fault_after_removal = 1));
    let outcome = c.remove_card(&customer(DOC_CUSTOMER), &token(MC)).await;
    match &outcome {
        RemovalOutcome::RemovedConfirmedByRecheck {
            cause: Error::Fault(f),
        } => assert_eq!(f.first, Some(16)),
        other => panic!("{other:?}"),
    }
    for t in [VISA, MC] {
        assert_eq!(sb.ledger().entry(t), ledger(1, 1), "{t}");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn removal_that_cannot_connect_is_not_removed_and_sends_nothing() {
    // A port nothing listens on: the request never leaves the machine.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let c = Client::new(config(&url, CANARY)).unwrap();
    let outcome = c.remove_card(&customer(DOC_CUSTOMER), &token(VISA)).await;
    assert_no_leak(&outcome);
    match &outcome {
        RemovalOutcome::NotRemoved {
            reason:
                Error::Transport {
                    status: None,
                    detail,
                },
            token_listed: None,
        } => assert!(detail.starts_with("could not connect"), "{detail}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn rate_limited_removal_is_not_retried() {
    let sb = sandbox().await;
    sb.faults().set(plan(|p| p.rate_limit = 1));
    let outcome = client(&sb)
        .remove_card(&customer(DOC_CUSTOMER), &token(MIR))
        .await;
    match &outcome {
        RemovalOutcome::NotRemoved {
            reason: Error::Fault(f),
            token_listed: None,
        } => assert!(f.is_rate_limited()),
        other => panic!("{other:?}"),
    }
    assert_eq!(sb.ledger().entry(MIR), ledger(1, 0));
    assert_eq!(sb.requests_seen(), 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn not_found_on_removal_is_not_removed_with_the_recheck_result() {
    let sb = sandbox().await;
    let c = client(&sb);
    assert!(
        c.remove_card(&customer(DOC_CUSTOMER), &token(MIR))
            .await
            .is_removed()
    );
    // A second removal of the same card: 10/203, and the re-check shows it is gone.
    let again = c.remove_card(&customer(DOC_CUSTOMER), &token(MIR)).await;
    match &again {
        RemovalOutcome::NotRemoved {
            reason: Error::Fault(f),
            token_listed: Some(false),
        } => assert_eq!((f.first, f.second), (Some(10), Some(203))),
        other => panic!("{other:?}"),
    }
    assert_eq!(sb.ledger().entry(MIR), ledger(2, 1));
    // A token the gateway stores in upper case, sent in lower case: a different token to
    // the sandbox (10/203), yet the re-check must not call the listed card "gone".
    let lower = VISA.to_ascii_lowercase();
    let outcome = c.remove_card(&customer(DOC_CUSTOMER), &token(&lower)).await;
    assert!(
        matches!(
            outcome,
            RemovalOutcome::NotRemoved {
                token_listed: Some(true),
                ..
            }
        ),
        "{outcome:?}"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn invalid_input_is_refused_before_anything_is_sent() {
    let sb = sandbox().await;
    let before = sb.requests_seen();
    for bad in [
        "12<3>4",
        "12;34",
        "",
        "123456789012345678901234567890123",
        " 1234",
    ] {
        let err = CustomerNumber::new(bad).unwrap_err();
        assert_eq!(err.field(), "customer_number");
        assert_eq!(Error::from(err).code(), "validation");
    }
    for bad in [
        "49D902C6-1CCF-4605-9228-11D0E8115C7",
        "not-a-token",
        "49D902C61CCF4605922811D0E8115C77",
    ] {
        assert_eq!(CardToken::new(bad).unwrap_err().field(), "token");
    }
    assert!(assist::BaseUrl::new(&sb.url().replace("127.0.0.1", "example.com")).is_err());
    assert_eq!(sb.requests_seen(), before);
    assert_eq!(sb.requests_seen(), 0);
    sb.shutdown().await;
}

#[tokio::test]
async fn control_api_over_http_steers_the_same_sandbox() {
    let sb = sandbox().await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let put = http
        .put(format!("{}/_sandbox/faults", sb.url()))
        .bearer_auth(sb.control_token())
        .json(&serde_json::json!({"html5xx": 1, "resetAfterRemoval": 1}))
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success());
    let c = client(&sb);
    assert_eq!(
        c.list_cards(&customer(DOC_CUSTOMER)).await.unwrap().len(),
        3
    );
    let outcome = c.remove_card(&customer(DOC_CUSTOMER), &token(MC)).await;
    assert!(
        matches!(outcome, RemovalOutcome::RemovedConfirmedByRecheck { .. }),
        "{outcome:?}"
    );
    let ledger: serde_json::Value = http
        .get(format!("{}/_sandbox/ledger", sb.url()))
        .bearer_auth(sb.control_token())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ledger[MC]["remTokenCalls"], 1);
    assert_eq!(ledger[MC]["effectiveRemovals"], 1);
    let stats: serde_json::Value = http
        .get(format!("{}/_sandbox/stats", sb.url()))
        .bearer_auth(sb.control_token())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["requestsSeen"], 4);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_removal_refused_with_a_503_page_is_not_removed_and_not_rechecked() {
    let sb = sandbox().await;
    let c = client(&sb);
    // html5xx = 2: the next answer is a 503 page (an even count left), as a proxy in front of
    // an overloaded gateway answers.
    sb.faults().set(plan(|p| p.html_5xx = 2));
    let before = sb.requests_seen();
    let outcome = c.remove_card(&customer(DOC_CUSTOMER), &token(MIR)).await;
    match &outcome {
        RemovalOutcome::NotRemoved {
            reason: e @ Error::Transport {
                status: Some(503), ..
            },
            token_listed: None,
        } => assert!(e.is_refusal()),
        other => panic!("{other:?}"),
    }
    assert_eq!(sb.requests_seen() - before, 1, "no re-check list");
    assert_eq!(sb.ledger().entry(MIR).effective_removals, 0);
}

#[tokio::test]
async fn a_paced_client_finds_a_rate_the_gateways_limit_allows() {
    let sb = sandbox().await;
    sb.faults().set(plan(|p| p.requests_per_second = 20.0));
    let pace = std::sync::Arc::new(assist::Pace::new(Some(500.0), None));
    let c = client(&sb).with_pace(pace.clone());
    let started = std::time::Instant::now();
    let (mut listed, mut tried) = (0, 0);
    while started.elapsed() < Duration::from_secs(4) {
        tried += 1;
        if c.list_cards(&customer(DOC_CUSTOMER)).await.is_ok() {
            listed += 1;
        }
    }
    let status = pace.status();
    let rate = status.rate.unwrap();
    assert!(status.refusals > 0, "the limit was met");
    assert!(
        rate < 40.0,
        "settled near the limit of 20/s, not the ceiling of 500/s: {rate}"
    );
    assert!(
        listed * 10 >= tried * 9,
        "most listings got through in their three tries: {listed} of {tried}"
    );
}
