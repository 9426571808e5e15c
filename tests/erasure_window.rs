//! End to end, in Russian and in English: a 152-FZ erasure request from a ticket link to its
//! Order 179 act and the event-log export, in the real window under Xvfb. The link fills in
//! the request; the agent records the identity check, removes every saved card from the
//! request's context, fills in the act (operator, information system, who destroyed the data)
//! and saves the documents into a folder; the act's and the export's text are in the window's
//! language and name the customer, the operator and who did it, the export lists the removals,
//! and each file's SHA-256 is in the audit chain. Runs when CARDDESK_E2E=1 (scripts/test.sh
//! sets it inside Xvfb and D-Bus).
#![allow(clippy::unwrap_used)]

mod request_flow;
mod webdriver;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use request_flow::{Lang, audit_log, name_of, pdf_pages, pdf_text, shown_last4, value_of, walk};
use serde_json::json;
use webdriver::Session;

const WAIT: Duration = Duration::from_secs(30);

/// One window at a time: the app is single-instance within a D-Bus session, so a second app
/// started beside the first would hand itself over to it.
static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// What differs between the two languages' runs.
struct Erasure {
    lang: Lang,
    /// The fresh install's name (its own data dir).
    install: &'static str,
    ticket: &'static str,
    law: &'static str,
    asked: &'static str,
    asked_shown: &'static str,
    card_count: &'static str,
    operator: &'static str,
    address: &'static str,
    system: &'static str,
    person: &'static str,
    position: &'static str,
    act_title: &'static str,
    log_title: &'static str,
    /// The export's first column, as its CSV header names it.
    subject_column: &'static str,
}

const RUSSIAN: Erasure = Erasure {
    lang: Lang::Ru,
    install: "erasure_window_ru",
    ticket: "ZD-7001",
    law: "152-ФЗ",
    asked: "e-mail в профиле и последние 4 цифры",
    asked_shown: "последние 4 цифры",
    card_count: "3 сохранённые карты",
    operator: "ООО «Ромашка»",
    address: "Москва, ул. Ленина, д. 1",
    system: "Card Desk и шлюз IPS Assist",
    person: "Анна Петрова",
    position: "специалист поддержки",
    act_title: "Акт об уничтожении персональных данных",
    log_title: "Выгрузка из журнала регистрации событий в информационной системе персональных данных",
    subject_column: "(а) Субъект персональных данных",
};

const ENGLISH: Erasure = Erasure {
    lang: Lang::En,
    install: "erasure_window_en",
    ticket: "ZD-7002",
    law: "152-FZ",
    asked: "account e-mail and the last 4 digits",
    asked_shown: "the last 4 digits",
    card_count: "3 saved cards",
    operator: "Daisy LLC",
    address: "1 Lenin Street, Moscow",
    system: "Card Desk and the IPS Assist gateway",
    person: "Anna Petrova",
    position: "support specialist",
    act_title: "Act of destruction of personal data",
    log_title: "Export from the event log of the personal data information system",
    subject_column: "(a) Data subject",
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_from_a_ticket_link_ends_in_the_act_and_the_log_export_in_russian() {
    erasure(&RUSSIAN).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_from_a_ticket_link_ends_in_the_act_and_the_log_export_in_english() {
    erasure(&ENGLISH).await;
}

async fn fill(s: &Session, testid: &str, text: &str) {
    let css = format!("[data-testid=\"{testid}\"]");
    s.type_into(&s.find(&css, WAIT).await, text).await;
}

async fn erasure(run: &Erasure) {
    if !webdriver::enabled("erasure_window") {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let lang = run.lang.code();
    let app = PathBuf::from(env!("CARGO_BIN_EXE_card-desk"));
    let dialogs = tempfile::tempdir().unwrap();
    let dialog_dir = dialogs.path().to_string_lossy().into_owned();
    let link = format!(
        "carddesk://request/new?type=erasure-152&customer=1234&ticket={}",
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
    s.find("[data-testid=request-form]", WAIT).await;
    let deadline = Instant::now() + WAIT;
    while value_of(&s, "[data-testid=request-customer]").await != json!("1234") {
        assert!(Instant::now() < deadline, "the link's customer");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The link chose the kind: an erasure (152-FZ), not the form's default.
    let deadline = Instant::now() + WAIT;
    while s
        .execute(
            "const r = document.querySelector('[data-testid=request-kind-erasure152]'); \
             return !!(r && r.checked);",
            json!([]),
        )
        .await
        != json!(true)
    {
        assert!(Instant::now() < deadline, "the link's kind");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    s.click(&s.find("[data-testid=request-submit]", WAIT).await)
        .await;
    let detail = s
        .wait_text("[data-testid=request-detail]", run.ticket, WAIT)
        .await;
    assert!(detail.contains(run.law), "{detail}");

    fill(&s, "request-identity-asked", run.asked).await;
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

    // Every saved card removed from the request's context (its ticket prefilled).
    s.click(&s.find("[data-testid=request-lookup]", WAIT).await)
        .await;
    s.wait_text("[data-testid=request-context-bar]", run.ticket, WAIT)
        .await;
    s.wait_text("[data-testid=card-count]", run.card_count, WAIT)
        .await;
    let last4 = shown_last4(&s).await;
    assert_eq!(last4.len(), 3, "{last4:?}");
    s.click(&s.find("[data-testid=customer-revoke-all]", WAIT).await)
        .await;
    s.find("[data-testid=revoke-all-dialog]", WAIT).await;
    assert_eq!(
        value_of(&s, "[data-testid=revoke-ticket]").await,
        json!(run.ticket)
    );
    s.click(&s.find("[data-testid=revoke-submit]", WAIT).await)
        .await;
    s.find("[data-testid=revoke-all-result]", Duration::from_secs(60))
        .await;
    s.click(&s.find("[data-testid=revoke-close]", WAIT).await)
        .await;
    s.click(&s.find("[data-testid=request-context-back]", WAIT).await)
        .await;
    s.wait_text("[data-testid=request-detail]", run.ticket, WAIT)
        .await;
    s.find("[data-testid=request-removals]", WAIT).await;

    // The act: who the operator is, the system, who destroyed the data.
    let make = find_or_explain(&s, "[data-testid=request-make-erasure]", &out, lang).await;
    s.click(&make).await;
    s.find("[data-testid=erasure-form]", WAIT).await;
    let signatories = s
        .execute(
            "return document.querySelectorAll('[data-testid=erasure-signatory]').length",
            json!([]),
        )
        .await;
    if signatories == json!(0) {
        s.click(&s.find("[data-testid=erasure-add-signatory]", WAIT).await)
            .await;
    }
    fill(&s, "erasure-operator_name", run.operator).await;
    fill(&s, "erasure-operator_address", run.address).await;
    fill(&s, "erasure-information_system", run.system).await;
    fill(&s, "erasure-destroyed_by[0].name", run.person).await;
    fill(&s, "erasure-destroyed_by[0].position", run.position).await;
    s.execute(
        "document.querySelector('[data-testid=erasure-form]').scrollIntoView({block: 'center'})",
        json!([]),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    s.screenshot(&out.join(format!("e2e-erasure-{lang}-01-act-form.png")))
        .await;
    s.click(&s.find("[data-testid=erasure-submit]", WAIT).await)
        .await;
    s.wait_text("[data-testid=request-documents-list]", ".csv", WAIT)
        .await;
    s.execute(
        "document.querySelector('[data-testid=request-documents]').scrollIntoView({block: 'center'})",
        json!([]),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    s.screenshot(&out.join(format!("e2e-erasure-{lang}-02-documents.png")))
        .await;

    let saved: Vec<PathBuf> = walk(dialogs.path());
    let pdf_named = |part: &str| {
        saved
            .iter()
            .find(|p| p.extension().is_some_and(|x| x == "pdf") && name_of(p).contains(part))
            .unwrap_or_else(|| panic!("a PDF named …{part}… among {saved:?}"))
    };
    let act = pdf_named("destruction-act");
    let log_pdf = pdf_named("log-export");
    let export = saved
        .iter()
        .find(|p| p.extension().is_some_and(|x| x == "csv"))
        .unwrap_or_else(|| panic!("the log export among {saved:?}"));

    // The act, in the window's language: the customer, the operator, who destroyed the data.
    let text = pdf_text(act);
    for needle in [
        run.act_title,
        "1234",
        run.operator,
        run.person,
        run.position,
    ] {
        assert!(text.contains(needle), "{needle:?} in the act: {text}");
    }
    for digits in &last4 {
        assert!(text.contains(digits.as_str()), "card …{digits} in: {text}");
    }
    pdf_pages(act, &out.join(format!("e2e-erasure-{lang}-03-act-page")));
    // The export from the event log, as a PDF and as CSV: one row per removal.
    let text = pdf_text(log_pdf);
    for needle in [run.log_title, run.operator, run.system] {
        assert!(
            text.contains(needle),
            "{needle:?} in the log export: {text}"
        );
    }
    for digits in &last4 {
        assert!(text.contains(digits.as_str()), "card …{digits} in: {text}");
    }
    pdf_pages(
        log_pdf,
        &out.join(format!("e2e-erasure-{lang}-04-log-page")),
    );
    let csv = std::fs::read_to_string(export).unwrap();
    let header = csv.lines().next().unwrap_or_default();
    assert!(header.contains(run.subject_column), "{header}");
    assert!(
        csv.lines().filter(|l| l.contains("1234")).count() >= 3,
        "the export lists the three removals: {csv}"
    );

    let log = audit_log(run.install);
    for file in saved.iter().filter(|p| p.is_file()) {
        let digest = desk::documents::sha256_hex(&std::fs::read(file).unwrap());
        assert!(
            log.contains(&format!("sha256 {digest}")),
            "{} is in the audit chain",
            file.display()
        );
    }
    s.close().await;
}

/// `css`, or — when it does not come within the wait — a screenshot and the page's text in the
/// failure, so a run elsewhere says what the window showed instead.
async fn find_or_explain(s: &Session, css: &str, out: &Path, lang: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let found = s
            .execute(
                "return !!document.querySelector(arguments[0])",
                json!([css]),
            )
            .await;
        if found == json!(true) {
            return s.find(css, WAIT).await;
        }
        if Instant::now() > deadline {
            s.screenshot(&out.join(format!("e2e-erasure-{lang}-missing.png")))
                .await;
            let text = s.execute("return document.body.innerText", json!([])).await;
            panic!("no {css} within {WAIT:?}; the window showed: {text}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
