//! A stored card as `token.cfm` returns it (docs/assist-api.md §4.1, §4.2, §11.2–§11.6).
//!
//! Keys come out in the documentation example's order (`expire, token, bank, brand, bin,
//! active, needCVC, post, assets`; inside an asset `assetType, altText, paymentType,
//! assetData[url, mediaType, width, height]`), with the doc's types: `bin` a number, `post`
//! a string, booleans as booleans, `width`/`height`/`altText` possibly `null`. Asset URLs
//! point at this sandbox's `/media/`.

use serde_json::{Map, Value, json};

use crate::fault_plan::NoMediaForm;
use crate::seed::{SeedAsset, SeedAssets, SeedCard};

/// Renders one card. `base` is `http://host[:port]`; `no_media` overrides the seed's own
/// form for cards without media.
pub(crate) fn card_json(card: &SeedCard, base: &str, no_media: Option<NoMediaForm>) -> Value {
    let mut out = Map::new();
    out.insert("expire".into(), json!(card.expire));
    out.insert("token".into(), json!(card.token));
    out.insert("bank".into(), json!(card.bank));
    out.insert("brand".into(), json!(card.brand));
    out.insert("bin".into(), json!(card.bin));
    out.insert("active".into(), json!(card.active));
    out.insert("needCVC".into(), json!(card.need_cvc));
    out.insert("post".into(), json!(card.post));
    let assets = match &card.assets {
        SeedAssets::List(list) if !list.is_empty() => {
            Some(list.iter().map(|asset| asset_json(asset, base)).collect())
        }
        seed_form => match no_media.unwrap_or_else(|| own_form(seed_form)) {
            NoMediaForm::EmptyString => Some(json!("")),
            NoMediaForm::EmptyArray => Some(json!([])),
            NoMediaForm::Null => Some(Value::Null),
            NoMediaForm::Missing => None,
        },
    };
    if let Some(assets) = assets {
        out.insert("assets".into(), assets);
    }
    Value::Object(out)
}

fn own_form(assets: &SeedAssets) -> NoMediaForm {
    match assets {
        SeedAssets::Missing => NoMediaForm::Missing,
        SeedAssets::Null => NoMediaForm::Null,
        SeedAssets::EmptyString => NoMediaForm::EmptyString,
        SeedAssets::List(_) => NoMediaForm::EmptyArray,
    }
}

fn asset_json(asset: &SeedAsset, base: &str) -> Value {
    let data: Vec<Value> = asset
        .asset_data
        .iter()
        .map(|d| {
            json!({
                "url": format!("{base}/media/{}", d.media),
                "mediaType": d.media_type,
                "width": d.width,
                "height": d.height,
            })
        })
        .collect();
    json!({
        "assetType": asset.asset_type,
        "altText": asset.alt_text,
        "paymentType": asset.payment_type,
        "assetData": data,
    })
}
