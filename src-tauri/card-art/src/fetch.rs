//! Why: docs/design.md §5 — "card art is fetched by the Rust side only (https, size cap, time
//! limit, type sniffed from the bytes, no private or loopback addresses except the sandbox)". The
//! URL is whatever the gateway put in `assetData[].url` (docs/assist-api.md §4.2), so
//! [`ArtFetcher`] treats it as untrusted: every hop is checked before it is requested
//! ([`crate::target`]), every address is checked as it is dialled ([`crate::resolver`]), redirects
//! are followed by hand, the body is capped while it streams, and the whole fetch runs under one
//! deadline.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, LOCATION};
use url::Url;

use crate::error::{ArtError, RedirectProblem};
use crate::policy::ArtPolicy;
use crate::resolver::{GuardedResolver, is_blocked_address};
use crate::sniff::{ArtKind, sniff};
use crate::target;

/// Redirects followed before giving up with [`RedirectProblem::TooMany`].
pub const MAX_REDIRECTS: usize = 3;

/// Card-art fetches in flight at once across every clone of one [`ArtFetcher`]; more wait
/// (within their own deadline). With each body capped at [`ArtPolicy::max_bytes`], this also
/// bounds the art bytes held at once: 6 × 2 MiB by default, however many cards a gateway lists
/// or however many customers are opened.
pub const MAX_FETCHES: usize = 6;

const ACCEPT_ART: &str =
    "image/png, image/jpeg, image/gif, image/webp, application/pdf, text/plain;q=0.5, */*;q=0.1";

/// One fetched card-art file, ready to serve.
#[derive(Clone, PartialEq, Eq)]
pub struct Art {
    pub bytes: Vec<u8>,
    /// Decided from [`Art::bytes`] by [`crate::sniff`].
    pub kind: ArtKind,
    /// The `Content-Type` to serve: from the sniffed bytes, never the server's header.
    pub content_type: &'static str,
}

impl fmt::Debug for Art {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Art")
            .field("kind", &self.kind)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// Fetches card art under an [`ArtPolicy`]. Build once and clone freely: clones share the HTTP
/// clients (one per loopback-flag and connect-timeout pair actually used, so typically one for
/// production profiles and one for the sandbox) and their connection pools.
#[derive(Clone, Debug)]
pub struct ArtFetcher {
    clients: Arc<Mutex<Vec<PolicyClient>>>,
    /// [`MAX_FETCHES`] permits, shared by every clone.
    slots: Arc<tokio::sync::Semaphore>,
}

impl Default for ArtFetcher {
    fn default() -> Self {
        Self {
            clients: Arc::default(),
            slots: Arc::new(tokio::sync::Semaphore::new(MAX_FETCHES)),
        }
    }
}

#[derive(Debug)]
struct PolicyClient {
    allow_loopback: bool,
    connect_timeout: Duration,
    http: reqwest::Client,
}

impl ArtFetcher {
    pub fn new() -> Self {
        Self::default()
    }

    /// Fetches `url` with no declared media type: only PNG, JPEG, GIF, WebP or PDF bytes are
    /// accepted (text needs a declared `text/plain`, see [`ArtFetcher::fetch_declared`]).
    pub async fn fetch(&self, url: &str, policy: &ArtPolicy) -> Result<Art, ArtError> {
        self.fetch_declared(url, None, policy).await
    }

    /// Fetches `url`, with the gateway's declared `mediaType` as a hint for [`crate::sniff`]:
    /// `image/pdf` and `application/pdf` both mean PDF, `text/html` is always refused, and a
    /// declared image whose bytes are HTML is refused.
    pub async fn fetch_declared(
        &self,
        url: &str,
        declared_media_type: Option<&str>,
        policy: &ArtPolicy,
    ) -> Result<Art, ArtError> {
        let first = target::parse(url)?;
        target::check(&first, policy.allow_loopback_http)?;
        let http = self.http_for(policy).ok_or_else(|| ArtError::Transport {
            host: target::host_of(&first),
        })?;
        let slots = self.slots.clone();
        let fetching = async move {
            // Never closed: an error here cannot happen, and would only mean "no slot".
            let _slot = slots.acquire().await.map_err(|_| ArtError::Timeout)?;
            follow(&http, first, declared_media_type, policy).await
        };
        tokio::time::timeout(policy.timeout, fetching)
            .await
            .unwrap_or(Err(ArtError::Timeout))
    }

    /// The HTTP client for this policy's loopback flag and connect timeout; `None` if one
    /// cannot be built (no TLS support on this machine).
    fn http_for(&self, policy: &ArtPolicy) -> Option<reqwest::Client> {
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        let wanted = |c: &&PolicyClient| {
            c.allow_loopback == policy.allow_loopback_http
                && c.connect_timeout == policy.connect_timeout
        };
        if let Some(found) = clients.iter().find(wanted) {
            return Some(found.http.clone());
        }
        let http = build_http(policy.allow_loopback_http, policy.connect_timeout)?;
        clients.push(PolicyClient {
            allow_loopback: policy.allow_loopback_http,
            connect_timeout: policy.connect_timeout,
            http: http.clone(),
        });
        Some(http)
    }
}

fn build_http(allow_loopback: bool, connect_timeout: Duration) -> Option<reqwest::Client> {
    reqwest::Client::builder()
        .dns_resolver(GuardedResolver::new(allow_loopback))
        // Through a proxy the resolver would vet the proxy, not the art host.
        .no_proxy()
        // Each hop must pass `target::check` first.
        .redirect(reqwest::redirect::Policy::none())
        .https_only(!allow_loopback)
        .referer(false)
        .connect_timeout(connect_timeout)
        .user_agent(concat!("card-desk-art/", env!("CARGO_PKG_VERSION")))
        .build()
        .ok()
}

/// Requests `url`, following up to [`MAX_REDIRECTS`] checked redirects, then reads and sniffs
/// the body. `url` has already passed [`target::check`].
async fn follow(
    http: &reqwest::Client,
    mut url: Url,
    declared_media_type: Option<&str>,
    policy: &ArtPolicy,
) -> Result<Art, ArtError> {
    let mut redirects = 0;
    loop {
        let host = target::host_of(&url);
        let response = http
            .get(url.clone())
            .header(ACCEPT, ACCEPT_ART)
            .send()
            .await
            .map_err(|e| request_error(&e, &host))?;
        let status = response.status();
        if is_followed_redirect(status) {
            if redirects == MAX_REDIRECTS {
                return Err(ArtError::Redirect {
                    problem: RedirectProblem::TooMany,
                });
            }
            redirects += 1;
            url = next_location(&url, &response)?;
            target::check(&url, policy.allow_loopback_http)?;
            continue;
        }
        if !status.is_success() {
            return Err(ArtError::Http {
                status: status.as_u16(),
            });
        }
        let bytes = read_capped(response, policy.max_bytes, &host).await?;
        let kind = sniff(&bytes, declared_media_type)?;
        return Ok(Art {
            bytes,
            kind,
            content_type: kind.content_type(),
        });
    }
}

fn is_followed_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// The redirect target, resolved against the current URL.
fn next_location(current: &Url, response: &reqwest::Response) -> Result<Url, ArtError> {
    let bad = ArtError::Redirect {
        problem: RedirectProblem::BadLocation,
    };
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| bad.clone())?;
    let next = current.join(location.trim()).map_err(|_| bad.clone())?;
    if next.host().is_none() {
        return Err(bad);
    }
    Ok(next)
}

/// Reads the body, refusing it as soon as it would exceed `max_bytes`. A declared
/// `Content-Length` over the cap is refused at once; one under it is not trusted.
async fn read_capped(
    mut response: reqwest::Response,
    max_bytes: usize,
    host: &str,
) -> Result<Vec<u8>, ArtError> {
    let too_large = ArtError::TooLarge { limit: max_bytes };
    let declared = response.content_length();
    if declared.is_some_and(|len| len > u64::try_from(max_bytes).unwrap_or(u64::MAX)) {
        return Err(too_large);
    }
    let expected = declared
        .and_then(|len| usize::try_from(len).ok())
        .unwrap_or(0)
        .min(max_bytes);
    let mut body = Vec::with_capacity(expected);
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| request_error(&e, host))?
    {
        if chunk.len() > max_bytes.saturating_sub(body.len()) {
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn request_error(error: &reqwest::Error, host: &str) -> ArtError {
    if is_blocked_address(error) {
        ArtError::PrivateAddress {
            host: host.to_owned(),
        }
    } else if error.is_timeout() {
        ArtError::Timeout
    } else {
        ArtError::Transport {
            host: host.to_owned(),
        }
    }
}
