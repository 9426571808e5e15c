//! Why: the register is kept by the embedded sled store today and by the team's PostgreSQL
//! next (docs/design.md §3). Both implement [`RequestStore`], whose contract includes the
//! optimistic version check — two agents editing one request must not silently overwrite each
//! other — and share the filter, the sort by deadline and the due counts defined here, so the
//! two cannot disagree about which requests are overdue.

mod sled_store;

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::RequestError;
use crate::deadline::RequestKind;
use crate::iso;
use crate::model::{Request, RequestId, StatusKind};

pub use sled_store::SledRequestStore;

/// Where requests are kept. Object-safe and synchronous, so the desk can hold a
/// `Box<dyn RequestStore>` of either kind and call it from a blocking task.
pub trait RequestStore: Send + Sync + std::fmt::Debug {
    /// Stores a new request (its version must be 0: never stored) and returns it at version 1.
    /// [`RequestError::Exists`] if its id is taken.
    fn create(&self, request: &Request) -> Result<Request, RequestError>;

    /// [`RequestError::NotFound`] if there is none.
    fn get(&self, id: &RequestId) -> Result<Request, RequestError>;

    /// The requests `filter` matches, in [`deadline_order`].
    fn list(&self, filter: &RequestFilter) -> Result<Vec<Request>, RequestError>;

    /// Writes `request` only if the stored one is still at `request.version()` (the version it
    /// was read at), and returns it at the next version. Otherwise nothing is written and the
    /// answer is [`RequestError::Stale`] with the version found: the caller reloads, applies its
    /// change again, and retries. Implementations must make the check and the write atomic.
    fn update(&self, request: &Request) -> Result<Request, RequestError>;

    /// How many open requests are due `today` or overdue, in the agent's `today`.
    fn counts(&self, today: Date) -> Result<DueCounts, RequestError> {
        let open = self.list(&RequestFilter {
            open_only: true,
            ..RequestFilter::default()
        })?;
        Ok(DueCounts::of(&open, today))
    }
}

/// Which requests to list. Empty fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct RequestFilter {
    /// Only these statuses (empty: all).
    pub statuses: Vec<StatusKind>,
    /// Only requests whose clock runs (new, in progress).
    pub open_only: bool,
    pub kind: Option<RequestKind>,
    pub assignee: Option<String>,
    /// Only requests naming this customer number (exactly).
    pub customer_number: Option<String>,
    /// Only requests due on or before this day (requests without a deadline are left out).
    #[serde(with = "iso::option_date")]
    #[ts(type = "string | null")]
    pub due_by: Option<Date>,
}

impl RequestFilter {
    pub fn matches(&self, r: &Request) -> bool {
        let status = r.status().kind();
        (self.statuses.is_empty() || self.statuses.contains(&status))
            && (!self.open_only || status.is_open())
            && self.kind.is_none_or(|k| k == r.kind())
            && self
                .assignee
                .as_deref()
                .is_none_or(|a| r.assignee() == Some(a))
            && self
                .customer_number
                .as_deref()
                .is_none_or(|c| r.subjects().iter().any(|s| s.customer_number.as_str() == c))
            && self
                .due_by
                .is_none_or(|by| r.deadline().is_some_and(|d| d.due <= by))
    }
}

/// The register's order: earliest deadline first; requests without a statutory deadline
/// (376-FZ refusals) after them, by receipt; ties by receipt, then id, so the order is stable.
pub fn deadline_order(a: &Request, b: &Request) -> Ordering {
    let due = |r: &Request| r.deadline().map(|d| d.due);
    let received = |r: &Request| r.received().local_date();
    match (due(a), due(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| received(a).cmp(&received(b)))
    .then_with(|| a.id().cmp(b.id()))
}

/// Where an open request stands against its deadline on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DueState {
    /// The clock has stopped (answered, closed, refused).
    Stopped,
    /// No statutory deadline (see `RequestKind::no_deadline_note`).
    NoDeadline,
    Upcoming,
    DueToday,
    Overdue,
}

/// Where `request` stands on `today` (the agent's date).
pub fn due_state(request: &Request, today: Date) -> DueState {
    if !request.status().kind().is_open() {
        return DueState::Stopped;
    }
    match request.deadline() {
        None => DueState::NoDeadline,
        Some(d) if d.due < today => DueState::Overdue,
        Some(d) if d.due == today => DueState::DueToday,
        Some(_) => DueState::Upcoming,
    }
}

/// The register's header: open requests and how many need attention today.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DueCounts {
    /// Requests whose clock runs.
    pub open: u32,
    pub due_today: u32,
    pub overdue: u32,
    /// Open requests without a statutory deadline (376-FZ refusals: act before the next debit).
    pub no_deadline: u32,
    /// Open requests whose deadline is provisional or beyond the calendar.
    pub provisional: u32,
}

impl DueCounts {
    /// Counts over `requests` (closed ones are skipped) on `today`.
    pub fn of(requests: &[Request], today: Date) -> DueCounts {
        let mut c = DueCounts::default();
        for r in requests {
            match due_state(r, today) {
                DueState::Stopped => continue,
                DueState::NoDeadline => c.no_deadline += 1,
                DueState::DueToday => c.due_today += 1,
                DueState::Overdue => c.overdue += 1,
                DueState::Upcoming => {}
            }
            c.open += 1;
            if r.deadline().is_some_and(|d| d.provisional) {
                c.provisional += 1;
            }
        }
        c
    }
}
