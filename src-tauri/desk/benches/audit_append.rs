//! Why: every audit append is flushed to disk before the action is reported done, so its cost
//! is bounded below by the disk's own `fsync` rate. This measures both in the same run, on the
//! same temp dir: audit appends per second (lock, tail check, hash, write, `sync_data`) beside
//! a bare loop that appends a line of the same size and calls `sync_data`, and prints the
//! ratio. Rounds alternate so that a busy disk hurts both alike. Runs in about 12 s.

use std::fs::OpenOptions;
use std::io::Write;
use std::time::{Duration, Instant};

use desk::Environment;
use desk::audit::{
    AuditAction, AuditLog, AuditOutcome, CardSummary, EntryDraft, Operator, ProfileRef, Reason,
};

const ROUNDS: usize = 3;
const ROUND_TIME: Duration = Duration::from_secs(2);

fn draft() -> EntryDraft {
    let operator = Operator {
        os_user: "agent".into(),
        display_name: "Agent Smith".into(),
    };
    let mut d = EntryDraft::new(operator, AuditAction::RevokeOutcome);
    d.profile = Some(ProfileRef {
        id: "6f1c2d9e-0b7a-4f43-9a55-3c1de0f7a001".into(),
        name: "Shop (production)".into(),
        environment: Environment::Production,
        merchant_id: "452739".into(),
    });
    d.customer = Some("CRM-100234".into());
    d.card = Some(CardSummary {
        brand: "VISA".into(),
        bin: "412362".into(),
        last4: "0028".into(),
        expiry: "12/2027".into(),
    });
    d.token_fingerprint = Some("13888864a4dc".into());
    d.reason = Some(Reason::CustomerRequest);
    d.ticket = Some("SUP-10234".into());
    d.outcome = Some(AuditOutcome::Removed);
    d.gateway_message = Some("Token <token 13888864a4dc> is removed".into());
    d.intent_seq = Some(1);
    d
}

/// Appends per second through the audit log for one round.
fn audit_round(log: &AuditLog) -> f64 {
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < ROUND_TIME {
        log.append(draft()).expect("append");
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// Bare `write` + `sync_data` of a line of `len` bytes, per second, for one round.
fn raw_round(path: &std::path::Path, len: usize) -> f64 {
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("raw file");
    let mut line = vec![b'x'; len];
    line.push(b'\n');
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < ROUND_TIME {
        file.write_all(&line).expect("write");
        file.sync_data().expect("sync");
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = AuditLog::open(dir.path(), &Operator::from_env(None)).expect("audit log");
    let first = log.append(draft()).expect("first append");
    let line_len = serde_json::to_string(&first).expect("line").len();
    let raw_path = dir.path().join("raw.log");

    let mut audit = Vec::new();
    let mut raw = Vec::new();
    for _ in 0..ROUNDS {
        raw.push(raw_round(&raw_path, line_len));
        audit.push(audit_round(&log));
    }
    let (audit, raw) = (median(audit), median(raw));
    let entries = log.next_seq() - 1;
    println!("audit_append: line of {line_len} bytes, {ROUNDS} rounds of {ROUND_TIME:?} each");
    println!(
        "  raw write + sync_data : {raw:>9.0} /s  ({:.3} ms each)",
        1e3 / raw
    );
    println!(
        "  audit log append      : {audit:>9.0} /s  ({:.3} ms each)",
        1e3 / audit
    );
    println!("  ratio audit / raw     : {:.2}", audit / raw);
    let v = log.verify().expect("verify");
    println!("  log verified: {} entries, intact: {}", v.entries, v.ok);
    assert!(v.ok && v.entries == entries);
}
