//! The Tauri shell of Card Desk: builds the window, the managed state and the command list.
//! Everything that is not about the desktop shell lives in the UI-agnostic crates.

/// Starts the app; returns when the last window closes.
pub fn run() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("Card Desk failed to start");
}
