//! Why: docs/design.md §5 forbids card art from private or loopback addresses (except the sandbox),
//! and the art URL is chosen by the gateway (docs/assist-api.md §4.2). Checking a host name's
//! addresses and then letting the HTTP client resolve it again would leave a gap (DNS
//! rebinding: public on the first answer, `10.0.0.1` on the second). So the HTTP client resolves
//! through this resolver, which drops every address [`crate::classify`] does not allow: the
//! check applies to exactly the addresses the connector then dials. IP-literal hosts never reach
//! a resolver; [`crate::target`] judges those.

use std::error::Error as StdError;
use std::fmt;
use std::net::SocketAddr;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::address::{AddressClass, classify};
use crate::target::is_localhost_name;

/// Resolves with the system resolver and keeps only permitted addresses.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GuardedResolver {
    allow_loopback: bool,
}

impl GuardedResolver {
    pub(crate) fn new(allow_loopback: bool) -> Self {
        Self { allow_loopback }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_loopback = self.allow_loopback;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            // Port 0: the connector puts the URL's port in.
            let found = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let kept = permitted(&host, found, allow_loopback);
            if kept.is_empty() {
                return Err(Box::new(BlockedAddress) as Box<dyn StdError + Send + Sync>);
            }
            Ok(Box::new(kept.into_iter()) as Addrs)
        })
    }
}

/// The addresses card art may be fetched from. A `localhost` name may only ever mean
/// loopback, so under the sandbox policy it still cannot lead anywhere else.
pub(crate) fn permitted(
    host: &str,
    found: impl IntoIterator<Item = SocketAddr>,
    allow_loopback: bool,
) -> Vec<SocketAddr> {
    let localhost = is_localhost_name(host);
    found
        .into_iter()
        .filter(|addr| {
            let class = classify(addr.ip());
            if localhost {
                allow_loopback && class == AddressClass::Loopback
            } else {
                class.is_allowed(allow_loopback)
            }
        })
        .collect()
}

/// The resolver's refusal; found again in the client error's source chain by
/// [`is_blocked_address`] and reported as [`crate::ArtError::PrivateAddress`].
#[derive(Debug)]
pub(crate) struct BlockedAddress;

impl fmt::Display for BlockedAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the host resolves to no public address")
    }
}

impl StdError for BlockedAddress {}

/// Whether `error` (or any error it wraps) is the resolver's [`BlockedAddress`].
pub(crate) fn is_blocked_address(error: &(dyn StdError + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.is::<BlockedAddress>() {
            return true;
        }
        current = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::str::FromStr;

    use super::*;

    fn addrs(list: &[&str]) -> Vec<SocketAddr> {
        list.iter()
            .map(|ip| SocketAddr::new(ip.parse().unwrap(), 0))
            .collect()
    }

    #[test]
    fn private_answers_are_dropped_and_public_ones_kept() {
        let found = addrs(&["10.0.0.7", "52.95.110.1", "::1", "fd00::1", "2a00:1450::1"]);
        assert_eq!(
            permitted("art.example", found.clone(), false),
            addrs(&["52.95.110.1", "2a00:1450::1"])
        );
        assert_eq!(
            permitted("art.example", found, true),
            addrs(&["52.95.110.1", "::1", "2a00:1450::1"])
        );
    }

    #[test]
    fn localhost_means_loopback_only() {
        let found = addrs(&["127.0.0.1", "::1", "52.95.110.1"]);
        assert!(permitted("localhost", found.clone(), false).is_empty());
        assert_eq!(
            permitted("localhost", found, true),
            addrs(&["127.0.0.1", "::1"])
        );
    }

    #[tokio::test]
    async fn resolving_localhost_is_refused_unless_allowed() {
        let strict = GuardedResolver::new(false);
        let error = match strict.resolve(Name::from_str("localhost").unwrap()).await {
            Ok(_) => panic!("localhost resolved under the strict policy"),
            Err(e) => e,
        };
        assert!(is_blocked_address(error.as_ref()));

        let sandbox = GuardedResolver::new(true);
        let found: Vec<_> = sandbox
            .resolve(Name::from_str("localhost").unwrap())
            .await
            .unwrap()
            .collect();
        assert!(!found.is_empty());
        assert!(found.iter().all(|a| a.ip().is_loopback()));
    }
}
