//! Why: a back-office lead gets batches of deletion requests from the CRM (docs/design.md §1):
//! import a CSV, dry-run it against the live card lists, run it with progress, resume after a
//! crash, export per-row results. Every removal still goes through the one safe workflow
//! ([`Revoker`]: intent, exactly one rem_token, read-back, outcome), so a bulk job adds no
//! new way to remove a card — only a journal that makes a crash or a kill harmless.
//!
//! * [`import`]: CSV rows, validated, problems named by row, field and rule;
//! * [`journal`]: the per-job sled database of row states (the store's journal of [`RowRecord`]s);
//! * [`BulkJob::plan`]: the dry run (each row resolved to the cards it would remove);
//! * [`BulkJob::run`]: concurrency, rate limit, pause/resume/cancel, crash recovery;
//! * [`BulkJob::export_csv`]: per-row results.

mod control;
pub mod import;
pub mod journal;
pub mod preview;
mod record_cap;
pub mod row;
mod run;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use assist::{Card, Client, CustomerNumber};
use serde::Serialize;

use crate::audit::{CardSummary, Reason, now_rfc3339_ms, token_fingerprint};
use crate::revoke::{NOTE, NOTE_MAX, TICKET, TICKET_MAX, optional_text};
use crate::{DeskError, ErrorCode, csv_cell};

pub use control::JobControl;
pub use import::{ColumnMap, CsvRows, Rejected, RowInput, RowProblem, open_csv, token_digest};
pub use journal::{Journal, journal_path};
pub use preview::{CsvPreview, preview_file};
pub use row::{CardState, JobMeta, PlanClass, PlannedCard, RowRecord, RowState};
pub use run::{CONCURRENCY_MAX, Progress, ProgressFn, RATE_MAX, ROWS_PER_REQUEST_SLOT, RunOptions};

/// How a job connects (no password: that comes from the keyring or the environment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobTarget {
    pub server: String,
    pub merchant_id: String,
    pub login: String,
    pub environment: Option<String>,
    /// The app profile (`None` for a headless job).
    pub profile_id: Option<String>,
}

/// Defaults for the job's rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobDefaults {
    /// Rows without a card filter remove every card of the customer.
    pub erasure: bool,
    pub ticket: Option<String>,
    pub reason: Reason,
    pub note: Option<String>,
}

impl Default for JobDefaults {
    fn default() -> JobDefaults {
        JobDefaults {
            erasure: false,
            ticket: None,
            reason: Reason::CustomerRequest,
            note: None,
        }
    }
}

/// Counts per state and plan class, plus the first problems, for a summary screen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct JobSummary {
    pub job_id: String,
    pub rows: u64,
    /// Rows per [`RowState`] (states no row is in are left out).
    #[ts(type = "Partial<Record<RowState, number>>")]
    pub states: std::collections::BTreeMap<RowState, u64>,
    /// Rows per [`PlanClass`] (classes no row has are left out).
    #[ts(type = "Partial<Record<PlanClass, number>>")]
    pub classes: std::collections::BTreeMap<PlanClass, u64>,
    /// Cards the plan would remove (or has removed).
    pub cards: u64,
    /// Cards the next run would send a removal for (planned, not yet sent): what a
    /// production run's confirmation asks for.
    pub to_remove: u64,
    /// Input problems, at most [`PROBLEMS_SHOWN`].
    pub problems: Vec<String>,
    pub problem_count: u64,
    pub erasure: bool,
}

pub const PROBLEMS_SHOWN: usize = 200;

/// A bulk job: its journal and description.
#[derive(Clone, Debug)]
pub struct BulkJob {
    journal: Journal,
    path: PathBuf,
}

fn new_job_id() -> String {
    let stamp = now_rfc3339_ms()
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect::<String>();
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{stamp}-{}", &random[..6])
}

impl BulkJob {
    /// Imports a CSV into a new job's journal, one row at a time (rows `pending`, bad rows
    /// `failed` with their problems, duplicates `skipped`).
    ///
    /// The defaults' ticket and note follow a single removal's rules (at most 64 and 500
    /// characters, no control characters but a note's line breaks and tabs): the CLI's
    /// `--ticket` and `--note` come here unchecked.
    pub fn create(
        data_dir: &Path,
        source: &str,
        input: impl Read,
        map: &ColumnMap,
        target: JobTarget,
        defaults: JobDefaults,
    ) -> Result<BulkJob, DeskError> {
        let ticket = optional_text(TICKET, defaults.ticket.as_deref(), TICKET_MAX, false)?;
        let note = optional_text(NOTE, defaults.note.as_deref(), NOTE_MAX, true)?;
        let rows = open_csv(input, map)?;
        let id = new_job_id();
        let path = journal_path(data_dir, &id);
        let journal = Journal::open(&path, true)?;
        match Self::import(
            journal, &path, id, rows, source, target, ticket, note, defaults,
        ) {
            Ok(job) => Ok(job),
            Err(e) => {
                // A job that was never whole is not left behind (it would later read as "the
                // job has no description"): its folder goes.
                let _ = std::fs::remove_dir_all(&path);
                Err(e)
            }
        }
    }

    /// Writes the job's description and rows into its new journal.
    #[allow(clippy::too_many_arguments)]
    fn import<R: Read>(
        journal: Journal,
        path: &Path,
        id: String,
        rows: CsvRows<R>,
        source: &str,
        target: JobTarget,
        ticket: Option<String>,
        note: Option<String>,
        defaults: JobDefaults,
    ) -> Result<BulkJob, DeskError> {
        let mut meta = JobMeta {
            id,
            created: now_rfc3339_ms(),
            source: source.to_owned(),
            server: target.server,
            merchant_id: target.merchant_id,
            login: target.login,
            environment: target.environment,
            erasure: defaults.erasure,
            ticket,
            reason: defaults.reason,
            note,
            rows: 0,
            planned: false,
            profile_id: target.profile_id,
            ran: false,
            options: None,
            settled_rate: None,
        };
        journal.put_meta(&meta)?;
        let mut count = 0;
        // The first row of each request, for the import only (24 bytes a row, gone after).
        // It was a sled tree: written in hash order, that tree cost 9 MiB and 1.3 s at
        // 100,000 rows (docs/benchmarks.md).
        let mut first_rows: std::collections::HashMap<[u8; 16], u64> =
            std::collections::HashMap::new();
        for (row, parsed) in rows {
            count += 1;
            let mut record = RowRecord::pending(row);
            match parsed {
                Ok(input) => {
                    let first = match first_rows.entry(input.dedup_key()) {
                        std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert(row);
                            None
                        }
                    };
                    if let Some(first) = first {
                        record.state = RowState::Skipped;
                        record.class = Some(PlanClass::Duplicate);
                        record.problems.push(RowProblem {
                            row,
                            field: "row".to_owned(),
                            rule: format!("duplicate of row {first}"),
                        });
                        record.message = Some(format!("row {row}: duplicate of row {first}"));
                    }
                    record.input = Some(input);
                }
                Err(Rejected { problems, raw }) => {
                    record.state = RowState::Failed;
                    record.class = Some(PlanClass::Invalid);
                    record.message = Some(
                        problems
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; "),
                    );
                    record.problems = problems;
                    // Shown and exported, never acted on: an invalid row is final.
                    record.input = Some(*raw);
                }
            }
            journal.put(&record)?;
        }
        meta.rows = count;
        journal.put_meta(&meta)?;
        journal.settle_all()?;
        journal.flush_blocking()?;
        Ok(BulkJob {
            journal,
            path: path.to_owned(),
        })
    }

    /// Opens an existing job by id.
    pub fn open(data_dir: &Path, id: &str) -> Result<BulkJob, DeskError> {
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(DeskError::new(
                ErrorCode::Validation,
                "job: must be a job id such as 20261127125246-1a2b3c".to_owned(),
            )
            .ru("задание: нужен номер задания вида 20261127125246-1a2b3c"));
        }
        let path = journal_path(data_dir, id);
        let journal = Journal::open(&path, false)?;
        journal.meta::<JobMeta>()?;
        Ok(BulkJob { journal, path })
    }

    pub fn meta(&self) -> Result<JobMeta, DeskError> {
        Ok(self.journal.meta()?)
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every row, in file order, one at a time.
    pub fn rows(&self) -> impl Iterator<Item = Result<RowRecord, DeskError>> + use<> {
        self.journal.iter().map(|row| row.map_err(DeskError::from))
    }

    /// Counts per state and class, in one pass over the journal.
    pub fn summary(&self) -> Result<JobSummary, DeskError> {
        let meta = self.meta()?;
        let mut s = JobSummary {
            job_id: meta.id,
            erasure: meta.erasure,
            ..JobSummary::default()
        };
        for record in self.rows() {
            let r = record?;
            s.rows += 1;
            *s.states.entry(r.state).or_default() += 1;
            if let Some(c) = r.class {
                *s.classes.entry(c).or_default() += 1;
            }
            s.cards += r.cards.len() as u64;
            if matches!(r.state, RowState::Planned | RowState::InFlight) {
                s.to_remove += r
                    .cards
                    .iter()
                    .filter(|c| c.state == CardState::Planned)
                    .count() as u64;
            }
            for p in &r.problems {
                s.problem_count += 1;
                if s.problems.len() < PROBLEMS_SHOWN {
                    s.problems.push(p.to_string());
                }
            }
        }
        Ok(s)
    }

    /// The dry run: every `pending` row is resolved against the customer's live card list.
    /// Sends nothing but listings.
    pub async fn plan(
        &self,
        client: &Client,
        options: &RunOptions,
        control: &JobControl,
        progress: Option<ProgressFn>,
    ) -> Result<JobSummary, DeskError> {
        let pace = run::pace_for(self, options)?;
        run::plan(self, client, options, control, progress, pace).await?;
        self.summary()
    }

    /// Writes per-card results: row, customer, card (masked), state, outcome, fault, time.
    /// Every cell is neutralised against formula injection ([`crate::csv_cell`]).
    pub fn export_csv(&self, out: impl Write) -> Result<u64, DeskError> {
        let io = |e: csv::Error| {
            DeskError::new(ErrorCode::Internal, format!("results export: {e}"))
                .ru(format!("выгрузка результатов: {e}"))
        };
        let mut w = csv::Writer::from_writer(out);
        csv_cell::write_record(
            &mut w,
            [
                "row", "customer", "card", "brand", "state", "class", "outcome", "fault", "time",
                "message",
            ],
        )
        .map_err(io)?;
        let mut n = 0;
        for record in self.rows() {
            let r = record?;
            let customer = r
                .input
                .as_ref()
                .map(|i| i.customer.clone())
                .unwrap_or_default();
            let class = r.class.map(PlanClass::as_str).unwrap_or_default();
            let message = r.message.clone().unwrap_or_default();
            let row = r.row.to_string();
            if r.cards.is_empty() {
                csv_cell::write_record(
                    &mut w,
                    [
                        row.as_str(),
                        &customer,
                        "",
                        "",
                        r.state.as_str(),
                        class,
                        "",
                        "",
                        r.time.as_deref().unwrap_or_default(),
                        &message,
                    ],
                )
                .map_err(io)?;
                n += 1;
            }
            for c in &r.cards {
                let state = match c.state {
                    CardState::Planned => "planned",
                    CardState::InFlight => "in_flight",
                    CardState::Done => "done",
                    CardState::Failed => "failed",
                    CardState::Skipped => "skipped",
                };
                csv_cell::write_record(
                    &mut w,
                    [
                        row.as_str(),
                        &customer,
                        &c.masked,
                        &c.brand,
                        state,
                        class,
                        c.outcome.as_deref().unwrap_or_default(),
                        c.fault.as_deref().unwrap_or_default(),
                        c.time.as_deref().or(r.time.as_deref()).unwrap_or_default(),
                        &message,
                    ],
                )
                .map_err(io)?;
                n += 1;
            }
        }
        w.flush().map_err(|e| {
            DeskError::new(ErrorCode::Internal, format!("results export: {e}"))
                .ru(format!("выгрузка результатов: {e}"))
        })?;
        Ok(n)
    }
}

/// Resolves a row against the customer's current cards (the dry run's rules).
pub fn resolve<'a>(
    input: &RowInput,
    cards: &'a [Card],
    erasure: bool,
) -> (PlanClass, Vec<&'a Card>) {
    if cards.is_empty() {
        return (PlanClass::None, Vec::new());
    }
    if !input.has_card_filter() {
        return if erasure {
            (PlanClass::All, cards.iter().collect())
        } else {
            (PlanClass::NeedsErasure, Vec::new())
        };
    }
    let matching: Vec<&Card> = cards
        .iter()
        .filter(|c| input.names_card(&c.token))
        .filter(|c| input.last4.as_deref().is_none_or(|l| c.last4 == l))
        .filter(|c| {
            input
                .expiry
                .is_none_or(|(m, y)| c.expiry.month == Some(m) && c.expiry.year == Some(y))
        })
        .collect();
    match matching.len() {
        0 => (PlanClass::NoMatch, matching),
        1 => (PlanClass::Exact, matching),
        _ => (PlanClass::Ambiguous, matching),
    }
}

/// The planned card as the journal keeps it (no token).
pub fn planned_card(card: &Card) -> PlannedCard {
    let summary = CardSummary::of(card);
    PlannedCard {
        fingerprint: token_fingerprint(&card.token),
        masked: summary.masked(),
        brand: card.brand.clone(),
        last4: card.last4.clone(),
        state: CardState::Planned,
        outcome: None,
        fault: None,
        time: None,
        audit_seq: None,
    }
}

/// Lists a customer with backoff (on top of the client's own retries): listing is idempotent.
/// A refusal for the gateway's rate (17/3, 429, 503) is tried again for as long as
/// `patience` allows since the first refusal (the client's pace slows every request down
/// meanwhile); other transport failures a few times. A cancel during a wait ends it with the
/// last error.
pub(crate) async fn list_with_backoff(
    client: &Client,
    customer: &CustomerNumber,
    control: &JobControl,
    patience: std::time::Duration,
) -> Result<Vec<Card>, assist::Error> {
    let mut delay = std::time::Duration::from_millis(100);
    let mut attempt = 0;
    let mut refused_since = None;
    loop {
        match client.list_cards(customer).await {
            Err(e) if e.is_refusal() => {
                let since = *refused_since.get_or_insert_with(std::time::Instant::now);
                if since.elapsed() >= patience || !control.wait(delay).await {
                    return Err(e);
                }
                delay = (delay * 2).min(control::MAX_REFUSAL_BACKOFF);
            }
            // Nothing to wait for: the job stops (see `run.rs`) rather than try every row.
            Err(e) if e.is_unreachable() => return Err(e),
            Err(e) if e.is_retryable() && attempt < 6 => {
                if !control.wait(delay).await {
                    return Err(e);
                }
                delay = (delay * 2).min(std::time::Duration::from_secs(3));
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// A shared pointer to the workflow, for the runner's tasks.
pub type SharedRevoker = Arc<crate::Revoker>;
