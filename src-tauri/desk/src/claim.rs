//! Why: a card must have at most one removal in flight, whoever sends it — the app, a
//! `carddesk revoke`, a bulk job, in this process or another on the machine
//! (docs/audit-log.md, "One removal in flight"). rem_token is not idempotent, so a second
//! removal started while the first still waits on a slow gateway is exactly the double removal
//! the desk promises never to send.
//!
//! A claim is a small file per card in `<data_dir>/audit/claims/`, held with the OS's
//! exclusive file lock from before the `revoke_intent` entry until after its outcome entry.
//! The lock belongs to the open file, so it dies with its process: a claim whose owner crashed
//! is free again at once, and a reused pid cannot make a dead owner look alive. The file's
//! text names the owner, for the message a second claimant sees. Recovery settles an intent
//! only after taking its card's claim, so it never touches a removal that is still alive.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::audit::now_rfc3339_ms;
use crate::private_fs;
use crate::{DeskError, ErrorCode};

/// The claims' directory beside the audit log.
pub const CLAIMS_DIR_NAME: &str = "claims";

/// Who holds a claim (or wrote an intent): enough to tell a person which window or command
/// to look at, and a per-process id that a later process with the same pid does not share.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ClaimOwner {
    /// e.g. `Card Desk`, `carddesk revoke`, `bulk job 20261206…`.
    pub program: String,
    pub pid: u32,
    /// Random per process: tells two processes apart even when the OS reuses a pid.
    pub instance: String,
    /// When this claim was taken (UTC, RFC 3339 with ms).
    pub since: String,
}

impl ClaimOwner {
    /// This process, as `program`, claiming now.
    pub fn current(program: &str) -> ClaimOwner {
        ClaimOwner {
            program: program.to_owned(),
            pid: std::process::id(),
            instance: process_instance().to_owned(),
            since: now_rfc3339_ms(),
        }
    }

    /// "carddesk revoke, pid 4711, since 15:43:07 UTC".
    pub fn describe(&self) -> String {
        let clock = self.since.get(11..19).unwrap_or(&self.since);
        format!("{}, pid {}, since {clock} UTC", self.program, self.pid)
    }

    /// [`ClaimOwner::describe`] in Russian: "carddesk revoke, pid 4242, с 12:05:09 UTC".
    pub fn describe_ru(&self) -> String {
        let clock = self.since.get(11..19).unwrap_or(&self.since);
        format!("{}, pid {}, с {clock} UTC", self.program, self.pid)
    }
}

fn process_instance() -> &'static str {
    static INSTANCE: OnceLock<String> = OnceLock::new();
    INSTANCE.get_or_init(|| uuid::Uuid::new_v4().simple().to_string()[..12].to_owned())
}

/// The claims of one data dir.
#[derive(Clone, Debug)]
pub struct CardClaims {
    dir: PathBuf,
}

/// A held claim: released (its file removed, its lock dropped) when dropped.
#[derive(Debug)]
pub struct Claim {
    file: File,
    /// Removed on drop where a locked file can be removed (unix); elsewhere it is emptied.
    #[cfg_attr(not(unix), allow(dead_code))]
    path: PathBuf,
    owner: ClaimOwner,
}

impl Claim {
    pub fn owner(&self) -> &ClaimOwner {
        &self.owner
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        // Removed while still locked: whoever opened the old file meanwhile sees, once it has
        // the lock, that the path no longer names its file and tries again (see `try_claim`).
        #[cfg(unix)]
        {
            let _ = std::fs::remove_file(&self.path);
        }
        #[cfg(not(unix))]
        {
            let _ = self.file.set_len(0);
        }
        let _ = self.file.unlock();
    }
}

/// Why a claim could not be taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimRefused {
    /// Another removal of the card is open; its owner when the claim file could be read.
    Held(Option<ClaimOwner>),
    /// The claims directory or file could not be used.
    Io(String),
}

impl ClaimRefused {
    /// The error a person sees: nothing was sent.
    pub fn into_error(self, masked: &str) -> DeskError {
        match self {
            ClaimRefused::Held(owner) => {
                let (en, ru) = match owner {
                    Some(o) => (
                        format!(
                            "a removal of card {masked} started by {} is still waiting for the \
                             gateway; nothing was sent — look again when it has finished",
                            o.describe()
                        ),
                        format!(
                            "удаление карты {masked} ещё ждёт ответа шлюза (его начал {}); \
                             ничего не отправлено — проверьте снова, когда оно завершится",
                            o.describe_ru()
                        ),
                    ),
                    None => (
                        format!(
                            "a removal of card {masked} is still open in another window or \
                             command; nothing was sent — look again when it has finished"
                        ),
                        format!(
                            "удаление карты {masked} ещё не завершено в другом окне или \
                             команде; ничего не отправлено — проверьте снова, когда оно \
                             завершится"
                        ),
                    ),
                };
                DeskError::new(ErrorCode::RemovalInProgress, en).ru(ru)
            }
            ClaimRefused::Io(detail) => DeskError::internal(format!(
                "the card could not be claimed for removal ({detail}); nothing was sent"
            ))
            .ru(format!(
                "не удалось отметить карту как удаляемую ({detail}); ничего не отправлено"
            )),
        }
    }
}

impl CardClaims {
    /// Claims kept in `<audit dir>/claims/`, beside the audit log at `audit_path`.
    pub fn beside_audit_log(audit_path: &Path) -> CardClaims {
        CardClaims {
            dir: audit_path.with_file_name(CLAIMS_DIR_NAME),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path_of(&self, profile_id: &str, fingerprint: &str) -> PathBuf {
        let mut hasher = blake3::Hasher::new();
        hasher.update(profile_id.as_bytes());
        hasher.update(b"\0");
        hasher.update(fingerprint.to_ascii_lowercase().as_bytes());
        let hex = hasher.finalize().to_hex();
        self.dir.join(format!("{}.claim", &hex[..32]))
    }

    /// Takes the claim on one card of one profile, or says who holds it. Never blocks.
    pub fn try_claim(
        &self,
        profile_id: &str,
        fingerprint: &str,
        program: &str,
    ) -> Result<Claim, ClaimRefused> {
        let io = |what: &str, e: std::io::Error| ClaimRefused::Io(format!("{what}: {e}"));
        private_fs::create_private_dir(&self.dir).map_err(|e| io("claims directory", e))?;
        let path = self.path_of(profile_id, fingerprint);
        // A release removes the file while it still holds the lock: a claimant that opened
        // the old file just before finds, after locking, that the path names another file.
        for _ in 0..16 {
            let mut file = open_private(&path).map_err(|e| io("claim file", e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    let mut text = String::new();
                    let owner = file
                        .read_to_string(&mut text)
                        .ok()
                        .and_then(|_| serde_json::from_str(&text).ok());
                    return Err(ClaimRefused::Held(owner));
                }
                Err(TryLockError::Error(e)) => return Err(io("claim lock", e)),
            }
            if !still_named(&file, &path) {
                continue;
            }
            let owner = ClaimOwner::current(program);
            let text = serde_json::to_vec(&owner).unwrap_or_default();
            file.set_len(0).map_err(|e| io("claim file", e))?;
            file.write_all(&text).map_err(|e| io("claim file", e))?;
            return Ok(Claim { file, path, owner });
        }
        Err(ClaimRefused::Io(
            "the claim file kept changing under us".to_owned(),
        ))
    }
}

#[cfg(unix)]
fn still_named(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.ino() == b.ino() && a.dev() == b.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_named(_file: &File, _path: &Path) -> bool {
    true
}

fn open_private(path: &Path) -> std::io::Result<File> {
    let file = private_fs::owner_only(
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false),
    )
    .open(path)?;
    private_fs::restrict(&file)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::fs;

    #[test]
    fn a_second_claim_is_refused_and_names_the_holder_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let claims = CardClaims::beside_audit_log(&dir.path().join("audit/audit.jsonl"));
        let first = claims
            .try_claim("p1", "ABCDEF012345", "carddesk revoke")
            .unwrap();
        match claims.try_claim("p1", "abcdef012345", "Card Desk") {
            Err(ClaimRefused::Held(Some(owner))) => {
                assert_eq!(owner.program, "carddesk revoke");
                assert_eq!(owner.pid, std::process::id());
                let message = ClaimRefused::Held(Some(owner))
                    .into_error("•••• 0028")
                    .message;
                assert!(message.contains("carddesk revoke, pid"), "{message}");
                assert!(message.contains("nothing was sent"), "{message}");
            }
            other => panic!("expected held, got {other:?}"),
        }
        // Another card, or the same card in another profile, is free.
        let other_card = claims.try_claim("p1", "111111111111", "x").unwrap();
        let other_profile = claims.try_claim("p2", "ABCDEF012345", "x").unwrap();
        drop((other_card, other_profile));
        drop(first);
        let again = claims.try_claim("p1", "ABCDEF012345", "Card Desk").unwrap();
        assert_eq!(again.owner().program, "Card Desk");
        drop(again);
        assert_eq!(
            fs::read_dir(claims.dir()).unwrap().count(),
            0,
            "released claims leave no file"
        );
    }

    #[cfg(unix)]
    #[test]
    fn claims_are_private_to_their_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let claims = CardClaims::beside_audit_log(&dir.path().join("audit/audit.jsonl"));
        let held = claims.try_claim("p1", "ABCDEF012345", "x").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(claims.dir()), 0o700);
        assert_eq!(mode(&held.path), 0o600);
    }
}
