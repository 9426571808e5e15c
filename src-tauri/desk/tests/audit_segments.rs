//! Why: a three-year log is kept as segments chained by hash (docs/audit-log.md, "Segments
//! and retention"). These tests roll real logs into several segments (a small size limit)
//! and check that nothing a reader sees changes: verify, export, the index, the start-up
//! check; that a closed segment edited in any way is found; that two handles appending to one
//! log through rolls keep one chain; and that an old single-file log is left as it is.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use desk::Environment;
use desk::audit::{
    AuditAction, AuditLog, AuditOutcome, AuditQuery, BreakKind, CardSummary, EntryDraft,
    ExportFormat, Operator, ProfileRef, Reason, audit_path, closed_segments, first_break,
    read_entries, verify_file,
};

fn operator(name: &str) -> Operator {
    Operator {
        os_user: name.to_lowercase(),
        display_name: name.to_owned(),
    }
}

fn draft(i: u64) -> EntryDraft {
    let action = if i % 2 == 1 {
        AuditAction::RevokeIntent
    } else {
        AuditAction::RevokeOutcome
    };
    let mut d = EntryDraft::new(
        operator(if i.is_multiple_of(3) { "Olga" } else { "Ivan" }),
        action,
    );
    d.profile = Some(ProfileRef {
        id: format!("p{}", i % 2),
        name: "Test profile".into(),
        environment: Environment::Test,
        merchant_id: "452739".into(),
    });
    d.customer = Some(format!("CRM-{:04}", i % 7));
    d.card = Some(CardSummary {
        brand: "VISA".into(),
        bin: "412362".into(),
        last4: "0028".into(),
        expiry: "12/2025".into(),
    });
    d.token_fingerprint = Some("0123456789ab".into());
    d.reason = Some(Reason::CustomerRequest);
    d.ticket = Some(format!("T-{i}"));
    if action == AuditAction::RevokeOutcome {
        d.outcome = Some(AuditOutcome::Removed);
        d.intent_seq = Some(i - 1);
    }
    d
}

/// A log in `dir` with `n` entries appended under a segment limit of `limit` bytes.
fn rolled_log(dir: &Path, n: u64, limit: u64) -> PathBuf {
    let log = AuditLog::open(dir, &operator("Ivan")).unwrap();
    log.set_segment_bytes(limit);
    for i in 1..=n {
        log.append(draft(i)).unwrap();
    }
    audit_path(dir)
}

/// The log's files concatenated in chain order into one file in `into`: the log as it would
/// have been had it never rolled.
fn joined(path: &Path, into: &Path) -> PathBuf {
    let mut bytes = Vec::new();
    for seg in closed_segments(path).unwrap() {
        bytes.extend(fs::read(seg).unwrap());
    }
    bytes.extend(fs::read(path).unwrap());
    let dest = audit_path(into);
    fs::create_dir_all(dest.parent().unwrap()).unwrap();
    fs::write(&dest, bytes).unwrap();
    dest
}

fn export(path: &Path, format: ExportFormat) -> Vec<u8> {
    let mut out = Vec::new();
    desk::audit::export_file(path, format, &mut out).unwrap();
    out
}

#[test]
fn a_rolled_log_verifies_and_exports_exactly_what_one_file_would() {
    let dir = tempfile::tempdir().unwrap();
    let path = rolled_log(dir.path(), 60, 2_000);
    let segments = closed_segments(&path).unwrap();
    assert!(
        segments.len() >= 3,
        "rolled into {} segments",
        segments.len()
    );
    let v = verify_file(&path).unwrap();
    assert!(v.ok, "{:?}", v.first_broken);
    let entries = read_entries(&path).unwrap();
    assert_eq!(v.entries, entries.len() as u64);
    let seqs: Vec<u64> = entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=entries.len() as u64).collect::<Vec<_>>());
    let started = entries
        .iter()
        .filter(|e| e.action == AuditAction::SegmentStarted)
        .count();
    assert_eq!(started, segments.len());
    assert_eq!(entries.len(), 60 + started);

    let one = tempfile::tempdir().unwrap();
    let single = joined(&path, one.path());
    let w = verify_file(&single).unwrap();
    assert!(w.ok);
    assert_eq!((w.entries, &w.last_hash), (v.entries, &v.last_hash));
    for format in [ExportFormat::Json, ExportFormat::Csv] {
        assert_eq!(export(&path, format), export(&single, format));
    }
    assert_eq!(first_break(&path).unwrap(), None);

    #[cfg(unix)]
    for seg in &segments {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(seg).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o400, "{}", seg.display());
    }
}

#[test]
fn a_segment_started_entry_names_the_closed_segment() {
    let dir = tempfile::tempdir().unwrap();
    let path = rolled_log(dir.path(), 30, 2_000);
    let segments = closed_segments(&path).unwrap();
    let entries = read_entries(&path).unwrap();
    let first = entries
        .iter()
        .find(|e| e.action == AuditAction::SegmentStarted)
        .unwrap();
    let link = &first.segments.as_ref().unwrap()[0];
    let closed = &segments[0];
    assert_eq!(link.name, closed.file_name().unwrap().to_str().unwrap());
    assert_eq!(link.first_seq, 1);
    assert_eq!(link.last_seq, first.seq - 1);
    assert_eq!(link.last_hash, first.prev);
    assert_eq!(link.entries, first.seq - 1);
    assert_eq!(
        link.blake3,
        blake3::hash(&fs::read(closed).unwrap())
            .to_hex()
            .to_string()
    );
    assert_eq!(link.name, format!("audit-1-{}.jsonl", first.seq - 1));
}

fn make_writable(path: &Path) {
    let mut p = fs::metadata(path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    p.set_readonly(false);
    fs::set_permissions(path, p).unwrap();
}

#[test]
fn an_edited_closed_segment_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = rolled_log(dir.path(), 40, 2_000);
    let seg = closed_segments(&path).unwrap()[1].clone();
    make_writable(&seg);
    let text = fs::read_to_string(&seg).unwrap();
    fs::write(&seg, text.replacen("T-", "X-", 1)).unwrap();
    let v = verify_file(&path).unwrap();
    let b = v.first_broken.unwrap();
    assert_eq!(b.problem, BreakKind::Edited, "{}", b.message);
    assert!(first_break(&path).unwrap().is_some());
}

#[test]
fn a_line_added_to_a_closed_segment_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = rolled_log(dir.path(), 40, 2_000);
    let seg = closed_segments(&path).unwrap()[0].clone();
    make_writable(&seg);
    let mut bytes = fs::read(&seg).unwrap();
    bytes.extend_from_slice(b"\n");
    fs::write(&seg, &bytes).unwrap();
    let v = verify_file(&path).unwrap();
    assert!(!v.ok);
    let b = v.first_broken.unwrap();
    assert!(
        matches!(b.problem, BreakKind::Unreadable | BreakKind::SegmentLink),
        "{b:?}"
    );
}

#[test]
fn two_handles_appending_through_rolls_keep_one_chain() {
    let dir = tempfile::tempdir().unwrap();
    let a = AuditLog::open(dir.path(), &operator("Ivan")).unwrap();
    let b = AuditLog::open(dir.path(), &operator("Olga")).unwrap();
    a.set_segment_bytes(1_500);
    b.set_segment_bytes(1_500);
    std::thread::scope(|s| {
        s.spawn(|| {
            for i in 1..=40 {
                a.append(draft(i * 2)).unwrap();
            }
        });
        s.spawn(|| {
            for i in 1..=40 {
                b.append(draft(i * 2 + 1)).unwrap();
            }
        });
    });
    let path = audit_path(dir.path());
    assert!(closed_segments(&path).unwrap().len() >= 3);
    let v = verify_file(&path).unwrap();
    assert!(v.ok, "{:?}", v.first_broken);
    let entries = read_entries(&path).unwrap();
    let written = entries
        .iter()
        .filter(|e| e.action != AuditAction::SegmentStarted)
        .count();
    assert_eq!(written, 80);
    assert_eq!(a.next_seq().max(b.next_seq()), entries.len() as u64 + 1);
}

#[test]
fn an_existing_single_file_log_opens_and_verifies_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = rolled_log(dir.path(), 20, u64::MAX);
    let before = fs::read(&path).unwrap();
    let log = AuditLog::open(dir.path(), &operator("Ivan")).unwrap();
    assert!(log.verify().unwrap().ok);
    drop(log);
    assert_eq!(fs::read(&path).unwrap(), before);
    assert!(closed_segments(&path).unwrap().is_empty());
    assert!(!desk::audit::segments_dir(&path).exists());
}

#[test]
fn the_audit_view_index_answers_across_segments() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::open(dir.path(), &operator("Ivan")).unwrap();
    log.set_segment_bytes(2_500);
    for i in 1..=30 {
        log.append(draft(i)).unwrap();
    }
    // Indexed before more rolls: the index catches up across them.
    let query = AuditQuery {
        customer: Some("crm-0003".into()),
        ..AuditQuery::default()
    };
    let first = log.query(&query).unwrap();
    for i in 31..=70 {
        log.append(draft(i)).unwrap();
    }
    assert!(closed_segments(log.path()).unwrap().len() >= 3);
    let all = log.entries().unwrap();
    let expected: Vec<u64> = all
        .iter()
        .rev()
        .filter(|e| e.customer.as_deref() == Some("CRM-0003"))
        .map(|e| e.seq)
        .collect();
    let page = log.query(&query).unwrap();
    assert!(page.total > first.total);
    assert_eq!(
        page.entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
        expected
    );
    let everything = log
        .query(&AuditQuery {
            limit: desk::audit::MAX_PAGE,
            ..AuditQuery::default()
        })
        .unwrap();
    assert_eq!(everything.total, all.len() as u64);
    assert_eq!(everything.entries.last().unwrap().seq, 1);
    log.rebuild_index().unwrap();
    let again = log.query(&query).unwrap();
    assert_eq!(again.entries, page.entries);
}

#[test]
fn archive_moves_old_segments_and_both_sides_verify_against_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let archive = tempfile::tempdir().unwrap();
    let dest = archive.path().join("audit-archive");
    let log = AuditLog::open(dir.path(), &operator("Ivan")).unwrap();
    log.set_segment_bytes(2_000);
    for i in 1..=60 {
        log.append(draft(i)).unwrap();
    }
    let path = log.path().to_path_buf();
    let segments = closed_segments(&path).unwrap();
    assert!(segments.len() >= 4);
    let before = log.entries().unwrap();
    let links: Vec<_> = before
        .iter()
        .filter(|e| e.action == AuditAction::SegmentStarted)
        .map(|e| e.segments.as_ref().unwrap()[0].clone())
        .collect();
    // Cut off just after the second segment's last entry: the first two move.
    let cutoff = format!("{}Z", links[1].last_time.trim_end_matches('Z'));
    let cutoff = if links[2].last_time > cutoff {
        // Strictly after links[1] but not after links[2].
        let mut c = links[1].last_time.clone();
        c.push('~');
        c
    } else {
        cutoff
    };
    let report = log.archive(&operator("Olga"), &cutoff, &dest).unwrap();
    assert!(!report.segments.is_empty());
    assert!(report.segments.len() < segments.len());
    for link in &report.segments {
        assert!(dest.join(&link.name).exists());
        assert!(!desk::audit::segments_dir(&path).join(&link.name).exists());
    }
    let entry = report.entry.unwrap();
    assert_eq!(entry.action, AuditAction::Archived);
    assert_eq!(entry.segments.as_ref().unwrap(), &report.segments);

    // The live log verifies without them, begins where the record says they ended, and
    // every reader agrees.
    let v = verify_file(&path).unwrap();
    assert!(v.ok, "{:?}", v.first_broken);
    assert_eq!(first_break(&path).unwrap(), None);
    let live = read_entries(&path).unwrap();
    assert_eq!(live[0].seq, report.segments.last().unwrap().last_seq + 1);
    assert!(log.verify().unwrap().ok);
    let page = log.query(&AuditQuery::default()).unwrap();
    assert_eq!(page.total, live.len() as u64);

    let trust = || desk::audit::Trust::unavailable("test");
    let check = desk::audit::verify_archive(&path, &dest, trust()).unwrap();
    assert!(check.ok, "{check:?}");
    assert_eq!(check.segments.len(), report.segments.len());

    // Archiving again moves the rest that are old enough, and the record still holds.
    let rest = log.archive(&operator("Olga"), "9999", &dest).unwrap();
    assert!(!rest.segments.is_empty());
    // (Appending the record may itself close the active file: only newer segments remain.)
    let archived_to = rest.segments.last().unwrap().last_seq;
    for seg in closed_segments(&path).unwrap() {
        let name = seg.file_name().unwrap().to_str().unwrap().to_owned();
        assert!(!rest.segments.iter().any(|l| l.name == name));
        let first: u64 = name.split('-').nth(1).unwrap().parse().unwrap();
        assert!(first > archived_to);
    }
    assert!(verify_file(&path).unwrap().ok);
    assert!(
        desk::audit::verify_archive(&path, &dest, trust())
            .unwrap()
            .ok
    );
    log.append(draft(61)).unwrap();
    assert!(verify_file(&path).unwrap().ok);

    // A tampered archived file is found, by name.
    let victim = dest.join(&report.segments[0].name);
    make_writable(&victim);
    let text = fs::read_to_string(&victim).unwrap();
    fs::write(&victim, text.replacen("T-", "X-", 1)).unwrap();
    let check = desk::audit::verify_archive(&path, &dest, trust()).unwrap();
    assert!(!check.ok);
    let bad = check.segments.iter().find(|f| !f.ok).unwrap();
    assert_eq!(bad.name, report.segments[0].name);
    assert!(bad.problem.as_ref().unwrap().contains("BLAKE3"));
    // A missing one too.
    fs::remove_file(&victim).unwrap();
    let check = desk::audit::verify_archive(&path, &dest, trust()).unwrap();
    assert!(!check.ok);
}

#[test]
fn segments_removed_without_a_record_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = rolled_log(dir.path(), 40, 2_000);
    let first = closed_segments(&path).unwrap()[0].clone();
    fs::remove_file(first).unwrap();
    let v = verify_file(&path).unwrap();
    assert_eq!(v.first_broken.unwrap().problem, BreakKind::SegmentLink);
    assert!(first_break(&path).unwrap().is_some());
    // A segment in the middle: the chain's seq jumps.
    let dir = tempfile::tempdir().unwrap();
    let path = rolled_log(dir.path(), 40, 2_000);
    let middle = closed_segments(&path).unwrap()[1].clone();
    fs::remove_file(middle).unwrap();
    assert!(!verify_file(&path).unwrap().ok);
}

#[test]
fn one_segment_verifies_alone_and_its_edit_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = rolled_log(dir.path(), 40, 2_000);
    let seg = closed_segments(&path).unwrap()[1].clone();
    let name = seg.file_name().unwrap().to_str().unwrap().to_owned();
    let trust = || desk::audit::Trust::unavailable("test");
    let v = desk::audit::verify_segment(&path, &name, trust()).unwrap();
    assert!(v.ok, "{:?}", v.first_broken);
    let (first, last) = name
        .trim_start_matches("audit-")
        .trim_end_matches(".jsonl")
        .split_once('-')
        .unwrap();
    let (first, last): (u64, u64) = (first.parse().unwrap(), last.parse().unwrap());
    assert_eq!(v.entries, last - first + 1);
    make_writable(&seg);
    let mut bytes = fs::read(&seg).unwrap();
    bytes.extend_from_slice(b"{}\n");
    fs::write(&seg, &bytes).unwrap();
    let v = desk::audit::verify_segment(&path, &name, trust()).unwrap();
    assert!(!v.ok);
    assert!(desk::audit::verify_segment(&path, "audit-9-9.jsonl", trust()).is_err());
}
