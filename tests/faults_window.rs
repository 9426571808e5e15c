//! Faults in the environment, in the real window (issue 22): the app started over a damaged
//! profiles file and an audit log cut in the middle shows a banner for each and keeps working
//! on the built-in sandbox; a second copy started from another D-Bus session on the same data
//! dir says so in a native dialog at once (no panic, no blank window). Runs when
//! CARDDESK_E2E=1, inside Xvfb and a D-Bus session with an unlocked gnome-keyring.
#![allow(clippy::unwrap_used)]

mod webdriver;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use desk::audit::{
    AuditAction, AuditLog, AuditOutcome, EntryDraft, Operator, ProfileRef, audit_path,
};
use desk::{Environment, NoticeKind};
use serde_json::json;
use webdriver::Session;

const WAIT: Duration = Duration::from_secs(20);
/// One window at a time: the app is single-instance within a session.
static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn app() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_card-desk"))
}

fn var<'a>(env: &'a [(&'static str, String)], name: &str) -> &'a Path {
    Path::new(&env.iter().find(|(k, _)| *k == name).unwrap().1)
}

/// Four entries — a view, an intent, its outcome, a view — with line 3 (the outcome) cut in
/// half, as a bad sector or a careless edit leaves it.
fn damaged_log(data_dir: &Path) {
    let profile = ProfileRef {
        id: "sandbox".into(),
        name: "Sandbox".into(),
        environment: Environment::Sandbox,
        merchant_id: "452739".into(),
    };
    let op = Operator::from_env(None);
    let log = AuditLog::open(data_dir, &op).unwrap();
    let mut view = EntryDraft::new(op.clone(), AuditAction::ViewedCustomer);
    view.profile = Some(profile.clone());
    view.customer = Some("1234".into());
    log.append(view.clone()).unwrap();
    let mut intent = EntryDraft::new(op.clone(), AuditAction::RevokeIntent);
    intent.profile = Some(profile.clone());
    intent.customer = Some("1234".into());
    intent.token_fingerprint = Some("000000000000".into());
    let intent = log.append(intent).unwrap();
    let mut outcome = EntryDraft::new(op.clone(), AuditAction::RevokeOutcome);
    outcome.profile = Some(profile);
    outcome.customer = Some("1234".into());
    outcome.token_fingerprint = Some("000000000000".into());
    outcome.outcome = Some(AuditOutcome::Removed);
    outcome.intent_seq = Some(intent.seq);
    log.append(outcome).unwrap();
    log.append(view).unwrap();
    drop(log);
    let path = audit_path(data_dir);
    let mut bytes = std::fs::read(&path).unwrap();
    let ends: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let (start, end) = (ends[1] + 1, ends[2]);
    bytes.drain(start + (end - start) / 2..end);
    std::fs::write(&path, bytes).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_profiles_file_and_a_cut_audit_line_show_banners_and_the_app_works_on() {
    if !webdriver::enabled("faults_window") {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let env = webdriver::fresh_dirs("faults_window");
    let config = var(&env, "XDG_CONFIG_HOME").join("ru.carddesk.app");
    let data = var(&env, "XDG_DATA_HOME").join("ru.carddesk.app");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("profiles.json"),
        b"{\"version\":1,\"profiles\":[{\"id\":\x00\x00 garbage",
    )
    .unwrap();
    damaged_log(&data);

    let mut vars: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    vars.push(("CARDDESK_SANDBOX_TOKEN", webdriver::SANDBOX_TOKEN));
    vars.push(("CARDDESK_SETTLE_GRACE_MS", "0"));
    let s = Session::start(&app(), &vars).await;
    let out = webdriver::out_dir();
    s.wait_text("[data-testid=env-banner]", "452739", WAIT)
        .await;
    s.click_text("[data-testid=lang-en]", "EN", WAIT).await;

    // Item 1: started (no panic), on the built-in sandbox, the saved copy named.
    let profiles = s
        .wait_text(
            "[data-testid=notice-profiles_set_aside]",
            "profiles.json.broken-",
            WAIT,
        )
        .await;
    assert!(
        profiles.contains("Your profiles file was damaged and has been set aside")
            && profiles.contains("passwords are still in the system keyring"),
        "{profiles}"
    );
    let saved: Vec<_> = std::fs::read_dir(&config)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("profiles.json.broken-"))
        .collect();
    assert_eq!(saved.len(), 1, "the damaged file is kept");
    assert!(profiles.contains(&saved[0]), "{profiles}");

    // Item 7: the broken chain is announced at start, not only by Verify.
    let audit = s
        .wait_text(
            "[data-testid=notice-audit_chain_broken]",
            "The audit log is damaged at line 3",
            WAIT,
        )
        .await;
    assert!(audit.contains("line 3 is not an audit entry"), "{audit}");
    s.screenshot(&out.join("faults-01-banners.png")).await;
    s.click_text("[data-testid=lang-ru]", "RU", WAIT).await;
    s.wait_text(
        "[data-testid=notice-audit_chain_broken]",
        "Журнал аудита повреждён в строке 3",
        WAIT,
    )
    .await;
    s.screenshot(&out.join("faults-02-banners-ru.png")).await;
    s.click_text("[data-testid=lang-en]", "EN", WAIT).await;

    // The status carries both notices; the app works: a lookup on the sandbox.
    let status = s.invoke("desk_status", json!({})).await;
    let kinds: Vec<String> = status["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        kinds.contains(&"profiles_set_aside".to_owned()),
        "{kinds:?}"
    );
    assert_eq!(
        serde_json::to_value(NoticeKind::AuditChainBroken).unwrap(),
        json!("audit_chain_broken")
    );
    s.click(&s.find("nav .nav-item", WAIT).await).await;
    s.type_into(&s.find("#customer", WAIT).await, "1234").await;
    s.click(&s.find("form.search button[type=submit]", WAIT).await)
        .await;
    s.wait_text("[data-testid=card-count]", "3 saved cards", WAIT)
        .await;

    // Recovery settled intent 2, whose outcome was the damaged line — and says so.
    let deadline = Instant::now() + WAIT;
    let detail = loop {
        let page = s
            .invoke(
                "audit_query",
                json!({"query": {"action": "recovered_outcome", "offset": 0, "limit": 10}}),
            )
            .await;
        if let Some(e) = page["entries"].as_array().and_then(|a| a.first()) {
            break e["detail"].as_str().unwrap().to_owned();
        }
        assert!(Instant::now() < deadline, "recovery never settled intent 2");
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert!(
        detail.contains("damaged at line 3") && detail.contains("may have been written there"),
        "{detail}"
    );
    // Dismissed, a banner goes away.
    let dismiss = s
        .find(
            "[data-testid=notice-profiles_set_aside] button.icon-button",
            WAIT,
        )
        .await;
    s.click(&dismiss).await;
    let gone = s
        .execute(
            "return document.querySelector('[data-testid=notice-profiles_set_aside]') === null",
            json!([]),
        )
        .await;
    assert_eq!(gone, json!(true));
    s.close().await;
}

/// A private D-Bus session bus (no keyring on it): another login's session, as far as the
/// app can tell. Killed on drop.
struct OtherSession {
    daemon: u32,
    address: String,
}

impl OtherSession {
    fn start() -> OtherSession {
        let out = Command::new("dbus-daemon")
            .args(["--session", "--fork", "--print-address=1", "--print-pid=1"])
            .stderr(Stdio::null())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut lines = text.lines();
        let address = lines.next().unwrap().trim().to_owned();
        let daemon = lines.next().unwrap().trim().parse().unwrap();
        OtherSession { daemon, address }
    }
}

impl Drop for OtherSession {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.daemon.to_string()).status();
    }
}

/// Titles of the top-level X windows.
fn window_titles() -> String {
    Command::new("xwininfo")
        .args(["-root", "-tree"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_copy_from_another_session_says_so_in_a_dialog_at_once() {
    if !webdriver::enabled("faults_window") {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let env = webdriver::fresh_dirs("second_copy");
    let mut vars: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    vars.push(("CARDDESK_SANDBOX_TOKEN", webdriver::SANDBOX_TOKEN));
    let s = Session::start(&app(), &vars).await;
    s.wait_text("[data-testid=env-banner]", "452739", WAIT)
        .await;

    // The same data dir from another D-Bus session, where no keyring answers.
    let other = OtherSession::start();
    let log = std::env::temp_dir().join(format!("carddesk-second-{}.log", std::process::id()));
    let mut second = Command::new(app());
    for (k, v) in &env {
        second.env(k, v);
    }
    let started = Instant::now();
    let mut child = second
        .env("DBUS_SESSION_BUS_ADDRESS", &other.address)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let deadline = started + Duration::from_secs(15);
    loop {
        if window_titles().contains("Card Desk could not start") {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the second copy exited ({status}) without a dialog: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        assert!(
            Instant::now() < deadline,
            "no dialog within 15 s: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let shown_after = started.elapsed();
    let stderr = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        stderr.contains("already running with this data directory"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    println!("the second copy's dialog showed after {shown_after:?}");
    // The whole screen (the dialog is not the webview's): ImageMagick's import, if present.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let _ = Command::new("import")
        .args(["-window", "root"])
        .arg(webdriver::out_dir().join("faults-03-second-copy.png"))
        .status();
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_file(&log);
    // The first copy is unharmed.
    s.wait_text("[data-testid=env-banner]", "452739", WAIT)
        .await;
    s.close().await;
}
