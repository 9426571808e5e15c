//! The audit view in the real window over a three-year log: a million entries (about 750 MB,
//! `CARDDESK_AUDIT_WINDOW_ENTRIES` to change), written through the log's own append path, and
//! the view's first page and a customer filter answer within a second, the whole way from the
//! click through IPC, the index and the render (the index alone is benchmarked in
//! `desk/benches/audit_scale.rs`). Ignored by default for its size: run it by hand with
//! `cargo test -p card-desk --test audit_window -- --ignored` inside the window-test session.
#![allow(clippy::unwrap_used)]

mod webdriver;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use desk::Environment;
use desk::audit::{AuditAction, AuditLog, EntryDraft, Operator, ProfileRef};
use serde_json::json;
use webdriver::Session;

const WAIT: Duration = Duration::from_secs(120);

/// The `i`th entry: lookups of 50,000 customers by 12 agents on the built-in profile.
fn draft(i: u64) -> EntryDraft {
    let op = i % 12;
    let mut d = EntryDraft::new(
        Operator {
            os_user: format!("agent{op}"),
            display_name: format!("Agent {op}"),
        },
        AuditAction::ViewedCustomer,
    );
    d.profile = Some(ProfileRef {
        id: "sandbox".into(),
        name: "Sandbox".into(),
        environment: Environment::Sandbox,
        merchant_id: "452739".into(),
    });
    d.customer = Some(format!("CRM-{:06}", (i * 7919) % 50_000));
    d.detail = Some("3 cards shown, fetched from the gateway".into());
    d
}

/// Milliseconds until `css` matches an element whose text holds `needle`.
async fn time_until(s: &Session, css: &str, needle: &str) -> u128 {
    let start = Instant::now();
    s.wait_text(css, needle, WAIT).await;
    start.elapsed().as_millis()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "writes a million audit entries (about 750 MB); run by hand with --ignored"]
async fn the_audit_view_answers_within_a_second_on_a_million_entries() {
    let n: u64 = std::env::var("CARDDESK_AUDIT_WINDOW_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let env = webdriver::fresh_dirs("audit_window");
    let data = PathBuf::from(&env.iter().find(|(k, _)| *k == "XDG_DATA_HOME").unwrap().1)
        .join("ru.carddesk.app");
    std::fs::create_dir_all(&data).unwrap();
    let written = Instant::now();
    let log = AuditLog::open(&data, &Operator::from_env(None)).unwrap();
    let mut i = 1;
    while i <= n {
        let end = (i + 9_999).min(n);
        log.append_batch((i..=end).map(draft)).unwrap();
        i = end + 1;
    }
    drop(log);
    eprintln!("{n} entries written in {:?}", written.elapsed());

    let mut vars: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    vars.push(("CARDDESK_SANDBOX_TOKEN", webdriver::SANDBOX_TOKEN));
    let app = PathBuf::from(env!("CARGO_BIN_EXE_card-desk"));
    let s = Session::start(&app, &vars).await;
    s.wait_text("[data-testid=env-banner]", "452739", WAIT)
        .await;
    s.click_text("[data-testid=lang-en]", "EN", WAIT).await;

    // The first open builds the index (once per log); then the view is what an agent sees.
    s.click(&s.find("[data-testid=nav-audit]", WAIT).await)
        .await;
    let first = time_until(&s, "[data-testid=audit-showing]", "Showing 1–50 of").await;
    eprintln!("first page, index built: {first} ms");
    s.click(&s.find("[data-testid=nav-search]", WAIT).await)
        .await;
    s.click(&s.find("[data-testid=nav-audit]", WAIT).await)
        .await;
    let again = time_until(&s, "[data-testid=audit-showing]", "Showing 1–50 of").await;
    eprintln!("first page again: {again} ms");
    let customer = format!("CRM-{:06}", (n * 7919) % 50_000);
    let page = s
        .invoke(
            "audit_query",
            json!({"query": {"customer": customer, "limit": 50}}),
        )
        .await;
    let expected = page["total"].as_u64().unwrap();
    s.type_into(
        &s.find("[data-testid=audit-customer]", WAIT).await,
        &customer,
    )
    .await;
    let filtered = time_until(
        &s,
        "[data-testid=audit-showing]",
        &format!("of {expected} entr"),
    )
    .await;
    eprintln!("customer filter ({expected} entries): {filtered} ms");
    s.screenshot(&webdriver::out_dir().join("e2e-audit-million.png"))
        .await;
    assert!(again < 1000, "the first page took {again} ms");
    assert!(filtered < 1000, "the customer filter took {filtered} ms");
    s.close().await;
}
