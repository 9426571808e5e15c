//! End to end: the real Card Desk window under Xvfb, driven through tauri-driver and
//! WebKitWebDriver, against the app's embedded sandbox and a real Secret Service. One session
//! walks what a support agent does: find a customer and see the cards with their art decoded
//! (images and a PDF drawn by pdf.js), switch language and theme, add a profile with a password,
//! switch to it, test a wrong password, and go offline to see cached cards flagged. The run
//! saves screenshots. Runs when CARDDESK_E2E=1 (scripts/test.sh sets it inside Xvfb and D-Bus).
#![allow(clippy::unwrap_used)]

mod webdriver;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};
use webdriver::Session;

const WAIT: Duration = Duration::from_secs(20);
/// The known password the leak check in scripts/test.sh searches for afterwards.
const CANARY: &str = concat!("Canary-Pw-", "7Q2x");

async fn search(s: &Session, customer: &str) {
    // The first navigation item is Search, whatever the language.
    s.click(&s.find("nav .nav-item", WAIT).await).await;
    let input = s.find("#customer", WAIT).await;
    s.type_into(&input, customer).await;
    let submit = s.find("form.search button[type=submit]", WAIT).await;
    s.click(&submit).await;
}

/// Waits until every card-art image in the view has loaded with real pixels and every PDF
/// canvas reports it was drawn; returns (images, pdfs).
async fn art_decoded(s: &Session) -> (u64, u64) {
    let script = "const imgs = [...document.querySelectorAll('[data-testid=customer-view] img')]; \
        const pdfs = [...document.querySelectorAll('[data-testid=customer-view] canvas')]; \
        const imgsOk = imgs.every(i => i.complete && i.naturalWidth > 0); \
        const pdfsOk = pdfs.every(c => c.dataset.status === 'ok'); \
        return { ready: imgsOk && pdfsOk, imgs: imgs.length, pdfs: pdfs.length, \
                 states: pdfs.map(c => c.dataset.status) };";
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let v = s.execute(script, json!([])).await;
        if v["ready"] == Value::Bool(true) {
            return (v["imgs"].as_u64().unwrap(), v["pdfs"].as_u64().unwrap());
        }
        assert!(
            std::time::Instant::now() < deadline,
            "card art never decoded: {v}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_support_agent_session_in_the_real_window() {
    if !webdriver::enabled("app_window") {
        return;
    }
    let app = PathBuf::from(env!("CARGO_BIN_EXE_card-desk"));
    let s = Session::start_fresh(&app, "app_window").await;
    let out = webdriver::out_dir();

    // The UI follows the system language; this walk-through is in English first.
    s.wait_text("[data-testid=env-banner]", "452739", WAIT)
        .await;
    s.click_text("[data-testid=lang-en]", "EN", WAIT).await;
    s.wait_text("nav", "Search", WAIT).await;
    // First run: the built-in sandbox profile, flagged as demo data.
    let banner = s
        .wait_text("[data-testid=env-banner]", "Sandbox", WAIT)
        .await;
    assert!(
        banner.contains("452739"),
        "banner names the demo merchant: {banner}"
    );
    s.screenshot(&out.join("e2e-01-first-run.png")).await;

    // The documentation's own customer: its two example cards plus the removal example's.
    search(&s, "1234").await;
    s.wait_text("[data-testid=card-count]", "3 saved cards", WAIT)
        .await;
    let masked = s
        .execute(
            "return [...document.querySelectorAll('[data-testid=masked]')].map(e => e.textContent.trim())",
            json!([]),
        )
        .await;
    let masked: Vec<String> = serde_json::from_value(masked).unwrap();
    assert!(
        masked.contains(&"4123 62•• •••• 0028".to_owned()),
        "{masked:?}"
    );
    assert!(
        masked.contains(&"5186 15•• •••• 1030".to_owned()),
        "{masked:?}"
    );
    let (imgs, _) = art_decoded(&s).await;
    assert!(imgs >= 3, "card art images decoded: {imgs}");
    s.screenshot(&out.join("e2e-02-customer-1234.png")).await;

    // PDF brand logos, drawn by pdf.js in WebKitGTK.
    search(&s, "100500").await;
    s.wait_text("[data-testid=card-count]", "2 saved cards", WAIT)
        .await;
    let (_, pdfs) = art_decoded(&s).await;
    assert!(pdfs >= 1, "the PDF logo is drawn");
    s.screenshot(&out.join("e2e-03-pdf-art.png")).await;

    // A number the gateway would silently rewrite is refused before anything is sent.
    search(&s, "12<3>4").await;
    s.wait_text("#customer-help", "none of", WAIT).await;

    // Russian and dark theme, switched at run time.
    s.click_text("[data-testid=lang-ru]", "RU", WAIT).await;
    s.click_text("nav button", "Тёмная", WAIT).await;
    s.wait_text("label[for=customer]", "Номер клиента", WAIT)
        .await;
    let theme = s
        .execute("return document.documentElement.dataset.theme", json!([]))
        .await;
    assert_eq!(theme, "dark");
    search(&s, "100700").await;
    s.wait_text("[data-testid=card-count]", "сохранённые карты", WAIT)
        .await;
    art_decoded(&s).await;
    s.screenshot(&out.join("e2e-04-ru-dark.png")).await;
    s.click_text("[data-testid=lang-en]", "EN", WAIT).await;
    s.click_text("nav button", "Light", WAIT).await;

    // The embedded sandbox's address, as the settings list shows it.
    let status = s.invoke("desk_status", json!({})).await;
    let sandbox_url = status["profiles"][0]["baseUrl"]
        .as_str()
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    assert!(
        sandbox_url.starts_with("http://127.0.0.1:"),
        "{sandbox_url}"
    );

    // Add a real-looking profile with a password (it goes to the Secret Service).
    add_profile(&s, "Shop test", &sandbox_url, "PASSWORD").await;
    s.click_text("button", "Use profile Shop test", WAIT).await;
    s.wait_text("[data-testid=env-banner]", "Shop test", WAIT)
        .await;
    s.screenshot(&out.join("e2e-05-profiles.png")).await;

    // A profile whose password is wrong: Test connection says so, in plain words.
    add_profile(&s, "Wrong password", &sandbox_url, CANARY).await;
    s.click_text("button", "Test connection of Wrong password", WAIT)
        .await;
    s.wait_text(
        "[data-testid=verdict]",
        "refused the login or password",
        WAIT,
    )
    .await;

    // Look a customer up in the new profile, then go offline and see the cache flagged.
    search(&s, "100025").await;
    s.wait_text("[data-testid=card-count]", "25 saved cards", WAIT)
        .await;
    let faults = reqwest::Client::builder().no_proxy().build().unwrap();
    let put = faults
        .put(format!("{sandbox_url}/_sandbox/faults"))
        .bearer_auth(webdriver::SANDBOX_TOKEN)
        .json(&json!({"html5xx": 1000}))
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success(), "{}", put.status());
    s.click(&s.find("[data-testid=refresh]", WAIT).await).await;
    s.wait_text("[data-testid=offline-badge]", "offline", WAIT)
        .await;
    s.wait_text("[data-testid=card-count]", "25 saved cards", WAIT)
        .await;
    s.screenshot(&out.join("e2e-06-offline.png")).await;
    faults
        .delete(format!("{sandbox_url}/_sandbox/faults"))
        .bearer_auth(webdriver::SANDBOX_TOKEN)
        .send()
        .await
        .unwrap();

    // Passwords only go in: the status the UI gets never carries one.
    let status = s.invoke("desk_status", json!({})).await.to_string();
    assert!(
        !status.contains(CANARY) && !status.contains("PASSWORD"),
        "{status}"
    );

    s.close().await;
}

async fn add_profile(s: &Session, name: &str, url: &str, password: &str) {
    s.click_text("nav button", "Settings", WAIT).await;
    s.click_text("button", "Add profile", WAIT).await;
    s.find("[data-testid=profile-form]", WAIT).await;
    s.type_into(&s.find("#pf-name", WAIT).await, name).await;
    s.set_value("#pf-environment", "test").await;
    s.set_value("#pf-preset", "custom").await;
    s.type_into(&s.find("#pf-url", WAIT).await, url).await;
    s.type_into(&s.find("#pf-merchantId", WAIT).await, "452739")
        .await;
    s.type_into(&s.find("#pf-login", WAIT).await, "LOGIN").await;
    s.type_into(&s.find("#pf-password", WAIT).await, password)
        .await;
    s.click(
        &s.find("[data-testid=profile-form] button[type=submit]", WAIT)
            .await,
    )
    .await;
    s.wait_text("[data-testid=profile-list]", name, WAIT).await;
}
