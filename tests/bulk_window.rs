//! End to end: a bulk job in the real Card Desk window under Xvfb (tauri-driver and
//! WebKitWebDriver) against the app's embedded sandbox. A CRM export with a header no alias
//! knows is imported and mapped, the dry run shows its plan and removes nothing, the run
//! shows progress and is paused (nothing is sent while paused) and resumed, and the results
//! are exported — with the sandbox's removal ledger as the witness: every planned card
//! removed exactly once, nothing else touched. Native file dialogs are stood in for by
//! `CARDDESK_E2E_DIALOG_DIR` (debug builds only), since WebDriver cannot drive them.
#![allow(clippy::unwrap_used)]

mod webdriver;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use webdriver::Session;

const WAIT: Duration = Duration::from_secs(30);

/// Effective removals per token, as the sandbox saw them.
/// Every token the sandbox was asked to remove: (token, calls after it was removed, removals).
async fn removals(http: &reqwest::Client, url: &str) -> Vec<(String, u64, u64)> {
    let all: Value = http
        .get(format!("{url}/_sandbox/ledger"))
        .bearer_auth(webdriver::SANDBOX_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    all.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v["callsAfterRemoval"].as_u64().unwrap_or(0),
                v["effectiveRemovals"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

async fn set_faults(http: &reqwest::Client, url: &str, plan: Value) {
    let answer = http
        .put(format!("{url}/_sandbox/faults"))
        .bearer_auth(webdriver::SANDBOX_TOKEN)
        .json(&plan)
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success(), "{}", answer.status());
}

async fn phase(s: &Session) -> String {
    s.execute(
        "const el = document.querySelector('[data-testid=bulk-job-detail]'); \
         return el ? el.dataset.phase : null;",
        json!([]),
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

async fn wait_phase(s: &Session, wanted: &[&str]) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let p = phase(s).await;
        if wanted.contains(&p.as_str()) {
            return p;
        }
        assert!(
            Instant::now() < deadline,
            "job phase {p:?}, wanted {wanted:?}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_job_is_imported_dry_run_paused_resumed_and_exported_in_the_real_window() {
    if !webdriver::enabled("bulk_window") {
        return;
    }
    let files = tempfile::tempdir().unwrap();
    // Excel's export: BOM, semicolons, and a last-4 header the aliases do not know.
    std::fs::write(
        files.path().join("import.csv"),
        "\u{feff}Номер клиента;Карта (посл. 4);Заявка\n\
         1234;0028;CRM-1\n\
         100000;;CRM-2\n\
         100301;;CRM-3\n\
         123456789012345678901234567890123;;CRM-4\n\
         1234;0028;CRM-5\n",
    )
    .unwrap();
    let dir = files.path().to_str().unwrap().to_owned();
    let app = PathBuf::from(env!("CARGO_BIN_EXE_card-desk"));
    let s = Session::start_fresh_with(
        &app,
        "bulk_window",
        &[("CARDDESK_E2E_DIALOG_DIR", dir.as_str())],
    )
    .await;
    let out = webdriver::out_dir();
    s.wait_text("[data-testid=env-banner]", "452739", WAIT)
        .await;
    s.click_text("[data-testid=lang-en]", "EN", WAIT).await;
    let status = s.invoke("desk_status", json!({})).await;
    let url = status["profiles"][0]["baseUrl"]
        .as_str()
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();

    // Import: the mapping step recognises the customer and ticket columns, not the last 4.
    s.click(&s.find("[data-testid=nav-bulk]", WAIT).await).await;
    s.find("[data-testid=bulk-empty]", WAIT).await;
    s.screenshot(&out.join("e2e-bulk-01-empty.png")).await;
    s.click(&s.find("[data-testid=bulk-import]", WAIT).await)
        .await;
    s.wait_text("[data-testid=bulk-map-meta]", "3", WAIT).await;
    let mapped = s
        .execute(
            "return ['customer','last4','ticket'].map(f => \
               document.querySelector(`[data-testid=bulk-map-${f}]`).value);",
            json!([]),
        )
        .await;
    assert_eq!(mapped, json!(["Номер клиента", "", "Заявка"]));
    s.set_value("[data-testid=bulk-map-last4]", "Карта (посл. 4)")
        .await;
    s.execute(
        "document.querySelector('[data-testid=bulk-erasure]').click(); return true;",
        json!([]),
    )
    .await;
    s.find("[data-testid=bulk-erasure-on]", WAIT).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    s.screenshot(&out.join("e2e-bulk-02-mapping.png")).await;

    // Create and dry run: the plan, and nothing removed.
    s.click(&s.find("[data-testid=bulk-create]", WAIT).await)
        .await;
    wait_phase(&s, &["planned"]).await;
    let summary = s
        .text(&s.find("[data-testid=bulk-summary]", WAIT).await)
        .await;
    assert!(summary.contains('3'), "three cards to remove: {summary}");
    let problems = s
        .text(&s.find("[data-testid=bulk-problems]", WAIT).await)
        .await;
    assert!(problems.contains("row 5"), "{problems}");
    assert!(problems.contains("duplicate of row 2"), "{problems}");
    assert!(
        removals(&http, &url).await.is_empty(),
        "a dry run removes nothing"
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    s.screenshot(&out.join("e2e-bulk-03-dry-run.png")).await;

    // Run slowly (2 requests a second: 9 requests for 3 cards), pause, resume.
    s.set_value("[data-testid=bulk-concurrency]", "1").await;
    s.set_value("[data-testid=bulk-rate]", "2").await;
    s.click(&s.find("[data-testid=bulk-run]", WAIT).await).await;
    s.find("[data-testid=bulk-progress]", WAIT).await;
    let deadline = Instant::now() + WAIT;
    while removals(&http, &url).await.is_empty() {
        assert!(Instant::now() < deadline, "nothing removed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    s.click(&s.find("[data-testid=bulk-pause]", WAIT).await)
        .await;
    wait_phase(&s, &["paused", "finished"]).await;
    if phase(&s).await == "paused" {
        // The row in hand finishes; then nothing more is sent until Resume.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let held = removals(&http, &url).await.len();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(
            removals(&http, &url).await.len(),
            held,
            "nothing sent while paused"
        );
        assert!(held < 3, "paused before the end");
        s.screenshot(&out.join("e2e-bulk-04-paused.png")).await;
        // The gateway refuses every request for a while (its rate limit): the progress says
        // the job waits for it, and the refused removal is tried again once it passes.
        set_faults(&http, &url, json!({"refusalRate": 1.0})).await;
        s.click(&s.find("[data-testid=bulk-resume]", WAIT).await)
            .await;
        s.wait_text(
            "[data-testid=bulk-progress-limited]",
            "Waiting for the gateway’s rate limit",
            WAIT,
        )
        .await;
        s.screenshot(&out.join("e2e-bulk-05-rate-limited.png"))
            .await;
        set_faults(&http, &url, json!({})).await;
    }
    wait_phase(&s, &["finished"]).await;
    let ledger = removals(&http, &url).await;
    assert_eq!(
        ledger.len(),
        3,
        "1234's 0028 and both of 100301's cards: {ledger:?}"
    );
    assert!(
        ledger
            .iter()
            .all(|(_, again, removed)| *again == 0 && *removed == 1),
        "{ledger:?}"
    );

    // Export: the results file is written where the (stand-in) save dialog says.
    s.find("[data-testid=bulk-export]", WAIT).await;
    s.execute(
        "document.querySelector('[data-testid=bulk-export]').click(); return true;",
        json!([]),
    )
    .await;
    // The toast says how many rows and where the file went.
    s.wait_text("[data-testid=toast-text]", "rows written", WAIT)
        .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    s.screenshot(&out.join("e2e-bulk-06-finished.png")).await;
    let exported = std::fs::read_dir(files.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with("-results.csv"))
        .expect("a results file");
    let shown = s
        .text(&s.find("[data-testid=toast-path]", WAIT).await)
        .await;
    assert_eq!(shown, exported.display().to_string());
    let text = std::fs::read_to_string(exported).unwrap();
    assert_eq!(
        text.lines().filter(|l| l.contains(",removed,")).count(),
        3,
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("3,100000,")), "{text}");

    // The same job in Russian and dark, as WebKit draws it.
    s.click_text("[data-testid=lang-ru]", "RU", WAIT).await;
    s.click_text("nav button", "Тёмная", WAIT).await;
    s.wait_text("[data-testid=nav-bulk]", "Массовые", WAIT)
        .await;
    s.execute("window.scrollTo(0, 0); return true;", json!([]))
        .await;
    tokio::time::sleep(Duration::from_millis(900)).await;
    s.screenshot(&out.join("e2e-bulk-07-ru-dark.png")).await;
    s.close().await;
}
