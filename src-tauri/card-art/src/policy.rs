//! Why: docs/design.md §5 requires card art to be fetched with a size cap and a time limit, and
//! from no private or loopback address "except the sandbox". The limits and that one exception live
//! here, in one value the caller passes per fetch, so the sandbox profile cannot loosen the
//! rules for a production profile by accident.

use std::time::Duration;

/// Limits for one card-art fetch. [`ArtPolicy::default`] is the production policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArtPolicy {
    /// Allows `http://` to a loopback host and loopback addresses in general. `true` only for
    /// the built-in sandbox profile, whose emulator serves art on `127.0.0.1`.
    pub allow_loopback_http: bool,
    /// Largest body accepted, in bytes; a longer body is abandoned while it streams.
    pub max_bytes: usize,
    /// Total time for the whole fetch: resolving, connecting, every redirect and the body.
    pub timeout: Duration,
    /// Time allowed to resolve and connect to one host.
    pub connect_timeout: Duration,
}

impl ArtPolicy {
    /// 2 MiB: a 1536×969 card background PNG (the largest documented asset) is well below.
    pub const DEFAULT_MAX_BYTES: usize = 2 * 1024 * 1024;
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

    /// The policy for real gateways: https only, public addresses only.
    pub fn production() -> Self {
        Self {
            allow_loopback_http: false,
            max_bytes: Self::DEFAULT_MAX_BYTES,
            timeout: Self::DEFAULT_TIMEOUT,
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
        }
    }

    /// The policy for the built-in sandbox profile: also loopback, over plain http.
    pub fn sandbox() -> Self {
        Self {
            allow_loopback_http: true,
            ..Self::production()
        }
    }
}

impl Default for ArtPolicy {
    fn default() -> Self {
        Self::production()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_strict() {
        let p = ArtPolicy::default();
        assert!(!p.allow_loopback_http);
        assert_eq!(p.max_bytes, 2 * 1024 * 1024);
        assert_eq!(p.timeout, Duration::from_secs(10));
        assert!(ArtPolicy::sandbox().allow_loopback_http);
    }
}
