//! Why: some faults at start-up are survivable but must not pass in silence — a damaged
//! profiles file set aside, an audit log whose chain is broken in the middle, a cache that had
//! to be rebuilt. The desk keeps going and collects a [`StartupNotice`] for each; the UI shows
//! them as banners (in English or Russian, by `kind`, with `params` filled in), so the user
//! learns what happened and what to do without the app refusing to start.

use std::collections::BTreeMap;

use serde::Serialize;

/// What happened at start-up. The UI has a title and a text for each kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// The profiles file could not be read as profiles: it was kept as `saved` and the app
    /// started with the built-in sandbox only (passwords are still in the keyring).
    ProfilesSetAside,
    /// The audit log's chain is broken at `line` (`problem`); revocations still work, but the
    /// log needs attention (`carddesk audit verify`).
    AuditChainBroken,
    /// The cache was written under a key the keyring no longer holds: it was emptied.
    CacheKeyChanged,
    /// The cache database was damaged (cut short) and was rebuilt empty.
    CacheDamaged,
    /// `n` bulk jobs stopped before their end (closed app, crash, cancel): `names` lists
    /// their files; Bulk jobs offers Resume (or the command, for a command-line job).
    JobsInterrupted,
}

/// One start-up notice: its kind and the values its text names (file paths, line numbers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct StartupNotice {
    pub kind: NoticeKind,
    pub params: BTreeMap<String, String>,
}

impl StartupNotice {
    pub fn new(kind: NoticeKind) -> StartupNotice {
        StartupNotice {
            kind,
            params: BTreeMap::new(),
        }
    }

    /// Adds a parameter the text names as `{name}`.
    pub fn with(mut self, name: &str, value: impl ToString) -> StartupNotice {
        self.params.insert(name.to_owned(), value.to_string());
        self
    }
}
