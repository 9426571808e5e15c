//! Commands: one-line adapters from IPC to the desk. Errors cross as `{code, message}`.

use desk::{CardList, DeskError, Profile};
use serde::Serialize;
use tauri::State;

use crate::state::Shell;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    version: &'static str,
    profile: Profile,
    sandbox_url: String,
}

#[tauri::command]
pub fn app_info(shell: State<'_, Shell>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        profile: shell.desk.profile().clone(),
        sandbox_url: shell.sandbox_url.clone(),
    }
}

#[tauri::command]
pub async fn list_cards(shell: State<'_, Shell>, customer: String) -> Result<CardList, DeskError> {
    shell.desk.list_cards(&customer).await
}
