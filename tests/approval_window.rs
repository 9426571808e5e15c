//! End to end, issue 17's four-eyes flow across two desks: the agent's desk is the real window
//! under Xvfb (tauri-driver and WebKitWebDriver), the supervisor's a `desk::Desk` opened in this
//! process, both logged in to one private PostgreSQL cluster. The supervisor's policy says any
//! run of more than one card needs a second person; the agent sets up Settings → Team in the
//! window, asks to remove all three cards of customer 1234 and is told it waits for a
//! supervisor (nothing sent, the three cards still there); the supervisor sees the request and
//! approves it with a note; the agent starts it again in the window and all three go, and the
//! window's audit view shows the approval used. Screenshots in EN and RU
//! (tests/out/e2e-approval-*.png). Runs when CARDDESK_E2E=1 (scripts/test.sh sets it inside
//! Xvfb and D-Bus).
#![allow(clippy::unwrap_used)]

mod request_flow;
mod webdriver;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use assist_sandbox::{Sandbox, SandboxConfig};
use desk::secrets::{ChosenStore, MemoryStore};
use desk::{Desk, DeskConfig, TeamSetup};
use desk_team::test_cluster::{Cluster, DATABASE, OWNER};
use request_flow::Lang;
use serde_json::{Value, json};
use webdriver::Session;

const WAIT: Duration = Duration::from_secs(30);

/// Both roles' password (not the leak check's canary: this one may be seen).
const ROLE_PASSWORD: &str = "Four-Eyes-Window-Pw-8";

/// One window at a time: the app is single-instance within a D-Bus session, so a second app
/// started beside the first would hand itself over to it.
static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// What differs between the two languages' runs.
struct Run {
    lang: Lang,
    /// The fresh install's name (its own data dir).
    install: &'static str,
    desk_name: &'static str,
    ticket: &'static str,
    up_to_date: &'static str,
    card_count: &'static str,
    waiting_title: &'static str,
    all_gone: &'static str,
    approval_action: &'static str,
}

const ENGLISH: Run = Run {
    lang: Lang::En,
    install: "approval_window_en",
    desk_name: "Anna's desk",
    ticket: "DPO-81",
    up_to_date: "Team trail up to date",
    card_count: "3 saved cards",
    waiting_title: "Waiting for a supervisor’s approval",
    all_gone: "3 of 3 cards are gone",
    approval_action: "Four-eyes approval",
};

const RUSSIAN: Run = Run {
    lang: Lang::Ru,
    install: "approval_window_ru",
    desk_name: "Рабочее место Анны",
    ticket: "DPO-82",
    up_to_date: "Общий журнал в актуальном состоянии",
    card_count: "3 сохранённые карты",
    waiting_title: "Ждёт одобрения руководителя",
    all_gone: "Удалено 3 из 3 карт",
    approval_action: "Одобрение второго лица",
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_approves_and_the_agents_revoke_all_goes_in_english() {
    approval(&ENGLISH).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_approves_and_the_agents_revoke_all_goes_in_russian() {
    approval(&RUSSIAN).await;
}

fn setup(cluster: &Cluster, user: &str, desk_name: &str) -> TeamSetup {
    TeamSetup {
        host: "127.0.0.1".into(),
        port: cluster.port(),
        database: DATABASE.into(),
        user: user.into(),
        desk_name: desk_name.into(),
    }
}

/// The team's database as an administrator leaves it: the schema, the grants, an agent (anna)
/// and a supervisor (sam).
async fn team_database() -> Cluster {
    let cluster = Cluster::start();
    let mut owner = desk::team::connect(
        &setup(&cluster, OWNER, "owner").settings(),
        &Cluster::owner_password(),
    )
    .await
    .unwrap();
    owner.migrate().await.unwrap();
    cluster.owner_sql(DATABASE, include_str!("../src-tauri/team/grants.sql"));
    cluster.owner_sql(
        DATABASE,
        &format!(
            "CREATE ROLE anna LOGIN PASSWORD '{ROLE_PASSWORD}' IN ROLE carddesk_agent;
             CREATE ROLE sam LOGIN PASSWORD '{ROLE_PASSWORD}' IN ROLE carddesk_supervisor;"
        ),
    );
    cluster
}

/// The supervisor's desk, in this process: its own data dir and sandbox, secrets in memory.
async fn supervisor(cluster: &Cluster) -> (Sandbox, Desk, tempfile::TempDir) {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sam = Desk::open(DeskConfig {
        config_dir: dir.path().join("config"),
        data_dir: dir.path().join("data"),
        sandbox_url: Some(sandbox.url()),
        secrets: ChosenStore {
            store: Arc::new(MemoryStore::new()),
            fallback_reason: None,
        },
    })
    .unwrap();
    sam.save_team_setup(Some(setup(cluster, "sam", "Sam (supervisor)")))
        .await
        .unwrap();
    sam.set_team_password(ROLE_PASSWORD.into()).await.unwrap();
    (sandbox, sam, dir)
}

async fn fill(s: &Session, css: &str, text: &str) {
    s.type_into(&s.find(css, WAIT).await, text).await;
}

/// The cards of customer 1234 the window's desk reads from its gateway now (not its cache).
async fn cards_now(s: &Session) -> usize {
    let found = s
        .invoke("lookup", json!({"customer": "1234", "want": "live"}))
        .await;
    found["cards"].as_array().unwrap().len()
}

/// Waits until the script returns true; otherwise a screenshot and the page's text say what
/// the window showed instead.
async fn until(s: &Session, what: &str, script: &str, shot: &str) {
    let deadline = Instant::now() + WAIT;
    while s.execute(script, json!([])).await != Value::Bool(true) {
        if Instant::now() > deadline {
            s.screenshot(&webdriver::out_dir().join(shot)).await;
            let text = s.execute("return document.body.innerText", json!([])).await;
            panic!("{what} never came; the window showed: {text}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn approval(run: &Run) {
    if !webdriver::enabled("approval_window") {
        return;
    }
    let _one = ONE_WINDOW.lock().await;
    let lang = run.lang.code();
    let out = webdriver::out_dir();

    // The supervisor sets the policy: any run of more than one card needs a second person.
    let cluster = team_database().await;
    let (_sam_sandbox, sam, _sam_dir) = supervisor(&cluster).await;
    let policy = sam.set_team_policy(true, true, Some(1)).await.unwrap();
    assert_eq!(policy.cards_over, Some(1));

    // The agent's window: Settings → Team, filled in and saved; the status line says the
    // team trail is up to date once the desk has shipped its log.
    let app = PathBuf::from(env!("CARGO_BIN_EXE_card-desk"));
    let s = Session::start_fresh(&app, run.install).await;
    s.wait_text("[data-testid=env-banner]", "452739", WAIT)
        .await;
    s.click_text(
        &format!("[data-testid=lang-{lang}]"),
        run.lang.label(),
        WAIT,
    )
    .await;
    s.click(&s.find("[data-testid=nav-settings]", WAIT).await)
        .await;
    s.click(&s.find("[data-testid=team-setup]", WAIT).await)
        .await;
    fill(&s, "#team-host", "127.0.0.1").await;
    fill(&s, "#team-port", &cluster.port().to_string()).await;
    fill(&s, "#team-database", DATABASE).await;
    fill(&s, "#team-user", "anna").await;
    fill(&s, "#team-deskName", run.desk_name).await;
    fill(&s, "#team-password", ROLE_PASSWORD).await;
    s.click(&s.find("[data-testid=team-save]", WAIT).await)
        .await;
    s.wait_text("[data-testid=team-status]", run.up_to_date, WAIT)
        .await;

    // Remove all of customer 1234's cards: the policy holds it for a supervisor.
    s.click(&s.find("[data-testid=nav-search]", WAIT).await)
        .await;
    fill(&s, "#customer", "1234").await;
    s.click(&s.find("form.search button[type=submit]", WAIT).await)
        .await;
    s.wait_text("[data-testid=customer-heading]", "1234", WAIT)
        .await;
    s.wait_text("[data-testid=card-count]", run.card_count, WAIT)
        .await;
    s.click(&s.find("[data-testid=customer-revoke-all]", WAIT).await)
        .await;
    s.find("[data-testid=revoke-all-dialog]", WAIT).await;
    fill(&s, "[data-testid=revoke-ticket]", run.ticket).await;
    s.click(&s.find("[data-testid=revoke-submit]", WAIT).await)
        .await;
    until(
        &s,
        "the waiting-for-approval state",
        "return !!document.querySelector(\
         '[data-testid=revoke-all-dialog] [data-testid=error][data-code=awaiting_approval]')",
        &format!("e2e-approval-{lang}-missing-waiting.png"),
    )
    .await;
    let said = s
        .wait_text(
            "[data-testid=revoke-all-dialog] [data-testid=error]",
            run.waiting_title,
            WAIT,
        )
        .await;
    s.screenshot(&out.join(format!("e2e-approval-{lang}-01-waiting.png")))
        .await;
    assert_eq!(cards_now(&s).await, 3, "nothing was removed: {said}");

    // The supervisor sees what waits, with who asked, and approves it with a note.
    let waiting = sam.team_approvals(true).await.unwrap();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    let asked = &waiting[0];
    assert_eq!(
        (asked.action.as_str(), asked.subject.as_str(), asked.cards),
        ("revoke_all", "1234", 3)
    );
    assert_eq!(asked.requested_by, "anna");
    sam.decide_approval(
        &asked.id.to_string(),
        true,
        format!("erasure request {} checked", run.ticket),
    )
    .await
    .unwrap();

    // The agent starts it again from the same dialog: it goes, all three cards.
    s.click(&s.find("[data-testid=revoke-submit]", WAIT).await)
        .await;
    let summary = s
        .wait_text(
            "[data-testid=revoke-all-summary]",
            run.all_gone,
            Duration::from_secs(60),
        )
        .await;
    let removed = s
        .execute(
            "return [...document.querySelectorAll('[data-testid=revoke-all-row]')]\
             .map(r => r.dataset.outcome)",
            json!([]),
        )
        .await;
    assert_eq!(
        removed,
        json!(["removed", "removed", "removed"]),
        "{summary}"
    );
    s.screenshot(&out.join(format!("e2e-approval-{lang}-02-done.png")))
        .await;
    assert_eq!(cards_now(&s).await, 0);
    assert!(
        sam.team_approvals(true).await.unwrap().is_empty(),
        "nothing waits any more"
    );
    s.click(&s.find("[data-testid=revoke-close]", WAIT).await)
        .await;

    // The agent's audit view: the approval it used is an entry of its own.
    s.click(&s.find("[data-testid=nav-audit]", WAIT).await)
        .await;
    until(
        &s,
        "an approval entry in the audit view",
        "return !!document.querySelector('[data-testid=audit-row][data-action=approval]')",
        &format!("e2e-approval-{lang}-missing-audit.png"),
    )
    .await;
    let row = s
        .wait_text(
            "[data-testid=audit-row][data-action=approval]",
            run.approval_action,
            WAIT,
        )
        .await;
    assert!(row.contains("sam"), "whose approval it used: {row}");
    // Its details, opened: which approval, who approved it, with the note.
    s.click(
        &s.find(
            "[data-testid=audit-row][data-action=approval] [data-testid=audit-row-toggle]",
            WAIT,
        )
        .await,
    )
    .await;
    let details = s
        .wait_text("[data-testid=audit-details]", run.ticket, WAIT)
        .await;
    assert!(details.contains("sam"), "{details}");
    s.execute(
        "document.querySelector('[data-testid=audit-details]').scrollIntoView({block: 'center'})",
        json!([]),
    )
    .await;
    s.screenshot(&out.join(format!("e2e-approval-{lang}-03-audit.png")))
        .await;
    s.close().await;
}
