//! Why: the customer number is the key to a customer's saved cards, and the gateway strips
//! `< > " = ' / ( ) ; #` from it silently (docs/assist-api.md §7.1, §12.12): `"12<3>4"` would reach
//! customer `"1234"`. We refuse such input instead of letting it address another customer.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::validation::{STRIPPED_BY_GATEWAY, ValidationError, char_len};

/// Longest customer number, in characters (docs/design.md §5).
pub const CUSTOMER_NUMBER_MAX: usize = 32;

/// The merchant's own identifier of a customer (1–32 characters, docs/design.md §5).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CustomerNumber(String);

impl CustomerNumber {
    /// Rules (docs/design.md §5): 1–32 characters; none of `< > " = ' / ( ) ; #`.
    ///
    /// Also refused, as our own addition: control characters and leading or trailing
    /// whitespace. Both are almost always paste accidents, and whether the gateway trims
    /// them is unknown (docs/assist-api.md §10), so they too could address another customer.
    pub fn new(value: impl Into<String>) -> Result<Self, ValidationError> {
        let value = value.into();
        if !(1..=CUSTOMER_NUMBER_MAX).contains(&char_len(&value)) {
            return Err(ValidationError::new(
                "customer_number",
                "must be 1–32 characters",
                "от 1 до 32 символов",
            ));
        }
        if value.contains(STRIPPED_BY_GATEWAY) {
            return Err(ValidationError::new(
                "customer_number",
                "must not contain any of < > \" = ' / ( ) ; #",
                "не должен содержать символов < > \" = ' / ( ) ; #",
            ));
        }
        if value.chars().any(char::is_control) || value.trim() != value {
            return Err(ValidationError::new(
                "customer_number",
                "must not contain control characters or start or end with a space",
                "не должен содержать управляющих символов, начинаться или заканчиваться пробелом",
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CustomerNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CustomerNumber {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<CustomerNumber> for String {
    fn from(value: CustomerNumber) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn accepts_documented_example_and_limits() {
        assert_eq!(CustomerNumber::new("1234").unwrap().as_str(), "1234");
        assert!(CustomerNumber::new("a".repeat(32)).is_ok());
        assert!(CustomerNumber::new("клиент 42").is_ok());
    }

    #[test]
    fn length_rule_message() {
        for bad in [String::new(), "a".repeat(33)] {
            let e = CustomerNumber::new(bad).unwrap_err();
            assert_eq!(e.to_string(), "customer number: must be 1–32 characters");
        }
    }

    #[test]
    fn every_stripped_character_is_refused() {
        for c in STRIPPED_BY_GATEWAY {
            let e = CustomerNumber::new(format!("12{c}34")).unwrap_err();
            assert_eq!(
                e.to_string(),
                "customer number: must not contain any of < > \" = ' / ( ) ; #"
            );
            assert_eq!(e.field(), "customer_number");
        }
    }

    #[test]
    fn whitespace_edges_and_controls_are_refused() {
        for bad in [" 1234", "1234 ", "12\n34", "12\t34"] {
            assert!(CustomerNumber::new(bad).is_err(), "{bad:?}");
        }
    }
}
