//! An IPS Assist One Click compatible gateway for tests, demos and the `carddesk sandbox`
//! command: `token.cfm` and `rem_token.cfm` with the quirks of docs/assist-api.md §11, seeded
//! demo customers with card art, a fault plan to make it misbehave on purpose, and a ledger
//! of removals as ground truth.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use assist_sandbox::{FaultPlan, Sandbox, SandboxConfig};
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! sandbox.faults().set(FaultPlan { rate_limit: 1, ..FaultPlan::default() });
//! // point a client at sandbox.url(): merchant 452739, login LOGIN, password PASSWORD
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! It does not depend on the `assist` client crate: the emulator follows the spec, not the
//! client's reading of it.

mod cards;
mod config;
mod control;
mod echo;
mod fault_plan;
mod gateway;
mod gateway_fault;
mod guard;
mod host;
mod injection;
mod language;
mod ledger;
mod media;
mod request;
mod seed;
mod server;
mod shape;
mod state;
mod throttle;
mod token;

use axum::Router;
use axum::routing::{get, post};

pub use config::SandboxConfig;
pub use echo::PasswordEcho;
pub use fault_plan::{FaultControl, FaultPlan, NoMediaForm};
pub use ledger::{Ledger, LedgerEntry};
pub use seed::{Seed, SeedError};
pub use server::Sandbox;
pub use state::SandboxState;

/// Gateway paths (docs/assist-api.md §4, §5).
pub const TOKEN_PATH: &str = "/pay/oneclick/v1/token.cfm";
pub const REM_TOKEN_PATH: &str = "/pay/oneclick/v1/rem_token.cfm";

/// All routes: the two gateway services, `/media/{name}` and the `/_sandbox/` control API,
/// refusing requests of web pages (a foreign `Host` or `Origin`) and control requests
/// without the state's [`SandboxState::control_token`].
///
/// To embed in another server. Served this way, the reset faults cannot abort the TCP
/// connection (that needs [`Sandbox`]'s own accept loop) and answer an empty 502 instead.
pub fn router(state: SandboxState) -> Router {
    Router::new()
        .route(TOKEN_PATH, post(gateway::token_cfm))
        .route(REM_TOKEN_PATH, post(gateway::rem_token_cfm))
        .route("/media/{name}", get(media::serve))
        .merge(control::routes(&state))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::same_origin_only,
        ))
        .with_state(state)
}
