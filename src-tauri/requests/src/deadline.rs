//! Why: each kind of customer request runs on its own legal clock — working days on the
//! production calendar, calendar days moved off a holiday, months, or no term at all — and the
//! register must show the last day, say how sure it is, and say which calendar computed it
//! (docs/customer-requests.md §2–§5). The arithmetic lives here, pure and tested on real dates.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

use crate::calendar::{Calendar, YearStatus};
use crate::iso;

/// What the customer asks for; each kind has its own clock (docs/customer-requests.md §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// 376-FZ: stop using the card details given for recurring payments. No statutory term.
    CardRefusal,
    /// 152-FZ ст. 14: access to one's personal data. 10 working days, +5.
    Access152,
    /// 152-FZ ст. 21 ч. 5: consent withdrawn, stop and destroy. 30 days.
    Erasure152,
    /// GDPR Art. 15. One month, +2.
    AccessGdpr,
    /// GDPR Art. 17. One month, +2.
    ErasureGdpr,
}

impl RequestKind {
    pub const ALL: [RequestKind; 5] = [
        RequestKind::CardRefusal,
        RequestKind::Access152,
        RequestKind::Erasure152,
        RequestKind::AccessGdpr,
        RequestKind::ErasureGdpr,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CardRefusal => "card_refusal",
            Self::Access152 => "access152",
            Self::Erasure152 => "erasure152",
            Self::AccessGdpr => "access_gdpr",
            Self::ErasureGdpr => "erasure_gdpr",
        }
    }

    /// Whether the law allows a longer term after a reasoned notice (docs/customer-requests.md §4).
    pub fn can_extend(self) -> bool {
        matches!(self, Self::Access152 | Self::AccessGdpr | Self::ErasureGdpr)
    }

    /// For a kind without a statutory deadline, what to tell the agent instead of a date.
    pub fn no_deadline_note(self) -> Option<&'static str> {
        match self {
            Self::CardRefusal => Some(
                "376-FZ sets no deadline: the refusal binds on receipt; act before the next \
                 scheduled debit",
            ),
            _ => None,
        }
    }
}

/// The rule a deadline was computed by: a stable key the UI translates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
pub enum DeadlineBasis {
    /// 152-FZ ст. 14 ч. 3, ст. 20 ч. 1: 10 working days from the day after receipt.
    #[serde(rename = "fz152_access_10_working_days")]
    Fz152Access10WorkingDays,
    /// The same, extended by 5 working days after a reasoned notice.
    #[serde(rename = "fz152_access_15_working_days")]
    Fz152Access15WorkingDays,
    /// 152-FZ ст. 21 ч. 5: 30 calendar days from the day after receipt; a last day off work
    /// moves to the next working day (ГК РФ ст. 193).
    #[serde(rename = "fz152_erasure_30_days")]
    Fz152Erasure30Days,
    /// GDPR Art. 12(3): one month from receipt, to the same date (clamped to the month's end).
    #[serde(rename = "gdpr_one_month")]
    GdprOneMonth,
    /// The same, extended by two further months.
    #[serde(rename = "gdpr_three_months")]
    GdprThreeMonths,
}

/// A request's last day, and how far to trust it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Deadline {
    /// The last day on which the answer (or the action) is still in time.
    #[serde(with = "iso::date")]
    #[ts(type = "string")]
    pub due: Date,
    pub basis: DeadlineBasis,
    /// When ГК РФ ст. 193 moved the last day off a non-working day: the day it fell on.
    #[serde(with = "iso::option_date")]
    #[ts(type = "string | null")]
    pub rolled_from: Option<Date>,
    /// A calendar year used is provisional (or missing): the real last day may differ.
    pub provisional: bool,
    /// The count reached a year the calendar has no data for; those days were counted on
    /// Saturdays and Sundays alone, so `due` is an estimate (docs/customer-requests.md §5).
    pub beyond_calendar: bool,
    /// `Calendar::version` of the calendar consulted; `None` when the clock needs none (GDPR).
    pub calendar_version: Option<String>,
}

/// A date computation left the range of dates `time` can hold (years beyond ±9999).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the deadline is outside the range of dates")]
pub struct OutOfRange;

/// The deadline of a request of `kind` received on `received_on` (the agent's local date),
/// extended or not. `None` for a kind without a statutory deadline (see
/// [`RequestKind::no_deadline_note`]). Extending a kind that cannot be extended is ignored here;
/// the model refuses to record such an extension.
pub fn compute(
    kind: RequestKind,
    received_on: Date,
    extended: bool,
    calendar: &Calendar,
) -> Result<Option<Deadline>, OutOfRange> {
    let deadline = match kind {
        RequestKind::CardRefusal => return Ok(None),
        RequestKind::Access152 => {
            let (days, basis) = if extended {
                (15, DeadlineBasis::Fz152Access15WorkingDays)
            } else {
                (10, DeadlineBasis::Fz152Access10WorkingDays)
            };
            let mut flags = Flags::default();
            let due = add_working_days(received_on, days, calendar, &mut flags)?;
            flags.deadline(due, basis, None, calendar)
        }
        RequestKind::Erasure152 => {
            let mut flags = Flags::default();
            let last = received_on
                .checked_add(Duration::days(30))
                .ok_or(OutOfRange)?;
            let due = next_working_day_from(last, calendar, &mut flags)?;
            let rolled_from = (due != last).then_some(last);
            flags.deadline(
                due,
                DeadlineBasis::Fz152Erasure30Days,
                rolled_from,
                calendar,
            )
        }
        RequestKind::AccessGdpr | RequestKind::ErasureGdpr => {
            let one = add_months(received_on, 1).ok_or(OutOfRange)?;
            let (due, basis) = if extended {
                let three = add_months(one, 2).ok_or(OutOfRange)?;
                (three, DeadlineBasis::GdprThreeMonths)
            } else {
                (one, DeadlineBasis::GdprOneMonth)
            };
            Deadline {
                due,
                basis,
                rolled_from: None,
                provisional: false,
                beyond_calendar: false,
                calendar_version: None,
            }
        }
    };
    Ok(Some(deadline))
}

/// What the days consulted said about the calendar's certainty.
#[derive(Default)]
struct Flags {
    provisional: bool,
    beyond: bool,
}

impl Flags {
    fn working(&mut self, date: Date, calendar: &Calendar) -> bool {
        let day = calendar.day(date);
        match day.status {
            Some(YearStatus::Confirmed) => {}
            Some(YearStatus::Provisional) => self.provisional = true,
            None => {
                self.provisional = true;
                self.beyond = true;
            }
        }
        day.working
    }

    fn deadline(
        self,
        due: Date,
        basis: DeadlineBasis,
        rolled_from: Option<Date>,
        calendar: &Calendar,
    ) -> Deadline {
        Deadline {
            due,
            basis,
            rolled_from,
            provisional: self.provisional,
            beyond_calendar: self.beyond,
            calendar_version: Some(calendar.version().to_owned()),
        }
    }
}

/// The `n`th working day after `from` (ГК РФ ст. 191: the day of receipt is not counted).
fn add_working_days(
    from: Date,
    n: u32,
    calendar: &Calendar,
    flags: &mut Flags,
) -> Result<Date, OutOfRange> {
    let mut day = from;
    let mut counted = 0;
    while counted < n {
        day = day.next_day().ok_or(OutOfRange)?;
        if flags.working(day, calendar) {
            counted += 1;
        }
    }
    Ok(day)
}

/// `date` if it is a working day, else the next one (ГК РФ ст. 193).
fn next_working_day_from(
    date: Date,
    calendar: &Calendar,
    flags: &mut Flags,
) -> Result<Date, OutOfRange> {
    let mut day = date;
    while !flags.working(day, calendar) {
        day = day.next_day().ok_or(OutOfRange)?;
    }
    Ok(day)
}

/// The same day `months` later, or the last day of that month when it is shorter
/// (31 January + 1 month = 28 or 29 February).
pub fn add_months(date: Date, months: u32) -> Option<Date> {
    let index = i64::from(date.year()) * 12 + i64::from(u8::from(date.month()) - 1);
    let target = index.checked_add(i64::from(months))?;
    let year = i32::try_from(target.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(target.rem_euclid(12) + 1).ok()?).ok()?;
    let day = date.day().min(time::util::days_in_month(month, year));
    Date::from_calendar_date(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    fn due(kind: RequestKind, received: Date, extended: bool) -> Deadline {
        compute(kind, received, extended, Calendar::russia())
            .unwrap()
            .unwrap()
    }

    /// A confirmed, in-calendar deadline: not provisional, not beyond, calendar named.
    fn assert_sure(d: &Deadline) {
        assert!(!d.provisional, "{d:?}");
        assert!(!d.beyond_calendar, "{d:?}");
        assert_eq!(
            d.calendar_version.as_deref(),
            Some(Calendar::russia().version())
        );
    }

    #[test]
    fn card_refusal_has_no_deadline_but_a_note() {
        let d = compute(
            RequestKind::CardRefusal,
            date!(2026 - 03 - 02),
            false,
            Calendar::russia(),
        );
        assert_eq!(d, Ok(None));
        assert!(
            RequestKind::CardRefusal
                .no_deadline_note()
                .unwrap()
                .contains("before the next scheduled debit")
        );
        assert_eq!(RequestKind::Access152.no_deadline_note(), None);
    }

    #[test]
    fn access152_over_the_may_holidays() {
        // Received Thu 30 Apr 2026. Day 1 is 1 May (a holiday), then the weekend; working days:
        // 4–8 May (1–5), 11 May is off, 12–15 May (6–9), Mon 18 May (10).
        let d = due(RequestKind::Access152, date!(2026 - 04 - 30), false);
        assert_eq!(d.due, date!(2026 - 05 - 18));
        assert_eq!(d.basis, DeadlineBasis::Fz152Access10WorkingDays);
        assert_eq!(d.rolled_from, None);
        assert_sure(&d);
        // +5 working days: 19, 20, 21, 22, 25 May.
        let d = due(RequestKind::Access152, date!(2026 - 04 - 30), true);
        assert_eq!(d.due, date!(2026 - 05 - 25));
        assert_eq!(d.basis, DeadlineBasis::Fz152Access15WorkingDays);
    }

    #[test]
    fn access152_received_on_a_holiday_or_weekend_counts_from_the_next_working_day() {
        for received in [
            date!(2026 - 05 - 01),
            date!(2026 - 05 - 02),
            date!(2026 - 05 - 03),
        ] {
            assert_eq!(
                due(RequestKind::Access152, received, false).due,
                date!(2026 - 05 - 18),
                "{received}"
            );
        }
        // Fri 8 May is a shortened day, still working, but not counted (day of receipt):
        // 12–15 (1–4), 18–22 (5–9), 25 (10).
        assert_eq!(
            due(RequestKind::Access152, date!(2026 - 05 - 08), false).due,
            date!(2026 - 05 - 25)
        );
    }

    #[test]
    fn access152_over_4_november() {
        // Tue 3 Nov 2026: 4 Nov off; 5, 6 (1–2), 9–13 (3–7), 16, 17, 18 (8–10).
        let d = due(RequestKind::Access152, date!(2026 - 11 - 03), false);
        assert_eq!(d.due, date!(2026 - 11 - 18));
        assert_sure(&d);
    }

    #[test]
    fn access152_over_the_new_year_break_2025_2026() {
        // Wed 24 Dec 2025: 25, 26 (1–2), 29, 30 (3–4); 31 Dec and 1–9 Jan off;
        // 12–16 Jan (5–9), Mon 19 Jan (10). Both years confirmed.
        let d = due(RequestKind::Access152, date!(2025 - 12 - 24), false);
        assert_eq!(d.due, date!(2026 - 01 - 19));
        assert_sure(&d);
    }

    #[test]
    fn access152_into_2027_is_provisional() {
        // Mon 21 Dec 2026: 22–25 (1–4), 28–30 (5–7), 31 Dec off; 2027 (provisional): 1 and
        // 4–8 Jan off, 11, 12, 13 Jan (8–10).
        let d = due(RequestKind::Access152, date!(2026 - 12 - 21), false);
        assert_eq!(d.due, date!(2027 - 01 - 13));
        assert!(d.provisional);
        assert!(!d.beyond_calendar);
        // A count that stays in 2026 is not provisional: Tue 1 Dec → 15 Dec.
        let d = due(RequestKind::Access152, date!(2026 - 12 - 01), false);
        assert_eq!(d.due, date!(2026 - 12 - 15));
        assert_sure(&d);
    }

    #[test]
    fn access152_beyond_the_calendar_is_an_estimate_and_flagged() {
        // Mon 20 Dec 2027: 21–24, 27–31 (1–9), then 2028, which has no data: Mon 3 Jan counted
        // as a working day by the weekday alone (it will almost surely be a holiday).
        let d = due(RequestKind::Access152, date!(2027 - 12 - 20), false);
        assert_eq!(d.due, date!(2028 - 01 - 03));
        assert!(d.beyond_calendar);
        assert!(d.provisional);
    }

    #[test]
    fn erasure152_moves_a_weekend_last_day() {
        // 30 Apr 2026 + 30 days = Sat 30 May → Mon 1 Jun (ГК ст. 193).
        let d = due(RequestKind::Erasure152, date!(2026 - 04 - 30), false);
        assert_eq!(d.due, date!(2026 - 06 - 01));
        assert_eq!(d.rolled_from, Some(date!(2026 - 05 - 30)));
        assert_eq!(d.basis, DeadlineBasis::Fz152Erasure30Days);
        assert_sure(&d);
    }

    #[test]
    fn erasure152_moves_a_holiday_last_day() {
        // 11 Apr 2026 + 30 = Mon 11 May (off) → Tue 12 May.
        let d = due(RequestKind::Erasure152, date!(2026 - 04 - 11), false);
        assert_eq!(d.due, date!(2026 - 05 - 12));
        assert_eq!(d.rolled_from, Some(date!(2026 - 05 - 11)));
        // 12 Apr + 30 = Tue 12 May: a working day, not moved.
        let d = due(RequestKind::Erasure152, date!(2026 - 04 - 12), false);
        assert_eq!(d.due, date!(2026 - 05 - 12));
        assert_eq!(d.rolled_from, None);
        // 5 Oct + 30 = Wed 4 Nov (off) → Thu 5 Nov.
        let d = due(RequestKind::Erasure152, date!(2026 - 10 - 05), false);
        assert_eq!(d.due, date!(2026 - 11 - 05));
        assert_eq!(d.rolled_from, Some(date!(2026 - 11 - 04)));
    }

    #[test]
    fn erasure152_has_no_extension() {
        assert!(!RequestKind::Erasure152.can_extend());
        assert!(!RequestKind::CardRefusal.can_extend());
        assert_eq!(
            due(RequestKind::Erasure152, date!(2026 - 04 - 30), true).due,
            date!(2026 - 06 - 01)
        );
    }

    #[test]
    fn erasure152_in_december_2026_lands_in_provisional_2027() {
        // 1 Dec + 30 = Thu 31 Dec (off); 1 Jan off; weekend; 4–8 Jan off → Mon 11 Jan 2027.
        let d = due(RequestKind::Erasure152, date!(2026 - 12 - 01), false);
        assert_eq!(d.due, date!(2027 - 01 - 11));
        assert_eq!(d.rolled_from, Some(date!(2026 - 12 - 31)));
        assert!(d.provisional);
        assert!(!d.beyond_calendar);
        // 10 Dec + 30 = Sat 9 Jan 2027 → Mon 11 Jan 2027.
        let d = due(RequestKind::Erasure152, date!(2026 - 12 - 10), false);
        assert_eq!(d.due, date!(2027 - 01 - 11));
        assert!(d.provisional);
        // 15 Nov + 30 = Tue 15 Dec 2026: nothing provisional consulted.
        let d = due(RequestKind::Erasure152, date!(2026 - 11 - 15), false);
        assert_eq!(d.due, date!(2026 - 12 - 15));
        assert_sure(&d);
    }

    #[test]
    fn erasure152_beyond_the_calendar() {
        // 15 Dec 2027 + 30 = Fri 14 Jan 2028: no data for 2028.
        let d = due(RequestKind::Erasure152, date!(2027 - 12 - 15), false);
        assert_eq!(d.due, date!(2028 - 01 - 14));
        assert!(d.beyond_calendar && d.provisional);
    }

    #[test]
    fn gdpr_one_month_to_the_same_date_clamped() {
        let cases = [
            (
                date!(2026 - 03 - 15),
                date!(2026 - 04 - 15),
                date!(2026 - 06 - 15),
            ),
            // 28 Feb 2026 is a Saturday: GDPR last days are not moved.
            (
                date!(2026 - 01 - 31),
                date!(2026 - 02 - 28),
                date!(2026 - 04 - 28),
            ),
            (
                date!(2026 - 03 - 31),
                date!(2026 - 04 - 30),
                date!(2026 - 06 - 30),
            ),
            (
                date!(2028 - 01 - 31),
                date!(2028 - 02 - 29),
                date!(2028 - 04 - 29),
            ),
            (
                date!(2026 - 12 - 31),
                date!(2027 - 01 - 31),
                date!(2027 - 03 - 31),
            ),
            (
                date!(2027 - 12 - 31),
                date!(2028 - 01 - 31),
                date!(2028 - 03 - 31),
            ),
        ];
        for kind in [RequestKind::AccessGdpr, RequestKind::ErasureGdpr] {
            for (received, one, three) in cases {
                let d = due(kind, received, false);
                assert_eq!(d.due, one, "{kind:?} {received}");
                assert_eq!(d.basis, DeadlineBasis::GdprOneMonth);
                assert!(!d.provisional && !d.beyond_calendar);
                assert_eq!(d.calendar_version, None);
                let d = due(kind, received, true);
                assert_eq!(d.due, three, "{kind:?} {received} extended");
                assert_eq!(d.basis, DeadlineBasis::GdprThreeMonths);
            }
        }
    }

    #[test]
    fn a_calendar_without_2027_flags_the_december_request_as_beyond() {
        let cal = Calendar::from_json(
            br#"{"version":"only-2026","years":{"2026":{"status":"confirmed","source":"x",
            "nonWorkingWeekdays":["2026-12-31"],"workingWeekends":[]}}}"#,
        )
        .unwrap();
        let d = compute(RequestKind::Access152, date!(2026 - 12 - 21), false, &cal)
            .unwrap()
            .unwrap();
        // 22–25, 28–30 (1–7), 31 off, then 2027 by weekdays alone: 1, 4, 5 Jan (8–10).
        assert_eq!(d.due, date!(2027 - 01 - 05));
        assert!(d.beyond_calendar);
        assert_eq!(d.calendar_version.as_deref(), Some(cal.version()));
    }

    #[test]
    fn deadlines_serialize_for_the_ui() {
        let d = due(RequestKind::Erasure152, date!(2026 - 04 - 30), false);
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["due"], "2026-06-01");
        assert_eq!(json["rolledFrom"], "2026-05-30");
        assert_eq!(json["basis"], "fz152_erasure_30_days");
        assert_eq!(json["beyondCalendar"], false);
        let back: Deadline = serde_json::from_value(json).unwrap();
        assert_eq!(back, d);
    }
}
