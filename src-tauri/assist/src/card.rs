//! Why: one saved card as the rest of Card Desk sees it — normalised from the gateway's loose
//! JSON (docs/assist-api.md §4.1, §12.6–§12.10), serialisable in camelCase for the cache and the
//! UI, and displayable only in the PCI-safe masked form (docs/design.md §5).

use serde::{Deserialize, Serialize};

use crate::asset::{Asset, AssetKind};
use crate::expiry::{Expiry, YearMonth};
use crate::token::CardToken;
use crate::validation::ValidationError;

/// A saved card from token.cfm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Card {
    /// Exactly as the gateway sent it (§12.11); see [`Card::card_token`].
    pub token: String,
    /// First digits of the PAN as a digit string, zero-padded to at least 6 (8-digit BINs kept).
    pub bin: String,
    /// Last 4 digits of the PAN (`post`), zero-padded to 4.
    pub last4: String,
    /// The payment system as sent (`"VISA"`, `"MasterCard"`, …), not normalised (§12.10).
    pub brand: String,
    /// Issuer bank name; often `""`.
    pub bank: String,
    pub expiry: Expiry,
    /// Whether the gateway considers the card usable. A missing or unreadable flag is `false`.
    pub active: bool,
    /// Whether a CVC is needed to pay. A missing or unreadable flag is `true` (the safe side).
    pub need_cvc: bool,
    pub assets: Vec<Asset>,
}

/// The bullet used in masked card numbers.
const HIDDEN: char = '•';

impl Card {
    /// The token as a validated [`CardToken`], for [`crate::Client::remove_card`].
    pub fn card_token(&self) -> Result<CardToken, ValidationError> {
        CardToken::new(self.token.clone())
    }

    /// The PCI DSS display form: BIN and last 4 only, e.g. `4123 62•• •••• 0028`.
    ///
    /// The PAN's real length is not sent, so the 16-digit layout is always used. An 8-digit
    /// BIN shows its 8 digits (`5186 1501 •••• 1030`); a missing or malformed BIN or last 4
    /// is shown as bullets rather than guessed.
    pub fn masked(&self) -> String {
        let bin: Vec<char> = if is_digits(&self.bin) {
            self.bin.chars().take(8).collect()
        } else {
            Vec::new()
        };
        let last4: Vec<char> = if is_digits(&self.last4) && self.last4.len() >= 4 {
            self.last4.chars().skip(self.last4.len() - 4).collect()
        } else {
            vec![HIDDEN; 4]
        };
        let mut digits = bin;
        digits.resize(12, HIDDEN);
        digits.extend(last4);
        let mut out = String::with_capacity(digits.len() * 3 + 3);
        for (i, c) in digits.into_iter().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }

    /// Whether the card's expiry month is before `today`'s month.
    pub fn is_expired(&self, today: YearMonth) -> bool {
        self.expiry.is_before(today)
    }

    /// Active and not expired: the only cards worth offering for payment (§12.8).
    pub fn is_usable(&self, today: YearMonth) -> bool {
        self.active && !self.is_expired(today)
    }

    /// The first asset of the given kind, e.g. the card background for a card picture.
    pub fn asset(&self, kind: &AssetKind) -> Option<&Asset> {
        self.assets.iter().find(|a| a.kind() == *kind)
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn card(bin: &str, last4: &str) -> Card {
        Card {
            token: "49D902C6-1CCF-4605-9228-11D0E8115C77".into(),
            bin: bin.into(),
            last4: last4.into(),
            brand: "VISA".into(),
            bank: String::new(),
            expiry: Expiry::parse("12.2025"),
            active: true,
            need_cvc: false,
            assets: Vec::new(),
        }
    }

    #[test]
    fn masked_shows_bin_and_last4_only() {
        assert_eq!(card("412362", "0028").masked(), "4123 62•• •••• 0028");
        assert_eq!(card("51861501", "1030").masked(), "5186 1501 •••• 1030");
        assert_eq!(card("", "0028").masked(), "•••• •••• •••• 0028");
        assert_eq!(card("4123**", "28x").masked(), "•••• •••• •••• ••••");
        assert_eq!(card("412362", "990028").masked(), "4123 62•• •••• 0028");
        assert_eq!(
            card("412362123456789", "0028").masked(),
            "4123 6212 •••• 0028"
        );
    }

    #[test]
    fn expiry_and_usability() {
        let c = card("412362", "0028");
        assert!(!c.is_expired(YearMonth::new(2025, 12).unwrap()));
        assert!(c.is_expired(YearMonth::new(2026, 1).unwrap()));
        assert!(c.is_usable(YearMonth::new(2025, 6).unwrap()));
        let inactive = Card { active: false, ..c };
        assert!(!inactive.is_usable(YearMonth::new(2025, 6).unwrap()));
    }

    #[test]
    fn serialises_in_camel_case() {
        let v = serde_json::to_value(card("412362", "0028")).unwrap();
        assert_eq!(v["needCvc"], false);
        assert_eq!(v["last4"], "0028");
        assert_eq!(v["expiry"]["month"], 12);
        let back: Card = serde_json::from_value(v).unwrap();
        assert_eq!(back, card("412362", "0028"));
    }
}
