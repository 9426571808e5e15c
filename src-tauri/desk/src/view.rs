//! Cards as the UI shows them: masked (BIN and last 4 only, docs/design.md §5), with the expiry
//! already judged against today so every view agrees on "expired", and the card art sorted
//! into the parts a tile is composed from (docs/assist-api.md §4.2).

use assist::{Asset, AssetKind, Card, MediaKind, YearMonth};
use base64::Engine as _;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ExpiryView {
    pub month: u8,
    pub year: u16,
}

/// How a media file is to be shown; `html` is never rendered as HTML (docs/design.md §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ArtFormat {
    Image,
    Pdf,
    Text,
    Html,
    Other,
}

/// One media file of a card, addressed by an opaque key that the app's `cardart:` URI scheme
/// resolves; the webview never sees the gateway's URL and reaches no remote origin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ArtRef {
    pub key: String,
    pub format: ArtFormat,
    pub media_type: String,
    pub alt: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// The parts a card tile is composed from: the combined background if there is one, else the
/// plain background with the logos on top, else a tile drawn in the brand's colours.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CardArt {
    pub combined: Option<ArtRef>,
    pub background: Option<ArtRef>,
    pub brand_logo: Option<ArtRef>,
    pub issuer_logo: Option<ArtRef>,
    pub co_brand_logo: Option<ArtRef>,
    pub icon: Option<ArtRef>,
    pub terms: Option<ArtRef>,
}

/// The key of a media URL within a profile: `<profile id>.<base64url(url)>` — no character
/// that needs escaping in a URL path.
pub fn art_key(profile_id: &str, url: &str) -> String {
    format!(
        "{profile_id}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(url)
    )
}

/// Splits an art key back into profile id and URL; `None` for anything malformed.
pub fn parse_art_key(key: &str) -> Option<(String, String)> {
    let (profile, encoded) = key.split_once('.')?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded)
        .ok()?;
    Some((profile.to_owned(), String::from_utf8(bytes).ok()?))
}

fn art_ref(profile_id: &str, asset: &Asset) -> Option<ArtRef> {
    let data = asset.data.first()?;
    if data.url.is_empty() {
        return None;
    }
    let format = match data.media() {
        MediaKind::Png => ArtFormat::Image,
        MediaKind::Pdf => ArtFormat::Pdf,
        MediaKind::PlainText => ArtFormat::Text,
        MediaKind::Html => ArtFormat::Html,
        MediaKind::Other(t) if t.starts_with("image/") => ArtFormat::Image,
        MediaKind::Other(_) => ArtFormat::Other,
    };
    Some(ArtRef {
        key: art_key(profile_id, &data.url),
        format,
        media_type: data.media_type.clone(),
        alt: asset.alt_text.clone(),
        width: data.width,
        height: data.height,
    })
}

impl CardArt {
    pub fn new(profile_id: &str, card: &Card) -> CardArt {
        let mut art = CardArt::default();
        for asset in &card.assets {
            let slot = match asset.kind() {
                AssetKind::CardBackgroundCombined => &mut art.combined,
                AssetKind::CardBackground => &mut art.background,
                AssetKind::BrandLogo => &mut art.brand_logo,
                AssetKind::IssuerLogo => &mut art.issuer_logo,
                AssetKind::CoBrandLogo => &mut art.co_brand_logo,
                AssetKind::Icon => &mut art.icon,
                AssetKind::TermsAndConditions => &mut art.terms,
                AssetKind::Other(_) => continue,
            };
            if slot.is_none() {
                *slot = art_ref(profile_id, asset);
            }
        }
        art
    }

    /// Every key this art refers to.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        [
            &self.combined,
            &self.background,
            &self.brand_logo,
            &self.issuer_logo,
            &self.co_brand_logo,
            &self.icon,
            &self.terms,
        ]
        .into_iter()
        .flatten()
        .map(|a| a.key.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CardView {
    pub token: String,
    pub bin: String,
    pub last4: String,
    pub masked: String,
    pub brand: String,
    pub bank: String,
    pub expiry: Option<ExpiryView>,
    /// `MM/YYYY`, or the gateway's text when it could not be read.
    pub expiry_text: String,
    pub active: bool,
    pub need_cvc: bool,
    pub expired: bool,
    /// Expires this month or next.
    pub expires_soon: bool,
    pub art: CardArt,
}

impl CardView {
    pub fn new(profile_id: &str, card: &Card, today: YearMonth) -> CardView {
        let expiry = card.expiry.month_year().map(|ym| ExpiryView {
            month: ym.month,
            year: ym.year,
        });
        let expiry_text = match &expiry {
            Some(e) => format!("{:02}/{}", e.month, e.year),
            None => card.expiry.raw.clone(),
        };
        CardView {
            token: card.token.clone(),
            bin: card.bin.clone(),
            last4: card.last4.clone(),
            masked: card.masked(),
            brand: card.brand.clone(),
            bank: card.bank.clone(),
            expiry,
            expiry_text,
            active: card.active,
            need_cvc: card.need_cvc,
            expired: card.is_expired(today),
            expires_soon: expires_soon(card, today),
            art: CardArt::new(profile_id, card),
        }
    }
}

fn expires_soon(card: &Card, today: YearMonth) -> bool {
    let Some(exp) = card.expiry.month_year() else {
        return false;
    };
    let months = |ym: YearMonth| i32::from(ym.year) * 12 + i32::from(ym.month);
    let left = months(exp) - months(today);
    (0..=1).contains(&left)
}
