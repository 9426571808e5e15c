//! A customer lookup as the UI shows it: the cards, when they were fetched, whether they came
//! from the gateway or the cache, whether they are stale, and whether the gateway was
//! unreachable so that cached data stands in (docs/design.md §4, §6).

use serde::{Deserialize, Serialize};

use crate::environment::Environment;
use crate::error::DeskError;
use crate::view::CardView;

/// How old a cached card list a lookup accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Freshness {
    /// Younger than the "fresh for" setting (a view reopened, a customer from the list).
    Fresh,
    /// A search the agent typed: also younger than the typed-search setting (a minute).
    Typed,
    /// Always the gateway (Refresh).
    Live,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Fetched from the gateway just now.
    Live,
    /// Read from the local cache.
    Cache,
}

#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Lookup {
    pub profile_id: String,
    pub profile_name: String,
    pub environment: Environment,
    pub customer: String,
    pub cards: Vec<CardView>,
    /// RFC 3339, UTC: when these cards were fetched from the gateway.
    pub fetched_at: String,
    pub source: Source,
    /// Older than the freshness setting.
    pub stale: bool,
    /// Set when the gateway could not be reached and cached data is shown instead.
    pub offline_reason: Option<String>,
}

/// One profile's answer in a lookup across all profiles.
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileLookup {
    pub profile_id: String,
    pub profile_name: String,
    pub environment: Environment,
    pub lookup: Option<Lookup>,
    pub error: Option<DeskError>,
}

/// What "Test connection" found out, in words an admin can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ok,
    BadCredentials,
    NoAccess,
    /// The server's TLS certificate is not trusted (possible interception).
    UntrustedCertificate,
    Unreachable,
    NoPassword,
    Failed,
}

#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionCheck {
    pub verdict: Verdict,
    /// In English: what the gateway answered, or why the check stopped.
    pub message: String,
    /// The same in Russian, for the window when its language is RU (as `DeskError.ru`: the
    /// window picks with `errorText()`). Every check "Test connection" makes has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ru: Option<String>,
}
