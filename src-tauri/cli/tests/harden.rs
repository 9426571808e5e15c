//! `carddesk` hardens its process before doing anything (Linux): a running `carddesk sandbox`
//! shows umask 077 in `/proc/<pid>/status`, which the same call sets as it clears the dumpable
//! flag. The flag itself has no field in `/proc`: it shows as `/proc/<pid>` turning root-owned
//! and `environ` unreadable, which can be checked only when the tests do not run as root
//! (root owns and reads everything); as root the flag is checked in-process instead, by
//! `desk/tests/harden.rs`.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::os::unix::fs::MetadataExt;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_carddesk");

fn field<'a>(status: &'a str, name: &str) -> &'a str {
    status
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .unwrap_or_else(|| panic!("{name} not in {status}"))
        .trim()
}

#[test]
fn a_running_carddesk_has_hardened_its_process() {
    let mut child = Command::new(BIN)
        .args(["sandbox", "--addr", "127.0.0.1:0"])
        .env("CARDDESK_PASSWORD", "not-read-by-sandbox")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let proc_dir = format!("/proc/{}", child.id());
    let status = std::fs::read_to_string(format!("{proc_dir}/status"));
    let owner = std::fs::metadata(format!("{proc_dir}/status")).map(|m| m.uid());
    let environ = std::fs::read(format!("{proc_dir}/environ"));
    let _ = child.kill();
    let _ = child.wait();

    assert!(first.starts_with("listening on "), "{first}");
    let status = status.unwrap();
    assert_eq!(field(&status, "Umask:"), "0077");
    let me = std::fs::read_to_string("/proc/self/status").unwrap();
    let my_uid = field(&me, "Uid:")
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    if my_uid != "0" {
        assert_eq!(
            owner.unwrap(),
            0,
            "a non-dumpable process's /proc files are root's"
        );
        assert!(
            environ.is_err(),
            "environ of a non-dumpable process is refused"
        );
    }
}
