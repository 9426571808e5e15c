//! Why: every request carries the merchant's password in its body (docs/assist-api.md §3), so the
//! gateway address must be `https://` — plain `http://` only to a loopback sandbox
//! (docs/design.md §5). Each merchant gets its own host from Assist support (§2, §12.17).

use std::fmt;
use std::net::Ipv6Addr;

use serde::{Deserialize, Serialize};
use url::{Host, Url};

use crate::validation::ValidationError;

/// The gateway's base address, e.g. `https://payments.demo.paysecure.ru`.
///
/// Kept without a trailing slash; endpoint paths such as `/pay/oneclick/v1/token.cfm` are
/// appended to it (a base path, if any, is preserved).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BaseUrl(Url);

impl BaseUrl {
    /// Rules: `https://`, or `http://` only to 127.0.0.0/8, `::1` or `localhost`; a host; no
    /// user name or password in the URL, no query, no fragment.
    pub fn new(value: &str) -> Result<Self, ValidationError> {
        let refuse = |(rule, rule_ru)| Err(ValidationError::new("base_url", rule, rule_ru));
        let Ok(mut url) = Url::parse(value.trim()) else {
            return refuse((
                "must be an absolute URL such as https://payments.paysecure.ru",
                "должен быть полным адресом, например https://payments.paysecure.ru",
            ));
        };
        if url.host().is_none() {
            return refuse(("must name a host", "должен содержать имя хоста"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return refuse((
                "must not contain a user name or password",
                "не должен содержать имя пользователя или пароль",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return refuse((
                "must not have a query or fragment",
                "не должен содержать параметров запроса (?…) или фрагмента (#…)",
            ));
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback_host(&url) => {}
            "http" => {
                return refuse((
                    "must use https:// (http:// is allowed only for loopback)",
                    "должен начинаться с https:// (http:// — только для этого компьютера)",
                ));
            }
            _ => return refuse(("must use https://", "должен начинаться с https://")),
        }
        let trimmed = url.path().trim_end_matches('/').to_owned();
        url.set_path(&trimmed);
        Ok(Self(url))
    }

    /// Whether the host is loopback; such bases bypass any configured proxy.
    pub fn is_loopback(&self) -> bool {
        is_loopback_host(&self.0)
    }

    /// The base joined with an absolute endpoint path such as `/pay/oneclick/v1/token.cfm`.
    pub(crate) fn endpoint(&self, path: &str) -> Url {
        let mut url = self.0.clone();
        let joined = format!("{}{}", url.path().trim_end_matches('/'), path);
        url.set_path(&joined);
        url
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }
}

fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip == Ipv6Addr::LOCALHOST,
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for BaseUrl {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(&value)
    }
}

impl From<BaseUrl> for String {
    fn from(value: BaseUrl) -> Self {
        value.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn https_hosts_and_trailing_slash() {
        let b = BaseUrl::new("https://payments.demo.paysecure.ru/").unwrap();
        assert_eq!(b.as_str(), "https://payments.demo.paysecure.ru");
        assert!(!b.is_loopback());
        assert_eq!(
            b.endpoint("/pay/oneclick/v1/token.cfm").as_str(),
            "https://payments.demo.paysecure.ru/pay/oneclick/v1/token.cfm"
        );
        let with_path = BaseUrl::new("https://pay169.paysec.by/gw//").unwrap();
        assert_eq!(with_path.as_str(), "https://pay169.paysec.by/gw");
        assert_eq!(
            with_path
                .endpoint("/pay/oneclick/v1/rem_token.cfm")
                .as_str(),
            "https://pay169.paysec.by/gw/pay/oneclick/v1/rem_token.cfm"
        );
    }

    #[test]
    fn http_only_for_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://[::1]:9000/",
            "http://localhost:3000",
            "http://LOCALHOST",
        ] {
            let b = BaseUrl::new(ok).unwrap();
            assert!(b.is_loopback(), "{ok}");
        }
        for bad in [
            "http://test.paysecure.ru",
            "http://10.0.0.1",
            "http://[::2]",
            "http://localhost.evil.com",
        ] {
            let e = BaseUrl::new(bad).unwrap_err();
            assert_eq!(e.field(), "base_url");
            assert!(e.rule().contains("https"), "{bad}");
        }
    }

    #[test]
    fn refuses_query_fragment_userinfo_and_other_schemes() {
        for bad in [
            "https://h.example/?a=1",
            "https://h.example/#x",
            "https://user:pw@h.example",
            "ftp://h.example",
            "payments.paysecure.ru",
            "",
        ] {
            let e = BaseUrl::new(bad).unwrap_err();
            assert!(!e.to_string().contains("pw@"), "{e}");
        }
    }
}
