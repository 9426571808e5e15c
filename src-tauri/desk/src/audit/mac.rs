//! Why: a BLAKE3 chain needs no secret, so whoever can write `audit.jsonl` can also edit an
//! entry and recompute every later hash. A keyed BLAKE3 (`mac`) over the same bytes the hash
//! covers, under 32 random bytes kept in the OS keyring, makes such a rewrite visible to
//! `verify` wherever the key can be read.
//!
//! A line with a MAC is `body[..len-1] + ,"hash":"<hex>","mac":"<key id>:<hex>"}`: the member
//! comes after `hash`, so the hash (and every line written before MACs) stays what it was.
//! The key id (8 hex digits derived from the key) tells "made with another key" (the keyring
//! was reset) apart from "wrong": only a MAC under the key at hand can be checked.
//!
//! The key never leaves [`MacKey`]: no `Debug`, no `Display`, zeroized on drop.

use std::fmt;

use zeroize::Zeroizing;

use super::entry::{AuditEntry, HASH_SUFFIX_LEN, LineFault, open_line};

/// `,"mac":"` + 8 hex digits + `:` + 64 hex digits + `"}` at the end of a keyed line.
const MAC_SUFFIX_LEN: usize = 8 + 8 + 1 + 64 + 2;
const MAC_LEAD: &[u8] = b",\"mac\":\"";

/// The log's MAC key: 32 random bytes.
pub struct MacKey {
    bytes: Zeroizing<[u8; 32]>,
    id: String,
}

impl fmt::Debug for MacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MacKey").field("id", &self.id).finish()
    }
}

impl MacKey {
    fn of(bytes: [u8; 32]) -> MacKey {
        let bytes = Zeroizing::new(bytes);
        let digest = blake3::keyed_hash(&bytes, b"carddesk audit mac key id");
        let mut id = digest.to_hex().to_string();
        id.truncate(8);
        MacKey { bytes, id }
    }

    /// A new random key; `None` when the OS has no randomness to give.
    pub(crate) fn generate() -> Option<MacKey> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).ok()?;
        Some(MacKey::of(bytes))
    }

    /// The key as the keyring keeps it (64 hex digits).
    pub(crate) fn from_hex(text: &str) -> Option<MacKey> {
        let decoded = Zeroizing::new(hex::decode(text.trim()).ok()?);
        let bytes: [u8; 32] = decoded.as_slice().try_into().ok()?;
        Some(MacKey::of(bytes))
    }

    pub(crate) fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.bytes.as_slice()))
    }

    /// 8 hex digits naming the key (not revealing it).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// A key for another use, derived from this one (BLAKE3 `derive_key` under `context`):
    /// e.g. the audit index's customer hashes.
    pub(crate) fn derive(&self, context: &str) -> [u8; 32] {
        blake3::derive_key(context, self.bytes.as_slice())
    }

    /// `<key id>:<hex keyed BLAKE3 of body>`.
    fn mac(&self, body: &[u8]) -> String {
        let digest = blake3::keyed_hash(&self.bytes, body);
        format!("{}:{}", self.id, digest.to_hex())
    }
}

/// The body the hash covers, from a line without a `mac` member.
fn body_of(unkeyed_line: &[u8]) -> Vec<u8> {
    let head = &unkeyed_line[..unkeyed_line.len().saturating_sub(HASH_SUFFIX_LEN)];
    let mut body = Vec::with_capacity(head.len() + 1);
    body.extend_from_slice(head);
    body.push(b'}');
    body
}

/// Adds the `mac` member to a sealed line (and to `entry`).
pub(crate) fn add_mac(entry: &mut AuditEntry, line: String, key: &MacKey) -> String {
    let mac = key.mac(&body_of(line.as_bytes()));
    let mut keyed = String::with_capacity(line.len() + MAC_SUFFIX_LEN);
    keyed.push_str(&line[..line.len() - 1]);
    keyed.push_str(",\"mac\":\"");
    keyed.push_str(&mac);
    keyed.push_str("\"}");
    entry.mac = Some(mac);
    keyed
}

/// What a line's MAC says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MacVerdict {
    /// The line has no `mac` member.
    Absent,
    /// Made with the key at hand, and it matches.
    Valid,
    /// Made with the key at hand, and it does not match: the line was rewritten.
    Invalid,
    /// Made with another key (the keyring was reset): cannot be checked.
    OtherKey,
    /// No key at hand.
    NotChecked,
}

/// `line` without its `mac` member, and the member's text, when it has one.
fn split_mac(line: &[u8]) -> Option<(Vec<u8>, &str)> {
    if line.len() < MAC_SUFFIX_LEN + HASH_SUFFIX_LEN {
        return None;
    }
    let at = line.len() - MAC_SUFFIX_LEN;
    let suffix = &line[at..];
    let value = &suffix[MAC_LEAD.len()..MAC_SUFFIX_LEN - 2];
    let shaped = suffix.starts_with(MAC_LEAD)
        && suffix.ends_with(b"\"}")
        && value.iter().enumerate().all(|(i, b)| match i {
            8 => *b == b':',
            _ => b.is_ascii_hexdigit() && !b.is_ascii_uppercase(),
        });
    if !shaped {
        return None;
    }
    let mut unkeyed = Vec::with_capacity(at + 1);
    unkeyed.extend_from_slice(&line[..at]);
    unkeyed.push(b'}');
    Some((unkeyed, std::str::from_utf8(value).ok()?))
}

/// Reads one line (without its newline) that may carry a `mac`: checks its hash as
/// [`open_line`] does, and its MAC against `key` when there is one.
pub(crate) fn open_keyed(
    line: &[u8],
    key: Option<&MacKey>,
) -> (Result<AuditEntry, LineFault>, MacVerdict) {
    let Some((unkeyed, mac)) = split_mac(line) else {
        return (open_line(line), MacVerdict::Absent);
    };
    let verdict = match key {
        None => MacVerdict::NotChecked,
        Some(k) if !mac.starts_with(k.id()) => MacVerdict::OtherKey,
        Some(k) if k.mac(&body_of(&unkeyed)) == mac => MacVerdict::Valid,
        Some(_) => MacVerdict::Invalid,
    };
    let read = match open_line(&unkeyed) {
        Ok(mut e) => {
            e.mac = Some(mac.to_owned());
            Ok(e)
        }
        Err(LineFault::HashMismatch(mut e)) => {
            e.mac = Some(mac.to_owned());
            Err(LineFault::HashMismatch(e))
        }
        Err(LineFault::Unreadable) => Err(LineFault::Unreadable),
    };
    (read, verdict)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::audit::entry::{AuditAction, EntryDraft, GENESIS, Operator, seal};

    fn sealed() -> (AuditEntry, String) {
        let mut e = EntryDraft::new(
            Operator {
                os_user: "agent".into(),
                display_name: "Agent".into(),
            },
            AuditAction::ViewedCustomer,
        )
        .place(1, "2026-05-01T12:34:56.789Z".into(), GENESIS.into());
        let line = seal(&mut e).unwrap();
        (e, line)
    }

    #[test]
    fn a_keyed_line_opens_with_its_key_and_serialises_as_written() {
        let key = MacKey::generate().unwrap();
        let (mut e, line) = sealed();
        let hash = e.hash.clone();
        let keyed = add_mac(&mut e, line, &key);
        assert_eq!(keyed, serde_json::to_string(&e).unwrap());
        assert_eq!(e.hash, hash, "the MAC leaves the hash as it was");
        let (read, verdict) = open_keyed(keyed.as_bytes(), Some(&key));
        assert_eq!(read.unwrap(), e);
        assert_eq!(verdict, MacVerdict::Valid);
        let other = MacKey::generate().unwrap();
        assert_eq!(
            open_keyed(keyed.as_bytes(), Some(&other)).1,
            MacVerdict::OtherKey
        );
        assert_eq!(open_keyed(keyed.as_bytes(), None).1, MacVerdict::NotChecked);
    }

    #[test]
    fn a_rehashed_edit_keeps_its_hash_but_not_its_mac() {
        let key = MacKey::generate().unwrap();
        let (mut e, line) = sealed();
        let _ = add_mac(&mut e, line, &key);
        let mac = e.mac.take().unwrap();
        e.operator.display_name = "Someone else".into();
        let rehashed = seal(&mut e).unwrap();
        let forged = format!("{},\"mac\":\"{mac}\"}}", &rehashed[..rehashed.len() - 1]);
        let (read, verdict) = open_keyed(forged.as_bytes(), Some(&key));
        assert!(read.is_ok(), "the hash was recomputed");
        assert_eq!(verdict, MacVerdict::Invalid);
    }

    #[test]
    fn the_key_round_trips_through_hex_and_is_not_shown() {
        let key = MacKey::generate().unwrap();
        let again = MacKey::from_hex(&key.to_hex()).unwrap();
        assert_eq!(again.id(), key.id());
        assert!(!format!("{key:?}").contains(key.to_hex().as_str()));
        assert!(MacKey::from_hex("abcd").is_none());
    }
}
