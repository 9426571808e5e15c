//! What the CLI prints. Human output shows masked numbers only (BIN and last 4); `--json`
//! prints the stable schema of docs/cli-json.md. Errors go to stderr and name the field and
//! rule, or the decoded fault. Nothing printed here can hold the password: the client's
//! errors never carry it. Human-readable lines go out escaped (`terminal.rs`): bank, brand
//! and fault texts come from the gateway and must not drive the terminal.

use assist::{Card, CustomerNumber, Error, YearMonth};
use desk::audit::AuditOutcome;
use desk::{DeskError, Recovery, Revocation};
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

/// JSON output, printed as it is: serde_json escapes every control character.
pub fn print_json(v: &Value) {
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
        say!("customer {customer}: no saved cards");
        return;
    }
    let noun = if cards.len() == 1 { "card" } else { "cards" };
    say!("customer {customer}: {} saved {noun}", cards.len());
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
        say!(
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

/// Exit status of a revocation: 0 when the card was removed by it, 3 when the gateway
/// answered with a fault (`already_removed` included), 4 when the reply was lost and the card
/// is still listed or its fate unknown.
fn revocation_status(r: &Revocation) -> Status {
    match r.outcome {
        AuditOutcome::Removed | AuditOutcome::RemovedConfirmedByRecheck => Status::Ok,
        AuditOutcome::AlreadyRemoved => Status::Fault,
        AuditOutcome::NotRemoved if r.fault_codes.is_some() => Status::Fault,
        AuditOutcome::NotRemoved | AuditOutcome::Unknown => Status::Transport,
    }
}

pub fn revocation(r: &Revocation, token: &str, recovered: &Recovery, as_json: bool) -> Status {
    let status = revocation_status(r);
    if as_json {
        let mut detail = json!({ "outcome": r.outcome.as_str() });
        if let Some(m) = &r.gateway_message {
            detail["message"] = json!(m);
        }
        if let Some(d) = &r.detail {
            detail["detail"] = json!(d);
        }
        if let Some(c) = &r.fault_codes {
            detail["faultCodes"] = json!(c);
        }
        print_json(&json!({
            "customer": r.customer,
            "token": token,
            "outcome": r.outcome.as_str(),
            "label": r.label,
            "detail": detail,
            "revocation": r,
            "recovered": recovered,
        }));
        return status;
    }
    let lines = [
        format!(
            "customer {}, card {} ({}): {}",
            r.customer, r.masked, r.card.brand, r.label
        ),
        format!("  {}", r.explanation),
        format!(
            "  audit: intent #{}, outcome #{}, hash {}; reference {}",
            r.intent_seq, r.audit_seq, r.audit_hash, r.reference
        ),
        format!("  reply (EN): {}", r.reply_en),
        format!("  reply (RU): {}", r.reply_ru),
    ];
    for line in lines {
        if status == Status::Ok {
            say!("{line}");
        } else {
            say_err!("{line}");
        }
    }
    status
}

/// A desk error: JSON on stdout when asked, a line on stderr, the status of its code. The
/// terminal speaks English: the JSON is `{code, message, field?}`, without the window's
/// Russian text (docs/cli-json.md).
pub fn desk_error(e: &DeskError, as_json: bool) -> Status {
    if as_json {
        let english = DeskError {
            ru: None,
            ..e.clone()
        };
        print_json(&json!({ "error": english }));
    }
    say_err!("error: {}", e.message);
    Status::of_desk(e)
}

/// Any failure with a chosen status and code.
pub fn failure(status: Status, code: &str, message: &str, as_json: bool) -> Status {
    if as_json {
        print_json(&json!({ "error": { "code": code, "message": message } }));
    }
    say_err!("error: {message}");
    status
}

pub fn error(e: &Error, as_json: bool) -> Status {
    if as_json {
        print_json(&json!({ "error": { "code": e.code(), "message": e.to_string() } }));
    }
    say_err!("error: {e}");
    Status::of(e)
}

pub fn invalid(message: &str, as_json: bool) -> Status {
    if as_json {
        print_json(&json!({ "error": { "code": "validation", "message": message } }));
    }
    say_err!("error: {message}");
    Status::Invalid
}
