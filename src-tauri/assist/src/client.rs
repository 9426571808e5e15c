//! Why: the one way Card Desk talks to the gateway. Listing is idempotent and retried with
//! backoff on transport failures and rate limiting (docs/design.md §5); removal is sent exactly
//! once and, when its reply is lost, settled by re-reading the card list (docs/assist-api.md
//! §12.14) — never by a blind retry.

use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::base_url::BaseUrl;
use crate::card::Card;
use crate::customer::CustomerNumber;
use crate::error::Error;
use crate::http::{PostError, Reply, post_json};
use crate::language::Language;
use crate::merchant::{Login, MerchantId, Password};
use crate::outcome::RemovalOutcome;
use crate::pace::{Pace, Turn};
use crate::redact::scrub;
use crate::reply::{interpret_list, interpret_removal};
use crate::request::{Credentials, LIST_PATH, REMOVE_PATH};
use crate::token::CardToken;

/// The most tries a listing ever gets, whatever the configuration says.
pub const MAX_LIST_TRIES: u32 = 3;

/// Everything a [`Client`] needs. `Debug` shows the password as `<redacted>`.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub base_url: BaseUrl,
    pub merchant_id: MerchantId,
    pub login: Login,
    pub password: Password,
    /// Sent as `language` when set; otherwise the merchant's default applies (§3).
    pub language: Option<Language>,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for one whole request, from sending to the last byte of the reply.
    pub total_timeout: Duration,
    /// Tries in total (not extra retries) for one listing: clamped to 1–3, default 3.
    pub list_retries: u32,
    /// Pause before the second try; doubled before each later one.
    pub retry_backoff: Duration,
}

impl ClientConfig {
    /// Defaults: no language, 5 s to connect, 20 s per request, 3 tries, 200 ms backoff.
    pub fn new(
        base_url: BaseUrl,
        merchant_id: MerchantId,
        login: Login,
        password: Password,
    ) -> Self {
        Self {
            base_url,
            merchant_id,
            login,
            password,
            language: None,
            connect_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(20),
            list_retries: MAX_LIST_TRIES,
            retry_backoff: Duration::from_millis(200),
        }
    }
}

/// A client for one merchant at one gateway. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
    config: Arc<ClientConfig>,
    list_url: Url,
    remove_url: Url,
    /// When set, every request holds one permit while it is in flight: a bulk job's limit
    /// on concurrent gateway requests, however many rows it has in hand.
    gate: Option<Arc<tokio::sync::Semaphore>>,
    /// When set, every request waits for its turn and reports whether the gateway refused it
    /// (a bulk job's adaptive rate, see `pace.rs`).
    pace: Option<Arc<Pace>>,
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.total_timeout)
            // A redirect could carry the body (and the password) to another host.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("card-desk-assist/", env!("CARGO_PKG_VERSION")));
        if config.base_url.is_loopback() {
            // A proxy from the environment must not see, or break, sandbox traffic.
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| Error::Setup {
            detail: if e.is_builder() {
                "invalid HTTP client settings or no TLS support".to_owned()
            } else {
                "HTTP client failure".to_owned()
            },
        })?;
        Ok(Self {
            http,
            list_url: config.base_url.endpoint(LIST_PATH),
            remove_url: config.base_url.endpoint(REMOVE_PATH),
            config: Arc::new(config),
            gate: None,
            pace: None,
        })
    }

    /// A clone whose requests (by all its clones) share `gate`'s permits: at most that many
    /// in flight at once. Waiting for a permit is not part of a request's timeout.
    pub fn with_gate(&self, gate: Arc<tokio::sync::Semaphore>) -> Client {
        Client {
            gate: Some(gate),
            ..self.clone()
        }
    }

    /// A clone whose requests (by all its clones) go at `pace`: each waits for its turn, and
    /// a refusal (17/3, HTTP 429/503) slows every one of them down.
    pub fn with_pace(&self, pace: Arc<Pace>) -> Client {
        Client {
            pace: Some(pace),
            ..self.clone()
        }
    }

    /// Sends one request when its turn comes (and a gate permit is free); the turn is to be
    /// reported with [`Client::report`] once the reply is read.
    async fn post(&self, url: &Url, body: Vec<u8>) -> (Option<Turn>, Result<Reply, PostError>) {
        let turn = match &self.pace {
            Some(pace) => Some(pace.turn().await),
            None => None,
        };
        let _permit = match &self.gate {
            Some(gate) => gate.acquire().await.ok(),
            None => None,
        };
        (turn, post_json(&self.http, url, body).await)
    }

    /// Tells the pace what became of a request: refused (`error` is a refusal), accepted (any
    /// reply that is not), or nothing learned (no reply).
    fn report(&self, turn: Option<Turn>, error: Option<&Error>, retry_after: Option<Duration>) {
        let (Some(pace), Some(turn)) = (&self.pace, turn) else {
            return;
        };
        match error {
            Some(e) if e.is_refusal() => pace.refused(turn, retry_after),
            Some(Error::Transport { status: None, .. }) => {}
            _ => pace.accepted(turn),
        }
    }

    pub fn base_url(&self) -> &BaseUrl {
        &self.config.base_url
    }

    pub fn merchant_id(&self) -> &MerchantId {
        &self.config.merchant_id
    }

    pub fn language(&self) -> Option<Language> {
        self.config.language
    }

    /// The customer's saved cards (token.cfm, docs/assist-api.md §4).
    ///
    /// Every error's gateway text is scrubbed of the password (`redact.rs`).
    ///
    /// An empty list is `Ok(vec![])`, whether the gateway sends `[]` or a "not found" fault
    /// (§12.5). Transport failures and the rate-limit fault are retried with exponential
    /// backoff, up to [`ClientConfig::list_retries`] tries in all; other faults are returned
    /// at once.
    pub async fn list_cards(&self, customer: &CustomerNumber) -> Result<Vec<Card>, Error> {
        let tries = self.config.list_retries.clamp(1, MAX_LIST_TRIES);
        let mut delay = self.config.retry_backoff;
        let mut attempt = 1;
        loop {
            let body = self.credentials().list_body(customer);
            let (turn, posted) = self.post(&self.list_url, body).await;
            let retry_after = posted.as_ref().ok().and_then(|r| r.retry_after);
            let result = match posted {
                Ok(reply) => interpret_list(reply.status, &reply.body),
                Err(e) => Err(e.error),
            }
            .map_err(|e| self.scrub_error(e));
            self.report(turn, result.as_ref().err(), retry_after);
            match result {
                Err(e) if attempt < tries && e.is_retryable() => {
                    tokio::time::sleep(delay).await;
                    delay = delay.saturating_mul(2);
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// Removes one saved card (rem_token.cfm, docs/assist-api.md §5), sending exactly one request.
    ///
    /// The outcome says only what is known (docs/gateway.md, "After a removal"); every text
    /// in it that came from the gateway, the success `message` included, is scrubbed of the
    /// password (`redact.rs`):
    ///
    /// * success `message` → [`RemovalOutcome::Removed`];
    /// * no connection could be made → [`RemovalOutcome::NotRemoved`]: nothing left the
    ///   machine, so the gateway cannot have acted;
    /// * a "not found" fault (first code 10, §12.5, §12.14) → the list is re-read:
    ///   `NotRemoved` with `token_listed` saying whether the card is still there (absent means
    ///   it was gone before this request, or was removed by an earlier one whose reply was
    ///   lost);
    /// * refused by the rate limit (fault 17/3, or an HTTP 429 or 503) → `NotRemoved`: the
    ///   gateway did not process it; try again later;
    /// * a fault that leaves the outcome open — an internal error (first code 2) or an
    ///   operation timeout (first code 16) — or a lost or unreadable reply (timeout, reset,
    ///   non-JSON body, unexpected JSON) → the list is re-read: token absent →
    ///   [`RemovalOutcome::RemovedConfirmedByRecheck`]; still listed, or the re-read failed →
    ///   [`RemovalOutcome::Unknown`]: the gateway may still be working on the request, and a
    ///   later re-check will tell. Never "not removed": that would invite a second removal;
    /// * any other fault → `NotRemoved` (the gateway refused the request).
    ///
    /// A re-read can only tell that the token is absent *now*, so remove tokens just seen in
    /// this customer's list (the desk's card grid, a bulk job's dry run): a token that was
    /// never this customer's would look "removed" after a lost reply.
    pub async fn remove_card(
        &self,
        customer: &CustomerNumber,
        token: &CardToken,
    ) -> RemovalOutcome {
        let body = self.credentials().removal_body(customer, token);
        let (turn, posted) = self.post(&self.remove_url, body).await;
        let retry_after = posted.as_ref().ok().and_then(|r| r.retry_after);
        let result = match posted {
            Ok(reply) => interpret_removal(reply.status, &reply.body).map_err(PostError::from),
            Err(e) => Err(e),
        };
        self.report(turn, result.as_ref().err().map(|e| &e.error), retry_after);
        // Every gateway text is scrubbed here, before anything (the audit log) sees it.
        let result = match result {
            Ok(message) => Ok(scrub(&message, self.config.password.expose())),
            Err(PostError { error, maybe_sent }) => Err(PostError {
                error: self.scrub_error(error),
                maybe_sent,
            }),
        };
        let lost = match result {
            Ok(message) => return RemovalOutcome::Removed { message },
            Err(PostError {
                error,
                maybe_sent: false,
            }) => {
                return RemovalOutcome::NotRemoved {
                    reason: error,
                    token_listed: None,
                };
            }
            // Refused by the gateway's rate limit (17/3) or a proxy's 429/503: the request was
            // not processed (docs/gateway.md, "Rate limits").
            Err(PostError { error, .. }) if error.is_refusal() => {
                return RemovalOutcome::NotRemoved {
                    reason: error,
                    token_listed: None,
                };
            }
            Err(PostError {
                error: Error::Fault(fault),
                ..
            }) if !fault.leaves_removal_open() => {
                let token_listed = if fault.is_not_found() {
                    self.token_listed(customer, token).await.ok()
                } else {
                    None
                };
                return RemovalOutcome::NotRemoved {
                    reason: Error::Fault(fault),
                    token_listed,
                };
            }
            Err(PostError { error, .. }) => error,
        };
        // Give a gateway that is still working on the request a moment to finish.
        tokio::time::sleep(self.config.retry_backoff).await;
        match self.token_listed(customer, token).await {
            Ok(false) => RemovalOutcome::RemovedConfirmedByRecheck { cause: lost },
            Ok(true) => RemovalOutcome::Unknown {
                reason: lost,
                recheck: None,
            },
            Err(recheck) => RemovalOutcome::Unknown {
                reason: lost,
                recheck: Some(recheck),
            },
        }
    }

    /// Whether a fresh card list still holds `token` (compared ignoring ASCII case).
    async fn token_listed(
        &self,
        customer: &CustomerNumber,
        token: &CardToken,
    ) -> Result<bool, Error> {
        let cards = self.list_cards(customer).await?;
        Ok(cards.iter().any(|card| token.same_card_as(&card.token)))
    }

    /// The error with the password scrubbed from its gateway texts (see `redact.rs`).
    fn scrub_error(&self, error: Error) -> Error {
        error.redact(self.config.password.expose())
    }

    fn credentials(&self) -> Credentials<'_> {
        Credentials {
            merchant_id: &self.config.merchant_id,
            login: &self.config.login,
            password: &self.config.password,
            language: self.config.language,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn config(base: &str) -> ClientConfig {
        ClientConfig::new(
            BaseUrl::new(base).unwrap(),
            MerchantId::new("452739").unwrap(),
            Login::new("LOGIN").unwrap(),
            Password::new("Canary-Pw-7Q2x").unwrap(),
        )
    }

    #[test]
    fn builds_for_https_and_loopback_and_redacts_the_password() {
        for base in ["https://payments.demo.paysecure.ru", "http://127.0.0.1:1"] {
            let client = Client::new(config(base)).unwrap();
            let debug = format!("{client:?}");
            assert!(!debug.contains("Canary-Pw-7Q2x"), "{debug}");
            assert!(debug.contains("<redacted>"));
        }
        let client = Client::new(config("https://test.paysec.by/")).unwrap();
        assert_eq!(
            client.list_url.as_str(),
            "https://test.paysec.by/pay/oneclick/v1/token.cfm"
        );
        assert_eq!(
            client.remove_url.as_str(),
            "https://test.paysec.by/pay/oneclick/v1/rem_token.cfm"
        );
    }

    #[test]
    fn client_and_its_futures_can_cross_threads() {
        fn send_sync<T: Send + Sync>(_: &T) {}
        fn send<T: Send>(_: T) {}
        let client = Client::new(config("http://127.0.0.1:1")).unwrap();
        send_sync(&client);
        let customer = CustomerNumber::new("1234").unwrap();
        let token = CardToken::new("49D902C6-1CCF-4605-9228-11D0E8115C77").unwrap();
        send(client.list_cards(&customer));
        send(client.remove_card(&customer, &token));
    }

    #[test]
    fn defaults() {
        let c = config("https://test.paysec.by");
        assert_eq!(c.list_retries, 3);
        assert_eq!(c.language, None);
        assert!(c.connect_timeout <= c.total_timeout);
    }
}
