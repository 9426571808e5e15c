//! `carddesk request act --extend-notice` as a real process on a temp `--data-dir`: a 152-FZ
//! access request's term moves by 5 working days on the production calendar (counted here from
//! the calendar's own data, not assumed as weekdays), the request records the notice and the
//! reason, and the audit log's `request_event` says what it was moved to and when the notice
//! went. Kept apart from request.rs so the register's other terminal tests stay as they are.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use desk::requests::Calendar;
use serde_json::Value;
use time::{Date, Duration, OffsetDateTime};

const BIN: &str = env!("CARGO_BIN_EXE_carddesk");

/// `carddesk request ARGS --data-dir DATA --utc-offset 0 --json`, which must succeed.
fn request(data: &Path, args: &[&str]) -> Value {
    let out = Command::new(BIN)
        .arg("request")
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .args(["--utc-offset", "0", "--json"])
        .env_remove("CARDDESK_PASSWORD")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn day(date: Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    date.format(&format).unwrap()
}

fn parse_day(text: &str) -> Date {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).unwrap()
}

/// The `n`th working day after `from` on the Russian production calendar.
fn working_days_after(from: Date, n: u32) -> Date {
    let calendar = Calendar::russia();
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d += Duration::days(1);
        if calendar.is_working_day(d).unwrap() {
            left -= 1;
        }
    }
    d
}

#[test]
fn an_access_request_is_extended_by_five_working_days_with_its_notice_in_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let today = OffsetDateTime::now_utc().date();
    let opened = request(
        data,
        &[
            "new",
            "--kind",
            "access-152",
            "--customer",
            "1234",
            "--channel",
            "email",
            "--received-on",
            &day(today),
        ],
    );
    let id = opened["request"]["id"].as_str().unwrap().to_owned();
    let version = opened["request"]["version"].as_u64().unwrap().to_string();
    let before = parse_day(opened["request"]["deadline"]["due"].as_str().unwrap());
    assert_eq!(
        opened["request"]["deadline"]["basis"],
        "fz152_access_10_working_days"
    );

    let reason = "the card history is kept by the processor and was asked for";
    let extended = request(
        data,
        &[
            "act",
            &id,
            "--version",
            &version,
            "--extend-notice",
            &day(today),
            "--reason",
            reason,
        ],
    );
    let after = parse_day(extended["request"]["deadline"]["due"].as_str().unwrap());
    assert_eq!(after, working_days_after(before, 5), "from {before}");
    assert_eq!(
        extended["request"]["deadline"]["basis"],
        "fz152_access_15_working_days"
    );
    let extension = &extended["request"]["extension"];
    assert_eq!(extension["noticeSentOn"], day(today), "{extension}");
    assert_eq!(extension["reason"], reason, "{extension}");
    assert_eq!(extension["originalDue"], day(before), "{extension}");

    let log = std::fs::read_to_string(data.join("audit/audit.jsonl")).unwrap();
    let last = log
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .rfind(|e| e["action"] == "request_event")
        .unwrap();
    assert_eq!(last["request"], id.as_str());
    assert_eq!(
        last["detail"],
        format!(
            "extended to {} (reasoned notice sent {})",
            day(after),
            day(today)
        )
        .as_str()
    );
}
