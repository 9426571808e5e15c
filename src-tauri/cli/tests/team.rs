//! `carddesk team ship` and `carddesk audit verify --team` as real processes against a real
//! PostgreSQL (a private cluster): two desks — two data dirs, two processes — shipping at
//! once, a verifier seeing both chains whole, a desk's log edited after shipping found, and a
//! wrong password refused without ever being printed.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use desk::audit::{AuditAction, AuditLog, EntryDraft, Operator, audit_path};
use desk_team::test_cluster::{Cluster, DATABASE};

const BIN: &str = env!("CARGO_BIN_EXE_carddesk");
const AGENT_PASSWORD: &str = "Team-Agent-Pw-8812";

/// A data dir with `n` entries by `who` and team.json naming the cluster.
fn desk_dir(cluster: &Cluster, who: &str, n: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let op = Operator {
        os_user: who.to_lowercase(),
        display_name: who.to_owned(),
    };
    let log = AuditLog::open(dir.path(), &op).unwrap();
    log.append_batch((1..=n).map(|i| {
        let mut d = EntryDraft::new(op.clone(), AuditAction::ViewedCustomer);
        d.customer = Some(format!("{}", 200_000 + i));
        d
    }))
    .unwrap();
    let setup = serde_json::json!({
        "host": "127.0.0.1",
        "port": cluster.port(),
        "database": DATABASE,
        "user": who.to_lowercase(),
        "deskName": format!("{who}'s desk"),
    });
    std::fs::write(dir.path().join("team.json"), setup.to_string()).unwrap();
    dir
}

fn spawn(args: &[&str], dir: &Path, password: &str) -> Child {
    let mut child = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .arg("--team-password-stdin")
        .env_remove("CARDDESK_TEAM_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    child
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The cluster migrated by its owner, with grants.sql's roles and agents anna and boris.
async fn cluster() -> Cluster {
    let cluster = Cluster::start();
    let mut owner = desk_team::connect(&cluster.owner_settings(), &Cluster::owner_password())
        .await
        .unwrap();
    owner.migrate().await.unwrap();
    cluster.owner_sql("carddesk", include_str!("../../team/grants.sql"));
    cluster.owner_sql(
        "carddesk",
        &format!(
            "CREATE ROLE anna LOGIN PASSWORD '{AGENT_PASSWORD}' IN ROLE carddesk_agent;
             CREATE ROLE boris LOGIN PASSWORD '{AGENT_PASSWORD}' IN ROLE carddesk_agent;"
        ),
    );
    cluster
}

#[tokio::test]
async fn two_desks_ship_in_two_processes_and_the_team_verifies_whole() {
    let cluster = cluster().await;
    let (anna, boris) = (
        desk_dir(&cluster, "Anna", 1_200),
        desk_dir(&cluster, "Boris", 900),
    );
    let children = [
        spawn(&["team", "ship"], anna.path(), AGENT_PASSWORD),
        spawn(&["team", "ship"], boris.path(), AGENT_PASSWORD),
    ];
    for child in children {
        let out = child.wait_with_output().unwrap();
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
        assert!(stdout.contains("new entries shipped"), "{stdout}");
    }
    // Shipping again adds nothing.
    let out = spawn(&["team", "ship", "--json"], anna.path(), AGENT_PASSWORD)
        .wait_with_output()
        .unwrap();
    let said: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(said["shipment"]["added"], 0);
    assert_eq!(said["behind"], 0);

    let out = spawn(&["audit", "verify", "--team"], anna.path(), AGENT_PASSWORD)
        .wait_with_output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("desk Anna's desk") && stdout.contains("intact, 1200 entries"),
        "{stdout}"
    );
    assert!(
        stdout.contains("desk Boris's desk") && stdout.contains("intact, 900 entries"),
        "{stdout}"
    );
}

#[tokio::test]
async fn a_log_edited_after_shipping_is_found_and_a_wrong_password_is_not_printed() {
    let cluster = cluster().await;
    let anna = desk_dir(&cluster, "Anna", 30);
    let out = spawn(&["team", "ship"], anna.path(), AGENT_PASSWORD)
        .wait_with_output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));

    // Someone edits entry 7's customer in Anna's file after it was shipped: the team's copy
    // no longer matches her line 7 (`carddesk audit verify` names the file's break too).
    let path = audit_path(anna.path());
    let body = std::fs::read_to_string(&path).unwrap();
    let edited = body.replacen("\"customer\":\"200007\"", "\"customer\":\"999999\"", 1);
    assert_ne!(body, edited);
    std::fs::write(&path, edited).unwrap();
    let out = spawn(
        &["audit", "verify", "--team", "--json"],
        anna.path(),
        AGENT_PASSWORD,
    )
    .wait_with_output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    let said: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(said["intact"], false);
    assert_eq!(said["team"][0]["differsFromLocal"], 7, "{said}");
    assert_eq!(
        said["team"][0]["replay"]["ok"], true,
        "the server's copy is still whole"
    );

    let wrong = "Wrong-Team-Pw-5150";
    let out = spawn(&["team", "ship"], anna.path(), wrong)
        .wait_with_output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(3), "{stdout}{stderr}");
    assert!(
        stderr.contains("refused the login anna@127.0.0.1"),
        "{stderr}"
    );
    assert!(!stdout.contains(wrong) && !stderr.contains(wrong));
}

/// `carddesk request ARGS --data-dir DIR --utc-offset 0`, the team password in the variable
/// when given.
fn request(dir: &Path, args: &[&str], password: Option<&str>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.arg("request")
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .args(["--utc-offset", "0"])
        .env_remove("CARDDESK_TEAM_PASSWORD");
    if let Some(p) = password {
        cmd.env("CARDDESK_TEAM_PASSWORD", p);
    }
    cmd.output().unwrap()
}

#[tokio::test]
async fn in_team_mode_carddesk_request_works_the_teams_register() {
    let cluster = cluster().await;
    let (anna, boris) = (
        desk_dir(&cluster, "Anna", 1),
        desk_dir(&cluster, "Boris", 1),
    );
    let today = time::OffsetDateTime::now_utc().date();
    let today = format!(
        "{}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    let out = request(
        anna.path(),
        &[
            "new",
            "--kind",
            "access-152",
            "--customer",
            "1234",
            "--channel",
            "ticket",
            "--ticket",
            "SUP-7",
            "--received-on",
            &today,
            "--json",
        ],
        Some(AGENT_PASSWORD),
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    let opened: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let id = opened["request"]["id"].as_str().unwrap().to_owned();

    // Boris's desk lists the request Anna's opened.
    let out = request(boris.path(), &["list", "--json"], Some(AGENT_PASSWORD));
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains(&id), "{stdout}");

    // Without the password the register is not silently the local one. (No Secret Service
    // for this run: the session's keyring may hold a team password another test stored.)
    let out = Command::new(BIN)
        .args(["request", "list", "--data-dir"])
        .arg(boris.path())
        .args(["--utc-offset", "0"])
        .env_remove("CARDDESK_TEAM_PASSWORD")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(3), "{stdout}{stderr}");
    assert!(stderr.contains("team mode is on"), "{stderr}");
}

#[tokio::test]
async fn in_team_mode_a_bulk_run_from_the_command_line_is_refused_before_anything_is_sent() {
    let cluster = cluster().await;
    let anna = desk_dir(&cluster, "Anna", 1);
    let csv = anna.path().join("cards.csv");
    std::fs::write(&csv, "customer\n1234\n").unwrap();
    let out = Command::new(BIN)
        .args(["bulk", "run"])
        .arg(&csv)
        .args([
            "--server",
            "http://127.0.0.1:9",
            "--merchant-id",
            "452739",
            "--login",
            "LOGIN",
        ])
        .args([
            "--reason",
            "customer_request",
            "--ticket",
            "T-1",
            "--data-dir",
        ])
        .arg(anna.path())
        .env("CARDDESK_PASSWORD", "whatever-1")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(3), "{stdout}{stderr}");
    assert!(stderr.contains("run bulk jobs in the app"), "{stderr}");
    assert!(
        !anna.path().join("jobs").exists(),
        "no job was even created"
    );
}
