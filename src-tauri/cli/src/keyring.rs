//! Why: the audit log's MAC key and high-water mark live in the OS keyring under the app's own
//! service name, so a `carddesk` run must read and keep the same ones as the app beside it.
//! A keyring that fails its probe is reported, never replaced by memory: a key or mark kept
//! in memory would be gone when the command ends.

use std::sync::Arc;

use desk::secrets::{APP_SERVICE, SecretError, SecretStore, choose_store};

/// The OS keyring, or why it cannot be used (blocking: probes it once).
pub fn audit_keyring() -> Result<Arc<dyn SecretStore>, String> {
    let chosen = choose_store(APP_SERVICE);
    match chosen.fallback_reason {
        None => Ok(chosen.store),
        Some(SecretError::Unavailable { reason } | SecretError::Refused { reason }) => {
            Err(reason.to_owned())
        }
    }
}
