//! End to end, in the real window (WebKitGTK under Xvfb, tauri-driver, a real Secret Service):
//! a second start paints the first view the first start kept (src-tauri/src/first_frame.rs)
//! before the page's script runs, and the live app takes its place showing the same customers
//! (that a frame of other data is never shown is first_view.rs's unit tests). Whether the frame was painted is read from
//! the start-up probe's marks (`CARDDESK_STARTUP_PROBE`, as the start-up benchmark reads them).
//! Runs when CARDDESK_E2E=1 (scripts/test.sh sets it inside Xvfb and D-Bus).
#![allow(clippy::unwrap_used)]

mod webdriver;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use webdriver::{SANDBOX_TOKEN, Session};

const WAIT: Duration = Duration::from_secs(20);
const NAME: &str = "first_frame_window";

/// Looks up `customer` and comes back to the search view.
async fn look_up_and_return(s: &Session, customer: &str) {
    let input = s.find("#customer", WAIT).await;
    s.type_into(&input, customer).await;
    s.click(&s.find("form.search button[type=submit]", WAIT).await)
        .await;
    s.wait_text("[data-testid=customer-heading]", customer, WAIT)
        .await;
    s.click(&s.find("[data-testid=nav-search]", WAIT).await)
        .await;
    s.wait_text("[data-testid=recent-list]", customer, WAIT)
        .await;
    // The first view settles for 1.5 s before its frame is drawn and kept (ui/src/lib/firstFrame.ts).
    tokio::time::sleep(Duration::from_secs(4)).await;
}

/// Starts the app again on the install's own directories (kept), with the probe at `probe`.
async fn start_again(app: &Path, probe: &Path) -> Session {
    let dirs: Vec<(&str, String)> = ["XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"]
        .into_iter()
        .map(|var| {
            let dir = webdriver::fresh_dirs_path(NAME, var);
            (var, dir.to_string_lossy().into_owned())
        })
        .collect();
    let mut env: Vec<(&str, &str)> = dirs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    env.push(("CARDDESK_SANDBOX_TOKEN", SANDBOX_TOKEN));
    let probe = probe.to_string_lossy().into_owned();
    env.push(("CARDDESK_STARTUP_PROBE", &probe));
    Session::start(app, &env).await
}

/// The probe's marks once `file` is written.
async fn marks(file: &Path) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(text) = std::fs::read_to_string(file) {
            return text;
        }
        assert!(Instant::now() < deadline, "no {}", file.display());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_start_paints_the_kept_first_view_then_the_live_app() {
    if !webdriver::enabled(NAME) {
        return;
    }
    let app = PathBuf::from(env!("CARGO_BIN_EXE_card-desk"));
    let out = webdriver::out_dir();

    // First start, a fresh install: nothing kept, so the page draws its first view itself.
    let s = Session::start_fresh(&app, NAME).await;
    look_up_and_return(&s, "1234").await;
    s.close().await;

    // Second start: the kept frame is painted first, then the live app takes its place.
    let probe = out.join("first-frame-probe");
    let _ = std::fs::remove_file(&probe);
    let _ = std::fs::remove_file(probe.with_extension("live"));
    let s = start_again(&app, &probe).await;
    let first = marks(&probe).await;
    assert!(
        first.contains("page: first frame drawn"),
        "the kept frame was painted first:\n{first}"
    );
    let live = marks(&probe.with_extension("live")).await;
    assert!(
        live.contains("page: live view painted"),
        "then the live view:\n{live}"
    );
    let recent = s.wait_text("[data-testid=recent-list]", "1234", WAIT).await;
    assert!(recent.contains("3 saved cards"), "{recent}");
    let framed = s
        .execute(
            "return document.documentElement.hasAttribute('data-first-frame') \
             || document.querySelectorAll('#customer').length !== 1",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(framed, serde_json::Value::Bool(false), "one live view only");
    s.screenshot(&out.join("first-frame-01-live-after-frame.png"))
        .await;

    s.close().await;
}
