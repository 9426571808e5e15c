//! The broken answers the fault plan asks for, in one place: connection resets, HTML error
//! pages from a proxy in front of the gateway, and JSON that is malformed or cut short
//! (docs/assist-api.md §12.2: a client must treat those as transport errors).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::server::ConnectionKill;

/// Drops the TCP connection without a response.
///
/// Under [`crate::Sandbox`] the connection task aborts the socket with an RST as soon as it is
/// told, and this future is dropped with the connection. A bare [`crate::router`] served by
/// something else has no hook to do that; then the closest it can get is an empty 502 with
/// `Connection: close`.
pub(crate) async fn reset(kill: Option<ConnectionKill>) -> Response {
    if let Some(kill) = kill {
        kill.fire();
        // Only reached where the request outlives its connection (an HTTP/2 stream task);
        // it ends on its own, and the answer below goes nowhere.
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    (StatusCode::BAD_GATEWAY, [(header::CONNECTION, "close")], "").into_response()
}

/// An nginx-style HTML error page; 503 while `left` (the count before this one) is even,
/// 502 when it is odd, so a single injected page is a 502.
pub(crate) fn html_error_page(left: u32) -> Response {
    let (status, title) = if left.is_multiple_of(2) {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "503 Service Temporarily Unavailable",
        )
    } else {
        (StatusCode::BAD_GATEWAY, "502 Bad Gateway")
    };
    let page = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n\
         <hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    );
    (status, [(header::CONTENT_TYPE, "text/html")], page).into_response()
}

/// JSON that no strict parser accepts: quotes turned into apostrophes (ColdFusion-era
/// serialisers did emit that); a body without quotes (`[]`) gets a bare word instead.
pub(crate) fn malformed(json: &str) -> String {
    if json.contains('"') {
        json.replace('"', "'")
    } else {
        format!("[{}undefined]", json.trim_matches(['[', ']']))
    }
}

/// The first half of the body, cut on a character boundary.
pub(crate) fn truncated(json: &str) -> String {
    let mut cut = json.len() / 2;
    while !json.is_char_boundary(cut) {
        cut -= 1;
    }
    json[..cut].to_owned()
}

/// A uniform number in `[0, 1)` for `error_rate`. Randomness comes from std's per-process
/// random hash keys; statistical quality is ample for fault sampling.
pub(crate) fn chance() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(0x5eed);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_bodies_do_not_parse() {
        for body in [r#"[{"a":1}]"#, "[]", r#"{"message":"Token X is removed"}"#] {
            assert!(serde_json::from_str::<serde_json::Value>(&malformed(body)).is_err());
            assert!(serde_json::from_str::<serde_json::Value>(&truncated(body)).is_err());
        }
    }

    #[test]
    fn chance_is_in_range_and_varies() {
        let draws: Vec<f64> = (0..64).map(|_| chance()).collect();
        assert!(draws.iter().all(|x| (0.0..1.0).contains(x)));
        assert!(draws.windows(2).any(|w| w[0] != w[1]));
    }
}
