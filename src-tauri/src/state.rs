//! The one managed state of the app, built once on a worker as the app starts (opening.rs): the
//! embedded sandbox that serves the built-in demo profile, and the desk opened on the app's
//! config and data dirs with the OS keyring (or, when there is none, a session-only store in
//! memory).

use std::path::PathBuf;
use std::sync::Arc;

use assist_sandbox::{Sandbox, SandboxConfig};
use desk::instance::InstanceLock;
use desk::secrets::{APP_SERVICE, choose_store};
use desk::{Desk, DeskConfig, DeskError};
use tokio::sync::Mutex;

/// The longest the audit chain check waits for the window's first painted view.
const CHAIN_CHECK_WAITS_AT_MOST: std::time::Duration = std::time::Duration::from_secs(3);

pub struct Shell {
    pub desk: Arc<Desk>,
    /// Told when the window first shows its view: the chain check waits for it.
    first_paint: Arc<tokio::sync::Notify>,
    sandbox: Mutex<Option<Sandbox>>,
    /// This process's hold on the data dir, for as long as the app runs.
    _instance: InstanceLock,
}

impl Shell {
    /// Starts the embedded sandbox on 127.0.0.1:0 and opens the desk. The sandbox's control
    /// token is random unless `CARDDESK_SANDBOX_TOKEN` gives one (the window tests do, to
    /// read its ledger); nothing in the app itself uses the control API.
    ///
    /// The data dir's lock comes first, before the keyring and the sandbox: a copy already
    /// running on it (from another session, which the single-instance plugin cannot see) is
    /// named at once instead of after a keyring check that may hang.
    pub async fn start(config_dir: PathBuf, data_dir: PathBuf) -> Result<Shell, DeskError> {
        let instance = InstanceLock::take(&data_dir)?;
        crate::startup_probe::mark("lock");
        let control_token = std::env::var("CARDDESK_SANDBOX_TOKEN")
            .ok()
            .filter(|t| !t.is_empty());
        let sandbox = Sandbox::start(SandboxConfig {
            control_token,
            ..SandboxConfig::default()
        })
        .await
        .map_err(|e| DeskError::internal(format!("the built-in sandbox could not start: {e}")))?;
        let sandbox_url = sandbox.url();
        crate::startup_probe::mark("sandbox");
        let desk = tokio::task::spawn_blocking(move || {
            let secrets = choose_store(APP_SERVICE);
            crate::startup_probe::mark("keyring");
            // The audit chain's full check waits until after the window is up (below).
            let desk = Desk::open_unchecked(DeskConfig {
                config_dir,
                data_dir,
                sandbox_url: Some(sandbox_url),
                secrets,
            });
            crate::startup_probe::mark("desk");
            desk
        })
        .await
        .map_err(|e| DeskError::internal(format!("start-up failed: {e}")))??;
        let desk = Arc::new(desk);
        // The check of the whole audit chain is a pass over every entry (seconds for a long
        // log): in the background, so the window never waits on it, and only once the window
        // has shown its first view (or after 3 s), so that on two cores it does not slow the
        // page's own start (docs/benchmarks.md, "Start-up"). A break found becomes a notice,
        // which the window picks up as the status says `checking` until then.
        let first_paint = Arc::new(tokio::sync::Notify::new());
        let checker = desk.clone();
        let painted = first_paint.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = painted.notified() => {}
                () = tokio::time::sleep(CHAIN_CHECK_WAITS_AT_MOST) => {}
            }
            // A revoke interrupted by a crash is settled by re-reading the card list — in the
            // background: the window never waits on the gateway. Intents whose removal is
            // still in flight elsewhere, or cannot be settled yet, stay open and show in the
            // audit view. It reads the log's open intents, so it too waits for the first view.
            checker.recover_in_background();
            let _ = tokio::task::spawn_blocking(move || checker.check_audit_chain()).await;
        });
        // The ticket write-back delivers what waits in its outbox (nothing when it is off). A
        // failure to start is shown in Settings, where the webhook is set up.
        if let Err(e) = desk.start_write_back().await {
            eprintln!(
                "card-desk: the webhook delivery did not start: {}",
                e.message
            );
        }
        // Team mode ships the audit log to the team's trail (nothing when it is off). A failure
        // to start is shown in Settings → Team.
        if let Err(e) = desk.start_team().await {
            eprintln!("card-desk: team shipping did not start: {}", e.message);
        }
        crate::startup_probe::mark("shell");
        Ok(Shell {
            desk,
            first_paint,
            sandbox: Mutex::new(Some(sandbox)),
            _instance: instance,
        })
    }

    /// The window has shown its first view: start-up work that waited for it goes ahead.
    /// Runs `f` on the desk on a blocking thread. A command without `async` runs on the
    /// window's main thread, where a slow one (the first recent list of a large profile loads
    /// its index from the cache) holds back every other answer the page waits for.
    pub async fn off_main<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Desk) -> Result<T, DeskError> + Send + 'static,
    ) -> Result<T, DeskError> {
        let desk = Arc::clone(&self.desk);
        tauri::async_runtime::spawn_blocking(move || f(&desk))
            .await
            .map_err(|e| DeskError::internal(format!("a background task failed: {e}")))?
    }

    pub fn first_painted(&self) {
        self.first_paint.notify_one();
        crate::startup_probe::painted();
    }

    /// Stops the embedded sandbox gracefully when the app exits.
    pub async fn stop(&self) {
        if let Some(sandbox) = self.sandbox.lock().await.take() {
            sandbox.shutdown().await;
        }
    }
}
