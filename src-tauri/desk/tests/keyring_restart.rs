//! The keyring goes away mid-session and comes back (issue 22, item 2): gnome-keyring is
//! stopped while the desk runs, and started again. Meanwhile the desk says a profile's
//! password status is unknown — never "no password" — and no call hangs; once the daemon is
//! back, the very next call works (the Secret Service connection is renewed), with no
//! restart. Runs with `CARDDESK_KEYRING=1` inside a private `dbus-run-session` whose
//! gnome-keyring was unlocked with [`UNLOCK`] (scripts/test.sh, /tmp/insession22.sh): it
//! stops that session's daemon, found by its D-Bus name, and starts a new one.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use assist_sandbox::{Sandbox, SandboxConfig};
use desk::profiles::ProfileDraft;
use desk::secrets::{ChosenStore, KeyringStore};
use desk::{Desk, DeskConfig, Verdict};

/// The password the test session's keyring was unlocked with.
const UNLOCK: &str = "keyring-unlock-for-tests";
const CHILD: &str = "CARDDESK_KEYRING_RESTART_CHILD";

/// The pid owning `org.freedesktop.secrets` on the session bus, if any.
fn keyring_pid() -> Option<i32> {
    let out = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.GetConnectionUnixProcessID",
            "string:org.freedesktop.secrets",
        ])
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .skip_while(|w| *w != "uint32")
        .nth(1)?
        .parse()
        .ok()
}

fn stop_keyring() {
    let pid = keyring_pid().expect("a gnome-keyring owns org.freedesktop.secrets");
    let signal = |sig: &str| {
        Command::new("kill")
            .args([sig, &pid.to_string()])
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success()
    };
    assert!(signal("-TERM"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while signal("-0") {
        assert!(
            Instant::now() < deadline,
            "gnome-keyring {pid} did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn start_keyring() {
    // --replace: D-Bus may have activated a (locked) daemon meanwhile.
    let mut child = Command::new("gnome-keyring-daemon")
        .args(["--replace", "--unlock", "--components=secrets"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(UNLOCK.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(10);
    while keyring_pid().is_none() {
        assert!(Instant::now() < deadline, "gnome-keyring did not come back");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_keyring_stopped_and_started_again_password_status_unknown_then_works_at_once() {
    if std::env::var(CHILD).is_err() {
        if std::env::var("CARDDESK_KEYRING").as_deref() != Ok("1") {
            eprintln!("not run: set CARDDESK_KEYRING=1 inside dbus-run-session with gnome-keyring");
            return;
        }
        // Run in a child with a short keyring timeout (the environment is set only at spawn).
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "--nocapture"])
            .arg("the_keyring_stopped_and_started_again_password_status_unknown_then_works_at_once")
            .env(CHILD, "1")
            .env("CARDDESK_KEYRING_TIMEOUT_MS", "3000")
            .output()
            .unwrap();
        println!("{}", String::from_utf8_lossy(&out.stdout));
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "the child run failed");
        return;
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let service = format!("ru.carddesk.test.restart-{}", uuid::Uuid::new_v4());
        let desk = Desk::open(DeskConfig {
            config_dir: dir.path().join("config"),
            data_dir: dir.path().join("data"),
            sandbox_url: Some(sandbox.url()),
            secrets: ChosenStore {
                store: Arc::new(KeyringStore::new(service)),
                fallback_reason: None,
            },
        })
        .unwrap();
        let draft = ProfileDraft {
            name: "Shop test".into(),
            environment: "test".into(),
            base_url: sandbox.url(),
            merchant_id: "452739".into(),
            login: "LOGIN".into(),
            language: "EN".into(),
            colour: "#336699".into(),
        };
        let view = desk
            .save_profile(None, &draft, Some("PASSWORD".into()))
            .await
            .unwrap();
        assert!(view.has_password);

        stop_keyring();
        let asked = Instant::now();
        let status = desk.status().await.unwrap();
        let p = status.profiles.iter().find(|p| p.id == view.id).unwrap();
        println!(
            "child: keyring gone: has_password={} password_unknown={} in {:?}",
            p.has_password,
            p.password_unknown,
            asked.elapsed()
        );
        assert!(
            p.password_unknown && !p.has_password,
            "unknown, not \"no password\""
        );
        assert!(
            asked.elapsed() < Duration::from_secs(15),
            "bounded by the keyring timeout"
        );
        let check = desk.test_connection(&view.id).await;
        assert!(
            check.as_ref().map_or(true, |c| c.verdict != Verdict::Ok),
            "{check:?}"
        );

        start_keyring();
        let back = Instant::now();
        let status = desk.status().await.unwrap();
        let p = status.profiles.iter().find(|p| p.id == view.id).unwrap();
        assert!(
            p.has_password && !p.password_unknown,
            "the stored password is found again"
        );
        // "Retry": the connection test reads the password from the keyring and works.
        let check = desk.test_connection(&view.id).await.unwrap();
        assert_eq!(check.verdict, Verdict::Ok, "{}", check.message);
        println!("child: keyring back: works after {:?}", back.elapsed());
        assert!(
            back.elapsed() < Duration::from_secs(5),
            "at once, no retry loop"
        );
        desk.delete_profile(&view.id).await.unwrap();
    });
}
