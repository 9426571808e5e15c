//! The secret stores. `MemoryStore` always; `KeyringStore` against a real Secret Service when
//! `CARDDESK_KEYRING=1` (scripts/test.sh runs the suite inside `dbus-run-session` with an
//! unlocked gnome-keyring), cross-checked with `secret-tool`. The "no Secret Service" and
//! "locked keyring" cases run in child processes, because keyring 4 picks its store once per
//! process.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use desk::ErrorCode;
use desk::cache::{CARDS, Cache};
use desk::secrets::{
    APP_SERVICE, CACHE_KEY_ACCOUNT, KeyringStore, MemoryStore, SecretError, SecretStore, StoreKind,
    choose_store, get_async, load_profile_password, profile_account, put_async, remove_async,
    save_profile_password,
};
use zeroize::Zeroizing;

const CHILD: &str = "CARDDESK_KEYRING_CHILD";

fn keyring_enabled() -> bool {
    if std::env::var("CARDDESK_KEYRING").as_deref() == Ok("1") {
        true
    } else {
        eprintln!("not run: set CARDDESK_KEYRING=1 inside dbus-run-session with gnome-keyring");
        false
    }
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4())
}

/// `secret-tool lookup service <service> username <account>`: the value, or `None`.
fn secret_tool_lookup(service: &str, account: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", service, "username", account])
        .output()
        .expect("secret-tool (libsecret-tools) is installed");
    (out.status.success() && !out.stdout.is_empty()).then(|| String::from_utf8(out.stdout).unwrap())
}

fn exercise(store: &dyn SecretStore, account: &str) {
    assert_eq!(store.get(account).unwrap(), None, "missing is None");
    store.put(account, "first-Secret-1").unwrap();
    assert_eq!(
        store.get(account).unwrap().unwrap().as_str(),
        "first-Secret-1"
    );
    store.put(account, "second-Secret-2").unwrap();
    assert_eq!(
        store.get(account).unwrap().unwrap().as_str(),
        "second-Secret-2"
    );
    store.remove(account).unwrap();
    assert_eq!(store.get(account).unwrap(), None);
    store.remove(account).unwrap(); // missing is Ok
}

#[test]
fn memory_store_put_get_replace_remove() {
    let store = MemoryStore::new();
    assert_eq!(store.kind(), StoreKind::Memory);
    exercise(&store, "profile:1");
    store.put("profile:1", "a").unwrap();
    store.put("profile:2", "b").unwrap();
    assert_eq!(store.get("profile:2").unwrap().unwrap().as_str(), "b");
    let shown = format!("{store:?}");
    assert_eq!(shown, "MemoryStore { entries: 2 }");
}

#[test]
fn profile_passwords_are_validated_and_never_shown() {
    let store = MemoryStore::new();
    assert_eq!(profile_account("abc"), "profile:abc");
    save_profile_password(&store, "abc", "Canary-Pw-7Q2x").unwrap();
    assert_eq!(
        store.get("profile:abc").unwrap().unwrap().as_str(),
        "Canary-Pw-7Q2x"
    );
    let pw = load_profile_password(&store, "abc").unwrap().unwrap();
    assert_eq!(format!("{pw:?}"), "<redacted>");
    assert!(load_profile_password(&store, "nobody").unwrap().is_none());

    let long = "Canary-Pw-7Q2x-Canary-Pw-7Q2x-Canary";
    let err = save_profile_password(&store, "abc", long).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(err.message, "password: must be 1–30 characters");
    assert!(!format!("{err:?}").contains("Canary"));
    assert_eq!(
        store.get("profile:abc").unwrap().unwrap().as_str(),
        "Canary-Pw-7Q2x"
    );
}

#[test]
fn secret_errors_map_to_codes_with_fixed_reasons() {
    let e = SecretError::Unavailable {
        reason: "no Secret Service (D-Bus) is running",
    };
    assert_eq!(
        e.to_string(),
        "the system keyring is not available: no Secret Service (D-Bus) is running"
    );
    assert_eq!(
        desk::DeskError::from(e).code,
        ErrorCode::SecretStoreUnavailable
    );
    let e = SecretError::Refused {
        reason: "the stored secret is malformed",
    };
    assert_eq!(desk::DeskError::from(e).code, ErrorCode::Internal);
    let json = serde_json::to_value(desk::DeskError::from(SecretError::Unavailable {
        reason: "x",
    }))
    .unwrap();
    assert_eq!(json["code"], "secret_store_unavailable");
}

#[tokio::test]
async fn async_wrappers_run_off_the_executor() {
    let store: Arc<dyn SecretStore> = Arc::new(MemoryStore::new());
    put_async(
        store.clone(),
        "cache-key".into(),
        Zeroizing::new("k".into()),
    )
    .await
    .unwrap();
    let got = get_async(store.clone(), "cache-key".into()).await.unwrap();
    assert_eq!(got.unwrap().as_str(), "k");
    remove_async(store.clone(), "cache-key".into())
        .await
        .unwrap();
    assert!(
        get_async(store, "cache-key".into())
            .await
            .unwrap()
            .is_none()
    );
}

#[test]
fn keyring_store_in_a_real_secret_service() {
    if !keyring_enabled() {
        return;
    }
    let store = KeyringStore::app();
    assert_eq!(store.kind(), StoreKind::Keyring);
    store.probe().unwrap();
    let account = profile_account(&unique("test"));

    assert_eq!(store.get(&account).unwrap(), None);
    assert_eq!(secret_tool_lookup(APP_SERVICE, &account), None);
    store.put(&account, "first-Secret-1").unwrap();
    assert_eq!(
        store.get(&account).unwrap().unwrap().as_str(),
        "first-Secret-1"
    );
    assert_eq!(
        secret_tool_lookup(APP_SERVICE, &account).as_deref(),
        Some("first-Secret-1")
    );
    // A new store object reads what the first wrote: it is in the service, not the object.
    let again = KeyringStore::new(APP_SERVICE);
    assert_eq!(
        again.get(&account).unwrap().unwrap().as_str(),
        "first-Secret-1"
    );

    store.put(&account, "second-Secret-2").unwrap();
    assert_eq!(
        store.get(&account).unwrap().unwrap().as_str(),
        "second-Secret-2"
    );
    assert_eq!(
        secret_tool_lookup(APP_SERVICE, &account).as_deref(),
        Some("second-Secret-2")
    );

    store.remove(&account).unwrap();
    assert_eq!(store.get(&account).unwrap(), None);
    assert_eq!(secret_tool_lookup(APP_SERVICE, &account), None);
    store.remove(&account).unwrap();

    let chosen = choose_store(APP_SERVICE);
    assert_eq!(chosen.store.kind(), StoreKind::Keyring);
    assert!(chosen.fallback_reason.is_none());
}

#[test]
fn the_cache_key_lives_in_the_secret_service() {
    if !keyring_enabled() {
        return;
    }
    // A service of its own, so a developer's real cache key is never replaced.
    let service = unique("ru.carddesk.app.test");
    let store = KeyringStore::new(service.clone());
    let tmp = tempfile::tempdir().unwrap();
    let cache = Cache::open(&tmp.path().join("cache.sled"), &store).unwrap();
    cache.put(CARDS, "p", "1234", &vec![1, 2, 3]).unwrap();
    drop(cache);
    let hex = secret_tool_lookup(&service, CACHE_KEY_ACCOUNT).expect("cache key stored");
    assert_eq!(hex.len(), 64);
    let cache = Cache::open(
        &tmp.path().join("cache.sled"),
        &KeyringStore::new(service.clone()),
    )
    .unwrap();
    assert!(cache.key_matches_data());
    assert_eq!(
        cache
            .get::<Vec<i32>>(CARDS, "p", "1234")
            .unwrap()
            .unwrap()
            .value,
        [1, 2, 3]
    );
    store.remove(CACHE_KEY_ACCOUNT).unwrap();
    assert_eq!(secret_tool_lookup(&service, CACHE_KEY_ACCOUNT), None);
}

/// Runs this test binary again with only `test` selected, under `wrapper` if given.
fn run_child(test: &str, wrapper: &[&str], envs: &[(&str, &std::ffi::OsStr)]) -> Output {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = match wrapper.split_first() {
        Some((program, args)) => {
            let mut c = Command::new(program);
            c.args(args).arg(&exe);
            c
        }
        None => Command::new(&exe),
    };
    cmd.args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD, test)
        .env_remove("CARDDESK_KEYRING")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("child test {test} hung");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    // libtest may print "test name ... " on the same line before the child's own output.
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Some(at) = line.find("child: ") {
            println!("{}", &line[at..]);
        }
    }
    assert!(
        out.status.success(),
        "child {test} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn is_child(test: &str) -> bool {
    std::env::var(CHILD).as_deref() == Ok(test)
}

#[test]
fn without_a_secret_service_the_keyring_is_unavailable() {
    let out = run_child(
        "child_without_secret_service",
        &[],
        &[(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/carddesk/bus".as_ref(),
        )],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("CHILD-OK"));
}

#[test]
fn child_without_secret_service() {
    if !is_child("child_without_secret_service") {
        return;
    }
    let store = KeyringStore::app();
    let unavailable = SecretError::Unavailable {
        reason: "no Secret Service (D-Bus) is running",
    };
    assert_eq!(store.get("profile:x").unwrap_err(), unavailable);
    assert_eq!(
        store.put("profile:x", "Canary-Pw").unwrap_err(),
        unavailable
    );
    assert_eq!(store.remove("profile:x").unwrap_err(), unavailable);
    assert_eq!(store.probe().unwrap_err(), unavailable);
    println!("child: no Secret Service: {unavailable}");
    let chosen = choose_store(APP_SERVICE);
    assert_eq!(chosen.store.kind(), StoreKind::Memory);
    assert_eq!(chosen.fallback_reason, Some(unavailable));
    assert!(!format!("{chosen:?}").contains("Canary"));
    // The fallback works for the session.
    chosen.store.put("profile:x", "s").unwrap();
    assert_eq!(
        chosen.store.get("profile:x").unwrap().unwrap().as_str(),
        "s"
    );
    println!("CHILD-OK");
}

#[test]
fn a_locked_keyring_is_unavailable() {
    if !keyring_enabled() {
        return;
    }
    // A fresh session bus whose gnome-keyring (auto-activated) was never unlocked: there is no
    // login collection and no prompter to create one.
    let tmp = tempfile::tempdir().unwrap();
    let (data, runtime) = (tmp.path().join("data"), tmp.path().join("run"));
    std::fs::create_dir_all(&data).unwrap();
    std::fs::create_dir_all(&runtime).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let out = run_child(
        "child_with_a_locked_keyring",
        &["dbus-run-session", "--"],
        &[
            ("XDG_DATA_HOME", data.as_os_str()),
            ("XDG_RUNTIME_DIR", runtime.as_os_str()),
        ],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("CHILD-OK"));
}

#[test]
fn child_with_a_locked_keyring() {
    if !is_child("child_with_a_locked_keyring") {
        return;
    }
    let store = KeyringStore::app();
    let err = store.probe().unwrap_err();
    assert!(matches!(err, SecretError::Unavailable { .. }), "{err:?}");
    println!("child: locked keyring: {err}");
    let chosen = choose_store(APP_SERVICE);
    assert_eq!(chosen.store.kind(), StoreKind::Memory);
    println!("CHILD-OK");
}
