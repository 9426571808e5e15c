//! Why: dates cross IPC, sit in sled and will sit in PostgreSQL; one spelling everywhere keeps
//! them comparable by eye and by string: a day is `YYYY-MM-DD`, an instant is RFC 3339 in UTC
//! (`2026-05-04T09:30:00Z`), like the audit log's `time`. The UI sees both as `string`.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};

const DAY: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]");

/// `2026-05-04`.
pub fn format_date(date: Date) -> String {
    date.format(DAY).unwrap_or_else(|_| date.to_string())
}

/// Parses `YYYY-MM-DD` (and nothing else).
pub fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text, DAY).ok()
}

/// RFC 3339 in UTC, whole seconds or finer as given.
pub fn format_instant(at: OffsetDateTime) -> String {
    let utc = at.to_offset(UtcOffset::UTC);
    utc.format(&Rfc3339).unwrap_or_else(|_| utc.to_string())
}

/// Any RFC 3339 instant, returned in UTC.
pub fn parse_instant(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339)
        .ok()
        .map(|t| t.to_offset(UtcOffset::UTC))
}

/// `#[serde(with = "crate::iso::date")]`
pub mod date {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_date(*date))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_date(&text).ok_or_else(|| D::Error::custom("expected a date YYYY-MM-DD"))
    }
}

/// `#[serde(with = "crate::iso::option_date")]`
pub mod option_date {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.serialize_str(&super::format_date(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(text) => super::parse_date(&text)
                .map(Some)
                .ok_or_else(|| D::Error::custom("expected a date YYYY-MM-DD")),
        }
    }
}

/// `#[serde(with = "crate::iso::instant")]`
pub mod instant {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use time::OffsetDateTime;

    pub fn serialize<S: Serializer>(at: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_instant(*at))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_instant(&text).ok_or_else(|| D::Error::custom("expected an RFC 3339 instant"))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn dates_and_instants_round_trip_in_one_spelling() {
        assert_eq!(format_date(date!(2026 - 05 - 04)), "2026-05-04");
        assert_eq!(parse_date("2026-05-04"), Some(date!(2026 - 05 - 04)));
        assert_eq!(parse_date("2026-5-4"), None);
        assert_eq!(parse_date("2026-02-30"), None);
        let at = datetime!(2026-05-04 12:30 +03:00);
        assert_eq!(format_instant(at), "2026-05-04T09:30:00Z");
        assert_eq!(parse_instant("2026-05-04T12:30:00+03:00"), Some(at));
    }
}
