//! Why: the audit view and compliance exports need "what happened to this customer, by whom,
//! this week" without reading a raw file. Filters and newest-first paging over the log's
//! readable entries; times compare as text because every entry's time has the same fixed
//! width (`YYYY-MM-DDTHH:MM:SS.mmmZ`).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::entry::{AuditAction, AuditEntry, AuditOutcome, format_time};
use crate::{DeskError, ErrorCode};

/// Page size when none is asked for, and the largest allowed.
pub const DEFAULT_PAGE: u32 = 50;
pub const MAX_PAGE: u32 = 1000;

/// Which entries to show. Every filter is optional; all given ones must match.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct AuditQuery {
    /// From this time on (inclusive): RFC 3339, or a date `YYYY-MM-DD` (its start, UTC).
    pub from: Option<String>,
    /// Up to this time (inclusive): RFC 3339, or a date (through its end, UTC).
    pub to: Option<String>,
    pub profile_id: Option<String>,
    /// Part of the customer number, any case.
    pub customer: Option<String>,
    /// Part of the operator's OS user or display name, any case.
    pub operator: Option<String>,
    pub outcome: Option<AuditOutcome>,
    pub action: Option<AuditAction>,
    /// Entries to skip, newest first.
    pub offset: u32,
    /// Page size; 0 means [`DEFAULT_PAGE`], at most [`MAX_PAGE`].
    pub limit: u32,
}

/// One page of entries, newest first, and how many matched in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    pub total: u64,
    pub offset: u32,
    pub entries: Vec<AuditEntry>,
}

enum Edge {
    Start,
    End,
}

fn bound(field: &str, text: &str, edge: Edge) -> Result<String, DeskError> {
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(format_time(t));
    }
    let date_format = time::macros::format_description!("[year]-[month]-[day]");
    match time::Date::parse(text, &date_format) {
        Ok(d) => Ok(match edge {
            Edge::Start => format!("{d}T00:00:00.000Z"),
            Edge::End => format!("{d}T23:59:59.999Z"),
        }),
        Err(_) => Err(DeskError {
            code: ErrorCode::Validation,
            message: format!("{field}: must be an RFC 3339 time or a date YYYY-MM-DD"),
        }),
    }
}

fn contains_folded(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

impl AuditQuery {
    /// The matching entries of `all` (in log order), newest first, one page of them.
    pub fn page(&self, all: Vec<AuditEntry>) -> Result<AuditPage, DeskError> {
        let from = self
            .from
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| bound("from", s, Edge::Start))
            .transpose()?;
        let to = self
            .to
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| bound("to", s, Edge::End))
            .transpose()?;
        fn text(o: &Option<String>) -> Option<&str> {
            o.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        let (customer, operator, profile) = (
            text(&self.customer),
            text(&self.operator),
            text(&self.profile_id),
        );
        let matching: Vec<AuditEntry> = all
            .into_iter()
            .rev()
            .filter(|e| from.as_deref().is_none_or(|f| e.time.as_str() >= f))
            .filter(|e| to.as_deref().is_none_or(|t| e.time.as_str() <= t))
            .filter(|e| profile.is_none_or(|p| e.profile_id.as_deref() == Some(p)))
            .filter(|e| {
                customer
                    .is_none_or(|c| e.customer.as_deref().is_some_and(|x| contains_folded(x, c)))
            })
            .filter(|e| {
                operator.is_none_or(|o| {
                    contains_folded(&e.operator.os_user, o)
                        || contains_folded(&e.operator.display_name, o)
                })
            })
            .filter(|e| self.outcome.is_none_or(|o| e.outcome == Some(o)))
            .filter(|e| self.action.is_none_or(|a| e.action == a))
            .collect();
        let limit = match self.limit {
            0 => DEFAULT_PAGE,
            n => n.min(MAX_PAGE),
        } as usize;
        let total = matching.len() as u64;
        let entries = matching
            .into_iter()
            .skip(self.offset as usize)
            .take(limit)
            .collect();
        Ok(AuditPage {
            total,
            offset: self.offset,
            entries,
        })
    }
}
