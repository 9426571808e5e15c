//! The two One Click services: `POST /pay/oneclick/v1/token.cfm` (list a customer's cards,
//! docs/assist-api.md §4) and `POST /pay/oneclick/v1/rem_token.cfm` (remove one, §5).
//!
//! Every request goes through the same steps: count it (and, for removals, note the token in
//! the ledger; from here on a removal runs apart from its connection, so a client that goes
//! away does not stop it), wait out the planned latency, let the fault plan break it before processing
//! (reset, HTML page, rate limit, internal error), process it (parameters, credentials,
//! lookup), let the plan break it after processing (reset after removal, malformed or
//! truncated JSON), answer.

use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::cards::card_json;
use crate::echo::{add_echo, echo_for};
use crate::fault_plan::{Countdown, FaultPlan};
use crate::gateway_fault::GatewayFault;
use crate::host::base_url;
use crate::injection;
use crate::language::Language;
use crate::request::{self, Endpoint, GatewayRequest};
use crate::seed::{Merchant, Seed};
use crate::server::ConnectionKill;
use crate::state::{Removal, SandboxState};

/// Bodies are a few hundred bytes; anything past this is not a One Click request.
const BODY_LIMIT: usize = 64 * 1024;

/// Response type of every gateway answer, faults included.
const JSON_UTF8: &str = "application/json;charset=UTF-8";

pub(crate) async fn token_cfm(State(state): State<SandboxState>, request: Request) -> Response {
    serve(state, Endpoint::List, request).await
}

pub(crate) async fn rem_token_cfm(State(state): State<SandboxState>, request: Request) -> Response {
    serve(state, Endpoint::Remove, request).await
}

async fn serve(state: SandboxState, endpoint: Endpoint, request: Request) -> Response {
    state.count_request();
    let (parts, body) = request.into_parts();
    let kill = parts.extensions.get::<ConnectionKill>().cloned();
    let base = base_url(&parts, &state);
    let body = to_bytes(body, BODY_LIMIT)
        .await
        .ok()
        .and_then(|b| request::parse_body(&b));
    if endpoint == Endpoint::Remove
        && let Some(token) = body.as_ref().and_then(request::token_sent)
    {
        state.ledger().record_call(&token);
    }
    if endpoint == Endpoint::Remove {
        // A removal that has arrived is carried out even if the client goes away meanwhile
        // (killed, timed out), as a real gateway would: it runs apart from the connection.
        let detached = tokio::spawn(answer(state, endpoint, body, kill, base));
        return detached
            .await
            .unwrap_or_else(|_| json_response(StatusCode::INTERNAL_SERVER_ERROR, String::new()));
    }
    answer(state, endpoint, body, kill, base).await
}

/// Everything after a request has arrived: latency, faults, processing, the answer.
async fn answer(
    state: SandboxState,
    endpoint: Endpoint,
    body: Option<Map<String, Value>>,
    kill: Option<ConnectionKill>,
    base: String,
) -> Response {
    let faults = state.faults();
    let plan = faults.get();
    if plan.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(plan.latency_ms)).await;
    }
    let language = detail_language(body.as_ref(), state.seed(), &plan);
    let echo = echo_for(body.as_ref(), &plan);
    let echo = echo.as_deref();

    if faults.draw(Countdown::ResetBeforeResponse).is_some() {
        return injection::reset(kill).await;
    }
    if let Some(left) = faults.draw(Countdown::Html5xx) {
        return injection::html_error_page(left);
    }
    if endpoint == Endpoint::Remove && faults.draw(Countdown::Html502OnRemoval).is_some() {
        return injection::html_error_page(1);
    }
    if faults.draw(Countdown::RateLimit).is_some() || !state.admit(&plan) {
        return fault_response(GatewayFault::RATE_LIMITED, language, &plan, echo);
    }
    if plan.error_rate > 0.0 && injection::chance() < plan.error_rate {
        return fault_response(GatewayFault::INTERNAL, language, &plan, echo);
    }

    if endpoint == Endpoint::Remove && plan.slow_removal_ms > 0 {
        tokio::time::sleep(Duration::from_millis(plan.slow_removal_ms)).await;
    }
    let outcome = match body {
        Some(body) => process(&state, endpoint, &body, &plan, &base),
        None => Err(GatewayFault::BAD_JSON),
    };

    if endpoint == Endpoint::Remove && faults.draw(Countdown::ResetAfterRemoval).is_some() {
        return injection::reset(kill).await;
    }
    if endpoint == Endpoint::Remove {
        if faults.draw(Countdown::InternalErrorAfterRemoval).is_some() {
            return fault_response(GatewayFault::INTERNAL, language, &plan, echo);
        }
        if faults.draw(Countdown::TimeoutFaultAfterRemoval).is_some() {
            return fault_response(GatewayFault::OPERATION_TIMED_OUT, language, &plan, echo);
        }
    }
    let (status, mut value) = match outcome {
        Ok(value) => (StatusCode::OK, value),
        Err(fault) => (fault_status(&plan), fault.body(language, &plan)),
    };
    add_echo(&mut value, echo);
    let text = value.to_string();
    let text = if faults.draw(Countdown::MalformedJson).is_some() {
        injection::malformed(&text)
    } else if faults.draw(Countdown::TruncatedJson).is_some() {
        injection::truncated(&text)
    } else {
        text
    };
    json_response(status, text)
}

fn process(
    state: &SandboxState,
    endpoint: Endpoint,
    body: &Map<String, Value>,
    plan: &FaultPlan,
    base: &str,
) -> Result<Value, GatewayFault> {
    let request = request::read(body, endpoint, plan)?;
    let merchant = authenticate(state.seed(), &request)?;
    let customer = merchant.customer(&request.customer_number);
    match (endpoint, request.token) {
        (Endpoint::List, _) => {
            let cards = customer.map(|c| state.listed_cards(c)).unwrap_or_default();
            if cards.is_empty() && plan.no_cards_as_fault {
                return Err(GatewayFault::NO_CUSTOMER);
            }
            Ok(cards
                .iter()
                .map(|card| card_json(card, base, plan.no_media_form))
                .collect())
        }
        (Endpoint::Remove, Some(token)) => {
            let customer = customer.ok_or(GatewayFault::NO_CARD)?;
            match state.remove(customer, &token) {
                // §5, §11.8: the stored token is echoed, not the doc example's other token.
                Removal::Removed(stored) => {
                    Ok(json!({ "message": format!("Token {stored} is removed") }))
                }
                Removal::NotFound => Err(GatewayFault::NO_CARD),
            }
        }
        (Endpoint::Remove, None) => Err(GatewayFault::NO_TOKEN),
    }
}

/// Credential checks of §6.4 / §11.13, in this order: the merchant exists (14/200), the
/// login exists and the password matches (7/141, without saying which was wrong), the login
/// belongs to this merchant (14/200), the user has web-service rights and the merchant has
/// One Click on (19/350). Logins and passwords compare exactly.
fn authenticate<'a>(
    seed: &'a Seed,
    request: &GatewayRequest,
) -> Result<&'a Merchant, GatewayFault> {
    let merchant = seed
        .merchant(request.merchant_id)
        .ok_or(GatewayFault::FORBIDDEN_MERCHANT)?;
    let user = seed
        .user(&request.login)
        .filter(|user| user.password == request.password)
        .ok_or(GatewayFault::WRONG_CREDENTIALS)?;
    if user.merchant_id != request.merchant_id {
        return Err(GatewayFault::FORBIDDEN_MERCHANT);
    }
    if !user.web_service || !merchant.one_click_enabled {
        return Err(GatewayFault::NO_WEB_SERVICE);
    }
    Ok(merchant)
}

/// `detail` language: the request's `language` if valid, else the merchant's, else RU (§3).
fn detail_language(body: Option<&Map<String, Value>>, seed: &Seed, plan: &FaultPlan) -> Language {
    let Some(body) = body else {
        return Language::Ru;
    };
    request::requested_language(body)
        .or_else(|| {
            let merchant_id = request::requested_merchant_id(body, plan)?;
            seed.merchant(merchant_id).map(|m| m.language)
        })
        .unwrap_or(Language::Ru)
}

fn fault_response(
    fault: GatewayFault,
    language: Language,
    plan: &FaultPlan,
    echo: Option<&str>,
) -> Response {
    let mut body = fault.body(language, plan);
    add_echo(&mut body, echo);
    json_response(fault_status(plan), body.to_string())
}

/// The plan's status for faults; anything that cannot carry a JSON body means 200.
fn fault_status(plan: &FaultPlan) -> StatusCode {
    StatusCode::from_u16(plan.fault_http_status)
        .ok()
        .filter(|s| (200..600).contains(&s.as_u16()) && !matches!(s.as_u16(), 204 | 205 | 304))
        .unwrap_or(StatusCode::OK)
}

fn json_response(status: StatusCode, text: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, JSON_UTF8)],
        Body::from(text),
    )
        .into_response()
}
