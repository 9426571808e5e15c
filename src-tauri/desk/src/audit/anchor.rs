//! Why: a hash chain cannot tell that entries were cut off its end, or that the whole file was
//! deleted or replaced by a fresh chain: what is left is still a valid chain. So the log keeps
//! a high-water mark — the last durable entry's `seq` and `hash` — outside the file, in the OS
//! keyring, where the user cannot casually edit it; `open` and `verify` check the file against
//! it. The keyring also holds the log's MAC key ([`MacKey`]).
//!
//! Both are per log file: the accounts are `audit-anchor:<id>` and `audit-mac-key:<id>`, `<id>`
//! the first 32 hex digits of BLAKE3 of the log's canonical path.
//!
//! The mark is written cheaply: [`MarkKeeper`] raises it from a thread of its own at most once
//! a second (a bulk run's appends only note the newest entry), and on drop (the log's close).
//! An entry is noted only once it is on disk, so a crash never leaves the mark ahead of the
//! file. Writes only raise the mark: two processes appending to one log cannot lower it.

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::mac::MacKey;
use crate::secrets::{SecretError, SecretStore};
use desk_store::lock;

/// How often [`MarkKeeper`] writes the mark at most.
pub const MARK_PERIOD: Duration = Duration::from_secs(1);

/// The high-water mark: the last entry known to be on disk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Mark {
    pub seq: u64,
    pub hash: String,
}

/// `path` made absolute with symlinks resolved, as far as it exists (a deleted log's path
/// must still name the same accounts).
fn canonical(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest: Vec<Component<'_>> = Vec::new();
    let mut base = absolute.as_path();
    loop {
        if let Ok(found) = std::fs::canonicalize(base) {
            let mut out = found;
            out.extend(rest.iter().rev());
            return out;
        }
        match (base.parent(), base.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                base = parent;
            }
            _ => return absolute,
        }
    }
}

/// The keyring's accounts of one log file.
#[derive(Clone)]
pub struct LogKeyring {
    store: Arc<dyn SecretStore>,
    anchor_account: String,
    key_account: String,
}

impl std::fmt::Debug for LogKeyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogKeyring")
            .field("anchor_account", &self.anchor_account)
            .field("kind", &self.store.kind())
            .finish()
    }
}

impl LogKeyring {
    /// The accounts of the log at `log_path` in `store`.
    pub fn for_log(store: Arc<dyn SecretStore>, log_path: &Path) -> LogKeyring {
        let canonical = canonical(log_path);
        let digest = blake3::hash(canonical.as_os_str().as_encoded_bytes());
        let id = &digest.to_hex()[..32];
        LogKeyring {
            store,
            anchor_account: format!("audit-anchor:{id}"),
            key_account: format!("audit-mac-key:{id}"),
        }
    }

    /// The stored mark, if any.
    pub fn mark(&self) -> Result<Option<Mark>, SecretError> {
        match self.store.get(&self.anchor_account)? {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|_| SecretError::Refused {
                    reason: "the audit log's high-water mark in the keyring is malformed",
                }),
        }
    }

    /// Replaces the mark (accepting a new log).
    pub fn set_mark(&self, mark: &Mark) -> Result<(), SecretError> {
        let text = serde_json::to_string(mark).map_err(|_| SecretError::Refused {
            reason: "the high-water mark could not be encoded",
        })?;
        self.store.put(&self.anchor_account, &text)
    }

    /// Removes the mark (accepting that there is no log).
    pub fn clear_mark(&self) -> Result<(), SecretError> {
        self.store.remove(&self.anchor_account)
    }

    /// Writes `mark` unless the stored one is as far or further.
    pub fn raise_mark(&self, mark: &Mark) -> Result<(), SecretError> {
        match self.mark() {
            Ok(Some(stored)) if stored.seq >= mark.seq => Ok(()),
            Ok(_) | Err(SecretError::Refused { .. }) => self.set_mark(mark),
            Err(e) => Err(e),
        }
    }

    /// The log's MAC key, if one was made.
    pub fn key(&self) -> Result<Option<MacKey>, SecretError> {
        match self.store.get(&self.key_account)? {
            None => Ok(None),
            Some(text) => MacKey::from_hex(&text)
                .map(Some)
                .ok_or(SecretError::Refused {
                    reason: "the audit log's MAC key in the keyring is malformed",
                }),
        }
    }

    /// The log's MAC key, made (32 random bytes) and stored on first use. Call it with the
    /// log's exclusive lock held, so two processes do not each make one.
    pub(crate) fn key_or_create(&self) -> Result<MacKey, SecretError> {
        if let Some(key) = self.key()? {
            return Ok(key);
        }
        let key = MacKey::generate().ok_or(SecretError::Refused {
            reason: "no randomness for the audit log's MAC key",
        })?;
        self.store.put(&self.key_account, &key.to_hex())?;
        // Use what the keyring now holds, not what was meant to be stored.
        self.key()?.ok_or(SecretError::Refused {
            reason: "the keyring did not keep the audit log's MAC key",
        })
    }
}

/// What the keyring can tell a verify: the key and the mark, or why not.
#[derive(Debug)]
pub struct Trust {
    pub key: Result<Option<MacKey>, String>,
    pub mark: Result<Option<Mark>, String>,
}

impl Trust {
    /// Nothing to check against, because `reason` (e.g. the keyring is unavailable).
    pub fn unavailable(reason: &str) -> Trust {
        Trust {
            key: Err(reason.to_owned()),
            mark: Err(reason.to_owned()),
        }
    }

    /// Reads the key and the mark (never creates either).
    pub fn read(keyring: &LogKeyring) -> Trust {
        Trust {
            key: keyring.key().map_err(|e| e.to_string()),
            mark: keyring.mark().map_err(|e| e.to_string()),
        }
    }
}

/// Raises the mark in the keyring from its own thread, at most once per [`MARK_PERIOD`], and
/// once more when dropped.
#[derive(Debug)]
pub(crate) struct MarkKeeper {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Debug)]
struct Shared {
    keyring: LogKeyring,
    state: Mutex<State>,
    wake: Condvar,
    /// One keyring write at a time (the thread's and [`MarkKeeper::flush`]'s).
    writing: Mutex<()>,
}

#[derive(Debug, Default)]
struct State {
    pending: Option<Mark>,
    stop: bool,
    /// Why the last write failed, until one succeeds.
    failure: Option<String>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    fn flush(&self) {
        let _one = lock(&self.writing);
        let Some(mark) = self.state().pending.take() else {
            return;
        };
        let result = self.keyring.raise_mark(&mark);
        let mut state = self.state();
        match result {
            Ok(()) => state.failure = None,
            Err(e) => {
                state.failure = Some(e.to_string());
                // Try again later, unless a newer entry is already waiting.
                if state.pending.is_none() {
                    state.pending = Some(mark);
                }
            }
        }
    }
}

impl MarkKeeper {
    pub(crate) fn start(keyring: LogKeyring) -> MarkKeeper {
        let shared = Arc::new(Shared {
            keyring,
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            writing: Mutex::new(()),
        });
        let worker = shared.clone();
        let thread = std::thread::Builder::new()
            .name("audit-mark".to_owned())
            .spawn(move || keep(&worker))
            .ok();
        MarkKeeper { shared, thread }
    }

    /// Notes that entry `seq` with `hash` is on disk.
    pub(crate) fn note(&self, seq: u64, hash: &str) {
        let mut state = self.shared.state();
        if state.pending.as_ref().is_none_or(|p| p.seq < seq) {
            state.pending = Some(Mark {
                seq,
                hash: hash.to_owned(),
            });
        }
        drop(state);
        if self.thread.is_some() {
            self.shared.wake.notify_one();
        } else {
            self.shared.flush();
        }
    }

    /// Writes the newest noted entry now (blocking: one or two keyring calls).
    pub(crate) fn flush(&self) {
        self.shared.flush();
    }

    /// Why the last write of the mark failed, if it did.
    pub(crate) fn failure(&self) -> Option<String> {
        self.shared.state().failure.clone()
    }
}

fn keep(shared: &Shared) {
    loop {
        let mut state = shared.state();
        while state.pending.is_none() && !state.stop {
            state = shared
                .wake
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        if state.pending.is_none() && state.stop {
            return;
        }
        drop(state);
        shared.flush();
        // Let appends gather for a period before the next write (unless closing).
        let state = shared.state();
        let _ = shared
            .wake
            .wait_timeout_while(state, MARK_PERIOD, |s| !s.stop)
            .map_err(|_| ());
        if shared.state().stop {
            shared.flush();
            return;
        }
    }
}

impl Drop for MarkKeeper {
    fn drop(&mut self) {
        self.shared.state().stop = true;
        self.shared.wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.shared.flush();
    }
}
