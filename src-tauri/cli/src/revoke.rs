//! `carddesk revoke`: the same workflow as the app's revoke dialog (desk's [`Revoker`]) on a
//! one-off profile built from the arguments, with the audit log in `--data-dir` (default: the
//! app's own data dir). Intents this profile left open before are settled first.
//!
//! Test hook: with `CARDDESK_TEST_CRASH_AFTER_REMOVAL=1` the process stops right after
//! rem_token has answered and before the outcome entry is written — it prints a line to
//! stderr and waits (up to 30 s) to be killed, then aborts — so tests can kill a real process
//! at the worst moment and check recovery.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use assist::{BaseUrl, Client};
use desk::audit::{AuditLog, AuditOutcome, Operator, ProfileRef, Reason};
use desk::{DeskError, Environment, Recovery, RevokeRequest, RevokeStage, Revoker};

use crate::args::{APP_ID, ConnectionArgs, DataDirArg, RevokeArgs};
use crate::exit::Status;
use crate::gateway::connect;
use crate::output;

/// The environment variable of the crash test hook.
pub const CRASH_HOOK: &str = "CARDDESK_TEST_CRASH_AFTER_REMOVAL";
/// What the hook prints before it waits to be killed.
pub const CRASH_MARKER: &str = "test hook: rem_token answered; stopping before the outcome entry";

/// `--data-dir`, or the app's data dir.
pub fn data_dir(arg: &DataDirArg) -> Result<PathBuf, String> {
    match &arg.data_dir {
        Some(dir) => Ok(dir.clone()),
        None => dirs::data_dir()
            .map(|d| d.join(APP_ID))
            .ok_or_else(|| "data dir: the OS has no data directory; pass --data-dir".to_owned()),
    }
}

/// The environment named, or guessed from the host: loopback is the sandbox, test and demo
/// hosts are test, anything else is production (the side that asks for a confirmation).
fn environment(named: Option<&str>, base: &BaseUrl) -> Result<Environment, String> {
    if let Some(name) = named {
        return match name.trim().to_ascii_lowercase().as_str() {
            "sandbox" => Ok(Environment::Sandbox),
            "test" => Ok(Environment::Test),
            "production" => Ok(Environment::Production),
            _ => Err("environment: must be sandbox, test or production".to_owned()),
        };
    }
    if base.is_loopback() {
        return Ok(Environment::Sandbox);
    }
    let url = base.to_string();
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or_default()
        .split(['/', ':'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if host.starts_with("test.") || host.contains(".demo.") || host.starts_with("demo.") {
        Ok(Environment::Test)
    } else {
        Ok(Environment::Production)
    }
}

/// Everything a one-off profile needs: the client, the profile as the log records it, and
/// the open audit log.
pub struct OneOff {
    pub revoker: Revoker,
    pub audit: Arc<AuditLog>,
}

/// Validates the connection arguments, opens the audit log and builds the revoker.
pub fn one_off(
    connection: &ConnectionArgs,
    environment_name: Option<&str>,
    operator_name: Option<&str>,
    data: &DataDirArg,
) -> Result<OneOff, (Status, String)> {
    let invalid = |m: String| (Status::Invalid, m);
    let client: Client = connect(connection).map_err(invalid)?;
    let env = environment(environment_name, client.base_url()).map_err(invalid)?;
    let dir = data_dir(data).map_err(invalid)?;
    let base = client.base_url().to_string();
    let profile = ProfileRef {
        id: format!(
            "cli:{}@{}",
            client.merchant_id(),
            base.trim_end_matches('/')
        ),
        name: format!("carddesk CLI ({})", base.trim_end_matches('/')),
        environment: env,
        merchant_id: client.merchant_id().to_string(),
    };
    let operator = Operator::from_env(operator_name);
    let audit = AuditLog::open_anchored(&dir, &operator, crate::keyring::audit_keyring())
        .map(Arc::new)
        .map_err(|e| (Status::Local, e.to_string()))?;
    // Named on the claims it takes: `carddesk revoke`, `carddesk bulk`, `carddesk audit`.
    let program = std::env::args()
        .nth(1)
        .map_or_else(|| "carddesk".to_owned(), |verb| format!("carddesk {verb}"));
    let revoker = Revoker::new(client, profile, audit.clone(), operator).with_claimant(program);
    Ok(OneOff { revoker, audit })
}

/// Settles this profile's open intents; reports each on stderr.
pub async fn recover(one_off: &OneOff) -> Result<Recovery, DeskError> {
    let audit = one_off.audit.clone();
    let intents = tokio::task::spawn_blocking(move || audit.open_intents())
        .await
        .map_err(|e| DeskError::internal(e.to_string()))??;
    let id = &one_off.revoker.profile().id;
    let mine: Vec<_> = intents
        .into_iter()
        .filter(|i| i.profile_id.as_deref() == Some(id.as_str()))
        .collect();
    let recovery = one_off.revoker.recover(&mine).await;
    for e in &recovery.recovered {
        say_err!(
            "recovered intent {}: {} (audit entry {})",
            e.intent_seq.unwrap_or_default(),
            e.outcome.map_or("?", AuditOutcome::label),
            e.seq
        );
    }
    for open in &recovery.left_open {
        say_err!("intent {} left open: {}", open.intent_seq, open.reason);
    }
    Ok(recovery)
}

pub async fn revoke(args: RevokeArgs) -> Status {
    let json = args.gateway.json;
    let Some(reason) = Reason::parse(&args.reason) else {
        return output::invalid(
            "reason: must be one of customer_request, lost_or_stolen, suspected_fraud, \
             erasure_request, duplicate, expired, other",
            json,
        );
    };
    let one_off = match one_off(
        &args.gateway.connection,
        args.environment.as_deref(),
        args.operator_name.as_deref(),
        &args.data,
    ) {
        Ok(o) => o,
        Err((status, message)) => return output::failure(status, "validation", &message, json),
    };
    let recovered = match recover(&one_off).await {
        Ok(r) => r,
        Err(e) => return output::desk_error(&e, json),
    };
    let request = RevokeRequest {
        profile_id: one_off.revoker.profile().id.clone(),
        customer: args.gateway.customer.clone(),
        token: args.token.clone(),
        last4_confirmation: args.last4.clone(),
        reason,
        note: args.note.clone(),
        ticket: args.ticket.clone(),
        customer_confirmation: args.confirm_customer.clone(),
        // The reply's date in UTC: a terminal session's zone is not known reliably.
        utc_offset_minutes: None,
        request: None,
    };
    let mut revoker = one_off.revoker;
    if std::env::var(CRASH_HOOK).as_deref() == Ok("1") {
        revoker = revoker.with_observer(Arc::new(|stage| {
            if let RevokeStage::RemovalAnswered { .. } = stage {
                let mut err = std::io::stderr().lock();
                let _ = writeln!(err, "{CRASH_MARKER}");
                let _ = err.flush();
                std::thread::sleep(Duration::from_secs(30));
                std::process::abort();
            }
        }));
    }
    match revoker.revoke(&request).await {
        Ok(revocation) => output::revocation(&revocation, &args.token, &recovered, json),
        Err(e) => output::desk_error(&e, json),
    }
}
