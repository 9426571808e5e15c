//! Why: Order 179 keeps proof three years and every lookup writes an entry — over half a
//! million entries, several hundred MB. This measures, in one run, what the audit log costs at
//! that scale, at two sizes ten times apart (default 20,000 and 200,000 entries, a few minutes;
//! `CARDDESK_AUDIT_BENCH_LARGE=1000000` for 100,000 and 1,000,000):
//!
//! * verify (chain, hashes and MACs, streaming) beside a plain pass over the same file — read
//!   each line, BLAKE3 it, parse it as an entry — and their ratio;
//! * CSV and JSON export;
//! * each of those in a child process of its own, whose peak resident set (`VmHWM`) is
//!   memory the reader needed: the ratio large / small says whether it grows with the log;
//! * the audit view at the large size: index rebuild, first page and filtered pages (p95).
//!
//! Logs are written through the real append path ([`AuditLog::append_batch`]: the desk's
//! lock, seal, MAC and line, one sync per batch instead of per entry), with a keyring (an
//! in-memory one) so lines carry MACs as the app's do.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use desk::Environment;
use desk::audit::{
    AuditAction, AuditEntry, AuditLog, AuditOutcome, AuditQuery, CardSummary, EntryDraft,
    ExportFormat, Operator, ProfileRef, Reason, export_file, verify_file,
};

const CHILD: &str = "CARDDESK_BENCH_CHILD";
const QUERY_RUNS: usize = 40;

/// The `i`th entry of a desk's day: mostly lookups (`viewed_customer`), a removal (intent and
/// outcome) every 20th, 12 operators, 3 profiles, 50,000 customers.
fn draft(i: u64) -> EntryDraft {
    let op = i % 12;
    let operator = Operator {
        os_user: format!("agent{op}"),
        display_name: format!("Agent {op}"),
    };
    let action = match i % 20 {
        0 => AuditAction::RevokeIntent,
        1 => AuditAction::RevokeOutcome,
        _ => AuditAction::ViewedCustomer,
    };
    let mut d = EntryDraft::new(operator, action);
    d.profile = Some(ProfileRef {
        id: format!("6f1c2d9e-0b7a-4f43-9a55-3c1de0f7a00{}", i % 3),
        name: "Shop (production)".into(),
        environment: Environment::Production,
        merchant_id: "452739".into(),
    });
    d.customer = Some(format!("CRM-{:06}", (i * 7919) % 50_000));
    if action != AuditAction::ViewedCustomer {
        d.card = Some(CardSummary {
            brand: "VISA".into(),
            bin: "412362".into(),
            last4: "0028".into(),
            expiry: "12/2027".into(),
        });
        d.token_fingerprint = Some("13888864a4dc".into());
        d.reason = Some(Reason::CustomerRequest);
        d.ticket = Some(format!("SUP-{i}"));
    } else {
        d.detail = Some("shown from the gateway (3 cards)".into());
    }
    if action == AuditAction::RevokeOutcome {
        d.outcome = Some(if i % 100 == 1 {
            AuditOutcome::Unknown
        } else {
            AuditOutcome::Removed
        });
        d.gateway_message = Some("Token <token 13888864a4dc> is removed".into());
        d.intent_seq = Some(i - 1);
    }
    d
}

/// A log of `n` entries in `dir`, written through the append path; returns it open.
fn make_log(dir: &Path, n: u64) -> (AuditLog, Duration) {
    let store: Arc<dyn desk::secrets::SecretStore> = Arc::new(desk::secrets::MemoryStore::new());
    let log =
        AuditLog::open_anchored(dir, &Operator::from_env(None), Ok(store)).expect("audit log");
    let start = Instant::now();
    let mut i = 1;
    while i <= n {
        let end = (i + 9_999).min(n);
        log.append_batch((i..=end).map(draft)).expect("append");
        i = end + 1;
    }
    (log, start.elapsed())
}

/// The baseline: read every line, BLAKE3 it and parse it as an entry — the least any check
/// of the chain must do.
fn plain_pass(path: &Path) -> u64 {
    use std::io::BufRead;
    let file = std::fs::File::open(path).expect("log");
    let mut reader = std::io::BufReader::with_capacity(256 * 1024, file);
    let mut line = Vec::new();
    let mut n = 0u64;
    let mut acc = 0u8;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).expect("read") == 0 {
            break;
        }
        acc ^= blake3::hash(&line).as_bytes()[0];
        if serde_json::from_slice::<AuditEntry>(line.trim_ascii_end()).is_ok() {
            n += 1;
        }
    }
    std::hint::black_box(acc);
    n
}

fn status_kib(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0.0)
}

/// In a child: runs one reader over the log and prints its time and the process's peak RSS.
fn child(what: &str, path: &Path) {
    let start = Instant::now();
    let n = match what {
        "verify" => verify_file(path).expect("verify").entries,
        "csv" | "json" => {
            let format = if what == "csv" {
                ExportFormat::Csv
            } else {
                ExportFormat::Json
            };
            let out = path.with_extension(what);
            let file = std::io::BufWriter::new(std::fs::File::create(&out).expect("out"));
            let n = export_file(path, format, file).expect("export");
            let _ = std::fs::remove_file(&out);
            n
        }
        _ => plain_pass(path),
    };
    println!(
        "{n} {:.3} {:.0}",
        start.elapsed().as_secs_f64(),
        status_kib("VmHWM:")
    );
}

/// Runs `what` in a child process: (entries, seconds, peak RSS in KiB).
fn in_child(what: &str, path: &Path) -> (u64, f64, f64) {
    let out = Command::new(std::env::current_exe().expect("exe"))
        .env(CHILD, what)
        .arg(path)
        .output()
        .expect("child");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut fields = text.split_whitespace();
    let mut next = || fields.next().unwrap_or("0").to_owned();
    (
        next().parse().unwrap_or(0),
        next().parse().unwrap_or(0.0),
        next().parse().unwrap_or(0.0),
    )
}

struct Size {
    n: u64,
    bytes: u64,
    write_s: f64,
    /// (seconds, peak RSS KiB) of: plain pass, verify, CSV, JSON (each in a child).
    phases: Vec<(f64, f64)>,
    /// `AuditLog::verify` in this process, with the MAC key: seconds.
    verify_keyed_s: f64,
}

const PHASES: [&str; 4] = ["plain", "verify", "csv", "json"];

fn measure(dir: &Path, n: u64) -> (Size, AuditLog) {
    let (log, write) = make_log(dir, n);
    let path: PathBuf = log.path().to_path_buf();
    let bytes = std::fs::metadata(&path).expect("log").len();
    // Warm the page cache once, so that every reader meets the same cache.
    plain_pass(&path);
    let mut phases = Vec::new();
    for what in PHASES {
        let (entries, secs, peak) = in_child(what, &path);
        assert_eq!(entries, n, "{what}");
        phases.push((secs, peak));
    }
    let start = Instant::now();
    let v = log.verify().expect("verify");
    let verify_keyed_s = start.elapsed().as_secs_f64();
    assert!(v.ok && v.entries == n, "{:?}", v.first_broken);
    assert!(v.keyed.as_ref().is_some_and(|k| k.macs_valid == n));
    (
        Size {
            n,
            bytes,
            write_s: write.as_secs_f64(),
            phases,
            verify_keyed_s,
        },
        log,
    )
}

fn p95(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[(xs.len() * 95).div_ceil(100).saturating_sub(1)]
}

fn main() {
    if let Ok(what) = std::env::var(CHILD) {
        let path = std::env::args().nth(1).expect("path");
        child(&what, Path::new(&path));
        return;
    }
    let large: u64 = std::env::var("CARDDESK_AUDIT_BENCH_LARGE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let small = large / 10;
    let root = tempfile::tempdir().expect("temp dir");
    println!("audit_scale: {small} and {large} entries, written through the append path");

    let small_dir = root.path().join("small");
    let (s, small_log) = measure(&small_dir, small);
    drop(small_log);
    let _ = std::fs::remove_dir_all(&small_dir);
    let (l, log) = measure(&root.path().join("large"), large);
    let mib = |kib: f64| kib / 1024.0;
    for size in [&s, &l] {
        println!(
            "  {:>8} entries, {:>7.1} MB, written in {:.1} s ({:.0} /s)",
            size.n,
            size.bytes as f64 / 1e6,
            size.write_s,
            size.n as f64 / size.write_s
        );
        for (what, (secs, peak)) in PHASES.iter().zip(&size.phases) {
            println!(
                "    {what:<7} {secs:>7.2} s  {:>6.0} MB/s  peak RSS {:>6.1} MiB",
                size.bytes as f64 / 1e6 / secs,
                mib(*peak)
            );
        }
        println!(
            "    verify with the MAC key (in process): {:.2} s; ratio verify / plain pass \
             (BLAKE3 + JSON parse of each line): {:.2}",
            size.verify_keyed_s,
            size.phases[1].0 / size.phases[0].0
        );
    }
    let scale = l.n as f64 / s.n as f64;
    for (i, what) in PHASES.iter().enumerate().skip(1) {
        println!(
            "  {what:<7} large/small: time {:.2} (linear = 1.00), peak RSS {:.2}",
            l.phases[i].0 / s.phases[i].0 / scale,
            l.phases[i].1 / s.phases[i].1
        );
    }

    // The audit view at the large size.
    let start = Instant::now();
    let indexed = log.rebuild_index().expect("index");
    let rebuild = start.elapsed().as_secs_f64();
    assert_eq!(indexed, large);
    let index_mb = std::fs::metadata(log.index_path())
        .map(|m| m.len() as f64 / 1e6)
        .unwrap_or(0.0);
    println!("  index rebuild at {large} entries: {rebuild:.2} s ({index_mb:.1} MB)");
    let middle = log
        .query(&AuditQuery {
            offset: u32::try_from(large / 2).unwrap_or(0),
            limit: 1,
            ..AuditQuery::default()
        })
        .expect("query")
        .entries
        .remove(0)
        .time;
    let pages: Vec<(&str, AuditQuery)> = vec![
        ("first page", AuditQuery::default()),
        (
            "page 100",
            AuditQuery {
                offset: 99 * 50,
                ..AuditQuery::default()
            },
        ),
        (
            "customer",
            AuditQuery {
                customer: Some("crm-004242".into()),
                ..AuditQuery::default()
            },
        ),
        (
            "operator",
            AuditQuery {
                operator: Some("agent 7".into()),
                ..AuditQuery::default()
            },
        ),
        (
            "outcome unknown",
            AuditQuery {
                outcome: Some(AuditOutcome::Unknown),
                ..AuditQuery::default()
            },
        ),
        (
            "action revoke_intent",
            AuditQuery {
                action: Some(AuditAction::RevokeIntent),
                ..AuditQuery::default()
            },
        ),
        (
            "date range",
            AuditQuery {
                from: Some(middle.clone()),
                to: Some(middle.clone()),
                ..AuditQuery::default()
            },
        ),
        (
            "profile + outcome",
            AuditQuery {
                profile_id: Some("6f1c2d9e-0b7a-4f43-9a55-3c1de0f7a001".into()),
                outcome: Some(AuditOutcome::Removed),
                ..AuditQuery::default()
            },
        ),
    ];
    for (name, q) in &pages {
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..QUERY_RUNS {
            let start = Instant::now();
            total = log.query(q).expect("query").total;
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
        println!(
            "  audit view {name:<21} p95 {:>7.1} ms  ({total} match)",
            p95(times)
        );
    }
    // A new entry is indexed by the next page.
    log.append(draft(large + 1)).expect("append");
    let start = Instant::now();
    let first = log.query(&AuditQuery::default()).expect("query");
    println!(
        "  first page after one more entry: {:.1} ms (total {})",
        start.elapsed().as_secs_f64() * 1e3,
        first.total
    );
}
