//! What the UI needs to draw its frame: where secrets live, the profiles (the built-in
//! sandbox first) with whether each has a password, the active one, settings and host presets.

use serde::Serialize;

use crate::environment::Environment;
use crate::error::DeskError;
use crate::notice::StartupNotice;
use crate::profiles::{HostPreset, ProfileRecord, Settings};
use crate::secrets::StoreKind;

/// Where passwords are kept; `reason` says why it is not the OS keyring when it is not.
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SecretStoreStatus {
    pub kind: StoreKind,
    pub reason: Option<String>,
}

/// A profile as the settings view shows it. Never a password: only whether one is set.
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    pub id: String,
    pub name: String,
    pub environment: Environment,
    pub base_url: String,
    pub merchant_id: String,
    pub login: String,
    pub language: String,
    pub colour: String,
    /// The built-in sandbox profile: not editable, always there.
    pub built_in: bool,
    pub has_password: bool,
    /// The keyring could not be asked (it stopped answering): whether a password is stored
    /// is unknown, and `has_password` is then `false` without meaning "no password".
    pub password_unknown: bool,
}

impl ProfileView {
    /// `has_password`: `Some(whether one is stored)`, or `None` when the keyring could not
    /// be asked.
    pub fn new(record: &ProfileRecord, built_in: bool, has_password: Option<bool>) -> ProfileView {
        ProfileView {
            id: record.id.clone(),
            name: record.name.clone(),
            environment: record.environment,
            base_url: record.base_url.to_string(),
            merchant_id: record.merchant_id.to_string(),
            login: record.login.to_string(),
            language: record.language.to_string(),
            colour: record.colour.clone(),
            built_in,
            has_password: has_password == Some(true),
            password_unknown: has_password.is_none(),
        }
    }
}

#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PresetView {
    pub base_url: &'static str,
    pub label: &'static str,
    pub environment: Environment,
}

impl From<&HostPreset> for PresetView {
    fn from(p: &HostPreset) -> Self {
        PresetView {
            base_url: p.base_url,
            label: p.label,
            environment: p.environment,
        }
    }
}

#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DeskStatus {
    pub version: String,
    pub secret_store: SecretStoreStatus,
    pub active_profile_id: String,
    pub profiles: Vec<ProfileView>,
    pub settings: Settings,
    pub presets: Vec<PresetView>,
    /// Set when the audit log cannot be used: revocations are refused until it is fixed, so
    /// the UI says so at start rather than at the first revoke.
    pub audit_problem: Option<DeskError>,
    /// Removals a previous session left open are being checked (in the background).
    pub recovering: bool,
    /// Start-up's check of the whole audit chain is still running (in the background): a
    /// broken chain joins `notices` when it ends, so the UI looks again until then.
    pub checking: bool,
    /// What start-up survived and the user should know (a damaged file set aside, a broken
    /// audit chain, a rebuilt cache); each is a banner until dismissed.
    pub notices: Vec<StartupNotice>,
}
