//! The native file dialogs (audit and results exports, CSV import): the user picks the file,
//! and the webview never needs file-system permissions.

use desk::audit::ExportFormat;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// Asks where to save; `None` when cancelled. Blocks until the dialog closes, so it is called
/// from an async command (off the main thread).
pub fn ask(app: &AppHandle, format: ExportFormat) -> Option<std::path::PathBuf> {
    let (name, ext) = match format {
        ExportFormat::Csv => ("CSV", "csv"),
        ExportFormat::Json => ("JSON", "json"),
    };
    let stamp = time::OffsetDateTime::now_utc().date();
    app.dialog()
        .file()
        .add_filter(name, &[ext])
        .set_file_name(format!("carddesk-audit-{stamp}.{ext}"))
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
}

/// Asks where to save a bulk job's results; `None` when cancelled.
pub fn ask_results(app: &AppHandle, job_id: &str) -> Option<std::path::PathBuf> {
    app.dialog()
        .file()
        .add_filter("CSV", &["csv"])
        .set_file_name(format!("carddesk-bulk-{job_id}-results.csv"))
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
}

/// Asks which CSV of deletion requests to import; `None` when cancelled.
pub fn pick_csv(app: &AppHandle) -> Option<std::path::PathBuf> {
    app.dialog()
        .file()
        .add_filter("CSV", &["csv", "txt"])
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
}
