//! At most one removal of a card in flight, and outcomes that say only what is known, against
//! a real sandbox on loopback whose removals can be made slow (they take effect after the
//! client gave up, while listings answer at once): two revocations of one card at once, a
//! recovery while a removal is in flight, a slow removal that is "unknown" and settled later,
//! and a bulk job whose rows resolve to the same cards twice over.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use assist::{BaseUrl, Client, ClientConfig, Login, MerchantId, Password};
use assist_sandbox::{FaultPlan, Sandbox, SandboxConfig, Seed};
use desk::audit::{AuditAction, AuditLog, AuditOutcome, Operator, ProfileRef, Reason};
use desk::bulk::{
    BulkJob, ColumnMap, JobControl, JobDefaults, JobTarget, PlanClass, RowState, RunOptions,
};
use desk::{Environment, ErrorCode, RevokeRequest, Revoker};

const VISA: &str = "49D902C6-1CCF-4605-9228-11D0E8115C77";

fn client(url: &str, timeout: Duration) -> Client {
    let mut config = ClientConfig::new(
        BaseUrl::new(url).unwrap(),
        MerchantId::new("452739").unwrap(),
        Login::new("LOGIN").unwrap(),
        Password::new("PASSWORD").unwrap(),
    );
    config.total_timeout = timeout;
    config.retry_backoff = Duration::from_millis(20);
    Client::new(config).unwrap()
}

fn profile() -> ProfileRef {
    ProfileRef {
        id: "sandbox".into(),
        name: "Sandbox".into(),
        environment: Environment::Sandbox,
        merchant_id: "452739".into(),
    }
}

fn revoker(sb: &Sandbox, audit: &Arc<AuditLog>, timeout: Duration, claimant: &str) -> Revoker {
    Revoker::new(
        client(&sb.url(), timeout),
        profile(),
        audit.clone(),
        Operator::from_env(Some("exactly once")),
    )
    .with_claimant(claimant)
}

fn request(token: &str, last4: &str) -> RevokeRequest {
    RevokeRequest {
        profile_id: "sandbox".into(),
        customer: "1234".into(),
        token: token.into(),
        last4_confirmation: last4.into(),
        reason: Reason::CustomerRequest,
        note: None,
        ticket: Some("T-1".into()),
        customer_confirmation: None,
        utc_offset_minutes: None,
        request: None,
    }
}

/// A headless job on `sb` from `csv` (no profile: the CLI's kind).
fn import(dir: &std::path::Path, sb: &Sandbox, csv: &str, erasure: bool) -> BulkJob {
    BulkJob::create(
        dir,
        "rows.csv",
        csv.as_bytes(),
        &ColumnMap::default(),
        JobTarget {
            server: sb.url(),
            merchant_id: "452739".into(),
            login: "LOGIN".into(),
            environment: None,
            profile_id: None,
        },
        JobDefaults {
            erasure,
            ..JobDefaults::default()
        },
    )
    .unwrap()
}

/// How long the resumed-job test's gateway takes to carry a removal out.
const SLOW_REMOVAL: Duration = Duration::from_secs(6);

/// The doc-seeded sandbox whose removals take effect `slow_removal_ms` after they arrive, and
/// an audit log in a fresh data dir.
async fn slow_gateway(slow_removal_ms: u64) -> (Sandbox, tempfile::TempDir, Arc<AuditLog>) {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    sb.faults().set(FaultPlan {
        slow_removal_ms,
        ..FaultPlan::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let audit = open_log(dir.path());
    (sb, dir, audit)
}

fn open_log(dir: &std::path::Path) -> Arc<AuditLog> {
    Arc::new(AuditLog::open(dir, &Operator::from_env(Some("exactly once"))).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_revoke_of_a_card_in_flight_sends_nothing_and_names_the_first() {
    let (sb, _dir, audit) = slow_gateway(1_500).await;
    let first = revoker(&sb, &audit, Duration::from_secs(10), "carddesk revoke");
    let in_flight = tokio::spawn(async move { first.revoke(&request(VISA, "0028")).await });
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        sb.ledger().entry(VISA).rem_token_calls,
        1,
        "the first is sent"
    );

    // A second removal of the same card (the app, say) while the first waits on the gateway.
    let second = revoker(&sb, &audit, Duration::from_secs(10), "Card Desk");
    let refused = second.revoke(&request(VISA, "0028")).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::RemovalInProgress, "{refused:?}");
    assert!(
        refused.message.contains("carddesk revoke, pid")
            && refused.message.contains("still waiting for the gateway")
            && refused.message.contains("nothing was sent"),
        "{}",
        refused.message
    );

    // Recovery at this moment leaves the live intent alone.
    let intents = audit.open_intents().unwrap();
    assert_eq!(intents.len(), 1);
    assert!(intents[0].owner.is_some(), "the intent names its owner");
    let recovery = second.recover(&intents).await;
    assert!(recovery.recovered.is_empty(), "{recovery:?}");
    assert!(
        recovery.left_open[0].reason.contains("still in progress"),
        "{recovery:?}"
    );

    let done = in_flight.await.unwrap().unwrap();
    assert_eq!(done.outcome, AuditOutcome::Removed);
    let ledger = sb.ledger().entry(VISA);
    assert_eq!((ledger.rem_token_calls, ledger.effective_removals), (1, 1));
    // One outcome for the one intent: recovery wrote nothing.
    let entries = audit.entries().unwrap();
    let outcomes = entries
        .iter()
        .filter(|e| e.intent_seq == Some(done.intent_seq))
        .count();
    assert_eq!(outcomes, 1);
    assert!(audit.open_intents().unwrap().is_empty());
    // The card is free again once its removal has ended.
    let again = second.revoke(&request(VISA, "0028")).await.unwrap_err();
    assert_eq!(
        again.code,
        ErrorCode::Validation,
        "no longer listed: {again:?}"
    );
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_removal_is_unknown_never_not_removed_and_a_later_check_settles_it() {
    // Takes effect after the client's 400 ms timeout; listings answer at once.
    let (sb, _dir, audit) = slow_gateway(1_200).await;
    let desk = revoker(&sb, &audit, Duration::from_millis(400), "Card Desk");
    let done = desk.revoke(&request(VISA, "0028")).await.unwrap();
    assert_eq!(done.outcome, AuditOutcome::Unknown, "{done:?}");
    assert_eq!(done.label, "unknown — check again");
    assert!(
        done.explanation.contains("may still be working"),
        "{}",
        done.explanation
    );
    assert!(
        !done.explanation.contains("still stored"),
        "{}",
        done.explanation
    );
    assert!(
        !done.reply_en.contains("could not remove"),
        "{}",
        done.reply_en
    );
    // The intent stays open until a re-check settles it.
    let open = audit.open_intents().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].seq, done.intent_seq);

    // The gateway finishes; a later check (recovery, "Check again") settles it as removed,
    // linked to the intent, with no second removal.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    let recovery = desk.recover(&open).await;
    assert_eq!(recovery.recovered.len(), 1, "{recovery:?}");
    let settled = &recovery.recovered[0];
    assert_eq!(settled.action, AuditAction::RecoveredOutcome);
    assert_eq!(settled.intent_seq, Some(done.intent_seq));
    assert_eq!(
        settled.outcome,
        Some(AuditOutcome::RemovedConfirmedByRecheck)
    );
    assert!(audit.open_intents().unwrap().is_empty());
    let ledger = sb.ledger().entry(VISA);
    assert_eq!((ledger.rem_token_calls, ledger.effective_removals), (1, 1));
    assert!(audit.verify().unwrap().ok);
    sb.shutdown().await;
}

/// `n` customers `D{i}`, each with two cards: last4 `1{i:03}` and `2{i:03}`.
fn two_card_seed(n: usize) -> Seed {
    let token = |i: usize, k: usize| format!("{:08X}-{:04X}-4000-8000-{:012X}", i, k, i * 16 + k);
    let card = |t: String, last4: String| {
        format!(
            r#"{{"expire":"12.2030","token":"{t}","bank":"","brand":"VISA","bin":412362,"active":true,"needCVC":false,"post":"{last4}","assets":[]}}"#
        )
    };
    let customers: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"customerNumber":"D{i}","cards":[{},{}]}}"#,
                card(token(i, 1), format!("1{i:03}")),
                card(token(i, 2), format!("2{i:03}"))
            )
        })
        .collect();
    Seed::from_json(&format!(
        r#"{{"merchants":[{{"merchantId":452739,"name":"Twice","language":"EN","oneClick":{{"enabled":true,"mode":"standard"}},"customers":[{}]}}],
"users":[{{"login":"LOGIN","password":"PASSWORD","merchantId":452739,"webService":true}}]}}"#,
        customers.join(",")
    ))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_that_resolve_to_the_same_card_are_merged_and_each_card_is_sent_once() {
    const N: usize = 40;
    let sb = Sandbox::start(SandboxConfig {
        seed: two_card_seed(N),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Per customer: a card row, an erasure row (every card) and the same card again by
    // last4 — three rows naming the first card, two naming the second.
    let mut csv = String::from("customer,last4\n");
    for i in 0..N {
        csv.push_str(&format!("D{i},1{i:03}\nD{i},\nD{i},1{i:03}\n"));
    }
    let job = import(dir.path(), &sb, &csv, true);
    let options = RunOptions {
        concurrency: 8,
        rate: None,
        patience_secs: None,
    };
    let c = client(&sb.url(), Duration::from_secs(10));
    let plan = job
        .plan(&c, &options, &JobControl::new(), None)
        .await
        .unwrap();
    // The exact duplicate (row 3 = row 1) is caught at import; the erasure row's first card
    // is covered by row 1, its second card stays.
    assert_eq!(
        plan.classes.get(&PlanClass::Duplicate).copied(),
        Some(N as u64),
        "{plan:?}"
    );
    assert_eq!(plan.cards, 2 * N as u64 + N as u64, "{plan:?}");
    // What a production run's confirmation asks for: the cards it will send, not the covered.
    assert_eq!(plan.to_remove, 2 * N as u64, "{plan:?}");
    let rows: Vec<_> = job.rows().map(Result::unwrap).collect();
    for r in rows.iter().filter(|r| r.row % 3 == 0) {
        let covered: Vec<_> = r
            .cards
            .iter()
            .filter(|c| c.outcome.as_deref() == Some("covered"))
            .collect();
        assert_eq!(covered.len(), 1, "row {}: {r:?}", r.row);
        assert_eq!(
            covered[0]
                .fault
                .as_deref()
                .map(|f| f.starts_with(&format!("covered by row {}:", r.row - 1))),
            Some(true),
            "{r:?}"
        );
    }

    let audit = open_log(dir.path());
    let revoker = Arc::new(revoker(
        &sb,
        &audit,
        Duration::from_secs(10),
        "carddesk bulk",
    ));
    let summary = job
        .run(revoker, audit.clone(), &options, &JobControl::new(), None)
        .await
        .unwrap();
    assert_eq!(
        summary.states.get(&RowState::Done).copied(),
        Some(2 * N as u64),
        "{summary:?}"
    );
    let ledger = sb.ledger().all();
    assert_eq!(ledger.len(), 2 * N, "every card was sent");
    for (token, entry) in &ledger {
        assert_eq!(entry.rem_token_calls, 1, "{token}: exactly one rem_token");
        assert_eq!(entry.effective_removals, 1, "{token}");
    }
    let mut out = Vec::new();
    job.export_csv(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let covered = text
        .lines()
        .filter(|l| l.contains(",skipped,all,covered,\"covered by row"))
        .count();
    assert_eq!(
        covered, N,
        "one covered card per erasure row in the results: {text}"
    );
    assert!(audit.verify().unwrap().ok);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resumed_job_never_resends_a_removal_it_had_sent() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let job = import(dir.path(), &sb, "customer,last4\n1234,0028\n", false);
    let options = RunOptions {
        concurrency: 2,
        rate: None,
        patience_secs: None,
    };
    let audit = open_log(dir.path());
    // The gateway is slow to remove; the process "dies" right after rem_token was answered
    // (here: timed out and re-checked), before the outcome is written.
    // Slow enough that the resume below comes first even on a loaded machine.
    sb.faults().set(FaultPlan {
        slow_removal_ms: SLOW_REMOVAL.as_millis() as u64,
        ..FaultPlan::default()
    });
    let dying = Arc::new(
        revoker(&sb, &audit, Duration::from_millis(300), "carddesk bulk").with_observer(Arc::new(
            |stage| {
                if let desk::RevokeStage::RemovalAnswered { .. } = stage {
                    panic!("simulated crash after rem_token");
                }
            },
        )),
    );
    let crashed = job
        .run(dying, audit.clone(), &options, &JobControl::new(), None)
        .await;
    assert!(crashed.is_err(), "the run died mid-way");
    assert_eq!(sb.ledger().entry(VISA).rem_token_calls, 1);

    // Resumed at once: the card is still listed (the gateway has not finished), its removal
    // is on record as sent — it must not be sent again.
    let resumed = Arc::new(revoker(
        &sb,
        &audit,
        Duration::from_secs(10),
        "carddesk bulk",
    ));
    let summary = job
        .run(resumed, audit.clone(), &options, &JobControl::new(), None)
        .await
        .unwrap();
    assert_eq!(sb.ledger().entry(VISA).rem_token_calls, 1, "never resent");
    let row = job.rows().map(Result::unwrap).find(|r| r.row == 2).unwrap();
    let card = &row.cards[0];
    assert_eq!(card.outcome.as_deref(), Some("unknown"), "{row:?}");
    assert!(
        card.fault
            .as_deref()
            .is_some_and(|f| f.contains("not sent again")),
        "{row:?}"
    );
    // Not final: the row waits in flight for a later check.
    assert_eq!(
        summary.states.get(&RowState::InFlight).copied(),
        Some(1),
        "{summary:?}"
    );
    assert!(
        row.message
            .as_deref()
            .is_some_and(|m| m.contains("outcome unknown")),
        "{row:?}"
    );

    // Later the gateway has finished; a recovery settles the intent as removed.
    tokio::time::sleep(SLOW_REMOVAL).await;
    let open = audit.open_intents().unwrap();
    assert_eq!(open.len(), 1);
    let settle = revoker(&sb, &audit, Duration::from_secs(10), "carddesk audit");
    let recovery = settle.recover(&open).await;
    assert_eq!(
        recovery.recovered[0].outcome,
        Some(AuditOutcome::RemovedConfirmedByRecheck),
        "{recovery:?}"
    );
    // A resume now finds the card gone and the row done, still with one removal sent.
    let resumed = Arc::new(revoker(
        &sb,
        &audit,
        Duration::from_secs(10),
        "carddesk bulk",
    ));
    let summary = job
        .run(resumed, audit.clone(), &options, &JobControl::new(), None)
        .await
        .unwrap();
    assert_eq!(
        summary.states.get(&RowState::Done).copied(),
        Some(1),
        "{summary:?}"
    );
    let ledger = sb.ledger().entry(VISA);
    assert_eq!((ledger.rem_token_calls, ledger.effective_removals), (1, 1));
    sb.shutdown().await;
}
