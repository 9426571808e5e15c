//! Why: the desktop app's bulk jobs (issue 5) — import a CSV for the active profile, dry-run
//! it, run it with progress, pause/resume/cancel from another call, list the jobs on disk
//! after a restart, export results — as desk methods the shell's commands call one line at a
//! time. The engine is [`crate::bulk`]; this file owns only what the app adds: one open
//! handle per journal (sled refuses a second open), the running jobs' controls, the
//! production confirmation and the views sent to the UI (no tokens, ever).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::{Desk, Exported, blocking, lock};
use crate::audit::Reason;
use crate::bulk::{
    BulkJob, CONCURRENCY_MAX, CardState, ColumnMap, CsvPreview, JobControl, JobDefaults,
    JobSummary, JobTarget, PlanClass, ProgressFn, RATE_MAX, RowRecord, RowState, RunOptions,
    journal_path, preview_file,
};
use crate::environment::Environment;
use crate::revoke::{NOTE, NOTE_MAX, TICKET, TICKET_MAX, optional_text};
use crate::{DeskError, Words};

/// What the import step sends: the file (the handle its preview gave), its column mapping and
/// the job's defaults.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct BulkDraft {
    /// [`CsvPreview::source`]: a file chosen in the native dialog, never a path.
    pub source: String,
    pub map: ColumnMap,
    pub erasure: bool,
    pub ticket: Option<String>,
    pub reason: Reason,
    pub note: Option<String>,
}

/// Where a job stands, for its badge and the buttons it offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum JobPhase {
    /// Imported, not dry-run yet.
    Created,
    Planning,
    /// Dry run done; nothing removed yet.
    Planned,
    Running,
    Paused,
    /// Every row is final.
    Finished,
    /// A run stopped (cancel, crash) with rows left: resuming re-checks them.
    Interrupted,
}

#[derive(Clone, Debug, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct JobView {
    pub id: String,
    pub created: String,
    pub source: String,
    pub profile_id: Option<String>,
    pub profile_name: Option<String>,
    pub environment: Option<Environment>,
    pub erasure: bool,
    pub rows: u64,
    pub phase: JobPhase,
    pub summary: JobSummary,
    /// The concurrency and rate the job last ran with: the run form starts from them.
    pub options: Option<RunOptions>,
}

/// One card of a row, as the plan table shows it (masked; no token, no fingerprint).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct BulkCard {
    pub masked: String,
    pub brand: String,
    pub last4: String,
    pub state: CardState,
    pub outcome: Option<String>,
    pub fault: Option<String>,
    pub time: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct BulkRow {
    pub row: u64,
    pub customer: Option<String>,
    pub last4: Option<String>,
    pub ticket: Option<String>,
    pub state: RowState,
    pub class: Option<PlanClass>,
    pub cards: Vec<BulkCard>,
    pub message: Option<String>,
    pub time: Option<String>,
}

impl From<RowRecord> for BulkRow {
    fn from(r: RowRecord) -> BulkRow {
        BulkRow {
            row: r.row,
            customer: r
                .input
                .as_ref()
                .map(|i| i.customer.clone())
                .filter(|c| !c.is_empty()),
            last4: r.input.as_ref().and_then(|i| i.last4.clone()),
            ticket: r.input.as_ref().and_then(|i| i.ticket.clone()),
            state: r.state,
            class: r.class,
            cards: r
                .cards
                .into_iter()
                .map(|c| BulkCard {
                    masked: c.masked,
                    brand: c.brand,
                    last4: c.last4,
                    state: c.state,
                    outcome: c.outcome,
                    fault: c.fault,
                    time: c.time,
                })
                .collect(),
            message: r.message,
            time: r.time,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RowPage {
    pub rows: Vec<BulkRow>,
    /// Rows matching the filter.
    pub total: u64,
    pub offset: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum JobAction {
    Pause,
    Resume,
    Cancel,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pass {
    Plan,
    Run,
}

/// The app's jobs: the journals in use (a journal is held only while a call or a pass uses
/// it, so `carddesk bulk resume` can take a job the app merely shows; calls at the same time
/// share one handle, as sled allows one open per process), the controls of those running,
/// and the files chosen for import (handle → path; the path never leaves Rust).
#[derive(Debug, Default)]
pub(super) struct Jobs {
    chosen: Mutex<HashMap<String, PathBuf>>,
    /// Open journals and how many calls use each.
    open: Mutex<HashMap<String, (BulkJob, usize)>>,
    running: Mutex<HashMap<String, (Pass, JobControl)>>,
}

/// Removes the job from the running list however its pass ends.
struct RunningGuard<'a> {
    jobs: &'a Jobs,
    id: String,
}

/// One call's use of a job's journal; the journal closes when the last use ends.
struct Lease<'a> {
    jobs: &'a Jobs,
    id: String,
    job: BulkJob,
}

impl std::ops::Deref for Lease<'_> {
    type Target = BulkJob;

    fn deref(&self) -> &BulkJob {
        &self.job
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let mut open = lock(&self.jobs.open);
        if let Some((_, users)) = open.get_mut(&self.id) {
            *users -= 1;
            if *users == 0 {
                open.remove(&self.id);
            }
        }
    }
}

impl Drop for RunningGuard<'_> {
    fn drop(&mut self) {
        lock(&self.jobs.running).remove(&self.id);
    }
}

/// The fields of a job's requests as people say them; the machine name is the English label
/// with `_` for spaces (`rate_limit`).
const JOB: Words<'static> = Words::new("job", "задание");
const FILE: Words<'static> = Words::new("file", "файл");
const CONFIRMATION: Words<'static> = Words::new("confirmation", "подтверждение");
const CONCURRENCY: Words<'static> = Words::new("concurrency", "параллельность");
const RATE: Words<'static> = Words::new("rate limit", "ограничение скорости");
const CUSTOMER_COLUMN: Words<'static> =
    Words::new("customer number column", "столбец номеров клиентов");

fn invalid(label: Words<'_>, en: impl std::fmt::Display, ru: impl std::fmt::Display) -> DeskError {
    DeskError::invalid(
        &label.en.replace(' ', "_"),
        label,
        Words::new(&en.to_string(), &ru.to_string()),
    )
}

fn check_options(options: &RunOptions) -> Result<(), DeskError> {
    if !(1..=CONCURRENCY_MAX).contains(&options.concurrency) {
        return Err(invalid(
            CONCURRENCY,
            format!("must be a whole number from 1 to {CONCURRENCY_MAX}"),
            format!("целое число от 1 до {CONCURRENCY_MAX}"),
        ));
    }
    if let Some(rate) = options.rate
        && !(rate.is_finite() && rate > 0.0 && rate <= RATE_MAX)
    {
        return Err(invalid(
            RATE,
            format!("must be more than 0 and at most {RATE_MAX} requests a second, or empty"),
            format!("больше 0 и не более {RATE_MAX} запросов в секунду или пусто"),
        ));
    }
    Ok(())
}

/// The source files of the jobs on disk that stopped before their end, for the start-up
/// notice (a job another process holds, or one that cannot be read, is left out).
pub(super) fn interrupted(data_dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(data_dir.join("jobs")) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".sled"))
                .map(str::to_owned)
        })
        .collect();
    ids.sort_unstable();
    ids.into_iter()
        .filter_map(|id| {
            let job = BulkJob::open(data_dir, &id).ok()?;
            let meta = job.meta().ok()?;
            let summary = job.summary().ok()?;
            (phase_of(&summary, meta.ran) == JobPhase::Interrupted).then_some(meta.source)
        })
        .collect()
}

fn phase_of(summary: &JobSummary, ran: bool) -> JobPhase {
    let count = |s: RowState| summary.states.get(&s).copied().unwrap_or(0);
    if count(RowState::InFlight) > 0 {
        JobPhase::Interrupted
    } else if count(RowState::Pending) > 0 {
        if ran {
            JobPhase::Interrupted
        } else {
            JobPhase::Created
        }
    } else if count(RowState::Planned) > 0 {
        if ran {
            JobPhase::Interrupted
        } else {
            JobPhase::Planned
        }
    } else if ran {
        JobPhase::Finished
    } else {
        // Planned, but nothing to remove: every row already final (held, skipped, failed).
        JobPhase::Planned
    }
}

impl Desk {
    fn jobs_dir(&self) -> PathBuf {
        self.data_dir.join("jobs")
    }

    /// The one open handle of a job's journal.
    /// The job's journal for one call: the handle other calls (or a running pass) use, else
    /// opened now and closed when the last use ends, so another process may run the job
    /// once the app is done with it.
    fn job(&self, id: &str) -> Result<Lease<'_>, DeskError> {
        let mut open = lock(&self.jobs.open);
        let job = match open.get_mut(id) {
            Some((job, users)) => {
                *users += 1;
                job.clone()
            }
            None => {
                let job = BulkJob::open(&self.data_dir, id)?;
                open.insert(id.to_owned(), (job.clone(), 1));
                job
            }
        };
        Ok(Lease {
            jobs: &self.jobs,
            id: id.to_owned(),
            job,
        })
    }

    /// The job's view; its counts come from one pass over the journal, off the async runtime
    /// (a job can have 100,000 rows, and the UI polls a running job's view).
    async fn job_view(&self, job: &BulkJob) -> Result<JobView, DeskError> {
        let (meta, summary) = read_summary(job).await?;
        let running = lock(&self.jobs.running).get(&meta.id).cloned();
        let phase = match running {
            Some((_, c)) if c.is_paused() => JobPhase::Paused,
            Some((Pass::Plan, _)) => JobPhase::Planning,
            Some((Pass::Run, _)) => JobPhase::Running,
            None => phase_of(&summary, meta.ran),
        };
        let record = meta.profile_id.as_deref().and_then(|p| self.record(p).ok());
        Ok(JobView {
            id: meta.id,
            created: meta.created,
            source: meta.source,
            profile_id: meta.profile_id,
            profile_name: record.as_ref().map(|(r, _)| r.name.clone()),
            environment: record.as_ref().map(|(r, _)| r.environment),
            erasure: meta.erasure,
            rows: meta.rows,
            phase,
            summary,
            options: meta.options,
        })
    }

    /// The head of a CSV file and the columns recognised, for the mapping step. `path` comes
    /// from the native dialog (or the caller's own choice in Rust); the preview names it by an
    /// opaque handle that [`Desk::bulk_create`] accepts.
    pub async fn bulk_preview(&self, path: PathBuf) -> Result<CsvPreview, DeskError> {
        let source = format!("file-{}", uuid::Uuid::new_v4().simple());
        let chosen = path.clone();
        let preview = blocking(move || preview_file(&chosen, source)).await?;
        lock(&self.jobs.chosen).insert(preview.source.clone(), path);
        Ok(preview)
    }

    /// Imports a CSV into a new job for the active profile (rows checked, not yet planned).
    pub async fn bulk_create(&self, draft: BulkDraft) -> Result<JobView, DeskError> {
        let ticket = optional_text(TICKET, draft.ticket.as_deref(), TICKET_MAX, false)?;
        let note = optional_text(NOTE, draft.note.as_deref(), NOTE_MAX, true)?;
        if draft
            .map
            .customer
            .as_deref()
            .is_none_or(|c| c.trim().is_empty())
        {
            return Err(invalid(
                CUSTOMER_COLUMN,
                "choose the column that holds the customer numbers",
                "выберите столбец с номерами клиентов",
            ));
        }
        let path = lock(&self.jobs.chosen)
            .get(draft.source.trim())
            .cloned()
            .ok_or_else(|| {
                invalid(
                    FILE,
                    "choose the file again in the open dialog",
                    "выберите файл ещё раз в окне открытия",
                )
            })?;
        let file = std::fs::File::open(&path).map_err(|e| {
            invalid(
                FILE,
                format!("{} cannot be opened: {e}", path.display()),
                format!("{} не открывается: {e}", path.display()),
            )
        })?;
        let profile_id = self.active_id()?;
        let (record, _) = self.record(&profile_id)?;
        let target = JobTarget {
            server: record.base_url.to_string(),
            merchant_id: record.merchant_id.to_string(),
            login: record.login.to_string(),
            environment: Some(
                match record.environment {
                    Environment::Sandbox => "sandbox",
                    Environment::Test => "test",
                    Environment::Production => "production",
                }
                .to_owned(),
            ),
            profile_id: Some(profile_id),
        };
        let defaults = JobDefaults {
            erasure: draft.erasure,
            ticket,
            reason: draft.reason,
            note,
        };
        let data_dir = self.data_dir.clone();
        let source = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let map = draft.map;
        let job =
            blocking(move || BulkJob::create(&data_dir, &source, file, &map, target, defaults))
                .await?;
        lock(&self.jobs.chosen).remove(draft.source.trim());
        self.job_view(&job).await
    }

    /// Every job on disk, newest first.
    pub async fn bulk_jobs(&self) -> Result<Vec<JobView>, DeskError> {
        let dir = self.jobs_dir();
        let mut ids: Vec<String> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    e.file_name()
                        .to_str()
                        .and_then(|n| n.strip_suffix(".sled"))
                        .map(str::to_owned)
                })
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(DeskError::internal(format!("bulk jobs: {e}"))),
        };
        ids.sort_unstable_by(|a, b| b.cmp(a));
        let mut views = Vec::with_capacity(ids.len());
        for id in ids {
            // A journal another process holds (the CLI running it) is left out, not an error.
            if let Ok(job) = self.job(&id)
                && let Ok(view) = self.job_view(&job).await
            {
                views.push(view);
            }
        }
        Ok(views)
    }

    pub async fn bulk_job(&self, id: &str) -> Result<JobView, DeskError> {
        let job = self.job(id)?;
        self.job_view(&job).await
    }

    /// One page of a job's rows in file order, optionally only those in one state.
    pub async fn bulk_rows(
        &self,
        id: &str,
        filter: Option<RowState>,
        offset: u64,
        limit: u64,
    ) -> Result<RowPage, DeskError> {
        let lease = self.job(id)?;
        let job = lease.clone();
        let limit = limit.clamp(1, 500);
        blocking(move || {
            let mut page = RowPage {
                rows: Vec::new(),
                total: 0,
                offset,
            };
            for record in job.rows() {
                let record = record?;
                if filter.is_some_and(|f| f != record.state) {
                    continue;
                }
                if page.total >= offset && (page.rows.len() as u64) < limit {
                    page.rows.push(BulkRow::from(record));
                }
                page.total += 1;
            }
            Ok(page)
        })
        .await
    }

    fn start(&self, id: &str, pass: Pass) -> Result<(RunningGuard<'_>, JobControl), DeskError> {
        let mut running = lock(&self.jobs.running);
        if running.contains_key(id) {
            return Err(invalid(JOB, "is already running", "уже выполняется"));
        }
        let control = JobControl::new();
        running.insert(id.to_owned(), (pass, control.clone()));
        Ok((
            RunningGuard {
                jobs: &self.jobs,
                id: id.to_owned(),
            },
            control,
        ))
    }

    fn job_profile(job: &BulkJob) -> Result<String, DeskError> {
        let meta = job.meta()?;
        meta.profile_id.ok_or_else(|| {
            invalid(
                JOB,
                format!(
                    "was created by the command line; run `carddesk bulk resume {}` in a \
                     terminal",
                    meta.id
                ),
                format!(
                    "создано в командной строке; выполните `carddesk bulk resume {}` в \
                     терминале",
                    meta.id
                ),
            )
        })
    }

    /// The dry run: each pending row resolved against the live card list (listings only).
    pub async fn bulk_plan(
        &self,
        id: &str,
        options: RunOptions,
        progress: ProgressFn,
    ) -> Result<JobView, DeskError> {
        check_options(&options)?;
        let job = self.job(id)?;
        let profile_id = Self::job_profile(&job)?;
        let revoker = self.revoker(&profile_id).await?;
        let (_guard, control) = self.start(id, Pass::Plan)?;
        job.plan(revoker.client(), &options, &control, Some(progress))
            .await?;
        drop(_guard);
        self.job_view(&job).await
    }

    /// Runs (or resumes) a job: plans what is left, then removes every planned card through
    /// the revoke workflow. On a production profile `confirmation` must be the number of cards
    /// the dry run found, typed by the lead.
    pub async fn bulk_run(
        &self,
        id: &str,
        options: RunOptions,
        confirmation: Option<String>,
        progress: ProgressFn,
    ) -> Result<JobView, DeskError> {
        check_options(&options)?;
        let job = self.job(id)?;
        let profile_id = Self::job_profile(&job)?;
        let (record, _) = self.record(&profile_id)?;
        if record.environment == Environment::Production {
            let (meta, summary) = read_summary(&job).await?;
            if !meta.planned {
                return Err(invalid(
                    JOB,
                    "on a production profile, run the dry run first and check its plan",
                    "в боевом профиле сначала выполните пробный прогон и проверьте его план",
                ));
            }
            // What this run will actually send: covered, done and skipped cards are not.
            let cards = summary.to_remove;
            if confirmation.as_deref().map(str::trim) != Some(cards.to_string().as_str()) {
                return Err(invalid(
                    CONFIRMATION,
                    format!(
                        "required for a production profile: type {cards}, the number of cards \
                         this run removes"
                    ),
                    format!(
                        "обязательно в боевом профиле: введите {cards} — столько карт удалит \
                         этот запуск"
                    ),
                ));
            }
        }
        // Team mode: a run the four-eyes policy names waits for a supervisor's approval.
        if self.team_setup_saved()?.is_some() {
            let (meta, summary) = read_summary(&job).await?;
            let cards = if meta.planned {
                summary.to_remove
            } else {
                summary.rows
            };
            self.four_eyes(super::four_eyes::GuardedRun {
                action: desk_team::Guarded::BulkRun,
                record: &record,
                subject: id.to_owned(),
                cards: u32::try_from(cards).unwrap_or(u32::MAX),
                summary: serde_json::to_value(&summary).unwrap_or_default(),
                customer: None,
            })
            .await?;
        }
        let revoker = Arc::new(self.revoker(&profile_id).await?);
        let audit = self.audit_log()?;
        let (_guard, control) = self.start(id, Pass::Run)?;
        let ran = job
            .run(revoker, audit, &options, &control, Some(progress))
            .await;
        self.recent_changed(&profile_id);
        ran?;
        drop(_guard);
        self.job_view(&job).await
    }

    /// Pauses, resumes or cancels a running job (workers finish the row in hand).
    pub fn bulk_control(&self, id: &str, action: JobAction) -> Result<(), DeskError> {
        let running = lock(&self.jobs.running);
        let Some((_, control)) = running.get(id) else {
            return Err(invalid(JOB, "is not running", "не выполняется"));
        };
        match action {
            JobAction::Pause => control.pause(),
            JobAction::Resume => control.resume(),
            JobAction::Cancel => control.cancel(),
        }
        Ok(())
    }

    /// Writes the job's per-card results as CSV to a new file; says how many rows and where.
    pub async fn bulk_export(&self, id: &str, dest: PathBuf) -> Result<Exported, DeskError> {
        let lease = self.job(id)?;
        let job = lease.clone();
        let path = dest.clone();
        let count = blocking(move || {
            // 0600: the results name customers and cards, as the audit log does.
            let file = crate::audit::create_export(&dest).map_err(|e| {
                invalid(
                    FILE,
                    format!("{} cannot be written: {e}", dest.display()),
                    format!("{} не записывается: {e}", dest.display()),
                )
            })?;
            let mut out = std::io::BufWriter::new(file);
            let n = job.export_csv(&mut out)?;
            std::io::Write::flush(&mut out)
                .map_err(|e| DeskError::internal(format!("results export: {e}")))?;
            Ok(n)
        })
        .await?;
        Ok(self.exported(count, path))
    }

    /// Deletes a job's journal (its removals stay in the audit log).
    pub async fn bulk_delete(&self, id: &str) -> Result<(), DeskError> {
        if lock(&self.jobs.running).contains_key(id) {
            return Err(invalid(
                JOB,
                "is running: cancel it first",
                "выполняется: сначала отмените его",
            ));
        }
        let path = journal_path(&self.data_dir, id);
        // Validates the id and drops this desk's handle so sled releases the files.
        let job = self.job(id)?;
        job.journal().flush().await?;
        drop(job);
        blocking(move || remove_dir(&path)).await
    }
}

async fn read_summary(job: &BulkJob) -> Result<(crate::bulk::JobMeta, JobSummary), DeskError> {
    let job = job.clone();
    blocking(move || Ok((job.meta()?, job.summary()?))).await
}

fn remove_dir(path: &Path) -> Result<(), DeskError> {
    std::fs::remove_dir_all(path)
        .map_err(|e| DeskError::internal(format!("bulk job: {} not deleted: {e}", path.display())))
}
