//! Updates through the Tauri updater plugin: the app asks its update server (the release
//! manifest in tauri.conf.json) whether a newer version exists, on start and from Settings, and
//! downloads and installs one only when the user chooses Install. The package's signature is
//! checked against the public key built into the app before anything is installed, so a
//! tampered or foreign package is refused (README, "Installers and releases").

use std::sync::Mutex;
use std::time::Duration;

use desk::{CheckFailure, UpdateCheck, UpdateInstall};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};

/// In debug builds only, the real-window tests point the updater at a manifest served on
/// loopback (`CARDDESK_E2E_UPDATE_ENDPOINT`) signed with a test key
/// (`CARDDESK_E2E_UPDATE_PUBKEY`). Release builds always use the configured server and key.
const E2E_ENDPOINT: &str = "CARDDESK_E2E_UPDATE_ENDPOINT";
const E2E_PUBKEY: &str = "CARDDESK_E2E_UPDATE_PUBKEY";

/// How long a check may take before it says "could not check": the window never waits on it.
const CHECK_TIMEOUT: Duration = Duration::from_secs(20);

/// The update a check in this session offered, kept for Install.
#[derive(Default)]
pub struct Offered(Mutex<Option<Update>>);

fn e2e(name: &str) -> Option<String> {
    if cfg!(debug_assertions) {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    } else {
        None
    }
}

/// The plugin, with the test key in a debug build that is given one.
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R, tauri_plugin_updater::Config> {
    let builder = tauri_plugin_updater::Builder::new();
    match e2e(E2E_PUBKEY) {
        Some(key) => builder.pubkey(key).build(),
        None => builder.build(),
    }
}

/// Asks the update server. Every failure is a quiet "could not check" with its reason.
pub async fn check<R: Runtime>(app: &AppHandle<R>) -> UpdateCheck {
    let current = app.package_info().version.to_string();
    let could_not = |why: CheckFailure, detail: String| UpdateCheck::CouldNotCheck {
        current: current.clone(),
        why,
        detail,
    };
    let mut builder = app.updater_builder().timeout(CHECK_TIMEOUT);
    if let Some(url) = e2e(E2E_ENDPOINT) {
        let endpoint = match url.parse() {
            Ok(u) => u,
            Err(e) => {
                return could_not(
                    CheckFailure::Other,
                    format!("the update address is not a URL: {e}"),
                );
            }
        };
        builder = match builder.endpoints(vec![endpoint]) {
            Ok(b) => b,
            Err(e) => return could_not(CheckFailure::Other, e.to_string()),
        };
    }
    let updater = match builder.build() {
        Ok(u) => u,
        Err(e) => return could_not(CheckFailure::Other, e.to_string()),
    };
    match updater.check().await {
        Ok(Some(update)) => {
            let offered = UpdateCheck::Available {
                current: current.clone(),
                version: update.version.clone(),
                notes: update.body.clone().filter(|b| !b.trim().is_empty()),
                published: update.date.and_then(|d| {
                    d.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                }),
            };
            if let Ok(mut slot) = app.state::<Offered>().0.lock() {
                *slot = Some(update);
            }
            offered
        }
        Ok(None) => UpdateCheck::Current { current },
        Err(e) => could_not(check_failure(&e), e.to_string()),
    }
}

/// Downloads the offered update, verifies its signature and installs it.
pub async fn install<R: Runtime>(app: &AppHandle<R>) -> UpdateInstall {
    let offered = app
        .state::<Offered>()
        .0
        .lock()
        .ok()
        .and_then(|slot| slot.clone());
    let Some(update) = offered else {
        return UpdateInstall::NothingOffered;
    };
    let version = update.version.clone();
    let bytes = match update.download(|_, _| {}, || {}).await {
        Ok(b) => b,
        Err(e) if is_signature_failure(&e) => {
            return UpdateInstall::Refused {
                version,
                detail: e.to_string(),
            };
        }
        Err(e) => {
            return UpdateInstall::Failed {
                version,
                detail: format!("the download failed: {e}"),
            };
        }
    };
    match update.install(bytes) {
        Ok(()) => UpdateInstall::Installed { version },
        Err(e) if is_signature_failure(&e) => UpdateInstall::Refused {
            version,
            detail: e.to_string(),
        },
        Err(e) => UpdateInstall::Failed {
            version,
            detail: format!("the installer failed: {e}"),
        },
    }
}

fn is_signature_failure(e: &tauri_plugin_updater::Error) -> bool {
    use tauri_plugin_updater::Error;
    matches!(
        e,
        Error::Minisign(_) | Error::Base64(_) | Error::SignatureUtf8(_)
    )
}

/// Why a check failed, for the window to say in its language.
fn check_failure(e: &tauri_plugin_updater::Error) -> CheckFailure {
    use tauri_plugin_updater::Error;
    match e {
        Error::Reqwest(r) if r.is_timeout() => CheckFailure::TimedOut,
        Error::Reqwest(_) | Error::Network(_) => CheckFailure::Unreachable,
        Error::ReleaseNotFound | Error::TargetNotFound(_) | Error::TargetsNotFound(_) => {
            CheckFailure::NoRelease
        }
        _ => CheckFailure::Other,
    }
}
