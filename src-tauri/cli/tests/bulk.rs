//! `carddesk bulk` as a real process against the sandbox: killed with SIGKILL at random
//! points three times and resumed each time, every planned token is removed exactly once
//! (ledger), every row ends final, and the audit log holds one outcome per removal.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::Duration;

use assist_sandbox::{FaultPlan, Sandbox, SandboxConfig, Seed};

const BIN: &str = env!("CARGO_BIN_EXE_carddesk");

fn token(i: usize) -> String {
    format!("{:08X}-0000-4000-8000-{:012X}", i, i * 16)
}

fn seed(n: usize) -> String {
    let customers: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"customerNumber":"C{i}","cards":[{{"expire":"12.2030","token":"{}","bank":"","brand":"VISA","bin":412362,"active":true,"needCVC":false,"post":"{:04}","assets":[]}}]}}"#,
                token(i),
                i % 10000
            )
        })
        .collect();
    format!(
        r#"{{"merchants":[{{"merchantId":452739,"name":"Bulk","language":"EN","oneClick":{{"enabled":true,"mode":"standard"}},"customers":[{}]}}],
"users":[{{"login":"LOGIN","password":"PASSWORD","merchantId":452739,"webService":true}}]}}"#,
        customers.join(",")
    )
}

fn base(cmd: &[&str], url: &str, data: &str) -> Command {
    let mut c = Command::new(BIN);
    c.args(cmd)
        .args(["--data-dir", data])
        .env("CARDDESK_PASSWORD", "PASSWORD")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let _ = url;
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_three_times_then_resume_removes_every_card_exactly_once() {
    kill_and_resume(300, 3, [700, 500, 900, 1300]).await;
}

/// Enough rows that the journal settles chunks of rows into its archive while the kills
/// come (a chunk is 128 rows), at points that differ from run to run (printed, to replay).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_points_while_rows_settle_then_resume_removes_every_card_once() {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let pick = |k: u32, lo: u64| lo + u64::from(nanos.rotate_left(8 * k) % 600);
    let kills = [pick(0, 600), pick(1, 300), pick(2, 300), pick(3, 300)];
    println!("kill after (ms): {kills:?}");
    kill_and_resume(1500, 1, kills).await;
}

/// Runs a job of `n` rows (one card each, the sandbox answering after `latency_ms` and
/// dropping the connection after every tenth removal), kills the run after `kills[0]` ms and
/// each of three resumes after the next delay, resumes once more to the end, and checks the
/// ledger and the audit log.
async fn kill_and_resume(n: usize, latency_ms: u64, kills: [u64; 4]) {
    let sb = Sandbox::start(SandboxConfig {
        seed: Seed::from_json(&seed(n)).unwrap(),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    sb.faults().set(FaultPlan {
        latency_ms,
        reset_after_removal: 10,
        ..FaultPlan::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap().to_owned();
    let csv = dir.path().join("rows.csv");
    let mut text = String::from("customer,last4\n");
    for i in 0..n {
        text.push_str(&format!("C{i},{:04}\n", i % 10000));
    }
    std::fs::write(&csv, text).unwrap();
    let url = sb.url();
    let csv_s = csv.to_str().unwrap().to_owned();
    let job_id = {
        let (url, data) = (url.clone(), data.clone());
        tokio::task::spawn_blocking(move || {
            let mut c = base(&["bulk", "run", &csv_s], &url, &data);
            c.args([
                "--server",
                &url,
                "--merchant-id",
                "452739",
                "--login",
                "LOGIN",
            ])
            .args(["--concurrency", "8", "--rate", "1000", "--ticket", "T-1"]);
            let mut child = c.spawn().unwrap();
            std::thread::sleep(Duration::from_millis(kills[0]));
            child.kill().unwrap(); // SIGKILL
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr).to_string();
            err.lines()
                .find_map(|l| {
                    l.strip_prefix("job ")
                        .map(|r| r.split(' ').next().unwrap().to_owned())
                })
                .unwrap_or_else(|| panic!("no job id in {err}"))
        })
        .await
        .unwrap()
    };
    let mut last = None;
    for (k, wait) in [kills[1], kills[2], kills[3], 0].into_iter().enumerate() {
        let (url, data, id) = (url.clone(), data.clone(), job_id.clone());
        let out_csv = dir.path().join(format!("out{k}.csv"));
        last = Some(
            tokio::task::spawn_blocking(move || {
                let mut c = base(&["bulk", "resume", &id], &url, &data);
                c.args([
                    "--concurrency",
                    "8",
                    "--rate",
                    "1000",
                    "--out",
                    out_csv.to_str().unwrap(),
                ]);
                let mut child = c.spawn().unwrap();
                if wait > 0 {
                    std::thread::sleep(Duration::from_millis(wait));
                    let _ = child.kill();
                }
                let out = child.wait_with_output().unwrap();
                (
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr).to_string(),
                    out_csv,
                )
            })
            .await
            .unwrap(),
        );
    }
    let (status, stderr, out_csv) = last.unwrap();
    assert_eq!(status, Some(0), "{stderr}");
    let results = std::fs::read_to_string(out_csv).unwrap();
    assert_eq!(results.lines().count(), n + 1);
    assert!(
        results.lines().skip(1).all(|l| l.contains(",done,")),
        "{results}"
    );
    let ledger = sb.ledger();
    let log =
        desk::audit::read_entries(&desk::audit::audit_path(std::path::Path::new(&data))).unwrap();
    let mut outcomes: HashMap<String, usize> = HashMap::new();
    // A kill between an intent and its rem_token, or one that cuts a rem_token the sandbox
    // had received but not yet processed (counted on arrival, dropped with the connection
    // during its latency), leaves the card listed: the next run's recovery records that and
    // the card is sent once more. Only then may a token see a second call.
    let mut cut: HashMap<String, u64> = HashMap::new();
    for e in &log {
        if e.action == desk::audit::AuditAction::RecoveredOutcome
            && e.read_back == Some(desk::audit::ReadBack::Listed)
            && let Some(f) = &e.token_fingerprint
        {
            *cut.entry(f.clone()).or_default() += 1;
        }
    }
    for e in &log {
        if matches!(
            e.action,
            desk::audit::AuditAction::RevokeOutcome | desk::audit::AuditAction::RecoveredOutcome
        ) && e.outcome.is_some_and(|o| o.card_gone())
            && let Some(f) = &e.token_fingerprint
        {
            *outcomes.entry(f.clone()).or_default() += 1;
        }
    }
    for i in 0..n {
        let t = token(i);
        let e = ledger.entry(&t);
        let fingerprint = desk::audit::token_fingerprint(&t);
        assert_eq!(e.effective_removals, 1, "{t}: {e:?}");
        assert!(
            e.rem_token_calls <= 1 + cut.get(&fingerprint).copied().unwrap_or(0),
            "{t}: {e:?}: one call, plus at most one per intent a kill left unsent or cut"
        );
        assert_eq!(
            outcomes.get(&desk::audit::token_fingerprint(&t)),
            Some(&1),
            "{t}: one audit outcome"
        );
    }
    sb.shutdown().await;
}
