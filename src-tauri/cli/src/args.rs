//! The command line's shape. The password is never an argument (it would show in `ps` and
//! shell history): it comes from `--password-stdin` (preferred) or `CARDDESK_PASSWORD`, which
//! cannot be removed from the environment without `unsafe` (docs/security.md).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

mod request;

pub use request::*;

/// The app's identifier: its data dir (and so the audit log) is `<OS data dir>/ru.carddesk.app`.
pub const APP_ID: &str = "ru.carddesk.app";

#[derive(Debug, Parser)]
#[command(
    name = "carddesk",
    version,
    about = "Card Desk: saved cards at IPS Assist, from a terminal"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Assist-compatible sandbox; prints `listening on http://ADDR` first, then
    /// `control token: TOKEN`.
    Sandbox(SandboxArgs),
    /// List a customer's saved cards.
    Cards(CardsArgs),
    /// Remove one saved card (token) of a customer: validated, audited, sent once, read back.
    Revoke(RevokeArgs),
    /// The audit log: verify its chain, export it, settle intents left open by a crash.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Bulk card-removal jobs from a CSV: dry run, run, resume after a crash.
    #[command(subcommand)]
    Bulk(BulkCommand),
    /// Customers' requests (376-FZ refusals, 152-FZ and GDPR access and erasure): open, list
    /// by deadline, show, record what was done, close.
    #[command(subcommand)]
    Request(RequestCommand),
    /// Team mode: the team's shared audit trail on PostgreSQL (set up in the app's
    /// Settings → Team; docs/team.md).
    #[command(subcommand)]
    Team(TeamCommand),
}

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Ship what the team trail lacks of this desk's audit log, now (the app does it every
    /// few seconds; a shipment sent twice is harmless).
    Ship(TeamArgs),
}

#[derive(Debug, Args)]
pub struct TeamArgs {
    #[command(flatten)]
    pub data: DataDirArg,
    #[command(flatten)]
    pub login: TeamLoginArg,
    /// Print machine-readable JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TeamLoginArg {
    /// Read the team database login's password from one line of standard input (else
    /// `CARDDESK_TEAM_PASSWORD`, else the keyring, where Settings → Team keeps it).
    #[arg(long)]
    pub team_password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum BulkCommand {
    /// Dry run: resolve every row against the live card lists; sends no removal.
    Plan(BulkFileArgs),
    /// Import, plan and run a job: every removal through the revoke workflow and audit log.
    Run(BulkRunArgs),
    /// Continue a job after a crash, a kill or Ctrl+C (rows in flight are re-checked).
    Resume(BulkResumeArgs),
}

#[derive(Debug, Args)]
pub struct BulkFileArgs {
    /// The CSV (UTF-8, comma or semicolon; a customer number column, optional last4,
    /// expiry, token, ticket, reason, note).
    pub file: PathBuf,
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Rows without a card filter remove every card of the customer.
    #[arg(long)]
    pub erasure: bool,
    /// Header of the customer number column, when not a known alias.
    #[arg(long)]
    pub map_customer: Option<String>,
    #[arg(long)]
    pub map_last4: Option<String>,
    #[arg(long)]
    pub map_expiry: Option<String>,
    #[arg(long)]
    pub map_token: Option<String>,
    /// Gateway requests in flight at once (a run keeps a few rows in hand per request).
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Gateway requests per second, at most. The job goes slower on its own when the
    /// gateway's rate limit refuses requests (fault 17/3, HTTP 429/503).
    #[arg(long, default_value_t = 20.0)]
    pub rate: f64,
    /// A row the gateway's rate limit keeps refusing ends as failed after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    pub give_up_after: u64,
    #[command(flatten)]
    pub data: DataDirArg,
    /// Print machine-readable JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BulkRunArgs {
    #[command(flatten)]
    pub file: BulkFileArgs,
    /// Ticket for rows without one (default: `bulk <job> row <n>`).
    #[arg(long)]
    pub ticket: Option<String>,
    /// Reason for rows without one.
    #[arg(long, default_value = "customer_request")]
    pub reason: String,
    #[arg(long)]
    pub note: Option<String>,
    /// Write per-row results (CSV) here.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BulkResumeArgs {
    /// The job id `bulk run` printed.
    pub job: String,
    #[command(flatten)]
    pub data: DataDirArg,
    /// Read the password from the first line of standard input (preferred) instead of
    /// CARDDESK_PASSWORD, which stays in this process's environment for the whole run.
    #[arg(long)]
    pub password_stdin: bool,
    /// Gateway requests in flight at once (default: what the job last ran with, else 4).
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Gateway requests per second, at most (default: what the job last ran with, else 20).
    /// The job starts at the rate it had settled on under the gateway's limit.
    #[arg(long)]
    pub rate: Option<f64>,
    /// A row the gateway's rate limit keeps refusing ends as failed after this many seconds
    /// (default: the job's own, else 600).
    #[arg(long, value_name = "SECONDS")]
    pub give_up_after: Option<u64>,
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Seed file with merchants, users and customers (default: the built-in demo seed).
    #[arg(long)]
    pub seed: Option<PathBuf>,
    /// Token the /_sandbox/ control API asks for (Authorization: Bearer TOKEN); 16 to 256
    /// visible ASCII characters. Default: a random one, printed on the second line.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "CARDDESK_SANDBOX_TOKEN",
        hide_env_values = true
    )]
    pub control_token: Option<String>,
}

#[derive(Debug, Args)]
pub struct ConnectionArgs {
    /// Gateway base URL, e.g. https://payments.demo.paysecure.ru (http only on loopback).
    #[arg(long)]
    pub server: String,
    /// Merchant id (digits).
    #[arg(long)]
    pub merchant_id: String,
    /// Web-service user login.
    #[arg(long)]
    pub login: String,
    /// Read the password from the first line of standard input (preferred) instead of
    /// CARDDESK_PASSWORD, which stays in this process's environment for the whole run.
    #[arg(long)]
    pub password_stdin: bool,
    /// Language of gateway messages: RU or EN.
    #[arg(long)]
    pub language: Option<String>,
}

#[derive(Debug, Args)]
pub struct GatewayArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// The merchant's customer number.
    #[arg(long)]
    pub customer: String,
    /// Print machine-readable JSON (see docs/cli-json.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DataDirArg {
    /// The app data dir holding the audit log (`audit/audit.jsonl`) and the request register
    /// (`requests/`); default: the desktop app's own (`<OS data dir>/ru.carddesk.app`).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CardsArgs {
    #[command(flatten)]
    pub gateway: GatewayArgs,
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    #[command(flatten)]
    pub gateway: GatewayArgs,
    /// The card token to remove (8-4-4-4-12 hex), exactly as `cards` printed it.
    #[arg(long)]
    pub token: String,
    /// The card's last 4 digits as the customer reads them; must match the listed card.
    #[arg(long)]
    pub last4: String,
    /// The ticket (case) reference; required.
    #[arg(long)]
    pub ticket: Option<String>,
    /// customer_request, lost_or_stolen, suspected_fraud, erasure_request, duplicate,
    /// expired or other (other needs --note).
    #[arg(long, default_value = "customer_request")]
    pub reason: String,
    /// A note for the audit log (at most 500 characters).
    #[arg(long)]
    pub note: Option<String>,
    /// For a production gateway: the customer number typed again.
    #[arg(long)]
    pub confirm_customer: Option<String>,
    /// sandbox, test or production. Default: from the host (loopback: sandbox; test and demo
    /// hosts: test; any other host: production).
    #[arg(long)]
    pub environment: Option<String>,
    /// The operator's name in the audit log (default: the OS user).
    #[arg(long)]
    pub operator_name: Option<String>,
    #[command(flatten)]
    pub data: DataDirArg,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain, the MACs and the keyring's high-water mark; exit 0 when intact,
    /// 1 naming the first break (or an `--expect`ed entry that is not there).
    Verify(AuditVerifyArgs),
    /// Write every entry to a CSV or JSON file.
    Export(AuditExportArgs),
    /// Settle revocations left without an outcome (the process stopped mid-way) by re-reading
    /// the card lists of this gateway and merchant; never sends a removal.
    Recover(AuditRecoverArgs),
    /// Move closed segments wholly older than the retention period to DEST and record them
    /// in the live log (so both still verify).
    Archive(AuditArchiveArgs),
    /// Confirm that FILE is a document Card Desk produced for a customer's request, unchanged:
    /// its SHA-256 must be recorded in the intact audit chain. Exit 0 naming the request and
    /// the entry, 1 when it is not recorded (not produced here, or changed since).
    VerifyDocument(AuditVerifyDocumentArgs),
}

#[derive(Debug, Args)]
pub struct AuditVerifyDocumentArgs {
    /// The PDF or CSV to check.
    pub file: PathBuf,
    #[command(flatten)]
    pub data: DataDirArg,
    /// Print machine-readable JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AuditArchiveArgs {
    /// The retention period: segments whose last entry is older than this move, e.g. 3y,
    /// 36m or 1095d.
    #[arg(long, value_name = "DURATION")]
    pub older_than: String,
    /// Where the archived segments go (created 0700; a directory you back up and keep).
    pub dest: PathBuf,
    /// The operator's name in the `archived` entry (default: the OS user).
    #[arg(long)]
    pub operator_name: Option<String>,
    #[command(flatten)]
    pub data: DataDirArg,
    /// Print machine-readable JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AuditVerifyArgs {
    #[command(flatten)]
    pub data: DataDirArg,
    /// Print machine-readable JSON.
    #[arg(long)]
    pub json: bool,
    /// Also check that the entry with this hash (e.g. the `auditHash` pasted into a ticket)
    /// is in the intact chain; exit 1 when it is not.
    #[arg(long, value_name = "HASH")]
    pub expect: Option<String>,
    /// After a cut, deleted or replaced log was reported: keep the old file as evidence,
    /// then accept the log file as it is now (or no file) as the one to go on with. Moves
    /// the keyring's high-water mark; needs the keyring.
    #[arg(long)]
    pub accept_new_log: bool,
    /// Check one closed segment alone (a file name under `audit/segments/`): its chain, its
    /// MACs and its BLAKE3 against the link the next file holds.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["archive", "accept_new_log", "expect"])]
    pub segment: Option<String>,
    /// Check an archive made by `carddesk audit archive` against the live log's record of
    /// it: every archived segment present, unchanged and chained.
    #[arg(long, value_name = "DEST", conflicts_with_all = ["accept_new_log", "expect"])]
    pub archive: Option<PathBuf>,
    /// Check the team's shared trail instead of this desk's file: every desk's chain, by the
    /// server and by this verifier over the server's copy, and this desk's copy line by line
    /// against its log (team mode, docs/team.md).
    #[arg(long, conflicts_with_all = ["segment", "archive", "accept_new_log", "expect"])]
    pub team: bool,
    #[command(flatten)]
    pub login: TeamLoginArg,
}

#[derive(Debug, Args)]
pub struct AuditExportArgs {
    /// csv or json.
    #[arg(long)]
    pub format: String,
    /// The file to write (replaced if it exists; mode 0600).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub data: DataDirArg,
}

#[derive(Debug, Args)]
pub struct AuditRecoverArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// As for `revoke` (it is part of the profile the intents were recorded under).
    #[arg(long)]
    pub environment: Option<String>,
    #[arg(long)]
    pub operator_name: Option<String>,
    #[command(flatten)]
    pub data: DataDirArg,
    /// Print machine-readable JSON.
    #[arg(long)]
    pub json: bool,
}
