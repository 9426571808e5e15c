//! Why: a bulk job must survive a crash or a kill without losing a row or removing a card
//! twice (docs/design.md §4). Its rows live in the store's crash-safe journal
//! ([`desk_store::journal`]: sled plus an archive of settled chunks), one per job at
//! `<data_dir>/jobs/<job id>.sled`, never in the cache db. The runner flushes it before a
//! removal is sent and when the row is final (the outcome itself is durable in the audit log
//! first).
//!
//! The journal holds customer numbers (the job cannot run without them) but never card
//! tokens: a row's token from the file is kept as a digest and planned cards by token
//! fingerprint, both matched again against the live list.

use std::path::{Path, PathBuf};

use desk_store::JournalRow;

use super::row::{RowRecord, RowState};

/// A bulk job's journal of rows; its description is a [`super::JobMeta`].
pub type Journal = desk_store::Journal<RowRecord>;

/// `<data_dir>/jobs/<id>.sled`.
pub fn journal_path(data_dir: &Path, id: &str) -> PathBuf {
    data_dir.join("jobs").join(format!("{id}.sled"))
}

impl JournalRow for RowRecord {
    fn number(&self) -> u64 {
        self.row
    }

    fn in_flight(&self) -> bool {
        self.state == RowState::InFlight
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::{Journal, RowRecord, RowState};
    use crate::{DeskError, ErrorCode};

    #[test]
    fn a_job_open_elsewhere_or_missing_is_named_in_the_desks_words() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.sled");
        let missing = DeskError::from(Journal::open(&path, false).unwrap_err());
        assert_eq!(missing.code, ErrorCode::NotFound);
        assert!(
            missing.message.starts_with("bulk job: no journal at "),
            "{}",
            missing.message
        );
        let held = Journal::open(&path, true).unwrap();
        let err = DeskError::from(Journal::open(&path, false).unwrap_err());
        assert!(
            err.message.contains("is open in another Card Desk"),
            "{}",
            err.message
        );
        drop(held);
    }

    #[test]
    fn a_row_in_flight_keeps_its_state_through_a_settle() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("j.sled"), true).unwrap();
        for row in 1..=300 {
            let mut record = RowRecord::pending(row);
            if row == 5 {
                record.state = RowState::InFlight;
            }
            journal.put(&record).unwrap();
        }
        journal.settle_all().unwrap();
        assert_eq!(journal.get(5).unwrap().unwrap().state, RowState::InFlight);
        assert_eq!(journal.iter().count(), 300);
    }
}
