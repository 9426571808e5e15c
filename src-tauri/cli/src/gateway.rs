//! `carddesk cards`: validate every field before anything is sent, list through the shared
//! client, print, and map the result to an exit status. [`connect`] is shared with `revoke`
//! and `audit recover`.

use assist::{BaseUrl, Client, ClientConfig, CustomerNumber, Language, Login, MerchantId};

use crate::args::{CardsArgs, ConnectionArgs};
use crate::exit::Status;
use crate::output;
use crate::secret::{self, PasswordSource};

/// Builds a client from validated arguments, or reports the first bad field.
pub fn connect(args: &ConnectionArgs) -> Result<Client, String> {
    let base = BaseUrl::new(&args.server).map_err(|e| e.to_string())?;
    let merchant = MerchantId::new(args.merchant_id.clone()).map_err(|e| e.to_string())?;
    let login = Login::new(args.login.clone()).map_err(|e| e.to_string())?;
    let language = match &args.language {
        Some(l) => Some(Language::new(l).map_err(|e| e.to_string())?),
        None => None,
    };
    let source = if args.password_stdin {
        PasswordSource::Stdin
    } else {
        PasswordSource::Env
    };
    let password = secret::read(source).map_err(|e| e.to_string())?;
    let mut config = ClientConfig::new(base, merchant, login, password);
    config.language = language;
    Client::new(config).map_err(|e| e.to_string())
}

pub async fn cards(args: CardsArgs) -> Status {
    let json = args.gateway.json;
    let customer = match CustomerNumber::new(args.gateway.customer.clone()) {
        Ok(c) => c,
        Err(e) => return output::invalid(&e.to_string(), json),
    };
    let client = match connect(&args.gateway.connection) {
        Ok(c) => c,
        Err(message) => return output::invalid(&message, json),
    };
    match client.list_cards(&customer).await {
        Ok(cards) => {
            output::cards(&customer, &cards, json);
            Status::Ok
        }
        Err(e) => output::error(&e, json),
    }
}
