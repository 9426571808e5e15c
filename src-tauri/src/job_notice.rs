//! Why: a long bulk job is left running while the lead does something else; when it ends, a
//! desktop notification says so and how it went (issue 5, "a desktop notification when a
//! long job ends"). Short runs, watched on screen, do not notify.

use std::time::Duration;

use desk::JobView;
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

/// Runs shorter than this end without a notification.
pub const LONG_JOB: Duration = Duration::from_secs(20);

pub fn job_ended(app: &AppHandle, took: Duration, job: &JobView) {
    if took < LONG_JOB {
        return;
    }
    let count = |state: &str| job.summary.states.get(state).copied().unwrap_or(0);
    let body = format!(
        "{}: {} done, {} failed, {} held, {} skipped",
        job.source,
        count("done"),
        count("failed"),
        count("held"),
        count("skipped")
    );
    // No notification daemon (a headless session) is not an error worth reporting.
    let _ = app
        .notification()
        .builder()
        .title("Card Desk: bulk job ended")
        .body(body)
        .show();
}
