//! Commands: one-line adapters from IPC to the desk. Errors cross as `{code, message}`.
//! Passwords only go in (`save_profile`, `set_password`); no command returns one.

use std::path::PathBuf;

use desk::audit::{AuditPage, AuditQuery, ExportFormat, Verification};
use desk::profiles::{ProfileDraft, Settings};
use desk::recent::RecentCustomer;
use desk::{
    ConnectionCheck, DeskError, DeskStatus, Lookup, ProfileLookup, ProfileView, Revocation,
    RevokeAllItem, RevokeAllRequest, RevokeRequest,
};
use tauri::State;

use crate::export_dialog;
use crate::state::Shell;

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
pub async fn audit_verify(shell: State<'_, Shell>) -> Result<Verification> {
    shell.desk.audit_verify().await
}

#[tauri::command]
pub async fn audit_query(shell: State<'_, Shell>, query: AuditQuery) -> Result<AuditPage> {
    shell.desk.audit_query(query).await
}

/// Exports the audit log; without a `path` the user picks one in a save dialog. Returns the
/// number of entries written, or `None` when the dialog was cancelled.
#[tauri::command]
pub async fn audit_export(
    app: tauri::AppHandle,
    shell: State<'_, Shell>,
    format: ExportFormat,
    path: Option<PathBuf>,
) -> Result<Option<u64>> {
    let Some(dest) = path.or_else(|| export_dialog::ask(&app, format)) else {
        return Ok(None);
    };
    shell.desk.audit_export(format, dest).await.map(Some)
}
