//! A small W3C WebDriver client for driving the real Card Desk window through tauri-driver
//! and WebKitWebDriver. It speaks the protocol's JSON directly with reqwest (already in the
//! workspace), so the end-to-end tests add no browser-automation dependency tree.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};
use std::process::{Child, Command};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Whether the real-window tests run: CARDDESK_E2E=1 (scripts/test.sh sets it inside Xvfb and
/// D-Bus); elsewhere a test says why it did not run.
pub fn enabled(test: &str) -> bool {
    if std::env::var("CARDDESK_E2E").as_deref() == Ok("1") {
        assert!(
            std::env::var("DISPLAY").is_ok(),
            "CARDDESK_E2E=1 needs a DISPLAY (run under xvfb-run)"
        );
        return true;
    }
    eprintln!("{test}: not run (set CARDDESK_E2E=1 under Xvfb; scripts/test.sh does)");
    false
}

/// Where screenshots go: CARDDESK_E2E_OUT, else tests/out.
pub fn out_dir() -> std::path::PathBuf {
    std::env::var_os("CARDDESK_E2E_OUT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/out"))
}

/// The embedded sandbox's control token in every app these tests start (as
/// `CARDDESK_SANDBOX_TOKEN`): its `/_sandbox/` API asks for `Authorization: Bearer` this.
pub const SANDBOX_TOKEN: &str = "e2e-window-tests-sandbox-token";

/// tauri-driver plus one session on the app; dropping it kills the driver (and so the app).
pub struct Session {
    http: reqwest::Client,
    base: String,
    id: String,
    _driver: Driver,
}

/// The tauri-driver process, killed and reaped on drop so a failed test leaves nothing behind.
/// It runs in a process group of its own, and the whole group goes: WebKitWebDriver and the
/// app it started too. An app left running after a failed test would otherwise take every
/// later app's start (the single-instance handover) and fail the tests after it.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Empty XDG data, config and cache dirs for a fresh install named `name` (under the run's
/// XDG dirs when set, so the leak check covers them), as (variable, path) pairs. A test may
/// put files there (a damaged profiles file, say) before it starts the app with them.
pub fn fresh_dirs(name: &str) -> Vec<(&'static str, String)> {
    let mut env = Vec::new();
    for var in ["XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"] {
        let base = std::env::var_os(var)
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::env::temp_dir().join(format!("carddesk-e2e-{}", std::process::id()))
            });
        let dir = base.join(format!("e2e-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("per-test XDG dir");
        env.push((var, dir.to_string_lossy().into_owned()));
    }
    env
}

/// Where [`fresh_dirs`] puts `var` (an XDG variable) for the install named `name`.
pub fn fresh_dirs_path(name: &str, var: &str) -> std::path::PathBuf {
    let base = std::env::var_os(var)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("carddesk-e2e-{}", std::process::id()))
        });
    base.join(format!("e2e-{name}"))
}

impl Session {
    /// Starts tauri-driver on free ports and opens a session on `application`.
    /// Starts the app as a fresh install named `name`: its own XDG data, config and cache
    /// dirs (under the run's XDG dirs when set, so the leak check covers them), so one test's
    /// profiles and cache never leak into another's.
    pub async fn start_fresh(application: &Path, name: &str) -> Session {
        Session::start_fresh_with(application, name, &[]).await
    }

    /// [`Session::start_fresh`] with more environment for the app (and always
    /// `CARDDESK_SANDBOX_TOKEN` = [`SANDBOX_TOKEN`]).
    pub async fn start_fresh_with(
        application: &Path,
        name: &str,
        extra: &[(&str, &str)],
    ) -> Session {
        let env = fresh_dirs(name);
        let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        env.push(("CARDDESK_SANDBOX_TOKEN", SANDBOX_TOKEN));
        env.extend_from_slice(extra);
        Session::start(application, &env).await
    }

    pub async fn start(application: &Path, env: &[(&str, &str)]) -> Session {
        Session::start_with_args(application, env, &[]).await
    }

    /// [`Session::start_fresh_with`] with command-line arguments for the app (a `carddesk://`
    /// link, as the OS passes one).
    pub async fn start_fresh_with_args(
        application: &Path,
        name: &str,
        extra: &[(&str, &str)],
        args: &[&str],
    ) -> Session {
        let env = fresh_dirs(name);
        let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        env.push(("CARDDESK_SANDBOX_TOKEN", SANDBOX_TOKEN));
        env.extend_from_slice(extra);
        Session::start_with_args(application, &env, args).await
    }

    pub async fn start_with_args(
        application: &Path,
        env: &[(&str, &str)],
        args: &[&str],
    ) -> Session {
        let port = free_port();
        let native = free_port();
        let mut cmd = Command::new("tauri-driver");
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let driver = Driver(
            cmd.spawn()
                .expect("tauri-driver on PATH (scripts/install-deps.sh)"),
        );
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("http client");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not come up");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let caps = json!({"capabilities": {"alwaysMatch": {"tauri:options": {
            "application": application.to_string_lossy(),
            "args": args,
        }}}});
        let resp: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .timeout(Duration::from_secs(90))
            .send()
            .await
            .expect("new session (an app window within 90 s)")
            .json()
            .await
            .expect("session json");
        let id = resp["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {resp}"))
            .to_owned();
        let session = Session {
            http,
            base,
            id,
            _driver: driver,
        };
        session.wait_live().await;
        session
    }

    /// Waits until the live app has taken the place of the first frame the page may have
    /// carried (src-tauri/src/first_frame.rs: `<html data-first-frame>` until then), so a test
    /// never clicks a control of the picture of the view.
    pub async fn wait_live(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let framed = "return document.documentElement.hasAttribute('data-first-frame')";
        while self.execute(framed, json!([])).await != Value::Bool(false) {
            assert!(
                Instant::now() < deadline,
                "the app did not take over its first frame"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{}", self.base, self.id, path);
        let mut req = self.http.request(method, url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req
            .send()
            .await
            .expect("webdriver call")
            .json()
            .await
            .expect("json");
        v["value"].clone()
    }

    /// Finds an element, waiting up to `timeout` for it to exist.
    pub async fn find(&self, css: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let v = self
                .cmd(
                    reqwest::Method::POST,
                    "/element",
                    Some(json!({"using": "css selector", "value": css})),
                )
                .await;
            if let Some(id) = v[ELEMENT_KEY].as_str() {
                return id.to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "no element {css} within {timeout:?}: {v}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn text(&self, element: &str) -> String {
        let v = self
            .cmd(
                reqwest::Method::GET,
                &format!("/element/{element}/text"),
                None,
            )
            .await;
        v.as_str().unwrap_or_default().to_owned()
    }

    /// Waits until the element matched by `css` has text (its DOM text, not the rendered,
    /// possibly upper-cased form) containing `needle`; returns the text.
    pub async fn wait_text(&self, css: &str, needle: &str, timeout: Duration) -> String {
        let script =
            "const el = document.querySelector(arguments[0]); return el ? el.textContent : null;";
        let deadline = Instant::now() + timeout;
        loop {
            let v = self.execute(script, json!([css])).await;
            let text = v
                .as_str()
                .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "));
            if let Some(text) = &text
                && text.contains(needle)
            {
                return text.clone();
            }
            assert!(
                Instant::now() < deadline,
                "{css} never contained {needle:?}; last: {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn type_into(&self, element: &str, text: &str) {
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{element}/clear"),
            Some(json!({})),
        )
        .await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{element}/value"),
            Some(json!({"text": text})),
        )
        .await;
    }

    pub async fn click(&self, element: &str) {
        let v = self
            .cmd(
                reqwest::Method::POST,
                &format!("/element/{element}/click"),
                Some(json!({})),
            )
            .await;
        assert!(v.get("error").is_none(), "click failed: {v}");
    }

    /// Runs `script` in the page (synchronously) and returns its value.
    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    /// Clicks the first element matching `css` whose text or accessible name contains `text`.
    pub async fn click_text(&self, css: &str, text: &str, timeout: Duration) {
        let script = "const [css, text] = arguments; \
            const el = [...document.querySelectorAll(css)].find(e => \
              (e.textContent || '').includes(text) || (e.getAttribute('aria-label') || '').includes(text)); \
            if (!el) return { n: document.querySelectorAll(css).length, css, text, texts: [...document.querySelectorAll(css)].map(e => e.textContent).slice(0, 8) }; el.click(); return true;";
        let deadline = Instant::now() + timeout;
        loop {
            let v = self.execute(script, json!([css, text])).await;
            if v == Value::Bool(true) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "nothing like {css} with {text:?} to click: {v}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sets a form control's value the way a person would and lets the UI see it.
    pub async fn set_value(&self, css: &str, value: &str) {
        let script = "const [css, value] = arguments; const el = document.querySelector(css); \
            if (!el) return false; el.value = value; \
            el.dispatchEvent(new Event('input', { bubbles: true })); \
            el.dispatchEvent(new Event('change', { bubbles: true })); return true;";
        assert_eq!(
            self.execute(script, json!([css, value])).await,
            Value::Bool(true),
            "no {css}"
        );
    }

    /// Calls one of the app's own commands through the page's IPC (as the UI would).
    pub async fn invoke(&self, command: &str, args: Value) -> Value {
        let v = self.try_invoke(command, args).await;
        v.unwrap_or_else(|e| panic!("{command} failed: {e}"))
    }

    /// Calls a command through the webview's IPC; `Err` with what the app (or tauri's access
    /// control) answered when it was refused.
    pub async fn try_invoke(&self, command: &str, args: Value) -> Result<Value, Value> {
        let script = "const [cmd, args, done] = arguments; \
            window.__TAURI_INTERNALS__.invoke(cmd, args).then(v => done({ ok: v }), e => done({ err: e }));";
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/execute/async",
                Some(json!({"script": script, "args": [command, args]})),
            )
            .await;
        match v.get("err") {
            Some(e) => Err(e.clone()),
            None => Ok(v["ok"].clone()),
        }
    }

    /// Saves a PNG screenshot of the window; waits first, as frames lag the DOM by ~0.7 s.
    pub async fn screenshot(&self, path: &Path) {
        tokio::time::sleep(Duration::from_millis(900)).await;
        let v = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().expect("base64 screenshot"))
            .expect("valid base64");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot dir");
        }
        std::fs::write(path, png).expect("write screenshot");
    }

    /// Ends the session: WebKitWebDriver closes the app window and the app exits.
    pub async fn close(self) {
        let url = format!("{}/session/{}", self.base, self.id);
        let resp = self.http.delete(url).send().await.expect("delete session");
        assert!(
            resp.status().is_success(),
            "session close failed: {}",
            resp.status()
        );
    }
}
