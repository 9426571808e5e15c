//! End to end: revoking cards in the real Card Desk window under Xvfb (tauri-driver and
//! WebKitWebDriver) against the app's embedded sandbox, with the sandbox's removal ledger as
//! the witness of what reached the gateway. A wrong last 4 is refused, Undo within the
//! countdown sends nothing, the right last 4 removes exactly once, an ambiguous last 4 is
//! resolved by picking the card, a production profile needs the customer number typed, and
//! the audit view shows the entries, verifies the chain and exports rows that match the log.
//! A removal whose reply is lost is shown as unknown, with "Check again", which sends nothing.
#![allow(clippy::unwrap_used)]

mod webdriver;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};
use webdriver::Session;

const WAIT: Duration = Duration::from_secs(25);

/// One window at a time: the app is single-instance, so a second copy started beside the first
/// hands over to it and exits.
static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Gateway {
    http: reqwest::Client,
    url: String,
}

impl Gateway {
    /// rem_token calls and effective removals the sandbox saw for `token`.
    async fn ledger(&self, token: &str) -> (u64, u64) {
        let all: Value = self
            .http
            .get(format!("{}/_sandbox/ledger", self.url))
            .bearer_auth(webdriver::SANDBOX_TOKEN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let e = &all[token];
        (
            e["remTokenCalls"].as_u64().unwrap_or(0),
            e["effectiveRemovals"].as_u64().unwrap_or(0),
        )
    }
}

/// Where the window's save dialogs save (`CARDDESK_E2E_DIALOG_DIR`, debug builds only):
/// WebDriver cannot drive a native dialog.
fn dialog_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("carddesk-e2e-dialog-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fresh app window on its embedded sandbox, in English, and that sandbox's control API.
async fn open_window(name: &str) -> (Session, Gateway) {
    let app = PathBuf::from(env!("CARGO_BIN_EXE_card-desk"));
    let dialogs = dialog_dir(name);
    let s = Session::start_fresh_with(
        &app,
        name,
        &[("CARDDESK_E2E_DIALOG_DIR", dialogs.to_str().unwrap())],
    )
    .await;
    s.wait_text("[data-testid=env-banner]", "452739", WAIT)
        .await;
    s.click_text("[data-testid=lang-en]", "EN", WAIT).await;
    let status = s.invoke("desk_status", json!({})).await;
    let gateway = Gateway {
        http: reqwest::Client::builder().no_proxy().build().unwrap(),
        url: status["profiles"][0]["baseUrl"]
            .as_str()
            .unwrap()
            .trim_end_matches('/')
            .to_owned(),
    };
    (s, gateway)
}

async fn search(s: &Session, customer: &str) {
    s.click(&s.find("nav .nav-item", WAIT).await).await;
    s.type_into(&s.find("#customer", WAIT).await, customer)
        .await;
    s.click(&s.find("form.search button[type=submit]", WAIT).await)
        .await;
    s.wait_text("[data-testid=customer-heading]", customer, WAIT)
        .await;
}

/// The token of the listed card ending in `last4`, as the app sees it.
async fn token_of(s: &Session, customer: &str, last4: &str) -> String {
    let found = s
        .invoke("lookup", json!({"customer": customer, "want": "fresh"}))
        .await;
    found["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["last4"] == last4)
        .map(|c| c["token"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no card ending {last4}: {found}"))
}

/// Opens the revoke dialog from the tile of the card ending in `last4`.
async fn open_from_tile(s: &Session, last4: &str) {
    let script = "const last4 = arguments[0]; \
        const buttons = [...document.querySelectorAll('[data-testid=revoke-card]')]; \
        const b = buttons.find(b => { let n = b; \
          while (n && !(n.querySelector && n.querySelector('[data-testid=masked]'))) n = n.parentElement; \
          return n && n.querySelector('[data-testid=masked]').textContent.includes(last4); }); \
        if (!b) return false; b.click(); return true;";
    let deadline = std::time::Instant::now() + WAIT;
    while s.execute(script, json!([last4])).await != Value::Bool(true) {
        assert!(
            std::time::Instant::now() < deadline,
            "no Revoke action on the card ending {last4}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    s.find("[data-testid=revoke-dialog]", WAIT).await;
}

async fn fill(s: &Session, last4: &str, ticket: &str) {
    s.type_into(&s.find("[data-testid=revoke-last4]", WAIT).await, last4)
        .await;
    s.type_into(&s.find("[data-testid=revoke-ticket]", WAIT).await, ticket)
        .await;
}

async fn outcome(s: &Session) -> String {
    let script = "const r = document.querySelector('[data-testid=revoke-result]'); \
        return r ? r.dataset.outcome : null;";
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        if let Value::String(o) = s.execute(script, json!([])).await {
            return o;
        }
        assert!(std::time::Instant::now() < deadline, "no revoke result");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revocations_in_the_real_window_remove_exactly_what_was_confirmed() {
    if !webdriver::enabled("revoke_window") {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let (s, gateway) = open_window("revoke_window").await;
    let out = webdriver::out_dir();

    // 1234: the documentation's customer. A wrong last 4 is refused and nothing is sent.
    search(&s, "1234").await;
    let visa = token_of(&s, "1234", "0028").await;
    open_from_tile(&s, "0028").await;
    fill(&s, "9999", "SUP-1001").await;
    s.click(&s.find("[data-testid=revoke-submit]", WAIT).await)
        .await;
    s.find("[data-testid=revoke-error]", WAIT).await;
    s.screenshot(&out.join("e2e-revoke-01-wrong-last4.png"))
        .await;
    assert_eq!(
        gateway.ledger(&visa).await,
        (0, 0),
        "a refused revoke sends nothing"
    );

    // The right last 4: a countdown, then exactly one removal, read back, with a reply text.
    fill(&s, "0028", "SUP-1001").await;
    s.click(&s.find("[data-testid=revoke-submit]", WAIT).await)
        .await;
    s.wait_text("[data-testid=revoke-countdown]", "", WAIT)
        .await;
    s.screenshot(&out.join("e2e-revoke-02-countdown.png")).await;
    assert_eq!(outcome(&s).await, "removed");
    let reply = s
        .wait_text("[data-testid=revoke-reply]", "0028", WAIT)
        .await;
    assert!(reply.contains("4123 62•• •••• 0028"), "{reply}");
    s.screenshot(&out.join("e2e-revoke-03-result.png")).await;
    assert_eq!(gateway.ledger(&visa).await, (1, 1));
    s.click(&s.find("[data-testid=revoke-close]", WAIT).await)
        .await;
    s.wait_text("[data-testid=card-count]", "2 saved cards", WAIT)
        .await;

    // Undo within the countdown: nothing reaches the gateway.
    let mc = token_of(&s, "1234", "1030").await;
    open_from_tile(&s, "1030").await;
    fill(&s, "1030", "SUP-1002").await;
    s.click(&s.find("[data-testid=revoke-submit]", WAIT).await)
        .await;
    s.click(&s.find("[data-testid=revoke-undo]", WAIT).await)
        .await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(gateway.ledger(&mc).await, (0, 0), "Undo sends nothing");
    assert!(
        s.execute(
            "return !document.querySelector('[data-testid=revoke-result]')",
            json!([])
        )
        .await
            == Value::Bool(true)
    );
    s.execute("document.querySelector('[data-testid=revoke-dialog]') && document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))", json!([])).await;

    // 100900: two cards end in 4417; the agent picks the T-Bank one.
    search(&s, "100900").await;
    s.click(&s.find("[data-testid=customer-revoke]", WAIT).await)
        .await;
    s.find("[data-testid=revoke-dialog]", WAIT).await;
    fill(&s, "4417", "SUP-1003").await;
    s.wait_text("[data-testid=revoke-dialog]", "Т-Банк", WAIT)
        .await;
    let candidates = s
        .execute(
            "return document.querySelectorAll('[data-testid=revoke-candidate]').length",
            json!([]),
        )
        .await;
    assert_eq!(candidates, 2, "both matching cards are offered");
    s.screenshot(&out.join("e2e-revoke-04-ambiguous.png")).await;
    s.click_text("[data-testid=revoke-candidate]", "Т-Банк", WAIT)
        .await;
    s.click(&s.find("[data-testid=revoke-submit]", WAIT).await)
        .await;
    assert_eq!(outcome(&s).await, "removed");
    s.click(&s.find("[data-testid=revoke-close]", WAIT).await)
        .await;
    let left = s
        .invoke("lookup", json!({"customer": "100900", "want": "live"}))
        .await;
    let banks: Vec<&str> = left["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["bank"].as_str().unwrap())
        .collect();
    assert_eq!(left["cards"].as_array().unwrap().len(), 2, "{banks:?}");
    assert!(
        !banks.contains(&"Т-Банк") && banks.contains(&"Сбербанк"),
        "the picked card went: {banks:?}"
    );

    // A production profile: the customer number must be typed as well.
    let draft = json!({"name": "Prod shop", "environment": "production", "baseUrl": gateway.url,
        "merchantId": "452739", "login": "LOGIN", "language": "EN", "colour": "#b91c1c"});
    let prod = s
        .invoke(
            "save_profile",
            json!({"id": null, "draft": draft, "password": "PASSWORD"}),
        )
        .await;
    s.invoke("activate_profile", json!({"id": prod["id"]}))
        .await;
    s.execute("location.reload()", json!([])).await;
    s.wait_text("[data-testid=env-banner]", "Prod shop", WAIT)
        .await;
    search(&s, "100304").await;
    let first = s
        .invoke("lookup", json!({"customer": "100304", "want": "fresh"}))
        .await;
    let last4 = first["cards"][0]["last4"].as_str().unwrap().to_owned();
    let token = first["cards"][0]["token"].as_str().unwrap().to_owned();
    open_from_tile(&s, &last4).await;
    fill(&s, &last4, "SUP-1004").await;
    s.click(&s.find("[data-testid=revoke-submit]", WAIT).await)
        .await;
    s.find("[data-testid=revoke-error]", WAIT).await;
    assert_eq!(
        gateway.ledger(&token).await,
        (0, 0),
        "no confirmation, nothing sent"
    );
    s.type_into(
        &s.find("[data-testid=revoke-confirm-customer]", WAIT).await,
        "100304",
    )
    .await;
    s.screenshot(&out.join("e2e-revoke-05-production.png"))
        .await;
    s.click(&s.find("[data-testid=revoke-submit]", WAIT).await)
        .await;
    assert_eq!(outcome(&s).await, "removed");
    assert_eq!(gateway.ledger(&token).await, (1, 1));
    s.click(&s.find("[data-testid=revoke-close]", WAIT).await)
        .await;

    // The audit view: the entries are there and the chain verifies.
    s.click(&s.find("[data-testid=nav-audit]", WAIT).await)
        .await;
    s.find("[data-testid=audit-row]", WAIT).await;
    let outcomes = s
        .execute(
            "return [...document.querySelectorAll('[data-testid=audit-row][data-action=revoke_outcome]')].map(r => r.dataset.outcome)",
            json!([]),
        )
        .await;
    let outcomes: Vec<String> = serde_json::from_value(outcomes).unwrap();
    assert_eq!(
        outcomes.iter().filter(|o| *o == "removed").count(),
        3,
        "{outcomes:?}"
    );
    s.click(&s.find("[data-testid=audit-verify]", WAIT).await)
        .await;
    let verified = s.execute(
        "const r = document.querySelector('[data-testid=audit-verify-result]'); return r ? r.dataset.ok : null;",
        json!([]),
    );
    let deadline = std::time::Instant::now() + WAIT;
    let mut ok = verified.await;
    while ok == Value::Null && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(150)).await;
        ok = s.execute("const r = document.querySelector('[data-testid=audit-verify-result]'); return r ? r.dataset.ok : null;", json!([])).await;
    }
    assert_eq!(ok, "true");
    s.screenshot(&out.join("e2e-revoke-06-audit.png")).await;

    // Export: the save dialog (native, answered by CARDDESK_E2E_DIALOG_DIR here) says where; a
    // `path` the webview adds is ignored, and the window can neither preview a file it names nor
    // reach a plugin (docs/security.md, "The webview names no path").
    let dir = dialog_dir("revoke_window");
    let elsewhere = std::env::temp_dir().join(format!("carddesk-e2e-named-{}", std::process::id()));
    let _ = std::fs::remove_file(&elsewhere);
    let n = s
        .invoke("audit_export", json!({"format": "csv", "path": elsewhere}))
        .await;
    s.invoke("audit_export", json!({"format": "json"})).await;
    assert!(!elsewhere.exists(), "the webview's path was not written");
    for (command, args) in [
        ("bulk_preview", json!({"path": "/etc/passwd"})),
        ("plugin:dialog|open", json!({"options": {}})),
        ("plugin:fs|read_text_file", json!({"path": "/etc/passwd"})),
    ] {
        let refused = s.try_invoke(command, args).await;
        assert!(refused.is_err(), "{command} answered {refused:?}");
    }
    let saved = |ext: &str| {
        std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == ext))
            .unwrap_or_else(|| panic!("no .{ext} in {}", dir.display()))
    };
    let (csv_path, json_path) = (saved("csv"), saved("json"));
    let page = s
        .invoke("audit_query", json!({"query": {"limit": 1000}}))
        .await;
    let total = page["total"].as_u64().unwrap();
    assert_eq!(n["count"].as_u64().unwrap(), total);
    assert_eq!(n["path"].as_str().unwrap(), csv_path.display().to_string());
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert_eq!(
        csv.lines().count() as u64,
        total + 1,
        "a header and one row per entry"
    );
    let exported: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(exported.len() as u64, total);
    let newest = &page["entries"][0];
    assert!(
        exported
            .iter()
            .any(|e| e["hash"] == newest["hash"] && e["seq"] == newest["seq"])
    );
    assert!(csv.contains(newest["hash"].as_str().unwrap()));

    // "Open folder" shows the last export (Rust remembers it; the window names no path).
    s.invoke("reveal_export", json!({})).await;
    let revealed = std::fs::read_to_string(dir.join("revealed.txt")).unwrap();
    assert_eq!(revealed, json_path.display().to_string());

    // An export of what the view shows: only the entries the filters match.
    let filters = json!({"action": "viewed_customer"});
    let shown = s
        .invoke("audit_query", json!({"query": filters.clone()}))
        .await["total"]
        .as_u64()
        .unwrap();
    assert!(shown > 0 && shown < total, "{shown} of {total}");
    let filtered = s
        .invoke("audit_export", json!({"format": "csv", "filters": filters}))
        .await;
    assert_eq!(filtered["count"].as_u64().unwrap(), shown);
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert_eq!(csv.lines().count() as u64, shown + 1);

    s.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_outcome_in_the_real_window_is_shown_as_such_with_check_again() {
    if !webdriver::enabled("revoke_window") {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let (s, gateway) = open_window("unknown_window").await;
    let out = webdriver::out_dir();
    search(&s, "1234").await;
    let visa = token_of(&s, "1234", "0028").await;
    open_from_tile(&s, "0028").await;
    fill(&s, "0028", "SUP-2001").await;
    // The removal gets an HTML 502 from a proxy in front of the gateway (listings do not): the
    // card is still listed, so the desk cannot know whether the gateway acted.
    gateway
        .http
        .put(format!("{}/_sandbox/faults", gateway.url))
        .bearer_auth(webdriver::SANDBOX_TOKEN)
        .json(&json!({"html502OnRemoval": 1}))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    s.click(&s.find("[data-testid=revoke-submit]", WAIT).await)
        .await;
    assert_eq!(outcome(&s).await, "unknown");
    let label = s
        .wait_text("[data-testid=revoke-outcome]", "Unknown", WAIT)
        .await;
    assert!(label.contains("check again"), "{label}");
    let result = s
        .wait_text("[data-testid=revoke-result]", "may still be working", WAIT)
        .await;
    assert!(!result.contains("still stored"), "{result}");
    s.find("[data-testid=revoke-check-again]", WAIT).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    s.screenshot(&out.join("e2e-revoke-07-unknown.png")).await;
    assert_eq!(
        gateway.ledger(&visa).await,
        (1, 0),
        "one removal sent, none took effect"
    );

    // Check again: the card is still listed moments after the removal was sent, so the
    // outcome stays open (the gateway may still be working) — and nothing is sent again.
    s.click(&s.find("[data-testid=revoke-check-again]", WAIT).await)
        .await;
    let checked = s
        .wait_text("[data-testid=revoke-check-result]", "Still unknown", WAIT)
        .await;
    assert!(checked.contains("may still be working"), "{checked}");
    tokio::time::sleep(Duration::from_millis(800)).await;
    s.screenshot(&out.join("e2e-revoke-08-check-again.png"))
        .await;
    assert_eq!(
        gateway.ledger(&visa).await,
        (1, 0),
        "checking sends no removal"
    );
    s.close().await;
}
