//! The audit log on a real file in a temp dir: permissions, the hash chain, every kind of
//! tampering named at the right line, a crash mid-write repaired without rewriting history,
//! concurrent writers (threads and two handles, as the app and the CLI would be), queries,
//! and exports whose rows match the log.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;
use std::sync::Arc;

use desk::Environment;
use desk::audit::{
    AuditAction, AuditEntry, AuditLog, AuditOutcome, AuditQuery, BreakKind, CSV_COLUMNS,
    CardSummary, EntryDraft, ExportFormat, GENESIS, Operator, ProfileRef, Reason, audit_path,
    csv_row, verify_bytes, verify_file,
};

fn operator(name: &str) -> Operator {
    Operator {
        os_user: name.to_lowercase(),
        display_name: name.to_owned(),
    }
}

fn draft(i: u64) -> EntryDraft {
    let action = if !i.is_multiple_of(2) {
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
    d.customer = Some(format!("CRM-{i:04}"));
    d.card = Some(CardSummary {
        brand: "VISA".into(),
        bin: "412362".into(),
        last4: "0028".into(),
        expiry: "12/2025".into(),
    });
    d.token_fingerprint = Some("0123456789ab".into());
    d.reason = Some(Reason::CustomerRequest);
    d.ticket = Some(format!("T-{i}"));
    d.note = Some("line one,\n\"quoted\"; и по-русски".into());
    if action == AuditAction::RevokeOutcome {
        d.outcome = Some(AuditOutcome::Removed);
        d.intent_seq = Some(i - 1);
    }
    d
}

/// A log with `n` entries in `dir`; returns its path.
fn log_with(dir: &Path, n: u64) -> std::path::PathBuf {
    let log = AuditLog::open(dir, &operator("Ivan")).unwrap();
    for i in 1..=n {
        let e = log.append(draft(i)).unwrap();
        assert_eq!(e.seq, i);
    }
    log.path().to_path_buf()
}

fn lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn write_lines(path: &Path, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    fs::write(path, text).unwrap();
}

#[test]
fn a_fresh_log_chains_from_genesis_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_with(dir.path(), 5);
    assert_eq!(path, audit_path(dir.path()));
    assert_eq!(path, dir.path().join("audit").join("audit.jsonl"));
    let entries = desk::audit::read_entries(&path).unwrap();
    assert_eq!(entries[0].prev, GENESIS);
    for pair in entries.windows(2) {
        assert_eq!(pair[1].prev, pair[0].hash);
    }
    assert!(entries[0].time.ends_with('Z') && entries[0].time.len() == 24);
    let v = verify_file(&path).unwrap();
    assert!(v.ok, "{v:?}");
    assert_eq!(v.entries, 5);
    assert_eq!(v.last_hash, entries[4].hash);
    assert_eq!(
        v.open_intents,
        vec![5],
        "entry 5 is an intent without an outcome"
    );
}

#[cfg(unix)]
#[test]
fn the_file_is_0600_in_a_0700_directory() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = log_with(dir.path(), 1);
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    // A file made too open by hand is closed again at the next open.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    AuditLog::open(dir.path(), &operator("Ivan")).unwrap();
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn reopening_continues_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    log_with(dir.path(), 3);
    let log = AuditLog::open(dir.path(), &operator("Ivan")).unwrap();
    assert_eq!(log.next_seq(), 4);
    let e = log.append(draft(4)).unwrap();
    assert_eq!(e.seq, 4);
    assert!(log.verify().unwrap().ok);
}

#[test]
fn an_edited_entry_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_with(dir.path(), 5);
    let mut l = lines(&path);
    l[2] = l[2].replace("\"T-3\"", "\"T-9\"");
    write_lines(&path, &l);
    let b = verify_file(&path).unwrap().first_broken.unwrap();
    assert_eq!(
        (b.line, b.seq, b.problem),
        (3, Some(3), BreakKind::Edited),
        "{b:?}"
    );
}

#[test]
fn an_edited_entry_with_a_recomputed_hash_breaks_the_next_link() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_with(dir.path(), 4);
    let mut entries = desk::audit::read_entries(&path).unwrap();
    entries[1].ticket = Some("FORGED".into());
    // Re-hash entry 2 the way the log does: BLAKE3 of the line without `hash`.
    entries[1].hash.clear();
    let unhashed = serde_json::to_string(&entries[1]).unwrap();
    let body = format!("{}}}", unhashed.strip_suffix(",\"hash\":\"\"}").unwrap());
    entries[1].hash = blake3::hash(body.as_bytes()).to_hex().to_string();
    let l: Vec<String> = entries
        .iter()
        .map(|e| serde_json::to_string(e).unwrap())
        .collect();
    write_lines(&path, &l);
    let b = verify_file(&path).unwrap().first_broken.unwrap();
    assert_eq!(
        (b.line, b.seq, b.problem),
        (3, Some(3), BreakKind::PrevMismatch),
        "{b:?}"
    );
}

#[test]
fn a_deleted_entry_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_with(dir.path(), 5);
    let mut l = lines(&path);
    l.remove(2);
    write_lines(&path, &l);
    let b = verify_file(&path).unwrap().first_broken.unwrap();
    assert_eq!(
        (b.line, b.seq, b.expected_seq, b.problem),
        (3, Some(4), 3, BreakKind::Missing),
        "{b:?}"
    );
    assert!(b.message.contains("entry 3 is missing"), "{}", b.message);
}

#[test]
fn two_swapped_entries_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_with(dir.path(), 5);
    let mut l = lines(&path);
    l.swap(1, 2);
    write_lines(&path, &l);
    let b = verify_file(&path).unwrap().first_broken.unwrap();
    assert_eq!(
        (b.line, b.seq, b.expected_seq, b.problem),
        (2, Some(3), 2, BreakKind::OutOfOrder),
        "{b:?}"
    );
}

#[test]
fn a_truncated_last_line_is_named_by_verify_and_repaired_at_open_without_rewriting() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_with(dir.path(), 3);
    let full = fs::read(&path).unwrap();
    let cut = full.len() - 40;
    fs::write(&path, &full[..cut]).unwrap();
    let b = verify_file(&path).unwrap().first_broken.unwrap();
    assert_eq!(
        (b.line, b.seq, b.problem),
        (3, None, BreakKind::Truncated),
        "{b:?}"
    );

    // Opening for appending keeps the fragment, ends its line and acknowledges it.
    let log = AuditLog::open(dir.path(), &operator("Ivan")).unwrap();
    let after = fs::read(&path).unwrap();
    assert_eq!(&after[..cut], &full[..cut], "history is never rewritten");
    let v = log.verify().unwrap();
    assert!(v.ok, "{v:?}");
    assert_eq!(v.repaired.len(), 1);
    assert_eq!(v.repaired[0].line, 3);
    let entries = log.entries().unwrap();
    let repair = entries.last().unwrap();
    assert_eq!(repair.action, AuditAction::LogRepaired);
    assert_eq!(repair.seq, 3, "the cut-short entry 3 never completed");
    assert_eq!(repair.prev, entries[1].hash);
    let r = repair.repair.as_ref().unwrap();
    assert_eq!(r.length as usize, cut - usize::try_from(r.offset).unwrap());
    // And the chain goes on from the repair entry.
    assert_eq!(log.append(draft(4)).unwrap().seq, 4);
    assert!(log.verify().unwrap().ok);

    // Changing the acknowledged fragment afterwards is caught.
    let mut bytes = fs::read(&path).unwrap();
    let at = usize::try_from(r.offset).unwrap() + 2;
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    let b = verify_bytes(&bytes).first_broken.unwrap();
    assert_eq!((b.line, b.problem), (3, BreakKind::Unreadable), "{b:?}");
}

#[test]
fn a_first_write_cut_short_is_repaired_from_genesis() {
    let dir = tempfile::tempdir().unwrap();
    let path = audit_path(dir.path());
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, b"{\"seq\":1,\"time\":\"2026-").unwrap();
    assert_eq!(
        verify_file(&path).unwrap().first_broken.unwrap().problem,
        BreakKind::Truncated
    );
    let log = AuditLog::open(dir.path(), &operator("Ivan")).unwrap();
    let entries = log.entries().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].seq, entries[0].action),
        (1, AuditAction::LogRepaired)
    );
    assert_eq!(entries[0].prev, GENESIS);
    assert_eq!(entries[0].repair.as_ref().unwrap().offset, 0);
    assert_eq!(log.append(draft(2)).unwrap().seq, 2);
    let v = log.verify().unwrap();
    assert!(v.ok && v.repaired.len() == 1, "{v:?}");
}

#[test]
fn a_whole_last_entry_without_its_newline_is_kept_as_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_with(dir.path(), 2);
    let full = fs::read(&path).unwrap();
    fs::write(&path, &full[..full.len() - 1]).unwrap();
    assert!(verify_file(&path).unwrap().ok);
    let log = AuditLog::open(dir.path(), &operator("Ivan")).unwrap();
    assert_eq!(fs::read(&path).unwrap(), full);
    assert_eq!(log.append(draft(3)).unwrap().seq, 3);
    assert!(log.verify().unwrap().ok);
}

#[test]
fn an_edited_last_entry_is_refused_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_with(dir.path(), 2);
    let mut l = lines(&path);
    l[1] = l[1].replace("Olga", "Oleg").replace("Ivan", "Igor");
    write_lines(&path, &l);
    let before = fs::read(&path).unwrap();
    let err = AuditLog::open(dir.path(), &operator("Ivan")).unwrap_err();
    assert!(err.to_string().contains("does not match its hash"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before, "nothing was appended");
}

#[test]
fn intents_without_outcomes_are_reported_not_broken() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_with(dir.path(), 3);
    let v = verify_file(&path).unwrap();
    assert!(v.ok);
    assert_eq!(v.open_intents, vec![3]);
    let log = AuditLog::open(dir.path(), &operator("Ivan")).unwrap();
    let open: Vec<u64> = log.open_intents().unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(open, vec![3]);
}

#[test]
fn threads_and_a_second_handle_append_without_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let a = Arc::new(AuditLog::open(dir.path(), &operator("Ivan")).unwrap());
    // A second handle on the same file, as another process (the CLI beside the app) has.
    let b = Arc::new(AuditLog::open(dir.path(), &operator("Olga")).unwrap());
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let log = if t % 2 == 0 { a.clone() } else { b.clone() };
            std::thread::spawn(move || {
                for i in 0..25 {
                    log.append(draft(t * 100 + i + 1)).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let v = a.verify().unwrap();
    assert!(v.ok, "{v:?}");
    assert_eq!(v.entries, 100);
    let seqs: Vec<u64> = a.entries().unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=100).collect::<Vec<_>>());
}

/// A bulk run's appenders: many tasks at once, their lines written on the log's own thread,
/// beside another handle (another process) appending from a thread. Every appender gets
/// back exactly the entry that is on disk, and the chain has no gap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_appenders_get_back_the_entries_written_for_them() {
    let dir = tempfile::tempdir().unwrap();
    let a = Arc::new(AuditLog::open(dir.path(), &operator("Ivan")).unwrap());
    let b = Arc::new(AuditLog::open(dir.path(), &operator("Olga")).unwrap());
    let other = {
        let b = b.clone();
        std::thread::spawn(move || {
            for i in 0..40 {
                b.append(draft(9000 + i)).unwrap();
            }
        })
    };
    let tasks: Vec<_> = (0..32)
        .map(|t| {
            let a = a.clone();
            tokio::spawn(async move {
                let mut got = Vec::new();
                for i in 0..10 {
                    let n = t * 100 + i + 1;
                    let e = a.append_durable(draft(n)).await.unwrap();
                    assert_eq!(e.ticket.as_deref(), Some(format!("T-{n}").as_str()));
                    got.push(e);
                }
                got
            })
        })
        .collect();
    let mut returned = Vec::new();
    for t in tasks {
        returned.extend(t.await.unwrap());
    }
    other.join().unwrap();
    let v = a.verify().unwrap();
    assert!(v.ok, "{v:?}");
    assert_eq!(v.entries, 360);
    let on_disk = a.entries().unwrap();
    let seqs: Vec<u64> = on_disk.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=360).collect::<Vec<_>>());
    for e in &returned {
        assert_eq!(&on_disk[usize::try_from(e.seq - 1).unwrap()], e);
    }
}

#[test]
fn queries_filter_and_page_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    log_with(dir.path(), 12);
    let log = AuditLog::open(dir.path(), &operator("Ivan")).unwrap();
    let all = log.query(&AuditQuery::default()).unwrap();
    assert_eq!(all.total, 12);
    assert_eq!(all.entries[0].seq, 12, "newest first");

    let page = log
        .query(&AuditQuery {
            offset: 2,
            limit: 3,
            ..AuditQuery::default()
        })
        .unwrap();
    let seqs: Vec<u64> = page.entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, vec![10, 9, 8]);

    let q = |query: AuditQuery| -> Vec<u64> {
        log.query(&query)
            .unwrap()
            .entries
            .iter()
            .map(|e| e.seq)
            .collect()
    };
    assert_eq!(
        q(AuditQuery {
            operator: Some("olg".into()),
            ..AuditQuery::default()
        }),
        vec![12, 9, 6, 3]
    );
    assert_eq!(
        q(AuditQuery {
            customer: Some("crm-0007".into()),
            ..AuditQuery::default()
        }),
        vec![7]
    );
    assert_eq!(
        q(AuditQuery {
            action: Some(AuditAction::RevokeOutcome),
            profile_id: Some("p0".into()),
            outcome: Some(AuditOutcome::Removed),
            limit: 2,
            ..AuditQuery::default()
        }),
        vec![12, 10]
    );
    let today = &all.entries[0].time[..10];
    assert_eq!(
        q(AuditQuery {
            from: Some(today.into()),
            to: Some(today.into()),
            ..AuditQuery::default()
        })
        .len(),
        12
    );
    assert!(
        q(AuditQuery {
            from: Some("2999-01-01T00:00:00Z".into()),
            ..AuditQuery::default()
        })
        .is_empty()
    );
    let err = log
        .query(&AuditQuery {
            to: Some("yesterday".into()),
            ..AuditQuery::default()
        })
        .unwrap_err();
    assert!(err.message.starts_with("to: "), "{}", err.message);
}

#[test]
fn an_export_of_a_filtered_view_holds_exactly_the_entries_it_shows() {
    let dir = tempfile::tempdir().unwrap();
    log_with(dir.path(), 9);
    let log = AuditLog::open(dir.path(), &operator("Ivan")).unwrap();
    let filters = AuditQuery {
        operator: Some("olga".into()),
        // The view's page does not limit the export.
        limit: 1,
        ..AuditQuery::default()
    };
    let shown = log.query(&filters).unwrap().total;
    assert_eq!(shown, 3, "entries 3, 6 and 9");
    let path = dir.path().join("olga.csv");
    assert_eq!(
        log.export_matching_to_path(ExportFormat::Csv, &filters, &path)
            .unwrap(),
        3
    );
    let customers: Vec<String> = csv::Reader::from_path(&path)
        .unwrap()
        .deserialize::<std::collections::HashMap<String, String>>()
        .map(|r| r.unwrap()["customer"].clone())
        .collect();
    assert_eq!(customers, ["CRM-0003", "CRM-0006", "CRM-0009"]);
    // A filter that does not parse is refused, and nothing is written.
    let bad = AuditQuery {
        from: Some("last week".into()),
        ..AuditQuery::default()
    };
    let other = dir.path().join("bad.csv");
    let err = log
        .export_matching_to_path(ExportFormat::Csv, &bad, &other)
        .unwrap_err();
    assert!(err.message.starts_with("from: "), "{}", err.message);
    assert!(!other.exists());
}

#[test]
fn csv_and_json_exports_match_the_log_row_for_row() {
    let dir = tempfile::tempdir().unwrap();
    log_with(dir.path(), 6);
    let log = AuditLog::open(dir.path(), &operator("Ivan")).unwrap();
    let entries: Vec<AuditEntry> = log.entries().unwrap();

    let csv_path = dir.path().join("out.csv");
    assert_eq!(log.export_to_path(ExportFormat::Csv, &csv_path).unwrap(), 6);
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, CSV_COLUMNS.map(str::to_owned).to_vec());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), entries.len());
    for (row, entry) in rows.iter().zip(&entries) {
        assert_eq!(row, &csv_row(entry));
        assert_eq!(row[0], entry.seq.to_string());
        assert_eq!(row[28], entry.hash);
        assert_eq!(
            row[16],
            entry.note.clone().unwrap(),
            "newlines and quotes survive"
        );
    }

    let json_path = dir.path().join("out.json");
    assert_eq!(
        log.export_to_path(ExportFormat::Json, &json_path).unwrap(),
        6
    );
    let exported: Vec<AuditEntry> = serde_json::from_slice(&fs::read(&json_path).unwrap()).unwrap();
    assert_eq!(exported, entries);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&csv_path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn csv_export_neutralises_formula_cells_and_json_keeps_them_exact() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::open(dir.path(), &operator("Ivan")).unwrap();
    let mut d = draft(2);
    d.customer = Some("+79161234567".into());
    d.note = Some("=cmd|'/c calc'!A1".into());
    d.ticket = Some("=HYPERLINK(\"http://evil.example\",\"open\")".into());
    d.gateway_message = Some("@SUM(1+1)".into());
    d.detail = Some("-1+1".into());
    log.append(d).unwrap();

    let csv_path = dir.path().join("out.csv");
    log.export_to_path(ExportFormat::Csv, &csv_path).unwrap();
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| row[CSV_COLUMNS.iter().position(|c| *c == name).unwrap()].to_owned();
    assert_eq!(cell("customer"), "'+79161234567");
    assert_eq!(cell("note"), "'=cmd|'/c calc'!A1");
    assert_eq!(
        cell("ticket"),
        "'=HYPERLINK(\"http://evil.example\",\"open\")"
    );
    assert_eq!(cell("gatewayMessage"), "'@SUM(1+1)");
    assert_eq!(cell("detail"), "'-1+1");
    assert_eq!(desk::csv_cell::restore(&cell("customer")), "+79161234567");
    assert_eq!(cell("card.brand"), "VISA", "other cells stay as logged");

    let json_path = dir.path().join("out.json");
    log.export_to_path(ExportFormat::Json, &json_path).unwrap();
    let exported: Vec<AuditEntry> = serde_json::from_slice(&fs::read(&json_path).unwrap()).unwrap();
    assert_eq!(exported[0].customer.as_deref(), Some("+79161234567"));
    assert_eq!(exported[0].note.as_deref(), Some("=cmd|'/c calc'!A1"));
    assert_eq!(exported[0].gateway_message.as_deref(), Some("@SUM(1+1)"));
}
