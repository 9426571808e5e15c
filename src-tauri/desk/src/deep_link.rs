//! Why: a support agent works from a helpdesk ticket, and the ticket can carry a link that
//! opens the desk on the right customer or a new request filled in
//! (`carddesk://lookup?customer=…&profile=…&ticket=…`,
//! `carddesk://request/new?type=…&customer=…&ticket=…&received=…`). A link comes from outside
//! and is untrusted: it only fills in — nothing is sent to a gateway until the agent acts — its
//! values pass the same rules as typed input, unknown parameters are ignored, and a link that
//! names a production profile opens it read-only until the agent confirms (the window's part).

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::environment::Environment;
use crate::error::DeskError;
use crate::words::Words;
use desk_requests::RequestKind;

/// The scheme the app registers with the OS.
pub const SCHEME: &str = "carddesk";
/// Longest link accepted, in bytes: a ticket macro builds a few short parameters.
const LINK_MAX: usize = 2048;

/// What a link asks the window to fill in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum LinkIntent {
    /// Fill the search with a customer (on a profile, with the ticket for a later removal).
    Lookup {
        customer: String,
        #[ts(optional)]
        #[serde(skip_serializing_if = "Option::is_none")]
        profile: Option<String>,
        #[ts(optional)]
        #[serde(skip_serializing_if = "Option::is_none")]
        ticket: Option<String>,
    },
    /// Fill in a new request.
    NewRequest {
        request_kind: RequestKind,
        #[ts(optional)]
        #[serde(skip_serializing_if = "Option::is_none")]
        customer: Option<String>,
        #[ts(optional)]
        #[serde(skip_serializing_if = "Option::is_none")]
        profile: Option<String>,
        #[ts(optional)]
        #[serde(skip_serializing_if = "Option::is_none")]
        ticket: Option<String>,
        /// When the request was received: `YYYY-MM-DD` or RFC 3339, not in the future.
        #[ts(optional)]
        #[serde(skip_serializing_if = "Option::is_none")]
        received: Option<String>,
    },
}

/// A link as the window gets it: what to fill in, and about the profile it names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenedLink {
    pub intent: LinkIntent,
    /// The named profile's display name and environment, when the link names one.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_name: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<Environment>,
    /// A production profile: the window opens it read-only until the agent confirms.
    pub read_only: bool,
}

/// One link as the window receives it: read, or refused with the rule it broke.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkMessage {
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<OpenedLink>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<DeskError>,
}

impl From<Result<OpenedLink, DeskError>> for LinkMessage {
    fn from(r: Result<OpenedLink, DeskError>) -> LinkMessage {
        match r {
            Ok(link) => LinkMessage {
                link: Some(link),
                error: None,
            },
            Err(error) => LinkMessage {
                link: None,
                error: Some(error),
            },
        }
    }
}

const LINK: Words<'static> = Words::new("link", "ссылка");

fn refuse(en: &'static str, ru: &'static str) -> DeskError {
    DeskError::invalid("link", LINK, Words::new(en, ru))
}

fn request_kind(text: &str) -> Option<RequestKind> {
    Some(
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "card-refusal" | "refusal" | "376-fz" => RequestKind::CardRefusal,
            "access-152" | "access152" => RequestKind::Access152,
            "erasure-152" | "erasure152" => RequestKind::Erasure152,
            "access-gdpr" => RequestKind::AccessGdpr,
            "erasure-gdpr" => RequestKind::ErasureGdpr,
            _ => return None,
        },
    )
}

/// A ticket as a removal takes it: at most 64 characters, no control characters; blank is none.
fn ticket(text: Option<String>) -> Result<Option<String>, DeskError> {
    let Some(t) = text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if t.chars().count() > crate::revoke::TICKET_MAX || t.chars().any(char::is_control) {
        return Err(DeskError::invalid(
            "ticket",
            Words::new("ticket", "номер обращения в службе поддержки"),
            Words::new(
                "must be at most 64 characters without control characters",
                "не длиннее 64 символов и без управляющих символов",
            ),
        ));
    }
    Ok(Some(t))
}

fn received(text: Option<String>, now: OffsetDateTime) -> Result<Option<String>, DeskError> {
    let Some(t) = text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let refused = || {
        DeskError::invalid(
            "received",
            Words::new("received", "дата получения"),
            Words::new(
                "must be a date YYYY-MM-DD or a time such as 2026-12-07T10:15:00+03:00, not in \
                 the future",
                "дата ГГГГ-ММ-ДД или время вроде 2026-12-07T10:15:00+03:00, не в будущем",
            ),
        )
    };
    let day = time::macros::format_description!("[year]-[month]-[day]");
    let future = match (
        OffsetDateTime::parse(&t, &Rfc3339),
        time::Date::parse(&t, &day),
    ) {
        (Ok(at), _) => at > now,
        (_, Ok(d)) => d > now.date(),
        _ => return Err(refused()),
    };
    if future {
        return Err(refused());
    }
    Ok(Some(t))
}

/// Reads a link; its values are checked as typed input would be. `now` bounds `received`.
pub fn parse(link: &str, now: OffsetDateTime) -> Result<LinkIntent, DeskError> {
    if link.len() > LINK_MAX {
        return Err(refuse(
            "is longer than 2048 characters",
            "длиннее 2048 символов",
        ));
    }
    let Ok(url) = url::Url::parse(link.trim()) else {
        return Err(refuse("is not a link", "не является ссылкой"));
    };
    if url.scheme() != SCHEME {
        return Err(refuse(
            "must start with carddesk://",
            "должна начинаться с carddesk://",
        ));
    }
    let mut customer = None;
    let mut profile = None;
    let mut ticket_text = None;
    let mut kind = None;
    let mut received_text = None;
    // Unknown parameters are ignored; a repeated one keeps its first value.
    for (key, value) in url.query_pairs() {
        let slot = match key.as_ref() {
            "customer" => &mut customer,
            "profile" => &mut profile,
            "ticket" => &mut ticket_text,
            "type" => &mut kind,
            "received" => &mut received_text,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(value.into_owned());
        }
    }
    let customer = customer
        .map(|c| assist::CustomerNumber::new(c.trim().to_owned()).map(|c| c.as_str().to_owned()))
        .transpose()?;
    let profile = profile
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    let ticket = ticket(ticket_text)?;
    let target = format!(
        "{}{}",
        url.host_str().unwrap_or_default(),
        url.path().trim_end_matches('/')
    );
    match target.as_str() {
        "lookup" => Ok(LinkIntent::Lookup {
            customer: customer.ok_or_else(|| {
                DeskError::invalid(
                    "customer_number",
                    Words::new("customer number", "номер клиента"),
                    Words::new(
                        "is required in a lookup link",
                        "обязателен в ссылке на поиск",
                    ),
                )
            })?,
            profile,
            ticket,
        }),
        "request/new" => Ok(LinkIntent::NewRequest {
            request_kind: kind.as_deref().and_then(request_kind).ok_or_else(|| {
                DeskError::invalid(
                    "type",
                    Words::new("type", "тип обращения"),
                    Words::new(
                        "must be card-refusal, access-152, erasure-152, access-gdpr or \
                         erasure-gdpr",
                        "одно из: card-refusal, access-152, erasure-152, access-gdpr, \
                         erasure-gdpr",
                    ),
                )
            })?,
            customer,
            profile,
            ticket,
            received: received(received_text, now)?,
        }),
        _ => Err(refuse(
            "must be carddesk://lookup?… or carddesk://request/new?…",
            "должна быть carddesk://lookup?… или carddesk://request/new?…",
        )),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn now() -> OffsetDateTime {
        OffsetDateTime::parse("2026-12-07T12:00:00Z", &Rfc3339).unwrap()
    }

    #[test]
    fn a_lookup_link_fills_in_and_ignores_what_it_does_not_know() {
        let intent = parse(
            "carddesk://lookup?customer=CRM-100234&profile=p-shop&ticket=ZD%20123&utm_source=zendesk",
            now(),
        )
        .unwrap();
        assert_eq!(
            intent,
            LinkIntent::Lookup {
                customer: "CRM-100234".into(),
                profile: Some("p-shop".into()),
                ticket: Some("ZD 123".into()),
            }
        );
    }

    #[test]
    fn a_request_link_names_its_kind_and_receipt() {
        let intent = parse(
            "carddesk://request/new?type=card-refusal&customer=1234&ticket=UD-77&received=2026-12-06",
            now(),
        )
        .unwrap();
        assert_eq!(
            intent,
            LinkIntent::NewRequest {
                request_kind: RequestKind::CardRefusal,
                customer: Some("1234".into()),
                profile: None,
                ticket: Some("UD-77".into()),
                received: Some("2026-12-06".into()),
            }
        );
    }

    #[test]
    fn values_are_checked_as_typed_input_is_and_named() {
        let bad = [
            ("carddesk://lookup?customer=a%3Cb", "customer_number"),
            ("carddesk://lookup?customer=", "customer_number"),
            ("carddesk://lookup", "customer_number"),
            ("carddesk://lookup?customer=1&ticket=x%0Ay", "ticket"),
            ("carddesk://request/new?type=refund&customer=1", "type"),
            (
                "carddesk://request/new?type=access-152&received=2026-12-08",
                "received",
            ),
            (
                "carddesk://request/new?type=access-152&received=yesterday",
                "received",
            ),
            ("https://evil.example/lookup?customer=1", "link"),
            ("carddesk://revoke?customer=1&token=X", "link"),
        ];
        for (link, field) in bad {
            let e = parse(link, now()).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{link}: {e:?}");
            assert!(e.ru.is_some(), "{link}: the Russian text too");
        }
        let long = format!("carddesk://lookup?customer=1&x={}", "a".repeat(3000));
        assert_eq!(
            parse(&long, now()).unwrap_err().field.as_deref(),
            Some("link")
        );
    }
}
