//! Why: the cache's on-disk format in one place — how a value is sealed and where it lives —
//! so the format version, the associated data and the key layout cannot drift apart.
//!
//! A stored value is `version(1) || nonce(24) || ciphertext+tag`; the plaintext is
//! `fetched_at (unix ms, i64 LE) || payload`; the associated data is
//! `tree name || 0 || key || version`, which binds a value to its slot. Keys are BLAKE3 keyed
//! hashes: `profile_tag(16) || customer_tag(32)` for a customer's slot, plus `kind_tag(8)` in
//! `cards`; `url_tag(32)` in `media`.

use zeroize::Zeroizing;

use super::{FORMAT_VERSION, UnixMs};
use crate::crypto::{CacheKey, Sealer};
use crate::secrets::SecretError;

const PROFILE_TAG: usize = 16;
const KIND_TAG: usize = 8;

/// A customer's slot: the common prefix of all their entries.
pub(super) type Slot = [u8; PROFILE_TAG + 32];

/// A value that opened: its fetch time and its plaintext payload.
pub(super) type Opened = (UnixMs, Zeroizing<Vec<u8>>);

/// Seals, opens and names the cache's records under one key.
#[derive(Debug)]
pub(super) struct Records {
    sealer: Sealer,
}

impl Records {
    pub(super) fn new(key: &CacheKey) -> Records {
        Records {
            sealer: Sealer::new(key),
        }
    }

    pub(super) fn seal(
        &self,
        tree: &[u8],
        key: &[u8],
        fetched_at: UnixMs,
        payload: &[u8],
    ) -> Result<Vec<u8>, SecretError> {
        let mut plain = Zeroizing::new(Vec::with_capacity(8 + payload.len()));
        plain.extend_from_slice(&fetched_at.to_le_bytes());
        plain.extend_from_slice(payload);
        let sealed = self.sealer.seal(&aad(tree, key, FORMAT_VERSION), &plain)?;
        let mut value = Vec::with_capacity(1 + sealed.len());
        value.push(FORMAT_VERSION);
        value.extend_from_slice(&sealed);
        Ok(value)
    }

    /// `None` when the value is of another version, or was not sealed under this key for
    /// this slot.
    pub(super) fn open(&self, tree: &[u8], key: &[u8], raw: &[u8]) -> Option<Opened> {
        let (&version, sealed) = raw.split_first()?;
        if version != FORMAT_VERSION {
            return None;
        }
        let plain = self.sealer.open(&aad(tree, key, version), sealed)?;
        let (at, payload) = plain.split_at_checked(8)?;
        let fetched_at = i64::from_le_bytes(at.try_into().ok()?);
        Some((fetched_at, Zeroizing::new(payload.to_vec())))
    }

    pub(super) fn profile_tag(&self, profile: &str) -> [u8; PROFILE_TAG] {
        let h = self.sealer.index(&[b"profile", profile.as_bytes()]);
        let mut tag = [0u8; PROFILE_TAG];
        tag.copy_from_slice(&h[..PROFILE_TAG]);
        tag
    }

    pub(super) fn customer_slot(&self, profile: &str, customer: &str) -> Slot {
        let mut slot = [0u8; PROFILE_TAG + 32];
        slot[..PROFILE_TAG].copy_from_slice(&self.profile_tag(profile));
        let h = self
            .sealer
            .index(&[b"customer", profile.as_bytes(), customer.as_bytes()]);
        slot[PROFILE_TAG..].copy_from_slice(&h);
        slot
    }

    pub(super) fn cards_key(&self, kind: &str, profile: &str, customer: &str) -> Vec<u8> {
        let mut key = self.customer_slot(profile, customer).to_vec();
        let h = self.sealer.index(&[b"kind", kind.as_bytes()]);
        key.extend_from_slice(&h[..KIND_TAG]);
        key
    }

    pub(super) fn media_key(&self, url: &str) -> [u8; 32] {
        self.sealer.index(&[b"media", url.as_bytes()])
    }
}

fn aad(tree: &[u8], key: &[u8], version: u8) -> Vec<u8> {
    let mut aad = Vec::with_capacity(tree.len() + key.len() + 2);
    aad.extend_from_slice(tree);
    aad.push(0);
    aad.extend_from_slice(key);
    aad.push(version);
    aad
}
