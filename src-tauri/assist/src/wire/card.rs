//! Why: a token.cfm card object (docs/assist-api.md §4.1, §4.2) arrives with loosely typed values
//! — `bin` a number, booleans as `"YES"`, `assets` as `""` — and must become a [`Card`]
//! without an intermediate `serde_json::Value`, so a 200-card reply parses within budget.

use serde::de::{IgnoredAny, MapAccess};

use super::shape::{FromMap, Many};
use crate::asset::{Asset, AssetData};
use crate::card::Card;
use crate::expiry::Expiry;
use crate::lenient::{Key, Scalar, known_keys};

known_keys!(CardKey {
    Token: "token",
    Post: "post",
    Bin: "bin",
    Brand: "brand",
    Bank: "bank",
    Expire: "expire",
    Active: "active",
    NeedCvc: "needCVC" | "need_cvc",
    Assets: "assets",
});

/// A card as token.cfm sends it, read into a [`Card`].
pub(super) struct WireCard(pub(super) Card);

impl<'de> FromMap<'de> for WireCard {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let [
            mut token,
            mut post,
            mut bin,
            mut brand,
            mut bank,
            mut expire,
            mut active,
            mut cvc,
        ] = <[Scalar; 8]>::default();
        let mut assets = Many::<WireAsset>::default();
        while let Some(Key(key)) = map.next_key::<Key<CardKey>>()? {
            let slot = match key {
                Some(CardKey::Token) => &mut token,
                Some(CardKey::Post) => &mut post,
                Some(CardKey::Bin) => &mut bin,
                Some(CardKey::Brand) => &mut brand,
                Some(CardKey::Bank) => &mut bank,
                Some(CardKey::Expire) => {
                    // The number's own text: `10.2030` read as an f64 prints as `10.203`.
                    let raw: Box<serde_json::value::RawValue> = map.next_value()?;
                    expire = expire_text(raw.get());
                    continue;
                }
                Some(CardKey::Active) => &mut active,
                Some(CardKey::NeedCvc) => &mut cvc,
                Some(CardKey::Assets) => {
                    assets = map.next_value()?;
                    continue;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = map.next_value()?;
        }
        Ok(Self(Card {
            token: token.into_text().unwrap_or_default(),
            // §12.7: `bin` is a number in the docs; keep a digit string of ≥ 6 (8 kept).
            bin: bin.digits(6),
            // §4.1: `post` is a string with leading zeros; pad it if it comes as a number.
            last4: post.digits(4),
            brand: brand.into_text().unwrap_or_default(),
            bank: bank.into_text().unwrap_or_default(),
            expiry: Expiry::parse(expire.into_text().unwrap_or_default()),
            // §12.8, §12.9: usable only when `active` is truly true; CVC assumed needed.
            active: active.flag().unwrap_or(false),
            need_cvc: cvc.flag().unwrap_or(true),
            assets: assets.objects().into_iter().map(|a| a.0).collect(),
        }))
    }
}

known_keys!(AssetKey {
    Type: "assetType" | "asset_type",
    AltText: "altText" | "alt_text",
    PaymentType: "paymentType" | "payment_type",
    Data: "assetData" | "asset_data",
});

/// One `assets` element (§4.2).
pub(super) struct WireAsset(Asset);

impl<'de> FromMap<'de> for WireAsset {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut asset = Asset::default();
        while let Some(Key(key)) = map.next_key::<Key<AssetKey>>()? {
            match key {
                Some(AssetKey::Type) => {
                    asset.asset_type = map.next_value::<Scalar>()?.into_text().unwrap_or_default();
                }
                Some(AssetKey::AltText) => asset.alt_text = optional(map.next_value()?),
                Some(AssetKey::PaymentType) => asset.payment_type = optional(map.next_value()?),
                Some(AssetKey::Data) => {
                    let data: Many<WireAssetData> = map.next_value()?;
                    asset.data = data.objects().into_iter().map(|d| d.0).collect();
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Self(asset))
    }
}

known_keys!(DataKey {
    Url: "url",
    MediaType: "mediaType" | "media_type",
    Width: "width",
    Height: "height",
});

/// One `assetData` element (§4.2); `width`/`height` may be `null` (§12.6).
pub(super) struct WireAssetData(AssetData);

impl<'de> FromMap<'de> for WireAssetData {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut data = AssetData::default();
        while let Some(Key(key)) = map.next_key::<Key<DataKey>>()? {
            let value: Scalar = map.next_value()?;
            match key {
                Some(DataKey::Url) => data.url = value.into_text().unwrap_or_default(),
                Some(DataKey::MediaType) => data.media_type = value.into_text().unwrap_or_default(),
                Some(DataKey::Width) => data.width = value.size(),
                Some(DataKey::Height) => data.height = value.size(),
                None => {}
            }
        }
        Ok(Self(data))
    }
}

/// An optional text such as `altText`: `null`, missing and `""` are all absent.
fn optional(value: Scalar) -> Option<String> {
    value.into_text().filter(|t| !t.is_empty())
}

/// `expire` as sent: a JSON string's value, or a number's digits exactly as written (so
/// `10.2030` stays October 2030 rather than becoming `10.203`); anything else is missing.
fn expire_text(raw: &str) -> Scalar {
    let raw = raw.trim();
    if raw.starts_with('"') {
        return serde_json::from_str::<String>(raw).map_or(Scalar::Missing, Scalar::Str);
    }
    if raw.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        return Scalar::Str(raw.to_owned());
    }
    Scalar::Missing
}
