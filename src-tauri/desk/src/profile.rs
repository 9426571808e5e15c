//! A merchant profile: where the gateway is and who we are there. The password is not part
//! of it — it lives only in the OS keyring (docs/design.md §4).

use assist::{BaseUrl, Language, Login, MerchantId};
use serde::{Deserialize, Serialize};

/// Which gateway a profile talks to; the UI colours its banner by it (production red).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    Sandbox,
    Test,
    Production,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub name: String,
    pub environment: Environment,
    #[serde(serialize_with = "as_display")]
    pub base_url: BaseUrl,
    #[serde(serialize_with = "as_display")]
    pub merchant_id: MerchantId,
    #[serde(serialize_with = "as_display")]
    pub login: Login,
    #[serde(serialize_with = "as_display")]
    pub language: Language,
}

fn as_display<T: std::fmt::Display, S: serde::Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

impl Profile {
    /// The built-in demo profile on the embedded sandbox: the documentation's own merchant.
    pub fn sandbox(base_url: BaseUrl) -> Result<Profile, assist::ValidationError> {
        Ok(Profile {
            name: "Sandbox".into(),
            environment: Environment::Sandbox,
            base_url,
            merchant_id: MerchantId::new("452739")?,
            login: Login::new("LOGIN")?,
            language: Language::En,
        })
    }
}
