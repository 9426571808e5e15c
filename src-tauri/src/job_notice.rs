//! Why: a long bulk job (or dry run) is left running while the lead does something else; when it ends, a
//! desktop notification says so and how it went (issue 5, "a desktop notification when a
//! long job ends"). Short runs, watched on screen, do not notify.

use std::time::Duration;

use desk::bulk::RowState;
use desk::{DeskError, JobView};
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

/// Runs shorter than this end without a notification.
pub const LONG_JOB: Duration = Duration::from_secs(20);

/// Which pass ended.
#[derive(Clone, Copy, Debug)]
pub enum Pass {
    DryRun,
    Run,
}

/// Runs a pass and, when it took long, notifies how it ended.
pub async fn notify_when_long(
    app: &AppHandle,
    pass: Pass,
    work: impl Future<Output = Result<JobView, DeskError>>,
) -> Result<JobView, DeskError> {
    let started = std::time::Instant::now();
    let view = work.await?;
    job_ended(app, pass, started.elapsed(), &view);
    Ok(view)
}

fn job_ended(app: &AppHandle, pass: Pass, took: Duration, job: &JobView) {
    if took < LONG_JOB {
        return;
    }
    let count = |state: RowState| job.summary.states.get(&state).copied().unwrap_or(0);
    let body = match pass {
        Pass::DryRun => format!(
            "{}: {} cards to remove, {} rows held",
            job.source,
            job.summary.cards,
            count(RowState::Held)
        ),
        Pass::Run => format!(
            "{}: {} done, {} failed, {} held, {} skipped",
            job.source,
            count(RowState::Done),
            count(RowState::Failed),
            count(RowState::Held),
            count(RowState::Skipped)
        ),
    };
    // No notification daemon (a headless session) is not an error worth reporting.
    let _ = app
        .notification()
        .builder()
        .title(match pass {
            Pass::DryRun => "Card Desk: dry run ended",
            Pass::Run => "Card Desk: bulk job ended",
        })
        .body(body)
        .show();
}
