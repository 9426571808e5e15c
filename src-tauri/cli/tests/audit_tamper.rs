//! `carddesk audit verify` against a tampered log, as a real process: `--expect` with a present
//! and an absent hash, an old-format log without MACs, and — with the real OS keyring
//! (`CARDDESK_KEYRING=1` inside `dbus-run-session` with gnome-keyring, as scripts/test.sh
//! runs it; otherwise those tests say "not run" and pass) — entries cut off the end, a
//! deleted log, a log rewritten and re-hashed without the key, and `--accept-new-log`.
//! The logs are written through the desk crate, keyed by the same keyring the CLI reads.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use desk::audit::{AuditAction, AuditEntry, AuditLog, EntryDraft, Operator, audit_path};
use desk::secrets::{KeyringStore, SecretStore};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_carddesk");

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn verify(data: &Path, extra: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(["audit", "verify", "--data-dir"])
        .arg(data)
        .args(extra)
        .output()
        .unwrap();
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn keyring_enabled() -> bool {
    if std::env::var("CARDDESK_KEYRING").as_deref() == Ok("1") {
        true
    } else {
        eprintln!("not run: set CARDDESK_KEYRING=1 inside dbus-run-session with gnome-keyring");
        false
    }
}

fn operator() -> Operator {
    Operator {
        os_user: "olga".into(),
        display_name: "Olga".into(),
    }
}

/// Appends `n` entries, with the OS keyring when `keyring` (MACs and the high-water mark,
/// written at close), else in the old format without either.
fn write(data: &Path, n: usize, keyring: bool) -> Vec<AuditEntry> {
    let log = if keyring {
        let store: Arc<dyn SecretStore> = Arc::new(KeyringStore::app());
        AuditLog::open_anchored(data, &operator(), Ok(store)).unwrap()
    } else {
        AuditLog::open(data, &operator()).unwrap()
    };
    let entries = (0..n)
        .map(|i| {
            let mut d = EntryDraft::new(operator(), AuditAction::ViewedCustomer);
            d.customer = Some(format!("55{i}"));
            log.append(d).unwrap()
        })
        .collect();
    drop(log);
    entries
}

fn lines(data: &Path) -> Vec<String> {
    std::fs::read_to_string(audit_path(data))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn verify_expect_passes_for_a_present_hash_and_fails_for_an_absent_one() {
    let data = tempfile::tempdir().unwrap();
    let entries = write(data.path(), 3, false);

    let run = verify(data.path(), &["--expect", &entries[1].hash]);
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains(&format!("expected entry {} is entry 2", entries[1].hash)),
        "{}",
        run.stdout
    );

    let absent = "0123456789abcdef".repeat(4);
    let run = verify(data.path(), &["--expect", &absent]);
    assert_eq!(run.status, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("is NOT in the intact chain"),
        "{}",
        run.stderr
    );

    let run = verify(data.path(), &["--json", "--expect", &entries[2].hash]);
    assert_eq!(run.status, 0, "{}", run.stdout);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["verification"]["expected"]["found"], true);
    assert_eq!(v["verification"]["expected"]["seq"], 3);
    let run = verify(data.path(), &["--json", "--expect", &absent]);
    assert_eq!(run.status, 1, "{}", run.stdout);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["verification"]["ok"], true, "the chain itself is intact");
    assert_eq!(v["verification"]["expected"]["found"], false);

    let run = verify(data.path(), &["--expect", "SUP-77"]);
    assert_eq!(run.status, 2, "{}", run.stderr);
}

#[test]
fn an_old_format_log_without_macs_verifies_and_says_what_was_not_checked() {
    let data = tempfile::tempdir().unwrap();
    write(data.path(), 2, false);
    assert!(lines(data.path()).iter().all(|l| !l.contains("\"mac\"")));
    let run = verify(data.path(), &[]);
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("intact, 2 entries"), "{}", run.stdout);
    assert!(run.stdout.contains("MAC not checked ("), "{}", run.stdout);
}

#[test]
fn with_the_keyring_entries_cut_off_the_end_are_reported() {
    if !keyring_enabled() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    write(data.path(), 4, true);
    let kept: String = lines(data.path())[..2]
        .iter()
        .map(|l| l.clone() + "\n")
        .collect();
    std::fs::write(audit_path(data.path()), kept).unwrap();

    let run = verify(data.path(), &[]);
    assert_eq!(run.status, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("entries 3–4 were cut off the end"),
        "{}",
        run.stderr
    );
    let run = verify(data.path(), &["--json"]);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["verification"]["firstBroken"]["problem"], "cut");
    assert_eq!(v["verification"]["keyed"]["mark"]["seq"], 4);
}

#[test]
fn with_the_keyring_a_deleted_log_is_reported_and_accepting_a_new_one_is_explicit() {
    if !keyring_enabled() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    write(data.path(), 3, true);
    std::fs::remove_file(audit_path(data.path())).unwrap();

    let run = verify(data.path(), &[]);
    assert_eq!(run.status, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("missing or empty"), "{}", run.stderr);
    // Still reported on a second look: nothing was restarted.
    assert_eq!(verify(data.path(), &[]).status, 1);
    assert!(!audit_path(data.path()).exists());

    let run = verify(data.path(), &["--accept-new-log"]);
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("high-water mark was entry 3"),
        "{}",
        run.stdout
    );
    assert_eq!(verify(data.path(), &[]).status, 0);
}

/// `entry`'s line re-hashed the way the log does it, without a MAC.
fn rehash(entry: &mut AuditEntry) -> String {
    entry.hash.clear();
    entry.mac = None;
    let unhashed = serde_json::to_string(&*entry).unwrap();
    let head = unhashed.strip_suffix(",\"hash\":\"\"}").unwrap();
    entry.hash = blake3::hash(format!("{head}}}").as_bytes())
        .to_hex()
        .to_string();
    format!("{head},\"hash\":\"{}\"}}", entry.hash)
}

#[test]
fn with_the_keyring_a_log_rewritten_and_rehashed_without_the_key_is_reported() {
    if !keyring_enabled() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let mut entries = write(data.path(), 3, true);
    // Entry 2 names another customer; every hash from there is recomputed, MACs kept.
    entries[1].customer = Some("0000".into());
    let mut text = lines(data.path())[0].clone() + "\n";
    let mut prev = entries[0].hash.clone();
    for e in entries.iter_mut().skip(1) {
        let mac = e.mac.clone().unwrap();
        e.prev = prev;
        let line = rehash(e);
        text += &format!("{},\"mac\":\"{mac}\"}}\n", &line[..line.len() - 1]);
        prev = e.hash.clone();
    }
    std::fs::write(audit_path(data.path()), text).unwrap();

    let run = verify(data.path(), &["--json"]);
    assert_eq!(run.status, 1, "{}", run.stdout);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["verification"]["firstBroken"]["problem"], "mac_mismatch");
    assert_eq!(v["verification"]["firstBroken"]["seq"], 2);
}
