//! The Tauri shell of Card Desk: builds the window, the managed state and the command list.
//! Everything that is not about the desktop shell lives in the UI-agnostic crates.

mod commands;
mod state;

use tauri::Manager;

/// Starts the app; returns when the last window closes.
pub fn run() {
    let app = tauri::Builder::default()
        .setup(|app| {
            let shell = tauri::async_runtime::block_on(state::Shell::start())?;
            app.manage(shell);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_cards
        ])
        .build(tauri::generate_context!())
        .expect("Card Desk failed to start");
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event
            && let Some(shell) = handle.try_state::<state::Shell>()
        {
            tauri::async_runtime::block_on(shell.stop());
        }
    });
}
