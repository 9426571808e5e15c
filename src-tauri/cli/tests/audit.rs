//! `carddesk revoke` through the desk's workflow and `carddesk audit …`, as real processes
//! against a real sandbox on loopback, with the audit log in a temp `--data-dir`: intent and
//! outcome entries written, verify and export, tampering caught with exit 1, the ticket and
//! production rules, and a revoke killed with SIGKILL between rem_token and its outcome entry
//! that recovery settles without a second removal. The sandbox's password is a canary that
//! must appear in no output and not in the audit file.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use assist_sandbox::{Sandbox, SandboxConfig, Seed};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_carddesk");
const CANARY: &str = concat!("Canary-Pw-", "7Q2x");
const VISA: &str = "49D902C6-1CCF-4605-9228-11D0E8115C77";
const MC: &str = "4D7F0B0D-B701-47B0-779A-BB0CB5F25A14";
const MIR: &str = "54F5A3DE-4B47-4B40-03B5-7FF992D6B401";

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

/// The built-in seed with user LOGIN's password replaced by the canary.
fn canary_seed() -> Seed {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sandbox/seed/default.json");
    let mut seed: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let users = seed["users"].as_array_mut().unwrap();
    let user = users.iter_mut().find(|u| u["login"] == "LOGIN").unwrap();
    user["password"] = CANARY.into();
    Seed::from_json(&seed.to_string()).unwrap()
}

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig {
        seed: canary_seed(),
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

fn command(args: &[String]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("CARDDESK_PASSWORD", CANARY)
        .env_remove("CARDDESK_TEST_CRASH_AFTER_REMOVAL");
    cmd
}

async fn carddesk(args: Vec<String>) -> Run {
    tokio::task::spawn_blocking(move || {
        let out = command(&args).output().unwrap();
        let run = Run {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        };
        assert!(
            !run.stdout.contains(CANARY) && !run.stderr.contains(CANARY),
            "password leaked"
        );
        run
    })
    .await
    .unwrap()
}

fn connection(url: &str) -> Vec<String> {
    [
        "--server",
        url,
        "--merchant-id",
        "452739",
        "--login",
        "LOGIN",
    ]
    .map(String::from)
    .to_vec()
}

fn revoke_args(url: &str, data: &Path, customer: &str, token: &str, last4: &str) -> Vec<String> {
    let mut a = vec!["revoke".to_owned()];
    a.extend(connection(url));
    a.extend(
        [
            "--customer",
            customer,
            "--token",
            token,
            "--last4",
            last4,
            "--ticket",
            "SUP-77",
            "--reason",
            "lost_or_stolen",
            "--operator-name",
            "Agent Smith",
        ]
        .map(String::from),
    );
    a.extend(["--data-dir".into(), data.display().to_string()]);
    a
}

fn audit_args(sub: &str, data: &Path, extra: &[&str]) -> Vec<String> {
    let mut a = vec!["audit".to_owned(), sub.to_owned()];
    a.extend(extra.iter().map(|s| (*s).to_owned()));
    a.extend(["--data-dir".into(), data.display().to_string()]);
    a
}

fn log_file(data: &Path) -> PathBuf {
    data.join("audit").join("audit.jsonl")
}

fn entries(data: &Path) -> Vec<Value> {
    std::fs::read_to_string(log_file(data))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn revoke_writes_intent_and_outcome_and_audit_verify_and_export_agree() {
    let sb = sandbox().await;
    let data = tempfile::tempdir().unwrap();
    let mut args = revoke_args(&sb.url(), data.path(), "1234", MIR, "4417");
    args.push("--json".into());
    let run = carddesk(args).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["outcome"], "removed");
    assert_eq!(v["revocation"]["masked"], "2202 20•• •••• 4417");
    assert_eq!(v["revocation"]["reference"], "SUP-77");
    assert!(
        v["revocation"]["replyEn"]
            .as_str()
            .unwrap()
            .contains("removed")
    );

    let log = entries(data.path());
    assert_eq!(log.len(), 2);
    assert_eq!(log[0]["action"], "revoke_intent");
    assert_eq!(log[0]["reason"], "lost_or_stolen");
    assert_eq!(log[0]["ticket"], "SUP-77");
    assert_eq!(log[0]["operator"]["displayName"], "Agent Smith");
    assert_eq!(log[0]["environment"], "sandbox");
    assert_eq!(log[1]["action"], "revoke_outcome");
    assert_eq!(log[1]["outcome"], "removed");
    assert_eq!(log[1]["intentSeq"], 1);
    assert_eq!(log[1]["hash"], v["revocation"]["auditHash"]);
    let raw = std::fs::read_to_string(log_file(data.path())).unwrap();
    assert!(!raw.contains(CANARY), "no password in the audit file");
    assert!(!raw.contains(MIR), "no token in the audit file");
    let ledger = sb.ledger().entry(MIR);
    assert_eq!((ledger.rem_token_calls, ledger.effective_removals), (1, 1));

    let run = carddesk(audit_args("verify", data.path(), &[])).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("intact, 2 entries"), "{}", run.stdout);

    let csv_out = data.path().join("export.csv");
    let run = carddesk(audit_args(
        "export",
        data.path(),
        &["--format", "csv", "--out", &csv_out.display().to_string()],
    ))
    .await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_path(&csv_out).unwrap();
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), log.len());
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    for (row, entry) in rows.iter().zip(&log) {
        assert_eq!(&row[col("seq")], entry["seq"].to_string().as_str());
        assert_eq!(&row[col("hash")], entry["hash"].as_str().unwrap());
        assert_eq!(&row[col("action")], entry["action"].as_str().unwrap());
        assert_eq!(&row[col("card.last4")], "4417");
    }
    let json_out = data.path().join("export.json");
    let run = carddesk(audit_args(
        "export",
        data.path(),
        &["--format", "json", "--out", &json_out.display().to_string()],
    ))
    .await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let exported: Value = serde_json::from_slice(&std::fs::read(&json_out).unwrap()).unwrap();
    assert_eq!(exported.as_array().unwrap(), &log);

    // An edit by hand: verify names the entry and exits 1.
    std::fs::write(log_file(data.path()), raw.replace("SUP-77", "SUP-78")).unwrap();
    let run = carddesk(audit_args("verify", data.path(), &["--json"])).await;
    assert_eq!(run.status, 1, "{}", run.stdout);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["verification"]["firstBroken"]["line"], 1);
    assert_eq!(v["verification"]["firstBroken"]["problem"], "edited");
    let run = carddesk(audit_args("verify", data.path(), &[])).await;
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains("BROKEN at line 1 (entry 1)"),
        "{}",
        run.stderr
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn the_cli_needs_a_ticket_and_a_confirmation_for_production() {
    let sb = sandbox().await;
    let data = tempfile::tempdir().unwrap();
    let mut args = revoke_args(&sb.url(), data.path(), "1234", VISA, "0028");
    let at = args.iter().position(|a| a == "--ticket").unwrap();
    args.drain(at..at + 2);
    let run = carddesk(args).await;
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains("ticket: required"), "{}", run.stderr);

    let mut args = revoke_args(&sb.url(), data.path(), "1234", VISA, "0028");
    args.extend(["--environment".into(), "production".into()]);
    let run = carddesk(args.clone()).await;
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("customer confirmation"),
        "{}",
        run.stderr
    );
    assert!(sb.ledger().all().is_empty(), "nothing was removed");
    args.extend(["--confirm-customer".into(), "1234".into()]);
    let run = carddesk(args).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(entries(data.path())[0]["environment"], "production");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_revoke_killed_after_rem_token_is_settled_by_recovery_with_one_removal() {
    let sb = sandbox().await;
    let data = tempfile::tempdir().unwrap();
    let args = revoke_args(&sb.url(), data.path(), "1234", MC, "1030");
    let killed = tokio::task::spawn_blocking(move || {
        let mut child = command(&args)
            .env("CARDDESK_TEST_CRASH_AFTER_REMOVAL", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut seen = String::new();
        loop {
            let mut line = String::new();
            if stderr.read_line(&mut line).unwrap() == 0 {
                break;
            }
            seen.push_str(&line);
            if line.contains("rem_token answered") {
                // SIGKILL: no destructor, no flush, nothing after this point runs.
                child.kill().unwrap();
                break;
            }
        }
        let status = child.wait().unwrap();
        (seen, status)
    })
    .await
    .unwrap();
    assert!(killed.0.contains("rem_token answered"), "{}", killed.0);
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(killed.1.signal(), Some(9), "killed by SIGKILL");
    }
    // rem_token went out once and took effect; only the intent is in the log.
    let ledger = sb.ledger().entry(MC);
    assert_eq!((ledger.rem_token_calls, ledger.effective_removals), (1, 1));
    let log = entries(data.path());
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["action"], "revoke_intent");

    // verify: the chain is intact, with one intent open.
    let run = carddesk(audit_args("verify", data.path(), &["--json"])).await;
    assert_eq!(run.status, 0, "{}", run.stdout);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["verification"]["openIntents"], serde_json::json!([1]));

    // The next run for this gateway settles it by re-reading the list.
    let mut args = vec!["audit".to_owned(), "recover".to_owned()];
    args.extend(connection(&sb.url()));
    args.extend([
        "--data-dir".into(),
        data.path().display().to_string(),
        "--json".into(),
    ]);
    let run = carddesk(args).await;
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    let log = entries(data.path());
    assert_eq!(log.len(), 2);
    assert_eq!(log[1]["action"], "recovered_outcome");
    assert_eq!(log[1]["outcome"], "removed_confirmed_by_recheck");
    assert_eq!(log[1]["intentSeq"], 1);
    assert_eq!(log[1]["ticket"], "SUP-77");
    let ledger = sb.ledger().entry(MC);
    assert_eq!(
        (ledger.rem_token_calls, ledger.effective_removals),
        (1, 1),
        "recovery sent no removal"
    );
    let run = carddesk(audit_args("verify", data.path(), &["--json"])).await;
    assert_eq!(run.status, 0);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["verification"]["openIntents"], serde_json::json!([]));
    assert_eq!(v["verification"]["entries"], 2);
    let raw = std::fs::read_to_string(log_file(data.path())).unwrap();
    assert!(!raw.contains(CANARY));
    sb.shutdown().await;
}

#[tokio::test]
async fn a_revoke_after_a_crash_settles_the_open_intent_first() {
    let sb = sandbox().await;
    let data = tempfile::tempdir().unwrap();
    // The first revoke is killed at the worst moment (as in the test above).
    let args = revoke_args(&sb.url(), data.path(), "1234", VISA, "0028");
    tokio::task::spawn_blocking(move || {
        let mut child = command(&args)
            .env("CARDDESK_TEST_CRASH_AFTER_REMOVAL", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        while stderr.read_line(&mut line).unwrap() > 0 && !line.contains("rem_token answered") {
            line.clear();
        }
        child.kill().unwrap();
        child.wait().unwrap();
    })
    .await
    .unwrap();
    let run = carddesk(revoke_args(&sb.url(), data.path(), "1234", MIR, "4417")).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stderr.contains("recovered intent 1"), "{}", run.stderr);
    let actions: Vec<String> = entries(data.path())
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        actions,
        [
            "revoke_intent",
            "recovered_outcome",
            "revoke_intent",
            "revoke_outcome"
        ]
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn verify_on_a_data_dir_without_a_log_says_there_is_no_log() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_string_lossy().into_owned();
    let run = carddesk(
        ["audit", "verify", "--data-dir", &dir]
            .map(String::from)
            .to_vec(),
    )
    .await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("there is no audit log here") && !run.stdout.contains("intact"),
        "{}",
        run.stdout
    );
    let run = carddesk(
        ["audit", "verify", "--data-dir", &dir, "--json"]
            .map(String::from)
            .to_vec(),
    )
    .await;
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["exists"], false, "{v}");
    assert!(
        !data.path().join("audit").exists(),
        "verify created nothing"
    );
}

/// A log in `data` rolled into several segments (a small size limit), written through the
/// desk as the app would.
fn rolled_log(data: &Path, n: u64) -> PathBuf {
    use desk::audit::{AuditAction, AuditLog, EntryDraft, Operator};
    let op = Operator {
        os_user: "ivan".into(),
        display_name: "Ivan".into(),
    };
    let log = AuditLog::open(data, &op).unwrap();
    log.set_segment_bytes(1_000);
    for i in 0..n {
        let mut d = EntryDraft::new(op.clone(), AuditAction::ViewedCustomer);
        d.customer = Some(format!("CRM-{i:04}"));
        log.append(d).unwrap();
    }
    log.path().to_path_buf()
}

fn run_sync(args: &[String]) -> Run {
    let out = command(args).output().unwrap();
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[test]
fn verify_checks_all_segments_one_alone_and_an_archive_against_its_record() {
    let data = tempfile::tempdir().unwrap();
    let path = rolled_log(data.path(), 30);
    let segments = desk::audit::closed_segments(&path).unwrap();
    assert!(segments.len() >= 3);

    let all = run_sync(&audit_args("verify", data.path(), &["--json"]));
    assert_eq!(all.status, 0, "{}{}", all.stdout, all.stderr);
    let v: Value = serde_json::from_str(&all.stdout).unwrap();
    assert_eq!(v["verification"]["ok"], true);

    let name = segments[1]
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let one = run_sync(&audit_args("verify", data.path(), &["--segment", &name]));
    assert_eq!(one.status, 0, "{}{}", one.stdout, one.stderr);
    assert!(one.stdout.contains("intact"), "{}", one.stdout);
    let none = run_sync(&audit_args(
        "verify",
        data.path(),
        &["--segment", "audit-999-999.jsonl"],
    ));
    assert_ne!(none.status, 0);

    // Nothing in a fresh log is three years old.
    let dest = data.path().join("archive");
    let dest_arg = dest.display().to_string();
    let nothing = run_sync(&audit_args(
        "archive",
        data.path(),
        &["--older-than", "3y", &dest_arg],
    ));
    assert_eq!(nothing.status, 0, "{}{}", nothing.stdout, nothing.stderr);
    assert!(
        nothing.stdout.contains("nothing archived"),
        "{}",
        nothing.stdout
    );
    let bad = run_sync(&audit_args(
        "archive",
        data.path(),
        &["--older-than", "3 weeks", &dest_arg],
    ));
    assert_eq!(bad.status, 2, "{}", bad.stderr);

    // Archived (cut-off in the future): the live log and the archive both verify.
    let op = desk::audit::Operator {
        os_user: "olga".into(),
        display_name: "Olga".into(),
    };
    let log = desk::audit::AuditLog::open(data.path(), &op).unwrap();
    let report = log.archive(&op, "9999", &dest).unwrap();
    drop(log);
    assert!(!report.segments.is_empty());
    let live = run_sync(&audit_args("verify", data.path(), &[]));
    assert_eq!(live.status, 0, "{}{}", live.stdout, live.stderr);
    let archive = run_sync(&audit_args(
        "verify",
        data.path(),
        &["--archive", &dest_arg, "--json"],
    ));
    assert_eq!(archive.status, 0, "{}{}", archive.stdout, archive.stderr);
    let a: Value = serde_json::from_str(&archive.stdout).unwrap();
    assert_eq!(a["archive"]["ok"], true);
    assert_eq!(
        a["archive"]["segments"].as_array().unwrap().len(),
        report.segments.len()
    );

    // A tampered archived file: exit 1, named.
    let victim = dest.join(&report.segments[0].name);
    let mut perms = std::fs::metadata(&victim).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&victim, perms).unwrap();
    let text = std::fs::read_to_string(&victim).unwrap();
    std::fs::write(&victim, text.replacen("CRM-", "CRX-", 1)).unwrap();
    let broken = run_sync(&audit_args(
        "verify",
        data.path(),
        &["--archive", &dest_arg],
    ));
    assert_eq!(broken.status, 1, "{}{}", broken.stdout, broken.stderr);
    assert!(
        broken.stderr.contains(&report.segments[0].name),
        "{}",
        broken.stderr
    );
}
