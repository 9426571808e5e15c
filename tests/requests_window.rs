//! End to end: a 376-FZ refusal from a ticket link to a saved confirmation, in the real window
//! under Xvfb, in English and in Russian. The app is started the way the OS starts it for a
//! `carddesk://` link; the link fills in a new request (and sends nothing); the agent opens it,
//! records the identity check, looks the customer up from the request, removes every card in
//! the request's context (the dialog prefilled with the ticket), and saves the confirmation,
//! whose text is in the window's language and names every removed card, and whose SHA-256 the
//! audit log then holds. A lookup link that reaches the app while it runs is handed to the open
//! window by the second copy, which exits at once. Runs when CARDDESK_E2E=1 (scripts/test.sh
//! sets it inside Xvfb and D-Bus).
#![allow(clippy::unwrap_used)]

mod request_flow;
mod webdriver;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use request_flow::{Lang, audit_log, pdf_pages, pdf_text, shown_last4, value_of};
use serde_json::json;
use webdriver::Session;

const WAIT: Duration = Duration::from_secs(30);

/// One window at a time: the app is single-instance within a D-Bus session, so a second app
/// started beside the first would hand itself over to it.
static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// What differs between the two languages' runs.
struct Refusal {
    lang: Lang,
    /// The fresh install's name (its own data dir).
    install: &'static str,
    ticket: &'static str,
    /// What the customer was asked, and a part of it the recorded check shows.
    asked: &'static str,
    asked_shown: &'static str,
    card_count: &'static str,
    /// The confirmation's title and a part of its file name.
    title: &'static str,
    file: &'static str,
}

const ENGLISH: Refusal = Refusal {
    lang: Lang::En,
    install: "requests_window_en",
    ticket: "ZD-5812",
    asked: "last 4 and expiry of the card",
    asked_shown: "last 4 and expiry",
    card_count: "3 saved cards",
    title: "Confirmation of the refusal of saved card details",
    file: "refusal-confirmation",
};

const RUSSIAN: Refusal = Refusal {
    lang: Lang::Ru,
    install: "requests_window_ru",
    ticket: "ZD-5813",
    asked: "последние 4 цифры и срок действия карты",
    asked_shown: "последние 4 цифры",
    card_count: "3 сохранённые карты",
    title: "Подтверждение отказа от сохранённых реквизитов банковской карты",
    file: "podtverzhdenie-otkaza",
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_from_a_ticket_link_ends_in_a_saved_confirmation_in_english() {
    refusal(&ENGLISH).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_from_a_ticket_link_ends_in_a_saved_confirmation_in_russian() {
    refusal(&RUSSIAN).await;
}

async fn refusal(run: &Refusal) {
    if !webdriver::enabled("requests_window") {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let lang = run.lang.code();
    let app = PathBuf::from(env!("CARGO_BIN_EXE_card-desk"));
    let dialogs = tempfile::tempdir().unwrap();
    let dialog_dir = dialogs.path().to_string_lossy().into_owned();
    let link = format!(
        "carddesk://request/new?type=card-refusal&customer=1234&ticket={}&utm_source=zendesk",
        run.ticket
    );
    let s = Session::start_fresh_with_args(
        &app,
        run.install,
        &[("CARDDESK_E2E_DIALOG_DIR", dialog_dir.as_str())],
        &[link.as_str()],
    )
    .await;
    let out = webdriver::out_dir();

    s.wait_text("[data-testid=env-banner]", "452739", WAIT)
        .await;
    s.click_text(
        &format!("[data-testid=lang-{lang}]"),
        run.lang.label(),
        WAIT,
    )
    .await;
    // The link filled in a new request, and nothing more.
    s.find("[data-testid=request-form]", WAIT).await;
    let deadline = Instant::now() + WAIT;
    while value_of(&s, "[data-testid=request-customer]").await != json!("1234") {
        assert!(Instant::now() < deadline, "the link's customer");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        value_of(&s, "[data-testid=request-ticket]").await,
        json!(run.ticket)
    );
    s.screenshot(&out.join(format!("e2e-request-{lang}-01-from-link.png")))
        .await;

    s.click(&s.find("[data-testid=request-submit]", WAIT).await)
        .await;
    let detail = s
        .wait_text("[data-testid=request-detail]", run.ticket, WAIT)
        .await;
    assert!(detail.contains("1234"), "{detail}");

    // Identity first: what the customer named, and that it matched.
    s.type_into(
        &s.find("[data-testid=request-identity-asked]", WAIT).await,
        run.asked,
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
    s.wait_text("[data-testid=request-identity]", run.asked_shown, WAIT)
        .await;

    // Look the customer up from the request: the removals are made in its context.
    s.click(&s.find("[data-testid=request-lookup]", WAIT).await)
        .await;
    s.wait_text("[data-testid=request-context-bar]", run.ticket, WAIT)
        .await;
    s.wait_text("[data-testid=card-count]", run.card_count, WAIT)
        .await;
    let last4 = shown_last4(&s).await;
    assert_eq!(last4.len(), 3, "{last4:?}");
    s.screenshot(&out.join(format!("e2e-request-{lang}-02-context.png")))
        .await;
    s.click(&s.find("[data-testid=customer-revoke-all]", WAIT).await)
        .await;
    s.find("[data-testid=revoke-all-dialog]", WAIT).await;
    assert_eq!(
        value_of(&s, "[data-testid=revoke-ticket]").await,
        json!(run.ticket),
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
    s.screenshot(&out.join(format!("e2e-request-{lang}-03-confirmation.png")))
        .await;

    let pdf = std::fs::read_dir(dialogs.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .expect("the confirmation was saved where the dialog said");
    assert!(
        request_flow::name_of(&pdf).contains(run.file),
        "{}",
        pdf.display()
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    // The customer's confirmation, in the window's language, names every card removed.
    let text = pdf_text(&pdf);
    assert!(text.contains(run.title), "{text}");
    for digits in &last4 {
        assert!(text.contains(digits.as_str()), "card …{digits} in: {text}");
    }
    pdf_pages(
        &pdf,
        &out.join(format!("e2e-request-{lang}-04-confirmation-page")),
    );
    let digest = desk::documents::sha256_hex(&bytes);
    assert!(
        audit_log(run.install).contains(&format!("sha256 {digest}")),
        "the confirmation's digest is in the audit chain"
    );
    s.close().await;
}

/// A `carddesk://lookup` link clicked while the desk is open: the OS starts a second copy with
/// it, which hands the link to the running window (single-instance, then deep-link) and exits;
/// the window's search then holds the customer and the ticket goes to its revoke dialog.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_clicked_while_the_desk_runs_reaches_the_open_window() {
    if !webdriver::enabled("requests_window") {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let app = PathBuf::from(env!("CARGO_BIN_EXE_card-desk"));
    let env = webdriver::fresh_dirs("link_to_running");
    let mut vars: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    vars.push(("CARDDESK_SANDBOX_TOKEN", webdriver::SANDBOX_TOKEN));
    let s = Session::start(&app, &vars).await;
    let out = webdriver::out_dir();
    s.wait_text("[data-testid=env-banner]", "452739", WAIT)
        .await;
    s.click_text("[data-testid=lang-en]", "EN", WAIT).await;
    s.find("#customer", WAIT).await;
    assert_eq!(value_of(&s, "#customer").await, json!(""));

    // The second copy: same environment, D-Bus session and data dir, as the OS starts it.
    let log = std::env::temp_dir().join(format!("carddesk-link-{}.log", std::process::id()));
    let mut second = Command::new(&app);
    for (k, v) in &vars {
        second.env(k, v);
    }
    let started = Instant::now();
    let mut child = second
        .arg("carddesk://lookup?customer=100025&ticket=ZD-6100")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(15) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!(
                "the second copy still ran after 15 s: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let exited_after = started.elapsed();
    let stderr = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    assert!(status.success(), "the second copy: {status}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    println!("the second copy handed the link over and exited after {exited_after:?}");
    assert!(
        exited_after < Duration::from_secs(5),
        "the second copy took {exited_after:?} to exit"
    );

    // The first window holds the link's customer, ready for Find cards.
    let deadline = Instant::now() + WAIT;
    while value_of(&s, "#customer").await != json!("100025") {
        if Instant::now() > deadline {
            s.screenshot(&out.join("e2e-request-link-missing.png"))
                .await;
            let text = s.execute("return document.body.innerText", json!([])).await;
            panic!("the link's customer never reached the window; it showed: {text}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    s.screenshot(&out.join("e2e-request-link-01-handed-over.png"))
        .await;
    s.click(&s.find("form.search button[type=submit]", WAIT).await)
        .await;
    s.wait_text("[data-testid=card-count]", "25 saved cards", WAIT)
        .await;
    // The link's ticket goes to the removal (and nothing was removed by the link).
    s.click(&s.find("[data-testid=customer-revoke-all]", WAIT).await)
        .await;
    s.find("[data-testid=revoke-all-dialog]", WAIT).await;
    assert_eq!(
        value_of(&s, "[data-testid=revoke-ticket]").await,
        json!("ZD-6100"),
        "the link's ticket is prefilled"
    );
    s.screenshot(&out.join("e2e-request-link-02-ticket.png"))
        .await;
    s.click(&s.find("[data-testid=revoke-cancel]", WAIT).await)
        .await;
    s.wait_text("[data-testid=card-count]", "25 saved cards", WAIT)
        .await;
    s.close().await;
}
