//! Cards as the UI shows them: masked (BIN and last 4 only, design.md §5), with the expiry
//! already judged against today so every view agrees on "expired".

use assist::{Card, YearMonth};
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpiryView {
    pub month: u8,
    pub year: u16,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
}

impl CardView {
    pub fn new(card: &Card, today: YearMonth) -> CardView {
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
        }
    }
}

/// One customer's cards at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CardList {
    pub customer: String,
    pub cards: Vec<CardView>,
    /// RFC 3339, UTC.
    pub fetched_at: String,
}

impl CardList {
    pub fn new(customer: &str, cards: &[Card], at: OffsetDateTime) -> CardList {
        let today = YearMonth::new(at.year().clamp(0, 9999) as u16, u8::from(at.month()))
            .unwrap_or_else(YearMonth::current_utc);
        CardList {
            customer: customer.to_owned(),
            cards: cards.iter().map(|c| CardView::new(c, today)).collect(),
            fetched_at: at.format(&Rfc3339).unwrap_or_default(),
        }
    }
}
