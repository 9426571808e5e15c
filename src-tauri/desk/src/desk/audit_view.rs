//! Why: the audit view's commands in one file — verify the chain, the log's size (the view
//! reloads when it changes), one page of entries for a query, an export of the entries a
//! filter matches — so that `desk.rs` only opens the desk. The log itself (its format, chain,
//! index and export) is [`crate::audit`]; this file moves its blocking work off the async
//! runtime. Also where an export went: an audit or bulk export, or a request's documents,
//! remembers its file for "Open folder" (the window never names a path).

use std::path::PathBuf;

use crate::audit::{AuditPage, AuditQuery, ExportFormat, Verification};

use super::{Desk, blocking, lock};
use crate::error::DeskError;

/// An export written: how many entries or rows, and where (for the agent to read).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    pub count: u64,
    pub path: String,
}

impl Desk {
    /// Checks the audit log's chain and names the first broken entry.
    pub async fn audit_verify(&self) -> Result<Verification, DeskError> {
        let audit = self.audit_log()?;
        blocking(move || audit.verify().map_err(DeskError::from)).await
    }

    /// The audit log's length in bytes, its segments included: it grows with every entry,
    /// whoever appends it (the CLI, a bulk job), so the audit view asks for this cheaply and
    /// reloads when it changes (an archive run makes it shrink, which is a change too).
    pub async fn audit_size(&self) -> Result<u64, DeskError> {
        let audit = self.audit_log()?;
        blocking(move || audit.size().map_err(DeskError::from)).await
    }

    /// One page of audit entries, newest first.
    pub async fn audit_query(&self, query: AuditQuery) -> Result<AuditPage, DeskError> {
        let audit = self.audit_log()?;
        blocking(move || audit.query(&query)).await
    }

    /// Exports the audit log to a new file at `dest` — the entries `filters` match (its page
    /// is ignored), or every entry without it; says how many and where.
    pub async fn audit_export(
        &self,
        format: ExportFormat,
        filters: Option<AuditQuery>,
        dest: PathBuf,
    ) -> Result<Exported, DeskError> {
        let audit = self.audit_log()?;
        let path = dest.clone();
        let count = blocking(move || match filters {
            Some(query) => audit.export_matching_to_path(format, &query, &dest),
            None => audit.export_to_path(format, &dest).map_err(DeskError::from),
        })
        .await?;
        Ok(self.exported(count, path))
    }

    /// Remembers where an export went and says so.
    pub(super) fn exported(&self, count: u64, path: PathBuf) -> Exported {
        let shown = path.display().to_string();
        *lock(&self.last_export) = Some(path);
        Exported { count, path: shown }
    }

    /// Where this session's last export went, if any.
    pub fn last_export(&self) -> Option<PathBuf> {
        lock(&self.last_export).clone()
    }
}
