//! Commands: one-line adapters from IPC to the desk. Errors cross as `{code, message}`.
//! Passwords only go in (`save_profile`, `set_password`); no command returns one.

use desk::audit::{AuditPage, AuditQuery, ExportFormat, Verification};
use desk::bulk::{CsvPreview, Progress, RowState, RunOptions};
use desk::profiles::{ProfileDraft, Settings};
use desk::recent::RecentCustomer;
use desk::{
    BulkDraft, ConnectionCheck, DeskError, DeskStatus, JobAction, JobView, Lookup, ProfileLookup,
    ProfileView, Recovery, Revocation, RevokeAllItem, RevokeAllRequest, RevokeRequest, RowPage,
};
use tauri::State;
use tauri::ipc::Channel;

use crate::state::Shell;
use crate::{bulk_feed, export_dialog, job_notice};

type Result<T> = std::result::Result<T, DeskError>;

#[tauri::command]
pub async fn desk_status(shell: State<'_, Shell>) -> Result<DeskStatus> {
    shell.desk.status().await
}

#[tauri::command]
pub async fn lookup(shell: State<'_, Shell>, customer: String, refresh: bool) -> Result<Lookup> {
    shell.desk.lookup(&customer, refresh).await
}

#[tauri::command]
pub async fn lookup_all(shell: State<'_, Shell>, customer: String) -> Result<Vec<ProfileLookup>> {
    Ok(shell.desk.lookup_all(&customer).await)
}

#[tauri::command]
pub fn recent_customers(shell: State<'_, Shell>, query: String) -> Result<Vec<RecentCustomer>> {
    shell.desk.recent(&query)
}

#[tauri::command]
pub fn forget_customer(shell: State<'_, Shell>, customer: String) -> Result<()> {
    shell.desk.forget_customer(&customer)
}

#[tauri::command]
pub fn clear_cache(shell: State<'_, Shell>) -> Result<()> {
    shell.desk.clear_cache()
}

#[tauri::command]
pub async fn save_profile(
    shell: State<'_, Shell>,
    id: Option<String>,
    draft: ProfileDraft,
    password: Option<String>,
) -> Result<ProfileView> {
    shell
        .desk
        .save_profile(id.as_deref(), &draft, password)
        .await
}

#[tauri::command]
pub async fn delete_profile(shell: State<'_, Shell>, id: String) -> Result<()> {
    shell.desk.delete_profile(&id).await
}

#[tauri::command]
pub fn activate_profile(shell: State<'_, Shell>, id: String) -> Result<()> {
    shell.desk.activate(&id)
}

#[tauri::command]
pub async fn set_password(shell: State<'_, Shell>, id: String, password: String) -> Result<()> {
    shell.desk.set_password(&id, password).await
}

#[tauri::command]
pub async fn clear_password(shell: State<'_, Shell>, id: String) -> Result<()> {
    shell.desk.clear_password(&id).await
}

#[tauri::command]
pub async fn test_connection(shell: State<'_, Shell>, id: String) -> Result<ConnectionCheck> {
    shell.desk.test_connection(&id).await
}

#[tauri::command]
pub fn save_settings(shell: State<'_, Shell>, settings: Settings) -> Result<Settings> {
    shell.desk.save_settings(settings)
}

#[tauri::command]
pub async fn revoke_card(shell: State<'_, Shell>, request: RevokeRequest) -> Result<Revocation> {
    shell.desk.revoke(&request).await
}

#[tauri::command]
pub async fn revoke_all_cards(
    shell: State<'_, Shell>,
    request: RevokeAllRequest,
) -> Result<Vec<RevokeAllItem>> {
    shell.desk.revoke_all(&request).await
}

#[tauri::command]
pub async fn check_removal(shell: State<'_, Shell>, intent_seq: u64) -> Result<Recovery> {
    shell.desk.check_removal(intent_seq).await
}

#[tauri::command]
pub async fn audit_verify(shell: State<'_, Shell>) -> Result<Verification> {
    shell.desk.audit_verify().await
}

#[tauri::command]
pub async fn audit_size(shell: State<'_, Shell>) -> Result<u64> {
    shell.desk.audit_size().await
}

#[tauri::command]
pub async fn audit_query(shell: State<'_, Shell>, query: AuditQuery) -> Result<AuditPage> {
    shell.desk.audit_query(query).await
}

/// Exports the audit log where the user says in the save dialog (the webview names no path).
/// Returns the number of entries written, or `None` when the dialog was cancelled.
#[tauri::command]
pub async fn audit_export(
    app: tauri::AppHandle,
    shell: State<'_, Shell>,
    format: ExportFormat,
) -> Result<Option<u64>> {
    let Some(dest) = export_dialog::ask(&app, format) else {
        return Ok(None);
    };
    shell.desk.audit_export(format, dest).await.map(Some)
}

/// Asks for a CSV in an open dialog and previews it; `None` when the dialog was cancelled.
#[tauri::command]
pub async fn bulk_pick_csv(
    app: tauri::AppHandle,
    shell: State<'_, Shell>,
) -> Result<Option<CsvPreview>> {
    let Some(path) = export_dialog::pick_csv(&app) else {
        return Ok(None);
    };
    shell.desk.bulk_preview(path).await.map(Some)
}

#[tauri::command]
pub async fn bulk_create(shell: State<'_, Shell>, draft: BulkDraft) -> Result<JobView> {
    shell.desk.bulk_create(draft).await
}

#[tauri::command]
pub async fn bulk_jobs(shell: State<'_, Shell>) -> Result<Vec<JobView>> {
    shell.desk.bulk_jobs().await
}

#[tauri::command]
pub async fn bulk_job(shell: State<'_, Shell>, id: String) -> Result<JobView> {
    shell.desk.bulk_job(&id).await
}

#[tauri::command]
pub async fn bulk_rows(
    shell: State<'_, Shell>,
    id: String,
    filter: Option<RowState>,
    offset: u64,
    limit: u64,
) -> Result<RowPage> {
    shell.desk.bulk_rows(&id, filter, offset, limit).await
}

/// Dry-runs the job; a desktop notification tells when a long one ends.
#[tauri::command]
pub async fn bulk_plan(
    app: tauri::AppHandle,
    shell: State<'_, Shell>,
    id: String,
    options: RunOptions,
    on_progress: Channel<Progress>,
) -> Result<JobView> {
    let work = shell
        .desk
        .bulk_plan(&id, options, bulk_feed::progress(on_progress));
    job_notice::notify_when_long(&app, job_notice::Pass::DryRun, work).await
}

/// Runs the job; a desktop notification tells when a long one ends.
#[tauri::command]
pub async fn bulk_run(
    app: tauri::AppHandle,
    shell: State<'_, Shell>,
    id: String,
    options: RunOptions,
    confirmation: Option<String>,
    on_progress: Channel<Progress>,
) -> Result<JobView> {
    let feed = bulk_feed::progress(on_progress);
    let work = shell.desk.bulk_run(&id, options, confirmation, feed);
    job_notice::notify_when_long(&app, job_notice::Pass::Run, work).await
}

#[tauri::command]
pub fn bulk_control(shell: State<'_, Shell>, id: String, action: JobAction) -> Result<()> {
    shell.desk.bulk_control(&id, action)
}

/// Exports a job's results where the user says in the save dialog (the webview names no
/// path). Returns the number of rows written, or `None` when the dialog was cancelled.
#[tauri::command]
pub async fn bulk_export(
    app: tauri::AppHandle,
    shell: State<'_, Shell>,
    id: String,
) -> Result<Option<u64>> {
    let Some(dest) = export_dialog::ask_results(&app, &id) else {
        return Ok(None);
    };
    shell.desk.bulk_export(&id, dest).await.map(Some)
}

#[tauri::command]
pub async fn bulk_delete(shell: State<'_, Shell>, id: String) -> Result<()> {
    shell.desk.bulk_delete(&id).await
}
