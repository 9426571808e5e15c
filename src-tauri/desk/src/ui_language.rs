//! Why: what the Rust side writes for people — a job's desktop notification, and whatever the
//! desk says next — must read in the language the agent chose in the window (EN or RU), not
//! always English. The window tells the desk its language at start and on every switch.

use std::sync::atomic::{AtomicU8, Ordering};

use serde::{Deserialize, Serialize};

/// The language of the window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum UiLanguage {
    #[default]
    En,
    Ru,
}

impl UiLanguage {
    /// `english` or `russian`, as this language reads.
    pub fn pick<'a>(self, english: &'a str, russian: &'a str) -> &'a str {
        match self {
            UiLanguage::En => english,
            UiLanguage::Ru => russian,
        }
    }
}

/// The window's language, as last told; English until then.
#[derive(Debug, Default)]
pub(crate) struct LanguageCell(AtomicU8);

impl LanguageCell {
    pub(crate) fn get(&self) -> UiLanguage {
        match self.0.load(Ordering::Relaxed) {
            1 => UiLanguage::Ru,
            _ => UiLanguage::En,
        }
    }

    pub(crate) fn set(&self, language: UiLanguage) {
        let n = match language {
            UiLanguage::En => 0,
            UiLanguage::Ru => 1,
        };
        self.0.store(n, Ordering::Relaxed);
    }
}
