//! What a careful tamperer does to the audit log, and that it is noticed: entries cut off the
//! end, the file deleted, an entry edited with every hash recomputed (without the MAC key).
//! The keyring is a `MemoryStore` shared between opens, as the OS keyring would be; the real
//! gnome-keyring run is the CLI's (src-tauri/cli/tests/audit_tamper.rs).
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::sync::Arc;

use desk::audit::{
    AuditAction, AuditEntry, AuditError, AuditLog, BreakKind, EntryDraft, LogKeyring, Operator,
    Trust, Verification, accept_new_log, audit_path, verify_file, verify_file_with,
};
use desk::secrets::{MemoryStore, SecretError, SecretStore, StoreKind};
use zeroize::Zeroizing;

fn operator() -> Operator {
    Operator {
        os_user: "ivan".into(),
        display_name: "Ivan".into(),
    }
}

fn keyring() -> Arc<dyn SecretStore> {
    Arc::new(MemoryStore::new())
}

fn draft(customer: &str) -> EntryDraft {
    let mut d = EntryDraft::new(operator(), AuditAction::ViewedCustomer);
    d.customer = Some(customer.to_owned());
    d
}

/// Opens the log with `store` as its keyring, appends `n` entries and closes it (which
/// writes the high-water mark).
fn write(dir: &Path, store: &Arc<dyn SecretStore>, n: usize) -> Vec<AuditEntry> {
    let log = AuditLog::open_anchored(dir, &operator(), Ok(store.clone())).unwrap();
    let entries = (0..n)
        .map(|i| log.append(draft(&format!("100{i}"))).unwrap())
        .collect();
    drop(log);
    entries
}

fn verify(dir: &Path, store: &Arc<dyn SecretStore>) -> Verification {
    let path = audit_path(dir);
    let trust = Trust::read(&LogKeyring::for_log(store.clone(), &path));
    verify_file_with(&path, &trust, None).unwrap()
}

fn lines(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(audit_path(dir))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn broken_detail(result: Result<AuditLog, AuditError>) -> String {
    match result {
        Err(AuditError::Broken { detail, .. }) => detail,
        Err(other) => panic!("expected a Broken error, got {other}"),
        Ok(_) => panic!("the log opened"),
    }
}

/// The line of `entry` re-hashed the way the log does it, without any MAC: what someone
/// without the key can compute.
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
fn new_entries_carry_a_mac_and_the_mark_follows_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = keyring();
    let entries = write(dir.path(), &store, 4);
    assert!(entries.iter().all(|e| e.mac.is_some()));
    assert!(lines(dir.path()).iter().all(|l| l.contains(",\"mac\":\"")));
    let mark = LogKeyring::for_log(store.clone(), &audit_path(dir.path()))
        .mark()
        .unwrap()
        .unwrap();
    assert_eq!(
        (mark.seq, mark.hash.as_str()),
        (4, entries[3].hash.as_str())
    );
    let v = verify(dir.path(), &store);
    assert!(v.ok, "{v:?}");
    let k = v.keyed.unwrap();
    assert!(k.mac_checked && k.mark_checked);
    assert_eq!((k.macs_valid, k.authenticated_through), (4, 4));
    assert!(k.notes.is_empty(), "{:?}", k.notes);
}

#[test]
fn the_mark_is_raised_while_the_log_stays_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = keyring();
    let log = AuditLog::open_anchored(dir.path(), &operator(), Ok(store.clone())).unwrap();
    let last = (0..3).map(|_| log.append(draft("1")).unwrap()).last();
    log.sync_mark();
    let mark = LogKeyring::for_log(store.clone(), log.path())
        .mark()
        .unwrap()
        .unwrap();
    assert_eq!(mark.hash, last.unwrap().hash);
    assert!(log.unkeyed().is_none());
}

#[test]
fn entries_cut_off_the_end_are_reported_by_verify_and_refused_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = keyring();
    write(dir.path(), &store, 5);
    let kept: String = lines(dir.path())[..3]
        .iter()
        .map(|l| l.clone() + "\n")
        .collect();
    std::fs::write(audit_path(dir.path()), kept).unwrap();

    // The chain alone cannot tell.
    assert!(verify_file(&audit_path(dir.path())).unwrap().ok);
    let v = verify(dir.path(), &store);
    assert!(!v.ok);
    let b = v.first_broken.unwrap();
    assert_eq!(b.problem, BreakKind::Cut);
    assert_eq!(b.expected_seq, 4);
    assert!(
        b.message.contains("entries 4–5 were cut off"),
        "{}",
        b.message
    );

    let detail = broken_detail(AuditLog::open_anchored(
        dir.path(),
        &operator(),
        Ok(store.clone()),
    ));
    assert!(detail.contains("cut off"), "{detail}");
    assert!(detail.contains("--accept-new-log"), "{detail}");
    assert_eq!(lines(dir.path()).len(), 3, "nothing appended to a cut log");
}

#[test]
fn a_deleted_log_is_reported_not_silently_restarted() {
    let dir = tempfile::tempdir().unwrap();
    let store = keyring();
    write(dir.path(), &store, 3);
    std::fs::remove_dir_all(dir.path().join("audit")).unwrap();

    let v = verify(dir.path(), &store);
    assert!(!v.ok);
    let b = v.first_broken.unwrap();
    assert_eq!(b.problem, BreakKind::Cut);
    assert!(b.message.contains("missing or empty"), "{}", b.message);

    let detail = broken_detail(AuditLog::open_anchored(
        dir.path(),
        &operator(),
        Ok(store.clone()),
    ));
    assert!(detail.contains("deleted"), "{detail}");
    assert!(
        !audit_path(dir.path()).exists(),
        "no new chain was started in its place"
    );
}

#[test]
fn a_log_replaced_by_a_fresh_longer_chain_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let store = keyring();
    write(dir.path(), &store, 2);
    std::fs::remove_file(audit_path(dir.path())).unwrap();
    // A new chain from seq 1, long enough to pass the mark, written without the keyring.
    let other = AuditLog::open(dir.path(), &operator()).unwrap();
    for _ in 0..4 {
        other.append(draft("999")).unwrap();
    }
    drop(other);

    let b = verify(dir.path(), &store).first_broken.unwrap();
    assert_eq!(b.problem, BreakKind::Replaced);
    assert_eq!(b.seq, Some(2));
    let detail = broken_detail(AuditLog::open_anchored(
        dir.path(),
        &operator(),
        Ok(store.clone()),
    ));
    assert!(detail.contains("replaced"), "{detail}");
}

#[test]
fn an_edit_rehashed_without_the_key_is_reported_by_its_mac() {
    let dir = tempfile::tempdir().unwrap();
    let store = keyring();
    let mut entries = write(dir.path(), &store, 5);
    // Edit entry 2 and recompute every hash from there; keep the (now wrong) MACs.
    entries[1].customer = Some("7777".into());
    let mut prev = entries[0].hash.clone();
    let mut text = lines(dir.path())[0].clone() + "\n";
    for e in entries.iter_mut().skip(1) {
        let mac = e.mac.clone().unwrap();
        e.prev = prev;
        let line = rehash(e);
        text += &format!("{},\"mac\":\"{mac}\"}}\n", &line[..line.len() - 1]);
        prev = e.hash.clone();
    }
    std::fs::write(audit_path(dir.path()), text).unwrap();

    assert!(
        verify_file(&audit_path(dir.path())).unwrap().ok,
        "hashes agree"
    );
    // The MAC alone finds it, even without the mark.
    let path = audit_path(dir.path());
    let keyring = LogKeyring::for_log(store.clone(), &path);
    let trust = Trust {
        key: Ok(keyring.key().unwrap()),
        mark: Ok(None),
    };
    let b = verify_file_with(&path, &trust, None)
        .unwrap()
        .first_broken
        .unwrap();
    assert_eq!((b.problem, b.seq), (BreakKind::MacMismatch, Some(2)));
    assert!(!verify(dir.path(), &store).ok);
}

#[test]
fn an_edit_rehashed_with_the_macs_removed_is_reported_by_the_mark() {
    let dir = tempfile::tempdir().unwrap();
    let store = keyring();
    let mut entries = write(dir.path(), &store, 5);
    entries[2].detail = Some("nothing happened".into());
    let mut prev = entries[1].hash.clone();
    let mut text: String = entries[..2]
        .iter_mut()
        .map(|e| {
            let mut e = e.clone();
            rehash(&mut e) + "\n"
        })
        .collect();
    for e in entries.iter_mut().skip(2) {
        e.prev = prev;
        text += &(rehash(e) + "\n");
        prev = e.hash.clone();
    }
    std::fs::write(audit_path(dir.path()), text).unwrap();

    assert!(
        verify_file(&audit_path(dir.path())).unwrap().ok,
        "hashes agree"
    );
    let v = verify(dir.path(), &store);
    let b = v.first_broken.unwrap();
    assert_eq!((b.problem, b.seq), (BreakKind::Replaced, Some(5)));
    let detail = broken_detail(AuditLog::open_anchored(
        dir.path(),
        &operator(),
        Ok(store.clone()),
    ));
    assert!(detail.contains("entry 5"), "{detail}");
}

#[test]
fn an_old_format_log_without_macs_still_verifies_and_new_entries_vouch_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let old = AuditLog::open(dir.path(), &operator()).unwrap();
    for i in 0..3 {
        old.append(draft(&i.to_string())).unwrap();
    }
    drop(old);
    let before = std::fs::read(audit_path(dir.path())).unwrap();
    assert!(!String::from_utf8_lossy(&before).contains("\"mac\""));

    let store = keyring();
    let v = verify(dir.path(), &store);
    assert!(v.ok, "{v:?}");
    let notes = v.keyed.unwrap().notes;
    assert!(
        notes.iter().any(|n| n.starts_with("MAC not checked")),
        "{notes:?}"
    );

    // The first open with a keyring adopts the file, and later entries are keyed.
    write(dir.path(), &store, 2);
    let after = std::fs::read(audit_path(dir.path())).unwrap();
    assert_eq!(
        &after[..before.len()],
        &before[..],
        "old lines stay as they were"
    );
    let v = verify(dir.path(), &store);
    assert!(v.ok, "{v:?}");
    let k = v.keyed.unwrap();
    assert_eq!(
        (k.macs_valid, k.authenticated_through, k.last_seq),
        (2, 5, 5)
    );
}

#[test]
fn expect_finds_a_hash_in_the_chain_and_not_an_absent_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = keyring();
    let entries = write(dir.path(), &store, 3);
    let path = audit_path(dir.path());
    let trust = Trust::read(&LogKeyring::for_log(store.clone(), &path));
    let present = verify_file_with(&path, &trust, Some(&entries[1].hash.to_uppercase()))
        .unwrap()
        .expected
        .unwrap();
    assert!(present.found);
    assert_eq!(present.seq, Some(2));
    let absent = verify_file_with(&path, &trust, Some(&"ab".repeat(32)))
        .unwrap()
        .expected
        .unwrap();
    assert!(!absent.found);
    assert_eq!(absent.seq, None);
}

/// A keyring that answers nothing, like a Secret Service that went away.
struct GoneKeyring;

impl SecretStore for GoneKeyring {
    fn get(&self, _: &str) -> Result<Option<Zeroizing<String>>, SecretError> {
        Err(SecretError::Unavailable { reason: "gone" })
    }
    fn put(&self, _: &str, _: &str) -> Result<(), SecretError> {
        Err(SecretError::Unavailable { reason: "gone" })
    }
    fn remove(&self, _: &str) -> Result<(), SecretError> {
        Err(SecretError::Unavailable { reason: "gone" })
    }
    fn kind(&self) -> StoreKind {
        StoreKind::Keyring
    }
}

#[test]
fn without_a_keyring_appends_go_on_and_verify_says_mac_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn SecretStore> = Arc::new(GoneKeyring);
    let log = AuditLog::open_anchored(dir.path(), &operator(), Ok(store.clone())).unwrap();
    let e = log.append(draft("1")).unwrap();
    assert!(e.mac.is_none());
    assert!(log.unkeyed().unwrap().contains("not available"));
    let v = log.verify().unwrap();
    assert!(v.ok);
    let k = v.keyed.unwrap();
    assert!(!k.mac_checked && !k.mark_checked);
    assert!(
        k.notes
            .iter()
            .any(|n| n.starts_with("MAC not checked (keyring unavailable")),
        "{:?}",
        k.notes
    );
}

#[test]
fn accepting_a_new_log_is_explicit_and_lets_it_open_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = keyring();
    let entries = write(dir.path(), &store, 4);
    let kept: String = lines(dir.path())[..2]
        .iter()
        .map(|l| l.clone() + "\n")
        .collect();
    std::fs::write(audit_path(dir.path()), kept).unwrap();
    assert!(AuditLog::open_anchored(dir.path(), &operator(), Ok(store.clone())).is_err());

    let path = audit_path(dir.path());
    let accepted = accept_new_log(&path, &LogKeyring::for_log(store.clone(), &path)).unwrap();
    assert_eq!(accepted.previous.unwrap().seq, 4);
    assert_eq!(accepted.now.unwrap().hash, entries[1].hash);
    let log = AuditLog::open_anchored(dir.path(), &operator(), Ok(store.clone())).unwrap();
    assert_eq!(log.append(draft("x")).unwrap().seq, 3);
    drop(log);
    assert!(verify(dir.path(), &store).ok);
}

fn viewed(i: u64) -> EntryDraft {
    let mut d = EntryDraft::new(operator(), AuditAction::ViewedCustomer);
    d.customer = Some(format!("CRM-{i:04}"));
    d
}

#[test]
fn macs_and_the_mark_hold_across_segments_and_an_archive() {
    let dir = tempfile::tempdir().unwrap();
    let archive = tempfile::tempdir().unwrap();
    let store = keyring();
    let path = audit_path(dir.path());
    {
        let log = AuditLog::open_anchored(dir.path(), &operator(), Ok(store.clone())).unwrap();
        log.set_segment_bytes(1_500);
        for i in 1..=30 {
            log.append(viewed(i)).unwrap();
        }
    }
    assert!(desk::audit::closed_segments(&path).unwrap().len() >= 3);
    let trust = || Trust::read(&LogKeyring::for_log(store.clone(), &path));
    let v = verify_file_with(&path, &trust(), None).unwrap();
    assert!(v.ok, "{:?}", v.first_broken);
    let keyed = v.keyed.clone().unwrap();
    assert_eq!(keyed.macs_valid, v.entries);
    assert_eq!(keyed.authenticated_through, keyed.last_seq);

    // The mark in a closed segment (as right after a roll): the open still finds it.
    let k = LogKeyring::for_log(store.clone(), &path);
    let early = desk::audit::read_entries(&path).unwrap()[2].clone();
    k.clear_mark().unwrap();
    k.set_mark(&desk::audit::Mark {
        seq: early.seq,
        hash: early.hash.clone(),
    })
    .unwrap();
    let log = AuditLog::open_anchored(dir.path(), &operator(), Ok(store.clone())).unwrap();
    // ... and a mark naming another hash there is refused.
    drop(log);
    k.clear_mark().unwrap();
    k.set_mark(&desk::audit::Mark {
        seq: early.seq,
        hash: "ab".repeat(32),
    })
    .unwrap();
    assert!(AuditLog::open_anchored(dir.path(), &operator(), Ok(store.clone())).is_err());
    k.clear_mark().unwrap();
    k.set_mark(&desk::audit::Mark {
        seq: early.seq,
        hash: early.hash.clone(),
    })
    .unwrap();

    // Archived: the mark now lies in an archived segment, the record vouches for it, and the
    // archive's MACs check with the live log's key.
    let log = AuditLog::open_anchored(dir.path(), &operator(), Ok(store.clone())).unwrap();
    let report = log.archive(&operator(), "9999", archive.path()).unwrap();
    assert!(report.segments.iter().any(|l| l.first_seq <= early.seq));
    k.clear_mark().unwrap();
    k.set_mark(&desk::audit::Mark {
        seq: early.seq,
        hash: early.hash.clone(),
    })
    .unwrap();
    drop(log);
    let log = AuditLog::open_anchored(dir.path(), &operator(), Ok(store.clone())).unwrap();
    log.append(viewed(99)).unwrap();
    log.sync_mark();
    drop(log);
    let v = verify_file_with(&path, &trust(), None).unwrap();
    assert!(v.ok, "{:?}", v.first_broken);
    let check = desk::audit::verify_archive(&path, archive.path(), trust()).unwrap();
    assert!(check.ok, "{check:?}");
}
