//! What the CLI prints. Human output shows masked numbers only (BIN and last 4); `--json`
//! prints the stable schema of docs/cli-json.md. Errors go to stderr and name the field and
//! rule, or the decoded fault. Nothing printed here can hold the password: the client's
//! errors never carry it.

use assist::{Card, CardToken, CustomerNumber, Error, RemovalOutcome, YearMonth};
use serde_json::{Value, json};

use crate::exit::Status;

fn card_json(card: &Card, today: YearMonth) -> Value {
    let assets: Vec<Value> = card
        .assets
        .iter()
        .map(|a| {
            json!({
                "type": a.asset_type,
                "altText": a.alt_text,
                "paymentType": a.payment_type,
                "media": a.data.iter().map(|d| json!({
                    "url": d.url, "mediaType": d.media_type, "width": d.width, "height": d.height,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "token": card.token,
        "bin": card.bin,
        "last4": card.last4,
        "masked": card.masked(),
        "brand": card.brand,
        "bank": card.bank,
        "expiry": {
            "month": card.expiry.month,
            "year": card.expiry.year,
            "raw": card.expiry.raw,
        },
        "expired": card.is_expired(today),
        "active": card.active,
        "needCvc": card.need_cvc,
        "assets": assets,
    })
}

fn print_json(v: &Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
    );
}

pub fn cards(customer: &CustomerNumber, cards: &[Card], as_json: bool) {
    let today = YearMonth::current_utc();
    if as_json {
        print_json(&json!({
            "customer": customer.as_str(),
            "cards": cards.iter().map(|c| card_json(c, today)).collect::<Vec<_>>(),
        }));
        return;
    }
    if cards.is_empty() {
        println!("customer {customer}: no saved cards");
        return;
    }
    let noun = if cards.len() == 1 { "card" } else { "cards" };
    println!("customer {customer}: {} saved {noun}", cards.len());
    for card in cards {
        let mut state = Vec::new();
        state.push(if card.active { "active" } else { "inactive" });
        if card.is_expired(today) {
            state.push("expired");
        }
        if card.need_cvc {
            state.push("needs CVC");
        }
        let expiry = match (card.expiry.month, card.expiry.year) {
            (Some(m), Some(y)) => format!("{m:02}/{y}"),
            _ => card.expiry.raw.clone(),
        };
        let bank = if card.bank.is_empty() {
            "—"
        } else {
            card.bank.as_str()
        };
        println!(
            "  {}  {:<10}  {:<24}  exp {:<7}  {}  token {}",
            card.masked(),
            card.brand,
            bank,
            expiry,
            state.join(", "),
            card.token
        );
    }
}

pub fn revocation(
    customer: &CustomerNumber,
    token: &CardToken,
    outcome: &RemovalOutcome,
    as_json: bool,
) -> Status {
    let status = match outcome {
        RemovalOutcome::Removed { .. } | RemovalOutcome::RemovedConfirmedByRecheck { .. } => {
            Status::Ok
        }
        RemovalOutcome::NotRemoved { reason, .. } => Status::of(reason),
        RemovalOutcome::Unknown { .. } => Status::Transport,
    };
    if as_json {
        let detail = serde_json::to_value(outcome).unwrap_or(Value::Null);
        print_json(&json!({
            "customer": customer.as_str(),
            "token": token.as_str(),
            "outcome": outcome.code(),
            "label": outcome.label(),
            "detail": detail,
        }));
    } else if status == Status::Ok {
        println!("customer {customer}, token {token}: {outcome}");
    } else {
        eprintln!("customer {customer}, token {token}: {outcome}");
    }
    status
}

pub fn error(e: &Error, as_json: bool) -> Status {
    if as_json {
        print_json(&json!({ "error": { "code": e.code(), "message": e.to_string() } }));
    }
    eprintln!("error: {e}");
    Status::of(e)
}

pub fn invalid(message: &str, as_json: bool) -> Status {
    if as_json {
        print_json(&json!({ "error": { "code": "validation", "message": message } }));
    }
    eprintln!("error: {message}");
    Status::Invalid
}
