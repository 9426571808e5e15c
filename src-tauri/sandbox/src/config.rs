//! How to start a sandbox: where to listen, which demo data, which faults from the start,
//! which control token.

use std::net::{Ipv4Addr, SocketAddr};

use crate::fault_plan::FaultPlan;
use crate::seed::Seed;

/// Start-up settings for [`crate::Sandbox::start`].
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// Listening address; the default `127.0.0.1:0` picks a free loopback port.
    pub addr: SocketAddr,
    /// Demo data; the default is [`Seed::builtin`].
    pub seed: Seed,
    /// Fault plan in force from the first request; the default injects nothing.
    pub faults: FaultPlan,
    /// The bearer token the `/_sandbox/` control API asks for (16 to 256 visible ASCII
    /// characters); the default `None` draws a random one per start, see
    /// [`crate::Sandbox::control_token`].
    pub control_token: Option<String>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            seed: Seed::builtin(),
            faults: FaultPlan::default(),
            control_token: None,
        }
    }
}
