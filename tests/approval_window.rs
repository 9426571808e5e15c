//! End to end, issue 17's four-eyes flow across two desks, both real windows under Xvfb: the
//! agent's desk and the supervisor's, each an app of its own (own data dir and XDG dirs, own
//! D-Bus session with its own unlocked gnome-keyring — the app is single-instance per session
//! and locks its data dir — and its own tauri-driver and WebKitWebDriver on other ports), both
//! logged in to one private PostgreSQL cluster from Settings → Team. The supervisor's policy
//! says production bulk runs, and any run of more than two cards, need a second person; the
//! agent asks to remove all three
//! cards of customer 1234 and is told it waits for a supervisor (nothing sent, the three cards
//! still there); the supervisor sees it in Settings → Team → Approvals, with the masked cards,
//! and approves it with a note in its window; the agent's removal then goes on by itself (no
//! second click), says on whose approval, and all three cards go; the agent's audit view shows
//! the approval used. Then a production bulk erasure job of two cards (a production profile on
//! the embedded sandbox's gateway): dry run, held when run (the production rule: two cards are
//! under the card limit), rejected with a note (said in the agent's window, nothing sent), run
//! again, approved in the supervisor's window on the dry run's counts, and run to the end by
//! itself. Screenshots of both windows in EN and RU (tests/out/e2e-approval-*.png).
//! Runs when CARDDESK_E2E=1 (scripts/test.sh sets it inside Xvfb and D-Bus).
#![allow(clippy::unwrap_used)]

mod request_flow;
mod webdriver;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use desk::TeamSetup;
use desk_team::test_cluster::{Cluster, DATABASE, OWNER};
use request_flow::Lang;
use serde_json::{Value, json};
use webdriver::Session;

const WAIT: Duration = Duration::from_secs(30);

/// Both roles' password (not the leak check's canary: this one may be seen).
const ROLE_PASSWORD: &str = "Four-Eyes-Window-Pw-8";

/// The supervisor's keyring's password (its own, unlocked when its D-Bus session starts).
const KEYRING_PASSWORD: &str = "supervisor-keyring-for-tests";

/// One pair of windows at a time: each language's run starts two apps and two drivers.
static ONE_RUN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// What differs between the two languages' runs.
struct Run {
    lang: Lang,
    /// The fresh installs' names (their own data dirs).
    agent_install: &'static str,
    supervisor_install: &'static str,
    agent_desk: &'static str,
    supervisor_desk: &'static str,
    ticket: &'static str,
    up_to_date: &'static str,
    card_count: &'static str,
    waiting_title: &'static str,
    /// The held note from Rust, shown as a sentence: its first words.
    waiting_sentence: &'static str,
    supervisor_role: &'static str,
    approved_said: &'static str,
    note: &'static str,
    bulk_note: &'static str,
    reject_note: &'static str,
    rejected_said: &'static str,
    job_finished: &'static str,
    all_gone: &'static str,
    approval_action: &'static str,
}

const ENGLISH: Run = Run {
    lang: Lang::En,
    agent_install: "approval_window_en",
    supervisor_install: "approval_window_supervisor_en",
    agent_desk: "Anna's desk",
    supervisor_desk: "Sam's desk",
    ticket: "DPO-81",
    up_to_date: "Team trail up to date",
    card_count: "3 saved cards",
    waiting_title: "Waiting for a supervisor’s approval",
    waiting_sentence: "This removal of all the customer's cards needs a second person's approval",
    supervisor_role: "supervisor",
    approved_said: "Approved:",
    note: "Erasure request DPO-81: identity checked",
    bulk_note: "Dry run checked: two cards, both on the list",
    reject_note: "Attach the customers' erasure requests to the job first",
    rejected_said: "Rejected:",
    job_finished: "Job finished",
    all_gone: "3 of 3 cards are gone",
    approval_action: "Four-eyes approval",
};

const RUSSIAN: Run = Run {
    lang: Lang::Ru,
    agent_install: "approval_window_ru",
    supervisor_install: "approval_window_supervisor_ru",
    agent_desk: "Рабочее место Анны",
    supervisor_desk: "Рабочее место Сэма",
    ticket: "DPO-82",
    up_to_date: "Общий журнал в актуальном состоянии",
    card_count: "3 сохранённые карты",
    waiting_title: "Ждёт одобрения руководителя",
    waiting_sentence: "Для этого действия (удаление всех карт клиента) нужно одобрение второго лица",
    supervisor_role: "руковод",
    approved_said: "Одобрено:",
    note: "Запрос DPO-82 на удаление: личность проверена",
    bulk_note: "Пробный прогон проверен: две карты, обе из списка",
    reject_note: "Сначала приложите к заданию заявления клиентов на удаление",
    rejected_said: "Отклонено:",
    job_finished: "Задание завершено",
    all_gone: "Удалено 3 из 3 карт",
    approval_action: "Одобрение второго лица",
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_approves_in_their_window_and_the_agents_runs_go_in_english() {
    approval(&ENGLISH).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_approves_in_their_window_and_the_agents_runs_go_in_russian() {
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

/// A second person's login session, as far as the app can tell: a D-Bus session bus of its own
/// (so the app's single-instance check does not hand the second window to the first) and a
/// gnome-keyring unlocked on it (where the app keeps that person's team password), with their
/// own runtime dir. Both daemons are killed and reaped on drop.
struct OwnSession {
    bus: String,
    runtime: tempfile::TempDir,
    _keyring_data: tempfile::TempDir,
    daemons: Vec<Child>,
}

impl OwnSession {
    fn start() -> OwnSession {
        let runtime = tempfile::tempdir().unwrap();
        let keyring_data = tempfile::tempdir().unwrap();
        std::fs::set_permissions(
            runtime.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .env("XDG_RUNTIME_DIR", runtime.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon (dbus) is installed by scripts/install-deps.sh");
        let mut line = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line.trim().to_owned();
        assert!(address.starts_with("unix:"), "a bus address: {address:?}");
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("XDG_RUNTIME_DIR", runtime.path())
            .env("XDG_DATA_HOME", keyring_data.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon is installed by scripts/install-deps.sh");
        {
            let mut stdin = keyring.stdin.take().unwrap();
            stdin.write_all(KEYRING_PASSWORD.as_bytes()).unwrap();
        }
        let session = OwnSession {
            bus: address,
            runtime,
            _keyring_data: keyring_data,
            daemons: vec![bus, keyring],
        };
        // The keyring is on the bus before the app looks for it.
        let deadline = Instant::now() + WAIT;
        loop {
            let names = Command::new("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.ListNames",
                ])
                .env("DBUS_SESSION_BUS_ADDRESS", &session.bus)
                .output()
                .unwrap();
            if String::from_utf8_lossy(&names.stdout).contains("org.freedesktop.secrets") {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the supervisor's keyring never came up"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        session
    }

    fn env(&self) -> [(&'static str, &str); 2] {
        [
            ("DBUS_SESSION_BUS_ADDRESS", self.bus.as_str()),
            ("XDG_RUNTIME_DIR", self.runtime.path().to_str().unwrap()),
        ]
    }
}

impl Drop for OwnSession {
    fn drop(&mut self) {
        for d in self.daemons.iter_mut().rev() {
            let _ = d.kill();
            let _ = d.wait();
        }
    }
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
async fn until(s: &Session, what: &str, script: &str, shot: &str, wait: Duration) {
    let deadline = Instant::now() + wait;
    while s.execute(script, json!([])).await != Value::Bool(true) {
        if Instant::now() > deadline {
            s.screenshot(&webdriver::out_dir().join(shot)).await;
            let text = s.execute("return document.body.innerText", json!([])).await;
            panic!("{what} never came; the window showed: {text}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A fresh window in `run`'s language, joined to the team in Settings → Team as `user`; the
/// status line says the team trail is up to date once the desk has shipped its log. Leaves the
/// window on Settings.
async fn join_team(s: &Session, run: &Run, cluster: &Cluster, user: &str, desk_name: &str) {
    s.wait_text("[data-testid=env-banner]", "452739", WAIT)
        .await;
    s.click_text(
        &format!("[data-testid=lang-{}]", run.lang.code()),
        run.lang.label(),
        WAIT,
    )
    .await;
    s.click(&s.find("[data-testid=nav-settings]", WAIT).await)
        .await;
    // "Set up team mode" is disabled until the panel has read the desk's team view: a click
    // before then does nothing.
    until(
        s,
        "Settings → Team's set-up button, enabled",
        "const b = document.querySelector('[data-testid=team-setup]'); return !!b && !b.disabled",
        &format!(
            "e2e-approval-{}-missing-team-setup-{user}.png",
            run.lang.code()
        ),
        WAIT,
    )
    .await;
    s.click(&s.find("[data-testid=team-setup]", WAIT).await)
        .await;
    until(
        s,
        "Settings → Team's form",
        "return !!document.querySelector('#team-host')",
        &format!(
            "e2e-approval-{}-missing-team-form-{user}.png",
            run.lang.code()
        ),
        WAIT,
    )
    .await;
    fill(s, "#team-host", "127.0.0.1").await;
    fill(s, "#team-port", &cluster.port().to_string()).await;
    fill(s, "#team-database", DATABASE).await;
    fill(s, "#team-user", user).await;
    fill(s, "#team-deskName", desk_name).await;
    fill(s, "#team-password", ROLE_PASSWORD).await;
    s.click(&s.find("[data-testid=team-save]", WAIT).await)
        .await;
    s.wait_text("[data-testid=team-status]", run.up_to_date, WAIT)
        .await;
}

fn shot(out: &Path, lang: &str, name: &str) -> PathBuf {
    out.join(format!("e2e-approval-{lang}-{name}.png"))
}

async fn approval(run: &Run) {
    if !webdriver::enabled("approval_window") {
        return;
    }
    let _one = ONE_RUN.lock().await;
    let lang = run.lang.code();
    let out = webdriver::out_dir();
    let app = PathBuf::from(env!("CARGO_BIN_EXE_card-desk"));
    let cluster = team_database().await;

    // The supervisor's window, in a login session of its own: joins the team as sam and sets
    // the policy — production bulk runs, and any run of more than two cards, need a second
    // person.
    let sams_session = OwnSession::start();
    let mut sams_env = sams_session.env().to_vec();
    // Each person's own OS login, which their desk's audit entries name.
    sams_env.push(("USER", "sam"));
    let sam = Session::start_fresh_with(&app, run.supervisor_install, &sams_env).await;
    join_team(&sam, run, &cluster, "sam", run.supervisor_desk).await;
    let policy = sam
        .invoke(
            "set_team_policy",
            json!({"productionBulk": true, "productionRevokeAll": true, "cardsOver": 2}),
        )
        .await;
    assert_eq!(policy["cardsOver"], json!(2), "{policy}");
    says_supervisor(&sam, run).await;

    // The agent's window (this test's own session): joins the team as anna.
    // The bulk job's file, which the agent's import dialog picks (the tests' stand-in for the
    // native dialog, CARDDESK_E2E_DIALOG_DIR).
    let files = tempfile::tempdir().unwrap();
    std::fs::write(
        files.path().join("import.csv"),
        "Номер клиента;Заявка\n133498;CRM-1\n188239;CRM-2\n",
    )
    .unwrap();
    let dialogs = files.path().to_str().unwrap().to_owned();
    let anna = Session::start_fresh_with(
        &app,
        run.agent_install,
        &[
            ("USER", "anna"),
            ("CARDDESK_E2E_DIALOG_DIR", dialogs.as_str()),
        ],
    )
    .await;
    join_team(&anna, run, &cluster, "anna", run.agent_desk).await;

    // Remove all of customer 1234's cards: the policy holds it for a supervisor.
    anna.click(&anna.find("[data-testid=nav-search]", WAIT).await)
        .await;
    fill(&anna, "#customer", "1234").await;
    anna.click(&anna.find("form.search button[type=submit]", WAIT).await)
        .await;
    anna.wait_text("[data-testid=customer-heading]", "1234", WAIT)
        .await;
    anna.wait_text("[data-testid=card-count]", run.card_count, WAIT)
        .await;
    anna.click(&anna.find("[data-testid=customer-revoke-all]", WAIT).await)
        .await;
    anna.find("[data-testid=revoke-all-dialog]", WAIT).await;
    fill(&anna, "[data-testid=revoke-ticket]", run.ticket).await;
    anna.click(&anna.find("[data-testid=revoke-submit]", WAIT).await)
        .await;
    until(
        &anna,
        "the waiting-for-approval state",
        "return !!document.querySelector(\
         '[data-testid=revoke-all-dialog] [data-testid=error][data-code=awaiting_approval]')",
        &format!("e2e-approval-{lang}-missing-waiting.png"),
        WAIT,
    )
    .await;
    let said = anna
        .wait_text(
            "[data-testid=revoke-all-dialog] [data-testid=error]",
            run.waiting_title,
            WAIT,
        )
        .await;
    // Rust's words, alone on their line, start as a sentence does.
    anna.wait_text(
        "[data-testid=revoke-all-dialog] [data-testid=error-said]",
        run.waiting_sentence,
        WAIT,
    )
    .await;
    anna.screenshot(&shot(&out, lang, "01-agent-waiting")).await;
    assert_eq!(cards_now(&anna).await, 3, "nothing was removed: {said}");

    // The supervisor's window: Settings → Team → Approvals lists it (read every 5 s), with
    // who asked and the masked cards; sam approves it with a note.
    let item = "[data-testid=approval][data-action=revoke_all]";
    until(
        &sam,
        "the agent's request in the supervisor's Approvals",
        &format!("return !!document.querySelector('{item}')"),
        &format!("e2e-approval-{lang}-missing-request.png"),
        WAIT,
    )
    .await;
    let asked = sam.wait_text(item, "1234", WAIT).await;
    assert!(asked.contains("0028") && asked.contains("4417"), "{asked}");
    sam.execute(
        &format!("document.querySelector('{item}').scrollIntoView({{block: 'center'}})"),
        json!([]),
    )
    .await;
    sam.click(
        &sam.find(&format!("{item} [data-testid=approval-approve]"), WAIT)
            .await,
    )
    .await;
    fill(&sam, "#approval-note", run.note).await;
    sam.screenshot(&shot(&out, lang, "02-supervisor-approving"))
        .await;
    sam.click(&sam.find("[data-testid=approval-confirm]", WAIT).await)
        .await;
    sam.wait_text("[data-testid=approvals-live]", run.approved_said, WAIT)
        .await;
    sam.wait_text("[data-testid=approvals-count]", "0", WAIT)
        .await;
    sam.screenshot(&shot(&out, lang, "03-supervisor-approved"))
        .await;

    // The agent's window, untouched since: the removal goes on by itself, on sam's approval.
    until(
        &anna,
        "the approved removal going on by itself",
        "return !!document.querySelector('[data-testid=revoke-all-summary]')",
        &format!("e2e-approval-{lang}-missing-done.png"),
        Duration::from_secs(60),
    )
    .await;
    let summary = anna
        .wait_text("[data-testid=revoke-all-summary]", run.all_gone, WAIT)
        .await;
    let used = anna
        .wait_text("[data-testid=approval-used]", run.note, WAIT)
        .await;
    assert!(used.contains("sam"), "on whose approval: {used}");
    let removed = anna
        .execute(
            "return [...document.querySelectorAll('[data-testid=revoke-all-row]')]\
             .map(r => r.dataset.outcome)",
            json!([]),
        )
        .await;
    assert_eq!(
        removed,
        json!(["removed", "removed", "removed"]),
        "{summary} ({used})"
    );
    anna.screenshot(&shot(&out, lang, "04-agent-done")).await;
    assert_eq!(cards_now(&anna).await, 0);
    let waiting = sam
        .invoke("team_approvals", json!({"waitingOnly": true}))
        .await;
    assert_eq!(waiting, json!([]), "nothing waits any more");
    assert_eq!(states(&sam, "revoke_all").await, ["used"]);
    anna.click(&anna.find("[data-testid=revoke-close]", WAIT).await)
        .await;

    // The agent's audit view: the approval it used is an entry of its own.
    anna.click(&anna.find("[data-testid=nav-audit]", WAIT).await)
        .await;
    until(
        &anna,
        "an approval entry in the audit view",
        "return !!document.querySelector('[data-testid=audit-row][data-action=approval]')",
        &format!("e2e-approval-{lang}-missing-audit.png"),
        WAIT,
    )
    .await;
    let row = anna
        .wait_text(
            "[data-testid=audit-row][data-action=approval]",
            run.approval_action,
            WAIT,
        )
        .await;
    assert!(row.contains("sam"), "whose approval it used: {row}");
    // Its details, opened: which approval, who approved it, with the note.
    anna.click(
        &anna
            .find(
                "[data-testid=audit-row][data-action=approval] [data-testid=audit-row-toggle]",
                WAIT,
            )
            .await,
    )
    .await;
    let details = anna
        .wait_text("[data-testid=audit-details]", run.ticket, WAIT)
        .await;
    assert!(details.contains("sam"), "{details}");
    anna.execute(
        "document.querySelector('[data-testid=audit-details]').scrollIntoView({block: 'center'})",
        json!([]),
    )
    .await;
    anna.screenshot(&shot(&out, lang, "05-agent-audit")).await;

    bulk_job(&anna, &sam, run).await;
    anna.close().await;
    sam.close().await;
}

/// A bulk job's state in the agent's window (`data-phase` of the job shown).
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

/// The other held action: a production bulk erasure job of two customers' cards (one each),
/// imported and dry-run by the agent, is held when it is run; the supervisor rejects it with a
/// note (the agent sees it; nothing is sent); run again, the supervisor approves it on the dry
/// run's counts, and the agent's run then goes by itself, with its progress, to the end.
async fn bulk_job(anna: &Session, sam: &Session, run: &Run) {
    let lang = run.lang.code();
    let out = webdriver::out_dir();
    // A production profile (on the embedded sandbox's gateway, which knows this login), made
    // the active one: the job is the production profile's.
    let status = anna.invoke("desk_status", json!({})).await;
    let url = status["profiles"][0]["baseUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let draft = json!({"name": "Shop production", "environment": "production", "baseUrl": url,
        "merchantId": "452739", "login": "LOGIN", "language": "EN", "colour": "#b91c1c"});
    let prod = anna
        .invoke(
            "save_profile",
            json!({"id": null, "draft": draft, "password": "PASSWORD"}),
        )
        .await;
    anna.invoke("activate_profile", json!({"id": prod["id"]}))
        .await;
    anna.execute("location.reload()", json!([])).await;
    anna.wait_text("[data-testid=env-banner]", "Shop production", WAIT)
        .await;
    anna.click(&anna.find("[data-testid=nav-bulk]", WAIT).await)
        .await;
    anna.click(&anna.find("[data-testid=bulk-import]", WAIT).await)
        .await;
    anna.wait_text("[data-testid=bulk-map-meta]", "2", WAIT)
        .await;
    // An erasure job: every saved card of each customer (one each here).
    anna.execute(
        "document.querySelector('[data-testid=bulk-erasure]').click(); return true;",
        json!([]),
    )
    .await;
    anna.find("[data-testid=bulk-erasure-on]", WAIT).await;
    anna.click(&anna.find("[data-testid=bulk-create]", WAIT).await)
        .await;
    until(
        anna,
        "the dry run's plan",
        "const el = document.querySelector('[data-testid=bulk-job-detail]'); \
         return !!el && el.dataset.phase === 'planned'",
        &format!("e2e-approval-{lang}-missing-plan.png"),
        WAIT,
    )
    .await;
    // Production: the number of cards is typed to confirm, as always.
    fill(anna, "[data-testid=bulk-confirm]", "2").await;
    anna.click(&anna.find("[data-testid=bulk-run]", WAIT).await)
        .await;
    until(
        anna,
        "the bulk run held for approval",
        "return !!document.querySelector(\
         '[data-testid=bulk-pass-error] [data-testid=error][data-code=awaiting_approval]')",
        &format!("e2e-approval-{lang}-missing-bulk-waiting.png"),
        WAIT,
    )
    .await;
    assert_eq!(phase(anna).await, "planned", "nothing ran");
    still_one_card_each(anna, &["133498", "188239"]).await;
    anna.screenshot(&shot(&out, lang, "06-agent-bulk-waiting"))
        .await;

    // The supervisor rejects it first, with a note: the agent's window says so, and nothing
    // is sent, then or later.
    decide(sam, run, false, run.reject_note, None).await;
    until(
        anna,
        "the rejection in the agent's window",
        "return !!document.querySelector(\
         '[data-testid=bulk-pass-error] [data-testid=approval-wait][data-state=rejected]')",
        &format!("e2e-approval-{lang}-missing-bulk-rejected.png"),
        WAIT,
    )
    .await;
    let rejected = anna
        .wait_text("[data-testid=approval-wait-live]", run.reject_note, WAIT)
        .await;
    assert!(rejected.contains("sam"), "by whom: {rejected}");
    anna.screenshot(&shot(&out, lang, "07-agent-bulk-rejected"))
        .await;
    // longer than the window's 5 s between reads of the approvals
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(phase(anna).await, "planned", "nothing ran");
    still_one_card_each(anna, &["133498", "188239"]).await;

    // The agent runs it again (a new request for approval), and this time sam approves it.
    if request_flow::value_of(anna, "[data-testid=bulk-confirm]").await != json!("2") {
        fill(anna, "[data-testid=bulk-confirm]", "2").await;
    }
    anna.click(&anna.find("[data-testid=bulk-run]", WAIT).await)
        .await;
    until(
        anna,
        "the bulk run held again",
        "return !!document.querySelector(\
         '[data-testid=bulk-pass-error] [data-testid=approval-wait][data-state=waiting]')",
        &format!("e2e-approval-{lang}-missing-bulk-waiting-again.png"),
        WAIT,
    )
    .await;
    decide(
        sam,
        run,
        true,
        run.bulk_note,
        Some(shot(&out, lang, "08-supervisor-bulk-approving")),
    )
    .await;

    // The agent's run goes by itself, to the end, on sam's approval.
    until(
        anna,
        "the approved bulk run finishing by itself",
        "const el = document.querySelector('[data-testid=bulk-job-detail]'); \
         return !!el && el.dataset.phase === 'finished'",
        &format!("e2e-approval-{lang}-missing-bulk-done.png"),
        Duration::from_secs(60),
    )
    .await;
    anna.wait_text("[data-testid=bulk-result]", run.job_finished, WAIT)
        .await;
    let used = anna
        .wait_text("[data-testid=approval-used]", run.bulk_note, WAIT)
        .await;
    assert!(used.contains("sam"), "on whose approval: {used}");
    anna.screenshot(&shot(&out, lang, "09-agent-bulk-done"))
        .await;
    for customer in ["133498", "188239"] {
        let left = anna
            .invoke("lookup", json!({"customer": customer, "want": "live"}))
            .await;
        assert_eq!(left["cards"], json!([]), "customer {customer}'s card went");
    }
    let waiting = sam
        .invoke("team_approvals", json!({"waitingOnly": true}))
        .await;
    assert_eq!(waiting, json!([]), "nothing waits any more");
    assert_eq!(states(sam, "bulk_run").await, ["rejected", "used"]);
}

/// The supervisor's Approvals say this login may decide.
async fn says_supervisor(sam: &Session, run: &Run) {
    sam.wait_text("[data-testid=approvals-role]", run.supervisor_role, WAIT)
        .await;
}

/// The states of the team's approvals of `action`, sorted (`used` once an approval went: the
/// database allows `approved` → `used` only once).
async fn states(sam: &Session, action: &str) -> Vec<String> {
    let all = sam
        .invoke("team_approvals", json!({"waitingOnly": false}))
        .await;
    let mut states: Vec<String> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == action)
        .map(|a| a["state"].as_str().unwrap().to_owned())
        .collect();
    states.sort();
    states
}

/// The supervisor decides the agent's waiting bulk run in Settings → Team → Approvals (read
/// every 5 s), with a note; `shot` is taken with the note typed.
async fn decide(sam: &Session, run: &Run, approve: bool, note: &str, shot: Option<PathBuf>) {
    let lang = run.lang.code();
    let item = "[data-testid=approval][data-action=bulk_run]";
    until(
        sam,
        "the agent's bulk run in the supervisor's Approvals",
        &format!("return !!document.querySelector('{item}')"),
        &format!("e2e-approval-{lang}-missing-bulk-request.png"),
        WAIT,
    )
    .await;
    sam.execute(
        &format!("document.querySelector('{item}').scrollIntoView({{block: 'center'}})"),
        json!([]),
    )
    .await;
    let button = if approve {
        "approval-approve"
    } else {
        "approval-reject"
    };
    sam.click(
        &sam.find(&format!("{item} [data-testid={button}]"), WAIT)
            .await,
    )
    .await;
    fill(sam, "#approval-note", note).await;
    if let Some(path) = shot {
        sam.screenshot(&path).await;
    }
    sam.click(&sam.find("[data-testid=approval-confirm]", WAIT).await)
        .await;
    let said = if approve {
        run.approved_said
    } else {
        run.rejected_said
    };
    sam.wait_text("[data-testid=approvals-live]", said, WAIT)
        .await;
}

/// Nothing was sent for `customers`: each still holds its one card at the gateway (read live).
async fn still_one_card_each(window: &Session, customers: &[&str]) {
    for customer in customers {
        let cards = window
            .invoke("lookup", json!({"customer": customer, "want": "live"}))
            .await;
        assert_eq!(
            cards["cards"].as_array().unwrap().len(),
            1,
            "nothing sent for {customer}"
        );
    }
}
