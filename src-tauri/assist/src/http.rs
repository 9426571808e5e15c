//! Why: one POST to the gateway, reduced to "status and body" or a [`Error::Transport`]
//! whose text is built by us — never reqwest's own `Display`, which quotes the URL, and never
//! the request body, which holds the password.

use std::error::Error as _;

use std::time::{Duration, SystemTime};

use reqwest::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use url::Url;

use crate::error::Error;

/// Replies larger than this are refused: a 200-card list with media is about 250 KiB.
const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// A request that got no usable reply, and whether any of it may have reached the gateway.
#[derive(Debug)]
pub(crate) struct PostError {
    pub error: Error,
    /// `false` only when no connection was ever made: the request never left the machine,
    /// so the gateway cannot have acted on it. Anything later (a timeout, a reset, a garbled
    /// body) may follow a request the gateway received and carried out.
    pub maybe_sent: bool,
}

impl From<Error> for PostError {
    fn from(error: Error) -> Self {
        PostError {
            error,
            maybe_sent: true,
        }
    }
}

/// A whole reply: its status, its body and, when it asked to be left alone for a while (a 429
/// or 503), how long (`Retry-After`, in seconds or as an HTTP date).
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub retry_after: Option<Duration>,
}

/// Sends `body` as JSON (docs/assist-api.md §3) and reads the whole reply.
pub(crate) async fn post_json(
    http: &reqwest::Client,
    url: &Url,
    body: Vec<u8>,
) -> Result<Reply, PostError> {
    let mut response = http
        .post(url.clone())
        .header(CONTENT_TYPE, "application/json; charset=utf-8")
        .header(ACCEPT, "application/json")
        .body(owned_body(zeroize::Zeroizing::new(body)))
        .send()
        .await
        .map_err(|e| PostError {
            maybe_sent: !e.is_connect(),
            error: transport(None, &e),
        })?;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(retry_after);
    let mut bytes = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(Error::Transport {
                        status: Some(status),
                        detail: format!("response body larger than {MAX_BODY_BYTES} bytes"),
                    }
                    .into());
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => {
                return Ok(Reply {
                    status,
                    body: bytes,
                    retry_after,
                });
            }
            Err(e) => return Err(transport(Some(status), &e).into()),
        }
    }
}

/// A request body that the HTTP stack releases (and so drops) once it has been sent. The body
/// holds the merchant password: passed as a `Zeroizing` buffer, it is wiped then instead of
/// lingering in freed memory (and in a core dump). Copies the TLS layer or the kernel make are
/// out of our hands.
fn owned_body<O: AsRef<[u8]> + Send + 'static>(owner: O) -> reqwest::Body {
    reqwest::Body::from(bytes::Bytes::from_owner(owner))
}

/// How a transport detail begins when no connection could be made at all.
pub(crate) const COULD_NOT_CONNECT: &str = "could not connect";

/// How a transport detail begins when the server's TLS certificate was refused.
pub(crate) const UNTRUSTED_CERTIFICATE: &str = "the server's certificate is not trusted (possible interception) — do not proceed on \
     production";

/// Whether the TLS layer refused the server's certificate somewhere in `error`'s chain (the
/// handshake failed: nothing was sent). rustls's error sits inside an `io::Error`, whose
/// `source` skips it, so each I/O error is opened as well.
fn refused_certificate(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(e) = next {
        // The I/O errors around it, opened one by one (TLS and HTTP layers each wrap).
        let mut inner: &(dyn std::error::Error + 'static) = e;
        while let Some(wrapped) = inner
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            inner = wrapped;
        }
        if matches!(
            inner.downcast_ref::<rustls::Error>(),
            Some(rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented)
        ) {
            return true;
        }
        next = e.source();
    }
    false
}

/// `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3); a date in the past is
/// no wait, anything else unreadable is ignored.
fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// "timed out", "could not connect: Connection refused (os error 111)", …
fn transport(status: Option<u16>, error: &reqwest::Error) -> Error {
    let kind = if refused_certificate(error) {
        // Before `is_connect`: the connection was made, but to a server we cannot trust.
        UNTRUSTED_CERTIFICATE
    } else if error.is_connect() {
        // Before `is_timeout`: a connect timeout is both, and nothing was sent.
        COULD_NOT_CONNECT
    } else if error.is_timeout() {
        "timed out"
    } else if error.is_body() || error.is_decode() {
        "connection failed while reading the response"
    } else if error.is_request() {
        "connection failed while sending the request or awaiting the response"
    } else {
        "HTTP failure"
    };
    let mut root: Option<&(dyn std::error::Error + 'static)> = error.source();
    while let Some(next) = root.and_then(|e| e.source()) {
        root = Some(next);
    }
    let detail = match root.map(ToString::to_string) {
        Some(cause) if !cause.is_empty() && cause != kind => format!("{kind}: {cause}"),
        _ => kind.to_owned(),
    };
    Error::Transport { status, detail }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO),
            "a date in the past"
        );
        let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let wait = retry_after(&soon).unwrap();
        assert!(wait > Duration::from_secs(25) && wait <= Duration::from_secs(30));
        assert_eq!(retry_after("soon"), None);
    }
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A body owner that says when it is dropped.
    struct Watched(Vec<u8>, Arc<AtomicBool>);

    impl AsRef<[u8]> for Watched {
        fn as_ref(&self) -> &[u8] {
            &self.0
        }
    }

    impl Drop for Watched {
        fn drop(&mut self) {
            self.1.store(true, Ordering::SeqCst);
        }
    }

    #[tokio::test]
    async fn the_request_bodys_owner_is_dropped_once_the_request_is_sent() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut seen = Vec::new();
            let mut buf = [0u8; 1024];
            while !seen.ends_with(b"secret-body") {
                let n = socket.read(&mut buf).await.unwrap();
                assert!(n > 0, "the body never arrived");
                seen.extend_from_slice(&buf[..n]);
            }
            socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n[]")
                .await
                .unwrap();
            // Keep the connection open: the client still holds its side.
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        });
        let dropped = Arc::new(AtomicBool::new(false));
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let response = http
            .post(format!("http://{addr}/"))
            .body(owned_body(Watched(
                b"secret-body".to_vec(),
                dropped.clone(),
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(response.bytes().await.unwrap().as_ref(), b"[]");
        assert!(
            dropped.load(Ordering::SeqCst),
            "the body's buffer is released (so a Zeroizing one is wiped) once sent"
        );
        server.await.unwrap();
    }
}
