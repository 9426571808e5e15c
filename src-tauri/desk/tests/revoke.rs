//! The revoke workflow over real loopback HTTP to the sandbox, with the audit log and the
//! cache in a temp dir. The sandbox's ledger is the ground truth: every revoke sends at most
//! one rem_token, whatever fault is injected, and the outcome says whether it took effect.
//! Also: refusals that send nothing, the production confirmation, the ticket rule, recorded
//! views, crash recovery, erasure of all cards, and the audit log surviving cache clears.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use assist::{
    BaseUrl, CardToken, Client, ClientConfig, CustomerNumber, Login, MerchantId, Password,
};
use assist_sandbox::{FaultPlan, Sandbox, SandboxConfig};
use desk::audit::{
    AuditAction, AuditLog, AuditOutcome, Operator, ProfileRef, ReadBack, Reason, ShownFrom,
    audit_path, token_fingerprint,
};
use desk::profiles::{ProfileDraft, Settings};
use desk::secrets::MemoryStore;
use desk::{
    Desk, Environment, ErrorCode, RevokeAllRequest, RevokeRequest, RevokeStage, Revoker, Source,
};

const VISA: &str = "49D902C6-1CCF-4605-9228-11D0E8115C77";
const MC: &str = "4D7F0B0D-B701-47B0-779A-BB0CB5F25A14";
const MIR: &str = "54F5A3DE-4B47-4B40-03B5-7FF992D6B401";
/// A card of customer 100301, not of 1234.
const OTHER_CUSTOMERS: &str = "1D41A925-F79E-4AC5-C3A4-FE1F1A3D59C8";

struct Fixture {
    sandbox: Sandbox,
    desk: Desk,
    dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let (sandbox, desk, dir) = common::sandbox_and_desk().await;
    Fixture { sandbox, desk, dir }
}

/// Opens the desk again once the previous handles on the same dirs are released.
async fn reopen_when_released(dir: &tempfile::TempDir, sandbox: &Sandbox) -> Desk {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match Desk::open(common::config_at(
            dir.path(),
            sandbox,
            Arc::new(MemoryStore::new()),
        )) {
            Ok(desk) => return desk,
            Err(e)
                if e.message.contains("already running")
                    && std::time::Instant::now() < deadline =>
            {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(e) => panic!("reopen failed: {e:?}"),
        }
    }
}

fn request(customer: &str, token: &str, last4: &str) -> RevokeRequest {
    RevokeRequest {
        profile_id: "sandbox".into(),
        customer: customer.into(),
        token: token.into(),
        last4_confirmation: last4.into(),
        reason: Reason::CustomerRequest,
        note: None,
        ticket: Some("SUP-1001".into()),
        customer_confirmation: None,
        utc_offset_minutes: None,
        request: None,
    }
}

fn audit_bytes(f: &Fixture) -> Vec<u8> {
    std::fs::read(audit_path(&f.dir.path().join("data"))).unwrap_or_default()
}

fn revoke_entries(f: &Fixture) -> Vec<desk::audit::AuditEntry> {
    desk::audit::read_entries(&audit_path(&f.dir.path().join("data")))
        .unwrap()
        .into_iter()
        .filter(|e| e.action != AuditAction::ViewedCustomer)
        .collect()
}

#[tokio::test]
async fn a_revocation_is_validated_audited_sent_once_read_back_and_cached() {
    let f = fixture().await;
    let done = f.desk.revoke(&request("1234", MIR, "4417")).await.unwrap();
    assert_eq!(done.outcome, AuditOutcome::Removed);
    assert_eq!(done.label, "removed");
    assert_eq!(done.read_back, ReadBack::Absent);
    assert_eq!(done.masked, "2202 20•• •••• 4417");
    assert_eq!(done.reference, "SUP-1001");
    // The masked number and the date held together with no-break spaces; no UTC time.
    assert!(done.reply_en.contains("2202\u{a0}20••\u{a0}••••\u{a0}4417"));
    assert!(!done.reply_en.contains("UTC"), "{}", done.reply_en);
    assert!(done.reply_ru.contains("удалена") && done.reply_ru.contains("SUP-1001"));
    let ledger = f.sandbox.ledger().entry(MIR);
    assert_eq!((ledger.rem_token_calls, ledger.effective_removals), (1, 1));

    // Intent first, then the outcome that settles it; both flushed before we got here.
    let entries = revoke_entries(&f);
    assert_eq!(entries.len(), 2);
    let (intent, outcome) = (&entries[0], &entries[1]);
    assert_eq!(intent.action, AuditAction::RevokeIntent);
    assert_eq!(outcome.action, AuditAction::RevokeOutcome);
    assert_eq!(outcome.intent_seq, Some(intent.seq));
    assert_eq!(outcome.seq, done.audit_seq);
    assert_eq!(outcome.hash, done.audit_hash);
    assert_eq!(outcome.outcome, Some(AuditOutcome::Removed));
    assert_eq!(
        intent.token_fingerprint.as_deref(),
        Some(token_fingerprint(MIR).as_str())
    );
    assert_eq!(intent.card.as_ref().unwrap().last4, "4417");
    assert_eq!(intent.environment, Some(Environment::Sandbox));
    assert_eq!(intent.merchant_id.as_deref(), Some("452739"));
    assert_eq!(intent.ticket.as_deref(), Some("SUP-1001"));
    let text = String::from_utf8(audit_bytes(&f)).unwrap();
    assert!(!text.contains(MIR), "the token itself is never logged");
    assert!(
        outcome
            .gateway_message
            .as_deref()
            .unwrap()
            .contains("<token "),
        "{:?}",
        outcome.gateway_message
    );

    // The read-back went into the cache: a lookup from the cache already lacks the card.
    let cached = f.desk.lookup("1234", false).await.unwrap();
    assert_eq!(cached.source, Source::Cache);
    assert_eq!(cached.cards.len(), 2);
    assert!(f.desk.audit_verify().await.unwrap().ok);
}

/// A revoker on the desk's sandbox profile whose client gives up after `timeout`, and which
/// switches on `plan` right after the intent is recorded: the fault hits rem_token itself.
async fn revoker_with_fault(f: &Fixture, plan: FaultPlan, timeout: Duration) -> Revoker {
    let mut config = ClientConfig::new(
        BaseUrl::new(&f.sandbox.url()).unwrap(),
        MerchantId::new("452739").unwrap(),
        Login::new("LOGIN").unwrap(),
        Password::new("PASSWORD").unwrap(),
    );
    config.connect_timeout = Duration::from_secs(2);
    config.total_timeout = timeout;
    config.retry_backoff = Duration::from_millis(20);
    let audit =
        Arc::new(AuditLog::open(&f.dir.path().join("faults"), &Operator::from_env(None)).unwrap());
    let faults = f.sandbox.faults();
    Revoker::new(
        Client::new(config).unwrap(),
        ProfileRef {
            id: "sandbox".into(),
            name: "Sandbox".into(),
            environment: Environment::Sandbox,
            merchant_id: "452739".into(),
        },
        audit,
        Operator::from_env(None),
    )
    .with_observer(Arc::new(move |stage| match stage {
        RevokeStage::IntentRecorded { .. } => faults.set(plan.clone()),
        RevokeStage::RemovalAnswered { .. } => faults.clear(),
        RevokeStage::OutcomeRecorded { .. } => {}
    }))
}

#[tokio::test]
async fn injected_faults_never_cause_a_second_rem_token_and_a_known_outcome_matches_the_ledger() {
    let base = FaultPlan::default;
    let cases: Vec<(&str, FaultPlan, Duration, Option<AuditOutcome>)> = vec![
        (
            "reset after removal",
            FaultPlan {
                reset_after_removal: 1,
                ..base()
            },
            Duration::from_secs(5),
            Some(AuditOutcome::RemovedConfirmedByRecheck),
        ),
        (
            "reset before response",
            FaultPlan {
                reset_before_response: 1,
                ..base()
            },
            Duration::from_secs(5),
            Some(AuditOutcome::Unknown),
        ),
        (
            "HTML 502 on the removal",
            FaultPlan {
                html_5xx: 1,
                ..base()
            },
            Duration::from_secs(5),
            Some(AuditOutcome::Unknown),
        ),
        (
            "internal error 2/1 after the removal took effect",
            FaultPlan {
                internal_error_after_removal: 1,
                ..base()
            },
            Duration::from_secs(5),
            Some(AuditOutcome::RemovedConfirmedByRecheck),
        ),
        (
            "operation timeout 16/216 after the removal took effect",
            FaultPlan {
                timeout_fault_after_removal: 1,
                ..base()
            },
            Duration::from_secs(5),
            Some(AuditOutcome::RemovedConfirmedByRecheck),
        ),
        (
            "latency beyond the timeout",
            FaultPlan {
                latency_ms: 1_200,
                ..base()
            },
            Duration::from_millis(800),
            None,
        ),
    ];
    for (name, plan, timeout, want) in cases {
        let f = fixture().await;
        let revoker = revoker_with_fault(&f, plan, timeout).await;
        let done = revoker
            .revoke(&request("1234", VISA, "0028"))
            .await
            .unwrap();
        let ledger = f.sandbox.ledger().entry(VISA);
        eprintln!("{name}: {:?}, ledger {ledger:?}", done.outcome);
        assert_eq!(ledger.rem_token_calls, 1, "{name}: exactly one rem_token");
        assert!(ledger.effective_removals <= 1, "{name}");
        if done.outcome != AuditOutcome::Unknown {
            assert_eq!(
                done.outcome.card_gone(),
                ledger.effective_removals == 1,
                "{name}: outcome {:?} vs ledger {ledger:?}",
                done.outcome
            );
        }
        if let Some(want) = want {
            assert_eq!(done.outcome, want, "{name}: {done:?}");
        }
        if done.outcome == AuditOutcome::Unknown {
            assert!(done.explanation.contains("may still be working"), "{name}");
            assert!(!done.reply_en.contains("could not remove"), "{name}");
        }
        if done.outcome == AuditOutcome::NotRemoved {
            assert!(done.reply_en.contains("could not remove"), "{name}");
            assert!(done.detail.is_some(), "{name}: the failure is explained");
        }
        // What went wrong reads in Russian too, for a window in Russian, in the result and in
        // the outcome entry the audit view shows.
        if let Some(detail) = &done.detail {
            let ru = done
                .detail_ru
                .as_deref()
                .unwrap_or_else(|| panic!("{name}: no Russian detail"));
            assert!(russian(ru), "{name}: {ru}");
            // (The English one may quote the gateway's own Russian words.)
            assert_ne!(ru, detail, "{name}");
            let entry = desk::audit::read_entries(&audit_path(&f.dir.path().join("faults")))
                .unwrap()
                .into_iter()
                .find(|e| e.seq == done.audit_seq)
                .unwrap_or_else(|| panic!("{name}: no outcome entry {}", done.audit_seq));
            assert_eq!(entry.detail_ru.as_deref(), Some(ru), "{name}");
        }
    }
}

#[tokio::test]
async fn wrong_last4_other_customers_tokens_and_bad_input_are_refused_with_nothing_sent() {
    let f = fixture().await;
    let cases = [
        (
            request("1234", VISA, "1111"),
            "last 4 confirmation: does not match",
        ),
        (
            request("1234", VISA, "12a4"),
            "last 4 confirmation: must be",
        ),
        (
            request("1234", OTHER_CUSTOMERS, "5937"),
            "card token: not among the cards",
        ),
        (
            request("1234", "not-a-token", "0028"),
            "card token: must be",
        ),
        (request("12<3>4", VISA, "0028"), "customer number: "),
        (
            RevokeRequest {
                reason: Reason::Other,
                ..request("1234", VISA, "0028")
            },
            "note: required when the reason is other",
        ),
        (
            RevokeRequest {
                ticket: None,
                ..request("1234", VISA, "0028")
            },
            "ticket: required",
        ),
        (
            RevokeRequest {
                ticket: Some("   ".into()),
                ..request("1234", VISA, "0028")
            },
            "ticket: required",
        ),
    ];
    for (req, want) in cases {
        let err = f.desk.revoke(&req).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::Validation, "{want}: {err:?}");
        assert!(err.message.starts_with(want), "{want}: {}", err.message);
    }
    assert!(f.sandbox.ledger().all().is_empty(), "no rem_token was sent");
    assert!(revoke_entries(&f).is_empty(), "refusals record no intent");
}

#[tokio::test]
async fn the_ticket_rule_follows_the_setting() {
    let f = fixture().await;
    f.desk
        .save_settings(Settings {
            require_ticket: false,
            ..Settings::default()
        })
        .unwrap();
    let done = f
        .desk
        .revoke(&RevokeRequest {
            ticket: None,
            ..request("1234", MC, "1030")
        })
        .await
        .unwrap();
    assert_eq!(done.outcome, AuditOutcome::Removed);
    assert_eq!(done.reference, format!("audit #{}", done.audit_seq));
}

#[tokio::test]
async fn a_production_profile_needs_the_customer_number_typed_again() {
    let f = fixture().await;
    let profile = f
        .desk
        .save_profile(
            None,
            &ProfileDraft {
                name: "Live shop".into(),
                environment: "production".into(),
                base_url: f.sandbox.url(),
                merchant_id: "452739".into(),
                login: "LOGIN".into(),
                language: "EN".into(),
                colour: "#b91c1c".into(),
            },
            Some("PASSWORD".into()),
        )
        .await
        .unwrap();
    let base = RevokeRequest {
        profile_id: profile.id.clone(),
        ..request("1234", VISA, "0028")
    };
    let err = f.desk.revoke(&base).await.unwrap_err();
    assert!(
        err.message.starts_with("customer confirmation: required"),
        "{}",
        err.message
    );
    let err = f
        .desk
        .revoke(&RevokeRequest {
            customer_confirmation: Some("1235".into()),
            ..base.clone()
        })
        .await
        .unwrap_err();
    assert!(
        err.message.contains("does not match the customer number"),
        "{}",
        err.message
    );
    assert!(f.sandbox.ledger().all().is_empty());
    let done = f
        .desk
        .revoke(&RevokeRequest {
            customer_confirmation: Some("1234".into()),
            ..base
        })
        .await
        .unwrap();
    assert_eq!(done.outcome, AuditOutcome::Removed);
    let entries = revoke_entries(&f);
    assert_eq!(entries[0].environment, Some(Environment::Production));
    assert_eq!(entries[0].profile_name.as_deref(), Some("Live shop"));
}

#[tokio::test]
async fn lookups_are_recorded_as_views_unless_turned_off() {
    let f = fixture().await;
    f.desk.lookup("1234", false).await.unwrap();
    f.desk.lookup("1234", false).await.unwrap();
    let views: Vec<_> = desk::audit::read_entries(&audit_path(&f.dir.path().join("data")))
        .unwrap()
        .into_iter()
        .filter(|e| e.action == AuditAction::ViewedCustomer)
        .collect();
    assert_eq!(views.len(), 2);
    assert_eq!(views[0].customer.as_deref(), Some("1234"));
    assert!(
        views[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("3 cards shown, fetched")
    );
    assert!(
        views[1]
            .detail
            .as_deref()
            .unwrap()
            .contains("from the cache")
    );
    // What was shown, for the window to say in its own language.
    let shown = |i: usize| views[i].shown.map(|s| (s.cards, s.from));
    assert_eq!(shown(0), Some((3, ShownFrom::Gateway)));
    assert_eq!(shown(1), Some((3, ShownFrom::Cache)));
    f.desk
        .save_settings(Settings {
            record_views: false,
            operator_name: "Agent Smith".into(),
            ..Settings::default()
        })
        .unwrap();
    let before = audit_bytes(&f);
    f.desk.lookup("1234", true).await.unwrap();
    assert_eq!(audit_bytes(&f), before);
    let done = f.desk.revoke(&request("1234", MC, "1030")).await.unwrap();
    let entries = desk::audit::read_entries(&audit_path(&f.dir.path().join("data"))).unwrap();
    let last = entries.last().unwrap();
    assert_eq!(last.seq, done.audit_seq);
    assert_eq!(last.operator.display_name, "Agent Smith");
}

#[tokio::test]
async fn clearing_the_cache_or_forgetting_a_customer_leaves_the_audit_log_byte_identical() {
    let f = fixture().await;
    f.desk.lookup("1234", false).await.unwrap();
    f.desk.revoke(&request("1234", MIR, "4417")).await.unwrap();
    let before = audit_bytes(&f);
    assert!(!before.is_empty());
    f.desk.forget_customer("1234").unwrap();
    assert_eq!(audit_bytes(&f), before);
    f.desk.clear_cache().unwrap();
    assert_eq!(audit_bytes(&f), before);
    assert!(f.desk.audit_verify().await.unwrap().ok);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_after_rem_token_is_settled_by_recovery_without_a_second_removal() {
    let f = fixture().await;
    // The process "dies" right after rem_token answers: the task panics before the outcome
    // entry is written.
    let revoker = f
        .desk
        .revoker("sandbox")
        .await
        .unwrap()
        .with_observer(Arc::new(|stage| {
            if let RevokeStage::RemovalAnswered { .. } = stage {
                panic!("simulated crash after rem_token");
            }
        }));
    let crashed =
        tokio::spawn(async move { revoker.revoke(&request("1234", VISA, "0028")).await }).await;
    assert!(crashed.is_err(), "the task died mid-way");
    // And another one dies after its intent, before sending anything.
    let revoker = f
        .desk
        .revoker("sandbox")
        .await
        .unwrap()
        .with_observer(Arc::new(|stage| {
            if let RevokeStage::IntentRecorded { .. } = stage {
                panic!("simulated crash before rem_token");
            }
        }));
    let crashed =
        tokio::spawn(async move { revoker.revoke(&request("1234", MC, "1030")).await }).await;
    assert!(crashed.is_err());
    let v = f.desk.audit_verify().await.unwrap();
    assert!(v.ok);
    assert_eq!(v.open_intents.len(), 2);

    // The next start: a fresh desk on the same dirs settles both by re-checking the list. In a
    // real restart the old process is gone; here the crashed tasks' background work may still
    // hold the cache for a moment, so wait for sled's lock as a new process would find it free.
    drop(f.desk);
    let desk = reopen_when_released(&f.dir, &f.sandbox).await;
    let recovery = desk.recover_open_intents().await.unwrap();
    assert_eq!(recovery.recovered.len(), 1);
    let visa = &recovery.recovered[0];
    assert_eq!(visa.action, AuditAction::RecoveredOutcome);
    assert_eq!(visa.outcome, Some(AuditOutcome::RemovedConfirmedByRecheck));
    assert_eq!(visa.card.as_ref().unwrap().last4, "0028");
    // Still listed moments after its intent: the gateway may still be working on it.
    assert_eq!(recovery.left_open.len(), 1, "{:?}", recovery.left_open);
    assert!(
        recovery.left_open[0]
            .reason
            .contains("may still be working"),
        "{:?}",
        recovery.left_open
    );
    // The same reason for a window in Russian.
    assert!(
        recovery.left_open[0]
            .reason_ru
            .contains("проверьте снова через две минуты"),
        "{:?}",
        recovery.left_open
    );
    // Once the grace has passed, the still-listed card is settled "not removed".
    let mc = desk
        .revoker("sandbox")
        .await
        .unwrap()
        .with_settle_grace(Duration::ZERO)
        .recover(&open_intents(&f.dir))
        .await;
    assert_eq!(mc.recovered.len(), 1, "{:?}", mc.left_open);
    assert_eq!(mc.recovered[0].outcome, Some(AuditOutcome::NotRemoved));
    // The settling entry says what the re-check found in English (the log's readers) and in
    // Russian (the audit view in Russian).
    assert!(
        mc.recovered[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("still holds the card")
    );
    let ru = mc.recovered[0].detail_ru.as_deref().unwrap();
    assert!(
        ru.contains("карта всё ещё в списке") && ru.contains("удаление не отправлялось"),
        "{ru}"
    );
    let ledger = f.sandbox.ledger();
    assert_eq!(
        (
            ledger.entry(VISA).rem_token_calls,
            ledger.entry(VISA).effective_removals
        ),
        (1, 1)
    );
    assert_eq!(
        ledger.entry(MC).rem_token_calls,
        0,
        "recovery sends no removal"
    );
    let v = desk.audit_verify().await.unwrap();
    assert!(v.ok && v.open_intents.is_empty(), "{v:?}");
    assert!(
        desk.recover_open_intents()
            .await
            .unwrap()
            .recovered
            .is_empty()
    );
}

/// Whether `text` has Russian letters in it.
fn russian(text: &str) -> bool {
    text.chars().any(|c| matches!(c, 'а'..='я' | 'А'..='Я'))
}

/// The open intents of the fixture's audit log, read as `carddesk audit recover` reads them.
fn open_intents(dir: &tempfile::TempDir) -> Vec<desk::audit::AuditEntry> {
    let log = desk::audit::AuditLog::open(
        &dir.path().join("data"),
        &desk::audit::Operator::from_env(None),
    )
    .unwrap();
    log.open_intents().unwrap()
}

#[tokio::test]
async fn revoke_all_removes_every_card_one_workflow_each() {
    let f = fixture().await;
    let items = f
        .desk
        .revoke_all(&RevokeAllRequest {
            profile_id: "sandbox".into(),
            customer: "100301".into(),
            reason: Reason::ErasureRequest,
            note: Some("GDPR erasure".into()),
            ticket: Some("DPO-42".into()),
            customer_confirmation: None,
            utc_offset_minutes: None,
            request: None,
        })
        .await
        .unwrap();
    assert_eq!(items.items.len(), 2);
    for item in &items.items {
        let r = item.revocation.as_ref().unwrap();
        assert_eq!(r.outcome, AuditOutcome::Removed, "{item:?}");
    }
    // One reply for the customer naming both cards, gone, with the ticket.
    assert_eq!(items.reference, "DPO-42");
    for item in &items.items {
        let masked = item.masked.replace(' ', "\u{a0}");
        assert!(items.reply_en.contains(&masked), "{}", items.reply_en);
        assert!(items.reply_ru.contains(&masked), "{}", items.reply_ru);
    }
    assert!(
        items.reply_en.starts_with("Your saved cards ")
            && items
                .reply_en
                .contains(" were removed from our payment system on ")
            && items.reply_en.ends_with("Reference: DPO-42."),
        "{}",
        items.reply_en
    );
    assert!(items.reply_ru.contains("удалены"), "{}", items.reply_ru);
    for (token, entry) in f.sandbox.ledger().all() {
        assert_eq!(
            (entry.rem_token_calls, entry.effective_removals),
            (1, 1),
            "{token}"
        );
    }
    assert_eq!(f.sandbox.ledger().all().len(), 2);
    let entries = revoke_entries(&f);
    assert_eq!(entries.len(), 4);
    assert!(
        entries
            .iter()
            .all(|e| e.reason == Some(Reason::ErasureRequest))
    );
    assert!(
        f.desk
            .lookup("100301", true)
            .await
            .unwrap()
            .cards
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_removed_by_someone_else_meanwhile_is_already_removed() {
    let f = fixture().await;
    let url = f.sandbox.url();
    let revoker = f
        .desk
        .revoker("sandbox")
        .await
        .unwrap()
        .with_observer(Arc::new(move |stage| {
            if let RevokeStage::IntentRecorded { .. } = stage {
                // Another agent removes the card between our check and our rem_token.
                let other = Client::new(ClientConfig::new(
                    BaseUrl::new(&url).unwrap(),
                    MerchantId::new("452739").unwrap(),
                    Login::new("LOGIN").unwrap(),
                    Password::new("PASSWORD").unwrap(),
                ))
                .unwrap();
                tokio::task::block_in_place(|| {
                    tokio::runtime::Handle::current().block_on(other.remove_card(
                        &CustomerNumber::new("1234").unwrap(),
                        &CardToken::new(VISA).unwrap(),
                    ))
                });
            }
        }));
    let done = revoker
        .revoke(&request("1234", VISA, "0028"))
        .await
        .unwrap();
    assert_eq!(done.outcome, AuditOutcome::AlreadyRemoved);
    assert_eq!(done.fault_codes.as_deref(), Some("10/203"));
    assert!(
        done.explanation.contains("removed before"),
        "{}",
        done.explanation
    );
    let ledger = f.sandbox.ledger().entry(VISA);
    assert_eq!((ledger.rem_token_calls, ledger.effective_removals), (2, 1));
}

#[tokio::test]
async fn an_audit_log_that_cannot_be_used_stops_revocations_and_recorded_views() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    // A log whose last entry was edited by hand.
    let data = dir.path().join("data");
    let log = AuditLog::open(&data, &Operator::from_env(None)).unwrap();
    log.append(desk::audit::EntryDraft::new(
        Operator::from_env(None),
        AuditAction::ViewedCustomer,
    ))
    .unwrap();
    drop(log);
    let path = audit_path(&data);
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("viewed_customer", "revoke_intent");
    std::fs::write(&path, text).unwrap();

    let desk = common::desk_at(dir.path(), &sandbox, Arc::new(MemoryStore::new()));
    let problem = desk.audit_problem().unwrap();
    assert_eq!(problem.code, ErrorCode::AuditLog);
    let status = desk.status().await.unwrap();
    assert_eq!(
        status.audit_problem.map(|p| p.code),
        Some(ErrorCode::AuditLog),
        "the UI is told at start"
    );
    let err = desk
        .revoke(&request("1234", VISA, "0028"))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::AuditLog);
    assert_eq!(sandbox.requests_seen(), 0, "nothing was sent");
    assert_eq!(
        desk.lookup("1234", false).await.unwrap_err().code,
        ErrorCode::AuditLog
    );
    desk.save_settings(Settings {
        record_views: false,
        ..Settings::default()
    })
    .unwrap();
    assert_eq!(desk.lookup("1234", false).await.unwrap().cards.len(), 3);
}

#[tokio::test]
async fn the_recent_list_counts_the_cards_left_after_a_removal_and_after_revoke_all() {
    let f = fixture().await;
    f.desk
        .save_settings(Settings {
            record_lookups: true,
            operator_name: "Agent Smith".into(),
            ..Settings::default()
        })
        .unwrap();
    f.desk.lookup("1234", false).await.unwrap();
    let count = |desk: &desk::Desk| {
        let recent = desk.recent("1234").unwrap();
        (recent[0].card_count, recent[0].last_lookup)
    };
    let (before, looked_up) = count(&f.desk);
    assert_eq!(before, 3);
    f.desk.revoke(&request("1234", VISA, "0028")).await.unwrap();
    // The count the agent would find now (read back from the cache, where the removal's
    // read-back wrote it); the lookup time stays that of the lookup.
    assert_eq!(count(&f.desk), (2, looked_up));
    f.desk
        .revoke_all(&RevokeAllRequest {
            profile_id: "sandbox".into(),
            customer: "1234".into(),
            reason: Reason::ErasureRequest,
            note: None,
            ticket: Some("DPO-43".into()),
            customer_confirmation: None,
            utc_offset_minutes: None,
            request: None,
        })
        .await
        .unwrap();
    assert_eq!(count(&f.desk), (0, looked_up));
}

#[tokio::test]
async fn the_reply_dates_the_removal_on_the_agents_day_and_a_bad_offset_is_refused() {
    let f = fixture().await;
    let bad = f
        .desk
        .revoke(&RevokeRequest {
            utc_offset_minutes: Some(2000),
            ..request("1234", VISA, "0028")
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code, ErrorCode::Validation);
    assert_eq!(bad.field.as_deref(), Some("utc_offset_minutes"));
    assert!(f.sandbox.ledger().all().is_empty(), "nothing was sent");

    let moscow = 180;
    let done = f
        .desk
        .revoke(&RevokeRequest {
            utc_offset_minutes: Some(moscow),
            ..request("1234", VISA, "0028")
        })
        .await
        .unwrap();
    let local =
        time::OffsetDateTime::parse(&done.time, &time::format_description::well_known::Rfc3339)
            .unwrap()
            .to_offset(time::UtcOffset::from_whole_seconds(moscow * 60).unwrap());
    let day = format!("{}\u{a0}", local.day());
    assert!(
        done.reply_ru.contains(&format!("системы {day}")),
        "{}",
        done.reply_ru
    );
    assert!(
        done.reply_ru.contains(&format!("{}\u{a0}г.", local.year())),
        "{}",
        done.reply_ru
    );
    assert!(!done.reply_en.contains("UTC"), "{}", done.reply_en);
}
