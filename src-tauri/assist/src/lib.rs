//! IPS Assist "One Click" client: list a customer's saved cards (`token.cfm`) and revoke one
//! (`rem_token.cfm`), as described in docs/gateway.md.
//!
//! The crate knows nothing of storage or of the desktop shell. Its three jobs:
//! * refuse bad input before anything is sent ([`CustomerNumber`], [`CardToken`], …);
//! * survive every reply shape the gateway may produce ([`wire`], [`reply`]);
//! * never retry a removal blindly ([`Client::remove_card`], [`RemovalOutcome`]).
//!
//! Credentials are write-only: [`Password`] has no `Display`/`Serialize`, its `Debug` is
//! `<redacted>`, and no error or outcome ever contains it: every gateway text is scrubbed of
//! it, even upper-cased or cut short (`redact.rs`).

mod asset;
mod base_url;
mod card;
mod client;
mod customer;
mod error;
mod expiry;
mod fault;
pub mod fault_codes;
mod http;
mod language;
mod lenient;
mod merchant;
mod outcome;
mod pace;
mod redact;
pub mod reply;
mod request;
mod token;
mod validation;
pub mod wire;

pub use asset::{Asset, AssetData, AssetKind, MediaKind};
pub use base_url::BaseUrl;
pub use card::Card;
pub use client::{Client, ClientConfig, MAX_LIST_TRIES};
pub use customer::{CUSTOMER_NUMBER_MAX, CustomerNumber};
pub use error::Error;
pub use expiry::{Expiry, YearMonth};
pub use fault::Fault;
pub use language::Language;
pub use merchant::{LOGIN_MAX, Login, MERCHANT_ID_DIGITS, MerchantId, PASSWORD_MAX, Password};
pub use outcome::RemovalOutcome;
pub use pace::{Pace, PaceStatus, Turn};
pub use token::CardToken;
pub use validation::{STRIPPED_BY_GATEWAY, ValidationError};
