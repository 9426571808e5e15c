//! Why: compliance needs proof of what was removed, by whom, when and why (design.md §1, §4):
//! an append-only, hash-chained JSON Lines file, flushed to disk before an action is reported
//! done, kept in its own directory `<data_dir>/audit/` apart from the cache (clearing the cache
//! or forgetting a customer never touches it), readable only by its owner (0700/0600 on unix).
//!
//! * [`entry`]: the entry's fields, its canonical line and hash, the token fingerprint;
//! * [`AuditLog`]: the single writer (a mutex in-process, the file's OS lock across
//!   processes), crash repair at open;
//! * [`verify_bytes`]: names the first broken link; [`AuditQuery`]: filters and pages;
//!   [`export`]: CSV and JSON.
//!
//! The read-only functions here ([`verify_file`], [`read_entries`], [`export_file`]) never
//! create, lock for writing or repair anything: `carddesk audit verify` must report a cut-short
//! line, not fix it.

mod entry;
mod export;
mod log;
mod query;
mod verify;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use entry::{
    AuditAction, AuditEntry, AuditOutcome, CardSummary, EntryDraft, GENESIS, Operator, ProfileRef,
    ReadBack, Reason, Repair, now_rfc3339_ms, scrub_tokens, token_fingerprint,
};
pub use export::{CSV_COLUMNS, ExportFormat, csv_row, write_csv, write_json};
pub use log::{AUDIT_DIR_NAME, AUDIT_FILE_NAME, AuditLog, audit_path};
pub use query::{AuditPage, AuditQuery, DEFAULT_PAGE, MAX_PAGE};
pub use verify::{BreakKind, BrokenLink, RepairedLine, Verification, verify_bytes};

use crate::{DeskError, ErrorCode};

/// Why the audit log could not be used. Messages name the file and never hold a secret
/// (entries hold none).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    #[error("the audit log {} cannot be used: {detail}", path.display())]
    Io { path: PathBuf, detail: String },
    #[error("the audit log {} is not intact: {detail}", path.display())]
    Broken { path: PathBuf, detail: String },
    #[error("the audit log {} could not be written: {detail}", path.display())]
    Unwritable { path: PathBuf, detail: String },
}

impl AuditError {
    pub(crate) fn io(path: &Path, e: &std::io::Error) -> AuditError {
        AuditError::Io {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }
    }
}

impl From<AuditError> for DeskError {
    fn from(e: AuditError) -> Self {
        DeskError {
            code: ErrorCode::AuditLog,
            message: e.to_string(),
        }
    }
}

/// Every readable entry of `bytes` in log order; edited entries included (they are what the
/// file says), lines that are not entries left out. [`verify_bytes`] tells them apart.
pub fn parse_entries(bytes: &[u8]) -> Vec<AuditEntry> {
    bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .filter_map(|l| serde_json::from_slice::<AuditEntry>(l).ok())
        .collect()
}

/// Reads the log at `path` (a missing file is empty) without changing it.
pub fn read_entries(path: &Path) -> Result<Vec<AuditEntry>, AuditError> {
    Ok(parse_entries(&log::read_file(path)?))
}

/// Verifies the log at `path` without changing it.
pub fn verify_file(path: &Path) -> Result<Verification, AuditError> {
    Ok(verify_bytes(&log::read_file(path)?))
}

/// Writes every readable entry of the log at `path` to `out`; returns the count.
pub fn export_file(path: &Path, format: ExportFormat, out: impl Write) -> Result<u64, AuditError> {
    let entries = read_entries(path)?;
    let written = match format {
        ExportFormat::Csv => write_csv(&entries, out),
        ExportFormat::Json => write_json(&entries, out),
    };
    written.map_err(|e| AuditError::Io {
        path: path.to_path_buf(),
        detail: format!("export failed: {e}"),
    })
}

impl AuditLog {
    /// Every readable entry, in log order.
    pub fn entries(&self) -> Result<Vec<AuditEntry>, AuditError> {
        Ok(parse_entries(&self.read_bytes()?))
    }

    pub fn verify(&self) -> Result<Verification, AuditError> {
        Ok(verify_bytes(&self.read_bytes()?))
    }

    /// One page of entries matching `query`, newest first.
    pub fn query(&self, query: &AuditQuery) -> Result<AuditPage, DeskError> {
        query.page(self.entries()?)
    }

    /// Intents without an outcome entry, oldest first.
    pub fn open_intents(&self) -> Result<Vec<AuditEntry>, AuditError> {
        let entries = self.entries()?;
        let settled: std::collections::HashSet<u64> = entries
            .iter()
            .filter(|e| {
                matches!(
                    e.action,
                    AuditAction::RevokeOutcome | AuditAction::RecoveredOutcome
                )
            })
            .filter_map(|e| e.intent_seq)
            .collect();
        Ok(entries
            .into_iter()
            .filter(|e| e.action == AuditAction::RevokeIntent && !settled.contains(&e.seq))
            .collect())
    }

    /// Exports every readable entry to `out`.
    pub fn export(&self, format: ExportFormat, out: impl Write) -> Result<u64, AuditError> {
        let entries = self.entries()?;
        let written = match format {
            ExportFormat::Csv => write_csv(&entries, out),
            ExportFormat::Json => write_json(&entries, out),
        };
        written.map_err(|e| AuditError::Io {
            path: self.path().to_path_buf(),
            detail: format!("export failed: {e}"),
        })
    }

    /// Exports to a new file at `dest` (mode 0600 on unix: the export holds what the log does).
    pub fn export_to_path(&self, format: ExportFormat, dest: &Path) -> Result<u64, AuditError> {
        let file = create_export(dest)?;
        let mut out = std::io::BufWriter::new(file);
        let n = self.export(format, &mut out)?;
        finish_export(dest, out)?;
        Ok(n)
    }
}

/// Creates an export file (0600 on unix), replacing an older one.
pub fn create_export(dest: &Path) -> Result<std::fs::File, AuditError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(dest).map_err(|e| AuditError::io(dest, &e))
}

/// Flushes and syncs an export file.
pub fn finish_export(
    dest: &Path,
    out: std::io::BufWriter<std::fs::File>,
) -> Result<(), AuditError> {
    let file = out
        .into_inner()
        .map_err(|e| AuditError::io(dest, e.error()))?;
    file.sync_all().map_err(|e| AuditError::io(dest, &e))
}
