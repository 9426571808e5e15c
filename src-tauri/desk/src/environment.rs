//! Which gateway a profile talks to: sandbox, test or production. A profile itself is
//! `profiles::ProfileRecord` (where the gateway is and who we are there); its password is not
//! part of it — it lives only in the OS keyring (docs/design.md §4).

use serde::{Deserialize, Serialize};

/// Which gateway a profile talks to; the UI colours its banner by it (production red).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    Sandbox,
    Test,
    Production,
}
