//! `carddesk request …` as a real process on a temp `--data-dir`: a request worked from new to
//! closed (identity, status, closing refused with open items named, then forced), the list
//! sorted by deadline with its marks and counts, a stale version refused as a conflict,
//! input refused with the field and rule named and nothing written, the register open
//! elsewhere refused in words, and the `--json` shapes of docs/cli-json.md. Each change must
//! leave a `request_event` in the audit log. No keyring is needed: as for `revoke`, the log
//! is written unkeyed when none answers.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use desk::requests::model::TICKET_MAX;
use serde_json::Value;
use time::{Date, Duration, OffsetDateTime};

const BIN: &str = env!("CARGO_BIN_EXE_carddesk");

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

/// `carddesk request ARGS --data-dir DATA --utc-offset 0`: the agent's day is UTC's, so the
/// dates below are the register's.
fn request(data: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .arg("request")
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .args(["--utc-offset", "0"])
        .env_remove("CARDDESK_PASSWORD")
        .output()
        .unwrap();
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn ok(run: Run) -> Run {
    assert_eq!(
        run.status, 0,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    run
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

fn day(date: Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    date.format(&format).unwrap()
}

/// Opens a request with `--json`; returns its id.
fn open(data: &Path, args: &[&str]) -> String {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    all.push("--json");
    let v = json(&ok(request(data, &all)));
    v["request"]["id"].as_str().unwrap().to_owned()
}

/// The `request_event` entries of the audit log, by their `detail`.
fn audit_events(data: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(data.join("audit/audit.jsonl")).unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|e| e["action"] == "request_event")
        .map(|e| e["detail"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_request_is_worked_from_new_to_closed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();

    let run = ok(request(
        data,
        &[
            "new",
            "--kind",
            "access-152",
            "--customer",
            "1234",
            "--channel",
            "ticket",
            "--ticket",
            "SUP-1",
            "--received-on",
            &day(today()),
        ],
    ));
    let first = run.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("request ") && first.ends_with("opened: version 1, status new"),
        "{}",
        run.stdout
    );
    let id = first.split_whitespace().nth(1).unwrap().to_owned();
    assert!(run.stdout.contains("kind: access-152"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("10 working days from the day after receipt"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("due: "), "{}", run.stdout);

    // Work needs a matched identity check first.
    let run = request(
        data,
        &["act", &id, "--version", "1", "--status", "in-progress"],
    );
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("identity_checks")
            && run
                .stderr
                .contains("needs at least one identity check that matched"),
        "{}",
        run.stderr
    );

    let run = ok(request(
        data,
        &[
            "act",
            &id,
            "--version",
            "1",
            "--identity",
            "e-mail on file and last 4 of the card",
            "--matched",
            "yes",
            "--operator-name",
            "Anna",
        ],
    ));
    assert!(
        run.stdout
            .contains("identity check recorded (matched): version 2"),
        "{}",
        run.stdout
    );
    ok(request(
        data,
        &["act", &id, "--version", "2", "--status", "in-progress"],
    ));

    // Closing goes through answered.
    let run = request(data, &["close", &id, "--version", "3"]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr
            .contains("cannot go from in_progress to closed (next: answered or refused)"),
        "{}",
        run.stderr
    );
    ok(request(
        data,
        &["act", &id, "--version", "3", "--status", "answered"],
    ));

    // No answer document was recorded: refused, naming it and the way out.
    let run = request(data, &["close", &id, "--version", "4"]);
    assert_eq!(run.status, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("open items (no answer recorded)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("carddesk request close {id} --version 4 --force")),
        "{}",
        run.stderr
    );
    let v = json(&request(data, &["close", &id, "--version", "4", "--json"]));
    assert_eq!(v["error"]["code"], "validation");
    assert_eq!(v["error"]["field"], "status");
    assert!(v["error"].get("ru").is_none(), "the terminal is English");

    let v = json(&ok(request(
        data,
        &["close", &id, "--version", "4", "--force", "--json"],
    )));
    assert_eq!(v["request"]["status"]["state"], "closed");
    assert_eq!(v["request"]["version"], 5);
    assert_eq!(v["due"], "stopped");
    let last = v["request"]["events"].as_array().unwrap().last().unwrap();
    assert_eq!(last["what"]["type"], "status_changed");
    assert_eq!(last["what"]["forced"], true);
    assert_eq!(last["what"]["open"][0]["kind"], "answer");

    // `show` tells the whole story, in order.
    let run = ok(request(data, &["show", &id]));
    let out = &run.stdout;
    for needle in [
        "version: 5",
        "status: closed",
        "ticket: SUP-1",
        "customers: 1234 (all profiles)",
        "Anna  e-mail on file and last 4 of the card — matched",
        "open items: no answer recorded",
    ] {
        assert!(out.contains(needle), "{needle:?} in {out}");
    }
    let history = [
        "opened",
        "identity check: matched",
        "status new → in-progress",
        "status in-progress → answered",
        "status answered → closed (closed with open items left open: no answer recorded)",
    ];
    let mut at = out.find("history:").unwrap();
    for step in history {
        let found = out[at..]
            .find(step)
            .unwrap_or_else(|| panic!("{step:?} after {at} in {out}"));
        at += found;
    }

    // Every change is in the audit log, naming the request.
    let events = audit_events(data);
    assert_eq!(events.len(), 5, "{events:?}");
    assert!(events[0].starts_with("request opened: access request (152-FZ art. 14), due "));
    assert_eq!(events[4], "status: closed (closed with open items)");
}

#[test]
fn the_list_is_sorted_by_deadline_with_due_today_and_overdue_marked() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = today();
    let refusal = open(
        data,
        &[
            "--kind",
            "card-refusal",
            "--customer",
            "7",
            "--channel",
            "email",
        ],
    );
    let upcoming = open(
        data,
        &[
            "--kind",
            "access-152",
            "--customer",
            "3",
            "--channel",
            "phone",
        ],
    );
    // Due two months ago plus one: long overdue.
    let overdue = open(
        data,
        &[
            "--kind",
            "erasure-gdpr",
            "--customer",
            "1",
            "--channel",
            "letter",
            "--received-on",
            &day(today - Duration::days(70)),
        ],
    );
    // A GDPR month from the same day last month ends today — when last month has that day.
    let last_month = today.replace_day(1).unwrap() - Duration::days(1);
    let due_today = last_month.replace_day(today.day()).ok().map(|received| {
        open(
            data,
            &[
                "--kind",
                "access-gdpr",
                "--customer",
                "2",
                "--channel",
                "web-form",
                "--received-on",
                &day(received),
            ],
        )
    });

    let run = ok(request(data, &["list"]));
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("DUE"), "{}", run.stdout);
    let mut expected = vec![(overdue.as_str(), "OVERDUE")];
    if let Some(id) = &due_today {
        expected.push((id.as_str(), "DUE TODAY"));
    } else {
        eprintln!("no GDPR month ends today ({today}): the due-today mark is not checked");
    }
    expected.push((upcoming.as_str(), ""));
    expected.push((refusal.as_str(), "act now"));
    for (line, (id, mark)) in lines[1..].iter().zip(&expected) {
        assert!(line.contains(id), "{id} in {line}\n{}", run.stdout);
        assert!(line.contains(mark), "{mark} in {line}");
    }
    assert!(lines[expected.len()].starts_with("no deadline"));
    let counts = lines[expected.len() + 1];
    let n_today = usize::from(due_today.is_some());
    assert!(
        counts.starts_with(&format!(
            "{} open: {n_today} due today, 1 overdue, 1 without a statutory deadline, ",
            3 + n_today
        )),
        "{counts}"
    );
    assert!(
        counts.ends_with(&format!(
            " provisional (today is {}, UTC+00:00)",
            day(today)
        )),
        "{counts}"
    );

    // The same in JSON, and the filters.
    let v = json(&ok(request(data, &["list", "--json"])));
    let dues: Vec<&str> = v["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["due"].as_str().unwrap())
        .collect();
    let mut want = vec!["overdue"];
    if due_today.is_some() {
        want.push("due_today");
    }
    want.extend(["upcoming", "no_deadline"]);
    assert_eq!(dues, want);
    assert_eq!(v["counts"]["overdue"], 1);
    assert_eq!(v["counts"]["noDeadline"], 1);
    assert_eq!(v["today"], day(today));

    let v = json(&ok(request(
        data,
        &["list", "--kind", "card-refusal", "--json"],
    )));
    assert_eq!(v["requests"].as_array().unwrap().len(), 1);
    assert_eq!(v["requests"][0]["request"]["id"], refusal.as_str());
    let v = json(&ok(request(data, &["list", "--customer", "3", "--json"])));
    assert_eq!(v["requests"][0]["request"]["id"], upcoming.as_str());
    let v = json(&ok(request(
        data,
        &["list", "--status", "closed", "--json"],
    )));
    assert!(v["requests"].as_array().unwrap().is_empty());
    assert_eq!(
        v["counts"]["open"],
        3 + n_today,
        "counts are of the whole register"
    );
}

#[test]
fn a_card_refusal_has_no_statutory_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let run = ok(request(
        dir.path(),
        &[
            "new",
            "--kind",
            "card-refusal",
            "--customer",
            "КЛ-000731",
            "--customer",
            "1234",
            "--profile",
            "shop-1",
            "--channel",
            "web-form",
            "--received",
            "2026-01-12T10:15:00+03:00",
        ],
    ));
    assert!(
        run.stdout
            .contains("due: no statutory deadline: act before the next scheduled debit"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("customers: КЛ-000731 (profile shop-1), 1234 (profile shop-1)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("received: 2026-01-12 10:15 +03:00"),
        "the instant keeps its offset: {}",
        run.stdout
    );
}

#[test]
fn a_change_made_to_a_stale_version_is_refused_as_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let id = open(
        data,
        &[
            "--kind",
            "erasure-152",
            "--customer",
            "1234",
            "--channel",
            "letter",
        ],
    );
    ok(request(
        data,
        &[
            "act",
            &id,
            "--version",
            "1",
            "--note",
            "called the customer",
        ],
    ));
    // Someone else saw version 1 too.
    let run = request(data, &["act", &id, "--version", "1", "--assign", "Boris"]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains(&format!(
            "request {id} was changed by someone else meanwhile (it is at version 2, the \
             change was made to version 1): reload it and make the change again"
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(&format!("carddesk request show {id}")));
    let v = json(&request(
        data,
        &["act", &id, "--version", "1", "--unassign", "--json"],
    ));
    assert_eq!(v["error"]["code"], "conflict");
    // Nothing was written by either.
    let v = json(&ok(request(data, &["show", &id, "--json"])));
    assert_eq!(v["request"]["version"], 2);
    assert_eq!(v["request"]["assignee"], Value::Null);
    assert_eq!(audit_events(data).len(), 2);
}

#[test]
fn invalid_input_names_the_field_and_rule_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let long_ticket = "T".repeat(TICKET_MAX + 1);
    let ticket_rule = format!("ticket: must be at most {TICKET_MAX} characters");
    let long_number = "9".repeat(33);
    let tomorrow = day(today() + Duration::days(2));
    let base = ["new", "--kind", "access-152", "--channel", "email"];
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--customer", "12<34"],
            "subjects[0].customer_number: must not contain any of < > \" = ' / ( ) ; #",
        ),
        (
            vec!["--customer", "1", "--customer", &long_number],
            "subjects[1].customer_number: must be 1–32 characters",
        ),
        (
            vec!["--customer", "1", "--ticket", &long_ticket],
            &ticket_rule,
        ),
        (
            vec!["--customer", "1", "--received-on", &tomorrow],
            "received_at: must not be in the future",
        ),
        (
            vec!["--customer", "1", "--received", "2099-01-01T10:00:00+03:00"],
            "received_at: must not be in the future",
        ),
        (
            vec!["--customer", "1", "--received", "yesterday"],
            "received: must be an instant with its UTC offset",
        ),
        (
            vec!["--customer", "1", "--received-on", "07.12.2026"],
            "received-on: must be a date YYYY-MM-DD",
        ),
    ];
    for (extra, message) in cases {
        let mut args = base.to_vec();
        args.extend(extra);
        let run = request(data, &args);
        assert_eq!(run.status, 2, "{args:?}: {}", run.stdout);
        assert!(
            run.stderr.contains(&format!("error: {message}")),
            "{message:?} in {}",
            run.stderr
        );
    }
    let mut args = base.to_vec();
    args.extend(["--customer", "12<34", "--json"]);
    let v = json(&request(data, &args));
    assert_eq!(v["error"]["code"], "validation");
    assert_eq!(v["error"]["field"], "subjects[0].customer_number");

    // A refusal to go on is also a refusal.
    let id = open(
        data,
        &[
            "--kind",
            "access-152",
            "--customer",
            "1",
            "--channel",
            "email",
        ],
    );
    let run = request(data, &["act", &id, "--version", "1", "--status", "refused"]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("reason: --status refused"),
        "{}",
        run.stderr
    );
    let run = request(data, &["act", &id, "--version", "1", "--note", " "]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("note: must not be blank"),
        "{}",
        run.stderr
    );
    let run = request(data, &["show", "not-a-request"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("id: must be a request id (a UUID)"));

    // Only the one good request was written.
    let v = json(&ok(request(data, &["list", "--json"])));
    assert_eq!(v["requests"].as_array().unwrap().len(), 1);
    assert_eq!(audit_events(data).len(), 1);
}

#[test]
fn a_register_open_in_another_card_desk_is_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let held = desk::requests::SledRequestStore::open(&data.join("requests")).unwrap();
    let run = request(data, &["list"]);
    assert_eq!(run.status, 5, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("is open in another Card Desk (the app or carddesk): close it there first"),
        "{}",
        run.stderr
    );
    let run = request(
        data,
        &[
            "new",
            "--kind",
            "access-gdpr",
            "--customer",
            "1",
            "--channel",
            "email",
        ],
    );
    assert_eq!(run.status, 5);
    assert!(
        run.stderr.contains("open in another Card Desk"),
        "{}",
        run.stderr
    );
    drop(held);
    ok(request(data, &["list"]));
}

#[test]
fn the_json_of_a_new_request_is_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let run = ok(request(
        dir.path(),
        &[
            "new",
            "--kind",
            "access-152",
            "--customer",
            "1234",
            "--channel",
            "ticket",
            "--ticket",
            "SUP-77",
            "--received",
            "2026-01-12T10:15:00+03:00",
            "--assignee",
            "Anna",
            "--json",
        ],
    ));
    let v = json(&run);
    let r = &v["request"];
    assert!(r["id"].as_str().unwrap().len() == 36);
    assert_eq!(r["version"], 1);
    assert_eq!(r["kind"], "access152");
    assert_eq!(
        r["received"],
        serde_json::json!({ "precision": "instant", "at": "2026-01-12T07:15:00Z", "offset": 180 })
    );
    assert_eq!(r["channel"], "ticket");
    assert_eq!(r["ticket"], "SUP-77");
    assert_eq!(
        r["subjects"],
        serde_json::json!([{ "customerNumber": "1234", "profile": "all_profiles" }])
    );
    assert_eq!(r["assignee"], "Anna");
    assert_eq!(r["status"], serde_json::json!({ "state": "new" }));
    assert_eq!(r["deadline"]["due"], "2026-01-26");
    assert_eq!(r["deadline"]["basis"], "fz152_access_10_working_days");
    assert_eq!(r["deadline"]["provisional"], false);
    assert!(r["deadline"]["calendarVersion"].is_string());
    assert_eq!(r["events"][0]["what"]["type"], "created");
    for key in [
        "identityChecks",
        "notes",
        "extension",
        "createdAt",
        "updatedAt",
    ] {
        assert!(r.get(key).is_some(), "{key}");
    }
    assert_eq!(v["due"], "overdue");
    assert_eq!(
        v["openItems"],
        serde_json::json!([{ "item": "missing_document", "kind": "answer" }])
    );
    assert_eq!(v["identityConfirmed"], false);
}

/// `carddesk request document …` on the request's profile (the built-in sandbox's, given by
/// `--sandbox-url` as the app has it) with the given data and settings folders.
fn document(data: &Path, config: &Path, sandbox: &str, args: &[&str]) -> Run {
    let mut all = vec!["document"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--sandbox-url", sandbox, "--config-dir"]);
    all.push(config.to_str().unwrap());
    request(data, &all)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_is_made_from_the_terminal_as_in_the_window() {
    let sandbox = assist_sandbox::Sandbox::start(assist_sandbox::SandboxConfig::default())
        .await
        .unwrap();
    let url = sandbox.url();
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = (dir.path().join("data"), dir.path().join("config"));
    let id = open(
        &data,
        &[
            "--kind",
            "card-refusal",
            "--customer",
            "1234",
            "--profile",
            "sandbox",
            "--channel",
            "ticket",
            "--ticket",
            "T-77",
        ],
    );
    ok(request(
        &data,
        &[
            "act",
            &id,
            "--version",
            "1",
            "--identity",
            "last 4",
            "--matched",
            "yes",
        ],
    ));
    let pdf = dir.path().join("confirmation.pdf");
    let pdf_arg = pdf.to_str().unwrap().to_owned();

    // The customer still holds saved cards: refused, and nothing is written.
    let held = document(
        &data,
        &config,
        &url,
        &[
            "--kind",
            "confirmation",
            "--version",
            "2",
            "--out",
            &pdf_arg,
            &id,
        ],
    );
    assert_ne!(held.status, 0, "{}", held.stdout);
    assert!(
        held.stderr.contains("still has saved cards"),
        "{}",
        held.stderr
    );
    assert!(!pdf.exists());

    // An answer needs its wording.
    let answer = document(
        &data,
        &config,
        &url,
        &["--kind", "answer", "--version", "2", "--out", &pdf_arg, &id],
    );
    assert_ne!(answer.status, 0);
    assert!(answer.stderr.contains("--details"), "{}", answer.stderr);

    // Once the cards are gone (removed at the gateway), the confirmation is made.
    let gateway = assist::Client::new(assist::ClientConfig::new(
        assist::BaseUrl::new(&url).unwrap(),
        assist::MerchantId::new("452739").unwrap(),
        assist::Login::new("LOGIN").unwrap(),
        assist::Password::new("PASSWORD").unwrap(),
    ))
    .unwrap();
    let customer = assist::CustomerNumber::new("1234").unwrap();
    for card in gateway.list_cards(&customer).await.unwrap() {
        gateway
            .remove_card(&customer, &card.card_token().unwrap())
            .await;
    }
    assert!(gateway.list_cards(&customer).await.unwrap().is_empty());
    // The merchant by its own name and address, from the same details file as the act's.
    let details = dir.path().join("merchant.json");
    std::fs::write(
        &details,
        r#"{ "operatorName": "ООО «Ромашка»", "operatorAddress": "Москва, ул. Ленина, д. 1" }"#,
    )
    .unwrap();
    let details_arg = details.to_str().unwrap().to_owned();
    let made = ok(document(
        &data,
        &config,
        &url,
        &[
            "--kind",
            "confirmation",
            "--version",
            "2",
            "--out",
            &pdf_arg,
            "--details",
            &details_arg,
            "--language",
            "ru",
            "--json",
            &id,
        ],
    ));
    let text = std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text = String::from_utf8(text.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Продавец ООО «Ромашка», Москва, ул. Ленина, д. 1"),
        "{text}"
    );
    let v = json(&made);
    let sha = v["documents"][0]["sha256"].as_str().unwrap().to_owned();
    let bytes = std::fs::read(&pdf).unwrap();
    assert_eq!(sha, desk::documents::sha256_hex(&bytes));
    assert!(
        audit_events(&data)
            .iter()
            .any(|d| d.contains(&format!("sha256 {sha}"))),
        "the digest is in the audit log"
    );
    let shown = json(&ok(request(&data, &["show", &id, "--json"])));
    assert!(
        shown.to_string().contains(&sha),
        "the request keeps the document: {shown}"
    );

    // Without --details the merchant is the operator of the app's Settings → Documents.
    std::fs::write(
        config.join("profiles.json"),
        r#"{ "version": 1, "settings": { "documents": {
            "operatorName": "ООО «Лютик»", "operatorAddress": "Казань, ул. Баумана, д. 2"
        } } }"#,
    )
    .unwrap();
    let version = shown["request"]["version"].as_u64().unwrap().to_string();
    ok(document(
        &data,
        &config,
        &url,
        &[
            "--kind",
            "confirmation",
            "--version",
            &version,
            "--out",
            &pdf_arg,
            "--language",
            "ru",
            &id,
        ],
    ));
    let text = std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text = String::from_utf8(text.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Продавец ООО «Лютик», Казань, ул. Баумана, д. 2"),
        "{text}"
    );
}
