//! Reads a One Click request body the way the ColdFusion gateway would (docs/assist-api.md §3).
//!
//! * Keys match case-insensitively at every level (`merchant_id`, `Merchant_ID`, `MERCHANT_ID`;
//!   §3.1, §11.1). If a key repeats in another spelling, the last one wins, as in a
//!   ColdFusion struct.
//! * `null` and `""` count as absent; numbers are accepted where text is expected (so
//!   `merchant_id` may be `"452739"` or `452739`), other JSON types are format errors.
//! * CustomerNumber is sanitised before use (§7.1, §11.11).
//! * Faults follow the §6.4 table; checks run in the order of the table (parameters, then
//!   credentials in `gateway`), so a body with several problems gets the first one.

use serde_json::{Map, Value};

use crate::fault_plan::FaultPlan;
use crate::gateway_fault::GatewayFault;
use crate::language::Language;
use crate::shape::{CUSTOMER_NUMBER_MAX, is_token_shaped, sanitise};

/// Which service is being called; only `rem_token.cfm` needs a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Endpoint {
    List,
    Remove,
}

/// A request that passed the parameter checks.
#[derive(Debug)]
pub(crate) struct GatewayRequest {
    pub merchant_id: u32,
    pub login: String,
    pub password: String,
    /// Sanitised (and, if the plan says so, truncated to 32 characters).
    pub customer_number: String,
    /// Present for `rem_token.cfm`; shape-checked, kept exactly as sent.
    pub token: Option<String>,
}

/// Highest value of an int parameter (§3.2: ≤ 15 digits and ≤ 2147483647).
const INT_MAX: u64 = 2_147_483_647;

/// The body as a JSON object, or `None` (fault 4/0) for anything else.
pub(crate) fn parse_body(bytes: &[u8]) -> Option<Map<String, Value>> {
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

pub(crate) fn read(
    body: &Map<String, Value>,
    endpoint: Endpoint,
    plan: &FaultPlan,
) -> Result<GatewayRequest, GatewayFault> {
    let merchant = merchant_block(body, plan).ok_or(GatewayFault::NO_MERCHANT_ID)?;
    let merchant_id = match text(field(merchant, "merchant_id")) {
        Ok(Some(raw)) => parse_int(&raw).ok_or(GatewayFault::BAD_MERCHANT_ID)?,
        Ok(None) => return Err(GatewayFault::NO_MERCHANT_ID),
        Err(()) => return Err(GatewayFault::BAD_MERCHANT_ID),
    };
    let login = text(field(merchant, "login"))
        .map_err(|()| GatewayFault::BAD_LOGIN)?
        .ok_or(GatewayFault::NO_LOGIN)?;
    let password = text(field(merchant, "password"))
        .map_err(|()| GatewayFault::BAD_PASSWORD)?
        .ok_or(GatewayFault::NO_PASSWORD)?;
    language(body)?;
    let customer_number = customer_number(body, plan)?;
    let token = match endpoint {
        Endpoint::List => None,
        Endpoint::Remove => Some(token(body)?),
    };
    Ok(GatewayRequest {
        merchant_id,
        login,
        password,
        customer_number,
        token,
    })
}

/// The request's own `language`, if it is a valid one: the first choice for `detail`.
pub(crate) fn requested_language(body: &Map<String, Value>) -> Option<Language> {
    language(body).ok().flatten()
}

/// The merchant id, if one can be read: picks the merchant's language for `detail` before
/// the request is validated.
pub(crate) fn requested_merchant_id(body: &Map<String, Value>, plan: &FaultPlan) -> Option<u32> {
    let merchant = merchant_block(body, plan)?;
    text(field(merchant, "merchant_id"))
        .ok()
        .flatten()
        .and_then(|raw| parse_int(&raw))
}

/// The password a body carries, if one can be read (for the plan's `echoPassword`).
pub(crate) fn requested_password(body: &Map<String, Value>, plan: &FaultPlan) -> Option<String> {
    let merchant = merchant_block(body, plan)?;
    text(field(merchant, "password")).ok().flatten()
}

/// The token a `rem_token.cfm` body carries, as sent, for the ledger (whatever else is wrong).
pub(crate) fn token_sent(body: &Map<String, Value>) -> Option<String> {
    match field(body, "token") {
        Some(Value::String(token)) if !token.is_empty() => Some(token.clone()),
        _ => None,
    }
}

/// The `merchant` object; a flat body only in lenient mode (§3.1: rejected by default).
fn merchant_block<'a>(
    body: &'a Map<String, Value>,
    plan: &FaultPlan,
) -> Option<&'a Map<String, Value>> {
    match field(body, "merchant") {
        Some(Value::Object(merchant)) => Some(merchant),
        Some(_) => None,
        None if plan.lenient_flat_body && field(body, "merchant_id").is_some() => Some(body),
        None => None,
    }
}

fn language(body: &Map<String, Value>) -> Result<Option<Language>, GatewayFault> {
    match text(field(body, "language")) {
        Ok(None) => Ok(None),
        Ok(Some(raw)) => Language::parse(&raw)
            .map(Some)
            .ok_or(GatewayFault::BAD_LANGUAGE),
        Err(()) => Err(GatewayFault::BAD_LANGUAGE),
    }
}

fn customer_number(body: &Map<String, Value>, plan: &FaultPlan) -> Result<String, GatewayFault> {
    let raw = text(field(body, "customernumber"))
        .map_err(|()| GatewayFault::BAD_CUSTOMER_NUMBER)?
        .ok_or(GatewayFault::NO_CUSTOMER_NUMBER)?;
    let clean = sanitise(&raw);
    if clean.is_empty() {
        return Err(GatewayFault::NO_CUSTOMER_NUMBER);
    }
    if clean.chars().count() <= CUSTOMER_NUMBER_MAX {
        Ok(clean)
    } else if plan.truncate_long_customer_number {
        Ok(clean.chars().take(CUSTOMER_NUMBER_MAX).collect())
    } else {
        Err(GatewayFault::LONG_CUSTOMER_NUMBER)
    }
}

fn token(body: &Map<String, Value>) -> Result<String, GatewayFault> {
    match field(body, "token") {
        None => Err(GatewayFault::NO_TOKEN),
        Some(Value::String(token)) if token.is_empty() => Err(GatewayFault::NO_TOKEN),
        Some(Value::String(token)) if is_token_shaped(token) => Ok(token.clone()),
        Some(_) => Err(GatewayFault::BAD_TOKEN),
    }
}

/// Case-insensitive key lookup. If a key repeats in another case the last one wins, as it
/// would in a ColdFusion struct; a `null` value counts as absent.
fn field<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object
        .iter()
        .rev()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

/// Text or number as text; `Ok(None)` when absent or empty; `Err` for other JSON types.
fn text(value: Option<&Value>) -> Result<Option<String>, ()> {
    match value {
        None => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(()),
    }
}

/// An int parameter: digits only, at most 15 of them, at most 2147483647 (§3.2).
fn parse_int(raw: &str) -> Option<u32> {
    if raw.is_empty() || raw.len() > 15 || !raw.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    raw.parse::<u64>()
        .ok()
        .filter(|&n| n <= INT_MAX)
        .and_then(|n| u32::try_from(n).ok())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn body(json: &str) -> Map<String, Value> {
        parse_body(json.as_bytes()).unwrap()
    }

    #[test]
    fn keys_match_in_any_case_and_numbers_count_as_text() {
        let b = body(
            r#"{"MERCHANT":{"Merchant_ID":452739,"LOGIN":"LOGIN","Password":"PASSWORD"},"CustomerNumber":"12<3>4"}"#,
        );
        let req = read(&b, Endpoint::List, &FaultPlan::default()).unwrap();
        assert_eq!(req.merchant_id, 452739);
        assert_eq!(req.customer_number, "1234");
    }

    #[test]
    fn merchant_id_limits() {
        assert_eq!(parse_int("2147483647"), Some(2_147_483_647));
        assert_eq!(parse_int("2147483648"), None);
        assert_eq!(parse_int("45x"), None);
        assert_eq!(parse_int("-1"), None);
    }

    #[test]
    fn flat_body_only_when_lenient() {
        let b = body(r#"{"merchant_id":"452739","login":"L","password":"P","customernumber":"1"}"#);
        let strict = read(&b, Endpoint::List, &FaultPlan::default());
        assert_eq!(strict.unwrap_err(), GatewayFault::NO_MERCHANT_ID);
        let lenient = FaultPlan {
            lenient_flat_body: true,
            ..FaultPlan::default()
        };
        assert!(read(&b, Endpoint::List, &lenient).is_ok());
    }
}
