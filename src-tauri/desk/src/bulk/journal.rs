//! Why: a bulk job must survive a crash or a kill without losing a row or removing a card
//! twice (design.md §4). Every row's state lives in its own sled database
//! `<data_dir>/jobs/<job id>.sled` (never the cache db), and the runner flushes it before a
//! removal is sent and when the row is final (the outcome itself is durable in the audit log
//! first; flushes are shared between workers, see [`crate::group_sync`]). Rows are keyed by their big-endian row number so
//! iteration is in file order and only one row at a time needs to be in memory.
//!
//! The journal holds customer numbers (the job cannot run without them) but never card
//! tokens: planned cards are kept by token fingerprint and resolved again from the live list.

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
    dedup: sled::Tree,
    /// Group commit: concurrent workers share one flush.
    sync: std::sync::Arc<crate::group_sync::GroupSync>,
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
            .open()
            .map_err(|e| journal_error("open", e))?;
        let rows = db.open_tree("rows").map_err(|e| journal_error("open", e))?;
        let dedup = db
            .open_tree("dedup")
            .map_err(|e| journal_error("open", e))?;
        Ok(Journal {
            db,
            rows,
            dedup,
            sync: std::sync::Arc::default(),
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
        Ok(())
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
        // the blocking pool cannot.
        let (db, sync) = (self.db.clone(), self.sync.clone());
        tokio::task::spawn_blocking(move || sync.sync_through(ticket, || db.flush().map(drop)))
            .await
            .map_err(|e| journal_error("flush", e))?
            .map_err(|e| journal_error("flush", e))?;
        Ok(())
    }

    /// Up to `limit` rows after `after` (all from the start when `None`), for readers that
    /// must not hold an iterator across an await.
    pub fn batch(&self, after: Option<u64>, limit: usize) -> Result<Vec<RowRecord>, DeskError> {
        let start = after.map_or(0, |a| a.saturating_add(1));
        let mut out = Vec::with_capacity(limit);
        for item in self.rows.range(start.to_be_bytes()..).take(limit) {
            let (_, v) = item.map_err(|e| journal_error("read", e))?;
            out.push(decode_row(&v)?);
        }
        Ok(out)
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

    /// The first row with this key, or records `row` as its first.
    pub fn first_with(&self, key: &[u8; 32], row: u64) -> Result<Option<u64>, DeskError> {
        let previous = self
            .dedup
            .compare_and_swap(key, None as Option<&[u8]>, Some(&row.to_be_bytes()[..]))
            .map_err(|e| journal_error("write", e))?;
        match previous {
            Ok(()) => Ok(None),
            Err(cas) => Ok(cas
                .current
                .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
                .map(u64::from_be_bytes)),
        }
    }

    /// Every row in file order, decoded one at a time.
    pub fn iter(&self) -> impl Iterator<Item = Result<RowRecord, DeskError>> + use<> {
        self.rows.iter().values().map(|v| {
            let bytes = v.map_err(|e| journal_error("read", e))?;
            decode_row(&bytes)
        })
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
