//! The native save dialog for audit exports: the user picks where the evidence goes, and the
//! webview never needs file-system permissions.

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
