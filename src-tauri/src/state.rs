//! The one managed state of the app, built once in `setup`: the embedded sandbox that serves
//! the built-in demo profile, and the desk opened on it.

use assist::{BaseUrl, Password};
use assist_sandbox::{Sandbox, SandboxConfig};
use desk::{Desk, DeskError, Profile};
use tokio::sync::Mutex;

pub struct Shell {
    pub desk: Desk,
    pub sandbox_url: String,
    sandbox: Mutex<Option<Sandbox>>,
}

impl Shell {
    /// Starts the embedded sandbox on 127.0.0.1:0 and opens the demo profile on it.
    pub async fn start() -> Result<Shell, DeskError> {
        let sandbox = Sandbox::start(SandboxConfig::default())
            .await
            .map_err(|e| {
                DeskError::internal(format!("the built-in sandbox could not start: {e}"))
            })?;
        let sandbox_url = sandbox.url();
        let profile = Profile::sandbox(BaseUrl::new(&sandbox_url)?)?;
        // The sandbox's demo credentials are the gateway documentation's own example values.
        let desk = Desk::open(profile, Password::new("PASSWORD")?)?;
        Ok(Shell {
            desk,
            sandbox_url,
            sandbox: Mutex::new(Some(sandbox)),
        })
    }

    /// Stops the embedded sandbox gracefully when the app exits.
    pub async fn stop(&self) {
        if let Some(sandbox) = self.sandbox.lock().await.take() {
            sandbox.shutdown().await;
        }
    }
}
