//! Why: the three merchant credentials travel inside every request body (docs/assist-api.md §3),
//! so each is validated on construction and the password is handled as a secret: redacted
//! `Debug`, no `Display`, no `Serialize`, zeroized on drop (docs/design.md §5, docs/security.md).

use std::fmt;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::validation::{ValidationError, char_len};

/// Largest merchant id the gateway accepts: an "int" parameter (docs/assist-api.md §3.2, §7.1).
const MERCHANT_ID_MAX: u64 = 2_147_483_647;
/// Most digits in a merchant id (docs/assist-api.md §3.2).
pub const MERCHANT_ID_DIGITS: usize = 15;
/// Longest login, in characters (docs/assist-api.md §3.2).
pub const LOGIN_MAX: usize = 20;
/// Longest password, in characters (docs/assist-api.md §3.2).
pub const PASSWORD_MAX: usize = 30;

/// The merchant's numeric id at Assist, kept as the digit string that is sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MerchantId(String);

impl MerchantId {
    /// Digits only, at most 15 of them, and at most 2147483647 (docs/assist-api.md §3.2).
    pub fn new(value: impl Into<String>) -> Result<Self, ValidationError> {
        let value = value.into();
        let refuse = || {
            ValidationError::new(
                "merchant_id",
                "must be 1–15 digits with a value of at most 2147483647",
                "от 1 до 15 цифр, не больше 2147483647",
            )
        };
        if value.is_empty()
            || value.len() > MERCHANT_ID_DIGITS
            || !value.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(refuse());
        }
        match value.parse::<u64>() {
            Ok(n) if n <= MERCHANT_ID_MAX => Ok(Self(value)),
            _ => Err(refuse()),
        }
    }

    /// The id as sent on the wire (a JSON string, as in the documentation's example).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MerchantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for MerchantId {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<MerchantId> for String {
    fn from(value: MerchantId) -> Self {
        value.0
    }
}

/// The web-service user's login (1–20 characters, docs/assist-api.md §3.2).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Login(String);

impl Login {
    pub fn new(value: impl Into<String>) -> Result<Self, ValidationError> {
        let value = value.into();
        if (1..=LOGIN_MAX).contains(&char_len(&value)) {
            Ok(Self(value))
        } else {
            Err(ValidationError::new(
                "login",
                "must be 1–20 characters",
                "от 1 до 20 символов",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Login {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Login> for String {
    fn from(value: Login) -> Self {
        value.0
    }
}

/// The web-service user's password (1–30 characters, docs/assist-api.md §3.2).
///
/// Secrets only go in: there is no `Display`, no `Serialize` and no public accessor; `Debug`
/// prints `<redacted>` and the memory is zeroized on drop.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Password(Zeroizing<String>);

impl Password {
    pub fn new(value: impl Into<String>) -> Result<Self, ValidationError> {
        let value = Zeroizing::new(value.into());
        if (1..=PASSWORD_MAX).contains(&char_len(&value)) {
            Ok(Self(value))
        } else {
            Err(ValidationError::new(
                "password",
                "must be 1–30 characters",
                "от 1 до 30 символов",
            ))
        }
    }

    /// The secret itself, for the request body only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl TryFrom<String> for Password {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn merchant_id_rules() {
        assert_eq!(MerchantId::new("452739").unwrap().as_str(), "452739");
        assert!(MerchantId::new("2147483647").is_ok());
        for bad in [
            "",
            "2147483648",
            "12a",
            "-1",
            " 1",
            "1234567890123456",
            "+5",
        ] {
            let e = MerchantId::new(bad).unwrap_err();
            assert_eq!(e.field(), "merchant_id", "{bad:?}");
        }
    }

    #[test]
    fn login_counts_characters_not_bytes() {
        assert!(Login::new("ЛогинЛогинЛогинЛогин").is_ok()); // 20 chars, 40 bytes
        assert!(Login::new("").is_err());
        assert!(Login::new("x".repeat(21)).is_err());
    }

    #[test]
    fn password_is_redacted_and_never_echoed() {
        let p = Password::new("Canary-Pw-7Q2x").unwrap();
        assert_eq!(format!("{p:?}"), "<redacted>");
        assert_eq!(format!("{p:#?}"), "<redacted>");
        let too_long = "Canary-Pw-7Q2x-Canary-Pw-7Q2x-Canary";
        let e = Password::new(too_long).unwrap_err();
        assert_eq!(e.to_string(), "password: must be 1–30 characters");
        assert!(!format!("{e:?}").contains("Canary"));
        assert!(Password::new("").is_err());
        assert!(Password::new("x".repeat(30)).is_ok());
    }

    #[test]
    fn credentials_round_trip_through_serde() {
        let m: MerchantId = serde_json::from_str("\"452739\"").unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"452739\"");
        assert!(serde_json::from_str::<MerchantId>("\"abc\"").is_err());
        let p: Password = serde_json::from_str("\"secret\"").unwrap();
        assert_eq!(p.expose(), "secret");
    }
}
