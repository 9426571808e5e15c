//! Why: a support desk works customers' requests (376-FZ refusals, 152-FZ and GDPR access and
//! erasure; docs/customer-requests.md), not loose cards. This is the request register inside
//! the desk: opening, listing by deadline, the changes an agent makes (identity checks, status,
//! extension, notes, assignee), and the removals done for a request, each written to the audit
//! log with the request's id, so the log stays the one record of what was done and the
//! register points into it. The register itself is a [`RequestStore`]: the embedded sled one
//! here, a shared database in team mode.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use desk_requests::model::{
    AuditRef, OpenItem, RemovalLink, RemovalResult, RequestDraft, Status, StatusKind,
};
use desk_requests::store::{DueState, due_state};
use desk_requests::{
    Calendar, DueCounts, ErrorKind, Request, RequestError, RequestFilter, RequestId, RequestStore,
    SledRequestStore,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, UtcOffset};

use super::*;
use crate::audit::AuditOutcome;
use crate::words::Words;

/// The field a removal's request is checked under.
const REQUEST: Words<'static> = Words::new("request", "обращение");
/// The register's folder under the data dir.
const REGISTER_DIR: &str = "requests";
/// How often a change is made again after someone else changed the request first.
const STALE_RETRIES: usize = 3;

/// The register, opened on first use: a desk (or the CLI) that never touches requests never
/// opens it, and a failed open is tried again next time. Its changes are recorded in the audit
/// log given with each, under the operator given: the desk's, or the CLI's own
/// ([`RequestRegister`](super::RequestRegister)).
pub(super) struct Register {
    dir: PathBuf,
    store: Mutex<Option<Arc<dyn RequestStore>>>,
    /// In team mode, the team's database: the register is the team's there
    /// (`desk_team::PgRequestStore`), not the embedded one.
    team: Mutex<Option<(desk_team::TeamSettings, desk_team::TeamPassword)>>,
}

impl Register {
    pub(super) fn new(data_dir: &std::path::Path) -> Register {
        Register {
            dir: data_dir.join(REGISTER_DIR),
            store: Mutex::new(None),
            team: Mutex::new(None),
        }
    }

    /// Team mode on (the team's database and login) or off (`None`): the next use opens the
    /// register there. Requests in the other register stay where they are.
    pub(super) fn use_team(
        &self,
        team: Option<(desk_team::TeamSettings, desk_team::TeamPassword)>,
    ) {
        let mut current = lock(&self.team);
        if current.is_none() && team.is_none() {
            return;
        }
        // A new login or password, or another database: dial afresh.
        *current = team;
        *lock(&self.store) = None;
    }

    pub(super) fn store(&self) -> Result<Arc<dyn RequestStore>, DeskError> {
        let mut slot = lock(&self.store);
        if let Some(s) = slot.as_ref() {
            return Ok(s.clone());
        }
        let opened: Arc<dyn RequestStore> = match lock(&self.team).clone() {
            // Dials on first use, from the blocking thread that uses it, on this runtime.
            Some((settings, password)) => Arc::new(desk_team::PgRequestStore::new(
                settings,
                password,
                tokio::runtime::Handle::try_current().map_err(|_| {
                    DeskError::internal("the team's register needs the app's async runtime")
                })?,
            )),
            None => Arc::new(SledRequestStore::open(&self.dir).map_err(register_error)?),
        };
        *slot = Some(opened.clone());
        Ok(opened)
    }

    /// Whether the register in use is the team's.
    pub(super) fn is_team(&self) -> bool {
        lock(&self.team).is_some()
    }
}

/// A request as the window shows it: the request, where it stands today, what still stands in
/// the way of closing it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestView {
    pub request: Request,
    pub due: DueState,
    pub open_items: Vec<OpenItem>,
    pub identity_confirmed: bool,
}

/// The register's list, sorted by deadline, with the day's counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestList {
    pub requests: Vec<RequestView>,
    pub counts: DueCounts,
    /// The agent's date the states and counts are for, `YYYY-MM-DD`.
    pub today: String,
}

/// A change an agent makes to a request.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(
    tag = "action",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum RequestAction {
    /// What was asked or compared to make sure the person is the customer, and whether it
    /// matched. A failed check is kept too.
    IdentityCheck {
        asked: String,
        matched: bool,
    },
    /// New status; closing with open items needs `force` (they are recorded as left open).
    Status {
        to: Status,
        #[serde(default)]
        force: bool,
    },
    /// A longer term (152-FZ: +5 working days), with the day the reasoned notice was sent
    /// (`YYYY-MM-DD`).
    Extend {
        notice_sent_on: String,
        reason: String,
    },
    Note {
        text: String,
    },
    Assign {
        #[serde(default)]
        assignee: Option<String>,
    },
}

pub(super) fn register_error(e: RequestError) -> DeskError {
    let code = match e.kind() {
        ErrorKind::Validation => ErrorCode::Validation,
        ErrorKind::NotFound => ErrorCode::NotFound,
        ErrorKind::Conflict => ErrorCode::Conflict,
        ErrorKind::Busy | ErrorKind::Storage => ErrorCode::Internal,
        ErrorKind::Unanswered => ErrorCode::Transport,
    };
    DeskError::new(code, e.to_string())
        .ru(e.ru())
        .with_field(e.field())
}

/// Now, in the agent's offset (whose date is the agent's today).
fn agent_now(utc_offset_minutes: Option<i32>) -> Result<OffsetDateTime, DeskError> {
    let offset: UtcOffset = crate::revoke::utc_offset(utc_offset_minutes)?;
    Ok(OffsetDateTime::now_utc().to_offset(offset))
}

pub(super) fn view(request: Request, today: Date) -> RequestView {
    RequestView {
        due: due_state(&request, today),
        open_items: request.open_items(),
        identity_confirmed: request.identity_confirmed(),
        request,
    }
}

/// What the audit log says about a register change, in the log's own language (English).
fn describe(action: &RequestAction, after: &Request) -> String {
    match action {
        RequestAction::IdentityCheck { matched, .. } => format!(
            "identity check: {}",
            if *matched { "matched" } else { "did not match" }
        ),
        RequestAction::Status { to, .. } => {
            let forced = after.events().last().is_some_and(|e| {
                matches!(
                    &e.what,
                    desk_requests::model::EventKind::StatusChanged { forced: true, .. }
                )
            });
            format!(
                "status: {}{}",
                to.kind().as_str(),
                if forced {
                    " (closed with open items)"
                } else {
                    ""
                }
            )
        }
        RequestAction::Extend { notice_sent_on, .. } => format!(
            "extended to {} (reasoned notice sent {notice_sent_on})",
            after
                .deadline()
                .map(|d| d.due.to_string())
                .unwrap_or_default()
        ),
        RequestAction::Note { .. } => "note added".to_owned(),
        RequestAction::Assign { assignee } => match assignee {
            Some(a) => format!("assigned to {a}"),
            None => "unassigned".to_owned(),
        },
    }
}

/// What a removal's audit outcome means for the request.
fn removal_result(outcome: AuditOutcome) -> RemovalResult {
    match outcome {
        AuditOutcome::Unknown => RemovalResult::Unknown,
        o if o.card_gone() => RemovalResult::Removed,
        _ => RemovalResult::NotRemoved,
    }
}

impl Register {
    /// Opens a request; its deadline is computed from the kind and the day of receipt.
    pub(super) async fn open_request(
        &self,
        audit: Result<Arc<AuditLog>, DeskError>,
        operator: Operator,
        draft: RequestDraft,
        utc_offset_minutes: Option<i32>,
    ) -> Result<(RequestView, AuditEntry), DeskError> {
        let now = agent_now(utc_offset_minutes)?;
        // The log must take the entry before the register takes the request.
        let audit = audit?;
        let store = self.store()?;
        let request = Request::open(draft, &operator.display_name, now, Calendar::russia())
            .map_err(register_error)?;
        let stored = blocking(move || store.create(&request).map_err(register_error)).await?;
        let detail = format!(
            "request opened: {}{}",
            kind_name(stored.kind()),
            stored
                .deadline()
                .map(|d| format!(", due {}", d.due))
                .unwrap_or_default()
        );
        let entry = record_event(&audit, operator, &stored, detail).await?;
        Ok((view(stored, now.date()), entry))
    }

    /// The register, sorted by deadline, with the agent's day's counts.
    pub(super) async fn list(
        &self,
        filter: RequestFilter,
        utc_offset_minutes: Option<i32>,
    ) -> Result<RequestList, DeskError> {
        let today = agent_now(utc_offset_minutes)?.date();
        let store = self.store()?;
        blocking(move || {
            let requests = store.list(&filter).map_err(register_error)?;
            let counts = store.counts(today).map_err(register_error)?;
            Ok(RequestList {
                requests: requests.into_iter().map(|r| view(r, today)).collect(),
                counts,
                today: today.to_string(),
            })
        })
        .await
    }

    pub(super) async fn get(
        &self,
        id: &str,
        utc_offset_minutes: Option<i32>,
    ) -> Result<RequestView, DeskError> {
        let today = agent_now(utc_offset_minutes)?.date();
        let id = RequestId::parse(id).map_err(register_error)?;
        let store = self.store()?;
        blocking(move || {
            store
                .get(&id)
                .map(|r| view(r, today))
                .map_err(register_error)
        })
        .await
    }

    /// An agent's change to request `id`, made to the `version` the agent saw: if someone
    /// changed it since, nothing is written and the answer is a conflict to reload.
    pub(super) async fn act(
        &self,
        audit: Result<Arc<AuditLog>, DeskError>,
        operator: Operator,
        id: &str,
        version: u64,
        action: RequestAction,
        utc_offset_minutes: Option<i32>,
    ) -> Result<(RequestView, AuditEntry), DeskError> {
        let now = agent_now(utc_offset_minutes)?;
        let audit = audit?;
        let id = RequestId::parse(id).map_err(register_error)?;
        let store = self.store()?;
        let by = operator.display_name.clone();
        let act = action.clone();
        let updated = blocking(move || {
            let mut request = store.get(&id).map_err(register_error)?;
            if request.version() != version {
                return Err(register_error(RequestError::Stale {
                    id,
                    expected: version,
                    found: request.version(),
                }));
            }
            apply(&mut request, act, &by, now).map_err(register_error)?;
            store.update(&request).map_err(register_error)
        })
        .await?;
        let entry = record_event(&audit, operator, &updated, describe(&action, &updated)).await?;
        Ok((view(updated, now.date()), entry))
    }
}

/// The audit entry of a register change.
async fn record_event(
    audit: &Arc<AuditLog>,
    operator: Operator,
    request: &Request,
    detail: String,
) -> Result<AuditEntry, DeskError> {
    let mut draft = EntryDraft::new(operator, AuditAction::RequestEvent);
    draft.request = Some(request.id().to_string());
    draft.ticket = request.ticket().map(str::to_owned);
    if let [only] = request.subjects() {
        draft.customer = Some(only.customer_number.as_str().to_owned());
    }
    draft.detail = Some(detail);
    audit.append_durable(draft).await.map_err(DeskError::from)
}

impl Desk {
    fn by(&self) -> String {
        let operator = Self::operator(&self.settings());
        operator.display_name
    }

    /// The audit entry of a register change.
    pub(super) async fn record_request_event(
        &self,
        request: &Request,
        detail: String,
    ) -> Result<AuditEntry, DeskError> {
        let audit = self.audit_log()?;
        record_event(&audit, Self::operator(&self.settings()), request, detail).await
    }

    /// Opens a request; its deadline is computed from the kind and the day of receipt.
    pub async fn request_new(
        &self,
        draft: RequestDraft,
        utc_offset_minutes: Option<i32>,
    ) -> Result<RequestView, DeskError> {
        let operator = Self::operator(&self.settings());
        let (view, entry) = self
            .register
            .open_request(self.audit_log(), operator, draft, utc_offset_minutes)
            .await?;
        self.write_back_status(&view.request, &entry.hash).await;
        Ok(view)
    }

    /// The register, sorted by deadline, with the agent's day's counts.
    pub async fn requests(
        &self,
        filter: RequestFilter,
        utc_offset_minutes: Option<i32>,
    ) -> Result<RequestList, DeskError> {
        self.register.list(filter, utc_offset_minutes).await
    }

    pub async fn request(
        &self,
        id: &str,
        utc_offset_minutes: Option<i32>,
    ) -> Result<RequestView, DeskError> {
        self.register.get(id, utc_offset_minutes).await
    }

    /// An agent's change to request `id`, made to the `version` the agent saw: if someone
    /// changed it since, nothing is written and the answer is a conflict to reload.
    pub async fn request_act(
        &self,
        id: &str,
        version: u64,
        action: RequestAction,
        utc_offset_minutes: Option<i32>,
    ) -> Result<RequestView, DeskError> {
        let operator = Self::operator(&self.settings());
        let status_change = matches!(action, RequestAction::Status { .. });
        let (view, entry) = self
            .register
            .act(
                self.audit_log(),
                operator,
                id,
                version,
                action,
                utc_offset_minutes,
            )
            .await?;
        if status_change {
            self.write_back_status(&view.request, &entry.hash).await;
        }
        Ok(view)
    }

    /// Request `id`, when it names `customer`; else a validation error about the request.
    pub(super) async fn request_naming(
        &self,
        id: &str,
        customer: &str,
    ) -> Result<Request, DeskError> {
        let id = RequestId::parse(id).map_err(register_error)?;
        let store = self.register.store()?;
        let request = blocking(move || store.get(&id).map_err(register_error)).await?;
        if !names(&request, customer) {
            return Err(not_this_customer());
        }
        Ok(request)
    }

    /// Before a removal for request `id` is sent: the request exists, is open, the person
    /// asking was identified, and it names `customer`. Nothing is sent otherwise.
    pub(super) async fn check_request_removal(
        &self,
        id: &str,
        customer: &str,
    ) -> Result<(), DeskError> {
        let id = RequestId::parse(id).map_err(register_error)?;
        let store = self.register.store()?;
        let request = blocking(move || store.get(&id).map_err(register_error)).await?;
        if !request.status().kind().is_open() {
            return Err(DeskError::invalid(
                "request",
                REQUEST,
                Words::new(
                    "is answered, closed or refused: a removal needs an open request",
                    "уже отвечено, закрыто или отказано: удаление возможно только по открытому обращению",
                ),
            ));
        }
        if !request.identity_confirmed() {
            return Err(DeskError::invalid(
                "request",
                REQUEST,
                Words::new(
                    "needs a matched identity check before a removal: record who the customer \
                     proved to be first",
                    "до удаления нужна успешная проверка личности: сначала запишите, чем \
                     клиент подтвердил, что это он",
                ),
            ));
        }
        if !names(&request, customer) {
            return Err(not_this_customer());
        }
        Ok(())
    }

    /// Links a removal's outcome to request `id` (a new request starts work at its first
    /// removal). Someone else's change in between is read and the link made again.
    pub(super) async fn link_request_removal(
        &self,
        id: &str,
        revocation: &Revocation,
    ) -> Result<(), DeskError> {
        let id = RequestId::parse(id).map_err(register_error)?;
        let link = RemovalLink {
            audit: AuditRef {
                seq: revocation.audit_seq,
                hash: revocation.audit_hash.clone(),
            },
            customer: assist::CustomerNumber::new(revocation.customer.clone())?,
            result: removal_result(revocation.outcome),
            settles: None,
        };
        let store = self.register.store()?;
        let by = self.by();
        let (request, started) = blocking(move || {
            let now = OffsetDateTime::now_utc();
            for _ in 0..STALE_RETRIES {
                let mut request = store.get(&id).map_err(register_error)?;
                let started = request.status().kind() == StatusKind::New;
                if started {
                    request
                        .change_status(Status::InProgress, false, &by, now)
                        .map_err(register_error)?;
                }
                request
                    .link_removal(link.clone(), &by, now)
                    .map_err(register_error)?;
                match store.update(&request) {
                    Err(RequestError::Stale { .. }) => continue,
                    other => return other.map(|r| (r, started)).map_err(register_error),
                }
            }
            Err(DeskError::new(
                ErrorCode::Conflict,
                "the request kept changing while the removal was linked to it: reload it",
            ))
        })
        .await?;
        // The ticket hears of the removal, and of the work starting if it did (both are
        // recorded by the removal's audit entry).
        if started {
            self.write_back_status(&request, &revocation.audit_hash)
                .await;
        }
        self.write_back_removal(&request, revocation).await;
        Ok(())
    }
}

/// Whether `request` is about `customer`.
fn names(request: &Request, customer: &str) -> bool {
    request.subjects().iter().any(|s| {
        s.customer_number
            .as_str()
            .eq_ignore_ascii_case(customer.trim())
    })
}

fn not_this_customer() -> DeskError {
    DeskError::invalid(
        "request",
        REQUEST,
        Words::new(
            "does not name this customer: work them under a request about them",
            "не касается этого клиента: работайте с ним по обращению о нём",
        ),
    )
}

fn apply(
    request: &mut Request,
    action: RequestAction,
    by: &str,
    now: OffsetDateTime,
) -> Result<(), RequestError> {
    match action {
        RequestAction::IdentityCheck { asked, matched } => {
            request.record_identity_check(&asked, matched, by, now)
        }
        RequestAction::Status { to, force } => request.change_status(to, force, by, now),
        RequestAction::Extend {
            notice_sent_on,
            reason,
        } => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            let day =
                Date::parse(notice_sent_on.trim(), &format).map_err(|_| RequestError::Invalid {
                    field: "notice_sent_on".into(),
                    rule: "must be a date YYYY-MM-DD".into(),
                    rule_ru: Some("дата в виде ГГГГ-ММ-ДД".into()),
                })?;
            request.extend(day, &reason, by, now, Calendar::russia())
        }
        RequestAction::Note { text } => request.add_note(&text, by, now),
        RequestAction::Assign { assignee } => request.assign(assignee.as_deref(), by, now),
    }
}

fn kind_name(kind: desk_requests::RequestKind) -> &'static str {
    use desk_requests::RequestKind as K;
    match kind {
        K::CardRefusal => "refusal of saved card details (376-FZ)",
        K::Access152 => "access request (152-FZ art. 14)",
        K::Erasure152 => "erasure or withdrawal of consent (152-FZ art. 21)",
        K::AccessGdpr => "access request (GDPR art. 15)",
        K::ErasureGdpr => "erasure request (GDPR art. 17)",
    }
}
