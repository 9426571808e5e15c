//! Why: cached customer numbers and card tokens are sensitive (with merchant credentials they
//! allow payments, docs/design.md §4), so the cache stores them encrypted and indexes them by keyed
//! hashes. This module holds the key and the two primitives built on it: XChaCha20-Poly1305
//! sealing (random 24-byte nonce per value, so no nonce bookkeeping) and BLAKE3 keyed hashing
//! under a subkey derived with `blake3::derive_key`, so the two uses never share a key.

use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::secrets::{CACHE_KEY_ACCOUNT, SecretError, SecretStore};

const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;
const INDEX_CONTEXT: &str = "Card Desk cache keys v1";

/// The cache's 32-byte key. Lives only in the keyring (hex-encoded under
/// [`CACHE_KEY_ACCOUNT`]) and in memory; `Debug` is redacted and the bytes are zeroized on drop.
pub struct CacheKey(Zeroizing<[u8; KEY_LEN]>);

/// How [`CacheKey::load_or_create`] got the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOrigin {
    /// Read from the store.
    Loaded,
    /// None was stored (first run, or the keyring was reset): a new one was made and saved.
    Created,
    /// The stored value was not a key; a new one replaced it.
    Replaced,
}

impl CacheKey {
    /// A fresh random key from the OS.
    pub fn generate() -> Result<CacheKey, SecretError> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        getrandom::fill(key.as_mut_slice()).map_err(|_| SecretError::Refused {
            reason: "no randomness for a new cache key",
        })?;
        Ok(CacheKey(key))
    }

    /// Parses the stored hex form; `None` unless it is exactly 32 bytes of hex.
    pub fn from_hex(text: &str) -> Option<CacheKey> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        hex::decode_to_slice(text.trim(), key.as_mut_slice()).ok()?;
        Some(CacheKey(key))
    }

    /// The hex form that is stored in the keyring.
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0.as_slice()))
    }

    /// Reads the key from `store`, or makes one and saves it there. Blocking.
    pub fn load_or_create(store: &dyn SecretStore) -> Result<(CacheKey, KeyOrigin), SecretError> {
        let origin = match store.get(CACHE_KEY_ACCOUNT)? {
            Some(text) => match CacheKey::from_hex(&text) {
                Some(key) => return Ok((key, KeyOrigin::Loaded)),
                None => KeyOrigin::Replaced,
            },
            None => KeyOrigin::Created,
        };
        let key = CacheKey::generate()?;
        store.put(CACHE_KEY_ACCOUNT, &key.to_hex())?;
        Ok((key, origin))
    }
}

impl fmt::Debug for CacheKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CacheKey(<redacted>)")
    }
}

/// The primitives derived from one [`CacheKey`].
pub(crate) struct Sealer {
    aead: XChaCha20Poly1305,
    index_key: Zeroizing<[u8; KEY_LEN]>,
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sealer(<redacted>)")
    }
}

impl Sealer {
    pub(crate) fn new(key: &CacheKey) -> Sealer {
        let aead = XChaCha20Poly1305::new((&*key.0).into());
        let index_key = Zeroizing::new(blake3::derive_key(INDEX_CONTEXT, key.0.as_slice()));
        Sealer { aead, index_key }
    }

    /// `nonce || ciphertext+tag`, with `aad` authenticated (binds a value to its slot).
    pub(crate) fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, SecretError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|_| SecretError::Refused {
            reason: "no randomness for a nonce",
        })?;
        let sealed = self
            .aead
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .map_err(|_| SecretError::Refused {
                reason: "encryption failed",
            })?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// The plaintext, or `None` when the bytes were not sealed under this key and `aad`.
    pub(crate) fn open(&self, aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let (nonce, body) = sealed.split_at_checked(NONCE_LEN)?;
        let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
        self.aead
            .decrypt(&XNonce::from(nonce), Payload { msg: body, aad })
            .ok()
            .map(Zeroizing::new)
    }

    /// BLAKE3 keyed hash of the parts, each length-prefixed so `("ab","c") != ("a","bc")`.
    pub(crate) fn index(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut h = blake3::Hasher::new_keyed(&self.index_key);
        for part in parts {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part);
        }
        *h.finalize().as_bytes()
    }
}
