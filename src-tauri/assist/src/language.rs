//! Why: `language` selects the language of the gateway's fault texts (docs/assist-api.md §3) and of
//! our own decoding of fault codes; only `RU` and `EN` exist, and anything else draws a fault.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::validation::ValidationError;

/// `RU` or `EN`; accepted in any case, always sent uppercase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum Language {
    Ru,
    En,
}

impl Language {
    pub fn new(value: &str) -> Result<Self, ValidationError> {
        if value.eq_ignore_ascii_case("RU") {
            Ok(Self::Ru)
        } else if value.eq_ignore_ascii_case("EN") {
            Ok(Self::En)
        } else {
            Err(ValidationError::new(
                "language",
                "must be RU or EN",
                "только RU или EN",
            ))
        }
    }

    /// The wire form: `"RU"` or `"EN"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ru => "RU",
            Self::En => "EN",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Language {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl TryFrom<String> for Language {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(&value)
    }
}

impl From<Language> for &'static str {
    fn from(value: Language) -> Self {
        value.as_str()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn any_case_in_uppercase_out() {
        assert_eq!(Language::new("ru").unwrap().as_str(), "RU");
        assert_eq!("En".parse::<Language>().unwrap(), Language::En);
        assert_eq!(serde_json::to_string(&Language::Ru).unwrap(), "\"RU\"");
        assert_eq!(
            serde_json::from_str::<Language>("\"en\"").unwrap(),
            Language::En
        );
        let e = Language::new("DE").unwrap_err();
        assert_eq!(e.to_string(), "language: must be RU or EN");
    }
}
