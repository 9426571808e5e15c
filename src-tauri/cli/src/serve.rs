//! `carddesk sandbox`: the Assist-compatible server in the foreground until Ctrl+C/SIGTERM.

use std::io::Write;

use assist_sandbox::{Sandbox, SandboxConfig, Seed};

use crate::args::SandboxArgs;
use crate::exit::Status;

pub async fn run(args: SandboxArgs) -> Status {
    let seed = match &args.seed {
        Some(path) => match Seed::from_path(path) {
            Ok(seed) => seed,
            Err(e) => {
                say_err!("seed: {}: {e}", path.display());
                return Status::Invalid;
            }
        },
        None => Seed::builtin(),
    };
    let config = SandboxConfig {
        addr: args.addr,
        seed,
        // An empty CARDDESK_SANDBOX_TOKEN means "not set": a random token.
        control_token: args.control_token.filter(|t| !t.is_empty()),
        ..SandboxConfig::default()
    };
    let sandbox = match Sandbox::start(config).await {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
            say_err!("{e}");
            return Status::Invalid;
        }
        Err(e) => {
            say_err!("addr: cannot listen on {}: {e}", args.addr);
            return Status::Transport;
        }
    };
    let mut out = std::io::stdout().lock();
    // The first two lines are a contract: scripts and tests read the address from the first
    // and the control API's token from the second.
    let _ = writeln!(out, "listening on {}", sandbox.url());
    let _ = writeln!(out, "control token: {}", sandbox.control_token());
    let _ = out.flush();
    drop(out);
    shutdown_signal().await;
    sandbox.shutdown().await;
    Status::Ok
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
