//! Why: a gateway fault is an answer, not a failure to communicate: it must be decoded into
//! class and subject (docs/assist-api.md §6), shown with the gateway's own `detail`, and classified
//! (not found, rate limited) so the client knows what may be retried or re-checked (§12.5).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::fault_codes::{class_text, subject_text};
use crate::language::Language;
use crate::redact::scrub_in_place;

/// A fault reported by the gateway: `{"fault":{"detail":…,"faultcode":<first>,"faultstring":<second>}}`
/// (docs/assist-api.md §4.4). A code that was missing or not a number is `None`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    /// First code: the error class (§6.1).
    pub first: Option<u32>,
    /// Second code: what the error concerns (§6.2). Sent in `faultstring` (§13).
    pub second: Option<u32>,
    /// The gateway's own text: `detail`, or `detail.message` when `detail` is an object.
    pub detail: String,
    /// `detail.recomendation` (sic) when `detail` is an object (§4.4).
    pub recommendation: Option<String>,
}

impl Fault {
    pub fn new(first: u32, second: u32, detail: impl Into<String>) -> Self {
        Self {
            first: Some(first),
            second: Some(second),
            detail: detail.into(),
            recommendation: None,
        }
    }

    /// Decoded class, e.g. "Authentication error"; `None` when the code is not in §6.1.
    pub fn class(&self, language: Language) -> Option<&'static str> {
        self.first.and_then(|c| class_text(c, language))
    }

    /// Decoded subject, e.g. "Login and/or Password"; `None` when the code is not in §6.2.
    pub fn subject(&self, language: Language) -> Option<&'static str> {
        self.second.and_then(|c| subject_text(c, language))
    }

    /// "Object missing" (first code 10): the customer, card or token was not found.
    pub fn is_not_found(&self) -> bool {
        self.first == Some(10)
    }

    /// Login and/or password refused (first code 7, docs/assist-api.md §6.1).
    pub fn is_bad_credentials(&self) -> bool {
        self.first == Some(7)
    }

    /// The credentials are right but the account may not use the service: access denied (8),
    /// the login does not belong to the merchant (14) or One Click / web services are off for
    /// it (19) (docs/assist-api.md §6.1).
    pub fn denies_access(&self) -> bool {
        matches!(self.first, Some(8 | 14 | 19))
    }

    /// A not-found fault on token.cfm means "this customer has no cards": the reference
    /// names 10/202 (customer), 10/203 (card) and 10/218 (payment instrument) as likely, and
    /// tells a client to treat any "not found" (10/xxx) as an empty list (docs/assist-api.md §4.3,
    /// §12.5) — the second code of a real gateway's "no cards" is not documented.
    pub fn means_no_cards(&self) -> bool {
        self.is_not_found()
    }

    /// After rem_token, a fault that does not say whether the removal happened: an internal
    /// error (first code 2) or an operation timeout (first code 16) is the gateway losing its
    /// own reply, not a refusal (docs/gateway.md, "After a removal").
    pub fn leaves_removal_open(&self) -> bool {
        matches!(self.first, Some(2 | 16))
    }

    /// Second code 3, "interface request rate exceeded" (§6.2): worth retrying later.
    pub fn is_rate_limited(&self) -> bool {
        self.second == Some(3)
    }

    /// The pair as "7/141" ("?" for a missing code).
    pub fn codes(&self) -> String {
        format!("{}/{}", code_text(self.first), code_text(self.second))
    }

    /// One line for people: "7/141 Authentication error (Login and/or Password): <detail>".
    ///
    /// Unknown codes are kept with their numbers: "10/999 Object missing (code 999): …".
    pub fn render(&self, language: Language) -> String {
        let class = match (self.class(language), self.first) {
            (Some(text), _) => text.to_owned(),
            (None, Some(code)) => match language {
                Language::En => format!("error class {code}"),
                Language::Ru => format!("класс ошибки {code}"),
            },
            (None, None) => match language {
                Language::En => "gateway fault".to_owned(),
                Language::Ru => "ошибка шлюза".to_owned(),
            },
        };
        let subject = match (self.subject(language), self.second) {
            (Some(text), _) => text.to_owned(),
            (None, Some(code)) => match language {
                Language::En => format!("code {code}"),
                Language::Ru => format!("код {code}"),
            },
            (None, None) => match language {
                Language::En => "no subject code".to_owned(),
                Language::Ru => "без кода объекта".to_owned(),
            },
        };
        let mut line = format!("{} {class} ({subject})", self.codes());
        if !self.detail.is_empty() {
            line.push_str(": ");
            line.push_str(&self.detail);
        }
        if let Some(rec) = self.recommendation.as_deref().filter(|r| !r.is_empty()) {
            line.push_str(" — ");
            line.push_str(rec);
        }
        line
    }

    /// Scrubs `secret` from the gateway's texts (`detail`, `recommendation`) by the rule of
    /// `redact.rs`: case-insensitively, and any fragment of 8 characters or more.
    ///
    /// A gateway that echoes a rejected parameter would otherwise carry the password into
    /// an error message.
    pub(crate) fn redact(&mut self, secret: &str) {
        scrub_in_place(&mut self.detail, secret);
        if let Some(rec) = self.recommendation.as_mut() {
            scrub_in_place(rec, secret);
        }
    }
}

fn code_text(code: Option<u32>) -> String {
    code.map_or_else(|| "?".to_owned(), |c| c.to_string())
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Language::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_known_pair_in_both_languages() {
        let f = Fault::new(7, 141, "Неверный логин или пароль");
        assert_eq!(
            f.render(Language::En),
            "7/141 Authentication error (Login and/or Password): Неверный логин или пароль"
        );
        assert_eq!(
            f.render(Language::Ru),
            "7/141 Ошибка аутентификации (Login и/или Password): Неверный логин или пароль"
        );
    }

    #[test]
    fn unknown_codes_keep_their_numbers() {
        let f = Fault::new(13, 999, "");
        assert_eq!(f.render(Language::En), "13/999 error class 13 (code 999)");
        let none = Fault {
            first: None,
            second: None,
            detail: "boom".into(),
            recommendation: Some("try later".into()),
        };
        assert_eq!(
            none.render(Language::En),
            "?/? gateway fault (no subject code): boom — try later"
        );
    }

    #[test]
    fn classification() {
        assert!(Fault::new(10, 202, "").means_no_cards());
        assert!(Fault::new(10, 203, "").means_no_cards());
        assert!(Fault::new(10, 218, "").means_no_cards());
        assert!(
            Fault::new(10, 201, "").means_no_cards(),
            "any 10/xxx is no cards (§12.5)"
        );
        assert!(!Fault::new(7, 141, "").means_no_cards());
        assert!(Fault::new(2, 0, "").leaves_removal_open());
        assert!(Fault::new(16, 15, "").leaves_removal_open());
        assert!(!Fault::new(10, 203, "").leaves_removal_open());
        assert!(!Fault::new(17, 3, "").leaves_removal_open());
        assert!(Fault::new(10, 201, "").is_not_found());
        assert!(Fault::new(17, 3, "").is_rate_limited());
        assert!(!Fault::new(7, 141, "").is_rate_limited());
    }

    #[test]
    fn redact_replaces_echoed_secret_in_detail_and_recommendation() {
        let mut f = Fault::new(5, 102, "bad value CANARY-PW-7Q2X");
        f.recommendation = Some("Canary-Pw-7 is wrong".into());
        f.redact("Canary-Pw-7Q2x");
        assert_eq!(f.detail, "bad value <redacted>");
        assert_eq!(f.recommendation.as_deref(), Some("<redacted> is wrong"));
    }
}
