//! Why: a card token is what rem_token.cfm deletes, so it must be exactly the string token.cfm
//! returned — never re-cased or re-formatted as a UUID (docs/assist-api.md §7.2, §12.11).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::validation::ValidationError;

/// A saved card's token: `^[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$`.
///
/// Not validated as an RFC 4122 UUID: three of the four tokens in the documentation are not
/// variant-valid (docs/assist-api.md §7.2). The string is kept exactly as given.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CardToken(String);

impl CardToken {
    pub fn new(value: impl Into<String>) -> Result<Self, ValidationError> {
        let value = value.into();
        if is_token_shape(&value) {
            Ok(Self(value))
        } else {
            Err(ValidationError::new(
                "token",
                "must be 8-4-4-4-12 hexadecimal digits, e.g. 49D902C6-1CCF-4605-9228-11D0E8115C77",
                "должен состоять из 8-4-4-4-12 шестнадцатеричных цифр, например \
                 49D902C6-1CCF-4605-9228-11D0E8115C77",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `other` names the same card, ignoring ASCII case.
    ///
    /// Used when re-checking a card list after an uncertain removal: whether the gateway
    /// matches tokens case-sensitively is unknown (docs/assist-api.md §5), so the conservative
    /// reading is that a differently-cased listed token is still this card.
    pub fn same_card_as(&self, other: &str) -> bool {
        self.0.eq_ignore_ascii_case(other)
    }
}

/// 36 characters: hex groups of 8, 4, 4, 4 and 12 separated by `-`.
fn is_token_shape(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

impl fmt::Display for CardToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CardToken {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<CardToken> for String {
    fn from(value: CardToken) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn documentation_tokens_are_accepted_verbatim() {
        for t in [
            "49D902C6-1CCF-4605-9228-11D0E8115C77",
            "4D7F0B0D-B701-47B0-779A-BB0CB5F25A14",
            "54F5A3DE-4B47-4B40-03B5-7FF992D6B401",
            "33479991-B4E5-40FE-D9ED-EDC94BA7FA14",
        ] {
            assert_eq!(CardToken::new(t).unwrap().as_str(), t);
        }
        let lower = "49d902c6-1ccf-4605-9228-11d0e8115c77";
        assert_eq!(CardToken::new(lower).unwrap().as_str(), lower);
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for bad in [
            "",
            "49D902C61CCF460592281 1D0E8115C77",
            "49D902C6-1CCF-4605-9228-11D0E8115C7",
            "49D902C6-1CCF-4605-9228-11D0E8115C777",
            "{49D902C6-1CCF-4605-9228-11D0E8115C77}",
            "49D902C6-1CCF-4605-9228_11D0E8115C77",
            "G9D902C6-1CCF-4605-9228-11D0E8115C77",
            "49D902C6-1CCF-4605-9228-11D0E8115C7é",
        ] {
            let e = CardToken::new(bad).unwrap_err();
            assert_eq!(e.field(), "token");
        }
    }

    #[test]
    fn same_card_ignores_case_only() {
        let t = CardToken::new("49D902C6-1CCF-4605-9228-11D0E8115C77").unwrap();
        assert!(t.same_card_as("49d902c6-1ccf-4605-9228-11d0e8115c77"));
        assert!(!t.same_card_as("49D902C6-1CCF-4605-9228-11D0E8115C78"));
    }
}
