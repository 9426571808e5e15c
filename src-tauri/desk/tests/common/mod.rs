//! The desk tests' shared fixture: a desk on a temporary directory (`config/`, `data/`) beside
//! a sandbox on loopback, secrets in memory — what several test files used to build by hand.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;
use std::sync::Arc;

use assist_sandbox::{Sandbox, SandboxConfig};
use desk::secrets::{ChosenStore, MemoryStore};
use desk::{Desk, DeskConfig};

/// Where a desk under `root` keeps its files (`config/`, `data/`), its built-in profile
/// `sandbox`'s and its secrets in `store`: for a test that opens the desk its own way
/// ([`Desk::open_unchecked`], or again until a previous handle is gone).
pub fn config_at(root: &Path, sandbox: &Sandbox, store: Arc<MemoryStore>) -> DeskConfig {
    DeskConfig {
        config_dir: root.join("config"),
        data_dir: root.join("data"),
        sandbox_url: Some(sandbox.url()),
        secrets: ChosenStore {
            store,
            fallback_reason: None,
        },
    }
}

/// A desk whose files live under `root` and whose built-in profile is `sandbox`'s.
pub fn desk_at(root: &Path, sandbox: &Sandbox, store: Arc<MemoryStore>) -> Desk {
    Desk::open(config_at(root, sandbox, store)).unwrap()
}

/// A fresh sandbox, a fresh temporary directory and a desk on both.
pub async fn sandbox_and_desk() -> (Sandbox, Desk, tempfile::TempDir) {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), &sandbox, Arc::new(MemoryStore::new()));
    (sandbox, desk, dir)
}
