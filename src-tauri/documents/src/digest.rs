//! Why: a proof document is only as good as the ability to show later that the file at hand is
//! the one issued. Every rendered document comes with the SHA-256 of its bytes (the register
//! keeps it), rendering is deterministic so the digest can be recomputed from the same input,
//! and the document itself prints the SHA-256 of the audit-log lines it rests on, which anyone
//! can recompute from the log with `sha256sum`.

use sha2::{Digest, Sha256};

use crate::{AuditLine, DocumentError};

/// A document's bytes and their SHA-256.
#[derive(Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The PDF (or CSV) file.
    pub bytes: Vec<u8>,
    /// Lower-case hex SHA-256 of `bytes`.
    pub sha256_hex: String,
}

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendered")
            .field("bytes", &self.bytes.len())
            .field("sha256_hex", &self.sha256_hex)
            .finish()
    }
}

impl Rendered {
    pub(crate) fn new(bytes: Vec<u8>) -> Self {
        let sha256_hex = sha256_hex(&bytes);
        Self { bytes, sha256_hex }
    }
}

/// Checks that `bytes` are the document whose SHA-256 was recorded as `expected_hex` (hex,
/// either case).
pub fn verify(bytes: &[u8], expected_hex: &str) -> Result<(), DocumentError> {
    let actual = sha256_hex(bytes);
    if actual.eq_ignore_ascii_case(expected_hex.trim()) {
        Ok(())
    } else {
        Err(DocumentError::DigestMismatch {
            expected: expected_hex.to_owned(),
            actual,
        })
    }
}

/// The SHA-256 printed on a document for the audit entries it rests on: over each line as
/// the log holds it, newline included, in the order given. For consecutive entries this is
/// `sed -n 'FIRST,LASTp' audit.jsonl | sha256sum`.
pub fn audit_digest(entries: &[AuditLine]) -> String {
    let mut hasher = Sha256::new();
    for entry in entries {
        hasher.update(entry.line.as_bytes());
        hasher.update(b"\n");
    }
    hex::encode(hasher.finalize())
}

/// Lower-case hex SHA-256 of `bytes`, as the register and the audit log record a document's.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_accepts_the_digest_and_refuses_another() {
        let r = Rendered::new(b"abc".to_vec());
        assert_eq!(
            r.sha256_hex,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(verify(b"abc", &r.sha256_hex.to_uppercase()).is_ok());
        assert!(matches!(
            verify(b"abd", &r.sha256_hex),
            Err(DocumentError::DigestMismatch { .. })
        ));
    }

    #[test]
    fn the_audit_digest_is_that_of_the_lines_as_in_the_file() {
        let lines = [
            AuditLine {
                seq: 1,
                line: "{\"seq\":1}".into(),
            },
            AuditLine {
                seq: 2,
                line: "{\"seq\":2}".into(),
            },
        ];
        assert_eq!(
            audit_digest(&lines),
            hex::encode(Sha256::digest(b"{\"seq\":1}\n{\"seq\":2}\n"))
        );
    }
}
