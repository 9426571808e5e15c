//! Why: sled releases a dropped database's file lock from its background flusher thread, a
//! moment after the last handle goes. A store closed and opened again at once (the app's
//! next window, a job reopened, a test's "restart") would otherwise be told the directory is
//! taken. Every sled store opens through here, so that moment is waited out in one place and
//! a lock still held after it really means another process.

use std::time::Duration;

/// How often and how long a held lock is tried again before it counts as another process's.
const TRIES: u32 = 20;
const PAUSE: Duration = Duration::from_millis(50);

/// Opens `config`'s database, trying again for up to a second while its lock is held. A lock
/// still held after that comes back as sled's own error (see [`crate::is_lock_error`]).
pub fn open_waiting(config: &sled::Config) -> sled::Result<sled::Db> {
    let mut tries = 0;
    loop {
        match config.open() {
            Err(sled::Error::Io(io)) if crate::is_lock_error(&io) && tries + 1 < TRIES => {
                tries += 1;
                std::thread::sleep(PAUSE);
            }
            opened => return opened,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_database_dropped_a_moment_ago_opens_again() {
        let dir = tempfile::tempdir().unwrap();
        let config = sled::Config::new().path(dir.path());
        for _ in 0..20 {
            let db = open_waiting(&config).unwrap();
            db.insert(b"k", b"v").unwrap();
            drop(db);
        }
    }

    #[test]
    fn a_database_held_open_is_refused_as_locked() {
        let dir = tempfile::tempdir().unwrap();
        let config = sled::Config::new().path(dir.path());
        let _held = open_waiting(&config).unwrap();
        match open_waiting(&sled::Config::new().path(dir.path())) {
            Err(sled::Error::Io(io)) => assert!(crate::is_lock_error(&io), "{io}"),
            other => panic!("expected a lock error, got {other:?}"),
        }
    }
}
