//! The audit view's index (`audit.index` beside the log): its pages are those of a full scan
//! of the log for every filter, it holds no customer number, and it is only a cache — deleted,
//! damaged, left behind by another log or out of date, it is rebuilt or caught up from the
//! log and answers the same.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use desk::Environment;
use desk::audit::{
    AuditAction, AuditLog, AuditOutcome, AuditQuery, CardSummary, EntryDraft, Operator, ProfileRef,
    read_entries,
};

fn draft(i: u64) -> EntryDraft {
    let operator = Operator {
        os_user: format!("agent{}", i % 4),
        display_name: format!("Agent Nr{}", i % 4),
    };
    let action = match i % 6 {
        0 => AuditAction::RevokeIntent,
        1 => AuditAction::RevokeOutcome,
        _ => AuditAction::ViewedCustomer,
    };
    let mut d = EntryDraft::new(operator, action);
    if !i.is_multiple_of(5) {
        d.profile = Some(ProfileRef {
            id: format!("profile-{}", i % 3),
            name: "Shop".into(),
            environment: Environment::Test,
            merchant_id: "452739".into(),
        });
        d.customer = Some(format!("CRM-{:04}", i % 37));
    }
    d.card = Some(CardSummary {
        brand: "VISA".into(),
        bin: "412362".into(),
        last4: "0028".into(),
        expiry: "12/2027".into(),
    });
    if action == AuditAction::RevokeOutcome {
        d.outcome = Some(match i % 4 {
            0 => AuditOutcome::Removed,
            1 => AuditOutcome::Unknown,
            _ => AuditOutcome::NotRemoved,
        });
        d.intent_seq = Some(i - 1);
    }
    d
}

fn queries(today: &str) -> Vec<AuditQuery> {
    let mut out = vec![
        AuditQuery::default(),
        AuditQuery {
            offset: 40,
            limit: 7,
            ..AuditQuery::default()
        },
        AuditQuery {
            offset: 10_000,
            ..AuditQuery::default()
        },
        AuditQuery {
            customer: Some("crm-0005".into()),
            ..AuditQuery::default()
        },
        AuditQuery {
            customer: Some("CRM-9999".into()),
            ..AuditQuery::default()
        },
        AuditQuery {
            operator: Some("nr2".into()),
            limit: 5,
            offset: 3,
            ..AuditQuery::default()
        },
        AuditQuery {
            operator: Some("agent".into()),
            action: Some(AuditAction::RevokeOutcome),
            ..AuditQuery::default()
        },
        AuditQuery {
            outcome: Some(AuditOutcome::Unknown),
            profile_id: Some("profile-1".into()),
            ..AuditQuery::default()
        },
        AuditQuery {
            profile_id: Some("no-such-profile".into()),
            ..AuditQuery::default()
        },
        AuditQuery {
            from: Some(today.into()),
            to: Some(today.into()),
            customer: Some("CRM-0001".into()),
            ..AuditQuery::default()
        },
        AuditQuery {
            from: Some("2999-01-01".into()),
            ..AuditQuery::default()
        },
    ];
    out.push(AuditQuery {
        action: Some(AuditAction::LogRepaired),
        ..AuditQuery::default()
    });
    out
}

/// Every query answers from the index exactly as a scan of the whole log does.
fn answers_match_a_full_scan(log: &AuditLog) {
    let entries = read_entries(log.path()).unwrap();
    let today = entries.last().unwrap().time[..10].to_owned();
    for q in queries(&today) {
        let page = log.query(&q).unwrap();
        assert_eq!(page, q.page(entries.clone()).unwrap(), "{q:?}");
        // Answered by the index (not the scan it falls back to): one record per entry.
        let indexed = std::fs::metadata(log.index_path()).unwrap().len();
        assert_eq!(indexed, 192 + 48 * entries.len() as u64, "{q:?}");
    }
}

fn index_files(log: &AuditLog) -> (std::path::PathBuf, std::path::PathBuf) {
    let index = log.index_path();
    let names = index.with_extension("index.names");
    (index, names)
}

fn open(dir: &Path) -> AuditLog {
    AuditLog::open(dir, &Operator::from_env(Some("Test"))).unwrap()
}

#[test]
fn pages_from_the_index_are_those_of_a_full_scan_and_follow_new_entries() {
    let dir = tempfile::tempdir().unwrap();
    let log = open(dir.path());
    log.append_batch((1..=300).map(draft)).unwrap();
    answers_match_a_full_scan(&log);
    let (index, names) = index_files(&log);
    assert!(index.exists() && names.exists());
    // New entries — a new operator and profile among them — are indexed on the next page.
    log.append_batch((301..=420).map(draft)).unwrap();
    let mut d = draft(421);
    d.operator.display_name = "Someone New".into();
    d.profile.as_mut().unwrap().id = "profile-new".into();
    log.append(d).unwrap();
    answers_match_a_full_scan(&log);
    assert_eq!(
        log.query(&AuditQuery {
            operator: Some("someone".into()),
            profile_id: Some("profile-new".into()),
            ..AuditQuery::default()
        })
        .unwrap()
        .total,
        1
    );
    // Another process (a CLI run) appending through its own handle is picked up too.
    let other = open(dir.path());
    other.append(draft(422)).unwrap();
    assert_eq!(
        log.query(&AuditQuery::default()).unwrap().entries[0].seq,
        422
    );
    answers_match_a_full_scan(&log);
}

#[test]
fn the_index_holds_no_customer_number() {
    let dir = tempfile::tempdir().unwrap();
    let log = open(dir.path());
    log.append_batch((1..=100).map(draft)).unwrap();
    answers_match_a_full_scan(&log);
    let (index, names) = index_files(&log);
    for file in [index, names] {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!bytes.is_empty() || file.extension().is_some());
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        assert!(
            !text.contains("crm-"),
            "{} holds a customer number",
            file.display()
        );
    }
    #[cfg(unix)]
    for file in [index_files(&log).0, index_files(&log).1] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
}

#[test]
fn a_deleted_damaged_or_foreign_index_is_rebuilt_from_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let log = open(dir.path());
    log.append_batch((1..=200).map(draft)).unwrap();
    answers_match_a_full_scan(&log);
    let (index, names) = index_files(&log);

    // Deleted: rebuilt.
    std::fs::remove_file(&index).unwrap();
    std::fs::remove_file(&names).unwrap();
    answers_match_a_full_scan(&log);
    assert!(index.exists());

    // A damaged header: rebuilt.
    let mut bytes = std::fs::read(&index).unwrap();
    bytes[9] ^= 0xff;
    std::fs::write(&index, &bytes).unwrap();
    answers_match_a_full_scan(&log);

    // A record in the middle pointing at the wrong entry: the page read from the log does
    // not match it, so the index is rebuilt and asked again.
    let mut bytes = std::fs::read(&index).unwrap();
    let record = 192 + 48 * 195;
    bytes[record + 8] ^= 0x01; // its seq
    std::fs::write(&index, &bytes).unwrap();
    answers_match_a_full_scan(&log);

    // Names an update wrote before it stopped (its header never written) are dropped, so
    // the ids of names added later stay right.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&names)
        .unwrap();
    std::io::Write::write_all(&mut f, b"[\"o\",\"ghost\",\"Ghost\"]\n").unwrap();
    drop(f);
    let mut d = draft(201);
    d.operator.display_name = "Newcomer".into();
    log.append(d).unwrap();
    let newcomer = AuditQuery {
        operator: Some("newcomer".into()),
        ..AuditQuery::default()
    };
    assert_eq!(log.query(&newcomer).unwrap().entries[0].seq, 201);
    answers_match_a_full_scan(&log);

    // The names changed under it: rebuilt.
    std::fs::write(&names, b"[\"o\",\"x\",\"y\"]\n").unwrap();
    answers_match_a_full_scan(&log);

    // An index left by another log (a log moved aside and a new one started): its last
    // entry is not at its place in this log, so it is rebuilt.
    let other = tempfile::tempdir().unwrap();
    let foreign = open(other.path());
    foreign.append_batch((1..=250).map(draft)).unwrap();
    answers_match_a_full_scan(&foreign);
    std::fs::copy(index_files(&foreign).0, &index).unwrap();
    std::fs::copy(index_files(&foreign).1, &names).unwrap();
    answers_match_a_full_scan(&log);
    // … also when the log is longer than what that index covers.
    let shorter = tempfile::tempdir().unwrap();
    let small = open(shorter.path());
    small.append_batch((1..=20).map(draft)).unwrap();
    answers_match_a_full_scan(&small);
    std::fs::copy(index_files(&small).0, &index).unwrap();
    std::fs::copy(index_files(&small).1, &names).unwrap();
    answers_match_a_full_scan(&log);

    // And rebuilding on demand gives the same index.
    assert_eq!(log.rebuild_index().unwrap(), 201);
    answers_match_a_full_scan(&log);
}

#[test]
fn a_log_with_a_repaired_crash_and_an_edited_entry_pages_as_a_scan_does() {
    let dir = tempfile::tempdir().unwrap();
    let log = open(dir.path());
    log.append_batch((1..=50).map(draft)).unwrap();
    answers_match_a_full_scan(&log);
    drop(log);
    // A crash mid-write: the next open repairs it with a log_repaired entry.
    let path = desk::audit::audit_path(dir.path());
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(&mut f, b"{\"seq\":51,\"ti").unwrap();
    drop(f);
    let log = open(dir.path());
    log.append_batch((52..=60).map(draft)).unwrap();
    answers_match_a_full_scan(&log);
    // An entry edited in the middle (same length): the page shows what the log says.
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen("\"CRM-0005\"", "\"CRM-0006\"", 1);
    std::fs::write(&path, edited).unwrap();
    answers_match_a_full_scan(&log);
}

#[test]
fn with_the_keyring_customer_hashes_are_keyed_by_the_log_and_a_new_key_rebuilds() {
    let dir = tempfile::tempdir().unwrap();
    let store: std::sync::Arc<dyn desk::secrets::SecretStore> =
        std::sync::Arc::new(desk::secrets::MemoryStore::new());
    let operator = Operator::from_env(Some("Test"));
    let keyed = AuditLog::open_anchored(dir.path(), &operator, Ok(store.clone())).unwrap();
    keyed.append_batch((1..=80).map(draft)).unwrap();
    answers_match_a_full_scan(&keyed);
    let with_key = std::fs::read(keyed.index_path()).unwrap();
    drop(keyed);
    // The same log opened without the keyring: the index's key is not at hand, so it is
    // rebuilt under a salt of its own, and answers the same.
    let unkeyed = open(dir.path());
    answers_match_a_full_scan(&unkeyed);
    let without = std::fs::read(unkeyed.index_path()).unwrap();
    assert_ne!(with_key, without, "other customer hashes");
    drop(unkeyed);
    let again = AuditLog::open_anchored(dir.path(), &operator, Ok(store)).unwrap();
    answers_match_a_full_scan(&again);
}
