//! `carddesk cards` and `carddesk revoke`: validate every field before anything is sent, call
//! the gateway through the shared client, print, and map the result to an exit status.

use assist::{
    BaseUrl, CardToken, Client, ClientConfig, CustomerNumber, Language, Login, MerchantId,
};

use crate::args::{CardsArgs, GatewayArgs, RevokeArgs};
use crate::exit::Status;
use crate::output;
use crate::secret::{self, PasswordSource};

/// Builds a client from validated arguments, or reports the first bad field.
fn connect(args: &GatewayArgs) -> Result<(Client, CustomerNumber), String> {
    let base = BaseUrl::new(&args.server).map_err(|e| e.to_string())?;
    let merchant = MerchantId::new(args.merchant_id.clone()).map_err(|e| e.to_string())?;
    let login = Login::new(args.login.clone()).map_err(|e| e.to_string())?;
    let customer = CustomerNumber::new(args.customer.clone()).map_err(|e| e.to_string())?;
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
    let client = Client::new(config).map_err(|e| e.to_string())?;
    Ok((client, customer))
}

pub async fn cards(args: CardsArgs) -> Status {
    let (client, customer) = match connect(&args.gateway) {
        Ok(c) => c,
        Err(message) => return output::invalid(&message, args.gateway.json),
    };
    match client.list_cards(&customer).await {
        Ok(cards) => {
            output::cards(&customer, &cards, args.gateway.json);
            Status::Ok
        }
        Err(e) => output::error(&e, args.gateway.json),
    }
}

pub async fn revoke(args: RevokeArgs) -> Status {
    let token = match CardToken::new(args.token.clone()) {
        Ok(t) => t,
        Err(e) => return output::invalid(&e.to_string(), args.gateway.json),
    };
    let (client, customer) = match connect(&args.gateway) {
        Ok(c) => c,
        Err(message) => return output::invalid(&message, args.gateway.json),
    };
    let outcome = client.remove_card(&customer, &token).await;
    output::revocation(&customer, &token, &outcome, args.gateway.json)
}
