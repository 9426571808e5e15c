//! Why: a back office asked "which version is this, where does it keep its data, and what does
//! it ship under which licence" needs one place that says so: the About panel. The desk knows
//! its own directories; the shell adds its version, build and the licence list it embeds.

use serde::{Deserialize, Serialize};

/// One third-party component the app ships, with its licence (SPDX expression as declared).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ShippedComponent {
    pub name: String,
    pub version: String,
    pub license: String,
    /// `crate` (Rust) or `npm` (the window's code).
    pub kind: String,
}

/// What the About panel shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct About {
    pub version: String,
    /// The commit it was built from (short hash), or `unknown`.
    pub build: String,
    pub config_dir: String,
    pub data_dir: String,
    pub audit_log: String,
    pub components: Vec<ShippedComponent>,
}
