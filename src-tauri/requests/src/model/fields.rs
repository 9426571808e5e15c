//! Why: input is checked before anything is stored, and a refusal names the field and the rule
//! (docs/design.md §5, docs/customer-requests.md §7). The customer-number rule is the gateway
//! client's own (`assist::CustomerNumber`), so the register cannot accept a number the desk
//! would refuse to look up.

use std::borrow::Cow;

use time::{Date, Duration, OffsetDateTime, UtcOffset};

use super::{ProfileRef, Received};
use crate::RequestError;

/// Longest ticket reference, in characters.
pub const TICKET_MAX: usize = 64;
/// Longest reason, question asked or name, in characters.
pub const TEXT_MAX: usize = 2000;
/// Longest note, in characters.
pub const NOTE_MAX: usize = 4000;
/// Longest name of a person (`by`, `assignee`), in characters.
pub const NAME_MAX: usize = 100;
/// Longest profile id, in characters.
const PROFILE_ID_MAX: usize = 64;
/// Longest document file name, in characters.
const FILE_NAME_MAX: usize = 255;
/// Clock skew tolerated between the agent's machine and the instant given.
const SKEW: Duration = Duration::minutes(1);

type Field = Cow<'static, str>;

fn len(s: &str) -> usize {
    s.chars().count()
}

pub(crate) fn customer_number(
    field: Field,
    text: &str,
) -> Result<assist::CustomerNumber, RequestError> {
    assist::CustomerNumber::new(text)
        .map_err(|e| RequestError::invalid_said(field, e.rule(), e.rule_in(assist::Language::Ru)))
}

/// An optional ticket reference: at most 64 characters, no control characters; blank is none.
pub(crate) fn ticket(text: Option<&str>) -> Result<Option<String>, RequestError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if len(text) > TICKET_MAX {
        return Err(RequestError::invalid(
            "ticket",
            "must be at most 64 characters",
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(RequestError::invalid(
            "ticket",
            "must not contain control characters",
        ));
    }
    Ok(Some(text.to_owned()))
}

/// A person's name (`by`, `assignee`): 1–100 characters, no control characters.
pub(crate) fn name(field: &'static str, text: &str) -> Result<String, RequestError> {
    let text = text.trim();
    if !(1..=NAME_MAX).contains(&len(text)) {
        return Err(RequestError::invalid(field, "must be 1–100 characters"));
    }
    if text.chars().any(char::is_control) {
        return Err(RequestError::invalid(
            field,
            "must not contain control characters",
        ));
    }
    Ok(text.to_owned())
}

/// Free text (a reason, what was asked, a note): not blank, at most `max` characters; line
/// breaks and tabs allowed, other control characters not.
pub(crate) fn text(field: &'static str, text: &str, max: usize) -> Result<String, RequestError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(RequestError::invalid(field, "must not be blank"));
    }
    if len(text) > max {
        return Err(RequestError::invalid(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(RequestError::invalid(
            field,
            "must not contain control characters other than line breaks and tabs",
        ));
    }
    Ok(text.to_owned())
}

pub(crate) fn profile(field: Field, profile: &ProfileRef) -> Result<ProfileRef, RequestError> {
    match profile {
        ProfileRef::AllProfiles => Ok(ProfileRef::AllProfiles),
        ProfileRef::Profile(id) => {
            let id = id.trim();
            if !(1..=PROFILE_ID_MAX).contains(&len(id)) || id.chars().any(char::is_control) {
                return Err(RequestError::invalid(
                    field,
                    "must be a profile id (1–64 characters, no control characters) or all profiles",
                ));
            }
            Ok(ProfileRef::Profile(id.to_owned()))
        }
    }
}

/// Not in the future (a minute of skew allowed; a day is compared with the latest date on
/// Earth at `now`), not before 2000, offset within ±14 hours.
pub(crate) fn received(received: &Received, now: OffsetDateTime) -> Result<(), RequestError> {
    const FIELD: &str = "received_at";
    let earliest = Date::from_calendar_date(2000, time::Month::January, 1).unwrap_or(Date::MIN);
    match *received {
        Received::Instant { at, offset } => {
            if !(-14 * 60..=14 * 60).contains(&offset) {
                return Err(RequestError::invalid(
                    FIELD,
                    "the UTC offset must be within ±14 hours",
                ));
            }
            if at > now + SKEW {
                return Err(RequestError::invalid(FIELD, "must not be in the future"));
            }
            if at.date() < earliest {
                return Err(RequestError::invalid(FIELD, "must not be before 2000"));
            }
        }
        Received::Day { date } => {
            let latest_today = now
                .to_offset(UtcOffset::UTC)
                .checked_add(Duration::hours(14))
                .map_or(now.date(), |t| t.date());
            if date > latest_today {
                return Err(RequestError::invalid(FIELD, "must not be in the future"));
            }
            if date < earliest {
                return Err(RequestError::invalid(FIELD, "must not be before 2000"));
            }
        }
    }
    Ok(())
}

/// 64 lowercase hex digits (a SHA-256 or the audit log's BLAKE3).
pub(crate) fn hex64(field: &'static str, text: &str) -> Result<String, RequestError> {
    let ok = text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !ok {
        return Err(RequestError::invalid(
            field,
            "must be 64 lowercase hexadecimal digits",
        ));
    }
    Ok(text.to_owned())
}

/// A file name without a directory: 1–255 characters, no `/`, `\` or control characters.
pub(crate) fn file_name(text: &str) -> Result<String, RequestError> {
    let text = text.trim();
    if !(1..=FILE_NAME_MAX).contains(&len(text))
        || text.contains(['/', '\\'])
        || text.chars().any(char::is_control)
    {
        return Err(RequestError::invalid(
            "name",
            "must be a file name of 1–255 characters without a directory or control characters",
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn customer_number_follows_the_gateway_rule() {
        for bad in ["", "12<34", "a;b", "x/y", "q'1", &"9".repeat(33)] {
            let e = customer_number("customer_number".into(), bad).unwrap_err();
            assert_eq!(e.field(), Some("customer_number"), "{bad:?}");
        }
        assert!(customer_number("customer_number".into(), "клиент 42").is_ok());
    }

    #[test]
    fn ticket_rules() {
        assert_eq!(ticket(None).unwrap(), None);
        assert_eq!(ticket(Some("  ")).unwrap(), None);
        assert_eq!(ticket(Some(" T-1 ")).unwrap().as_deref(), Some("T-1"));
        assert!(ticket(Some(&"x".repeat(64))).is_ok());
        let e = ticket(Some(&"x".repeat(65))).unwrap_err();
        assert_eq!(e.to_string(), "ticket: must be at most 64 characters");
        let e = ticket(Some("T-1\u{7}")).unwrap_err();
        assert_eq!(
            e.rule().as_deref(),
            Some("must not contain control characters")
        );
    }

    #[test]
    fn received_not_in_the_future() {
        let now = datetime!(2026-05-04 10:00 UTC);
        let ok = Received::at(datetime!(2026-05-04 13:00 +03:00));
        assert!(received(&ok, now).is_ok());
        let future = Received::at(datetime!(2026-05-04 10:05 UTC));
        let e = received(&future, now).unwrap_err();
        assert_eq!(e.to_string(), "received_at: must not be in the future");
        // Kamchatka is already on 5 May when it is 10:00 UTC on 4 May.
        assert!(
            received(
                &Received::Day {
                    date: date!(2026 - 05 - 04)
                },
                now
            )
            .is_ok()
        );
        assert!(
            received(
                &Received::Day {
                    date: date!(2026 - 05 - 05)
                },
                now
            )
            .is_ok()
        );
        assert!(
            received(
                &Received::Day {
                    date: date!(2026 - 05 - 06)
                },
                now
            )
            .is_err()
        );
        assert!(
            received(
                &Received::Day {
                    date: date!(1999 - 12 - 31)
                },
                now
            )
            .is_err()
        );
        let odd = Received::Instant {
            at: now,
            offset: 15 * 60,
        };
        assert!(received(&odd, now).is_err());
    }

    #[test]
    fn names_text_digests_files() {
        assert!(name("by", "").is_err());
        assert_eq!(name("by", " Анна ").unwrap(), "Анна");
        assert!(text("reason", " ", TEXT_MAX).is_err());
        assert!(text("note", "line 1\nline 2", NOTE_MAX).is_ok());
        assert!(text("note", "bell\u{7}", NOTE_MAX).is_err());
        assert!(hex64("sha256", &"a".repeat(64)).is_ok());
        assert!(hex64("sha256", &"A".repeat(64)).is_err());
        assert!(hex64("sha256", &"a".repeat(63)).is_err());
        assert!(file_name("act-2026-05-04.pdf").is_ok());
        assert!(file_name("../act.pdf").is_err());
        assert!(file_name("C:\\act.pdf").is_err());
    }
}
