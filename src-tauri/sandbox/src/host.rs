//! The sandbox's own address as the client reached it, for the asset URLs in card lists.
//!
//! A client on `http://localhost:<port>` gets art URLs on `localhost`, one on
//! `http://127.0.0.1:<port>` gets them on `127.0.0.1`. So URLs are built from the request's
//! authority (HTTP/2) or `Host` header, and only if neither is usable from the bound address.
//! Other host names never get this far: `guard.rs` refuses them (DNS rebinding), so an art
//! URL always points at the sandbox itself.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use axum::http::header;
use axum::http::request::Parts;

use crate::state::SandboxState;

/// `http://host[:port]` for this request.
pub(crate) fn base_url(parts: &Parts, state: &SandboxState) -> String {
    let from_request = parts
        .uri
        .authority()
        .map(|a| a.as_str())
        .or_else(|| {
            parts
                .headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
        })
        .filter(|host| is_plain_host(host));
    match (from_request, state.bound()) {
        (Some(host), _) => format!("http://{host}"),
        (None, Some(addr)) => format!("http://{}", reachable(addr)),
        (None, None) => "http://127.0.0.1".to_owned(),
    }
}

/// The address a local client can reach a listener on: a wildcard bind becomes loopback.
pub(crate) fn reachable(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

/// `name[:port]` or `[v6]:port` only: no user info, paths or spaces can reach a URL.
fn is_plain_host(host: &str) -> bool {
    !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '[' | ']'))
}
