//! Bulk jobs as the desktop app drives them through [`Desk`]: preview and column mapping,
//! create for the active profile, dry run, the plan table, run with progress, cancel from
//! another call and resume, results export, the production confirmation, and delete — over
//! real loopback HTTP to the sandbox, with real sled journals in a temp dir.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use assist_sandbox::{Sandbox, SandboxConfig};
use desk::audit::Reason;
use desk::bulk::{ColumnMap, PlanClass, Progress, ProgressFn, RowState, RunOptions};
use desk::profiles::ProfileDraft;
use desk::secrets::MemoryStore;
use desk::{BulkDraft, Desk, ErrorCode, JobAction, JobPhase};

struct Fixture {
    sandbox: Sandbox,
    desk: Arc<Desk>,
    dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let (sandbox, desk, dir) = common::sandbox_and_desk().await;
    Fixture {
        sandbox,
        desk: Arc::new(desk),
        dir,
    }
}

fn write(f: &Fixture, name: &str, text: &str) -> std::path::PathBuf {
    let path = f.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Writes the file and chooses it as the open dialog would: the handle its preview gives.
async fn choose(f: &Fixture, name: &str, text: &str) -> String {
    let path = write(f, name, text);
    f.desk.bulk_preview(path).await.unwrap().source
}

fn recorder() -> (ProgressFn, Arc<Mutex<Vec<Progress>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    (
        Arc::new(move |p: &Progress| sink.lock().unwrap().push(*p)),
        seen,
    )
}

const FAST: RunOptions = RunOptions {
    concurrency: 4,
    rate: None,
    patience_secs: None,
};

/// A file whose only column is `customer`.
fn customer_column() -> ColumnMap {
    ColumnMap {
        customer: Some("customer".into()),
        ..ColumnMap::default()
    }
}

fn draft(source: String, map: ColumnMap, erasure: bool) -> BulkDraft {
    BulkDraft {
        source,
        map,
        erasure,
        ticket: Some("CRM-2026-11".into()),
        reason: Reason::CustomerRequest,
        note: None,
    }
}

#[tokio::test]
async fn a_crm_export_is_mapped_dry_run_run_and_exported() {
    let f = fixture().await;
    // Excel's export: BOM, semicolons, Russian headers, and one header no alias knows.
    let csv = "\u{feff}Номер клиента;Карта (посл. 4);Заявка\n\
               1234;0028;T-1\n\
               100000;;T-2\n\
               100301;;T-3\n\
               123456789012345678901234567890123;;T-4\n\
               1234;0028;T-5\n";
    let path = write(&f, "crm.csv", csv);
    let preview = f.desk.bulk_preview(path).await.unwrap();
    assert_eq!(preview.delimiter, ";");
    assert_eq!(preview.file_name, "crm.csv");
    assert_eq!(
        preview.headers,
        ["Номер клиента", "Карта (посл. 4)", "Заявка"]
    );
    assert_eq!(preview.suggested.customer.as_deref(), Some("Номер клиента"));
    assert_eq!(preview.suggested.ticket.as_deref(), Some("Заявка"));
    assert_eq!(preview.suggested.last4, None, "no alias for that header");
    assert_eq!(preview.sample.len(), 5);
    assert_eq!(preview.sample[0], ["1234", "0028", "T-1"]);

    // The mapping step names the last-4 column the aliases missed.
    let map = ColumnMap {
        last4: Some("Карта (посл. 4)".into()),
        ..preview.suggested.clone()
    };
    let job = f
        .desk
        .bulk_create(draft(preview.source.clone(), map, false))
        .await
        .unwrap();
    assert_eq!(job.phase, JobPhase::Created);
    assert_eq!(job.rows, 5);
    assert_eq!(job.profile_id.as_deref(), Some("sandbox"));
    assert_eq!(job.summary.problem_count, 2, "{:?}", job.summary.problems);
    assert!(
        job.summary
            .problems
            .iter()
            .any(|p| p.contains("row 6") && p.contains("duplicate of row 2")),
        "{:?}",
        job.summary.problems
    );

    let (progress, seen) = recorder();
    let planned = f.desk.bulk_plan(&job.id, FAST, progress).await.unwrap();
    assert_eq!(planned.phase, JobPhase::Planned);
    let class = |c: PlanClass| planned.summary.classes.get(&c).copied().unwrap_or(0);
    assert_eq!(
        (
            class(PlanClass::Exact),
            class(PlanClass::None),
            class(PlanClass::NeedsErasure)
        ),
        (1, 1, 1)
    );
    assert_eq!(planned.summary.cards, 1);
    assert!(
        f.sandbox.ledger().all().is_empty(),
        "a dry run removes nothing"
    );
    let last = *seen.lock().unwrap().last().unwrap();
    assert_eq!((last.total, last.finished), (3, 3));

    let held = f
        .desk
        .bulk_rows(&job.id, Some(RowState::Held), 0, 50)
        .await
        .unwrap();
    assert_eq!(held.total, 1);
    assert_eq!(held.rows[0].customer.as_deref(), Some("100301"));
    let page = f.desk.bulk_rows(&job.id, None, 1, 2).await.unwrap();
    assert_eq!((page.total, page.rows.len()), (5, 2));
    assert_eq!(
        page.rows[0].row, 3,
        "offset 1 starts at the second data row"
    );

    let (progress, _) = recorder();
    let done = f
        .desk
        .bulk_run(&job.id, FAST, None, progress)
        .await
        .unwrap();
    assert_eq!(done.phase, JobPhase::Finished);
    assert_eq!(done.summary.states.get(&RowState::Done), Some(&1));
    let ledger = f.sandbox.ledger().all();
    assert_eq!(ledger.len(), 1);
    assert!(ledger.values().all(|e| e.effective_removals == 1));
    let row = &f
        .desk
        .bulk_rows(&job.id, Some(RowState::Done), 0, 10)
        .await
        .unwrap()
        .rows[0];
    assert_eq!(row.cards[0].last4, "0028");
    assert_eq!(row.cards[0].outcome.as_deref(), Some("removed"));

    let out = f.dir.path().join("results.csv");
    let exported = f.desk.bulk_export(&job.id, out.clone()).await.unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count() as u64, exported.count + 1);
    // Where it went is said, and kept for "Open folder".
    assert_eq!(exported.path, out.display().to_string());
    assert_eq!(f.desk.last_export(), Some(out.clone()));
    assert!(
        text.lines()
            .any(|l| l.starts_with("2,1234,") && l.contains("removed"))
    );
    assert!(!text.contains("49D902C"), "no token in the results");

    let err = f.desk.bulk_control(&job.id, JobAction::Pause).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.message.starts_with("job: is not running"));
    let listed = f.desk.bulk_jobs().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, job.id);
    f.desk.bulk_delete(&job.id).await.unwrap();
    assert!(f.desk.bulk_jobs().await.unwrap().is_empty());
    assert!(f.desk.bulk_job(&job.id).await.is_err());
}

#[tokio::test]
async fn bad_drafts_and_options_name_the_field() {
    let f = fixture().await;
    let path = choose(&f, "a.csv", "customer\n1234\n").await;
    let err = f
        .desk
        .bulk_create(draft(path.clone(), ColumnMap::default(), false))
        .await
        .unwrap_err();
    assert!(
        err.message.starts_with("customer number column:"),
        "{}",
        err.message
    );
    let map = customer_column();
    let err = f
        .desk
        .bulk_create(BulkDraft {
            ticket: Some("x".repeat(65)),
            ..draft(path.clone(), map.clone(), false)
        })
        .await
        .unwrap_err();
    assert!(
        err.message.starts_with("ticket: must be at most 64"),
        "{}",
        err.message
    );
    let err = f
        .desk
        .bulk_create(draft(
            choose(&f, "b.csv", "foo,bar\n1,2\n").await,
            map.clone(),
            false,
        ))
        .await
        .unwrap_err();
    assert!(err.message.contains("\"customer\""), "{}", err.message);
    // A path is not a choice: only a handle the open dialog's preview gave imports a file, so a
    // webview that names `/etc/passwd` (or this very CSV) gets nothing read.
    let named = write(&f, "named.csv", "customer\n1234\n");
    for source in [named.display().to_string(), "/etc/passwd".into()] {
        let err = f
            .desk
            .bulk_create(draft(source, map.clone(), false))
            .await
            .unwrap_err();
        assert_eq!(
            err.message, "file: choose the file again in the open dialog",
            "{err:?}"
        );
    }
    let job = f.desk.bulk_create(draft(path, map, false)).await.unwrap();
    for (options, field) in [
        (
            RunOptions {
                concurrency: 0,
                rate: None,
                patience_secs: None,
            },
            "concurrency:",
        ),
        (
            RunOptions {
                concurrency: 17,
                rate: None,
                patience_secs: None,
            },
            "concurrency:",
        ),
        (
            RunOptions {
                concurrency: 4,
                rate: Some(0.0),
                patience_secs: None,
            },
            "rate limit:",
        ),
        (
            RunOptions {
                concurrency: 4,
                rate: Some(f64::NAN),
                patience_secs: None,
            },
            "rate limit:",
        ),
    ] {
        let (progress, _) = recorder();
        let err = f
            .desk
            .bulk_plan(&job.id, options, progress)
            .await
            .unwrap_err();
        assert!(err.message.starts_with(field), "{}", err.message);
    }
    assert_eq!(f.sandbox.requests_seen(), 0);
}

#[tokio::test]
async fn a_production_job_runs_only_after_its_card_count_is_typed() {
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
    f.desk.activate(&profile.id).unwrap();
    let path = choose(&f, "erase.csv", "customer\n100301\n").await;
    let map = customer_column();
    let job = f.desk.bulk_create(draft(path, map, true)).await.unwrap();
    assert_eq!(job.profile_name.as_deref(), Some("Live shop"));
    let (progress, _) = recorder();
    let err = f
        .desk
        .bulk_run(&job.id, FAST, Some("2".into()), progress.clone())
        .await
        .unwrap_err();
    assert!(err.message.contains("dry run first"), "{}", err.message);
    let planned = f
        .desk
        .bulk_plan(&job.id, FAST, progress.clone())
        .await
        .unwrap();
    assert_eq!(planned.summary.cards, 2);
    for typed in [None, Some("1"), Some("two")] {
        let err = f
            .desk
            .bulk_run(&job.id, FAST, typed.map(Into::into), progress.clone())
            .await
            .unwrap_err();
        assert!(
            err.message
                .starts_with("confirmation: required for a production profile: type 2"),
            "{}",
            err.message
        );
    }
    assert!(f.sandbox.ledger().all().is_empty());
    let done = f
        .desk
        .bulk_run(&job.id, FAST, Some(" 2 ".into()), progress)
        .await
        .unwrap();
    assert_eq!(done.phase, JobPhase::Finished);
    assert_eq!(f.sandbox.ledger().all().len(), 2);
}

#[tokio::test]
async fn a_running_job_is_cancelled_from_another_call_and_resumed() {
    let f = fixture().await;
    // 25 cards, all removed (erasure), slowly: 10 requests a second.
    let path = choose(&f, "erase.csv", "customer\n100025\n").await;
    let map = customer_column();
    let job = f.desk.bulk_create(draft(path, map, true)).await.unwrap();
    let slow = RunOptions {
        concurrency: 1,
        rate: Some(10.0),
        patience_secs: None,
    };
    let (progress, _) = recorder();
    let desk = f.desk.clone();
    let id = job.id.clone();
    let run = tokio::spawn(async move { desk.bulk_run(&id, slow, None, progress).await });
    let mut phase = JobPhase::Created;
    for _ in 0..100 {
        phase = f.desk.bulk_job(&job.id).await.unwrap().phase;
        if phase == JobPhase::Running && !f.sandbox.ledger().all().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(phase, JobPhase::Running);
    f.desk.bulk_control(&job.id, JobAction::Pause).unwrap();
    assert_eq!(
        f.desk.bulk_job(&job.id).await.unwrap().phase,
        JobPhase::Paused
    );
    let (progress, _) = recorder();
    let err = f
        .desk
        .bulk_run(&job.id, slow, None, progress)
        .await
        .unwrap_err();
    assert!(err.message.starts_with("job: is already running"));
    let err = f.desk.bulk_delete(&job.id).await.unwrap_err();
    assert!(err.message.contains("cancel it first"));
    f.desk.bulk_control(&job.id, JobAction::Cancel).unwrap();
    let stopped = run.await.unwrap().unwrap();
    assert_eq!(stopped.phase, JobPhase::Interrupted);
    let removed = f.sandbox.ledger().all().len();
    assert!(
        (1..25).contains(&removed),
        "{removed} removed before the cancel"
    );

    let (progress, _) = recorder();
    let done = f
        .desk
        .bulk_run(&job.id, FAST, None, progress)
        .await
        .unwrap();
    assert_eq!(done.phase, JobPhase::Finished);
    let ledger = f.sandbox.ledger().all();
    assert_eq!(ledger.len(), 25);
    assert!(ledger.values().all(|e| e.rem_token_calls == 1));
}

/// A job made on the command line and shown in the app is not held by the app: `carddesk
/// bulk resume` (another process; here a second open of its journal) can take it right after
/// the app listed and opened it, and the app says where to resume it.
#[tokio::test]
async fn a_command_line_job_the_app_shows_stays_free_for_the_command_line() {
    let f = fixture().await;
    let data = f.dir.path().join("data");
    let cli_job = desk::bulk::BulkJob::create(
        &data,
        "cli.csv",
        "customer\n1234\n".as_bytes(),
        &ColumnMap::default(),
        desk::bulk::JobTarget {
            server: f.sandbox.url(),
            merchant_id: "452739".into(),
            login: "LOGIN".into(),
            environment: None,
            profile_id: None,
        },
        desk::bulk::JobDefaults::default(),
    )
    .unwrap();
    let id = cli_job.meta().unwrap().id;
    drop(cli_job);
    let listed = f.desk.bulk_jobs().await.unwrap();
    assert!(listed.iter().any(|j| j.id == id && j.profile_id.is_none()));
    f.desk.bulk_job(&id).await.unwrap();
    f.desk.bulk_rows(&id, None, 0, 50).await.unwrap();
    // The command line takes it now.
    let taken =
        desk::bulk::BulkJob::open(&data, &id).expect("the app holds no journal it only shows");
    drop(taken);
    // Running it from the app says where to run it instead.
    let err = f
        .desk
        .bulk_run(
            &id,
            RunOptions::default(),
            None,
            Arc::new(|_: &Progress| {}),
        )
        .await
        .unwrap_err();
    assert!(err.message.contains("carddesk bulk resume"), "{err:?}");
}

/// A job that stopped before its end (here: the gateway could not be reached) is named at the
/// next start, so the user learns there is something to resume.
#[tokio::test]
async fn an_interrupted_job_is_named_at_the_next_start() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let job = desk::bulk::BulkJob::create(
        &data,
        "monday.csv",
        "customer;last4\n1234;0028\n".as_bytes(),
        &ColumnMap::default(),
        desk::bulk::JobTarget {
            server: sandbox.url(),
            merchant_id: "452739".into(),
            login: "LOGIN".into(),
            environment: None,
            profile_id: None,
        },
        desk::bulk::JobDefaults::default(),
    )
    .unwrap();
    let client = |url: &str| {
        assist::Client::new(assist::ClientConfig::new(
            assist::BaseUrl::new(url).unwrap(),
            assist::MerchantId::new("452739").unwrap(),
            assist::Login::new("LOGIN").unwrap(),
            assist::Password::new("PASSWORD").unwrap(),
        ))
        .unwrap()
    };
    job.plan(
        &client(&sandbox.url()),
        &FAST,
        &desk::bulk::JobControl::new(),
        None,
    )
    .await
    .unwrap();
    let operator = desk::audit::Operator::from_env(Some("test"));
    let audit = Arc::new(desk::audit::AuditLog::open(&data, &operator).unwrap());
    let profile = desk::audit::ProfileRef {
        id: "p".into(),
        name: "P".into(),
        environment: desk::Environment::Sandbox,
        merchant_id: "452739".into(),
    };
    let offline = Arc::new(desk::Revoker::new(
        client("http://127.0.0.1:9"),
        profile,
        audit.clone(),
        operator,
    ));
    job.run(
        offline,
        audit.clone(),
        &FAST,
        &desk::bulk::JobControl::new(),
        None,
    )
    .await
    .unwrap_err();
    drop((job, audit));

    let desk = common::desk_at(dir.path(), &sandbox, Arc::new(MemoryStore::new()));
    let status = desk.status().await.unwrap();
    let notice = status
        .notices
        .iter()
        .find(|n| n.kind == desk::NoticeKind::JobsInterrupted)
        .unwrap_or_else(|| panic!("{:?}", status.notices));
    assert_eq!(notice.params["n"], "1");
    assert_eq!(notice.params["names"], "monday.csv");
}

#[tokio::test]
async fn an_invalid_row_shows_and_exports_what_it_held() {
    let f = fixture().await;
    let long = "x".repeat(100);
    let csv = format!(
        "customer,last4,ticket\n1234,44A7,T-1\n,0028,T-2\n100000,,{long}\n100301,0028,T-4\n"
    );
    let source = choose(&f, "bad.csv", &csv).await;
    let map = ColumnMap {
        customer: Some("customer".into()),
        last4: Some("last4".into()),
        ticket: Some("ticket".into()),
        ..ColumnMap::default()
    };
    let job = f.desk.bulk_create(draft(source, map, false)).await.unwrap();
    let rows = f.desk.bulk_rows(&job.id, None, 0, 10).await.unwrap().rows;
    let shown: Vec<(Option<&str>, Option<&str>)> = rows
        .iter()
        .map(|r| (r.customer.as_deref(), r.last4.as_deref()))
        .collect();
    // Only the last 4 was bad: the customer is still shown; a missing customer is none.
    assert_eq!(
        shown,
        [
            (Some("1234"), Some("44A7")),
            (None, Some("0028")),
            (Some("100000"), None),
            (Some("100301"), Some("0028")),
        ]
    );
    // A too-long value is shown cut, never whole.
    let ticket = rows[2].ticket.as_deref().unwrap();
    assert_eq!(ticket.chars().count(), 64);
    assert!(ticket.ends_with('…'), "{ticket}");

    let out = f.dir.path().join("results.csv");
    f.desk.bulk_export(&job.id, out.clone()).await.unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    let first = text.lines().nth(1).unwrap();
    assert!(
        first.starts_with("2,1234,"),
        "the invalid row names its customer: {first}"
    );
}
