//! Commands: one-line adapters from IPC to the desk. Errors cross as `{code, message}`.
//! Passwords and the webhook secret only go in (`save_profile`, `set_password`,
//! `set_webhook_secret`); no command returns one.

use desk::audit::{AuditPage, AuditQuery, ExportFormat, Verification};
use desk::bulk::{CsvPreview, Progress, RowState, RunOptions};
use desk::profiles::{ProfileDraft, Settings};
use desk::recent::RecentCustomer;
use desk::requests::RequestFilter;
use desk::requests::model::{DocumentKind, RequestDraft};
use desk::team::{Approval, Policy};
use desk::{
    About, AccessDetails, BulkDraft, ConnectionCheck, DeskError, DeskStatus, ErasureDetails,
    Exported, Freshness, JobAction, JobView, Lookup, ProducedDocument, ProfileLookup, ProfileView,
    Recovery, RequestAction, RequestList, RequestView, Revocation, RevokeAllRequest,
    RevokeAllResult, RevokeRequest, RowPage, TeamAuditPage, TeamCheck, TeamPolicyView, TeamSetup,
    TeamView, UiLanguage, UpdateCheck, UpdateInstall, WriteBackView, document_file_name,
};
use tauri::State;
use tauri::ipc::Channel;

use crate::first_frame::{Frame, Root};
use crate::first_view::{FirstView, FrameData};
use crate::state::Shell;
use crate::{file_dialogs, job_notice, progress_feed};

type Result<T> = std::result::Result<T, DeskError>;

#[tauri::command]
pub async fn desk_status(shell: State<'_, Shell>) -> Result<DeskStatus> {
    crate::startup_probe::mark("status asked");
    shell.desk.status().await
}

/// `request`: the request the lookup is made from (the Requests view), or none.
#[tauri::command]
pub async fn lookup(
    shell: State<'_, Shell>,
    customer: String,
    want: Freshness,
    request: Option<String>,
) -> Result<Lookup> {
    shell
        .desk
        .lookup_from(&customer, want, request.as_deref())
        .await
}

/// `request`: the request the lookup across profiles is made from, or none.
#[tauri::command]
pub async fn lookup_all(
    shell: State<'_, Shell>,
    customer: String,
    request: Option<String>,
) -> Result<Vec<ProfileLookup>> {
    shell
        .desk
        .lookup_all_from(&customer, request.as_deref())
        .await
}

#[tauri::command]
pub async fn recent_customers(
    shell: State<'_, Shell>,
    query: String,
) -> Result<Vec<RecentCustomer>> {
    crate::startup_probe::mark("recent asked");
    shell.off_main(move |desk| desk.recent(&query)).await
}

#[tauri::command]
pub async fn forget_customer(shell: State<'_, Shell>, customer: String) -> Result<()> {
    shell
        .off_main(move |desk| desk.forget_customer(&customer))
        .await
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
pub async fn save_settings(shell: State<'_, Shell>, settings: Settings) -> Result<Settings> {
    shell.desk.save_settings_live(settings).await
}

#[tauri::command]
pub async fn write_back(shell: State<'_, Shell>) -> Result<WriteBackView> {
    shell.desk.write_back_view().await
}

#[tauri::command]
pub async fn set_webhook_secret(shell: State<'_, Shell>, secret: String) -> Result<()> {
    shell.desk.set_webhook_secret(secret).await
}

#[tauri::command]
pub async fn clear_webhook_secret(shell: State<'_, Shell>) -> Result<()> {
    shell.desk.clear_webhook_secret().await
}

#[tauri::command]
pub async fn write_back_retry(shell: State<'_, Shell>, id: String) -> Result<()> {
    shell.desk.write_back_retry(&id).await
}

#[tauri::command]
pub async fn write_back_discard(shell: State<'_, Shell>, id: String) -> Result<()> {
    shell.desk.write_back_discard(&id).await
}

#[tauri::command]
pub async fn team_view(shell: State<'_, Shell>) -> Result<TeamView> {
    shell.desk.team_view().await
}

#[tauri::command]
pub async fn save_team_setup(
    shell: State<'_, Shell>,
    setup: Option<TeamSetup>,
) -> Result<TeamView> {
    shell.desk.save_team_setup(setup).await
}

#[tauri::command]
pub async fn set_team_password(shell: State<'_, Shell>, password: String) -> Result<()> {
    shell.desk.set_team_password(password).await
}

#[tauri::command]
pub async fn clear_team_password(shell: State<'_, Shell>) -> Result<()> {
    shell.desk.clear_team_password().await
}

#[tauri::command]
pub async fn team_audit(shell: State<'_, Shell>, query: AuditQuery) -> Result<TeamAuditPage> {
    shell.desk.team_audit_query(query).await
}

#[tauri::command]
pub async fn team_approvals(shell: State<'_, Shell>, waiting_only: bool) -> Result<Vec<Approval>> {
    shell.desk.team_approvals(waiting_only).await
}

#[tauri::command]
pub async fn decide_approval(
    shell: State<'_, Shell>,
    id: String,
    approve: bool,
    note: String,
) -> Result<Approval> {
    shell.desk.decide_approval(&id, approve, note).await
}

#[tauri::command]
pub async fn team_policy(shell: State<'_, Shell>) -> Result<TeamPolicyView> {
    shell.desk.team_policy().await
}

#[tauri::command]
pub async fn set_team_policy(
    shell: State<'_, Shell>,
    production_bulk: bool,
    production_revoke_all: bool,
    cards_over: Option<u32>,
) -> Result<Policy> {
    shell
        .desk
        .set_team_policy(production_bulk, production_revoke_all, cards_over)
        .await
}

#[tauri::command]
pub async fn test_team(
    shell: State<'_, Shell>,
    setup: TeamSetup,
    password: Option<String>,
) -> Result<TeamCheck> {
    shell.desk.test_team(setup, password).await
}

#[tauri::command]
pub async fn revoke_card(shell: State<'_, Shell>, request: RevokeRequest) -> Result<Revocation> {
    shell.desk.revoke(&request).await
}

#[tauri::command]
pub async fn revoke_all_cards(
    shell: State<'_, Shell>,
    request: RevokeAllRequest,
) -> Result<RevokeAllResult> {
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

/// Exports the audit log — the entries `filters` match, or all of them — where the user says
/// in the save dialog (the webview names no path). `None` when the dialog was cancelled.
#[tauri::command]
pub async fn audit_export(
    app: tauri::AppHandle,
    shell: State<'_, Shell>,
    format: ExportFormat,
    filters: Option<AuditQuery>,
) -> Result<Option<Exported>> {
    let Some(dest) = file_dialogs::ask(&app, format) else {
        return Ok(None);
    };
    shell
        .desk
        .audit_export(format, filters, dest)
        .await
        .map(Some)
}

/// Shows this session's last export in the system's file manager (the webview names no
/// path: Rust remembers where the export went).
#[tauri::command]
pub fn reveal_export(shell: State<'_, Shell>) -> Result<()> {
    file_dialogs::reveal(shell.desk.last_export())
}

/// Asks for a CSV in an open dialog and previews it; `None` when the dialog was cancelled.
#[tauri::command]
pub async fn bulk_pick_csv(
    app: tauri::AppHandle,
    shell: State<'_, Shell>,
) -> Result<Option<CsvPreview>> {
    let Some(path) = file_dialogs::pick_csv(&app) else {
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
        .bulk_plan(&id, options, progress_feed::progress(on_progress));
    job_notice::notify_when_long(&app, shell.desk.language(), job_notice::Pass::DryRun, work).await
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
    let feed = progress_feed::progress(on_progress);
    let work = shell.desk.bulk_run(&id, options, confirmation, feed);
    job_notice::notify_when_long(&app, shell.desk.language(), job_notice::Pass::Run, work).await
}

/// Version, build, data locations and the licences of what the app ships.
#[tauri::command]
pub fn about(shell: State<'_, Shell>) -> About {
    crate::about::about(&shell.desk)
}

/// Opens a customer's request; the deadline follows from its kind and the day of receipt.
#[tauri::command]
pub async fn request_new(
    shell: State<'_, Shell>,
    draft: RequestDraft,
    utc_offset_minutes: Option<i32>,
) -> Result<RequestView> {
    shell.desk.request_new(draft, utc_offset_minutes).await
}

/// The request register, by deadline, with the agent's day's counts.
#[tauri::command]
pub async fn requests(
    shell: State<'_, Shell>,
    filter: RequestFilter,
    utc_offset_minutes: Option<i32>,
) -> Result<RequestList> {
    shell.desk.requests(filter, utc_offset_minutes).await
}

#[tauri::command]
pub async fn request(
    shell: State<'_, Shell>,
    id: String,
    utc_offset_minutes: Option<i32>,
) -> Result<RequestView> {
    shell.desk.request(&id, utc_offset_minutes).await
}

/// An agent's change to a request, made to the version the window showed.
#[tauri::command]
pub async fn request_act(
    shell: State<'_, Shell>,
    id: String,
    version: u64,
    action: RequestAction,
    utc_offset_minutes: Option<i32>,
) -> Result<RequestView> {
    shell
        .desk
        .request_act(&id, version, action, utc_offset_minutes)
        .await
}

/// Saves the 376-FZ confirmation of request `id` where the user says (the webview names no
/// path); `None` when the dialog was cancelled. The merchant is named by `merchant_name` and
/// `merchant_address` when given (the window gives none), else by the operator of Settings →
/// Documents; without one, by the gateway profile, and the document says so.
#[tauri::command]
pub async fn request_confirmation(
    app: tauri::AppHandle,
    shell: State<'_, Shell>,
    id: String,
    version: u64,
    merchant_name: Option<String>,
    merchant_address: Option<String>,
    utc_offset_minutes: Option<i32>,
) -> Result<Option<ProducedDocument>> {
    let merchant = merchant_name.map(|name| desk::documents::Party {
        name,
        address: merchant_address.unwrap_or_default(),
    });
    let language = shell.desk.language();
    let name = document_file_name(&id, DocumentKind::Confirmation, language);
    let Some(dest) = file_dialogs::ask_document(&app, name) else {
        return Ok(None);
    };
    shell
        .desk
        .request_confirmation(&id, version, language, merchant, dest, utc_offset_minutes)
        .await
        .map(Some)
}

/// Saves the answer to an access request (PDF) where the user picks; `None` when the dialog
/// was cancelled.
#[tauri::command]
pub async fn request_access_answer(
    app: tauri::AppHandle,
    shell: State<'_, Shell>,
    id: String,
    version: u64,
    details: AccessDetails,
    utc_offset_minutes: Option<i32>,
) -> Result<Option<ProducedDocument>> {
    let language = shell.desk.language();
    let name = document_file_name(&id, DocumentKind::Answer, language);
    let Some(dest) = file_dialogs::ask_document(&app, name) else {
        return Ok(None);
    };
    shell
        .desk
        .request_access_answer(&id, version, language, details, dest, utc_offset_minutes)
        .await
        .map(Some)
}

/// Saves an erasure's Order 179 act and its event-log export (PDF and CSV) in a folder the
/// user picks; `None` when the dialog was cancelled.
#[tauri::command]
pub async fn request_erasure_documents(
    app: tauri::AppHandle,
    shell: State<'_, Shell>,
    id: String,
    version: u64,
    details: ErasureDetails,
    utc_offset_minutes: Option<i32>,
) -> Result<Option<Vec<ProducedDocument>>> {
    let Some(dir) = file_dialogs::ask_folder(&app) else {
        return Ok(None);
    };
    let language = shell.desk.language();
    shell
        .desk
        .request_erasure_documents(&id, version, language, details, dir, utc_offset_minutes)
        .await
        .map(Some)
}

/// The window's feed of `carddesk://` links from tickets (each read by the desk; nothing sent).
#[tauri::command]
pub fn link_feed(app: tauri::AppHandle, on_link: Channel<desk::deep_link::LinkMessage>) {
    crate::links::feed(&app, on_link)
}

/// Asks the update server whether a newer Card Desk exists; never an error (a quiet "could not
/// check" instead).
#[tauri::command]
pub async fn update_check(app: tauri::AppHandle) -> UpdateCheck {
    crate::updates::check(&app).await
}

/// Downloads, verifies and installs the update the last check offered (the user chose Install).
#[tauri::command]
pub async fn update_install(app: tauri::AppHandle) -> UpdateInstall {
    crate::updates::install(&app).await
}

/// Restarts the app (after an update was installed).
#[tauri::command]
pub fn restart(app: tauri::AppHandle) {
    app.restart()
}

/// The window shows its first view: the start-up benchmark's finish line is written when it
/// runs, with the page's own steps (startup_probe.rs; recorded only when the benchmark asks for
/// them), and the deferred start-up work goes ahead — unless what shows is the page's first
/// frame (`frame`), which the live app is still to replace (first_frame.rs).
#[tauri::command]
pub fn startup_painted(
    shell: State<'_, Shell>,
    time_origin: Option<f64>,
    marks: Option<Vec<crate::startup_probe::PageMark>>,
    frame: Option<bool>,
) {
    if let (Some(origin), Some(marks)) = (time_origin, marks) {
        crate::startup_probe::page_marks(origin, &marks);
    }
    if frame == Some(true) {
        crate::startup_probe::painted();
    } else {
        shell.first_painted()
    }
}

/// The first view's data now and the key its frame is kept under (first_frame.rs).
#[tauri::command]
pub async fn first_frame_data(
    shell: State<'_, Shell>,
    first: State<'_, FirstView>,
) -> Result<FrameData> {
    first.frame_data(shell.desk.clone()).await
}

/// Keeps the first view as the window drew it, for its next start (first_frame.rs).
#[tauri::command]
pub async fn keep_first_frame(
    shell: State<'_, Shell>,
    key: String,
    root: Root,
    markup: String,
) -> Result<()> {
    let frame = Frame::checked(key, root, markup)?.to_bytes()?;
    shell
        .off_main(move |desk| desk.keep_first_frame(&frame))
        .await
}

#[tauri::command]
pub fn set_language(shell: State<'_, Shell>, language: UiLanguage) {
    shell.desk.set_language(language);
}

#[tauri::command]
pub fn bulk_control(shell: State<'_, Shell>, id: String, action: JobAction) -> Result<()> {
    shell.desk.bulk_control(&id, action)
}

/// Exports a job's results where the user says in the save dialog (the webview names no
/// path). Says how many rows and where, or `None` when the dialog was cancelled.
#[tauri::command]
pub async fn bulk_export(
    app: tauri::AppHandle,
    shell: State<'_, Shell>,
    id: String,
) -> Result<Option<Exported>> {
    let Some(dest) = file_dialogs::ask_results(&app, &id) else {
        return Ok(None);
    };
    shell.desk.bulk_export(&id, dest).await.map(Some)
}

#[tauri::command]
pub async fn bulk_delete(shell: State<'_, Shell>, id: String) -> Result<()> {
    shell.desk.bulk_delete(&id).await
}
