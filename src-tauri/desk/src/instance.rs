//! Why: the app is single-instance per desktop session (a second launch focuses the first
//! window), but a copy started from another session — another D-Bus session, a second login
//! of the same user, `sudo -u` — does not see the first one. It then went on to the keyring
//! check (which can block for a minute where no Secret Service answers) and finally hit the
//! cache's lock with a panic. [`InstanceLock`] is the first thing the app takes, before the
//! keyring and the sandbox: an exclusive lock on `<data dir>/carddesk.lock`, held for the life
//! of the process (the OS drops it with the process, so a crash never leaves it stale). A
//! refusal names the process that holds it, and the shell says so in a dialog.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::DeskError;

/// The lock file's name inside the app data dir.
pub const LOCK_FILE: &str = "carddesk.lock";

/// The app's hold on its data dir; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    path: PathBuf,
}

impl InstanceLock {
    /// Takes the data dir for this process, creating the dir (0700) and the lock file when
    /// needed. Never blocks: a dir held by another running copy is an error that says so.
    pub fn take(data_dir: &Path) -> Result<InstanceLock, DeskError> {
        let path = data_dir.join(LOCK_FILE);
        let fail = |e: std::io::Error| {
            DeskError::internal(format!("could not lock {}: {e}", path.display()))
        };
        desk_store::private_fs::create_private_dir(data_dir).map_err(fail)?;
        let mut file = desk_store::private_fs::owner_only(
            OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false),
        )
        .open(&path)
        .map_err(fail)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let who = if holder.is_empty() {
                    String::new()
                } else {
                    format!(" (process {holder})")
                };
                return Err(DeskError::internal(format!(
                    "Card Desk is already running with this data directory ({}){who}, perhaps \
                     in another session or under another login.",
                    data_dir.display()
                )));
            }
            Err(TryLockError::Error(e)) => return Err(fail(e)),
        }
        // Who holds it, for the message a second copy shows. Best effort.
        let _ = file
            .set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(std::process::id().to_string().as_bytes()))
            .and_then(|()| file.flush());
        Ok(InstanceLock { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_hold_on_the_same_dir_is_refused_with_the_holders_pid_and_freed_on_drop() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let first = InstanceLock::take(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let err = InstanceLock::take(dir.path()).err();
        let msg = err.map(|e| e.message).unwrap_or_default();
        assert!(msg.contains("already running"), "{msg}");
        assert!(
            msg.contains(&format!("process {}", std::process::id())),
            "{msg}"
        );
        drop(first);
        assert!(InstanceLock::take(dir.path()).is_ok());
    }
}
