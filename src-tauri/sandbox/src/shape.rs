//! Value formats the gateway defines, shared by request checks and seed validation so the
//! sandbox never stores data it would itself reject. Section numbers (§N.M) refer to
//! docs/assist-api.md.

/// Characters the gateway silently strips from CustomerNumber before use: the catch-all row
/// of the automatic validation rules (docs/assist-api.md §7.1, §11.11).
pub(crate) const STRIPPED_CHARS: [char; 10] = ['<', '>', '"', '=', '\'', '/', '(', ')', ';', '#'];

/// Longest CustomerNumber the gateway accepts, in characters (§3.2).
pub(crate) const CUSTOMER_NUMBER_MAX: usize = 32;

/// CustomerNumber (and Language) as the gateway sees it: forbidden characters removed.
pub(crate) fn sanitise(raw: &str) -> String {
    raw.chars()
        .filter(|c| !STRIPPED_CHARS.contains(c))
        .collect()
}

/// `8-4-4-4-12` hexadecimal, 36 characters (§7.2). Either letter case passes: the shape
/// check is lenient, the lookup is exact (see `gateway::remove`).
pub(crate) fn is_token_shaped(token: &str) -> bool {
    let groups: Vec<&str> = token.split('-').collect();
    token.len() == 36
        && groups.len() == 5
        && groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The shape of tokens the gateway issues (§11.7): uppercase, third group starting with 4.
pub(crate) fn is_issued_token_shape(token: &str) -> bool {
    is_token_shaped(token)
        && !token.chars().any(|c| c.is_ascii_lowercase())
        && token.as_bytes().get(14) == Some(&b'4')
}

/// `MM.YYYY` with a month 01..=12 (§4.1).
pub(crate) fn is_expire(expire: &str) -> bool {
    match expire.split_once('.') {
        Some((month, year)) => {
            month.len() == 2
                && year.len() == 4
                && year.chars().all(|c| c.is_ascii_digit())
                && matches!(month.parse::<u8>(), Ok(1..=12))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitising_strips_exactly_the_listed_characters() {
        assert_eq!(sanitise("12<3>4"), "1234");
        assert_eq!(sanitise(r#"<>"='/();#"#), "");
        assert_eq!(sanitise("CRM-100 234.x@y"), "CRM-100 234.x@y");
    }

    #[test]
    fn token_shapes() {
        assert!(is_issued_token_shape(
            "54F5A3DE-4B47-4B40-03B5-7FF992D6B401"
        ));
        assert!(is_token_shaped("54f5a3de-4b47-4b40-03b5-7ff992d6b401"));
        assert!(!is_issued_token_shape(
            "54f5a3de-4b47-4b40-03b5-7ff992d6b401"
        ));
        assert!(!is_token_shaped("54F5A3DE4B474B4003B57FF992D6B401"));
        assert!(!is_token_shaped("54F5A3DE-4B47-4B40-03B5-7FF992D6B40Z"));
    }

    #[test]
    fn expire_format() {
        assert!(is_expire("01.2024"));
        assert!(!is_expire("13.2024"));
        assert!(!is_expire("1.2024"));
        assert!(!is_expire("01/24"));
    }
}
