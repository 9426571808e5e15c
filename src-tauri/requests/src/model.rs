//! Why: a customer's request is evidence as much as a task: who asked, when and how, who they
//! proved to be, what was done for it (linked audit entries, documents by digest) and when it was
//! answered — provable years later (docs/customer-requests.md §6). These are its types, as the
//! register stores them and the UI shows them. The rules that change a request are in
//! `model/rules.rs`; the input rules in `model/fields.rs`.

mod fields;
mod rules;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, UtcOffset};

use crate::deadline::{Deadline, RequestKind};
use crate::iso;

pub use fields::{NAME_MAX, NOTE_MAX, TEXT_MAX, TICKET_MAX};
pub use rules::{RequestDraft, SubjectDraft};

/// A request's id: a random UUID, so registers on several machines (and the team database)
/// never hand out the same one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ts_rs::TS)]
#[ts(type = "string")]
pub struct RequestId(String);

impl RequestId {
    pub fn random() -> RequestId {
        RequestId(uuid::Uuid::new_v4().to_string())
    }

    /// A UUID in its hyphenated form (any case; kept lower case).
    pub fn parse(text: &str) -> Result<RequestId, crate::RequestError> {
        uuid::Uuid::try_parse(text.trim())
            .map(|u| RequestId(u.to_string()))
            .map_err(|_| crate::RequestError::invalid("id", "must be a request id (a UUID)"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

// By hand rather than `try_from`/`into`: the same wire form, a checked read, and nothing
// ts-rs cannot parse.
impl Serialize for RequestId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RequestId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        RequestId::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// When the request arrived. The clock starts from the local date where the agent is
/// (docs/customer-requests.md §3), so an instant keeps the agent's UTC offset with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "precision", rename_all = "snake_case")]
pub enum Received {
    /// Known to the second: the UTC instant and the agent's offset east of UTC, in minutes.
    Instant {
        #[serde(with = "iso::instant")]
        #[ts(type = "string")]
        at: OffsetDateTime,
        offset: i16,
    },
    /// Known to the day only (a paper letter's date of receipt).
    Day {
        #[serde(with = "iso::date")]
        #[ts(type = "string")]
        date: Date,
    },
}

impl Received {
    /// The instant `at`, as the agent's clock showed it.
    pub fn at(at: OffsetDateTime) -> Received {
        Received::Instant {
            at: at.to_offset(UtcOffset::UTC),
            offset: (at.offset().whole_seconds() / 60) as i16,
        }
    }

    /// The day of receipt where the agent is: the day the clock counts from.
    pub fn local_date(&self) -> Date {
        match *self {
            Received::Instant { at, offset } => {
                match UtcOffset::from_whole_seconds(i32::from(offset) * 60) {
                    Ok(o) => at.to_offset(o).date(),
                    Err(_) => at.date(),
                }
            }
            Received::Day { date } => date,
        }
    }
}

/// How the request reached the desk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Ticket,
    Email,
    Phone,
    Letter,
    WebForm,
}

/// Which merchant profile(s) the customer number is looked up in.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ProfileRef {
    /// One profile, by its id.
    Profile(String),
    /// Every profile the desk has (the customer did not say which shop).
    AllProfiles,
}

/// A customer the request is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    #[ts(type = "string")]
    pub customer_number: assist::CustomerNumber,
    pub profile: ProfileRef,
}

/// One attempt to make sure the person asking is the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct IdentityCheck {
    /// What was asked or compared (e.g. "e-mail on file and last 4 of the card").
    pub asked: String,
    pub matched: bool,
    pub by: String,
    #[serde(with = "iso::instant")]
    #[ts(type = "string")]
    pub at: OffsetDateTime,
}

/// Where the request stands. The clock runs while it is `new` or `in_progress`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Status {
    New,
    InProgress,
    Answered,
    Closed,
    /// Refused, with the reason given to the customer. Final.
    Refused {
        reason: String,
    },
}

/// [`Status`] without its data, for filters and events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum StatusKind {
    New,
    InProgress,
    Answered,
    Closed,
    Refused,
}

impl Status {
    pub fn kind(&self) -> StatusKind {
        match self {
            Status::New => StatusKind::New,
            Status::InProgress => StatusKind::InProgress,
            Status::Answered => StatusKind::Answered,
            Status::Closed => StatusKind::Closed,
            Status::Refused { .. } => StatusKind::Refused,
        }
    }
}

impl StatusKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::New => "new",
            StatusKind::InProgress => "in_progress",
            StatusKind::Answered => "answered",
            StatusKind::Closed => "closed",
            StatusKind::Refused => "refused",
        }
    }

    /// Whether the legal clock is still running.
    pub fn is_open(self) -> bool {
        matches!(self, StatusKind::New | StatusKind::InProgress)
    }
}

/// A note an agent added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub text: String,
    pub by: String,
    #[serde(with = "iso::instant")]
    #[ts(type = "string")]
    pub at: OffsetDateTime,
}

/// A longer term, taken with a reasoned notice to the subject (docs/customer-requests.md §4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Extension {
    /// The day the reasoned notice was sent to the subject.
    #[serde(with = "iso::date")]
    #[ts(type = "string")]
    pub notice_sent_on: Date,
    pub reason: String,
    /// The last day before the extension.
    #[serde(with = "iso::date")]
    #[ts(type = "string")]
    pub original_due: Date,
    pub by: String,
    #[serde(with = "iso::instant")]
    #[ts(type = "string")]
    pub at: OffsetDateTime,
}

/// An entry of the desk's audit log (docs/audit-log.md), by its place and its hash: the log
/// stays the one record of what was done, the request only points at it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditRef {
    pub seq: u64,
    /// The entry's hex hash, 64 lowercase digits.
    pub hash: String,
}

/// What a linked removal achieved, as the desk's audit outcome says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RemovalResult {
    /// The card is gone (removed, confirmed by re-check, or already removed).
    Removed,
    /// The card is still there.
    NotRemoved,
    /// The reply was lost and the list could not be read: to be settled by a later link.
    Unknown,
}

/// A removal done for this request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RemovalLink {
    pub audit: AuditRef,
    #[ts(type = "string")]
    pub customer: assist::CustomerNumber,
    pub result: RemovalResult,
    /// The `seq` of an earlier `unknown` link this one settles (a recovered outcome).
    pub settles: Option<u64>,
}

/// The kinds of document a request produces (docs/customer-requests.md §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// The answer to the subject (152-FZ ст. 14 ч. 7, GDPR Art. 15), or a reasoned refusal.
    Answer,
    /// The confirmation sent to the customer (376-FZ refusal).
    Confirmation,
    /// «Акт об уничтожении персональных данных» (Order 179 п. 3).
    DestructionAct,
    /// «Выгрузка из журнала регистрации событий в ИСПДн» (Order 179 п. 5).
    LogExport,
    /// The reasoned notice of an extension.
    ExtensionNotice,
    Other,
}

/// A document produced for the request, by name and SHA-256, so a copy can be checked later.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub kind: DocumentKind,
    /// The file name (no directory).
    pub name: String,
    /// 64 lowercase hex digits.
    pub sha256: String,
}

/// What still stands in the way of closing.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum OpenItem {
    /// The kind of request needs this document and none was recorded.
    MissingDocument { kind: DocumentKind },
    /// A removal with an unknown outcome that no later link settles.
    UnsettledRemoval { seq: u64 },
}

impl OpenItem {
    pub(crate) fn list(items: &[OpenItem]) -> String {
        items
            .iter()
            .map(|i| match i {
                OpenItem::MissingDocument { kind } => format!(
                    "no {} recorded",
                    serde_json::to_value(kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                        .replace('_', " ")
                ),
                OpenItem::UnsettledRemoval { seq } => {
                    format!("the removal of audit entry {seq} has an unknown outcome")
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// One change to a request, in order: the request's own history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RequestEvent {
    #[serde(with = "iso::instant")]
    #[ts(type = "string")]
    pub at: OffsetDateTime,
    pub by: String,
    pub what: EventKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    Created,
    StatusChanged {
        from: StatusKind,
        to: StatusKind,
        /// Closed with open items, which `open` lists.
        forced: bool,
        open: Vec<OpenItem>,
    },
    IdentityChecked {
        matched: bool,
    },
    Assigned {
        assignee: Option<String>,
    },
    NoteAdded,
    Extended {
        #[serde(with = "iso::date")]
        #[ts(type = "string")]
        notice: Date,
        #[serde(with = "iso::date")]
        #[ts(type = "string")]
        due: Date,
    },
    /// The deadline was computed again (e.g. after a calendar update).
    DeadlineRecomputed {
        #[serde(with = "iso::option_date")]
        #[ts(type = "string | null")]
        previous: Option<Date>,
        #[serde(with = "iso::option_date")]
        #[ts(type = "string | null")]
        due: Option<Date>,
        calendar: Option<String>,
    },
    RemovalLinked(RemovalLink),
    /// Another audit entry relevant to the request (e.g. the customer's cards were viewed).
    AuditLinked {
        audit: AuditRef,
    },
    DocumentProduced(Document),
}

/// A customer's request, as the register keeps it. Change it only through its methods
/// (`model/rules.rs`), which keep the rules; a store keeps its `version`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    id: RequestId,
    /// Bumped by the store on every write; an update names the version it was made to.
    version: u64,
    kind: RequestKind,
    received: Received,
    channel: Channel,
    ticket: Option<String>,
    subjects: Vec<Subject>,
    identity_checks: Vec<IdentityCheck>,
    assignee: Option<String>,
    status: Status,
    notes: Vec<Note>,
    extension: Option<Extension>,
    /// `None` for a kind without a statutory deadline.
    deadline: Option<Deadline>,
    events: Vec<RequestEvent>,
    #[serde(with = "iso::instant")]
    #[ts(type = "string")]
    created_at: OffsetDateTime,
    #[serde(with = "iso::instant")]
    #[ts(type = "string")]
    updated_at: OffsetDateTime,
}

impl Request {
    pub fn id(&self) -> &RequestId {
        &self.id
    }
    pub fn version(&self) -> u64 {
        self.version
    }
    pub fn kind(&self) -> RequestKind {
        self.kind
    }
    pub fn received(&self) -> &Received {
        &self.received
    }
    pub fn channel(&self) -> Channel {
        self.channel
    }
    pub fn ticket(&self) -> Option<&str> {
        self.ticket.as_deref()
    }
    pub fn subjects(&self) -> &[Subject] {
        &self.subjects
    }
    pub fn identity_checks(&self) -> &[IdentityCheck] {
        &self.identity_checks
    }
    pub fn assignee(&self) -> Option<&str> {
        self.assignee.as_deref()
    }
    pub fn status(&self) -> &Status {
        &self.status
    }
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }
    pub fn extension(&self) -> Option<&Extension> {
        self.extension.as_ref()
    }
    pub fn deadline(&self) -> Option<&Deadline> {
        self.deadline.as_ref()
    }
    pub fn events(&self) -> &[RequestEvent] {
        &self.events
    }
    pub fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
    pub fn updated_at(&self) -> OffsetDateTime {
        self.updated_at
    }

    /// For [`crate::RequestStore`] implementations only: the request as stored at `version`.
    pub fn stored_as(mut self, version: u64) -> Request {
        self.version = version;
        self
    }
}
