//! Why: a long bulk job (or dry run) is left running while the lead does something else; when it ends, a
//! desktop notification says so and how it went (issue 5, "a desktop notification when a
//! long job ends"). Short runs, watched on screen, do not notify.

use std::time::Duration;

use desk::bulk::{PlanClass, RowState};
use desk::{DeskError, JobView, UiLanguage};
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

/// Runs a pass and, when it took long, notifies how it ended, in the window's language.
pub async fn notify_when_long(
    app: &AppHandle,
    language: UiLanguage,
    pass: Pass,
    work: impl Future<Output = Result<JobView, DeskError>>,
) -> Result<JobView, DeskError> {
    let started = std::time::Instant::now();
    let view = work.await?;
    if started.elapsed() >= LONG_JOB {
        let (title, body) = texts(language, pass, &view);
        // No notification daemon (a headless session) is not an error worth reporting.
        let _ = app.notification().builder().title(title).body(body).show();
    }
    Ok(view)
}

/// The notification's title and body.
fn texts(language: UiLanguage, pass: Pass, job: &JobView) -> (String, String) {
    let count = |state: RowState| job.summary.states.get(&state).copied().unwrap_or(0);
    // Rows refused at import are failed rows to the engine, "invalid" to people: counted once.
    let invalid = job
        .summary
        .classes
        .get(&PlanClass::Invalid)
        .copied()
        .unwrap_or(0);
    let failed = count(RowState::Failed).saturating_sub(invalid);
    let title = match pass {
        Pass::DryRun => language.pick(
            "Card Desk: dry run ended",
            "Card Desk: пробный прогон окончен",
        ),
        Pass::Run => language.pick(
            "Card Desk: bulk job ended",
            "Card Desk: массовое задание окончено",
        ),
    };
    let body = match (pass, language) {
        (Pass::DryRun, UiLanguage::En) => format!(
            "{}: {} cards to remove, {} rows held",
            job.source,
            job.summary.cards,
            count(RowState::Held)
        ),
        (Pass::DryRun, UiLanguage::Ru) => format!(
            "{}: карт к удалению — {}, строк отложено — {}",
            job.source,
            job.summary.cards,
            count(RowState::Held)
        ),
        (Pass::Run, UiLanguage::En) => format!(
            "{}: {} done, {} failed to remove, {} invalid in the file, {} held, {} skipped",
            job.source,
            count(RowState::Done),
            failed,
            invalid,
            count(RowState::Held),
            count(RowState::Skipped)
        ),
        (Pass::Run, UiLanguage::Ru) => format!(
            "{}: готово — {}, не удалось удалить — {}, неверные в файле — {}, отложено — {}, \
             пропущено — {}",
            job.source,
            count(RowState::Done),
            failed,
            invalid,
            count(RowState::Held),
            count(RowState::Skipped)
        ),
    };
    (title.to_owned(), body)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use desk::bulk::{JobSummary, PlanClass, RowState};
    use desk::{JobPhase, JobView, UiLanguage};

    use super::{Pass, texts};

    fn job() -> JobView {
        JobView {
            id: "20261206120000-1a2b3c".to_owned(),
            created: "2026-12-06T12:00:00Z".to_owned(),
            source: "erasure.csv".to_owned(),
            profile_id: None,
            profile_name: None,
            environment: None,
            erasure: false,
            rows: 10,
            phase: JobPhase::Finished,
            summary: JobSummary {
                job_id: "20261206120000-1a2b3c".to_owned(),
                rows: 10,
                states: BTreeMap::from([
                    (RowState::Done, 6),
                    (RowState::Failed, 3),
                    (RowState::Held, 1),
                ]),
                classes: BTreeMap::from([(PlanClass::Invalid, 1)]),
                cards: 9,
                to_remove: 0,
                problems: Vec::new(),
                problem_count: 0,
                erasure: false,
            },
            options: None,
        }
    }

    #[test]
    fn a_finished_job_is_announced_in_the_windows_language() {
        let (title, body) = texts(UiLanguage::En, Pass::Run, &job());
        assert_eq!(title, "Card Desk: bulk job ended");
        // The totals add up to the rows: an invalid row is not a failed one too.
        assert_eq!(
            body,
            "erasure.csv: 6 done, 2 failed to remove, 1 invalid in the file, 1 held, 0 skipped"
        );
        let (title, body) = texts(UiLanguage::Ru, Pass::Run, &job());
        assert_eq!(title, "Card Desk: массовое задание окончено");
        assert_eq!(
            body,
            "erasure.csv: готово — 6, не удалось удалить — 2, неверные в файле — 1, отложено — 1, \
             пропущено — 0"
        );
        let (title, body) = texts(UiLanguage::Ru, Pass::DryRun, &job());
        assert_eq!(title, "Card Desk: пробный прогон окончен");
        assert_eq!(body, "erasure.csv: карт к удалению — 9, строк отложено — 1");
    }
}
