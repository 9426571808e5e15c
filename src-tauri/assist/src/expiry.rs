//! Why: `expire` is documented as `MM.YYYY` but nothing guarantees the form (docs/assist-api.md
//! §12.8), and a support agent must still see what the gateway sent. [`Expiry`] keeps the raw
//! text and, when it can be read, the month and year.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// A calendar month, ordered by time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct YearMonth {
    pub year: u16,
    pub month: u8,
}

impl YearMonth {
    /// `None` unless `month` is 1–12.
    pub fn new(year: u16, month: u8) -> Option<Self> {
        (1..=12).contains(&month).then_some(Self { year, month })
    }

    /// The current month in UTC, from the system clock.
    pub fn current_utc() -> Self {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self::from_unix_days(secs / 86_400)
    }

    /// Civil month of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
    fn from_unix_days(days: u64) -> Self {
        let z = days + 719_468;
        let era = z / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + u64::from(month <= 2);
        Self {
            year: u16::try_from(year).unwrap_or(u16::MAX),
            month: u8::try_from(month).unwrap_or(12),
        }
    }
}

/// A card's expiry as sent (`raw`) and, when readable, as month and year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Expiry {
    pub raw: String,
    pub month: Option<u8>,
    pub year: Option<u16>,
}

impl Expiry {
    /// Reads `MM.YYYY` (documented) and, leniently, `M.YYYY`, `MM/YY`, `MM/YYYY`, `MM-YYYY`
    /// (docs/assist-api.md §12.8). Two-digit years are 20YY. Anything else keeps only `raw`.
    pub fn parse(raw: impl Into<String>) -> Self {
        let raw = raw.into();
        let parsed = read_month_year(raw.trim());
        Self {
            month: parsed.map(|m| m.month),
            year: parsed.map(|m| m.year),
            raw,
        }
    }

    /// The month and year, when both were readable.
    pub fn month_year(&self) -> Option<YearMonth> {
        YearMonth::new(self.year?, self.month?)
    }

    /// Whether the card expired before `today`'s month (a card is valid through the end of
    /// its expiry month). An unreadable expiry is not treated as expired: the gateway's
    /// `active` flag stays the authority.
    pub fn is_before(&self, today: YearMonth) -> bool {
        self.month_year().is_some_and(|e| e < today)
    }
}

fn read_month_year(text: &str) -> Option<YearMonth> {
    let (month, year) = text.split_once(['.', '/', '-'])?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(month) || !digits(year) || month.len() > 2 {
        return None;
    }
    let month: u8 = month.parse().ok()?;
    let year: u16 = match year.len() {
        2 => 2000 + year.parse::<u16>().ok()?,
        4 => year.parse().ok()?,
        _ => return None,
    };
    YearMonth::new(year, month)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn documented_and_lenient_forms() {
        for (raw, want) in [
            ("12.2025", Some((12, 2025))),
            ("1.2026", Some((1, 2026))),
            ("03/27", Some((3, 2027))),
            ("03/2027", Some((3, 2027))),
            ("7-2030", Some((7, 2030))),
            (" 12.2025 ", Some((12, 2025))),
        ] {
            let e = Expiry::parse(raw);
            assert_eq!(e.month.zip(e.year), want, "{raw}");
            assert_eq!(e.raw, raw);
        }
    }

    #[test]
    fn unreadable_keeps_raw() {
        for raw in [
            "",
            "13.2025",
            "0.2025",
            "12.25.1",
            "2025-12-01",
            "Dec 2025",
            "12.202",
            "123.2025",
        ] {
            let e = Expiry::parse(raw);
            assert_eq!(e.month_year(), None, "{raw}");
            assert_eq!(e.raw, raw);
            assert!(!e.is_before(YearMonth::new(2100, 1).unwrap()));
        }
    }

    #[test]
    fn expiry_is_inclusive_of_its_month() {
        let e = Expiry::parse("12.2025");
        assert!(!e.is_before(YearMonth::new(2025, 12).unwrap()));
        assert!(e.is_before(YearMonth::new(2026, 1).unwrap()));
        assert!(!e.is_before(YearMonth::new(2025, 1).unwrap()));
    }

    #[test]
    fn civil_months_from_days() {
        assert_eq!(
            YearMonth::from_unix_days(0),
            YearMonth::new(1970, 1).unwrap()
        );
        // 2024-02-29 is day 19782; 2025-12-31 is day 20453; 2026-01-01 is day 20454.
        assert_eq!(
            YearMonth::from_unix_days(19_782),
            YearMonth::new(2024, 2).unwrap()
        );
        assert_eq!(
            YearMonth::from_unix_days(20_453),
            YearMonth::new(2025, 12).unwrap()
        );
        assert_eq!(
            YearMonth::from_unix_days(20_454),
            YearMonth::new(2026, 1).unwrap()
        );
        assert!(YearMonth::current_utc().year >= 2025);
    }
}
