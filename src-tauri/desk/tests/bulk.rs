//! Bulk jobs against a real sandbox on loopback: CSV problems reported by row, field and
//! rule; plan classes; a job of `CARDDESK_BULK_ROWS` rows (default 10,000) under injected
//! faults and latency ends with every row final, every planned token removed exactly once
//! (ledger) and one audit outcome per removal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::Arc;

use assist::{BaseUrl, Client, ClientConfig, Login, MerchantId, Password};
use assist_sandbox::{FaultPlan, Sandbox, SandboxConfig, Seed};
use desk::audit::{AuditAction, AuditLog, Operator, ProfileRef, token_fingerprint};
use desk::bulk::{
    BulkJob, ColumnMap, JobControl, JobDefaults, JobTarget, PlanClass, RowState, RunOptions,
};
use desk::{Environment, Revoker};

fn token(i: usize, k: usize) -> String {
    format!("{:08X}-{:04X}-4000-8000-{:012X}", i, k, i * 16 + k)
}

/// A seed with `n` customers `C{i}` holding one card each (last4 = i % 10000), plus
/// `MULTI` (two cards with the same last4), `EMPTY` (none) and `ERASE` (three cards).
pub fn seed_json(n: usize) -> String {
    let card = |t: String, last4: String, exp: &str| {
        format!(
            r#"{{"expire":"{exp}","token":"{t}","bank":"","brand":"VISA","bin":412362,"active":true,"needCVC":false,"post":"{last4}","assets":[]}}"#
        )
    };
    let mut customers = Vec::with_capacity(n + 3);
    for i in 0..n {
        customers.push(format!(
            r#"{{"customerNumber":"C{i}","cards":[{}]}}"#,
            card(token(i, 0), format!("{:04}", i % 10000), "12.2030")
        ));
    }
    customers.push(format!(
        r#"{{"customerNumber":"MULTI","cards":[{},{}]}}"#,
        card(token(900_001, 1), "1111".into(), "01.2030"),
        card(token(900_001, 2), "1111".into(), "02.2031")
    ));
    customers.push(r#"{"customerNumber":"EMPTY","cards":[]}"#.to_owned());
    customers.push(format!(
        r#"{{"customerNumber":"ERASE","cards":[{},{},{}]}}"#,
        card(token(900_002, 1), "2221".into(), "01.2030"),
        card(token(900_002, 2), "2222".into(), "01.2030"),
        card(token(900_002, 3), "2223".into(), "01.2030")
    ));
    format!(
        r#"{{"merchants":[{{"merchantId":452739,"name":"Bulk","language":"EN","oneClick":{{"enabled":true,"mode":"standard"}},"customers":[{}]}}],
"users":[{{"login":"LOGIN","password":"PASSWORD","merchantId":452739,"webService":true}}]}}"#,
        customers.join(",\n")
    )
}

async fn sandbox(n: usize) -> Sandbox {
    let seed = Seed::from_json(&seed_json(n)).unwrap();
    Sandbox::start(SandboxConfig {
        seed,
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

fn client(url: &str) -> Client {
    let mut config = ClientConfig::new(
        BaseUrl::new(url).unwrap(),
        MerchantId::new("452739").unwrap(),
        Login::new("LOGIN").unwrap(),
        Password::new("PASSWORD").unwrap(),
    );
    config.retry_backoff = std::time::Duration::from_millis(20);
    Client::new(config).unwrap()
}

fn target(url: &str) -> JobTarget {
    JobTarget {
        server: url.to_owned(),
        merchant_id: "452739".into(),
        login: "LOGIN".into(),
        environment: None,
        profile_id: None,
    }
}

fn import(dir: &std::path::Path, csv: &[u8]) -> Result<BulkJob, desk::DeskError> {
    BulkJob::create(
        dir,
        "test.csv",
        csv,
        &ColumnMap::default(),
        target("http://127.0.0.1:1"),
        JobDefaults::default(),
    )
}

fn problems(job: &BulkJob) -> Vec<String> {
    job.summary().unwrap().problems
}

#[test]
fn malformed_csvs_are_reported_by_row_field_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    // Wrong delimiter: tabs leave one column that is no customer number.
    let e = import(dir.path(), b"customer\tlast4\nC1\t0001\n").unwrap_err();
    assert!(
        e.message.contains("no customer number column"),
        "{}",
        e.message
    );
    // Missing column.
    let e = import(dir.path(), b"last4,expiry\n0001,12/30\n").unwrap_err();
    assert!(
        e.message.contains("no customer number column"),
        "{}",
        e.message
    );
    // 33 characters, forbidden characters, bad last4, bad encoding, duplicates; BOM and
    // semicolons and quotes are fine.
    let long = "A".repeat(33);
    let mut csv = format!(
        "\u{feff}Номер клиента;last4;expiry\n\"C1\";0001;12/2030\n{long};0002;\nC<3>;0003;\nC4;12a;\n"
    )
    .into_bytes();
    csv.extend_from_slice(b"C\xff5;0005;\n");
    csv.extend_from_slice("C1;0001;12/2030\n\"C;7\";0007;\n".as_bytes());
    let job = import(dir.path(), &csv).unwrap();
    let p = problems(&job);
    let has = |s: &str| p.iter().any(|x| x.contains(s));
    assert!(
        has("row 3, customer number: must be 1–32 characters") || has("row 3, customer number"),
        "{p:?}"
    );
    assert!(has("row 4, customer number"), "{p:?}");
    assert!(has("row 5, last4: must be exactly 4 digits"), "{p:?}");
    assert!(has("row 6, customer number: not valid UTF-8"), "{p:?}");
    assert!(has("row 7: duplicate of row 2"), "{p:?}");
    assert!(has("row 8, customer number"), "{p:?}");
    let s = job.summary().unwrap();
    assert_eq!(s.rows, 7, "no row silently dropped: {s:?}");
    assert_eq!(s.states.get(&RowState::Pending), Some(&1));
    // An explicit column mapping.
    let job = BulkJob::create(
        dir.path(),
        "m.csv",
        &b"Kunde,Karte\nC1,0001\n"[..],
        &ColumnMap {
            customer: Some("Kunde".into()),
            last4: Some("Karte".into()),
            ..ColumnMap::default()
        },
        target("http://127.0.0.1:1"),
        JobDefaults::default(),
    )
    .unwrap();
    let first = job.rows().next().unwrap().unwrap();
    assert_eq!(first.input.unwrap().last4.as_deref(), Some("0001"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_classes() {
    let sb = sandbox(5).await;
    let dir = tempfile::tempdir().unwrap();
    let csv = format!(
        "customer,last4,token\nC1,0001,\nC2,,{}\nMULTI,1111,\nEMPTY,,\nERASE,,\nC3,9999,\n",
        token(2, 0)
    );
    let job = BulkJob::create(
        dir.path(),
        "p.csv",
        csv.as_bytes(),
        &ColumnMap::default(),
        target(&sb.url()),
        JobDefaults {
            erasure: true,
            ..JobDefaults::default()
        },
    )
    .unwrap();
    let s = job
        .plan(
            &client(&sb.url()),
            &RunOptions::default(),
            &JobControl::new(),
            None,
        )
        .await
        .unwrap();
    let class = |k: PlanClass| s.classes.get(&k).copied().unwrap_or_default();
    assert_eq!(class(PlanClass::Exact), 2, "{s:?}");
    assert_eq!(class(PlanClass::Ambiguous), 1, "{s:?}");
    assert_eq!(class(PlanClass::None), 1, "{s:?}");
    assert_eq!(class(PlanClass::All), 1, "{s:?}");
    assert_eq!(class(PlanClass::NoMatch), 1, "{s:?}");
    let erase = job
        .rows()
        .map(Result::unwrap)
        .find(|r| r.class == Some(PlanClass::All))
        .unwrap();
    assert_eq!(erase.cards.len(), 3);
    assert!(sb.ledger().all().is_empty(), "a plan sends no removal");
    // The row that named its card by token found it, and the token itself is nowhere in
    // the job's files (docs/design.md §4), in either case.
    let by_token = job
        .rows()
        .map(Result::unwrap)
        .find(|r| r.input.as_ref().is_some_and(|i| i.customer == "C2"))
        .unwrap();
    assert_eq!(by_token.class, Some(PlanClass::Exact));
    drop(job);
    let t = token(2, 0);
    for file in files_under(dir.path()) {
        let bytes = std::fs::read(&file).unwrap();
        for needle in [t.to_ascii_uppercase(), t.to_ascii_lowercase()] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "the token is in {}",
                file.display()
            );
        }
    }
    sb.shutdown().await;
}

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Checks the ledger and audit guarantees for every token the job planned.
pub fn check_guarantees(sb: &Sandbox, audit_dir: &std::path::Path, planned: &[String]) {
    let ledger = sb.ledger();
    let log = desk::audit::read_entries(&desk::audit::audit_path(audit_dir)).unwrap();
    let mut outcomes: HashMap<String, usize> = HashMap::new();
    for e in &log {
        if matches!(
            e.action,
            AuditAction::RevokeOutcome | AuditAction::RecoveredOutcome
        ) && e.outcome.is_some_and(|o| o.card_gone())
            && let Some(f) = &e.token_fingerprint
        {
            *outcomes.entry(f.clone()).or_default() += 1;
        }
    }
    for t in planned {
        let entry = ledger.entry(t);
        assert_eq!(entry.effective_removals, 1, "{t}: {entry:?}");
        assert_eq!(entry.rem_token_calls, 1, "{t}: {entry:?}");
        assert_eq!(
            outcomes.get(&token_fingerprint(t)),
            Some(&1),
            "{t}: audit outcomes"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_job_under_faults_removes_every_card_once() {
    let n: usize = std::env::var("CARDDESK_BULK_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let sb = sandbox(n).await;
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("customer;last4;token\n");
    let mut planned = Vec::new();
    for i in 0..n {
        if i % 2 == 0 {
            csv.push_str(&format!("C{i};{:04};\n", i % 10000));
        } else {
            csv.push_str(&format!("C{i};;{}\n", token(i, 0)));
        }
        planned.push(token(i, 0));
    }
    let job = BulkJob::create(
        dir.path(),
        "big.csv",
        csv.as_bytes(),
        &ColumnMap::default(),
        target(&sb.url()),
        JobDefaults {
            ticket: Some("CRM-1".into()),
            ..JobDefaults::default()
        },
    )
    .unwrap();
    let c = client(&sb.url());
    // Listing faults during the plan: rate limit, HTML 5xx pages, resets.
    sb.faults().set(FaultPlan {
        rate_limit: 20,
        html_5xx: 10,
        reset_before_response: 5,
        latency_ms: 1,
        ..FaultPlan::default()
    });
    let options = RunOptions {
        concurrency: 8,
        rate: None,
        patience_secs: None,
    };
    let started = std::time::Instant::now();
    let s = job
        .plan(&c, &options, &JobControl::new(), None)
        .await
        .unwrap();
    assert_eq!(
        s.classes.get(&PlanClass::Exact).copied(),
        Some(n as u64),
        "{s:?}"
    );
    // Removal faults that do not refuse the request: latency and lost replies after the
    // card was removed.
    sb.faults().set(FaultPlan {
        latency_ms: 2,
        reset_after_removal: 25,
        ..FaultPlan::default()
    });
    let operator = Operator::from_env(Some("bulk test"));
    let audit = Arc::new(AuditLog::open(dir.path(), &operator).unwrap());
    let profile = ProfileRef {
        id: "bulk-test".into(),
        name: "Bulk test".into(),
        environment: Environment::Sandbox,
        merchant_id: "452739".into(),
    };
    let revoker = Arc::new(Revoker::new(c.clone(), profile, audit.clone(), operator));
    let s = job
        .run(revoker, audit, &options, &JobControl::new(), None)
        .await
        .unwrap();
    eprintln!("{n} rows planned and run in {:?}", started.elapsed());
    assert_eq!(
        s.states.get(&RowState::Done).copied(),
        Some(n as u64),
        "{s:?}"
    );
    for r in job.rows() {
        assert!(r.unwrap().state.is_final());
    }
    check_guarantees(&sb, dir.path(), &planned);
    let mut out = Vec::new();
    job.export_csv(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), n + 1);
    assert!(
        text.contains("removed_confirmed_by_recheck"),
        "lost replies are settled"
    );
    assert!(!text.contains(&token(0, 0)), "no token in the results");
    let _ = RowState::Done;
    sb.shutdown().await;
}

/// Effective removals the sandbox has made so far.
fn removals(sb: &Sandbox) -> u64 {
    sb.ledger()
        .all()
        .values()
        .map(|e| e.effective_removals)
        .sum()
}

/// Waits until the ledger's removal count has not moved for `quiet`, at most 10 s.
async fn settle(sb: &Sandbox, quiet: std::time::Duration) -> u64 {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut last = removals(sb);
    let mut since = std::time::Instant::now();
    while std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let now = removals(sb);
        if now != last {
            (last, since) = (now, std::time::Instant::now());
        } else if since.elapsed() >= quiet {
            break;
        }
    }
    last
}

/// Waits until the sandbox has made at least `n` removals, at most 20 s.
async fn wait_for_removals(sb: &Sandbox, n: u64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while removals(sb) < n {
        assert!(
            std::time::Instant::now() < deadline,
            "stuck at {}",
            removals(sb)
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// Pause holds every worker (the ledger stands still; requests queued at the pace wait too),
/// resume lets the run finish; cancel stops after the rows in hand, leaves the rest `planned`,
/// and a later run of the reopened job removes exactly those, none twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pause_resume_and_cancel_during_a_run() {
    const ROWS: usize = 240;
    const CONCURRENCY: usize = 8;
    let sb = sandbox(2 * ROWS).await;
    let dir = tempfile::tempdir().unwrap();
    let c = client(&sb.url());
    let operator = Operator::from_env(Some("bulk test"));
    let audit = Arc::new(AuditLog::open(dir.path(), &operator).unwrap());
    let profile = ProfileRef {
        id: "bulk-test".into(),
        name: "Bulk test".into(),
        environment: Environment::Sandbox,
        merchant_id: "452739".into(),
    };
    let revoker = Arc::new(Revoker::new(c.clone(), profile, audit.clone(), operator));
    // Slow enough to act mid-run: 3 rate tokens per row (list, then rem_token counted
    // twice for its read-back) at 240/s is about 80 rows/s.
    let options = RunOptions {
        concurrency: CONCURRENCY,
        rate: Some(240.0),
        patience_secs: None,
    };
    let job_of = |rows: std::ops::Range<usize>| {
        let mut csv = String::from("customer;last4\n");
        for i in rows {
            csv.push_str(&format!("C{i};{:04}\n", i % 10000));
        }
        BulkJob::create(
            dir.path(),
            "control.csv",
            csv.as_bytes(),
            &ColumnMap::default(),
            target(&sb.url()),
            JobDefaults::default(),
        )
        .unwrap()
    };
    let plan = |job: &BulkJob| {
        let (job, c) = (job.clone(), c.clone());
        async move {
            let s = job
                .plan(&c, &options, &JobControl::new(), None)
                .await
                .unwrap();
            assert_eq!(
                s.classes.get(&PlanClass::Exact).copied(),
                Some(ROWS as u64),
                "{s:?}"
            );
        }
    };

    // Pause and resume.
    let job = job_of(0..ROWS);
    plan(&job).await;
    let control = JobControl::new();
    let run = tokio::spawn({
        let (job, revoker, audit, control) =
            (job.clone(), revoker.clone(), audit.clone(), control.clone());
        async move { job.run(revoker, audit, &options, &control, None).await }
    });
    wait_for_removals(&sb, 20).await;
    control.pause();
    assert!(control.is_paused());
    let at_pause = removals(&sb);
    let held = settle(&sb, std::time::Duration::from_millis(300)).await;
    assert!(
        held - at_pause <= (CONCURRENCY * desk::bulk::ROWS_PER_REQUEST_SLOT) as u64,
        "only the rows in hand finish after a pause: {at_pause} → {held}"
    );
    assert!(held < ROWS as u64, "paused before the end: {held}");
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(removals(&sb), held, "no removal while paused");
    assert!(!run.is_finished(), "a paused run waits");
    let in_flight = job
        .rows()
        .map(Result::unwrap)
        .filter(|r| r.state == RowState::InFlight)
        .count();
    // A row in hand whose next request was queued at the job's pace waits there: paused means
    // nothing is sent, not even what was queued (the ledger above stands still).
    assert!(
        in_flight <= CONCURRENCY * desk::bulk::ROWS_PER_REQUEST_SLOT,
        "only rows in hand wait in flight while paused: {in_flight}"
    );
    control.resume();
    let s = tokio::time::timeout(std::time::Duration::from_secs(30), run)
        .await
        .expect("the resumed run finishes")
        .unwrap()
        .unwrap();
    assert_eq!(
        s.states.get(&RowState::Done).copied(),
        Some(ROWS as u64),
        "{s:?}"
    );
    let first: Vec<String> = (0..ROWS).map(|i| token(i, 0)).collect();
    check_guarantees(&sb, dir.path(), &first);

    // Cancel, then a later run of the reopened job.
    let job = job_of(ROWS..2 * ROWS);
    let id = job.meta().unwrap().id;
    plan(&job).await;
    let before = removals(&sb);
    let control = JobControl::new();
    let run = tokio::spawn({
        let (job, revoker, audit, control) =
            (job.clone(), revoker.clone(), audit.clone(), control.clone());
        async move { job.run(revoker, audit, &options, &control, None).await }
    });
    wait_for_removals(&sb, before + 40).await;
    control.cancel();
    let s = tokio::time::timeout(std::time::Duration::from_secs(10), run)
        .await
        .expect("a cancelled run returns")
        .unwrap()
        .unwrap();
    let done = s.states.get(&RowState::Done).copied().unwrap_or_default();
    let planned = s
        .states
        .get(&RowState::Planned)
        .copied()
        .unwrap_or_default();
    assert!(done >= 40 && planned > 0, "{s:?}");
    assert_eq!(
        done + planned,
        ROWS as u64,
        "only done or planned rows: {s:?}"
    );
    assert_eq!(removals(&sb) - before, done, "one removal per done row");
    for r in job.rows().map(Result::unwrap) {
        let customer = &r.input.as_ref().unwrap().customer;
        let t = token(customer[1..].parse().unwrap(), 0);
        let e = sb.ledger().entry(&t);
        match r.state {
            RowState::Done => assert_eq!((e.rem_token_calls, e.effective_removals), (1, 1)),
            RowState::Planned => assert_eq!(e.rem_token_calls, 0, "row {}: {e:?}", r.row),
            other => panic!("row {}: {other:?}", r.row),
        }
    }
    drop(job);
    let job = BulkJob::open(dir.path(), &id).unwrap();
    let s = job
        .run(revoker, audit, &options, &JobControl::new(), None)
        .await
        .unwrap();
    assert_eq!(
        s.states.get(&RowState::Done).copied(),
        Some(ROWS as u64),
        "{s:?}"
    );
    let second: Vec<String> = (ROWS..2 * ROWS).map(|i| token(i, 0)).collect();
    check_guarantees(&sb, dir.path(), &second);
    assert_eq!(removals(&sb), 2 * ROWS as u64);
    sb.shutdown().await;
}

#[test]
fn a_rows_token_is_kept_as_a_digest_and_old_journals_token_still_matches() {
    let t = token(7, 0);
    let mut input = desk::bulk::RowInput {
        customer: "C7".into(),
        last4: None,
        expiry: None,
        token_digest: Some(desk::bulk::token_digest(&t)),
        ticket: None,
        reason: None,
        note: None,
    };
    assert!(!input.token_digest.as_deref().unwrap().contains(&t[..8]));
    assert!(
        input.names_card(&t.to_ascii_lowercase()),
        "case does not matter"
    );
    assert!(!input.names_card(&token(8, 0)));
    // A journal written before digests holds the token itself.
    input.token_digest = Some(t.clone());
    assert!(input.names_card(&t));
    assert!(!input.names_card(&token(8, 0)));
}

#[cfg(unix)]
#[test]
fn job_journals_and_result_exports_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let job = import(dir.path(), b"customer,last4\nC1,0001\n").unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir.path().join("jobs")), 0o700);
    assert_eq!(mode(job.path()), 0o700);
    for entry in std::fs::read_dir(job.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
    }
    let results = dir.path().join("results.csv");
    let file = desk::audit::create_export(&results).unwrap();
    job.export_csv(std::io::BufWriter::new(file)).unwrap();
    assert_eq!(mode(&results), 0o600);
}

#[test]
fn results_export_neutralises_formula_cells() {
    let dir = tempfile::tempdir().unwrap();
    let job = import(
        dir.path(),
        b"customer,last4\n+79161234567,0001\n-2+3,0002\n@cmd|calc,0003\nC4,0004\n",
    )
    .unwrap();
    let mut out = Vec::new();
    job.export_csv(&mut out).unwrap();
    let mut reader = csv::Reader::from_reader(&out[..]);
    let customers: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_owned()).collect();
    assert_eq!(customers, ["'+79161234567", "'-2+3", "'@cmd|calc", "C4"]);
}

#[test]
fn job_defaults_with_control_characters_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let with = |ticket: Option<&str>, note: Option<&str>| {
        BulkJob::create(
            dir.path(),
            "test.csv",
            &b"customer,last4\nC1,0001\n"[..],
            &ColumnMap::default(),
            target("http://127.0.0.1:1"),
            JobDefaults {
                ticket: ticket.map(str::to_owned),
                note: note.map(str::to_owned),
                ..JobDefaults::default()
            },
        )
    };
    let e = with(Some("T-1\u{1b}]0;owned\u{7}"), None).unwrap_err();
    assert_eq!(e.message, "ticket: must not contain control characters");
    let e = with(None, Some("ok\r\n=cmd")).unwrap_err();
    assert_eq!(e.message, "note: must not contain control characters");
    let job = with(Some("T-1"), Some("two\nlines")).unwrap();
    assert_eq!(job.meta().unwrap().ticket.as_deref(), Some("T-1"));
}

/// A CSV whose row 3 is one quoted field of `field_bytes` bytes, made on the fly; counts
/// the bytes read from it.
struct LongField {
    field_bytes: u64,
    pos: u64,
    read: Arc<std::sync::atomic::AtomicU64>,
}

impl LongField {
    const HEAD: &[u8] = b"customer,last4,note\nC1,0001,ok\nC2,0002,\"";
    const TAIL: &[u8] = b"\"\nC3,0003,ok\n";

    fn new(field_bytes: u64) -> (Self, Arc<std::sync::atomic::AtomicU64>) {
        let read = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let me = LongField {
            field_bytes,
            pos: 0,
            read: read.clone(),
        };
        (me, read)
    }

    fn byte_at(&self, i: u64) -> Option<u8> {
        let head = Self::HEAD.len() as u64;
        if i < head {
            return Some(Self::HEAD[i as usize]);
        }
        if i < head + self.field_bytes {
            return Some(b'x');
        }
        Self::TAIL
            .get((i - head - self.field_bytes) as usize)
            .copied()
    }
}

impl std::io::Read for LongField {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < buf.len() {
            let Some(b) = self.byte_at(self.pos) else {
                break;
            };
            buf[n] = b;
            n += 1;
            self.pos += 1;
        }
        self.read
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

fn import_from(dir: &std::path::Path, input: impl std::io::Read) -> BulkJob {
    BulkJob::create(
        dir,
        "long.csv",
        input,
        &ColumnMap::default(),
        target("http://127.0.0.1:1"),
        JobDefaults::default(),
    )
    .unwrap()
}

#[test]
fn a_row_over_64_kib_is_refused_without_reading_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    // 32 MiB in one field: the import stops at the cap, not at the end of the field.
    let (input, read) = LongField::new(32 << 20);
    let job = import_from(dir.path(), input);
    let read = read.load(std::sync::atomic::Ordering::Relaxed);
    assert!(read < 256 * 1024, "read {read} bytes of a 32 MiB row");
    assert_eq!(
        problems(&job),
        [
            "row 3: longer than 64 KiB (65536 bytes), the limit for one row; the rows after it \
             were not read"
        ]
    );
    let s = job.summary().unwrap();
    assert_eq!(
        (s.rows, s.states.get(&RowState::Pending)),
        (2, Some(&1)),
        "{s:?}"
    );
}

#[test]
fn a_row_just_over_64_kib_is_refused_and_the_next_rows_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let (input, _) = LongField::new(66_000);
    let job = import_from(dir.path(), input);
    assert_eq!(
        problems(&job),
        ["row 3: longer than 64 KiB (65536 bytes), the limit for one row"]
    );
    assert_eq!(
        job.summary().unwrap().states.get(&RowState::Pending),
        Some(&2)
    );
    // A row of exactly 64 KiB is read.
    let fits = 64 * 1024 - "C2,0002,\"\"\n".len() as u64;
    let (input, _) = LongField::new(fits);
    let job = import_from(dir.path(), input);
    let p = problems(&job);
    assert!(p.iter().all(|p| !p.contains("64 KiB")), "{p:?}");
    assert!(
        p.iter()
            .any(|p| p.contains("row 3, note: must be at most 500")),
        "{p:?}"
    );
}

#[test]
fn a_header_over_64_kib_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = "customer,".to_owned();
    csv.push_str(&"x".repeat(70_000));
    csv.push_str("\nC1\n");
    let e = import(dir.path(), csv.as_bytes()).unwrap_err();
    assert_eq!(
        e.message,
        "CSV header: row 1 is longer than 64 KiB (65536 bytes), the limit for one row"
    );
}

/// A job of rows `C0..C{n}` (`customer;last4`, one card each) on `sb`, in `dir`.
fn job_of_customers(sb: &Sandbox, dir: &std::path::Path, n: usize) -> BulkJob {
    let mut csv = String::from("customer;last4\n");
    for i in 0..n {
        csv.push_str(&format!("C{i};{:04}\n", i % 10000));
    }
    BulkJob::create(
        dir,
        "customers.csv",
        csv.as_bytes(),
        &ColumnMap::default(),
        target(&sb.url()),
        JobDefaults::default(),
    )
    .unwrap()
}

/// The revoke workflow sending to `url`, writing to `audit`.
fn revoker_with(url: &str, audit: &Arc<AuditLog>) -> Arc<Revoker> {
    let profile = ProfileRef {
        id: "bulk-test".into(),
        name: "Bulk test".into(),
        environment: Environment::Sandbox,
        merchant_id: "452739".into(),
    };
    let operator = Operator::from_env(Some("bulk test"));
    Arc::new(Revoker::new(client(url), profile, audit.clone(), operator))
}

/// The revoke workflow sending to `url`, and the audit log in `dir` it writes.
fn revoker_to(url: &str, dir: &std::path::Path) -> (Arc<Revoker>, Arc<AuditLog>) {
    let audit = Arc::new(AuditLog::open(dir, &Operator::from_env(Some("bulk test"))).unwrap());
    (revoker_with(url, &audit), audit)
}

/// Runs (plans, then removes) a job of rows `C0..C{n}` (`customer;last4`) on `sb` with
/// `options`, recording every progress report. Returns the job, the summary, the reports and
/// the time taken.
async fn run_job(
    sb: &Sandbox,
    dir: &std::path::Path,
    n: usize,
    options: RunOptions,
) -> (
    BulkJob,
    desk::bulk::JobSummary,
    Vec<desk::bulk::Progress>,
    std::time::Duration,
) {
    let job = job_of_customers(sb, dir, n);
    let (revoker, audit) = revoker_to(&sb.url(), dir);
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let progress: desk::bulk::ProgressFn = {
        let seen = seen.clone();
        Arc::new(move |p: &desk::bulk::Progress| seen.lock().unwrap().push(*p))
    };
    let started = std::time::Instant::now();
    let summary = job
        .run(revoker, audit, &options, &JobControl::new(), Some(progress))
        .await
        .unwrap();
    let reports = seen.lock().unwrap().clone();
    (job, summary, reports, started.elapsed())
}

/// Every card of `C0..C{n}` removed once, and no removal sent for a card already gone.
fn removed_once(sb: &Sandbox, n: usize) {
    let ledger = sb.ledger().all();
    for i in 0..n {
        let e = ledger.get(&token(i, 0)).copied().unwrap_or_default();
        assert_eq!(e.effective_removals, 1, "C{i}: {e:?}");
        assert_eq!(
            e.calls_after_removal, 0,
            "C{i}: sent again after removal: {e:?}"
        );
    }
}

/// The gateway allows 60 requests a second and the job asks for 1,000: the job's pace finds
/// the limit, every refused request is tried again, and all 600 cards are removed once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_asking_1000_a_second_of_a_gateway_limited_to_60_removes_every_card() {
    const ROWS: usize = 600;
    let sb = sandbox(ROWS).await;
    let dir = tempfile::tempdir().unwrap();
    sb.faults().set(FaultPlan {
        requests_per_second: 60.0,
        ..FaultPlan::default()
    });
    let options = RunOptions {
        concurrency: 8,
        rate: Some(1000.0),
        patience_secs: None,
    };
    let (job, s, reports, took) = run_job(&sb, dir.path(), ROWS, options).await;
    assert_eq!(
        s.states.get(&RowState::Done).copied(),
        Some(ROWS as u64),
        "{s:?}"
    );
    removed_once(&sb, ROWS);
    let refused = sb.requests_refused();
    let accepted = sb.requests_seen() - refused;
    let effective = accepted as f64 / took.as_secs_f64();
    eprintln!(
        "{ROWS} rows in {took:?}: {accepted} requests accepted ({effective:.1}/s), {refused} refused"
    );
    assert!(refused > 0, "the limit was met");
    assert!(
        effective >= 0.7 * 60.0,
        "the job used {effective:.1} of the 60 requests a second allowed"
    );
    // The progress said so, with the rate it settled on; the journal keeps it for a resume.
    assert!(
        reports.iter().any(|p| p.limited && p.refused > 0),
        "progress showed the wait"
    );
    let last = reports.last().unwrap();
    let settled = last.pace.unwrap();
    assert!(
        (30.0..=100.0).contains(&settled),
        "settled near the limit: {settled}"
    );
    let kept = job.meta().unwrap().settled_rate.unwrap();
    assert!((30.0..=100.0).contains(&kept), "kept {kept}");
    sb.shutdown().await;
}

/// A busy gateway refuses a tenth of all requests at random: every refused removal and
/// listing is tried again, and the job ends with every card removed, none twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_tenth_of_requests_refused_at_random_a_1000_row_job_removes_every_card() {
    const ROWS: usize = 1000;
    let sb = sandbox(ROWS).await;
    let dir = tempfile::tempdir().unwrap();
    sb.faults().set(FaultPlan {
        refusal_rate: 0.1,
        ..FaultPlan::default()
    });
    let options = RunOptions {
        concurrency: 8,
        rate: None,
        patience_secs: None,
    };
    let (_, s, _, took) = run_job(&sb, dir.path(), ROWS, options).await;
    eprintln!(
        "{ROWS} rows in {took:?}, {} requests refused",
        sb.requests_refused()
    );
    assert!(sb.requests_refused() > 100, "a tenth refused");
    assert_eq!(
        s.states.get(&RowState::Done).copied(),
        Some(ROWS as u64),
        "{s:?}"
    );
    removed_once(&sb, ROWS);
    sb.shutdown().await;
}

/// A row the limit keeps refusing ends as failed once its patience runs out, with a message
/// that names the limit; nothing was removed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_refused_for_longer_than_its_patience_fails_naming_the_limit() {
    let sb = sandbox(3).await;
    let dir = tempfile::tempdir().unwrap();
    let options = RunOptions {
        concurrency: 2,
        rate: None,
        patience_secs: Some(1),
    };
    // Listings pass (the plan), then every request is refused.
    let job = job_of_customers(&sb, dir.path(), 3);
    let c = client(&sb.url());
    job.plan(&c, &options, &JobControl::new(), None)
        .await
        .unwrap();
    sb.faults().set(FaultPlan {
        refusal_rate: 1.0,
        ..FaultPlan::default()
    });
    let (revoker, audit) = revoker_to(&sb.url(), dir.path());
    let s = job
        .run(revoker, audit, &options, &JobControl::new(), None)
        .await
        .unwrap();
    assert_eq!(s.states.get(&RowState::Failed).copied(), Some(3), "{s:?}");
    for r in job.rows() {
        let r = r.unwrap();
        let text = format!("{:?} {:?}", r.message, r.cards);
        assert!(text.contains("17/3"), "{text}");
    }
    assert_eq!(removals(&sb), 0);
    sb.shutdown().await;
}

/// While every request is refused, rows wait out their backoff: a pause holds them (nothing
/// is sent meanwhile), a resume lets them go on, and once the gateway takes requests again
/// every card is removed once. A cancel during the backoff ends the run at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pause_and_cancel_act_while_rows_wait_out_the_rate_limit() {
    const ROWS: usize = 40;
    let sb = sandbox(ROWS).await;
    let dir = tempfile::tempdir().unwrap();
    let job = job_of_customers(&sb, dir.path(), ROWS);
    let c = client(&sb.url());
    let options = RunOptions {
        concurrency: 4,
        rate: None,
        patience_secs: None,
    };
    job.plan(&c, &options, &JobControl::new(), None)
        .await
        .unwrap();
    sb.faults().set(FaultPlan {
        refusal_rate: 1.0,
        ..FaultPlan::default()
    });
    let (revoker, audit) = revoker_to(&sb.url(), dir.path());
    let start = |control: JobControl| {
        let (job, revoker, audit) = (job.clone(), revoker.clone(), audit.clone());
        tokio::spawn(async move { job.run(revoker, audit, &options, &control, None).await })
    };
    let wait_for_refusals = |n: u64| {
        let sb = &sb;
        async move {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            while sb.requests_refused() < n {
                assert!(std::time::Instant::now() < deadline, "no refusals");
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
        }
    };

    // Pause while refused: after the requests in hand, nothing more is sent.
    let control = JobControl::new();
    let run = start(control.clone());
    wait_for_refusals(20).await;
    control.pause();
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let held = sb.requests_seen();
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(sb.requests_seen(), held, "nothing is sent while paused");
    assert!(!run.is_finished());
    // The gateway takes requests again; resume: every card removed, none twice.
    sb.faults().set(FaultPlan::default());
    control.resume();
    let s = run.await.unwrap().unwrap();
    assert_eq!(
        s.states.get(&RowState::Done).copied(),
        Some(ROWS as u64),
        "{s:?}"
    );
    removed_once(&sb, ROWS);

    // Cancel while refused: the run ends within a moment, not after the backoff.
    sb.reset();
    let again = job_of_customers(&sb, dir.path(), ROWS);
    sb.faults().set(FaultPlan {
        refusal_rate: 1.0,
        ..FaultPlan::default()
    });
    let control = JobControl::new();
    let run = {
        let (job, revoker, audit, control) =
            (again, revoker.clone(), audit.clone(), control.clone());
        tokio::spawn(async move { job.run(revoker, audit, &options, &control, None).await })
    };
    wait_for_refusals(30).await;
    let cancelled = std::time::Instant::now();
    control.cancel();
    run.await.unwrap().unwrap();
    assert!(
        cancelled.elapsed() < std::time::Duration::from_secs(2),
        "cancel took {:?}",
        cancelled.elapsed()
    );
    assert_eq!(removals(&sb), 0);
    sb.shutdown().await;
}

/// A gateway that cannot be reached stops the pass at once with one clear error (not a wait
/// of seconds per row, not a job full of failed rows); the rows stay planned and a later run
/// removes them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_gateway_stops_the_run_at_once_and_leaves_the_rows_planned() {
    const ROWS: usize = 30;
    let sb = sandbox(ROWS).await;
    let dir = tempfile::tempdir().unwrap();
    let job = job_of_customers(&sb, dir.path(), ROWS);
    let options = RunOptions {
        concurrency: 4,
        rate: None,
        patience_secs: None,
    };
    job.plan(&client(&sb.url()), &options, &JobControl::new(), None)
        .await
        .unwrap();
    // Nothing listens on port 9 of loopback: every connection is refused.
    let (offline, audit) = revoker_to("http://127.0.0.1:9", dir.path());
    let started = std::time::Instant::now();
    let err = job
        .run(offline, audit.clone(), &options, &JobControl::new(), None)
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert!(err.message.contains("cannot be reached"), "{err:?}");
    assert!(err.message.contains("carddesk bulk resume"), "{err:?}");
    let s = job.summary().unwrap();
    assert_eq!(
        s.states.get(&RowState::Failed),
        None,
        "no row failed: {s:?}"
    );
    assert_eq!(
        s.states.get(&RowState::Planned).copied(),
        Some(ROWS as u64),
        "{s:?}"
    );
    let online = revoker_with(&sb.url(), &audit);
    let s = job
        .run(online, audit, &options, &JobControl::new(), None)
        .await
        .unwrap();
    assert_eq!(
        s.states.get(&RowState::Done).copied(),
        Some(ROWS as u64),
        "{s:?}"
    );
    removed_once(&sb, ROWS);
    sb.shutdown().await;
}
