//! Faults in the environment (issue 22) that the desk must survive and say: a damaged
//! profiles file, a cache entry from the future, damage in the middle of the audit log, a
//! cache database cut short or written under a key the keyring no longer holds. Each test
//! makes the fault on disk, opens the desk as the app does, and checks the notice the UI shows
//! and the recovery.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::sync::Arc;

use assist_sandbox::{Sandbox, SandboxConfig};
use desk::audit::{
    AuditAction, AuditLog, AuditOutcome, EntryDraft, Operator, ProfileRef, audit_path,
};
use desk::cache::{CACHE_DIR_NAME, Cache};
use desk::profiles::{PROFILES_FILE, ProfileDraft};
use desk::secrets::{CACHE_KEY_ACCOUNT, MemoryStore, SecretStore, profile_account};
use desk::{Desk, Environment, NoticeKind, Source};

struct Dirs {
    _tmp: tempfile::TempDir,
    config: std::path::PathBuf,
    data: std::path::PathBuf,
}

fn dirs() -> Dirs {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("config");
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    Dirs {
        _tmp: tmp,
        config,
        data,
    }
}

fn open(d: &Dirs, store: &Arc<MemoryStore>, sandbox: &Sandbox) -> Desk {
    common::desk_at(d._tmp.path(), sandbox, store.clone())
}

fn draft(sandbox: &Sandbox) -> ProfileDraft {
    ProfileDraft {
        name: "Shop test".into(),
        environment: "test".into(),
        base_url: sandbox.url(),
        merchant_id: "452739".into(),
        login: "LOGIN".into(),
        language: "EN".into(),
        colour: "#336699".into(),
    }
}

#[tokio::test]
async fn a_damaged_profiles_file_is_set_aside_and_the_desk_starts_on_the_sandbox() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let d = dirs();
    let store = Arc::new(MemoryStore::new());
    let id = {
        let desk = open(&d, &store, &sandbox);
        let view = desk
            .save_profile(None, &draft(&sandbox), Some("PASSWORD".into()))
            .await
            .unwrap();
        desk.activate(&view.id).unwrap();
        view.id
    };
    // Garbage in the middle of the file, as a bad disk or an editor leaves it.
    let path = d.config.join(PROFILES_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    let damaged = text.replacen("\"settings\"", "\u{0}\u{0}garbage{{{", 1);
    std::fs::write(&path, &damaged).unwrap();

    let desk = open(&d, &store, &sandbox);
    let status = desk.status().await.unwrap();
    assert_eq!(status.active_profile_id, "sandbox");
    assert_eq!(status.profiles.len(), 1, "only the built-in sandbox");
    let notice = status
        .notices
        .iter()
        .find(|n| n.kind == NoticeKind::ProfilesSetAside)
        .expect("a notice names the saved copy");
    let saved = Path::new(&notice.params["saved"]);
    assert!(
        saved
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("profiles.json.broken-"),
        "{saved:?}"
    );
    assert_eq!(
        std::fs::read_to_string(saved).unwrap(),
        damaged,
        "kept as it was"
    );
    assert!(!path.exists(), "the damaged file is no longer in the way");

    // The password is still in the keyring: re-adding the profile finds it.
    assert!(store.get(&profile_account(&id)).unwrap().is_some());
    let again = desk
        .save_profile(None, &draft(&sandbox), None)
        .await
        .unwrap();
    assert_eq!(again.id, id, "the old id comes back");
    assert!(again.has_password && !again.password_unknown);
    desk.activate(&again.id).unwrap();
    let found = desk.lookup("1234", false).await.unwrap();
    assert_eq!(found.cards.len(), 3);

    // Saved anew: the next start has no notice.
    drop(desk);
    let desk = open(&d, &store, &sandbox);
    assert!(desk.notices().is_empty(), "{:?}", desk.notices());
}

#[tokio::test]
async fn a_cache_entry_from_the_future_is_stale_and_the_gateway_is_asked() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let d = dirs();
    let store = Arc::new(MemoryStore::new());
    drop(open(&d, &store, &sandbox));
    // Fetched while the clock ran a year ahead: one card the gateway no longer lists.
    {
        let cache = Cache::open(&d.data.join(CACHE_DIR_NAME), store.as_ref()).unwrap();
        let desk_cards = serde_json::json!([]);
        let year = 365 * 24 * 3600 * 1000;
        cache
            .put_at(
                "cards",
                "sandbox",
                "1234",
                &desk_cards,
                desk::cache::now_ms() + year,
            )
            .unwrap();
        cache.flush().unwrap();
    }
    let desk = open(&d, &store, &sandbox);
    let seen = sandbox.requests_seen();
    let found = desk.lookup("1234", false).await.unwrap();
    assert_eq!(found.source, Source::Live, "not shown from the cache");
    assert_eq!(found.cards.len(), 3);
    assert_eq!(sandbox.requests_seen(), seen + 1, "the gateway was asked");
    // A little skew (a clock corrected by a minute) still counts as fresh.
    let again = desk.lookup("1234", false).await.unwrap();
    assert_eq!(again.source, Source::Cache);
}

fn profile() -> ProfileRef {
    ProfileRef {
        id: "sandbox".into(),
        name: "Sandbox".into(),
        environment: Environment::Sandbox,
        merchant_id: "452739".into(),
    }
}

/// A log of four entries: a view, an intent for a card the sandbox does not list, its
/// outcome, a view. Returns the byte range of line 3 (the outcome).
fn log_with_an_outcome(data: &Path) -> std::ops::Range<usize> {
    let log = AuditLog::open(data, &Operator::from_env(None)).unwrap();
    let mut view = EntryDraft::new(Operator::from_env(None), AuditAction::ViewedCustomer);
    view.profile = Some(profile());
    view.customer = Some("1234".into());
    log.append(view.clone()).unwrap();
    let mut intent = EntryDraft::new(Operator::from_env(None), AuditAction::RevokeIntent);
    intent.profile = Some(profile());
    intent.customer = Some("1234".into());
    intent.token_fingerprint = Some("000000000000".into());
    let intent = log.append(intent).unwrap();
    let mut outcome = EntryDraft::new(Operator::from_env(None), AuditAction::RevokeOutcome);
    outcome.profile = Some(profile());
    outcome.customer = Some("1234".into());
    outcome.token_fingerprint = Some("000000000000".into());
    outcome.outcome = Some(AuditOutcome::Removed);
    outcome.intent_seq = Some(intent.seq);
    log.append(outcome).unwrap();
    log.append(view).unwrap();
    drop(log);
    let bytes = std::fs::read(audit_path(data)).unwrap();
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    starts[2]..starts[3]
}

#[tokio::test]
async fn damage_in_the_middle_of_the_audit_log_is_announced_at_open_and_recovery_says_so() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let d = dirs();
    let store = Arc::new(MemoryStore::new());
    let line3 = log_with_an_outcome(&d.data);
    // Line 3 cut mid-line: its second half is gone, the lines after it are whole.
    let path = audit_path(&d.data);
    let mut bytes = std::fs::read(&path).unwrap();
    let cut = line3.start + (line3.end - line3.start) / 2;
    bytes.drain(cut..line3.end - 1);
    std::fs::write(&path, &bytes).unwrap();

    let desk = open(&d, &store, &sandbox);
    let status = desk.status().await.unwrap();
    assert!(status.audit_problem.is_none(), "the log is still usable");
    let notice = status
        .notices
        .iter()
        .find(|n| n.kind == NoticeKind::AuditChainBroken)
        .expect("the broken chain is announced at open");
    assert_eq!(notice.params["line"], "3");
    assert!(
        notice.params["problem"].contains("line 3"),
        "{:?}",
        notice.params
    );

    // Recovery finds intent 2 open (its outcome was the damaged line): it settles it by a
    // re-check, and its entry says the outcome may have been in the damaged line.
    let recovery = desk.recover_open_intents().await.unwrap();
    assert_eq!(recovery.recovered.len(), 1, "{recovery:?}");
    let entry = &recovery.recovered[0];
    assert_eq!(entry.intent_seq, Some(2));
    let detail = entry.detail.as_deref().unwrap();
    assert!(
        detail.contains("damaged at line 3") && detail.contains("may have been written there"),
        "{detail}"
    );
    // Verify still names the break.
    let v = desk.audit_verify().await.unwrap();
    assert_eq!(v.first_broken.unwrap().line, 3);
}

/// The app opens without the chain check and runs it after its window is up: until then the
/// status says `checking` (the window looks again); then the break is a notice as before.
#[tokio::test]
async fn the_chain_check_deferred_by_the_app_still_announces_damage() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let d = dirs();
    let store = Arc::new(MemoryStore::new());
    let line3 = log_with_an_outcome(&d.data);
    let path = audit_path(&d.data);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.drain(line3.start + 4..line3.end - 1);
    std::fs::write(&path, &bytes).unwrap();

    let desk =
        Desk::open_unchecked(common::config_at(d._tmp.path(), &sandbox, store.clone())).unwrap();
    let before = desk.status().await.unwrap();
    assert!(before.checking && before.notices.is_empty(), "{before:?}");
    desk.check_audit_chain();
    let after = desk.status().await.unwrap();
    assert!(!after.checking);
    let kinds: Vec<_> = after.notices.iter().map(|n| n.kind).collect();
    assert_eq!(kinds, [NoticeKind::AuditChainBroken]);
    assert_eq!(after.notices[0].params["line"], "3");
}

#[tokio::test]
async fn an_intact_log_gives_no_notice_and_recovery_adds_no_damage_note() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let d = dirs();
    let store = Arc::new(MemoryStore::new());
    let log = AuditLog::open(&d.data, &Operator::from_env(None)).unwrap();
    let mut intent = EntryDraft::new(Operator::from_env(None), AuditAction::RevokeIntent);
    intent.profile = Some(profile());
    intent.customer = Some("1234".into());
    intent.token_fingerprint = Some("000000000000".into());
    log.append(intent).unwrap();
    drop(log);
    let desk = open(&d, &store, &sandbox);
    assert!(desk.notices().is_empty(), "{:?}", desk.notices());
    let recovery = desk.recover_open_intents().await.unwrap();
    let detail = recovery.recovered[0].detail.clone().unwrap();
    assert!(!detail.contains("damaged"), "{detail}");
}

#[tokio::test]
async fn a_cache_cut_short_on_disk_is_rebuilt_and_said_once() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let d = dirs();
    let store = Arc::new(MemoryStore::new());
    {
        let desk = open(&d, &store, &sandbox);
        for c in ["1234", "100025", "100700", "100000"] {
            desk.lookup(c, false).await.unwrap();
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    let db = d.data.join(CACHE_DIR_NAME).join("db");
    let len = std::fs::metadata(&db).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .unwrap()
        .set_len(len / 2)
        .unwrap();

    let desk = open(&d, &store, &sandbox);
    let kinds: Vec<_> = desk.notices().iter().map(|n| n.kind).collect();
    assert_eq!(kinds, [NoticeKind::CacheDamaged]);
    assert!(desk.recent("").unwrap().is_empty(), "rebuilt empty");
    let found = desk.lookup("1234", false).await.unwrap();
    assert_eq!(found.source, Source::Live);
    drop(desk);
    std::thread::sleep(std::time::Duration::from_millis(200));
    // Said once: the next start is quiet.
    let desk = open(&d, &store, &sandbox);
    assert!(desk.notices().is_empty(), "{:?}", desk.notices());
}

#[tokio::test]
async fn a_cache_whose_key_is_gone_from_the_keyring_is_rebuilt_and_said_once() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let d = dirs();
    let store = Arc::new(MemoryStore::new());
    {
        let desk = open(&d, &store, &sandbox);
        desk.lookup("1234", false).await.unwrap();
    }
    store.remove(CACHE_KEY_ACCOUNT).unwrap();
    let desk = open(&d, &store, &sandbox);
    let kinds: Vec<_> = desk.notices().iter().map(|n| n.kind).collect();
    assert_eq!(kinds, [NoticeKind::CacheKeyChanged]);
    drop(desk);
    let desk = open(&d, &store, &sandbox);
    assert!(desk.notices().is_empty(), "{:?}", desk.notices());
}
