//! What "Check for updates" found and what became of an install, as the window shows them.
//! The check itself is the Tauri updater plugin's (the shell's `updates.rs`): signed update
//! manifests, nothing downloaded or installed without the user's consent (README, "Installers and releases").

use serde::Serialize;

/// The answer to a check: the newest version already, a newer one offered, or a quiet "could
/// not check" (no network, the server down): never an error dialog for what the user did not ask.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum UpdateCheck {
    /// This build is the newest the update server offers.
    Current { current: String },
    /// A newer version is offered. Nothing is downloaded until the user chooses Install.
    Available {
        current: String,
        version: String,
        /// The release notes the manifest carries, if any.
        #[ts(optional)]
        #[serde(skip_serializing_if = "Option::is_none")]
        notes: Option<String>,
        /// When the release was published (as the manifest says, RFC 3339), if it says.
        #[ts(optional)]
        #[serde(skip_serializing_if = "Option::is_none")]
        published: Option<String>,
    },
    /// The server could not be asked or gave no usable answer: `why`, and the technical
    /// `detail` (in English, for a bug report).
    CouldNotCheck {
        current: String,
        why: CheckFailure,
        detail: String,
    },
}

/// Why a check could not be made, for the window to say in its language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum CheckFailure {
    /// No connection to the update server (offline, DNS, refused).
    Unreachable,
    /// The server did not answer in time.
    TimedOut,
    /// The server answered, but with no release for this app or no package for this system.
    NoRelease,
    /// Anything else (a malformed manifest, a setup problem): see the detail.
    Other,
}

/// What became of an install the user agreed to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum UpdateInstall {
    /// Downloaded, its signature verified against the key built into the app, and installed:
    /// a restart runs the new version.
    Installed { version: String },
    /// The download's signature does not match the app's update key (a tampered or foreign
    /// package): nothing was installed. `detail` is the verifier's own words.
    Refused { version: String, detail: String },
    /// The download or the installer failed; the running version is unchanged.
    Failed { version: String, detail: String },
    /// No update was offered by a check in this session (check first).
    NothingOffered,
}
