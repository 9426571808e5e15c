//! Why: the audit view and compliance exports need "what happened to this customer, by whom,
//! this week" without reading a raw file. Filters and newest-first paging over the log's
//! readable entries; times compare as text because every entry's time has the same fixed
//! width (`YYYY-MM-DDTHH:MM:SS.mmmZ`).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use std::path::Path;

use super::AuditError;
use super::entry::{AuditAction, AuditEntry, AuditOutcome, format_time};
use super::lines::Lines;
use crate::{DeskError, Words};

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
    /// The customer number, any case (the whole number: the index keeps keyed hashes of
    /// customer numbers, never the numbers, so it finds a whole one).
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

fn bound(label: Words<'_>, text: &str, edge: Edge) -> Result<String, DeskError> {
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
        Err(_) => Err(DeskError::invalid(
            label.en,
            label,
            Words::new(
                "must be an RFC 3339 time or a date YYYY-MM-DD",
                "время в формате RFC 3339 или дата ГГГГ-ММ-ДД",
            ),
        )),
    }
}

/// A customer number as the filter compares it (and the index hashes it): trimmed, any case.
pub(crate) fn fold_customer(customer: &str) -> String {
    customer.trim().to_lowercase()
}

/// A query's filters, checked and normalised once.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    pub from: Option<String>,
    pub to: Option<String>,
    pub profile: Option<String>,
    /// Folded by [`fold_customer`].
    pub customer: Option<String>,
    /// Lower case.
    pub operator: Option<String>,
    pub outcome: Option<AuditOutcome>,
    pub action: Option<AuditAction>,
}

impl Filter {
    /// No filter is set: every entry matches.
    pub(crate) fn is_empty(&self) -> bool {
        self.from.is_none()
            && self.to.is_none()
            && self.profile.is_none()
            && self.customer.is_none()
            && self.operator.is_none()
            && self.outcome.is_none()
            && self.action.is_none()
    }

    pub(crate) fn time_matches(&self, time: &str) -> bool {
        self.from.as_deref().is_none_or(|f| time >= f)
            && self.to.as_deref().is_none_or(|t| time <= t)
    }

    pub(crate) fn operator_matches(&self, os_user: &str, display_name: &str) -> bool {
        self.operator.as_deref().is_none_or(|o| {
            os_user.to_lowercase().contains(o) || display_name.to_lowercase().contains(o)
        })
    }

    pub(crate) fn matches(&self, e: &AuditEntry) -> bool {
        self.time_matches(&e.time)
            && self
                .profile
                .as_deref()
                .is_none_or(|p| e.profile_id.as_deref() == Some(p))
            && self
                .customer
                .as_deref()
                .is_none_or(|c| e.customer.as_deref().is_some_and(|x| fold_customer(x) == c))
            && self.operator_matches(&e.operator.os_user, &e.operator.display_name)
            && self.outcome.is_none_or(|o| e.outcome == Some(o))
            && self.action.is_none_or(|a| e.action == a)
    }
}

impl AuditQuery {
    /// The query's filters, checked: a time that is not RFC 3339 or a date is refused.
    pub(crate) fn filter(&self) -> Result<Filter, DeskError> {
        let from = self
            .from
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| bound(Words::new("from", "начало периода"), s, Edge::Start))
            .transpose()?;
        let to = self
            .to
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| bound(Words::new("to", "конец периода"), s, Edge::End))
            .transpose()?;
        fn text(o: &Option<String>) -> Option<&str> {
            o.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        Ok(Filter {
            from,
            to,
            profile: text(&self.profile_id).map(str::to_owned),
            customer: text(&self.customer).map(fold_customer),
            operator: text(&self.operator).map(str::to_lowercase),
            outcome: self.outcome,
            action: self.action,
        })
    }

    /// The same filters for the whole team's trail (team mode, `desk_team::Team::trail_page`):
    /// all but the profile, which the trail does not index (refused by name).
    pub fn trail_filter(&self) -> Result<desk_team::TrailFilter, DeskError> {
        let f = self.filter()?;
        if f.profile.is_some() {
            return Err(DeskError::invalid(
                "profileId",
                Words::new("profile", "профиль"),
                Words::new(
                    "cannot filter the whole team's trail: filter by customer, operator, action, outcome or time",
                    "не фильтрует общий журнал команды: фильтруйте по клиенту, сотруднику, действию, итогу или времени",
                ),
            ));
        }
        let time = |t: Option<String>| {
            t.and_then(|t| {
                time::OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339).ok()
            })
        };
        Ok(desk_team::TrailFilter {
            customer: self
                .customer
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned),
            operator: f.operator,
            action: f.action.map(|a| a.as_str().to_owned()),
            outcome: f.outcome.map(|o| o.as_str().to_owned()),
            request: None,
            from: time(f.from),
            to: time(f.to),
        })
    }

    /// The page size asked for, within bounds.
    pub(crate) fn page_size(&self) -> usize {
        let size = match self.limit {
            0 => DEFAULT_PAGE,
            n => n.min(MAX_PAGE),
        };
        size as usize
    }

    /// The matching entries of `all` (in log order), newest first, one page of them.
    pub fn page(&self, all: Vec<AuditEntry>) -> Result<AuditPage, DeskError> {
        let filter = self.filter()?;
        let matching: Vec<AuditEntry> = all
            .into_iter()
            .rev()
            .filter(|e| filter.matches(e))
            .collect();
        let total = matching.len() as u64;
        let entries = matching
            .into_iter()
            .skip(self.offset as usize)
            .take(self.page_size())
            .collect();
        Ok(AuditPage {
            total,
            offset: self.offset,
            entries,
        })
    }

    /// One page read from the log itself, without an index: two streaming passes (count the
    /// matches, then keep the page's), so memory is one page however long the log.
    pub(crate) fn scan<R: std::io::Read>(
        &self,
        path: &Path,
        mut lines: impl FnMut() -> Result<Lines<R>, AuditError>,
    ) -> Result<AuditPage, DeskError> {
        let filter = self.filter()?;
        let mut total = 0u64;
        walk_entries(path, lines()?, |e| {
            if filter.matches(&e) {
                total += 1;
            }
            true
        })?;
        // Newest first: the page is matches [total - offset - size, total - offset) in log order.
        let end = total.saturating_sub(u64::from(self.offset));
        let start = end.saturating_sub(self.page_size() as u64);
        let mut entries = Vec::new();
        let mut at = 0u64;
        if end > 0 {
            walk_entries(path, lines()?, |e| {
                if filter.matches(&e) {
                    if at >= start {
                        entries.push(e);
                    }
                    at += 1;
                }
                at < end
            })?;
        }
        entries.reverse();
        Ok(AuditPage {
            total,
            offset: self.offset,
            entries,
        })
    }
}

/// Every readable entry of `lines`, in log order, until `f` says stop.
fn walk_entries<R: std::io::Read>(
    path: &Path,
    mut lines: Lines<R>,
    mut f: impl FnMut(AuditEntry) -> bool,
) -> Result<(), AuditError> {
    while let Some(line) = lines.next_line().map_err(|e| AuditError::io(path, &e))? {
        if let Ok(e) = serde_json::from_slice::<AuditEntry>(line.bytes)
            && !f(e)
        {
            break;
        }
    }
    Ok(())
}
