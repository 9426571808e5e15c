//! Why: the store reports what went wrong in words a person can act on, and says which kind
//! of failure it was, so the domain above can answer "not found", "open elsewhere" and "the
//! disk is full" differently without parsing messages.

use std::path::{Path, PathBuf};

/// What kind of failure a [`StoreError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreErrorKind {
    /// Nothing is stored at the path asked for.
    NotFound,
    /// Another process holds the database open.
    Busy,
    /// The device holding the data is full (or over its quota).
    DiskFull,
    /// Anything else: an I/O error, damaged or undecodable data.
    Failed,
}

/// A failure of the store, with its kind and the path it concerns.
#[derive(Clone, Debug)]
pub struct StoreError {
    pub kind: StoreErrorKind,
    /// What failed, for a person: "journal: write: …".
    pub message: String,
    pub path: Option<PathBuf>,
}

impl StoreError {
    pub(crate) fn new(kind: StoreErrorKind, message: String, path: Option<&Path>) -> StoreError {
        StoreError {
            kind,
            message,
            path: path.map(Path::to_path_buf),
        }
    }

    /// `what` failed with `e`, its kind read from `e` (a full disk is said in words).
    pub(crate) fn from_cause<E: std::fmt::Display + 'static>(
        subject: &str,
        what: &str,
        e: E,
    ) -> StoreError {
        if disk_is_full(&e) {
            return StoreError::new(
                StoreErrorKind::DiskFull,
                format!(
                    "{subject}: {what}: the disk is full (no space left on the device that \
                     holds Card Desk's data)"
                ),
                None,
            );
        }
        StoreError::new(
            StoreErrorKind::Failed,
            format!("{subject}: {what}: {e}"),
            None,
        )
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StoreError {}

/// Whether `e` (an I/O or sled error) says the disk is full (ENOSPC, or a quota).
pub fn disk_is_full<E: 'static>(e: &E) -> bool {
    let any: &dyn std::any::Any = e;
    let io = match any.downcast_ref::<sled::Error>() {
        Some(sled::Error::Io(io)) => Some(io),
        Some(_) => None,
        None => any.downcast_ref::<std::io::Error>(),
    };
    io.is_some_and(|io| {
        matches!(
            io.kind(),
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
        ) || io.raw_os_error() == Some(28)
    })
}

/// sled 0.34.7 reports a held lock as `Io(Other, "could not acquire lock on …: WouldBlock")`.
pub fn is_lock_error(io: &std::io::Error) -> bool {
    io.kind() == std::io::ErrorKind::WouldBlock || io.to_string().contains("could not acquire lock")
}
