//! Why: a gateway may echo the merchant password in any text it writes — a success `message`
//! (kept in the hash-chained audit log, where it can never be scrubbed), a fault `detail`, an
//! HTML error page — and not always as sent: upper-cased, or cut short. The client scrubs
//! every gateway text with this one rule before anything else sees it.
//!
//! The rule, for a password of `n` characters:
//!
//! * `n < 4`: nothing is replaced — so short a secret would garble ordinary text (`"abc"`
//!   in every word) without protecting anything;
//! * `4 ≤ n ≤ 8`: every occurrence of the whole password;
//! * `n > 8`: every run of text that matches any 8 consecutive characters of the password,
//!   and so every fragment of 8 characters or more (a truncated or partial echo).
//!
//! Matching ignores case, one character at a time (a letter whose upper case is two
//! letters, such as `ß` → `SS`, is matched only as sent). Each matched run — overlapping or
//! touching matches merged — becomes one `<redacted>`.

/// What replaces a password fragment.
pub(crate) const REDACTED: &str = "<redacted>";

/// Passwords shorter than this are never looked for.
const MIN_SECRET_CHARS: usize = 4;

/// The shortest password fragment that is replaced (the whole password when shorter).
const FRAGMENT_CHARS: usize = 8;

/// `text` with every fragment of `secret` replaced by [`REDACTED`] (see the module note).
pub(crate) fn scrub(text: &str, secret: &str) -> String {
    let secret: Vec<char> = secret.chars().map(fold).collect();
    if secret.len() < MIN_SECRET_CHARS {
        return text.to_owned();
    }
    let window = secret.len().min(FRAGMENT_CHARS);
    let chars: Vec<(usize, char)> = text.char_indices().map(|(i, c)| (i, fold(c))).collect();
    if chars.len() < window {
        return text.to_owned();
    }
    // covered[i]: character i of `text` is part of a matched window.
    let mut covered = vec![false; chars.len()];
    let mut any = false;
    for start in 0..=chars.len() - window {
        let here = &chars[start..start + window];
        let matches = secret
            .windows(window)
            .any(|w| w.iter().zip(here).all(|(s, (_, t))| s == t));
        if matches {
            covered[start..start + window].fill(true);
            any = true;
        }
    }
    if !any {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let (byte, _) = chars[i];
        if covered[i] {
            out.push_str(REDACTED);
            while i < chars.len() && covered[i] {
                i += 1;
            }
        } else {
            let end = chars.get(i + 1).map_or(text.len(), |(b, _)| *b);
            out.push_str(&text[byte..end]);
            i += 1;
        }
    }
    out
}

/// Scrubs `text` in place (see [`scrub`]).
pub(crate) fn scrub_in_place(text: &mut String, secret: &str) {
    let clean = scrub(text, secret);
    if clean != *text {
        *text = clean;
    }
}

/// A character's lower case when that is one character, else the character itself.
fn fold(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PW: &str = "Canary-Pw-7Q2x";

    #[test]
    fn the_password_as_sent_upper_cased_or_lower_cased_is_replaced() {
        for echo in [PW, "CANARY-PW-7Q2X", "canary-pw-7q2x"] {
            assert_eq!(
                scrub(&format!("Token X is removed (auth {echo})"), PW),
                "Token X is removed (auth <redacted>)"
            );
        }
    }

    #[test]
    fn fragments_of_eight_characters_or_more_are_replaced() {
        // Cut short at either end, and in the middle.
        assert_eq!(scrub("pw Canary-P.", PW), "pw <redacted>.");
        assert_eq!(scrub("pw ry-pw-7q2x!", PW), "pw <redacted>!");
        assert_eq!(scrub("pw NARY-PW-7", PW), "pw <redacted>");
        // Seven characters are not a fragment: ordinary text stays.
        assert_eq!(scrub("pw Canary-", PW), "pw Canary-");
    }

    #[test]
    fn two_echoes_are_two_replacements() {
        assert_eq!(
            scrub(&format!("{PW} and {PW}"), PW),
            "<redacted> and <redacted>"
        );
    }

    #[test]
    fn short_passwords_are_matched_whole_and_tiny_ones_not_at_all() {
        assert_eq!(scrub("auth S3cr3t done", "s3CR3T"), "auth <redacted> done");
        assert_eq!(scrub("auth S3cr done", "s3CR3T"), "auth S3cr done");
        assert_eq!(scrub("abc abc", "abc"), "abc abc");
    }

    #[test]
    fn non_ascii_text_and_passwords_keep_their_characters() {
        assert_eq!(
            scrub("Токен удалён (пароль ПАРОЛЬ-секрет)", "пароль-Секрет"),
            "Токен удалён (пароль <redacted>)"
        );
        assert_eq!(scrub("ничего нет", PW), "ничего нет");
    }
}
