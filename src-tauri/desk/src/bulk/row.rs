//! Why: what a bulk job's rows are — their states, what the dry run made of them, the cards
//! they resolved to, the job's description — apart from how the journal stores them (sled,
//! the archive, flushes), which is tuned machinery that domain changes should not touch.

use serde::{Deserialize, Serialize};

use super::import::{RowInput, RowProblem};
use crate::audit::Reason;

/// Where a row has got to.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
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
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
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
    /// Every card the row resolved to is removed by an earlier row of the job (the same card,
    /// by token fingerprint): nothing is sent for this row.
    Covered,
}

impl PlanClass {
    pub const ALL: [PlanClass; 10] = [
        Self::Exact,
        Self::All,
        Self::None,
        Self::Ambiguous,
        Self::NoMatch,
        Self::NeedsErasure,
        Self::Invalid,
        Self::Duplicate,
        Self::ListFailed,
        Self::Covered,
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
            Self::Covered => "covered",
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
    /// The row as validated; on an invalid row (class `invalid`, final, never acted on) the
    /// values as read, to show and export (see [`super::import::Rejected`]).
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// The concurrency and rate ceiling of the job's last pass: a resume without options of
    /// its own keeps them.
    #[serde(default)]
    pub options: Option<super::RunOptions>,
    /// The request rate the job's pace settled on under the gateway's limit (requests a
    /// second): a resume starts there instead of at the ceiling.
    #[serde(default)]
    pub settled_rate: Option<f64>,
}
