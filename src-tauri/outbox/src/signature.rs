//! Why: a receiver must be able to tell our events from anyone else's POSTs and refuse a
//! replayed old one. Each attempt is signed with the desk's secret as
//! `sha256=<hex HMAC-SHA256 over "<timestamp>.<body>">` (docs/webhooks.md has the receiver's
//! side). The secret lives in the keyring; here it only goes in: it has no `Display`, no
//! `Serialize`, a redacted `Debug`, and is never stored in the outbox.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::OutboxError;

/// The event's id (the same on every attempt).
pub const EVENT_ID_HEADER: &str = "X-CardDesk-Event-Id";
/// Unix seconds when this attempt was signed.
pub const TIMESTAMP_HEADER: &str = "X-CardDesk-Timestamp";
/// `sha256=<hex>` over `"<timestamp>.<body>"`.
pub const SIGNATURE_HEADER: &str = "X-CardDesk-Signature";

/// The shortest secret accepted, in bytes: HMAC-SHA256 keys shorter than this are guessable.
pub const MIN_SECRET_LEN: usize = 16;

/// The webhook's signing secret, as the desk reads it from the keyring.
#[derive(Clone)]
pub struct WebhookSecret(Vec<u8>);

impl WebhookSecret {
    /// At least [`MIN_SECRET_LEN`] bytes. The error never repeats the value.
    pub fn new(secret: impl Into<String>) -> Result<WebhookSecret, OutboxError> {
        let secret: String = secret.into();
        if secret.len() < MIN_SECRET_LEN {
            return Err(OutboxError::invalid(
                "secret",
                format!("must be at least {MIN_SECRET_LEN} bytes"),
            ));
        }
        Ok(WebhookSecret(secret.into_bytes()))
    }

    fn mac(&self, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
        // HMAC accepts a key of any length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    /// The `X-CardDesk-Signature` value for `body` sent at `timestamp` (unix seconds).
    pub fn sign(&self, timestamp: i64, body: &[u8]) -> String {
        format!(
            "sha256={}",
            hex::encode(self.mac(timestamp, body).finalize().into_bytes())
        )
    }

    /// What a receiver does (in constant time): whether `header` signs `body` at `timestamp`.
    pub fn verify(&self, timestamp: i64, body: &[u8], header: &str) -> bool {
        let Some(digest) = header
            .strip_prefix("sha256=")
            .and_then(|h| hex::decode(h).ok())
        else {
            return false;
        };
        self.mac(timestamp, body).verify_slice(&digest).is_ok()
    }
}

impl Drop for WebhookSecret {
    fn drop(&mut self) {
        // Best effort without `unsafe`: overwrite before the allocation is freed.
        for b in self.0.iter_mut() {
            *b = 0;
        }
        std::hint::black_box(&self.0);
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn signs_timestamp_dot_body_like_the_docs_say() {
        // The value docs/webhooks.md shows, computed independently with
        // `printf '1767225600.{"a":1}' | openssl dgst -sha256 -hmac 'whsec_test_0123456789'`.
        let secret = WebhookSecret::new("whsec_test_0123456789").unwrap();
        let sig = secret.sign(1_767_225_600, br#"{"a":1}"#);
        assert_eq!(sig, EXPECTED);
        assert!(secret.verify(1_767_225_600, br#"{"a":1}"#, &sig));
        assert!(!secret.verify(1_767_225_601, br#"{"a":1}"#, &sig));
        assert!(!secret.verify(1_767_225_600, br#"{"a":2}"#, &sig));
        assert!(!secret.verify(1_767_225_600, br#"{"a":1}"#, "sha256=zz"));
    }

    const EXPECTED: &str =
        "sha256=5fc06e5d3d22c4aa0e74db869057b04f2aef4c4f086f958d0f183d95b31c6b1d";

    #[test]
    fn a_short_secret_is_refused_without_repeating_it() {
        let e = WebhookSecret::new("short-secret").unwrap_err();
        assert_eq!(e.field(), Some("secret"));
        assert!(!e.to_string().contains("short-secret"));
        assert!(!format!("{e:?}").contains("short-secret"));
    }

    #[test]
    fn debug_is_redacted() {
        let secret = WebhookSecret::new("whsec_test_0123456789").unwrap();
        assert_eq!(format!("{secret:?}"), "WebhookSecret(<redacted>)");
    }
}
