//! Why: docs/design.md §5 allows card art over `https://` only, "except the sandbox", and the URL
//! comes from the gateway (docs/assist-api.md §4.2), so it is checked before anything is sent — the
//! first URL and every redirect target alike. An IP-literal host is judged here, because the
//! HTTP connector connects to an IP literal without asking the resolver
//! ([`crate::resolver`]); host names are judged there, on the addresses actually used.

use url::{Host, Url};

use crate::address::{AddressClass, classify};
use crate::error::ArtError;

/// Parses a card-art URL; anything unparseable, or without a host, is [`ArtError::BadUrl`].
pub(crate) fn parse(raw: &str) -> Result<Url, ArtError> {
    let url = Url::parse(raw.trim()).map_err(|_| ArtError::BadUrl)?;
    if url.host().is_none() {
        return Err(ArtError::BadUrl);
    }
    Ok(url)
}

/// The host as shown in messages (`[::1]` style for IPv6); empty when there is none.
pub(crate) fn host_of(url: &Url) -> String {
    url.host_str().unwrap_or_default().to_owned()
}

/// Checks one URL (first or redirect target) against the rules, before any connection.
pub(crate) fn check(url: &Url, allow_loopback: bool) -> Result<(), ArtError> {
    // Userinfo would be sent as Basic credentials to whatever host the gateway names.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ArtError::BadUrl);
    }
    let host = url.host().ok_or(ArtError::BadUrl)?;
    let literal = match host {
        Host::Ipv4(ip) => Some(classify(ip.into())),
        Host::Ipv6(ip) => Some(classify(ip.into())),
        Host::Domain(_) => None,
    };
    let loopback_host = match (&host, literal) {
        (_, Some(class)) => class == AddressClass::Loopback,
        (Host::Domain(name), None) => is_localhost_name(name),
        _ => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if allow_loopback && loopback_host => {}
        _ => return Err(ArtError::NotHttps { host: host_of(url) }),
    }
    if literal.is_some_and(|class| !class.is_allowed(allow_loopback)) {
        return Err(ArtError::PrivateAddress { host: host_of(url) });
    }
    Ok(())
}

/// `localhost` and names under `.localhost` (RFC 6761), with or without a trailing dot. Such
/// names may only ever resolve to loopback addresses ([`crate::resolver`] enforces that).
pub(crate) fn is_localhost_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    let tail = name.len().saturating_sub(".localhost".len());
    name.eq_ignore_ascii_case("localhost")
        || name
            .get(tail..)
            .is_some_and(|t| t.eq_ignore_ascii_case(".localhost"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn checked(raw: &str, allow_loopback: bool) -> Result<(), ArtError> {
        check(&parse(raw)?, allow_loopback)
    }

    fn code(raw: &str, allow_loopback: bool) -> &'static str {
        checked(raw, allow_loopback)
            .err()
            .map_or("ok", |e| e.code())
    }

    #[test]
    fn https_to_a_public_name_or_address_passes() {
        assert_eq!(
            code("https://emvts-test-assets.s3.amazonaws.com/A5/x.png", false),
            "ok"
        );
        assert_eq!(code("https://8.8.8.8/x.png", false), "ok");
        assert_eq!(code("https://[2606:4700:4700::1111]:8443/x", false), "ok");
    }

    #[test]
    fn other_schemes_are_not_https() {
        for raw in [
            "http://example.com/x.png",
            "ftp://example.com/x.png",
            "file:///etc/passwd",
            "data:image/png;base64,AAAA",
            "javascript:alert(1)",
        ] {
            let e = checked(raw, true).unwrap_err();
            assert!(matches!(e.code(), "not_https" | "bad_url"), "{raw}: {e:?}");
        }
        assert_eq!(code("ftp://example.com/x.png", true), "not_https");
        assert_eq!(code("http://example.com/x.png", true), "not_https");
    }

    #[test]
    fn userinfo_and_garbage_are_bad_urls() {
        assert_eq!(code("https://user:pw@example.com/x.png", false), "bad_url");
        assert_eq!(code("https://user@example.com/x.png", false), "bad_url");
        assert_eq!(code("https://:pw@example.com/x.png", false), "bad_url");
        assert_eq!(code("not a url", false), "bad_url");
        assert_eq!(code("", false), "bad_url");
        assert_eq!(code("https://", false), "bad_url");
    }

    #[test]
    fn private_ip_literals_are_refused_before_connecting() {
        for raw in [
            "https://10.0.0.1/x.png",
            "https://192.168.1.1/",
            "https://[::1]/",
            "https://169.254.169.254/latest/meta-data/",
            "https://127.0.0.1/",
            "https://[::ffff:10.0.0.1]/",
            "https://[fd00::1]/",
            "https://0.0.0.0/",
            "https://100.64.0.1/",
            // WHATWG URL parsing turns these spellings into 127.0.0.1 / 10.0.0.1.
            "https://2130706433/",
            "https://0x7f.1/",
            "https://012.0.0.1/",
        ] {
            assert_eq!(code(raw, false), "private_address", "{raw}");
        }
        // Loopback is the only exception, and only when allowed.
        assert_eq!(code("https://127.0.0.1:9/", true), "ok");
        assert_eq!(code("https://10.0.0.1/", true), "private_address");
    }

    #[test]
    fn plain_http_only_to_loopback_and_only_when_allowed() {
        assert_eq!(code("http://127.0.0.1:8080/a.png", true), "ok");
        assert_eq!(code("http://[::1]:8080/a.png", true), "ok");
        assert_eq!(code("http://localhost:8080/a.png", true), "ok");
        assert_eq!(code("http://art.localhost./a.png", true), "ok");
        assert_eq!(code("http://127.0.0.1:8080/a.png", false), "not_https");
        assert_eq!(code("http://localhost:8080/a.png", false), "not_https");
        assert_eq!(code("http://10.0.0.1/a.png", true), "not_https");
        assert_eq!(
            code("http://localhost.example.com/a.png", true),
            "not_https"
        );
    }

    #[test]
    fn localhost_names() {
        assert!(is_localhost_name("localhost"));
        assert!(is_localhost_name("LOCALHOST."));
        assert!(is_localhost_name("art.localhost"));
        assert!(!is_localhost_name("notlocalhost"));
        assert!(!is_localhost_name("localhost.example"));
        assert!(!is_localhost_name(""));
    }
}
