//! Why: a bulk job must survive a crash or a kill without losing a row or removing a card
//! twice (design.md §4). Every row's state lives in its own sled database
//! `<data_dir>/jobs/<job id>.sled` (never the cache db), and the runner flushes it before a
//! removal is sent and when the row is final (the outcome itself is durable in the audit log
//! first; flushes are shared between workers, see [`crate::group_sync`]). Rows are keyed by their big-endian row number so
//! iteration is in file order and only one row at a time needs to be in memory.
//!
//! The journal holds customer numbers (the job cannot run without them) but never card
//! tokens: a row's token from the file is kept as a digest and planned cards by token
//! fingerprint, both matched again against the live list.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::audit::Reason;
use crate::{DeskError, ErrorCode};

use super::import::{RowInput, RowProblem};

/// Where a row has got to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RowState {
    Pending,
    Planned,
    InFlight,
    Done,
    Failed,
    Held,
    Skipped,
}

impl RowState {
    pub fn is_final(self) -> bool {
        matches!(self, Self::Done | Self::Failed | Self::Held | Self::Skipped)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Planned => "planned",
            Self::InFlight => "in_flight",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Held => "held",
            Self::Skipped => "skipped",
        }
    }
}

/// What the dry run found a row would do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum PlanClass {
    /// Exactly one card matches the row's token or last 4 (+ expiry).
    Exact,
    /// Every card of the customer (no card filter; the job is marked erasure).
    All,
    /// The customer has no saved cards: reported, not an error.
    None,
    /// Several cards match: held for a person.
    Ambiguous,
    /// The customer has cards but none matches the row's filter.
    NoMatch,
    /// No card filter and the job is not marked erasure: held for a person.
    NeedsErasure,
    /// The row broke an input rule.
    Invalid,
    /// The same request as an earlier row.
    Duplicate,
    /// The card list could not be read.
    ListFailed,
}

impl PlanClass {
    pub const ALL: [PlanClass; 9] = [
        Self::Exact,
        Self::All,
        Self::None,
        Self::Ambiguous,
        Self::NoMatch,
        Self::NeedsErasure,
        Self::Invalid,
        Self::Duplicate,
        Self::ListFailed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::All => "all",
            Self::None => "none",
            Self::Ambiguous => "ambiguous",
            Self::NoMatch => "no_match",
            Self::NeedsErasure => "needs_erasure",
            Self::Invalid => "invalid",
            Self::Duplicate => "duplicate",
            Self::ListFailed => "list_failed",
        }
    }
}

/// One card a row resolved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum CardState {
    Planned,
    /// Written (and flushed) before the removal is sent.
    InFlight,
    Done,
    Failed,
    /// Not listed any more when its turn came: nothing was sent.
    Skipped,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedCard {
    pub fingerprint: String,
    pub masked: String,
    pub brand: String,
    pub last4: String,
    pub state: CardState,
    /// An [`crate::audit::AuditOutcome`] name, or why nothing was sent.
    pub outcome: Option<String>,
    pub fault: Option<String>,
    pub time: Option<String>,
    pub audit_seq: Option<u64>,
}

/// One input row and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowRecord {
    pub row: u64,
    pub input: Option<RowInput>,
    pub problems: Vec<RowProblem>,
    pub state: RowState,
    pub class: Option<PlanClass>,
    pub cards: Vec<PlannedCard>,
    pub message: Option<String>,
    pub time: Option<String>,
}

impl RowRecord {
    /// A row as imported, before its input is read: nothing known yet.
    pub fn pending(row: u64) -> RowRecord {
        RowRecord {
            row,
            input: None,
            problems: Vec::new(),
            state: RowState::Pending,
            class: None,
            cards: Vec::new(),
            message: None,
            time: None,
        }
    }
}

/// The job as created: where to connect (no password) and the defaults for its rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobMeta {
    pub id: String,
    pub created: String,
    pub source: String,
    pub server: String,
    pub merchant_id: String,
    pub login: String,
    pub environment: Option<String>,
    pub erasure: bool,
    pub ticket: Option<String>,
    pub reason: Reason,
    pub note: Option<String>,
    pub rows: u64,
    /// Set once every row has been planned.
    pub planned: bool,
    /// The app profile the job was created for (`None` for a headless job).
    #[serde(default)]
    pub profile_id: Option<String>,
    /// Set when a run (not only a dry run) has started.
    #[serde(default)]
    pub ran: bool,
}

fn journal_error(what: &str, e: impl std::fmt::Display) -> DeskError {
    DeskError {
        code: ErrorCode::Internal,
        message: format!("bulk job journal: {what}: {e}"),
    }
}

/// `<data_dir>/jobs/<id>.sled`.
pub fn journal_path(data_dir: &Path, id: &str) -> PathBuf {
    data_dir.join("jobs").join(format!("{id}.sled"))
}

/// A job's sled database.
#[derive(Clone, Debug)]
pub struct Journal {
    db: sled::Db,
    rows: sled::Tree,
    /// Group commit: concurrent workers share one flush.
    sync: std::sync::Arc<crate::group_sync::GroupSync>,
    /// Writes since the epoch collector was last helped (see [`reclaim_replaced_nodes`]).
    writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

const META_KEY: &[u8] = b"meta";

impl Journal {
    pub fn open(path: &Path, create: bool) -> Result<Journal, DeskError> {
        if !create && !path.exists() {
            return Err(DeskError {
                code: ErrorCode::NotFound,
                message: format!("bulk job: no journal at {}", path.display()),
            });
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| journal_error("create dir", e))?;
        }
        let db = sled::Config::new()
            .path(path)
            .cache_capacity(1024 * 1024)
            // sled's log buffers are a segment each; at its default 512 KiB, above glibc's
            // mmap threshold, freed buffers stay in the allocator's arenas (−3.5 MiB at
            // 100,000 rows with 128 KiB, docs/benchmarks.md).
            .segment_size(128 * 1024)
            .open()
            .map_err(|e| journal_error("open", e))?;
        let rows = db.open_tree("rows").map_err(|e| journal_error("open", e))?;
        Ok(Journal {
            db,
            rows,
            sync: std::sync::Arc::new(crate::group_sync::GroupSync::new("journal-sync")),
            writes: std::sync::Arc::default(),
        })
    }

    pub fn meta(&self) -> Result<JobMeta, DeskError> {
        let bytes = self
            .db
            .get(META_KEY)
            .map_err(|e| journal_error("read", e))?
            .ok_or_else(|| journal_error("read", "the job has no description"))?;
        serde_json::from_slice(&bytes).map_err(|e| journal_error("decode", e))
    }

    pub fn put_meta(&self, meta: &JobMeta) -> Result<(), DeskError> {
        let bytes = serde_json::to_vec(meta).map_err(|e| journal_error("encode", e))?;
        self.db
            .insert(META_KEY, bytes)
            .map_err(|e| journal_error("write", e))?;
        Ok(())
    }

    pub fn put(&self, record: &RowRecord) -> Result<(), DeskError> {
        let bytes = encode_row(record)?;
        self.rows
            .insert(record.row.to_be_bytes(), bytes)
            .map_err(|e| journal_error("write", e))?;
        self.wrote();
        Ok(())
    }

    fn wrote(&self) {
        let n = self
            .writes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if n % RECLAIM_EVERY == RECLAIM_EVERY - 1 {
            reclaim_replaced_nodes();
        }
    }

    /// Writes the record and waits until it is on disk (sharing the flush with concurrent
    /// writers: see [`crate::group_sync`]).
    pub async fn put_flushed(&self, record: &RowRecord) -> Result<(), DeskError> {
        self.put(record)?;
        self.flush().await
    }

    /// Waits until every write made before the call is on disk.
    pub async fn flush(&self) -> Result<(), DeskError> {
        let ticket = self.sync.wrote();
        // `flush_async` can stall under concurrent callers in sled 0.34; a blocking flush on
        // the group's own thread cannot (one at a time: see `GroupSync::durable`).
        let db = self.db.clone();
        self.sync
            .durable(ticket, move || {
                db.flush().map(drop).map_err(std::io::Error::other)
            })
            .await
            .map_err(|e| journal_error("flush", e))
    }

    /// Up to `limit` rows after `after` (all from the start when `None`), for readers that
    /// must not hold an iterator across an await.
    pub fn batch(&self, after: Option<u64>, limit: usize) -> Result<Vec<RowRecord>, DeskError> {
        let mut out = Vec::with_capacity(limit);
        let mut at = after;
        while out.len() < limit {
            let Some(record) = self.next_after(at)? else {
                break;
            };
            at = Some(record.row);
            out.push(record);
        }
        Ok(out)
    }

    /// The first row after `after` (the first row when `None`). Readers go row by row through
    /// point lookups rather than a sled iterator: see [`Journal::iter`].
    fn next_after(&self, after: Option<u64>) -> Result<Option<RowRecord>, DeskError> {
        let found = match after {
            None => self.rows.first(),
            Some(row) => self.rows.get_gt(row.to_be_bytes()),
        }
        .map_err(|e| journal_error("read", e))?;
        found.map(|(_, v)| decode_row(&v)).transpose()
    }

    pub fn flush_blocking(&self) -> Result<(), DeskError> {
        self.db.flush().map_err(|e| journal_error("flush", e))?;
        Ok(())
    }

    pub fn get(&self, row: u64) -> Result<Option<RowRecord>, DeskError> {
        match self
            .rows
            .get(row.to_be_bytes())
            .map_err(|e| journal_error("read", e))?
        {
            Some(bytes) => decode_row(&bytes).map(Some),
            None => Ok(None),
        }
    }

    /// Every row in file order, decoded one at a time.
    ///
    /// Not a sled iterator: sled 0.34 tells its cache about a page only after 64 accesses
    /// to that page's cache shard (256 shards), and an iterator touches each leaf once, so a
    /// full scan left every page it read resident (+14 MiB for a 100,000-row job).
    /// A point lookup per row touches each leaf once per row, so the cache sees the scan and
    /// evicts as it goes (docs/benchmarks.md).
    pub fn iter(&self) -> impl Iterator<Item = Result<RowRecord, DeskError>> + use<> {
        let journal = self.clone();
        let mut at = None;
        let mut done = false;
        std::iter::from_fn(move || {
            if done {
                return None;
            }
            match journal.next_after(at) {
                Ok(Some(record)) => {
                    at = Some(record.row);
                    Some(Ok(record))
                }
                Ok(None) => {
                    done = true;
                    None
                }
                Err(e) => {
                    done = true;
                    Some(Err(e))
                }
            }
        })
    }
}

/// Journal writes between two calls of [`reclaim_replaced_nodes`].
const RECLAIM_EVERY: u64 = 64;

/// sled 0.34 replaces a tree node on every write and frees the old one through
/// crossbeam-epoch, whose global garbage queue is collected only 8 bags per 128 pins; under
/// a stream of writes the queue grows with the job (+10 MiB at 100,000 rows,
/// docs/benchmarks.md). Pinning and flushing a few times per [`RECLAIM_EVERY`] writes lets
/// the collector keep up. It frees only what no pinned thread can still see.
fn reclaim_replaced_nodes() {
    for _ in 0..8 {
        crossbeam_epoch::pin().flush();
    }
}

/// Rows are stored in postcard's compact binary form: sled keeps much of what it holds in
/// memory, so a row's size is what a job's memory grows by (the description stays JSON).
fn encode_row(record: &RowRecord) -> Result<Vec<u8>, DeskError> {
    postcard::to_stdvec(record).map_err(|e| journal_error("encode", e))
}

fn decode_row(bytes: &[u8]) -> Result<RowRecord, DeskError> {
    postcard::from_bytes(bytes).map_err(|e| journal_error("decode", e))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{Journal, RowRecord};

    #[test]
    fn rows_are_read_in_row_order_in_batches_and_whole() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("j.sled"), true).unwrap();
        // Written out of order, and over 256 (the big-endian keys keep row order).
        for row in (1..=300).rev() {
            journal.put(&RowRecord::pending(row)).unwrap();
        }
        let rows: Vec<u64> = journal.iter().map(|r| r.unwrap().row).collect();
        assert_eq!(rows, (1..=300).collect::<Vec<_>>());
        let first = journal.batch(None, 256).unwrap();
        assert_eq!((first[0].row, first.len()), (1, 256));
        let rest = journal.batch(Some(256), 256).unwrap();
        assert_eq!(
            rest.iter().map(|r| r.row).collect::<Vec<_>>(),
            (257..=300).collect::<Vec<_>>()
        );
        assert!(journal.batch(Some(300), 256).unwrap().is_empty());
        // A point read finds the same record.
        assert_eq!(journal.get(42).unwrap().map(|r| r.row), Some(42));
    }
}
