//! The shape of `carddesk request …`: the register of customers' requests from a terminal.
//! Values are spelled the way a shell wants them (`access-152`, `in-progress`); `request.rs`
//! turns them into the register's own names.

use clap::{ArgGroup, Args, Subcommand, ValueEnum};

use super::DataDirArg;

#[derive(Debug, Subcommand)]
pub enum RequestCommand {
    /// Open a request: prints its id, kind and due date (from the kind and the day of receipt
    /// on the Russian production calendar), flagged when that date is provisional.
    New(RequestNewArgs),
    /// The register, earliest deadline first, marking what is due today or overdue; then the
    /// day's counts.
    List(RequestListArgs),
    /// One request in full: subjects, identity checks, status, deadline, extension, notes,
    /// open items, its history and the removals done for it.
    Show(RequestShowArgs),
    /// Record one change to a request: an identity check, a status, an extension, a note or
    /// the assignee. `--version` is the version you saw (`show` prints it): if someone changed
    /// the request since, nothing is written and you are told to reload.
    Act(RequestActArgs),
    /// Close an answered request (the same as `act --status closed`).
    Close(RequestCloseArgs),
    /// Make a request's document, as the app's window does: the 376-FZ confirmation, the
    /// answer to an access request, or an erasure's Order 179 act and log export. The card
    /// list is read from the gateway through the request's profile (the app's profiles, their
    /// passwords in the keyring; the app must be closed); the file's SHA-256 goes into the
    /// request and the audit log.
    Document(RequestDocumentArgs),
}

/// Which document `request document` makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DocumentArg {
    /// The 376-FZ confirmation of a refusal (a PDF at `--out`).
    Confirmation,
    /// The answer to an access request (a PDF at `--out`; `--details` gives the wording).
    Answer,
    /// The Order 179 act and the event-log export (PDF and CSV in the folder `--out`;
    /// `--details` gives the operator and the people who destroyed the data).
    Erasure,
}

/// The language of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LanguageArg {
    En,
    Ru,
}

#[derive(Debug, Args)]
pub struct RequestDocumentArgs {
    /// The request's id.
    pub id: String,
    /// The version of the request you saw (`show` prints it).
    #[arg(long)]
    pub version: u64,
    #[arg(long, value_enum)]
    pub kind: DocumentArg,
    /// Where to save: a file for a confirmation or an answer, a folder for an erasure.
    #[arg(long, value_name = "PATH")]
    pub out: std::path::PathBuf,
    /// A JSON file with the document's own details (docs/cli-json.md): for `answer` the
    /// wording, for `erasure` who destroyed; the operator, processor and information system
    /// default to the app's Settings → Documents and may be given here for this document.
    /// For `confirmation` the file is optional (the merchant as `operatorName` and
    /// `operatorAddress`, else Settings' operator).
    #[arg(long, value_name = "FILE")]
    pub details: Option<std::path::PathBuf>,
    #[arg(long, value_enum, default_value = "en")]
    pub language: LanguageArg,
    /// The app's settings folder holding its profiles; default: the desktop app's own
    /// (`<OS config dir>/ru.carddesk.app`).
    #[arg(long, value_name = "DIR")]
    pub config_dir: Option<std::path::PathBuf>,
    /// A built-in sandbox's URL (as `carddesk sandbox` prints it): its demo profile
    /// (`sandbox`) is then available, as in the app.
    #[arg(long, value_name = "URL")]
    pub sandbox_url: Option<String>,
    #[command(flatten)]
    pub register: RegisterArgs,
}

/// Where the register is and how the agent's day is told.
#[derive(Debug, Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    pub data: DataDirArg,
    /// Your UTC offset in minutes east of UTC (180 for Moscow, -300 for New York): it decides
    /// which day is "today" for deadlines and the day a request was received. Default: the
    /// offset of the local time zone (TZ, /etc/localtime) when it can be read, else UTC.
    #[arg(long, value_name = "MINUTES", allow_negative_numbers = true)]
    pub utc_offset: Option<i32>,
    /// Print machine-readable JSON (see docs/cli-json.md).
    #[arg(long)]
    pub json: bool,
}

/// Who makes a change: the name the register and the audit log record.
#[derive(Debug, Args)]
pub struct OperatorArg {
    /// The name recorded as who made the change (default: the OS user).
    #[arg(long)]
    pub operator_name: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// 376-FZ: stop using the saved card details (no statutory deadline).
    #[value(name = "card-refusal")]
    CardRefusal,
    /// 152-FZ art. 14: access to one's personal data (10 working days).
    #[value(name = "access-152")]
    Access152,
    /// 152-FZ art. 21: consent withdrawn, erase (30 days).
    #[value(name = "erasure-152")]
    Erasure152,
    /// GDPR art. 15: access (one month).
    #[value(name = "access-gdpr")]
    AccessGdpr,
    /// GDPR art. 17: erasure (one month).
    #[value(name = "erasure-gdpr")]
    ErasureGdpr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChannelArg {
    Ticket,
    Email,
    Phone,
    Letter,
    WebForm,
}

/// A status an agent can move a request to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    InProgress,
    Answered,
    Closed,
    /// Needs --reason (the reason given to the customer).
    Refused,
}

/// A status to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StatusFilterArg {
    New,
    InProgress,
    Answered,
    Closed,
    Refused,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum YesNo {
    Yes,
    No,
}

#[derive(Debug, Args)]
pub struct RequestNewArgs {
    #[arg(long, value_enum)]
    pub kind: KindArg,
    /// A customer number the request is about; repeat for several (at most 50).
    #[arg(long = "customer", value_name = "NUMBER", required = true)]
    pub customers: Vec<String>,
    /// The merchant profile the customers are looked up in, by id, or `all` when the customer
    /// did not say which shop (the default).
    #[arg(long, value_name = "ID|all", default_value = "all")]
    pub profile: String,
    /// How the request reached the desk.
    #[arg(long, value_enum)]
    pub channel: ChannelArg,
    /// The ticket (case) reference, at most 64 characters.
    #[arg(long)]
    pub ticket: Option<String>,
    /// When it arrived, with its offset: 2026-12-07T10:15:00+03:00. Default: now.
    #[arg(long, value_name = "RFC3339", conflicts_with = "received_on")]
    pub received: Option<String>,
    /// The day it arrived, when only the day is known (a paper letter): 2026-12-07.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub received_on: Option<String>,
    /// Who works on it.
    #[arg(long, value_name = "NAME")]
    pub assignee: Option<String>,
    #[command(flatten)]
    pub operator: OperatorArg,
    #[command(flatten)]
    pub register: RegisterArgs,
}

#[derive(Debug, Args)]
pub struct RequestListArgs {
    /// Only requests whose clock runs (new, in progress).
    #[arg(long)]
    pub open: bool,
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Only this status; repeat for several.
    #[arg(long, value_enum)]
    pub status: Vec<StatusFilterArg>,
    /// Only requests naming this customer number.
    #[arg(long, value_name = "NUMBER")]
    pub customer: Option<String>,
    #[command(flatten)]
    pub register: RegisterArgs,
}

#[derive(Debug, Args)]
pub struct RequestShowArgs {
    /// The request's id (as `new` or `list` printed it).
    pub id: String,
    #[command(flatten)]
    pub register: RegisterArgs,
}

#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("action")
        .required(true)
        .args(["identity", "status", "extend_notice", "note", "assign", "unassign"])
))]
pub struct RequestActArgs {
    /// The request's id.
    pub id: String,
    /// The version of the request you saw (`show` prints it).
    #[arg(long)]
    pub version: u64,
    /// An identity check: what was asked or compared (e.g. "e-mail on file and last 4 of the
    /// card"); with --matched.
    #[arg(long, value_name = "WHAT WAS ASKED", requires = "matched")]
    pub identity: Option<String>,
    /// Whether the answer matched (a failed check is recorded too).
    #[arg(long, value_enum, requires = "identity")]
    pub matched: Option<YesNo>,
    /// Move the request on: new → in-progress (needs a matched identity check) → answered →
    /// closed; refused (with --reason) from new or in-progress.
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// With --status refused: the reason given to the customer. With --extend-notice: why
    /// the term is extended.
    #[arg(long)]
    pub reason: Option<String>,
    /// With --status closed: close even with open items, recording them as left open.
    #[arg(long, requires = "status")]
    pub force: bool,
    /// Extend the term (152-FZ access: +5 working days; GDPR: +2 months): the day the
    /// reasoned notice was sent to the customer; with --reason.
    #[arg(long, value_name = "YYYY-MM-DD", requires = "reason")]
    pub extend_notice: Option<String>,
    /// Add a note.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Set who works on the request.
    #[arg(long, value_name = "NAME")]
    pub assign: Option<String>,
    /// Clear who works on the request.
    #[arg(long)]
    pub unassign: bool,
    #[command(flatten)]
    pub operator: OperatorArg,
    #[command(flatten)]
    pub register: RegisterArgs,
}

#[derive(Debug, Args)]
pub struct RequestCloseArgs {
    /// The request's id.
    pub id: String,
    /// The version of the request you saw.
    #[arg(long)]
    pub version: u64,
    /// Close even with open items, recording them as left open.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub operator: OperatorArg,
    #[command(flatten)]
    pub register: RegisterArgs,
}
