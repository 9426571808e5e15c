//! Keeps web pages out: the sandbox listens on loopback, and a page in the agent's browser
//! can reach loopback. Two ways in are closed here, on every route (gateway, media, control):
//!
//! * DNS rebinding: a page on `http://evil.example:PORT` whose name is re-pointed at
//!   127.0.0.1 talks to the sandbox as its own origin. The browser still sends
//!   `Host: evil.example:PORT`, so a `Host` (or HTTP/2 `:authority`, or an absolute request
//!   target) that does not name the bound address is refused with 421.
//! * Cross-origin "simple" requests: a `text/plain` POST from any page needs no CORS
//!   preflight, and the gateway parses any body. Browsers put `Origin` on every such
//!   request, so a request whose `Origin` is not the sandbox's own is refused with 403.
//!
//! Names that count as the bound address: the bound IP as written (`127.0.0.1`, `[::1]`)
//! and `localhost` when bound to loopback, each with the bound port (no port means 80). On a
//! wildcard bind (`0.0.0.0`, `[::]`) any IP literal with the port, plus `localhost`: an IP
//! literal cannot be rebound. Clients that send no `Origin` (the app, the CLI, reqwest, curl)
//! are not affected. Refused requests are not counted and never reach a handler.

use std::net::{IpAddr, SocketAddr};

use axum::Json;
use axum::extract::{Request, State};
use axum::http::uri::Authority;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::state::SandboxState;

/// Middleware for the whole router: refuses foreign hosts and foreign origins.
pub(crate) async fn same_origin_only(
    State(state): State<SandboxState>,
    request: Request,
    next: Next,
) -> Response {
    let bound = state.bound();
    if !host_is_own(request.uri(), request.headers(), bound) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "this sandbox answers only to its own address",
        );
    }
    if !origin_is_own(request.headers(), bound) {
        return refuse(
            StatusCode::FORBIDDEN,
            "requests from web pages of other origins are refused",
        );
    }
    next.run(request).await
}

fn refuse(status: StatusCode, why: &str) -> Response {
    (status, Json(json!({ "error": why }))).into_response()
}

/// Every authority the request names (URI authority, `Host` headers) is the sandbox's own,
/// and there is at least one.
fn host_is_own(uri: &Uri, headers: &HeaderMap, bound: Option<SocketAddr>) -> bool {
    let from_uri = uri.authority().map(|a| a.as_str().to_owned());
    let from_headers = headers
        .get_all(header::HOST)
        .iter()
        .map(|v| v.to_str().map(str::to_owned).unwrap_or_default());
    let mut named = from_uri.into_iter().chain(from_headers).peekable();
    named.peek().is_some() && named.all(|a| is_own_authority(&a, bound))
}

/// No `Origin` header, or every one is `http://` plus the sandbox's own authority.
fn origin_is_own(headers: &HeaderMap, bound: Option<SocketAddr>) -> bool {
    headers.get_all(header::ORIGIN).iter().all(|v| {
        v.to_str()
            .ok()
            .and_then(|o| o.strip_prefix("http://"))
            .is_some_and(|a| !a.contains('/') && is_own_authority(a, bound))
    })
}

/// Whether `host[:port]` names the bound address (see the module note). Without a bound
/// address (the router mounted in another server) any loopback name or IP, any port.
pub(crate) fn is_own_authority(authority: &str, bound: Option<SocketAddr>) -> bool {
    if authority.contains('@') {
        return false;
    }
    let Ok(authority) = authority.parse::<Authority>() else {
        return false;
    };
    let host = authority.host();
    let localhost = host.eq_ignore_ascii_case("localhost");
    let ip = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
        .parse::<IpAddr>()
        .ok();
    let Some(bound) = bound else {
        return localhost || ip.is_some_and(|ip| ip.is_loopback());
    };
    if authority.port_u16().unwrap_or(80) != bound.port() {
        return false;
    }
    let bound_ip = bound.ip();
    match ip {
        Some(ip) => bound_ip.is_unspecified() || ip == bound_ip,
        None => localhost && (bound_ip.is_loopback() || bound_ip.is_unspecified()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bound(s: &str) -> Option<SocketAddr> {
        s.parse().ok()
    }

    #[test]
    fn loopback_bind_answers_to_its_ip_and_localhost_on_its_port() {
        let b = bound("127.0.0.1:8080");
        for ok in ["127.0.0.1:8080", "localhost:8080", "LocalHost:8080"] {
            assert!(is_own_authority(ok, b), "{ok}");
        }
        for no in [
            "evil.example:8080",
            "127.0.0.1:8081",
            "127.0.0.1",
            "[::1]:8080",
            "localhost.:8080",
            "127.0.0.2:8080",
            "u@127.0.0.1:8080",
            "127.1:8080",
            "",
        ] {
            assert!(!is_own_authority(no, b), "{no}");
        }
    }

    #[test]
    fn v6_wildcard_and_port_80_binds() {
        assert!(is_own_authority("[::1]:9000", bound("[::1]:9000")));
        assert!(!is_own_authority("127.0.0.1:9000", bound("[::1]:9000")));
        let any = bound("0.0.0.0:9000");
        assert!(is_own_authority("192.168.1.5:9000", any));
        assert!(is_own_authority("localhost:9000", any));
        assert!(!is_own_authority("evil.example:9000", any));
        assert!(is_own_authority("127.0.0.1", bound("127.0.0.1:80")));
        assert!(!is_own_authority(
            "192.168.1.5:9000",
            bound("192.168.1.5:9001")
        ));
        assert!(!is_own_authority(
            "localhost:9000",
            bound("192.168.1.5:9000")
        ));
    }

    #[test]
    fn unbound_router_answers_to_loopback_names_only() {
        assert!(is_own_authority("localhost:1", None));
        assert!(is_own_authority("[::1]:2", None));
        assert!(!is_own_authority("evil.example:1", None));
        assert!(!is_own_authority("10.0.0.1:1", None));
    }
}
