//! A gateway that echoes the merchant password — as sent, upper-cased or cut short — in its
//! texts (the sandbox's `echoPassword`): every outcome of a removal and every listing error
//! comes out of the client with the echo replaced by `<redacted>` and the rest of the text
//! kept, so the audit log, `--json` and the UI never receive it.
#![allow(clippy::unwrap_used)]

mod common;

use assist::{CardToken, Error, RemovalOutcome};
use assist_sandbox::{FaultPlan, PasswordEcho};
use common::{CANARY, DOC_CUSTOMER, MC, MIR, VISA, client, customer, sandbox};

const ECHOES: [PasswordEcho; 3] = [
    PasswordEcho::AsSent,
    PasswordEcho::Upper,
    PasswordEcho::Truncated,
];

fn echoing(echo: PasswordEcho, f: impl FnOnce(&mut FaultPlan)) -> FaultPlan {
    let mut plan = FaultPlan {
        echo_password: Some(echo),
        ..FaultPlan::default()
    };
    f(&mut plan);
    plan
}

/// Fails if any 8 consecutive characters of the canary show, in any letter case, in any
/// rendering of `value`, or if no `<redacted>` shows where the echo was.
fn assert_scrubbed(value: &(impl std::fmt::Debug + std::fmt::Display + serde::Serialize)) {
    let canary: Vec<char> = CANARY.to_lowercase().chars().collect();
    for text in [
        format!("{value}"),
        format!("{value:?}"),
        serde_json::to_string(value).unwrap(),
    ] {
        let lower = text.to_lowercase();
        for window in canary.windows(8) {
            let fragment: String = window.iter().collect();
            assert!(!lower.contains(&fragment), "{fragment:?} leaked: {text}");
        }
        assert!(
            text.contains("(auth <redacted>)"),
            "echo not kept as <redacted>: {text}"
        );
    }
}

#[tokio::test]
async fn every_removal_outcome_and_listing_error_has_the_echoed_password_redacted() {
    let sb = sandbox().await;
    let c = client(&sb);
    let who = customer(DOC_CUSTOMER);
    let token = |t: &str| CardToken::new(t).unwrap();
    for echo in ECHOES {
        sb.reset();

        // Removed: the success message.
        sb.faults().set(echoing(echo, |_| {}));
        let outcome = c.remove_card(&who, &token(VISA)).await;
        match &outcome {
            RemovalOutcome::Removed { message } => {
                assert!(
                    message.starts_with(&format!("Token {VISA} is removed")),
                    "{message}"
                );
            }
            other => panic!("{echo:?}: expected removed, got {other:?}"),
        }
        assert_scrubbed(&outcome);

        // Not removed: the "not found" fault for the card just removed.
        let outcome = c.remove_card(&who, &token(VISA)).await;
        assert!(
            matches!(
                outcome,
                RemovalOutcome::NotRemoved {
                    token_listed: Some(false),
                    ..
                }
            ),
            "{echo:?}: {outcome:?}"
        );
        assert_scrubbed(&outcome);

        // Removed (confirmed by re-check): the gateway lost its own reply (2/1).
        sb.faults()
            .set(echoing(echo, |p| p.internal_error_after_removal = 1));
        let outcome = c.remove_card(&who, &token(MC)).await;
        assert!(
            matches!(outcome, RemovalOutcome::RemovedConfirmedByRecheck { .. }),
            "{echo:?}: {outcome:?}"
        );
        assert_scrubbed(&outcome);

        // Unknown: every request fails with 2/1, the re-check too; the object form of
        // `detail` carries a recommendation as well.
        sb.faults().set(echoing(echo, |p| {
            p.error_rate = 1.0;
            p.detail_as_object = true;
        }));
        let outcome = c.remove_card(&who, &token(MIR)).await;
        match &outcome {
            RemovalOutcome::Unknown {
                recheck: Some(Error::Fault(recheck)),
                ..
            } => assert!(recheck.recommendation.is_some()),
            other => panic!("{echo:?}: expected unknown after a failed re-check, got {other:?}"),
        }
        assert_scrubbed(&outcome);

        // A listing error: rate limited on every try.
        sb.faults().set(echoing(echo, |p| p.rate_limit = 3));
        let error = c.list_cards(&who).await.unwrap_err();
        assert_eq!(error.code(), "gateway_fault", "{echo:?}");
        assert_scrubbed(&error);
    }
    sb.shutdown().await;
}
