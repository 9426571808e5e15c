//! The canary password must never show in the Display, Debug or JSON of anything the crate
//! hands out — errors, outcomes, configuration, the client — across every fault the sandbox
//! can inject, nor in the messages of refused input.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use assist::{CardToken, Client, Password};
use assist_sandbox::FaultPlan;
use common::{CANARY, DOC_CUSTOMER, MC, VISA, assert_no_leak, client, config, customer, sandbox};

fn plans() -> Vec<FaultPlan> {
    let base = FaultPlan::default;
    vec![
        base(),
        FaultPlan {
            html_5xx: 3,
            ..base()
        },
        FaultPlan {
            malformed_json: 3,
            ..base()
        },
        FaultPlan {
            truncated_json: 3,
            ..base()
        },
        FaultPlan {
            reset_before_response: 4,
            ..base()
        },
        FaultPlan {
            reset_after_removal: 1,
            ..base()
        },
        FaultPlan {
            rate_limit: 4,
            ..base()
        },
        FaultPlan {
            error_rate: 1.0,
            ..base()
        },
        FaultPlan {
            latency_ms: 400,
            ..base()
        },
        FaultPlan {
            no_cards_as_fault: true,
            fault_http_status: 500,
            ..base()
        },
        FaultPlan {
            codes_as_strings: true,
            detail_as_object: true,
            fault_http_status: 401,
            ..base()
        },
    ]
}

#[tokio::test]
async fn the_password_never_appears_in_anything_produced() {
    let sb = sandbox().await;
    let mut right = config(&sb.url(), CANARY);
    right.total_timeout = Duration::from_millis(250);
    // A wrong password that contains the canary, so a fault echoing it would be caught too.
    let mut wrong = right.clone();
    wrong.password = Password::new(format!("{CANARY}-x")).unwrap();

    for cfg in [right, wrong] {
        let debug = format!("{cfg:?} {cfg:#?}");
        assert!(!debug.contains(CANARY), "{debug}");
        assert!(debug.contains("<redacted>"));
        let c = Client::new(cfg).unwrap();
        let debug = format!("{c:?}");
        assert!(!debug.contains(CANARY), "{debug}");

        for plan in plans() {
            sb.faults().set(plan.clone());
            match c.list_cards(&customer(DOC_CUSTOMER)).await {
                Ok(cards) => {
                    let json = serde_json::to_string(&cards).unwrap();
                    assert!(!json.contains(CANARY));
                }
                Err(e) => assert_no_leak(&e),
            }
            sb.faults().set(plan.clone());
            for t in [VISA, MC, "00000000-0000-4000-0000-000000000000"] {
                let outcome = c
                    .remove_card(&customer(DOC_CUSTOMER), &CardToken::new(t).unwrap())
                    .await;
                assert_no_leak(&outcome);
            }
            sb.reset();
        }
    }
    sb.shutdown().await;
}

#[test]
fn refused_passwords_are_never_echoed() {
    for value in [String::new(), format!("{CANARY}{CANARY}{CANARY}")] {
        let e = Password::new(value).unwrap_err();
        assert_no_leak(&e);
        assert_no_leak(&assist::Error::from(e));
    }
    let p = Password::new(CANARY).unwrap();
    assert!(!format!("{p:?}").contains(CANARY));
}

#[tokio::test]
async fn transport_errors_carry_no_request_body() {
    // Whatever the failure, the body (and so the password) is never part of the text.
    let sb = sandbox().await;
    let c = client(&sb);
    sb.faults().set(FaultPlan {
        reset_before_response: 3,
        ..FaultPlan::default()
    });
    let e = c.list_cards(&customer(DOC_CUSTOMER)).await.unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(
        !text.contains("merchant_id") && !text.contains("LOGIN"),
        "{text}"
    );
    assert_no_leak(&e);
    sb.shutdown().await;
}
