//! Why: 152-FZ clocks count working days, and which days are working is decided each year by a
//! government decree, not by a rule code could compute (docs/customer-requests.md §5). So the
//! Russian production calendar is data in the repository (`data/ru-production-calendar.json`),
//! each year marked `confirmed` (a decree) or `provisional` (the default rule only), and a day
//! in a year without data is an error ([`BeyondCalendar`]), never silently an ordinary weekday.
//! The data's version and digest ([`Calendar::version`]) go into every deadline computed with it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::{Date, Weekday};

/// The calendar shipped with the app.
const RU_PRODUCTION_CALENDAR: &str = include_str!("../data/ru-production-calendar.json");

/// How far a year's data can be trusted (docs/customer-requests.md §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum YearStatus {
    /// The year's decree was published and the data follows it.
    Confirmed,
    /// No decree yet: only the holidays of ТК РФ ст. 112 and its default weekend rule. The
    /// decree may add days off, so real deadlines may end up later.
    Provisional,
}

/// A date in a year the calendar has no data for: whether it is a working day is unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the production calendar has no data for {year}: its working days are unknown (docs/customer-requests.md §5)"
)]
pub struct BeyondCalendar {
    pub year: i32,
}

/// The calendar data could not be read or breaks a rule (a listed day on the wrong weekday,
/// a published total that does not match the days).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("production calendar: {0}")]
pub struct CalendarError(String);

/// One year of the calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearInfo {
    pub year: i32,
    pub status: YearStatus,
    /// The decree, or why there is none.
    pub source: String,
    /// Source ids of docs/customer-requests.md §8.
    pub refs: Vec<String>,
    /// The published number of working days, when known (checked against the days).
    pub working_days: Option<u16>,
    non_working_weekdays: BTreeSet<Date>,
    working_weekends: BTreeSet<Date>,
}

impl YearInfo {
    fn is_working(&self, date: Date) -> bool {
        if is_weekend(date) {
            self.working_weekends.contains(&date)
        } else {
            !self.non_working_weekdays.contains(&date)
        }
    }

    /// Working days in the year by these data.
    pub fn count_working_days(&self) -> u16 {
        let mut n = 0;
        let mut day = Date::from_ordinal_date(self.year, 1).ok();
        while let Some(d) = day.filter(|d| d.year() == self.year) {
            n += u16::from(self.is_working(d));
            day = d.next_day();
        }
        n
    }
}

/// What the calendar says of one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayInfo {
    pub working: bool,
    /// `None`: the year has no data and `working` is a guess from the weekday alone.
    pub status: Option<YearStatus>,
}

/// A production calendar: days off and working weekends per year, with a version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    version: String,
    years: BTreeMap<i32, YearInfo>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FileYear {
    status: YearStatus,
    source: String,
    #[serde(default)]
    refs: Vec<String>,
    #[serde(default)]
    working_days: Option<u16>,
    non_working_weekdays: Vec<String>,
    working_weekends: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default, rename = "about")]
    _about: String,
    version: String,
    years: BTreeMap<i32, FileYear>,
}

impl Calendar {
    /// The Russian production calendar shipped in the repository.
    pub fn russia() -> &'static Calendar {
        static CALENDAR: OnceLock<Calendar> = OnceLock::new();
        CALENDAR.get_or_init(|| {
            // The file is part of the build and `tests::shipped_calendar_is_valid` reads it, so
            // a broken file fails the tests long before it could fail here.
            Calendar::from_json(RU_PRODUCTION_CALENDAR.as_bytes())
                .expect("the embedded production calendar is valid (checked by the tests)")
        })
    }

    /// Reads and checks calendar data in the shipped file's format.
    pub fn from_json(bytes: &[u8]) -> Result<Calendar, CalendarError> {
        let file: File =
            serde_json::from_slice(bytes).map_err(|e| CalendarError(format!("unreadable: {e}")))?;
        if file.version.trim().is_empty() {
            return Err(CalendarError("version is missing".into()));
        }
        let mut years = BTreeMap::new();
        for (year, y) in file.years {
            let non_working_weekdays = dates_of(year, &y.non_working_weekdays, false)?;
            let working_weekends = dates_of(year, &y.working_weekends, true)?;
            let info = YearInfo {
                year,
                status: y.status,
                source: y.source,
                refs: y.refs,
                working_days: y.working_days,
                non_working_weekdays,
                working_weekends,
            };
            if let Some(published) = info.working_days {
                let counted = info.count_working_days();
                if counted != published {
                    return Err(CalendarError(format!(
                        "{year}: the days give {counted} working days, the decree {published}"
                    )));
                }
            }
            years.insert(year, info);
        }
        let digest = Sha256::digest(bytes);
        let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        Ok(Calendar {
            version: format!("ru-pc-{}+sha256:{hex}", file.version.trim()),
            years,
        })
    }

    /// `ru-pc-<data version>+sha256:<16 hex of the file>`: stored with each deadline, so one
    /// computed before a calendar update can be found (docs/customer-requests.md §5).
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn year(&self, year: i32) -> Option<&YearInfo> {
        self.years.get(&year)
    }

    pub fn years(&self) -> impl Iterator<Item = &YearInfo> {
        self.years.values()
    }

    /// Whether `date` is a working day; an error for a year without data.
    pub fn is_working_day(&self, date: Date) -> Result<bool, BeyondCalendar> {
        match self.years.get(&date.year()) {
            Some(y) => Ok(y.is_working(date)),
            None => Err(BeyondCalendar { year: date.year() }),
        }
    }

    /// The day as the calendar knows it; for a year without data, Saturday and Sunday off and
    /// `status: None`, so a caller that goes on anyway has to carry the flag.
    pub fn day(&self, date: Date) -> DayInfo {
        match self.years.get(&date.year()) {
            Some(y) => DayInfo {
                working: y.is_working(date),
                status: Some(y.status),
            },
            None => DayInfo {
                working: !is_weekend(date),
                status: None,
            },
        }
    }
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn dates_of(year: i32, texts: &[String], weekend: bool) -> Result<BTreeSet<Date>, CalendarError> {
    let mut out = BTreeSet::new();
    for text in texts {
        let date = crate::iso::parse_date(text)
            .ok_or_else(|| CalendarError(format!("{year}: {text:?} is not a date YYYY-MM-DD")))?;
        if date.year() != year {
            return Err(CalendarError(format!("{year}: {text} is in another year")));
        }
        if is_weekend(date) != weekend {
            let rule = if weekend {
                "a working weekend must be a Saturday or Sunday"
            } else {
                "a non-working weekday must be a Monday to Friday"
            };
            return Err(CalendarError(format!(
                "{year}: {text} is a {}; {rule}",
                date.weekday()
            )));
        }
        if !out.insert(date) {
            return Err(CalendarError(format!("{year}: {text} is listed twice")));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    fn ru() -> &'static Calendar {
        Calendar::russia()
    }

    #[test]
    fn shipped_calendar_is_valid() {
        let cal = Calendar::from_json(RU_PRODUCTION_CALENDAR.as_bytes()).unwrap();
        assert!(cal.version().starts_with("ru-pc-2026-12-01+sha256:"));
        assert_eq!(cal.version().len(), "ru-pc-2026-12-01+sha256:".len() + 16);
    }

    #[test]
    fn confirmed_years_match_the_published_totals() {
        // 247 and 247 (docs/customer-requests.md §5); from_json refuses a mismatch, this pins it.
        assert_eq!(ru().year(2025).unwrap().count_working_days(), 247);
        assert_eq!(ru().year(2026).unwrap().count_working_days(), 247);
        assert_eq!(ru().year(2025).unwrap().status, YearStatus::Confirmed);
        assert_eq!(ru().year(2026).unwrap().status, YearStatus::Confirmed);
        assert!(ru().year(2026).unwrap().source.contains("№ 1466"));
    }

    #[test]
    fn year_2027_is_provisional_and_2028_absent() {
        let y = ru().year(2027).unwrap();
        assert_eq!(y.status, YearStatus::Provisional);
        assert_eq!(y.working_days, None);
        assert_eq!(
            ru().is_working_day(date!(2028 - 01 - 10)),
            Err(BeyondCalendar { year: 2028 })
        );
        assert_eq!(
            ru().day(date!(2028 - 01 - 10)),
            DayInfo {
                working: true,
                status: None
            }
        );
    }

    #[test]
    fn holidays_of_2026() {
        let off = [
            date!(2026 - 01 - 01),
            date!(2026 - 01 - 02),
            date!(2026 - 01 - 09),
            date!(2026 - 02 - 23),
            date!(2026 - 03 - 09),
            date!(2026 - 05 - 01),
            date!(2026 - 05 - 11),
            date!(2026 - 06 - 12),
            date!(2026 - 11 - 04),
            date!(2026 - 12 - 31),
            date!(2026 - 05 - 09), // Saturday
        ];
        for d in off {
            assert_eq!(ru().is_working_day(d), Ok(false), "{d}");
        }
        // Shortened pre-holiday days are working days; 12 Jan is the first after the break.
        for d in [
            date!(2026 - 04 - 30),
            date!(2026 - 05 - 08),
            date!(2026 - 11 - 03),
            date!(2026 - 01 - 12),
        ] {
            assert_eq!(ru().is_working_day(d), Ok(true), "{d}");
        }
    }

    #[test]
    fn working_saturday_of_2025() {
        assert_eq!(ru().is_working_day(date!(2025 - 11 - 01)), Ok(true));
        assert_eq!(ru().is_working_day(date!(2025 - 11 - 03)), Ok(false));
    }

    #[test]
    fn misplaced_days_are_refused() {
        let saturday_as_weekday = br#"{"version":"t","years":{"2026":{"status":"confirmed",
            "source":"x","nonWorkingWeekdays":["2026-05-09"],"workingWeekends":[]}}}"#;
        let e = Calendar::from_json(saturday_as_weekday).unwrap_err();
        assert!(e.to_string().contains("must be a Monday to Friday"), "{e}");

        let wrong_total = br#"{"version":"t","years":{"2026":{"status":"confirmed",
            "source":"x","workingDays":247,"nonWorkingWeekdays":[],"workingWeekends":[]}}}"#;
        let e = Calendar::from_json(wrong_total).unwrap_err();
        assert!(e.to_string().contains("the days give 261"), "{e}");

        let other_year = br#"{"version":"t","years":{"2026":{"status":"confirmed",
            "source":"x","nonWorkingWeekdays":["2027-01-04"],"workingWeekends":[]}}}"#;
        assert!(Calendar::from_json(other_year).is_err());
    }

    #[test]
    fn the_version_changes_with_any_byte_of_the_data() {
        let a = br#"{"version":"v","years":{}}"#;
        let b = br#"{"version":"v", "years":{}}"#;
        let (a, b) = (
            Calendar::from_json(a).unwrap(),
            Calendar::from_json(b).unwrap(),
        );
        assert_ne!(a.version(), b.version());
    }
}
