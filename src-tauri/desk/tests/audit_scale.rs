//! The audit log at three years' scale, in miniature: a log far larger than a memory bound
//! verifies, exports (CSV and JSON), answers the audit view and finds its open intents with
//! at most that bound allocated at once — every reader streams — and the answers are those of
//! the whole-file readers. The peak resident set
//! (`VmHWM`, reset before each reader) measures it; Linux only.
#![allow(clippy::unwrap_used)]

use desk::Environment;
use desk::audit::{
    AuditAction, AuditLog, AuditOutcome, AuditQuery, CardSummary, EntryDraft, ExportFormat,
    Operator, ProfileRef, Reason, export_file, verify_bytes, verify_file,
};

/// A line of `/proc/self/status`, in KiB.
fn status_kib(field: &str) -> usize {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// How far the resident set rose above where it was while `f` ran (bytes): the peak is reset
/// through `/proc/self/clear_refs` first (Linux).
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let before = status_kib("VmRSS:");
    let out = f();
    let peak = status_kib("VmHWM:");
    (out, peak.saturating_sub(before) * 1024)
}

/// The memory bound every streaming reader must keep, whatever the log's length.
const BOUND: usize = 6 * 1024 * 1024;
const ENTRIES: u64 = 24_000;

fn draft(i: u64) -> EntryDraft {
    let operator = Operator {
        os_user: format!("agent{}", i % 7),
        display_name: format!("Agent {}", i % 7),
    };
    let action = match i % 10 {
        0 => AuditAction::RevokeIntent,
        1 => AuditAction::RevokeOutcome,
        _ => AuditAction::ViewedCustomer,
    };
    let mut d = EntryDraft::new(operator, action);
    d.profile = Some(ProfileRef {
        id: format!("profile-{}", i % 3),
        name: "Shop (production)".into(),
        environment: Environment::Production,
        merchant_id: "452739".into(),
    });
    d.customer = Some(format!("CRM-{:06}", i % 5000));
    d.card = Some(CardSummary {
        brand: "VISA".into(),
        bin: "412362".into(),
        last4: "0028".into(),
        expiry: "12/2027".into(),
    });
    d.token_fingerprint = Some("13888864a4dc".into());
    d.detail = Some("x".repeat(600));
    if action == AuditAction::RevokeOutcome {
        d.reason = Some(Reason::CustomerRequest);
        // Every fifth intent is left open (its outcome is unknown).
        d.outcome = Some(if i % 50 == 1 {
            AuditOutcome::Unknown
        } else {
            AuditOutcome::Removed
        });
        d.intent_seq = Some(i - 1);
    }
    d
}

#[test]
fn a_log_larger_than_the_memory_bound_verifies_exports_and_pages_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let operator = Operator::from_env(Some("Test"));
    let log = AuditLog::open(dir.path(), &operator).unwrap();
    log.append_batch((1..=ENTRIES).map(draft)).unwrap();
    let path = log.path().to_path_buf();
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(
        size > 4 * BOUND as u64,
        "the log ({size} bytes) is larger than the bound"
    );

    let (v, peak) = peak_of(|| verify_file(&path).unwrap());
    assert!(v.ok, "{:?}", v.first_broken);
    assert_eq!(v.entries, ENTRIES);
    assert!(peak < BOUND, "verify peaked at {peak} bytes");
    let (from_log, peak) = peak_of(|| log.verify().unwrap());
    assert!(peak < BOUND, "AuditLog::verify peaked at {peak} bytes");
    assert_eq!(from_log.entries, ENTRIES);

    // The same answer as the whole-file check.
    let whole = verify_bytes(&std::fs::read(&path).unwrap());
    assert_eq!(v, whole);

    for format in [ExportFormat::Csv, ExportFormat::Json] {
        let out = dir.path().join("out");
        let (n, peak) = peak_of(|| {
            let file = std::io::BufWriter::new(std::fs::File::create(&out).unwrap());
            export_file(&path, format, file).unwrap()
        });
        assert_eq!(n, ENTRIES);
        assert!(peak < BOUND, "{format:?} export peaked at {peak} bytes");
        let entries = log.entries().unwrap();
        let mut whole = Vec::new();
        match format {
            ExportFormat::Csv => desk::audit::write_csv(&entries, &mut whole),
            ExportFormat::Json => desk::audit::write_json(&entries, &mut whole),
        }
        .unwrap();
        assert!(
            std::fs::read(&out).unwrap() == whole,
            "{format:?} export differs"
        );
    }

    let (open, peak) = peak_of(|| log.open_intents().unwrap());
    assert!(peak < BOUND, "open_intents peaked at {peak} bytes");
    let open: Vec<u64> = open.iter().map(|e| e.seq).collect();
    let expected: Vec<u64> = (1..=ENTRIES)
        .filter(|i| i % 10 == 0 && (i + 1) % 50 == 1)
        .collect();
    assert_eq!(open, expected);

    let queries = [
        AuditQuery::default(),
        AuditQuery {
            offset: 7_000,
            limit: 100,
            ..AuditQuery::default()
        },
        AuditQuery {
            customer: Some(" crm-000042 ".into()),
            ..AuditQuery::default()
        },
        AuditQuery {
            operator: Some("AGENT 3".into()),
            action: Some(AuditAction::RevokeOutcome),
            ..AuditQuery::default()
        },
        AuditQuery {
            outcome: Some(AuditOutcome::Unknown),
            profile_id: Some("profile-1".into()),
            ..AuditQuery::default()
        },
    ];
    let entries = log.entries().unwrap();
    for q in &queries {
        let (page, peak) = peak_of(|| log.query(q).unwrap());
        assert!(peak < BOUND, "{q:?} peaked at {peak} bytes");
        assert_eq!(page, q.page(entries.clone()).unwrap(), "{q:?}");
    }
}
