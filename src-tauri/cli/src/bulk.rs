//! `carddesk bulk plan | run | resume`: bulk card-removal jobs from a terminal, on desk's
//! [`BulkJob`]. Every removal goes through the same revoke workflow and audit log as
//! `carddesk revoke`; the job journal is `DIR/jobs/<job id>.sled`. A progress bar on a
//! terminal, plain lines otherwise.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use desk::audit::Reason;
use desk::bulk::{
    BulkJob, ColumnMap, JobControl, JobDefaults, JobSummary, JobTarget, Progress, RowState,
    RunOptions,
};
use serde_json::json;

use crate::args::{BulkFileArgs, BulkResumeArgs, BulkRunArgs, ConnectionArgs};
use crate::exit::Status;
use crate::output;
use crate::revoke::{data_dir, one_off};

/// "; waiting for the gateway's rate limit, now 43 req/s" while the gateway holds the job
/// back; "; 43 req/s" once the pace has settled below what was asked; else nothing.
fn pace_note(p: &Progress) -> String {
    match (p.limited, p.pace) {
        (true, Some(r)) => format!("; waiting for the gateway's rate limit, now {r:.0} req/s"),
        (true, None) => "; waiting for the gateway's rate limit".to_owned(),
        (false, Some(r)) if p.refused > 0 => format!("; {r:.0} req/s"),
        _ => String::new(),
    }
}

fn progress_printer(label: &'static str) -> desk::bulk::ProgressFn {
    if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{prefix} [{bar:40}] {pos}/{len} {msg} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_prefix(label);
        Arc::new(move |p: &Progress| {
            bar.set_length(p.total);
            bar.set_position(p.finished);
            bar.set_message(format!(
                "done {} failed {} held {} skipped {} ({:.1}/s){}",
                p.done,
                p.failed,
                p.held,
                p.skipped,
                p.rate,
                pace_note(p)
            ));
        })
    } else {
        let last = Mutex::new(Instant::now() - Duration::from_secs(10));
        Arc::new(move |p: &Progress| {
            let Ok(mut last) = last.lock() else { return };
            if last.elapsed() >= Duration::from_secs(2) || p.finished == p.total {
                *last = Instant::now();
                say_err!(
                    "{label}: {}/{} done {} failed {} held {} skipped {} rate {:.1}/s eta {}{}",
                    p.finished,
                    p.total,
                    p.done,
                    p.failed,
                    p.held,
                    p.skipped,
                    p.rate,
                    p.eta_seconds.map_or("?".to_owned(), |s| format!("{s:.0}s")),
                    pace_note(p)
                );
            }
        })
    }
}

/// Writes the job's results so far to `path`, saying where (or why not).
/// Writes the results so far after a stop. A journal that can no longer be read (sled refuses
/// every read once a write of it failed, as on a full disk) is said so, with the command that
/// writes them once the cause is fixed: nothing in them is lost, only out of reach till then.
fn write_results(job: &BulkJob, path: &Path, job_id: &str) {
    let written = desk::audit::create_export(path)
        .map_err(|e| desk::DeskError::internal(e.to_string()))
        .and_then(|f| job.export_csv(std::io::BufWriter::new(f)));
    match written {
        Ok(n) => say_err!("wrote {n} result lines so far to {}", path.display()),
        Err(e) => say_err!(
            "the results could not be written to {} now ({e}); they are kept in the job: \
             `carddesk bulk resume {job_id} --out {}` writes them all",
            path.display(),
            path.display()
        ),
    }
}

fn print_summary(s: &JobSummary, as_json: bool) {
    if as_json {
        output::print_json(&json!({ "summary": s }));
        return;
    }
    say!(
        "job {}: {} rows, {} cards{}",
        s.job_id,
        s.rows,
        s.cards,
        if s.erasure { " (erasure)" } else { "" }
    );
    for (k, v) in &s.classes {
        say!("  plan {}: {v}", k.as_str());
    }
    for (k, v) in &s.states {
        say!("  state {}: {v}", k.as_str());
    }
    for p in &s.problems {
        say!("  {p}");
    }
}

/// 0 when every row ended done (or needed nothing), 2 when the input had bad rows or rows are
/// held, 4 when a row failed or is left in flight.
fn job_status(s: &JobSummary) -> Status {
    let count = |k: RowState| s.states.get(&k).copied().unwrap_or_default();
    if count(RowState::Failed) > s.problem_count
        || count(RowState::InFlight) > 0
        || count(RowState::Planned) > 0
    {
        Status::Transport
    } else if s.problem_count > 0 || count(RowState::Held) > 0 {
        Status::Invalid
    } else {
        Status::Ok
    }
}

fn create(
    file: &BulkFileArgs,
    erasure: bool,
    ticket: Option<String>,
    reason: Reason,
    note: Option<String>,
) -> Result<BulkJob, (Status, String)> {
    let dir = data_dir(&file.data).map_err(|m| (Status::Invalid, m))?;
    let input = std::fs::File::open(&file.file).map_err(|e| {
        (
            Status::Invalid,
            format!("file: {}: {e}", file.file.display()),
        )
    })?;
    let map = ColumnMap {
        customer: file.map_customer.clone(),
        last4: file.map_last4.clone(),
        expiry: file.map_expiry.clone(),
        token: file.map_token.clone(),
        ..ColumnMap::default()
    };
    let target = target(&file.connection);
    BulkJob::create(
        &dir,
        &file.file.display().to_string(),
        input,
        &map,
        target,
        JobDefaults {
            erasure,
            ticket,
            reason,
            note,
        },
    )
    .map_err(|e| (Status::of_desk(&e), e.message))
}

fn target(c: &ConnectionArgs) -> JobTarget {
    JobTarget {
        server: c.server.clone(),
        merchant_id: c.merchant_id.clone(),
        login: c.login.clone(),
        environment: None,
        profile_id: None,
    }
}

pub async fn plan(args: BulkFileArgs) -> Status {
    let json = args.json;
    let client = match crate::gateway::connect(&args.connection) {
        Ok(c) => c,
        Err(m) => return output::invalid(&m, json),
    };
    let job = match create(&args, args.erasure, None, Reason::CustomerRequest, None) {
        Ok(j) => j,
        Err((s, m)) => return output::failure(s, "validation", &m, json),
    };
    let options = RunOptions {
        concurrency: args.concurrency,
        rate: Some(args.rate),
        patience_secs: Some(args.give_up_after),
    };
    let control = JobControl::new();
    match job
        .plan(&client, &options, &control, Some(progress_printer("plan")))
        .await
    {
        Ok(s) => {
            print_summary(&s, json);
            if s.problem_count > 0 {
                Status::Invalid
            } else {
                Status::Ok
            }
        }
        Err(e) => output::desk_error(&e, json),
    }
}

async fn execute(
    job: BulkJob,
    connection: &ConnectionArgs,
    data: &crate::args::DataDirArg,
    options: RunOptions,
    out: Option<&Path>,
    json: bool,
) -> Status {
    let one = match one_off(connection, None, None, data) {
        Ok(o) => o,
        Err((s, m)) => return output::failure(s, "validation", &m, json),
    };
    let meta = match job.meta() {
        Ok(m) => m,
        Err(e) => return output::desk_error(&e, json),
    };
    say_err!("job {} (journal {})", meta.id, job.path().display());
    // What a stop can say even when the journal cannot be read any more: the rows done before
    // this pass and those this pass finished (as its progress counted them).
    let done_before = job
        .summary()
        .map(|s| s.states.get(&RowState::Done).copied().unwrap_or(0))
        .unwrap_or(0);
    let last = Arc::new(Mutex::new(None::<Progress>));
    let progress: desk::bulk::ProgressFn = {
        let print = progress_printer("run");
        let last = last.clone();
        Arc::new(move |p: &Progress| {
            if let Ok(mut l) = last.lock() {
                *l = Some(*p);
            }
            print(p);
        })
    };
    let control = JobControl::new();
    let ctrl = control.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            say_err!("stopping after the rows in hand; resume with `carddesk bulk resume`");
            ctrl.cancel();
        }
    });
    if let Some(rate) = job.meta().ok().and_then(|m| m.settled_rate) {
        say_err!("starting at {rate:.0} req/s, the rate the gateway's limit allowed last time");
    }
    let summary = job
        .run(
            Arc::new(one.revoker),
            one.audit.clone(),
            &options,
            &control,
            Some(progress),
        )
        .await;
    let summary = match summary {
        Ok(s) => s,
        Err(e) => {
            // Say what was done and how to go on, and keep the results so far.
            if let Some(path) = out {
                write_results(&job, path, &meta.id);
            }
            let (done, rows) = match job.summary() {
                Ok(s) => (s.states.get(&RowState::Done).copied().unwrap_or(0), s.rows),
                Err(_) => {
                    let this_pass = last.lock().ok().and_then(|l| l.as_ref().map(|p| p.done));
                    (done_before + this_pass.unwrap_or(0), meta.rows)
                }
            };
            say_err!(
                "the job stopped: {done} of its {rows} rows were done before it did; nothing is \
                 lost. Once the cause below is fixed{}, run `carddesk bulk resume {}`",
                if e.is_disk_full() {
                    " (free some disk space)"
                } else {
                    ""
                },
                meta.id
            );
            return output::desk_error(&e, json);
        }
    };
    if let Some(path) = out {
        // 0600: the results name customers and cards, as the audit log does.
        let written = desk::audit::create_export(path)
            .map_err(|e| desk::DeskError::internal(e.to_string()))
            .and_then(|f| job.export_csv(std::io::BufWriter::new(f)));
        match written {
            Ok(n) => say_err!("wrote {n} result lines to {}", path.display()),
            Err(e) => return output::desk_error(&e, json),
        }
    }
    print_summary(&summary, json);
    job_status(&summary)
}

/// Team mode: a run may need a supervisor's approval (four-eyes, docs/team.md), which the app
/// asks for and checks; the command line does not send around it (a dry run still works).
fn team_refusal(data: &crate::args::DataDirArg, json: bool) -> Option<Status> {
    let dir = data_dir(data).ok()?;
    desk::saved_team_setup(&dir).ok()??;
    Some(output::failure(
        Status::Fault,
        "awaiting_approval",
        "team mode is on for this data dir: run bulk jobs in the app, where the team's four-eyes policy is applied; nothing was sent",
        json,
    ))
}

pub async fn run(args: BulkRunArgs) -> Status {
    let json = args.file.json;
    if let Some(refused) = team_refusal(&args.file.data, json) {
        return refused;
    }
    let Some(reason) = Reason::parse(&args.reason) else {
        return output::invalid(
            "reason: must be one of customer_request, lost_or_stolen, suspected_fraud, erasure_request, duplicate, expired, other",
            json,
        );
    };
    let job = match create(
        &args.file,
        args.file.erasure,
        args.ticket.clone(),
        reason,
        args.note.clone(),
    ) {
        Ok(j) => j,
        Err((s, m)) => return output::failure(s, "validation", &m, json),
    };
    execute(
        job,
        &args.file.connection,
        &args.file.data,
        RunOptions {
            concurrency: args.file.concurrency,
            rate: Some(args.file.rate),
            patience_secs: Some(args.file.give_up_after),
        },
        args.out.as_deref(),
        json,
    )
    .await
}

pub async fn resume(args: BulkResumeArgs) -> Status {
    if let Some(refused) = team_refusal(&args.data, args.json) {
        return refused;
    }
    let dir = match data_dir(&args.data) {
        Ok(d) => d,
        Err(m) => return output::invalid(&m, args.json),
    };
    let job = match BulkJob::open(&dir, &args.job) {
        Ok(j) => j,
        Err(e) => return output::desk_error(&e, args.json),
    };
    let meta = match job.meta() {
        Ok(m) => m,
        Err(e) => return output::desk_error(&e, args.json),
    };
    let connection = ConnectionArgs {
        server: meta.server.clone(),
        merchant_id: meta.merchant_id.clone(),
        login: meta.login.clone(),
        password_stdin: args.password_stdin,
        language: None,
    };
    // The job's own options unless given again (its last pass's, else the defaults).
    let own = meta.options.unwrap_or_default();
    let options = RunOptions {
        concurrency: args.concurrency.unwrap_or(own.concurrency),
        rate: args.rate.or(own.rate),
        patience_secs: args.give_up_after.or(own.patience_secs),
    };
    execute(
        job,
        &connection,
        &args.data,
        options,
        args.out.as_deref(),
        args.json,
    )
    .await
}
