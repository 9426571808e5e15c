//! The control API under `/_sandbox/`, on the gateway's own port, so tests, the CLI and the
//! desktop app can steer a sandbox they did not start in-process. Every route but `health`
//! asks for `Authorization: Bearer <control token>` (401 otherwise): the token is random per
//! start and known only to whoever started the sandbox (see `token.rs`).
//!
//! | route | does |
//! |---|---|
//! | `GET /_sandbox/health` | `{"status":"ok"}` |
//! | `GET /_sandbox/faults` | the fault plan (camelCase JSON, counters as they are now) |
//! | `PUT /_sandbox/faults` | replaces the plan (missing keys take defaults; 400 on unknown keys) |
//! | `DELETE /_sandbox/faults` | clears the plan; answers with the cleared plan |
//! | `GET /_sandbox/ledger` | `{token: {remTokenCalls, effectiveRemovals, callsAfterRemoval}}` |
//! | `GET /_sandbox/stats` | `{"requestsSeen": n, "requestsRefused": n}` |
//! | `GET /_sandbox/merchants` | `[{merchantId, name, region, language, oneClickEnabled, logins}]` |
//! | `GET /_sandbox/customers` | `[{merchantId, customerNumber, status, cards}]`, cards still listed |
//! | `POST /_sandbox/reset` | back to the seed: cards, ledger, faults, counter; 204 |

use axum::extract::rejection::JsonRejection;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::fault_plan::FaultPlan;
use crate::state::SandboxState;

pub(crate) fn routes(state: &SandboxState) -> Router<SandboxState> {
    let guarded = Router::new()
        .route(
            "/_sandbox/faults",
            get(get_faults).put(put_faults).delete(clear_faults),
        )
        .route("/_sandbox/ledger", get(ledger))
        .route("/_sandbox/stats", get(stats))
        .route("/_sandbox/merchants", get(merchants))
        .route("/_sandbox/customers", get(customers))
        .route("/_sandbox/reset", axum::routing::post(reset))
        .route_layer(from_fn_with_state(state.clone(), with_token));
    Router::new()
        .route("/_sandbox/health", get(health))
        .merge(guarded)
}

/// Lets a request through only with the control token; 401 with a Bearer challenge otherwise.
async fn with_token(State(state): State<SandboxState>, request: Request, next: Next) -> Response {
    let authorized = state.control_token().is_some_and(|token| {
        request
            .headers()
            .get(header::AUTHORIZATION)
            .is_some_and(|value| crate::token::authorizes(value.as_bytes(), token))
    });
    if authorized {
        return next.run(request).await;
    }
    let body = json!({ "error": "the control API needs Authorization: Bearer <control token>" });
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer realm=\"assist-sandbox\"")],
        Json(body),
    )
        .into_response()
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

async fn get_faults(State(state): State<SandboxState>) -> Json<FaultPlan> {
    Json(state.faults().get())
}

async fn put_faults(
    State(state): State<SandboxState>,
    plan: Result<Json<FaultPlan>, JsonRejection>,
) -> Response {
    match plan {
        Ok(Json(plan)) => {
            state.faults().set(plan.clone());
            Json(plan).into_response()
        }
        Err(rejection) => {
            let body = json!({ "error": rejection.body_text() });
            (StatusCode::BAD_REQUEST, Json(body)).into_response()
        }
    }
}

async fn clear_faults(State(state): State<SandboxState>) -> Json<FaultPlan> {
    state.faults().clear();
    Json(state.faults().get())
}

async fn ledger(State(state): State<SandboxState>) -> Response {
    Json(state.ledger().all()).into_response()
}

async fn stats(State(state): State<SandboxState>) -> Json<serde_json::Value> {
    Json(json!({
        "requestsSeen": state.requests_seen(),
        "requestsRefused": state.requests_refused(),
    }))
}

/// Merchants and the logins of their web-service users (never passwords: the seed file is
/// where demo credentials are written down).
async fn merchants(State(state): State<SandboxState>) -> Json<Vec<serde_json::Value>> {
    let seed = state.seed();
    let list = seed
        .merchants()
        .map(|(merchant_id, merchant)| {
            let mut logins: Vec<_> = seed
                .users()
                .filter(|u| u.merchant_id == merchant_id)
                .map(|u| json!({ "login": u.login, "webService": u.web_service }))
                .collect();
            logins.sort_by(|a, b| a["login"].as_str().cmp(&b["login"].as_str()));
            json!({
                "merchantId": merchant_id,
                "name": merchant.name,
                "region": merchant.region,
                "language": merchant.language,
                "oneClickEnabled": merchant.one_click_enabled,
                "logins": logins,
            })
        })
        .collect();
    Json(list)
}

async fn customers(State(state): State<SandboxState>) -> Json<Vec<serde_json::Value>> {
    let list = state
        .seed()
        .merchants()
        .flat_map(|(merchant_id, merchant)| {
            merchant.customers.iter().map(move |c| (merchant_id, c))
        })
        .map(|(merchant_id, customer)| {
            json!({
                "merchantId": merchant_id,
                "customerNumber": customer.customer_number,
                "status": customer.status,
                "note": customer.note,
                "cards": state.listed_cards(customer).len(),
            })
        })
        .collect();
    Json(list)
}

async fn reset(State(state): State<SandboxState>) -> StatusCode {
    state.reset();
    StatusCode::NO_CONTENT
}
