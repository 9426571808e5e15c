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

/// Why [`open_versioned`] failed.
#[derive(Debug)]
pub enum OpenError {
    /// The owner-only directory could not be made.
    Create(std::io::Error),
    /// sled refused (a held lock, a full disk, …): for the caller's own wording.
    Sled(sled::Error),
    /// The store was written in another format, by a newer Card Desk; the format it names.
    NewerFormat(String),
}

/// A small store of the desk's (the request register, the webhook outbox): `dir` made
/// owner-only, sled opened there (waiting out a just-dropped handle), its files made owner-only,
/// and its `meta` tree holding `format` under `format_key` — written on first open, and a store
/// of another format refused. Returns the database and its `meta` tree.
pub fn open_versioned(
    dir: &std::path::Path,
    format_key: &[u8],
    format: &[u8],
) -> Result<(sled::Db, sled::Tree), OpenError> {
    crate::private_fs::create_private_dir(dir).map_err(OpenError::Create)?;
    let db = open_waiting(&sled::Config::new().path(dir)).map_err(OpenError::Sled)?;
    crate::private_fs::make_tree_private(dir);
    let meta = db.open_tree("meta").map_err(OpenError::Sled)?;
    match meta.get(format_key).map_err(OpenError::Sled)? {
        None => {
            meta.insert(format_key, format).map_err(OpenError::Sled)?;
        }
        Some(f) if f.as_ref() == format => {}
        Some(f) => {
            return Err(OpenError::NewerFormat(
                String::from_utf8_lossy(&f).into_owned(),
            ));
        }
    }
    Ok((db, meta))
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
    fn a_store_of_another_format_is_refused_and_its_format_named() {
        let dir = tempfile::tempdir().unwrap();
        let (db, _) = open_versioned(dir.path(), b"format", b"1").unwrap();
        drop(db);
        let (db, meta) = open_versioned(dir.path(), b"format", b"1").unwrap();
        assert_eq!(meta.get(b"format").unwrap().unwrap().as_ref(), b"1");
        drop((db, meta));
        match open_versioned(dir.path(), b"format", b"2") {
            Err(OpenError::NewerFormat(f)) => assert_eq!(f, "1"),
            other => panic!("expected another format, got {other:?}"),
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
