//! The `carddesk` binary against a real sandbox on loopback: output, JSON schema, exit
//! statuses, invalid input refused before anything is sent, and no password in any output.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

use assist_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_carddesk");
/// A password that must never appear in anything the CLI prints.
const CANARY: &str = concat!("Canary-Pw-", "7Q2x");
const DOC_VISA: &str = "49D902C6-1CCF-4605-9228-11D0E8115C77";
const DOC_REMOVAL: &str = "54F5A3DE-4B47-4B40-03B5-7FF992D6B401";

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

/// Runs the CLI off the async runtime (the sandbox serves on it meanwhile).
async fn carddesk(args: Vec<String>, password: Option<&str>) -> Run {
    let password = password.map(str::to_owned);
    tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(BIN);
        cmd.args(&args).env_remove("CARDDESK_PASSWORD");
        if let Some(p) = &password {
            cmd.env("CARDDESK_PASSWORD", p);
        }
        let Output {
            status,
            stdout,
            stderr,
        } = cmd.output().unwrap();
        let run = Run {
            status: status.code().unwrap_or(-1),
            stdout: String::from_utf8(stdout).unwrap(),
            stderr: String::from_utf8(stderr).unwrap(),
        };
        assert!(
            !run.stdout.contains(CANARY) && !run.stderr.contains(CANARY),
            "password leaked"
        );
        run
    })
    .await
    .unwrap()
}

fn gateway_args(cmd: &str, url: &str, customer: &str) -> Vec<String> {
    [
        cmd,
        "--server",
        url,
        "--merchant-id",
        "452739",
        "--login",
        "LOGIN",
        "--customer",
        customer,
    ]
    .map(String::from)
    .to_vec()
}

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await.unwrap()
}

#[tokio::test]
async fn cards_prints_masked_numbers_brand_bank_expiry_and_state() {
    let sb = sandbox().await;
    let run = carddesk(gateway_args("cards", &sb.url(), "1234"), Some("PASSWORD")).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("customer 1234: 3 saved cards"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("4123 62•• •••• 0028"), "{}", run.stdout);
    assert!(run.stdout.contains("5186 15•• •••• 1030"), "{}", run.stdout);
    assert!(run.stdout.contains("MasterCard"));
    assert!(run.stdout.contains("exp 12/2025"));
    assert!(
        run.stdout.contains("expired"),
        "12/2025 is in the past: {}",
        run.stdout
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn cards_json_follows_the_documented_schema() {
    let sb = sandbox().await;
    let mut args = gateway_args("cards", &sb.url(), "1234");
    args.push("--json".into());
    let run = carddesk(args, Some("PASSWORD")).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["customer"], "1234");
    let cards = v["cards"].as_array().unwrap();
    let visa = cards.iter().find(|c| c["token"] == DOC_VISA).unwrap();
    assert_eq!(visa["bin"], "412362");
    assert_eq!(visa["last4"], "0028");
    assert_eq!(visa["masked"], "4123 62•• •••• 0028");
    assert_eq!(visa["brand"], "VISA");
    assert_eq!(visa["expiry"]["month"], 12);
    assert_eq!(visa["expiry"]["year"], 2025);
    assert_eq!(visa["active"], true);
    assert_eq!(visa["needCvc"], false);
    let assets = visa["assets"].as_array().unwrap();
    assert!(
        assets
            .iter()
            .any(|a| a["type"] == "ICON" && a["media"][0]["mediaType"] == "image/png")
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn invalid_input_exits_2_and_sends_nothing() {
    let sb = sandbox().await;
    let url = sb.url();
    let data = tempfile::tempdir().unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (gateway_args("cards", &url, "12<3>4"), "customer number"),
        (
            gateway_args("cards", &url, &"9".repeat(33)),
            "customer number",
        ),
        (
            gateway_args("cards", "http://example.com", "1234"),
            "base URL",
        ),
        (
            [
                "cards",
                "--server",
                &url,
                "--merchant-id",
                "45x",
                "--login",
                "LOGIN",
                "--customer",
                "1",
            ]
            .map(String::from)
            .to_vec(),
            "merchant id",
        ),
        (
            {
                let mut a = gateway_args("revoke", &url, "1234");
                a.extend(
                    [
                        "--token",
                        "not-a-token",
                        "--last4",
                        "0028",
                        "--ticket",
                        "T-1",
                    ]
                    .map(String::from),
                );
                a.extend(["--data-dir".into(), data.path().display().to_string()]);
                a
            },
            "card token",
        ),
        (
            {
                let mut a = gateway_args("revoke", &url, "1234");
                a.extend(
                    [
                        "--token",
                        DOC_REMOVAL,
                        "--last4",
                        "4417",
                        "--reason",
                        "whim",
                    ]
                    .map(String::from),
                );
                a
            },
            "reason",
        ),
    ];
    for (args, field) in cases {
        let run = carddesk(args.clone(), Some("PASSWORD")).await;
        assert_eq!(run.status, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.to_lowercase().contains(&field.to_lowercase()),
            "{args:?} names {field}: {}",
            run.stderr
        );
    }
    let run = carddesk(gateway_args("cards", &url, "1234"), None).await;
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("CARDDESK_PASSWORD"), "{}", run.stderr);
    assert_eq!(sb.requests_seen(), 0, "nothing may reach the gateway");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_wrong_password_is_a_decoded_fault_with_exit_3_and_is_never_echoed() {
    let sb = sandbox().await;
    let mut args = gateway_args("cards", &sb.url(), "1234");
    let run = carddesk(args.clone(), Some(CANARY)).await;
    assert_eq!(run.status, 3, "{}", run.stderr);
    assert!(run.stderr.contains("7/141"), "{}", run.stderr);
    assert!(
        run.stderr.contains("Authentication error"),
        "{}",
        run.stderr
    );
    args.push("--json".into());
    let run = carddesk(args, Some(CANARY)).await;
    assert_eq!(run.status, 3);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["error"]["code"], "gateway_fault");
    sb.shutdown().await;
}

#[tokio::test]
async fn an_unreachable_gateway_is_exit_4() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = carddesk(
        gateway_args("cards", &format!("http://127.0.0.1:{port}"), "1234"),
        Some("PASSWORD"),
    )
    .await;
    assert_eq!(run.status, 4, "{}", run.stderr);
    assert!(run.stderr.contains("transport"), "{}", run.stderr);
}

#[tokio::test]
async fn revoke_removes_exactly_once_and_a_second_revoke_is_refused_as_not_listed() {
    let sb = sandbox().await;
    let data = tempfile::tempdir().unwrap();
    let mut args = gateway_args("revoke", &sb.url(), "1234");
    args.extend(
        [
            "--token",
            DOC_REMOVAL,
            "--last4",
            "4417",
            "--ticket",
            "T-1",
            "--json",
        ]
        .map(String::from),
    );
    args.extend(["--data-dir".into(), data.path().display().to_string()]);
    let run = carddesk(args.clone(), Some("PASSWORD")).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["outcome"], "removed");
    assert_eq!(sb.ledger().entry(DOC_REMOVAL).effective_removals, 1);

    // The card is no longer in the customer's list, so nothing is sent the second time.
    let run = carddesk(args, Some("PASSWORD")).await;
    assert_eq!(run.status, 2, "{}", run.stdout);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["error"]["code"], "validation");
    // The terminal speaks English: the window's Russian text stays out of the JSON and stderr.
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("card token: not among the cards"),
        "{message}"
    );
    assert_eq!(v["error"].get("ru"), None, "{v}");
    assert!(
        run.stderr.contains("error: card token: not among"),
        "{}",
        run.stderr
    );
    let entry = sb.ledger().entry(DOC_REMOVAL);
    assert_eq!((entry.rem_token_calls, entry.effective_removals), (1, 1));

    let listed = carddesk(gateway_args("cards", &sb.url(), "1234"), Some("PASSWORD")).await;
    assert!(listed.stdout.contains("2 saved cards"), "{}", listed.stdout);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_revokes_of_one_card_at_once_send_one_removal_and_the_second_names_the_first() {
    let sb = sandbox().await;
    // The gateway takes 2 s to remove: the first revoke is still waiting when the second
    // starts, in another process, on the same data dir.
    sb.faults().set(assist_sandbox::FaultPlan {
        slow_removal_ms: 2_000,
        ..assist_sandbox::FaultPlan::default()
    });
    let data = tempfile::tempdir().unwrap();
    let mut args = gateway_args("revoke", &sb.url(), "1234");
    args.extend(
        [
            "--token",
            DOC_REMOVAL,
            "--last4",
            "4417",
            "--ticket",
            "T-1",
            "--json",
        ]
        .map(String::from),
    );
    args.extend(["--data-dir".into(), data.path().display().to_string()]);
    let first = tokio::spawn(carddesk(args.clone(), Some("PASSWORD")));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while sb.ledger().entry(DOC_REMOVAL).rem_token_calls == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the first revoke never sent"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let second = carddesk(args, Some("PASSWORD")).await;
    assert_eq!(second.status, 6, "{}", second.stderr);
    let v: Value = serde_json::from_str(&second.stdout).unwrap();
    assert_eq!(v["error"]["code"], "removal_in_progress");
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("carddesk revoke, pid") && message.contains("nothing was sent"),
        "{message}"
    );
    let first = first.await.unwrap();
    assert_eq!(first.status, 0, "{}", first.stderr);
    let entry = sb.ledger().entry(DOC_REMOVAL);
    assert_eq!((entry.rem_token_calls, entry.effective_removals), (1, 1));
    sb.shutdown().await;
}

#[tokio::test]
async fn password_can_come_from_stdin() {
    let sb = sandbox().await;
    let mut args = gateway_args("cards", &sb.url(), "1234");
    args.push("--password-stdin".into());
    let run = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(BIN)
            .args(&args)
            .env_remove("CARDDESK_PASSWORD")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"PASSWORD\n")
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("3 saved cards"));
    sb.shutdown().await;
}

#[tokio::test]
async fn sandbox_command_prints_its_address_first_and_serves_the_documentation_examples() {
    let (mut child, url, _) = sandbox_command(&[], None);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let run = carddesk(gateway_args("cards", &url, "1234"), Some("PASSWORD")).await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("3 saved cards"));
}

/// Starts `carddesk sandbox` on a free port; returns it with the address and the token from
/// its first two lines.
fn sandbox_command(
    extra: &[&str],
    env_token: Option<&str>,
) -> (std::process::Child, String, String) {
    let mut cmd = Command::new(BIN);
    cmd.args(["sandbox", "--addr", "127.0.0.1:0"])
        .args(extra)
        .env_remove("CARDDESK_SANDBOX_TOKEN")
        .stdout(Stdio::piped());
    if let Some(token) = env_token {
        cmd.env("CARDDESK_SANDBOX_TOKEN", token);
    }
    let mut child = cmd.spawn().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (mut first, mut second) = (String::new(), String::new());
    out.read_line(&mut first).unwrap();
    out.read_line(&mut second).unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{first:?}"))
        .to_owned();
    let token = second
        .trim()
        .strip_prefix("control token: ")
        .unwrap_or_else(|| panic!("{second:?}"))
        .to_owned();
    (child, url, token)
}

/// The status code of `POST /_sandbox/reset` with an optional bearer token (plain HTTP/1.1
/// over a socket: this crate's tests have no HTTP client).
fn reset_status(url: &str, token: Option<&str>) -> u16 {
    let authority = url.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(authority).unwrap();
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        stream,
        "POST /_sandbox/reset HTTP/1.1\r\nHost: {authority}\r\n{auth}Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut status_line = String::new();
    BufReader::new(stream).read_line(&mut status_line).unwrap();
    status_line.split(' ').nth(1).unwrap().parse().unwrap()
}

#[tokio::test]
async fn sandbox_command_prints_its_control_token_second_and_the_control_api_needs_it() {
    let (mut child, url, token) = sandbox_command(&[], None);
    assert_eq!(token.len(), 64, "{token}");
    assert_eq!(reset_status(&url, None), 401);
    assert_eq!(reset_status(&url, Some("not-the-token-0123456789")), 401);
    assert_eq!(reset_status(&url, Some(&token)), 204);
    child.kill().unwrap();
    child.wait().unwrap();

    // A token from the option or the environment is used (and printed) as given.
    let chosen = "known-to-the-test-0123456789";
    for (args, env) in [
        (&["--control-token", chosen][..], None),
        (&[][..], Some(chosen)),
    ] {
        let (mut child, url, token) = sandbox_command(args, env);
        assert_eq!(token, chosen);
        assert_eq!(reset_status(&url, Some(chosen)), 204);
        child.kill().unwrap();
        child.wait().unwrap();
    }

    // A guessable token is refused before anything listens.
    let run = carddesk(
        [
            "sandbox",
            "--addr",
            "127.0.0.1:0",
            "--control-token",
            "short",
        ]
        .map(str::to_owned)
        .to_vec(),
        None,
    )
    .await;
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains("control token"), "{}", run.stderr);
}

/// The built-in seed with the documentation's VISA card given a bank and a brand that try to
/// drive the terminal: retitle it, clear it, and forge a line with a newline.
async fn sandbox_with_hostile_card_texts() -> Sandbox {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../sandbox/seed/default.json");
    let mut seed: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let customers = seed["merchants"][0]["customers"].as_array_mut().unwrap();
    let doc = customers
        .iter_mut()
        .find(|c| c["customerNumber"] == "1234")
        .unwrap();
    let visa = doc["cards"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["token"] == DOC_VISA)
        .unwrap();
    visa["bank"] = "Bank\u{1b}]0;owned\u{7}\u{1b}[2J".into();
    visa["brand"] = "VISA\ncustomer 9999: 1 saved card".into();
    Sandbox::start(SandboxConfig {
        seed: assist_sandbox::Seed::from_json(&seed.to_string()).unwrap(),
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn cards_shows_control_characters_from_the_gateway_escaped_and_json_keeps_them() {
    let sb = sandbox_with_hostile_card_texts().await;
    let run = carddesk(gateway_args("cards", &sb.url(), "1234"), Some("PASSWORD")).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        !run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{7}'),
        "{:?}",
        run.stdout
    );
    assert!(
        !run.stdout.lines().any(|l| l.starts_with("customer 9999")),
        "a forged line: {}",
        run.stdout
    );
    assert_eq!(
        run.stdout.lines().count(),
        4,
        "a header and 3 cards: {}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("VISA\\ncustomer 9999: 1 saved card  Bank\\u{1b}]0;owned\\u{7}\\u{1b}[2J"),
        "{}",
        run.stdout
    );

    let mut args = gateway_args("cards", &sb.url(), "1234");
    args.push("--json".into());
    let run = carddesk(args, Some("PASSWORD")).await;
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["cards"][0]["bank"], "Bank\u{1b}]0;owned\u{7}\u{1b}[2J");
    sb.shutdown().await;
}
