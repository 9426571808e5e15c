//! Why: one POST to the gateway, reduced to "status and body" or a [`Error::Transport`]
//! whose text is built by us — never reqwest's own `Display`, which quotes the URL, and never
//! the request body, which holds the password.

use std::error::Error as _;

use reqwest::header::{ACCEPT, CONTENT_TYPE};
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

/// Sends `body` as JSON (assist-api.md §3) and reads the whole reply.
pub(crate) async fn post_json(
    http: &reqwest::Client,
    url: &Url,
    body: Vec<u8>,
) -> Result<(u16, Vec<u8>), PostError> {
    let mut response = http
        .post(url.clone())
        .header(CONTENT_TYPE, "application/json; charset=utf-8")
        .header(ACCEPT, "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| PostError {
            maybe_sent: !e.is_connect(),
            error: transport(None, &e),
        })?;
    let status = response.status().as_u16();
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
            Ok(None) => return Ok((status, bytes)),
            Err(e) => return Err(transport(Some(status), &e).into()),
        }
    }
}

/// "timed out", "could not connect: Connection refused (os error 111)", …
fn transport(status: Option<u16>, error: &reqwest::Error) -> Error {
    let kind = if error.is_connect() {
        // Before `is_timeout`: a connect timeout is both, and nothing was sent.
        "could not connect"
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
