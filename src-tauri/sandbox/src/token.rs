//! The control token: the secret that `/_sandbox/*` (except `health`) asks for, so that only
//! whoever started the sandbox (a test, the CLI's user, the desktop app) can reset it, read
//! its ledger or plan faults — not another program or a web page that guessed the port.
//!
//! Random per start (32 bytes from the OS, hex) unless one is given in
//! [`crate::SandboxConfig::control_token`]; compared in constant time.

use std::io;

/// Shortest and longest token accepted from configuration.
const MIN_LEN: usize = 16;
const MAX_LEN: usize = 256;

/// A fresh random token: 64 hex digits.
pub(crate) fn random() -> io::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| io::Error::other(format!("control token: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A configured token, if it can travel in a header and is not trivially guessable.
pub(crate) fn checked(token: String) -> io::Result<String> {
    let fits =
        (MIN_LEN..=MAX_LEN).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_graphic());
    if fits {
        Ok(token)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("control token: {MIN_LEN} to {MAX_LEN} visible ASCII characters (no spaces)"),
        ))
    }
}

/// Whether an `Authorization` header value is `Bearer <token>` for this token.
pub(crate) fn authorizes(header: &[u8], token: &str) -> bool {
    let Some(space) = header.iter().position(|&b| b == b' ') else {
        return false;
    };
    let (scheme, rest) = header.split_at(space);
    scheme.eq_ignore_ascii_case(b"bearer") && same(rest.trim_ascii(), token.as_bytes())
}

/// Equality whose time does not depend on where the first difference is.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_tokens_are_long_hex_and_differ() {
        let (a, b) = (random().unwrap_or_default(), random().unwrap_or_default());
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn configured_tokens_must_fit_a_header_and_not_be_short() {
        assert!(checked("0123456789abcdef".into()).is_ok());
        assert!(checked("short".into()).is_err());
        assert!(checked("has a space in it!".into()).is_err());
        assert!(checked("line\nbreak-0123456789".into()).is_err());
        assert!(checked("x".repeat(257)).is_err());
    }

    #[test]
    fn only_bearer_with_the_exact_token_authorizes() {
        let t = "0123456789abcdef";
        assert!(authorizes(b"Bearer 0123456789abcdef", t));
        assert!(authorizes(b"bearer 0123456789abcdef", t));
        assert!(!authorizes(b"Bearer 0123456789abcde", t));
        assert!(!authorizes(b"Bearer 0123456789abcdeF", t));
        assert!(!authorizes(b"Basic 0123456789abcdef", t));
        assert!(!authorizes(b"0123456789abcdef", t));
        assert!(!authorizes(b"Bearer ", t));
    }
}
