//! Why: every value we send to the gateway is checked on our side first, because the gateway
//! silently rewrites bad input (docs/design.md §5, docs/assist-api.md §7.1) instead of refusing it.
//! A [`ValidationError`] names the field and the rule and never carries the offending value,
//! so a refused password can never reach a log or the UI through it.

use std::fmt;

use serde::Serialize;

/// A value was refused before anything was sent to the gateway.
///
/// `field` is a stable machine name (`"customer_number"`, `"password"`, …) the UI can branch
/// on; `rule` is the human text of the broken rule. Neither contains the refused value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ValidationError {
    field: &'static str,
    rule: &'static str,
}

impl ValidationError {
    pub(crate) const fn new(field: &'static str, rule: &'static str) -> Self {
        Self { field, rule }
    }

    /// Stable machine name of the field, e.g. `"customer_number"`.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// Human text of the broken rule, e.g. `"must be 1–32 characters"`.
    pub fn rule(&self) -> &'static str {
        self.rule
    }

    /// The field as people say it: `"customer number"`, `"base URL"`.
    pub fn field_label(&self) -> &'static str {
        match self.field {
            "merchant_id" => "merchant id",
            "login" => "login",
            "password" => "password",
            "customer_number" => "customer number",
            "token" => "card token",
            "language" => "language",
            "base_url" => "base URL",
            other => other,
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field_label(), self.rule)
    }
}

impl std::error::Error for ValidationError {}

/// Characters the gateway strips silently from free-text parameters (docs/assist-api.md §7.1).
pub const STRIPPED_BY_GATEWAY: [char; 10] = ['<', '>', '"', '=', '\'', '/', '(', ')', ';', '#'];

/// Number of Unicode scalar values: the documented lengths are in characters, not bytes.
pub(crate) fn char_len(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_field_and_rule() {
        let e = ValidationError::new("customer_number", "must be 1–32 characters");
        assert_eq!(e.to_string(), "customer number: must be 1–32 characters");
        assert_eq!(e.field(), "customer_number");
    }
}
