//! Why: the same parsed reply means different things per endpoint and HTTP status — a "not
//! found" fault is an empty card list on token.cfm (docs/assist-api.md §12.5) but a real answer on
//! rem_token.cfm; a `message` is success only from rem_token.cfm. These pure functions hold
//! that mapping so it is testable without a network.

use crate::card::Card;
use crate::error::Error;
use crate::wire::{Reply, WireError, parse_reply};

/// token.cfm: what an HTTP status and body mean for listing.
///
/// * a card array at 2xx → the cards; `[]` → no cards;
/// * a fault at any status (§12.2): 10/202, 10/203 or 10/218 → no cards (§12.5), others → `Fault`;
/// * empty or non-JSON body → `Transport` carrying the status (§12.2);
/// * a card array at a non-2xx status → `Transport` (a proxy or server error, worth a retry);
/// * anything else (e.g. a `message`) → `UnexpectedResponse`.
pub fn interpret_list(status: u16, body: &[u8]) -> Result<Vec<Card>, Error> {
    match parse_reply(body) {
        Ok(Reply::Cards(cards)) if is_success(status) => Ok(cards),
        Ok(Reply::Cards(_)) => Err(Error::Transport {
            status: Some(status),
            detail: "card list with an error status".to_owned(),
        }),
        Ok(Reply::Fault(fault)) if fault.means_no_cards() => Ok(Vec::new()),
        Ok(Reply::Fault(fault)) => Err(Error::Fault(fault)),
        Ok(Reply::Message(_)) => Err(Error::UnexpectedResponse {
            status,
            detail: "a `message` object where a card list was expected".to_owned(),
        }),
        Err(e) => Err(wire_error(status, e)),
    }
}

/// rem_token.cfm: the gateway's success message, or why there is none.
///
/// A `message` counts as success only at a 2xx status; its text is returned as sent and not
/// parsed (§12.15). A fault at any status is `Fault`. Everything else is `Transport` or
/// `UnexpectedResponse` — the caller must treat those as "outcome unknown" and re-check.
pub fn interpret_removal(status: u16, body: &[u8]) -> Result<String, Error> {
    match parse_reply(body) {
        Ok(Reply::Message(message)) if is_success(status) => Ok(message),
        Ok(Reply::Message(_)) => Err(Error::UnexpectedResponse {
            status,
            detail: "a `message` object with an error status".to_owned(),
        }),
        Ok(Reply::Fault(fault)) => Err(Error::Fault(fault)),
        Ok(Reply::Cards(_)) => Err(Error::UnexpectedResponse {
            status,
            detail: "a card list where a removal message was expected".to_owned(),
        }),
        Err(e) => Err(wire_error(status, e)),
    }
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

fn wire_error(status: u16, error: WireError) -> Error {
    match error {
        WireError::NotJson(detail) => Error::Transport {
            status: Some(status),
            detail,
        },
        WireError::Unexpected(detail) => Error::UnexpectedResponse { status, detail },
    }
}
