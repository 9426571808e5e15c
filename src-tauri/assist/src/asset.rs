//! Why: card art (`assets`, docs/assist-api.md §4.2) is what lets an agent and a customer agree on
//! which card is meant. Its value lists are open-ended and the documentation contradicts
//! itself (`image/pdf` vs `application/pdf`, §13), so values are kept as sent and read
//! through [`AssetKind`] and [`MediaKind`], which have an `Other` for anything new.

use serde::{Deserialize, Serialize};

/// One card-art component: `{assetType, altText, paymentType, assetData[]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Asset {
    /// As sent, e.g. `"CARD_BACKGROUND"`; see [`Asset::kind`].
    pub asset_type: String,
    pub alt_text: Option<String>,
    /// As sent, e.g. `"VISA"`, `"MC"`. Not the same vocabulary as the card's `brand` (§12.10).
    pub payment_type: Option<String>,
    /// `assetData`; one entry in every documented example, possibly none.
    pub data: Vec<AssetData>,
}

/// One media file of an asset: `{url, mediaType, width, height}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssetData {
    pub url: String,
    /// As sent, e.g. `"image/png"`, `"image/pdf"`; see [`AssetData::media`].
    pub media_type: String,
    /// Pixels; `None` for PDFs in the documentation's example.
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// The documented asset types (docs/assist-api.md §4.2), and `Other` for anything else.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AssetKind {
    BrandLogo,
    IssuerLogo,
    CoBrandLogo,
    CardBackgroundCombined,
    CardBackground,
    Icon,
    TermsAndConditions,
    Other(String),
}

/// What a media file is, from its declared type; `Other` keeps an unknown type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MediaKind {
    Png,
    /// `image/pdf` (as in the documentation's example) or `application/pdf`.
    Pdf,
    PlainText,
    /// `text/html`: never to be rendered as HTML (docs/design.md §5).
    Html,
    Other(String),
}

impl Asset {
    pub fn kind(&self) -> AssetKind {
        let t = self.asset_type.trim();
        let known = [
            ("BRAND_LOGO", AssetKind::BrandLogo),
            ("ISSUER_LOGO", AssetKind::IssuerLogo),
            ("CO_BRAND_LOGO", AssetKind::CoBrandLogo),
            (
                "CARD_BACKGROUND_COMBINED",
                AssetKind::CardBackgroundCombined,
            ),
            ("CARD_BACKGROUND", AssetKind::CardBackground),
            ("ICON", AssetKind::Icon),
            ("TERMS_AND_CONDITIONS", AssetKind::TermsAndConditions),
        ];
        known
            .into_iter()
            .find(|(name, _)| t.eq_ignore_ascii_case(name))
            .map_or_else(
                || AssetKind::Other(self.asset_type.clone()),
                |(_, kind)| kind,
            )
    }
}

impl AssetData {
    pub fn media(&self) -> MediaKind {
        // Parameters such as "; charset=utf-8" do not change the kind.
        let essence = self.media_type.split(';').next().unwrap_or_default().trim();
        let is = |name: &str| essence.eq_ignore_ascii_case(name);
        if is("image/png") {
            MediaKind::Png
        } else if is("image/pdf") || is("application/pdf") {
            MediaKind::Pdf
        } else if is("text/plain") {
            MediaKind::PlainText
        } else if is("text/html") {
            MediaKind::Html
        } else {
            MediaKind::Other(self.media_type.clone())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_known_and_other() {
        let a = Asset {
            asset_type: "CARD_BACKGROUND_COMBINED".into(),
            ..Asset::default()
        };
        assert_eq!(a.kind(), AssetKind::CardBackgroundCombined);
        let b = Asset {
            asset_type: "HOLOGRAM".into(),
            ..Asset::default()
        };
        assert_eq!(b.kind(), AssetKind::Other("HOLOGRAM".into()));
    }

    #[test]
    fn media_kinds() {
        let d = |t: &str| AssetData {
            media_type: t.into(),
            ..AssetData::default()
        };
        assert_eq!(d("image/pdf").media(), MediaKind::Pdf);
        assert_eq!(d("application/pdf").media(), MediaKind::Pdf);
        assert_eq!(d("IMAGE/PNG").media(), MediaKind::Png);
        assert_eq!(d("text/html; charset=utf-8").media(), MediaKind::Html);
        assert_eq!(
            d("image/svg+xml").media(),
            MediaKind::Other("image/svg+xml".into())
        );
    }
}
