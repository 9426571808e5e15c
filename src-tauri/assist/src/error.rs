//! Why: callers (the CLI, the desk, the UI over IPC) must branch on what went wrong — input
//! refused, gateway said no, or the gateway could not be reached — through a stable
//! [`Error::code`], and show a message that never contains a credential. Request bodies carry
//! the password, so no variant ever holds or prints one. The message reads in English
//! ([`Display`](std::fmt::Display), for the CLI and logs) or in Russian ([`Error::render`], for
//! the window): only our own framing is translated, the technical detail stays as it came.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::fault::Fault;
use crate::language::Language;
use crate::redact::scrub_in_place;
use crate::validation::ValidationError;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Input refused before anything was sent.
    #[error("{0}")]
    Validation(#[from] ValidationError),

    /// The gateway answered with a fault (at any HTTP status, docs/assist-api.md §12.2).
    #[error("gateway fault {0}")]
    Fault(Fault),

    /// No usable answer: connection refused or reset, timeout, an HTML or empty body,
    /// truncated JSON (docs/assist-api.md §12.2). `status` is the HTTP status when a response
    /// arrived.
    #[error("{}", transport_text(*.status, .detail))]
    Transport { status: Option<u16>, detail: String },

    /// Valid JSON that is not a reply this endpoint sends (e.g. a `message` from token.cfm).
    #[error("unexpected gateway response (HTTP {status}): {detail}")]
    UnexpectedResponse { status: u16, detail: String },

    /// The HTTP client could not be built (e.g. no TLS roots on this machine).
    #[error("could not set up the HTTP client: {detail}")]
    Setup { detail: String },
}

fn transport_text(status: Option<u16>, detail: &str) -> String {
    match status {
        Some(code) => format!("transport error (HTTP {code}): {detail}"),
        None => format!("transport error: {detail}"),
    }
}

impl Error {
    /// The message for people in `language`: English is the `Display` text; Russian frames
    /// the same facts in Russian (a fault decoded in Russian, a validation rule in Russian),
    /// while a transport, unexpected-reply or setup detail stays as the connection gave it.
    pub fn render(&self, language: Language) -> String {
        let Language::Ru = language else {
            return self.to_string();
        };
        match self {
            Self::Validation(v) => v.render(Language::Ru),
            Self::Fault(fault) => format!("шлюз ответил ошибкой {}", fault.render(Language::Ru)),
            Self::Transport {
                status: Some(code),
                detail,
            } => format!("ошибка связи со шлюзом (HTTP {code}): {detail}"),
            Self::Transport {
                status: None,
                detail,
            } => format!("ошибка связи со шлюзом: {detail}"),
            Self::UnexpectedResponse { status, detail } => {
                format!("неожиданный ответ шлюза (HTTP {status}): {detail}")
            }
            Self::Setup { detail } => format!("не удалось настроить HTTP-клиент: {detail}"),
        }
    }

    /// A stable machine code for the UI and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation",
            Self::Fault(_) => "gateway_fault",
            Self::Transport { .. } => "transport",
            Self::UnexpectedResponse { .. } => "unexpected_response",
            Self::Setup { .. } => "setup",
        }
    }

    /// The gateway's fault, if this is one.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            Self::Fault(fault) => Some(fault),
            _ => None,
        }
    }

    /// Whether repeating an idempotent request (listing) may help: transport failures
    /// without a response, or with a 5xx, 408, 429 or 2xx status (a garbled body), and the
    /// rate-limit fault (second code 3). A 4xx page (wrong base URL) is not retried.
    pub fn is_retryable(&self) -> bool {
        match self {
            // A refused certificate is refused again, however often it is asked.
            Self::Transport { status: None, .. } => !self.is_untrusted_certificate(),
            Self::Transport {
                status: Some(code), ..
            } => matches!(code, 200..=299 | 408 | 429 | 500..=599),
            Self::Fault(fault) => fault.is_rate_limited(),
            Self::Validation(_) | Self::UnexpectedResponse { .. } | Self::Setup { .. } => false,
        }
    }

    /// Whether no connection to the gateway could be made at all (refused, no route, DNS, a
    /// connect timeout, a certificate we cannot trust): nothing was sent, and trying the next
    /// request at once would only fail the same way.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Self::Transport { status: None, detail }
            if detail.starts_with(crate::http::COULD_NOT_CONNECT))
            || self.is_untrusted_certificate()
    }

    /// Whether the server's TLS certificate was refused (self-signed, wrong host, expired, or a
    /// proxy intercepting the traffic): nothing was sent, and on production the agent must not
    /// work around it.
    pub fn is_untrusted_certificate(&self) -> bool {
        matches!(self, Self::Transport { status: None, detail }
            if detail.starts_with(crate::http::UNTRUSTED_CERTIFICATE))
    }

    /// Whether the gateway (or a proxy in front of it) refused the request for its rate, and so
    /// did not process it: fault 17/3 ("interface request rate exceeded"), or HTTP 429 (Too
    /// Many Requests) or 503 (Service Unavailable) without a One Click reply. Worth sending
    /// again later, at a slower pace (docs/gateway.md, "Rate limits").
    pub fn is_refusal(&self) -> bool {
        match self {
            Self::Fault(fault) => fault.is_rate_limited(),
            Self::Transport {
                status: Some(429 | 503),
                ..
            } => true,
            _ => false,
        }
    }

    /// Scrubs `secret` from every text that came from the gateway or the connection (a
    /// fault's detail and recommendation, a transport or unexpected-reply detail) by the
    /// rule of `redact.rs`. Validation and setup texts are the crate's own.
    pub(crate) fn redact(mut self, secret: &str) -> Self {
        match &mut self {
            Self::Fault(fault) => fault.redact(secret),
            Self::Transport { detail, .. } | Self::UnexpectedResponse { detail, .. } => {
                scrub_in_place(detail, secret);
            }
            Self::Validation(_) | Self::Setup { .. } => {}
        }
        self
    }
}

/// Serialised as `{code, message}` plus `status` or `fault` where they apply: the error shape
/// the UI reads (`DeskError` in ui/src/lib/ipc.ts) and the CLI prints (docs/cli-json.md).
impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Error", 4)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        match self {
            Self::Fault(fault) => s.serialize_field("fault", fault)?,
            Self::Validation(v) => s.serialize_field("validation", v)?,
            Self::Transport { status, .. } => s.serialize_field("status", status)?,
            Self::UnexpectedResponse { status, .. } => s.serialize_field("status", status)?,
            Self::Setup { .. } => {}
        }
        s.end()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn codes_and_messages() {
        let f = Error::Fault(Fault::new(7, 141, "bad credentials"));
        assert_eq!(f.code(), "gateway_fault");
        assert_eq!(
            f.to_string(),
            "gateway fault 7/141 Authentication error (Login and/or Password): bad credentials"
        );
        let t = Error::Transport {
            status: Some(502),
            detail: "response body is not JSON".into(),
        };
        assert_eq!(
            t.to_string(),
            "transport error (HTTP 502): response body is not JSON"
        );
        assert_eq!(t.code(), "transport");
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["code"], "gateway_fault");
        assert_eq!(v["fault"]["first"], 7);
    }

    #[test]
    fn transport_and_unexpected_details_lose_an_echoed_password() {
        let secret = "Canary-Pw-7Q2x";
        let transport = Error::Transport {
            status: Some(502),
            detail: "response body is not JSON (at CANARY-PW-7Q2X)".into(),
        }
        .redact(secret);
        assert_eq!(
            transport.to_string(),
            "transport error (HTTP 502): response body is not JSON (at <redacted>)"
        );
        let unexpected = Error::UnexpectedResponse {
            status: 200,
            detail: "a scalar \"canary-pw-7\"".into(),
        }
        .redact(secret);
        assert_eq!(
            unexpected.to_string(),
            "unexpected gateway response (HTTP 200): a scalar \"<redacted>\""
        );
    }

    #[test]
    fn russian_frames_each_kind_and_keeps_the_detail() {
        let fault = Error::Fault(Fault::new(7, 141, "bad credentials"));
        assert_eq!(
            fault.render(Language::Ru),
            "шлюз ответил ошибкой 7/141 Ошибка аутентификации (Login и/или Password): \
             bad credentials"
        );
        assert_eq!(fault.render(Language::En), fault.to_string());
        let transport = Error::Transport {
            status: Some(502),
            detail: "response body is not JSON".into(),
        };
        assert_eq!(
            transport.render(Language::Ru),
            "ошибка связи со шлюзом (HTTP 502): response body is not JSON"
        );
        let refused = Error::Transport {
            status: None,
            detail: "could not connect".into(),
        };
        assert_eq!(
            refused.render(Language::Ru),
            "ошибка связи со шлюзом: could not connect"
        );
        let unexpected = Error::UnexpectedResponse {
            status: 200,
            detail: "a scalar".into(),
        };
        assert_eq!(
            unexpected.render(Language::Ru),
            "неожиданный ответ шлюза (HTTP 200): a scalar"
        );
        let setup = Error::Setup {
            detail: "no TLS roots".into(),
        };
        assert_eq!(
            setup.render(Language::Ru),
            "не удалось настроить HTTP-клиент: no TLS roots"
        );
        let invalid = Error::from(crate::CustomerNumber::new("").unwrap_err());
        assert_eq!(
            invalid.render(Language::Ru),
            "номер клиента: от 1 до 32 символов"
        );
        assert_eq!(
            invalid.render(Language::En),
            "customer number: must be 1–32 characters"
        );
    }

    #[test]
    fn retry_rules() {
        let t = |status| Error::Transport {
            status,
            detail: String::new(),
        };
        assert!(t(None).is_retryable());
        assert!(t(Some(502)).is_retryable());
        assert!(t(Some(200)).is_retryable());
        assert!(!t(Some(404)).is_retryable());
        assert!(Error::Fault(Fault::new(17, 3, "")).is_retryable());
        assert!(!Error::Fault(Fault::new(7, 141, "")).is_retryable());
    }
}
