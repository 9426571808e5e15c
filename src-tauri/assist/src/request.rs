//! Why: the request bodies must match the documentation's examples key for key — nested
//! `merchant`, all-lowercase keys, `merchant_id` as a string (docs/assist-api.md §3.1, §4, §5) —
//! since that is the only spelling shown to work. This is the one place the password is
//! written out; the body goes straight to the HTTP client and is never logged or kept.

use serde::Serialize;

use crate::customer::CustomerNumber;
use crate::language::Language;
use crate::merchant::{Login, MerchantId, Password};
use crate::token::CardToken;

/// The documented endpoint paths (docs/assist-api.md §4, §5).
pub(crate) const LIST_PATH: &str = "/pay/oneclick/v1/token.cfm";
pub(crate) const REMOVE_PATH: &str = "/pay/oneclick/v1/rem_token.cfm";

/// The credentials block, borrowed from the client's configuration.
pub(crate) struct Credentials<'a> {
    pub(crate) merchant_id: &'a MerchantId,
    pub(crate) login: &'a Login,
    pub(crate) password: &'a Password,
    pub(crate) language: Option<Language>,
}

#[derive(Serialize)]
struct Body<'a> {
    merchant: MerchantBlock<'a>,
    customernumber: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'static str>,
}

#[derive(Serialize)]
struct MerchantBlock<'a> {
    merchant_id: &'a str,
    login: &'a str,
    password: &'a str,
}

impl Credentials<'_> {
    /// token.cfm: `{"merchant":{…},"customernumber":…,"language":…}` (§4).
    pub(crate) fn list_body(&self, customer: &CustomerNumber) -> Vec<u8> {
        self.body(customer, None)
    }

    /// rem_token.cfm: the list body plus `"token"` (§5).
    pub(crate) fn removal_body(&self, customer: &CustomerNumber, token: &CardToken) -> Vec<u8> {
        self.body(customer, Some(token))
    }

    fn body(&self, customer: &CustomerNumber, token: Option<&CardToken>) -> Vec<u8> {
        let body = Body {
            merchant: MerchantBlock {
                merchant_id: self.merchant_id.as_str(),
                login: self.login.as_str(),
                password: self.password.expose(),
            },
            customernumber: customer.as_str(),
            token: token.map(CardToken::as_str),
            language: self.language.map(Language::as_str),
        };
        // Serialising borrowed strings into a Vec cannot fail; fall back to an empty body
        // (which the gateway refuses) rather than panic if it ever did.
        serde_json::to_vec(&body).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::path::PathBuf;

    use super::*;

    fn fixture(name: &str) -> serde_json::Value {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/assist")
            .join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn doc_credentials<'a>(
        id: &'a MerchantId,
        login: &'a Login,
        password: &'a Password,
    ) -> Credentials<'a> {
        Credentials {
            merchant_id: id,
            login,
            password,
            language: Some(Language::Ru),
        }
    }

    #[test]
    fn list_body_equals_the_documentation_example() {
        let (id, login) = (
            MerchantId::new("452739").unwrap(),
            Login::new("LOGIN").unwrap(),
        );
        let password = Password::new("PASSWORD").unwrap();
        let body = doc_credentials(&id, &login, &password)
            .list_body(&CustomerNumber::new("1234").unwrap());
        let sent: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(sent, fixture("token-request.json"));
        assert!(sent["merchant"]["merchant_id"].is_string());
    }

    #[test]
    fn removal_body_equals_the_documentation_example() {
        let (id, login) = (
            MerchantId::new("452739").unwrap(),
            Login::new("LOGIN").unwrap(),
        );
        let password = Password::new("PASSWORD").unwrap();
        let token = CardToken::new("54F5A3DE-4B47-4B40-03B5-7FF992D6B401").unwrap();
        let body = doc_credentials(&id, &login, &password)
            .removal_body(&CustomerNumber::new("1234").unwrap(), &token);
        let sent: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(sent, fixture("rem-token-request.json"));
    }

    #[test]
    fn language_is_omitted_when_not_configured() {
        let (id, login) = (MerchantId::new("1").unwrap(), Login::new("l").unwrap());
        let password = Password::new("p").unwrap();
        let creds = Credentials {
            language: None,
            ..doc_credentials(&id, &login, &password)
        };
        let sent: serde_json::Value =
            serde_json::from_slice(&creds.list_body(&CustomerNumber::new("c").unwrap())).unwrap();
        assert!(sent.get("language").is_none());
        assert!(sent.get("token").is_none());
    }
}
