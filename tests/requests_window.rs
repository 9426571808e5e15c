//! End to end: a 376-FZ refusal from a ticket link to a saved confirmation, in the real window
//! under Xvfb. The app is started the way the OS starts it for a `carddesk://` link; the link
//! fills in a new request (and sends nothing); the agent opens it, records the identity check,
//! looks the customer up from the request, removes every card in the request's context (the
//! dialog prefilled with the ticket), and saves the confirmation, whose SHA-256 the audit log
//! then holds. Runs when CARDDESK_E2E=1 (scripts/test.sh sets it inside Xvfb and D-Bus).
#![allow(clippy::unwrap_used)]

mod webdriver;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};
use webdriver::Session;

const WAIT: Duration = Duration::from_secs(30);
const LINK: &str =
    "carddesk://request/new?type=card-refusal&customer=1234&ticket=ZD-5812&utm_source=zendesk";

async fn value_of(s: &Session, css: &str) -> Value {
    s.execute(
        "const el = document.querySelector(arguments[0]); return el ? el.value : null;",
        json!([css]),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_from_a_ticket_link_ends_in_a_saved_confirmation() {
    if !webdriver::enabled("requests_window") {
        return;
    }
    let app = PathBuf::from(env!("CARGO_BIN_EXE_card-desk"));
    let dialogs = tempfile::tempdir().unwrap();
    let dialog_dir = dialogs.path().to_string_lossy().into_owned();
    let s = Session::start_fresh_with_args(
        &app,
        "requests_window",
        &[("CARDDESK_E2E_DIALOG_DIR", dialog_dir.as_str())],
        &[LINK],
    )
    .await;
    let out = webdriver::out_dir();

    s.wait_text("[data-testid=env-banner]", "452739", WAIT)
        .await;
    s.click_text("[data-testid=lang-en]", "EN", WAIT).await;
    // The link filled in a new request, and nothing more.
    s.find("[data-testid=request-form]", WAIT).await;
    let deadline = std::time::Instant::now() + WAIT;
    while value_of(&s, "[data-testid=request-customer]").await != json!("1234") {
        assert!(std::time::Instant::now() < deadline, "the link's customer");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        value_of(&s, "[data-testid=request-ticket]").await,
        json!("ZD-5812")
    );
    s.screenshot(&out.join("e2e-request-01-from-link.png"))
        .await;

    s.click(&s.find("[data-testid=request-submit]", WAIT).await)
        .await;
    let detail = s
        .wait_text("[data-testid=request-detail]", "ZD-5812", WAIT)
        .await;
    assert!(detail.contains("1234"), "{detail}");

    // Identity first: what the customer named, and that it matched.
    s.type_into(
        &s.find("[data-testid=request-identity-asked]", WAIT).await,
        "last 4 and expiry of the card",
    )
    .await;
    let matched = s
        .execute(
            "const c = document.querySelector('[data-testid=request-identity-matched]'); \
             if (!c.checked) c.click(); return c.checked;",
            json!([]),
        )
        .await;
    assert_eq!(matched, json!(true));
    s.click(&s.find("[data-testid=request-identity-record]", WAIT).await)
        .await;
    s.wait_text("[data-testid=request-identity]", "last 4 and expiry", WAIT)
        .await;

    // Look the customer up from the request: the removals are made in its context.
    s.click(&s.find("[data-testid=request-lookup]", WAIT).await)
        .await;
    s.wait_text("[data-testid=request-context-bar]", "ZD-5812", WAIT)
        .await;
    s.wait_text("[data-testid=card-count]", "3 saved cards", WAIT)
        .await;
    s.screenshot(&out.join("e2e-request-02-context.png")).await;
    s.click(&s.find("[data-testid=customer-revoke-all]", WAIT).await)
        .await;
    s.find("[data-testid=revoke-all-dialog]", WAIT).await;
    assert_eq!(
        value_of(&s, "[data-testid=revoke-ticket]").await,
        json!("ZD-5812"),
        "the request's ticket is prefilled"
    );
    s.click(&s.find("[data-testid=revoke-submit]", WAIT).await)
        .await;
    s.find("[data-testid=revoke-all-result]", Duration::from_secs(60))
        .await;
    let outcomes = s
        .execute(
            "return [...document.querySelectorAll('[data-testid=revoke-all-row]')].map(r => r.dataset.outcome)",
            json!([]),
        )
        .await;
    assert_eq!(outcomes, json!(["removed", "removed", "removed"]));
    s.click(&s.find("[data-testid=revoke-close]", WAIT).await)
        .await;

    // Back in the request: the removals are linked; the confirmation is saved.
    s.click(&s.find("[data-testid=request-context-back]", WAIT).await)
        .await;
    s.find("[data-testid=request-removals]", WAIT).await;
    let removals = s
        .execute(
            "return document.querySelectorAll('[data-testid=request-removal]').length",
            json!([]),
        )
        .await;
    assert_eq!(removals, json!(3));
    s.click(
        &s.find("[data-testid=request-save-confirmation]", WAIT)
            .await,
    )
    .await;
    s.wait_text("[data-testid=request-documents-list]", ".pdf", WAIT)
        .await;
    s.execute(
        "document.querySelector('[data-testid=request-documents]').scrollIntoView({block: 'center'})",
        json!([]),
    )
    .await;
    s.screenshot(&out.join("e2e-request-03-confirmation.png"))
        .await;

    let pdf = std::fs::read_dir(dialogs.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .expect("the confirmation was saved where the dialog said");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let digest = desk::documents::sha256_hex(&bytes);
    let audit = webdriver::fresh_dirs_path("requests_window", "XDG_DATA_HOME")
        .join("ru.carddesk.app/audit/audit.jsonl");
    let log = std::fs::read_to_string(&audit).unwrap();
    assert!(
        log.contains(&format!("sha256 {digest}")),
        "the confirmation's digest is in the audit chain"
    );
    s.close().await;
}
