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
        ..SandboxConfig::default()
    };
    let sandbox = match Sandbox::start(config).await {
        Ok(s) => s,
        Err(e) => {
            say_err!("addr: cannot listen on {}: {e}", args.addr);
            return Status::Transport;
        }
    };
    let mut out = std::io::stdout().lock();
    // The first line is a contract: scripts and tests read the address from it.
    let _ = writeln!(out, "listening on {}", sandbox.url());
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
