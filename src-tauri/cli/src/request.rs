//! `carddesk request new | list | show | act | close` (and `document`, request_document.rs): the register of customers' requests
//! (docs/customer-requests.md) from a terminal, on desk's [`RequestRegister`] — the same rules,
//! deadlines and audit entries as the app's window. The register is `DIR/requests` and its
//! changes go to the audit log in `DIR/audit`, `DIR` being `--data-dir` or the app's own data
//! dir; while the app (or another `carddesk`) has the register open, every command here is
//! refused with a message saying so.
//!
//! The agent's day: `--utc-offset`, else the local zone's offset that `main` read before any
//! thread started, else UTC.

use std::sync::Arc;

use desk::audit::{AuditLog, Operator};
use desk::requests::model::{
    Channel, ProfileRef, Received, RequestDraft, Status, StatusKind, SubjectDraft,
};
use desk::requests::{RequestFilter, RequestKind, iso};
use desk::{DeskError, RequestAction, RequestRegister};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

use crate::args::{
    ChannelArg, KindArg, OperatorArg, RegisterArgs, RequestActArgs, RequestCloseArgs,
    RequestCommand, RequestListArgs, RequestNewArgs, RequestShowArgs, StatusArg, StatusFilterArg,
    YesNo,
};
use crate::exit::Status as Exit;
use crate::revoke::data_dir;
use crate::{output, request_view};

pub async fn run(command: RequestCommand, local_offset: Option<i32>) -> Exit {
    match command {
        RequestCommand::New(a) => new(a, local_offset).await,
        RequestCommand::List(a) => list(a, local_offset).await,
        RequestCommand::Show(a) => show(a, local_offset).await,
        RequestCommand::Act(a) => act(a, local_offset).await,
        RequestCommand::Close(a) => close(a, local_offset).await,
        RequestCommand::Document(a) => crate::request_document::run(a, local_offset).await,
    }
}

/// The agent's offset in minutes: asked for, else the local zone's, else none (UTC).
fn offset(register: &RegisterArgs, local_offset: Option<i32>) -> Option<i32> {
    register.utc_offset.or(local_offset)
}

/// The register to read: no audit log is opened for it.
fn reader(register: &RegisterArgs) -> Result<RequestRegister, Exit> {
    let dir = data_dir(&register.data).map_err(|m| output::invalid(&m, register.json))?;
    in_team(RequestRegister::reader(&dir), &dir, register.json)
}

/// In team mode (the app's Settings → Team saved in the data dir) the register is the team's,
/// on its database; the login's password comes from `CARDDESK_TEAM_PASSWORD` or the keyring.
fn in_team(
    register: RequestRegister,
    dir: &std::path::Path,
    json: bool,
) -> Result<RequestRegister, Exit> {
    let Some(setup) = desk::saved_team_setup(dir).map_err(|e| output::desk_error(&e, json))? else {
        return Ok(register);
    };
    let password = match std::env::var("CARDDESK_TEAM_PASSWORD") {
        Ok(p) if !p.is_empty() => desk::team::TeamPassword::new(p),
        _ => {
            let missing = || {
                output::failure(
                    Exit::Fault,
                    "credentials_missing",
                    "team mode is on (Settings → Team): the register is the team's, and no password for its database is stored; set CARDDESK_TEAM_PASSWORD or store it in the app",
                    json,
                )
            };
            let store = crate::keyring::audit_keyring().map_err(|_| missing())?;
            match store.get(desk::TEAM_PASSWORD_ACCOUNT) {
                Ok(Some(p)) => desk::team::TeamPassword::new(p.as_str()),
                _ => return Err(missing()),
            }
        }
    };
    Ok(register.in_team(setup.settings(), password))
}

/// The register to change, with the audit log its changes are written to.
fn writer(register: &RegisterArgs, operator: &OperatorArg) -> Result<RequestRegister, Exit> {
    let json = register.json;
    let dir = data_dir(&register.data).map_err(|m| output::invalid(&m, json))?;
    let operator = Operator::from_env(operator.operator_name.as_deref());
    let audit = AuditLog::open_anchored(&dir, &operator, crate::keyring::audit_keyring())
        .map(Arc::new)
        .map_err(|e| output::failure(Exit::Local, "audit_log", &e.to_string(), json))?;
    in_team(RequestRegister::new(&dir, audit, operator), &dir, json)
}

fn kind(k: KindArg) -> RequestKind {
    match k {
        KindArg::CardRefusal => RequestKind::CardRefusal,
        KindArg::Access152 => RequestKind::Access152,
        KindArg::Erasure152 => RequestKind::Erasure152,
        KindArg::AccessGdpr => RequestKind::AccessGdpr,
        KindArg::ErasureGdpr => RequestKind::ErasureGdpr,
    }
}

fn channel(c: ChannelArg) -> Channel {
    match c {
        ChannelArg::Ticket => Channel::Ticket,
        ChannelArg::Email => Channel::Email,
        ChannelArg::Phone => Channel::Phone,
        ChannelArg::Letter => Channel::Letter,
        ChannelArg::WebForm => Channel::WebForm,
    }
}

fn status_kind(s: StatusFilterArg) -> StatusKind {
    match s {
        StatusFilterArg::New => StatusKind::New,
        StatusFilterArg::InProgress => StatusKind::InProgress,
        StatusFilterArg::Answered => StatusKind::Answered,
        StatusFilterArg::Closed => StatusKind::Closed,
        StatusFilterArg::Refused => StatusKind::Refused,
    }
}

/// When the request arrived: `--received` (an instant with its offset, kept), `--received-on`
/// (a day), or now where the agent is.
fn received(args: &RequestNewArgs, minutes: Option<i32>) -> Result<Received, String> {
    if let Some(text) = &args.received {
        return OffsetDateTime::parse(text.trim(), &Rfc3339)
            .map(Received::at)
            .map_err(|_| {
                "received: must be an instant with its UTC offset, e.g. \
                 2026-12-07T10:15:00+03:00"
                    .to_owned()
            });
    }
    if let Some(text) = &args.received_on {
        return iso::parse_date(text.trim())
            .map(|date| Received::Day { date })
            .ok_or_else(|| "received-on: must be a date YYYY-MM-DD, e.g. 2026-12-07".to_owned());
    }
    // An offset out of range is refused by the register with its own message.
    let offset = minutes
        .and_then(|m| UtcOffset::from_whole_seconds(m.saturating_mul(60)).ok())
        .unwrap_or(UtcOffset::UTC);
    Ok(Received::at(OffsetDateTime::now_utc().to_offset(offset)))
}

fn profile(text: &str) -> ProfileRef {
    let text = text.trim();
    if text.eq_ignore_ascii_case("all") {
        ProfileRef::AllProfiles
    } else {
        ProfileRef::Profile(text.to_owned())
    }
}

async fn new(args: RequestNewArgs, local_offset: Option<i32>) -> Exit {
    let json = args.register.json;
    let minutes = offset(&args.register, local_offset);
    let received = match received(&args, minutes) {
        Ok(r) => r,
        Err(m) => return output::invalid(&m, json),
    };
    let profile = profile(&args.profile);
    let draft = RequestDraft {
        kind: kind(args.kind),
        received,
        channel: channel(args.channel),
        ticket: args.ticket.clone(),
        subjects: args
            .customers
            .iter()
            .map(|c| SubjectDraft {
                customer_number: c.clone(),
                profile: profile.clone(),
            })
            .collect(),
        assignee: args.assignee.clone(),
    };
    let register = match writer(&args.register, &args.operator) {
        Ok(r) => r,
        Err(status) => return status,
    };
    match register.request_new(draft, minutes).await {
        Ok(view) => request_view::changed(&view, "opened", json),
        Err(e) => output::desk_error(&e, json),
    }
}

async fn list(args: RequestListArgs, local_offset: Option<i32>) -> Exit {
    let json = args.register.json;
    let minutes = offset(&args.register, local_offset);
    let filter = RequestFilter {
        statuses: args.status.iter().copied().map(status_kind).collect(),
        open_only: args.open,
        kind: args.kind.map(kind),
        customer_number: args.customer.clone(),
        ..RequestFilter::default()
    };
    let register = match reader(&args.register) {
        Ok(r) => r,
        Err(status) => return status,
    };
    match register.requests(filter, minutes).await {
        Ok(list) => request_view::list(&list, minutes, json),
        Err(e) => output::desk_error(&e, json),
    }
}

async fn show(args: RequestShowArgs, local_offset: Option<i32>) -> Exit {
    let json = args.register.json;
    let minutes = offset(&args.register, local_offset);
    let register = match reader(&args.register) {
        Ok(r) => r,
        Err(status) => return status,
    };
    match register.request(&args.id, minutes).await {
        Ok(view) => request_view::full(&view, minutes, json),
        Err(e) => output::desk_error(&e, json),
    }
}

/// The one change `act` names (clap has made sure there is exactly one).
fn action(args: &RequestActArgs) -> Result<RequestAction, String> {
    let reason_needed = |what: &str| format!("reason: {what} needs --reason");
    if let Some(asked) = &args.identity {
        return Ok(RequestAction::IdentityCheck {
            asked: asked.clone(),
            matched: args.matched == Some(YesNo::Yes),
        });
    }
    if let Some(status) = args.status {
        let to = match status {
            StatusArg::InProgress => Status::InProgress,
            StatusArg::Answered => Status::Answered,
            StatusArg::Closed => Status::Closed,
            StatusArg::Refused => Status::Refused {
                reason: args.reason.clone().ok_or_else(|| {
                    reason_needed("--status refused (the reason given to the customer)")
                })?,
            },
        };
        if args.reason.is_some() && status != StatusArg::Refused {
            return Err(
                "reason: goes with --status refused or --extend-notice, not this status".into(),
            );
        }
        if args.force && status != StatusArg::Closed {
            return Err("force: goes with --status closed only".into());
        }
        return Ok(RequestAction::Status {
            to,
            force: args.force,
        });
    }
    if let Some(day) = &args.extend_notice {
        return Ok(RequestAction::Extend {
            notice_sent_on: day.clone(),
            reason: args
                .reason
                .clone()
                .ok_or_else(|| reason_needed("--extend-notice"))?,
        });
    }
    if args.reason.is_some() {
        return Err("reason: goes with --status refused or --extend-notice".into());
    }
    if let Some(text) = &args.note {
        return Ok(RequestAction::Note { text: text.clone() });
    }
    if let Some(name) = &args.assign {
        return Ok(RequestAction::Assign {
            assignee: Some(name.clone()),
        });
    }
    Ok(RequestAction::Assign { assignee: None })
}

async fn act(args: RequestActArgs, local_offset: Option<i32>) -> Exit {
    let json = args.register.json;
    let action = match action(&args) {
        Ok(a) => a,
        Err(m) => return output::invalid(&m, json),
    };
    change(
        &args.id,
        args.version,
        action,
        &args.register,
        &args.operator,
        local_offset,
    )
    .await
}

async fn close(args: RequestCloseArgs, local_offset: Option<i32>) -> Exit {
    let action = RequestAction::Status {
        to: Status::Closed,
        force: args.force,
    };
    change(
        &args.id,
        args.version,
        action,
        &args.register,
        &args.operator,
        local_offset,
    )
    .await
}

async fn change(
    id: &str,
    version: u64,
    action: RequestAction,
    register_args: &RegisterArgs,
    operator: &OperatorArg,
    local_offset: Option<i32>,
) -> Exit {
    let json = register_args.json;
    let minutes = offset(register_args, local_offset);
    let register = match writer(register_args, operator) {
        Ok(r) => r,
        Err(status) => return status,
    };
    let what = request_view::action_words(&action);
    let closing = matches!(
        action,
        RequestAction::Status {
            to: Status::Closed,
            force: false
        }
    );
    match register.request_act(id, version, action, minutes).await {
        Ok(view) => request_view::changed(&view, &what, json),
        Err(e) => {
            let status = output::desk_error(&e, json);
            hint(&e, id, version, closing);
            status
        }
    }
}

/// What to do next after a refusal whose way out is a flag of this command.
fn hint(e: &DeskError, id: &str, version: u64, closing: bool) {
    use desk::ErrorCode as C;
    match e.code {
        C::Conflict => say_err!(
            "reload it with `carddesk request show {id}` and make the change again with the \
             version it shows"
        ),
        C::Validation if closing && e.message.contains("open items") => say_err!(
            "to close it anyway, recording them as left open: \
             `carddesk request close {id} --version {version} --force`"
        ),
        _ => {}
    }
}
