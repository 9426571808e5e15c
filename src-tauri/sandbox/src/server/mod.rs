//! A running sandbox: bind, serve in the background, expose the handles tests and the app
//! need (address, faults, ledger, counters), and shut down gracefully.

mod connection;

use std::future::Future;
use std::io;
use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub(crate) use connection::ConnectionKill;

use crate::config::SandboxConfig;
use crate::fault_plan::FaultControl;
use crate::host::reachable;
use crate::ledger::Ledger;
use crate::state::SandboxState;

/// A sandbox serving on its own port. Dropping it stops it too (without waiting); call
/// [`Sandbox::shutdown`] to wait until in-flight requests are done.
#[derive(Debug)]
pub struct Sandbox {
    addr: SocketAddr,
    state: SandboxState,
    control_token: String,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Sandbox {
    /// Binds `cfg.addr` and starts serving on the current Tokio runtime. A configured control
    /// token that is too short, too long or not visible ASCII is `InvalidInput`.
    pub async fn start(cfg: SandboxConfig) -> io::Result<Sandbox> {
        let control_token = match cfg.control_token {
            Some(token) => crate::token::checked(token)?,
            None => crate::token::random()?,
        };
        let listener = TcpListener::bind(cfg.addr).await?;
        let addr = listener.local_addr()?;
        let state =
            SandboxState::with_control_token(cfg.seed, cfg.faults, Some(control_token.clone()));
        state.set_bound(addr);
        let (stop, stopped) = watch::channel(false);
        let router = crate::router(state.clone());
        let task = tokio::spawn(connection::accept_loop(listener, router, stopped));
        Ok(Sandbox {
            addr,
            state,
            control_token,
            stop,
            task,
        })
    }

    /// Runs a sandbox until `shutdown` completes, then shuts it down gracefully. To learn
    /// the port of a `:0` bind first, use [`Sandbox::start`], [`Sandbox::url`] and
    /// [`Sandbox::shutdown`] instead.
    pub async fn serve_until(
        cfg: SandboxConfig,
        shutdown: impl Future<Output = ()>,
    ) -> io::Result<()> {
        let sandbox = Sandbox::start(cfg).await?;
        shutdown.await;
        sandbox.shutdown().await;
        Ok(())
    }

    /// The bound address (with the real port when `0` was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Base URL for a client, e.g. `http://127.0.0.1:41234` (a wildcard bind shows as loopback).
    pub fn url(&self) -> String {
        format!("http://{}", reachable(self.addr))
    }

    /// The token `/_sandbox/*` (all but `health`) asks for, as `Authorization: Bearer <token>`.
    pub fn control_token(&self) -> &str {
        &self.control_token
    }

    /// The live fault plan.
    pub fn faults(&self) -> FaultControl {
        self.state.faults()
    }

    /// The removal ledger.
    pub fn ledger(&self) -> Ledger {
        self.state.ledger()
    }

    /// Gateway requests (`token.cfm` + `rem_token.cfm`) received, whatever their outcome.
    pub fn requests_seen(&self) -> u64 {
        self.state.requests_seen()
    }

    /// Gateway requests refused with 17/3 by the plan's rate limit or random refusals.
    pub fn requests_refused(&self) -> u64 {
        self.state.requests_refused()
    }

    /// Back to the seed: removed cards return; ledger, faults and counter are cleared.
    pub fn reset(&self) {
        self.state.reset();
    }

    /// The shared state, e.g. to mount [`crate::router`] elsewhere against the same data.
    pub fn state(&self) -> SandboxState {
        self.state.clone()
    }

    /// Stops accepting, lets in-flight requests finish (up to 5 s), closes every connection.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}
