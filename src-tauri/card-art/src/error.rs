//! Why: the art cache and the `cardart:` URI scheme (docs/design.md §5) must tell "refused on
//! purpose" (not https, private address, HTML, too large) from "try again later" (timeout,
//! transport), and the UI shows the message. So every failure has a stable [`ArtError::code`]
//! and a message that names at most the host — never the URL, whose path and query the gateway
//! chose (docs/assist-api.md §4.2 URLs are long S3 keys).

use std::fmt;

use serde::ser::{Serialize, SerializeStruct, Serializer};

/// Why one card-art fetch failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ArtError {
    /// Not a URL at all, no host, or a URL with userinfo (`https://user:pass@host/`).
    #[error("the card-art address is not a usable URL")]
    BadUrl,

    /// A scheme other than `https` (or `http` to loopback under the sandbox policy), in the
    /// first URL or a redirect target.
    #[error("card art from {} was refused: only https is allowed", shown(.host))]
    NotHttps { host: String },

    /// The host is, or resolves only to, a private, loopback, link-local, unique-local, CGNAT,
    /// multicast, unspecified, documentation or reserved address.
    #[error("card art from {} was refused: it is not a public internet address", shown(.host))]
    PrivateAddress { host: String },

    /// The body (or its declared length) exceeds the policy's byte cap.
    #[error("card art is larger than the limit of {limit} bytes")]
    TooLarge { limit: usize },

    /// The whole fetch, or connecting to a host, took longer than the policy allows.
    #[error("card art took too long to fetch")]
    Timeout,

    /// The final response was not a success (after any redirects).
    #[error("the card-art server answered HTTP {status}")]
    Http { status: u16 },

    /// The bytes are not a format we show: HTML, SVG, unknown, or at odds with the declared type.
    #[error("card art was refused: {reason}")]
    Unsupported { reason: UnsupportedReason },

    /// Too many redirects, or a redirect without a usable `Location`.
    #[error("card art was refused: {problem}")]
    Redirect { problem: RedirectProblem },

    /// Could not connect, TLS failed, or the connection broke mid-body.
    #[error("could not fetch card art from {}", shown(.host))]
    Transport { host: String },
}

/// Why bytes were not accepted as card art.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnsupportedReason {
    /// An empty body.
    Empty,
    /// HTML, by its bytes or its declared `text/html`: never rendered (docs/design.md §5).
    Html,
    /// SVG (or other XML markup), by its bytes or declared type: it can carry script.
    Svg,
    /// A known format, but not the family the gateway declared (e.g. `image/png` that is a PDF).
    Mismatch,
    /// Not PNG, JPEG, GIF, WebP, PDF, nor UTF-8 text declared as `text/plain`.
    Unrecognised,
}

/// What was wrong with a redirect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RedirectProblem {
    /// More than [`crate::MAX_REDIRECTS`] redirects.
    TooMany,
    /// A redirect status without a `Location` header, or one that is not a URL.
    BadLocation,
}

impl ArtError {
    /// A stable machine code for the desk and the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadUrl => "bad_url",
            Self::NotHttps { .. } => "not_https",
            Self::PrivateAddress { .. } => "private_address",
            Self::TooLarge { .. } => "too_large",
            Self::Timeout => "timeout",
            Self::Http { .. } => "http_status",
            Self::Unsupported { .. } => "unsupported",
            Self::Redirect { .. } => "redirect",
            Self::Transport { .. } => "transport",
        }
    }

    /// Whether fetching again later may succeed; refusals on purpose are final.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Timeout | Self::Transport { .. } => true,
            Self::Http { status } => matches!(status, 408 | 429 | 500..=599),
            Self::BadUrl
            | Self::NotHttps { .. }
            | Self::PrivateAddress { .. }
            | Self::TooLarge { .. }
            | Self::Unsupported { .. }
            | Self::Redirect { .. } => false,
        }
    }
}

impl fmt::Display for UnsupportedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "the file is empty",
            Self::Html => "HTML is never shown",
            Self::Svg => "SVG and other markup can carry script",
            Self::Mismatch => "the content does not match the declared media type",
            Self::Unrecognised => "not PNG, JPEG, GIF, WebP, PDF or plain text",
        })
    }
}

impl fmt::Display for RedirectProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::TooMany => "too many redirects",
            Self::BadLocation => "a redirect without a usable location",
        })
    }
}

fn shown(host: &str) -> &str {
    if host.is_empty() { "(no host)" } else { host }
}

/// Serialised as `{code, message}` plus `limit` or `status` where they apply: the error shape
/// the UI reads (`DeskError` in ui/src/lib/ipc.ts).
impl Serialize for ArtError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("ArtError", 3)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        match self {
            Self::TooLarge { limit } => s.serialize_field("limit", limit)?,
            Self::Http { status } => s.serialize_field("status", status)?,
            _ => {}
        }
        s.end()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn codes_are_stable_and_messages_name_only_the_host() {
        let cases = [
            (ArtError::BadUrl, "bad_url"),
            (
                ArtError::NotHttps {
                    host: "a.example".into(),
                },
                "not_https",
            ),
            (
                ArtError::PrivateAddress {
                    host: "10.0.0.1".into(),
                },
                "private_address",
            ),
            (ArtError::TooLarge { limit: 5 }, "too_large"),
            (ArtError::Timeout, "timeout"),
            (ArtError::Http { status: 404 }, "http_status"),
            (
                ArtError::Unsupported {
                    reason: UnsupportedReason::Html,
                },
                "unsupported",
            ),
            (
                ArtError::Redirect {
                    problem: RedirectProblem::TooMany,
                },
                "redirect",
            ),
            (ArtError::Transport { host: "h".into() }, "transport"),
        ];
        for (error, code) in cases {
            assert_eq!(error.code(), code);
            assert!(!error.to_string().contains("://"), "{error}");
        }
        assert_eq!(
            ArtError::PrivateAddress {
                host: "10.0.0.1".into()
            }
            .to_string(),
            "card art from 10.0.0.1 was refused: it is not a public internet address"
        );
        assert_eq!(
            ArtError::NotHttps {
                host: String::new()
            }
            .to_string(),
            "card art from (no host) was refused: only https is allowed"
        );
    }

    #[test]
    fn transient_only_for_timeouts_transport_and_server_trouble() {
        assert!(ArtError::Timeout.is_transient());
        assert!(ArtError::Http { status: 503 }.is_transient());
        assert!(!ArtError::Http { status: 404 }.is_transient());
        assert!(!ArtError::TooLarge { limit: 1 }.is_transient());
    }
}
