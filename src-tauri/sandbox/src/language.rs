//! The two languages the gateway speaks (`Language` = `RU` / `EN`, docs/assist-api.md §3, §11.14);
//! they pick the language of a fault's `detail`.

use serde::{Deserialize, Serialize};

use crate::shape::sanitise;

/// `RU` or `EN`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Language {
    #[serde(rename = "RU")]
    Ru,
    #[serde(rename = "EN")]
    En,
}

impl Language {
    /// Reads a request's `language` the way the gateway validates it: forbidden characters
    /// stripped (§7.1 "Language … strip"), then `RU` / `EN` in any letter case (ColdFusion
    /// compares strings case-insensitively).
    pub(crate) fn parse(raw: &str) -> Option<Language> {
        let clean = sanitise(raw);
        if clean.eq_ignore_ascii_case("RU") {
            Some(Language::Ru)
        } else if clean.eq_ignore_ascii_case("EN") {
            Some(Language::En)
        } else {
            None
        }
    }
}
