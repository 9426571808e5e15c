//! Card Desk's core, shared by the desktop shell and the `carddesk` CLI. It knows the gateway
//! client and the product's rules, and nothing of Tauri: the shell's commands are one-line
//! adapters over [`Desk`].

mod error;
mod profile;
mod view;

pub mod cache;
pub mod crypto;
pub mod profiles;
pub mod recent;
pub mod secrets;

pub use error::{DeskError, ErrorCode};
pub use profile::{Environment, Profile};
pub use view::{CardList, CardView, ExpiryView};

use assist::{Client, ClientConfig, CustomerNumber, Password};

/// One active profile with its gateway client.
#[derive(Debug)]
pub struct Desk {
    profile: Profile,
    client: Client,
}

impl Desk {
    /// Opens a desk on `profile`, with the profile's password already taken from its store.
    pub fn open(profile: Profile, password: Password) -> Result<Desk, DeskError> {
        let mut config = ClientConfig::new(
            profile.base_url.clone(),
            profile.merchant_id.clone(),
            profile.login.clone(),
            password,
        );
        config.language = Some(profile.language);
        let client = Client::new(config)?;
        Ok(Desk { profile, client })
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Lists a customer's saved cards. The number is validated before anything is sent
    /// (design.md §5); an empty list is a success.
    pub async fn list_cards(&self, customer: &str) -> Result<CardList, DeskError> {
        let customer = CustomerNumber::new(customer.trim())?;
        let cards = self.client.list_cards(&customer).await?;
        Ok(CardList::new(
            customer.as_str(),
            &cards,
            time::OffsetDateTime::now_utc(),
        ))
    }
}
