//! The native file dialogs (audit and results exports, CSV import) and "Open folder" after an
//! export: the user picks the file, Rust remembers it, and the webview never needs
//! file-system permissions or names a path.

use std::path::PathBuf;

use desk::DeskError;
use desk::audit::ExportFormat;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// WebDriver cannot drive a native dialog. In debug builds only, with this set, the open
/// dialog picks `<dir>/import.csv`, save dialogs save under their suggested name in `<dir>`,
/// and "Open folder" writes the path it would show to `<dir>/revealed.txt` instead of opening
/// a file manager, so the real-window tests cover the same commands end to end. Release
/// builds always show the dialog.
const E2E_DIALOG_DIR: &str = "CARDDESK_E2E_DIALOG_DIR";

fn e2e_dir() -> Option<PathBuf> {
    if cfg!(debug_assertions) {
        std::env::var_os(E2E_DIALOG_DIR).map(PathBuf::from)
    } else {
        None
    }
}

/// Asks where to save; `None` when cancelled. Blocks until the dialog closes, so it is called
/// from an async command (off the main thread).
pub fn ask(app: &AppHandle, format: ExportFormat) -> Option<PathBuf> {
    let (name, ext) = match format {
        ExportFormat::Csv => ("CSV", "csv"),
        ExportFormat::Json => ("JSON", "json"),
    };
    let stamp = time::OffsetDateTime::now_utc().date();
    let file_name = format!("carddesk-audit-{stamp}.{ext}");
    if let Some(dir) = e2e_dir() {
        return Some(dir.join(file_name));
    }
    app.dialog()
        .file()
        .add_filter(name, &[ext])
        .set_file_name(file_name)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
}

/// Asks where to save a bulk job's results; `None` when cancelled.
pub fn ask_results(app: &AppHandle, job_id: &str) -> Option<PathBuf> {
    let name = format!("carddesk-bulk-{job_id}-results.csv");
    if let Some(dir) = e2e_dir() {
        return Some(dir.join(name));
    }
    app.dialog()
        .file()
        .add_filter("CSV", &["csv"])
        .set_file_name(name)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
}

/// Asks where to save a request's document (PDF) offered as `name`; `None` when cancelled.
pub fn ask_document(app: &AppHandle, name: String) -> Option<PathBuf> {
    if let Some(dir) = e2e_dir() {
        return Some(dir.join(name));
    }
    app.dialog()
        .file()
        .add_filter("PDF", &["pdf"])
        .set_file_name(name)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
}

/// Asks which folder an erasure's documents (the act, the log export as PDF and CSV) go to;
/// `None` when cancelled.
pub fn ask_folder(app: &AppHandle) -> Option<PathBuf> {
    if let Some(dir) = e2e_dir() {
        return Some(dir);
    }
    app.dialog()
        .file()
        .blocking_pick_folder()
        .and_then(|p| p.into_path().ok())
}

/// Asks which CSV of deletion requests to import; `None` when cancelled.
pub fn pick_csv(app: &AppHandle) -> Option<PathBuf> {
    if let Some(dir) = e2e_dir() {
        return Some(dir.join("import.csv"));
    }
    app.dialog()
        .file()
        .add_filter("CSV", &["csv", "txt"])
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
}

/// Shows `path` (this session's last export) selected in the system's file manager.
pub fn reveal(path: Option<PathBuf>) -> Result<(), DeskError> {
    let Some(path) = path else {
        return Err(DeskError::new(
            desk::ErrorCode::NotFound,
            "nothing was exported in this session",
        )
        .ru("в этом сеансе ничего не выгружено"));
    };
    if let Some(dir) = e2e_dir() {
        return std::fs::write(dir.join("revealed.txt"), path.display().to_string())
            .map_err(|e| DeskError::internal(format!("open folder: {e}")));
    }
    tauri_plugin_opener::reveal_item_in_dir(&path).map_err(|e| {
        DeskError::internal(format!(
            "the folder of {} could not be opened: {e}",
            path.display()
        ))
    })
}
