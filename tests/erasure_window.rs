//! End to end, in Russian: a 152-FZ erasure request from a ticket link to its Order 179 act and
//! the event-log export, in the real window under Xvfb. The link fills in the request; the
//! agent records the identity check, removes every saved card from the request's context, fills
//! in the act (operator, information system, who destroyed the data) and saves both documents
//! into a folder; the act's text is Russian and names the customer and the method, the export
//! lists the removals, and each file's SHA-256 is in the audit chain. Runs when CARDDESK_E2E=1
//! (scripts/test.sh sets it inside Xvfb and D-Bus).
#![allow(clippy::unwrap_used)]

mod webdriver;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use webdriver::Session;

const WAIT: Duration = Duration::from_secs(30);
const LINK: &str = "carddesk://request/new?type=erasure-152&customer=1234&ticket=ZD-7001";

async fn value_of(s: &Session, css: &str) -> Value {
    s.execute(
        "const el = document.querySelector(arguments[0]); return el ? el.value : null;",
        json!([css]),
    )
    .await
}

async fn fill(s: &Session, testid: &str, text: &str) {
    let css = format!("[data-testid=\"{testid}\"]");
    s.type_into(&s.find(&css, WAIT).await, text).await;
}

fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/install-deps.sh");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_from_a_ticket_link_ends_in_the_act_and_the_log_export_in_russian() {
    if !webdriver::enabled("erasure_window") {
        return;
    }
    let app = PathBuf::from(env!("CARGO_BIN_EXE_card-desk"));
    let dialogs = tempfile::tempdir().unwrap();
    let dialog_dir = dialogs.path().to_string_lossy().into_owned();
    let s = Session::start_fresh_with_args(
        &app,
        "erasure_window",
        &[("CARDDESK_E2E_DIALOG_DIR", dialog_dir.as_str())],
        &[LINK],
    )
    .await;
    let out = webdriver::out_dir();

    s.wait_text("[data-testid=env-banner]", "452739", WAIT)
        .await;
    s.click_text("[data-testid=lang-ru]", "RU", WAIT).await;
    s.find("[data-testid=request-form]", WAIT).await;
    let deadline = std::time::Instant::now() + WAIT;
    while value_of(&s, "[data-testid=request-customer]").await != json!("1234") {
        assert!(std::time::Instant::now() < deadline, "the link's customer");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The link chose the kind: an erasure (152-FZ), not the form's default.
    let deadline = std::time::Instant::now() + WAIT;
    while s
        .execute(
            "const r = document.querySelector('[data-testid=request-kind-erasure152]'); \
             return !!(r && r.checked);",
            json!([]),
        )
        .await
        != json!(true)
    {
        assert!(std::time::Instant::now() < deadline, "the link's kind");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    s.click(&s.find("[data-testid=request-submit]", WAIT).await)
        .await;
    let detail = s
        .wait_text("[data-testid=request-detail]", "ZD-7001", WAIT)
        .await;
    assert!(detail.contains("152-ФЗ"), "{detail}");

    fill(
        &s,
        "request-identity-asked",
        "e-mail в профиле и последние 4 цифры",
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
    s.wait_text("[data-testid=request-identity]", "последние 4 цифры", WAIT)
        .await;

    // Every saved card removed from the request's context (its ticket prefilled).
    s.click(&s.find("[data-testid=request-lookup]", WAIT).await)
        .await;
    s.wait_text("[data-testid=request-context-bar]", "ZD-7001", WAIT)
        .await;
    s.wait_text("[data-testid=card-count]", "3", WAIT).await;
    s.click(&s.find("[data-testid=customer-revoke-all]", WAIT).await)
        .await;
    s.find("[data-testid=revoke-all-dialog]", WAIT).await;
    assert_eq!(
        value_of(&s, "[data-testid=revoke-ticket]").await,
        json!("ZD-7001")
    );
    s.click(&s.find("[data-testid=revoke-submit]", WAIT).await)
        .await;
    s.find("[data-testid=revoke-all-result]", Duration::from_secs(60))
        .await;
    s.click(&s.find("[data-testid=revoke-close]", WAIT).await)
        .await;
    s.click(&s.find("[data-testid=request-context-back]", WAIT).await)
        .await;
    s.wait_text("[data-testid=request-detail]", "ZD-7001", WAIT)
        .await;
    s.find("[data-testid=request-removals]", WAIT).await;

    // The act: who the operator is, the system, who destroyed the data.
    let make = find_or_explain(&s, "[data-testid=request-make-erasure]", &out).await;
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
    fill(&s, "erasure-operator_name", "ООО «Ромашка»").await;
    fill(&s, "erasure-operator_address", "Москва, ул. Ленина, д. 1").await;
    fill(
        &s,
        "erasure-information_system",
        "Card Desk и шлюз IPS Assist",
    )
    .await;
    fill(&s, "erasure-destroyed_by[0].name", "Анна Петрова").await;
    fill(
        &s,
        "erasure-destroyed_by[0].position",
        "специалист поддержки",
    )
    .await;
    s.execute(
        "document.querySelector('[data-testid=erasure-form]').scrollIntoView({block: 'center'})",
        json!([]),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    s.screenshot(&out.join("e2e-erasure-01-act-form.png")).await;
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
    s.screenshot(&out.join("e2e-erasure-02-documents.png"))
        .await;

    let saved: Vec<PathBuf> = walk(dialogs.path());
    let act = saved
        .iter()
        .find(|p| p.extension().is_some_and(|x| x == "pdf") && !name_of(p).contains("log"))
        .unwrap_or_else(|| panic!("the act among {saved:?}"));
    let export = saved
        .iter()
        .find(|p| p.extension().is_some_and(|x| x == "csv"))
        .unwrap_or_else(|| panic!("the log export among {saved:?}"));
    let text = pdf_text(act);
    assert!(
        text.contains("Акт об уничтожении персональных данных"),
        "{text}"
    );
    assert!(text.contains("1234"), "{text}");
    assert!(text.contains("ООО «Ромашка»"), "{text}");
    assert!(text.contains("Анна Петрова"), "{text}");
    let csv = std::fs::read_to_string(export).unwrap();
    assert!(
        csv.lines().filter(|l| l.contains("1234")).count() >= 3,
        "the export lists the three removals: {csv}"
    );

    let audit = webdriver::fresh_dirs_path("erasure_window", "XDG_DATA_HOME")
        .join("ru.carddesk.app/audit/audit.jsonl");
    let log = std::fs::read_to_string(&audit).unwrap();
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
async fn find_or_explain(s: &Session, css: &str, out: &Path) -> String {
    let deadline = std::time::Instant::now() + WAIT;
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
        if std::time::Instant::now() > deadline {
            s.screenshot(&out.join("e2e-erasure-missing.png")).await;
            let text = s.execute("return document.body.innerText", json!([])).await;
            panic!("no {css} within {WAIT:?}; the window showed: {text}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn name_of(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().to_lowercase()
}

fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}
