//! The seed file's shape (`seed/default.json`): merchants with their customers and cards, and
//! the web-service users that may log in. Field names follow the gateway's response keys
//! where a card is concerned, so a seed card reads like a `token.cfm` answer. Section numbers
//! (§N.M) refer to docs/assist-api.md.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::language::Language;

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SeedFile {
    #[serde(default)]
    #[allow(dead_code)] // documentation inside the file
    pub about: Option<String>,
    pub merchants: Vec<SeedMerchant>,
    pub users: Vec<SeedUser>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SeedMerchant {
    pub merchant_id: u32,
    pub name: String,
    /// `RU` or `BY`: which family of hosts the merchant would live on (§2).
    #[serde(default)]
    pub region: Option<String>,
    /// Default language of fault details (§3: "language configured for the merchant").
    pub language: Language,
    pub one_click: OneClick,
    pub customers: Vec<SeedCustomer>,
}

/// The merchant's One Click settings from the Personal Account (§8.5).
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct OneClick {
    /// Off: web-service calls get fault 19/350.
    pub enabled: bool,
    #[allow(dead_code)] // informational: the list and removal services ignore the mode
    pub mode: OneClickMode,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum OneClickMode {
    Standard,
    StoredOnly,
    StoreOnly,
}

/// Customer statuses of the Personal Account (§8.5); informational for these services.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum CustomerStatus {
    New,
    #[default]
    Member,
    NotActive,
    Deny,
    Fraud,
    Suspicious,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SeedCustomer {
    pub customer_number: String,
    #[serde(default)]
    pub status: CustomerStatus,
    #[serde(default)]
    pub note: Option<String>,
    pub cards: Vec<SeedCard>,
}

/// Card states of the Personal Account (§8.5). `deleted` cards are not listed and cannot be
/// removed again; `expired` and `fraud` cards are listed (with whatever `active` says).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum CardState {
    #[default]
    Member,
    Fraud,
    Expired,
    Deleted,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SeedCard {
    pub expire: String,
    pub token: String,
    pub bank: String,
    pub brand: String,
    pub bin: u32,
    pub active: bool,
    #[serde(rename = "needCVC")]
    pub need_cvc: bool,
    pub post: String,
    #[serde(default)]
    pub state: CardState,
    #[serde(default)]
    pub assets: SeedAssets,
}

/// A card's `assets` exactly as the seed spells it, so each "no media" form of §4.2 can be
/// reproduced per card.
#[derive(Clone, Debug, Default)]
pub(crate) enum SeedAssets {
    /// key absent
    #[default]
    Missing,
    /// `null`
    Null,
    /// `""`
    EmptyString,
    /// an array, possibly empty
    List(Vec<SeedAsset>),
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SeedAsset {
    pub asset_type: String,
    #[serde(default)]
    pub alt_text: Option<String>,
    pub payment_type: String,
    pub asset_data: Vec<SeedAssetData>,
}

/// One file of an asset. `media` names a file the sandbox serves under `/media/`; the
/// response carries an absolute URL to it instead.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SeedAssetData {
    pub media: String,
    pub media_type: String,
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SeedUser {
    pub login: String,
    pub password: String,
    pub merchant_id: u32,
    /// Has the "web service user" right; without it every call is fault 19/350.
    pub web_service: bool,
    #[serde(default)]
    #[allow(dead_code)] // documentation inside the file
    pub note: Option<String>,
}

impl<'de> Deserialize<'de> for SeedAssets {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AssetsVisitor;

        impl<'de> Visitor<'de> for AssetsVisitor {
            type Value = SeedAssets;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(r#"an array of assets, "" or null"#)
            }

            fn visit_unit<E: de::Error>(self) -> Result<SeedAssets, E> {
                Ok(SeedAssets::Null)
            }

            fn visit_none<E: de::Error>(self) -> Result<SeedAssets, E> {
                Ok(SeedAssets::Null)
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<SeedAssets, E> {
                if s.is_empty() {
                    Ok(SeedAssets::EmptyString)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(s), &self))
                }
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<SeedAssets, A::Error> {
                let list =
                    Vec::<SeedAsset>::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(SeedAssets::List(list))
            }
        }

        deserializer.deserialize_any(AssetsVisitor)
    }
}
