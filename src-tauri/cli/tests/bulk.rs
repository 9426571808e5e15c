//! `carddesk bulk` as a real process against the sandbox: killed with SIGKILL at random
//! points (three times, and twenty times) and resumed each time, every planned token gets
//! exactly one rem_token and is removed once (ledger), every row ends final, and the audit
//! log holds one "gone" outcome per card.
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
    kill_and_resume(300, 3, &[700, 500, 900, 1300]).await;
}

/// Enough rows that the journal settles chunks of rows into its archive while the kills
/// come (a chunk is 128 rows), at points that differ from run to run (printed, to replay).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_twenty_times_at_random_points_then_resume_sends_each_card_once() {
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64
        | 1;
    // xorshift: points that differ from run to run (printed, to replay).
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut kills: Vec<u64> = (0..21)
        .map(|k| if k == 0 { 600 } else { 150 } + next() % 600)
        .collect();
    kills.push(0);
    println!("kill after (ms): {kills:?}");
    kill_and_resume(1500, 1, &kills).await;
}

/// Runs a job of `n` rows (one card each, the sandbox answering after `latency_ms` and
/// dropping the connection after every tenth removal), kills the run after `kills[0]` ms and
/// each resume after the next delay (`0`: not killed), then resumes once more to the end —
/// after a pause, with a short settle grace, so removals whose intent a kill left without an
/// answer are settled and sent anew — and checks the ledger and the audit log.
async fn kill_and_resume(n: usize, latency_ms: u64, kills: &[u64]) {
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
    let first_kill = kills[0];
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
            std::thread::sleep(Duration::from_millis(first_kill));
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
    let resumes: Vec<u64> = kills[1..].iter().copied().chain([0]).collect();
    let final_run = resumes.len() - 1;
    for (k, wait) in resumes.into_iter().enumerate() {
        let (url, data, id) = (url.clone(), data.clone(), job_id.clone());
        let out_csv = dir.path().join(format!("out{k}.csv"));
        if k == final_run {
            // Past the grace below: any removal a kill left unanswered has long arrived.
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
        last = Some(
            tokio::task::spawn_blocking(move || {
                let mut c = base(&["bulk", "resume", &id], &url, &data);
                if k == final_run {
                    c.env("CARDDESK_SETTLE_GRACE_MS", "300");
                }
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
        assert_eq!(e.effective_removals, 1, "{t}: {e:?}");
        // Never "at most one plus cuts": a removal that arrived is carried out, and one the
        // audit log shows as sent is never sent again while its outcome is open.
        assert_eq!(e.rem_token_calls, 1, "{t}: {e:?}: exactly one rem_token");
        let fingerprint = desk::audit::token_fingerprint(&t);
        assert_eq!(
            outcomes.get(&fingerprint),
            Some(&1),
            "{t}: one audit outcome: {:#?}",
            log.iter()
                .filter(|e| e.token_fingerprint.as_deref() == Some(fingerprint.as_str()))
                .map(|e| (e.seq, e.action, e.outcome, e.intent_seq, e.detail.clone()))
                .collect::<Vec<_>>()
        );
    }
    sb.shutdown().await;
}

/// A gateway that allows 40 requests a second and a run that asks for 1,000: the run says it
/// waits for the gateway's rate limit, is killed (SIGKILL) while rows wait out their backoff,
/// and the resume — with the job's own options — starts at the rate the job had settled on
/// and removes every card once, none sent again after its removal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_killed_while_the_rate_limit_refuses_it_resumes_at_the_settled_rate() {
    const N: usize = 200;
    let sb = Sandbox::start(SandboxConfig {
        seed: Seed::from_json(&seed(N)).unwrap(),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    sb.faults().set(FaultPlan {
        requests_per_second: 40.0,
        ..FaultPlan::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").to_str().unwrap().to_owned();
    let csv = dir.path().join("rows.csv");
    let mut text = String::from("customer,last4\n");
    for i in 0..N {
        text.push_str(&format!("C{i},{:04}\n", i % 10000));
    }
    std::fs::write(&csv, text).unwrap();
    let url = sb.url();
    let (job_id, first_err) = {
        let (url, data, csv) = (url.clone(), data.clone(), csv.clone());
        tokio::task::spawn_blocking(move || {
            let mut c = base(&["bulk", "run", csv.to_str().unwrap()], &url, &data);
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
            std::thread::sleep(Duration::from_millis(4500));
            child.kill().unwrap(); // SIGKILL
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr).to_string();
            let id = err
                .lines()
                .find_map(|l| {
                    l.strip_prefix("job ")
                        .map(|r| r.split(' ').next().unwrap().to_owned())
                })
                .unwrap_or_else(|| panic!("no job id in {err}"));
            (id, err)
        })
        .await
        .unwrap()
    };
    assert!(sb.requests_refused() > 0, "the limit was met");
    assert!(
        first_err.contains("waiting for the gateway's rate limit, now"),
        "{first_err}"
    );
    let settled = desk::bulk::BulkJob::open(std::path::Path::new(&data), &job_id)
        .unwrap()
        .meta()
        .unwrap()
        .settled_rate
        .expect("the settled rate is in the journal");
    assert!(settled < 200.0, "settled at {settled}");

    // Past the settle grace below: a removal the kill left unanswered has long arrived.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let out_csv = dir.path().join("out.csv");
    let (status, stderr) = {
        let (url, data, id, out_csv) = (url.clone(), data.clone(), job_id.clone(), out_csv.clone());
        tokio::task::spawn_blocking(move || {
            let mut c = base(&["bulk", "resume", &id], &url, &data);
            c.env("CARDDESK_SETTLE_GRACE_MS", "300")
                .args(["--out", out_csv.to_str().unwrap()]);
            let out = c.output().unwrap();
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).to_string()
                    + &String::from_utf8_lossy(&out.stdout),
            )
        })
        .await
        .unwrap()
    };
    assert_eq!(status, Some(0), "{stderr}");
    assert!(
        stderr.contains("the rate the gateway's limit allowed last time"),
        "{stderr}"
    );
    let results = std::fs::read_to_string(out_csv).unwrap();
    assert_eq!(results.lines().count(), N + 1);
    assert!(
        results.lines().skip(1).all(|l| l.contains(",done,")),
        "{results}"
    );
    for i in 0..N {
        let e = sb.ledger().entry(&token(i));
        assert_eq!(e.effective_removals, 1, "C{i}: {e:?}");
        assert_eq!(e.calls_after_removal, 0, "C{i}: {e:?}");
    }
    sb.shutdown().await;
}

/// Runs `script` with `sh` in a private mount namespace (`unshare -r -m`: no root needed, no
/// trace outside), where `$DISK` is a fresh tmpfs of `size`: a small disk that fills up.
fn on_a_small_disk(size: &str, disk: &std::path::Path, script: &str) -> String {
    let out = Command::new("unshare")
        .args(["-r", "-m", "sh", "-c"])
        .arg(format!(
            "mount -t tmpfs -o size={size} tmpfs \"$DISK\" || exit 90\n{script}"
        ))
        .env("DISK", disk)
        .env("BIN", BIN)
        .env("CARDDESK_PASSWORD", "PASSWORD")
        .output()
        .expect("unshare (util-linux) runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(
        out.status.code(),
        Some(90),
        "no tmpfs in a mount namespace: {text}"
    );
    text
}

/// The disk fills up in the middle of a run: the job stops with words (how many rows were
/// done, the disk is full, the exact resume command), writes the results so far, and once
/// there is space the resume removes every card exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_stops_the_job_in_words_and_the_resume_finishes_it() {
    const N: usize = 400;
    let sb = Sandbox::start(SandboxConfig {
        seed: Seed::from_json(&seed(N)).unwrap(),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let csv = dir.path().join("rows.csv");
    let mut text = String::from("customer,last4\n");
    for i in 0..N {
        text.push_str(&format!("C{i},{:04}\n", i % 10000));
    }
    std::fs::write(&csv, text).unwrap();
    let (first_out, second_out) = (dir.path().join("first.csv"), dir.path().join("second.csv"));
    // 800 KiB holds the job and about half of its audit entries (400 rows need ~1.4 MB).
    let script = format!(
        r#"
"$BIN" bulk run "{csv}" --data-dir "$DISK/data" --server "{url}" --merchant-id 452739 \
  --login LOGIN --concurrency 4 --rate 1000 --ticket T-1 --out "{first}" 2> "$DISK/../first.err"
echo "first exit $?"
cat "$DISK/../first.err"
mount -o remount,size=64m "$DISK" || exit 91
id=$(sed -n 's/^job \([0-9a-f-]*\) .*/\1/p' "$DISK/../first.err" | head -1)
CARDDESK_SETTLE_GRACE_MS=300 "$BIN" bulk resume "$id" --data-dir "$DISK/data" --out "{second}"
echo "second exit $?"
"#,
        csv = csv.display(),
        url = sb.url(),
        first = first_out.display(),
        second = second_out.display(),
    );
    let text = tokio::task::spawn_blocking(move || on_a_small_disk("800k", &disk, &script))
        .await
        .unwrap();
    assert!(text.contains("first exit 5"), "{text}");
    assert!(text.contains("the disk is full"), "{text}");
    assert!(text.contains("free some disk space"), "{text}");
    assert!(
        text.contains("rows were done before it did; nothing is lost"),
        "{text}"
    );
    assert!(text.contains("run `carddesk bulk resume 2"), "{text}");
    // Where the disk ran out decides what can be written: a full disk met by the audit log
    // leaves the job's journal readable, so the results so far are written; met by the
    // journal itself (sled then refuses every read), the stop says how to get them later.
    if text.contains("result lines so far to") {
        let first = std::fs::read_to_string(&first_out).unwrap();
        assert_eq!(
            first.lines().count(),
            N + 1,
            "the results so far, every row"
        );
        assert!(first.contains(",done,"), "{first}");
    } else {
        assert!(
            text.contains("they are kept in the job: `carddesk bulk resume 2"),
            "{text}"
        );
        assert!(
            text.contains(&format!("--out {}", first_out.display())),
            "{text}"
        );
    }
    assert!(text.contains("second exit 0"), "{text}");
    let second = std::fs::read_to_string(&second_out).unwrap();
    assert!(
        second.lines().skip(1).all(|l| l.contains(",done,")),
        "{second}"
    );
    for i in 0..N {
        let e = sb.ledger().entry(&token(i));
        assert_eq!(e.effective_removals, 1, "C{i}: {e:?}");
        assert_eq!(e.calls_after_removal, 0, "C{i}: {e:?}");
    }
    sb.shutdown().await;
}

/// A disk too small for the new job's journal: the import fails in words and leaves no half
/// made job folder behind (one that would later read as "the job has no description").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_that_cannot_be_created_for_want_of_disk_leaves_no_folder() {
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let csv = dir.path().join("rows.csv");
    let mut text = String::from("customer,last4\n");
    for i in 0..400 {
        text.push_str(&format!("C{i},{:04}\n", i % 10000));
    }
    std::fs::write(&csv, text).unwrap();
    let script = format!(
        r#"
"$BIN" bulk plan "{csv}" --data-dir "$DISK/data" --server http://127.0.0.1:9 \
  --merchant-id 452739 --login LOGIN
echo "plan exit $?"
echo "left: $(ls "$DISK/data/jobs" | wc -l)"
"#,
        csv = csv.display()
    );
    let text = tokio::task::spawn_blocking(move || on_a_small_disk("24k", &disk, &script))
        .await
        .unwrap();
    assert!(text.contains("plan exit 5"), "{text}");
    assert!(text.contains("the disk is full"), "{text}");
    assert!(text.contains("left: 0"), "{text}");
}
