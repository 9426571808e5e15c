//! A bare Tauri 2 window: the yardstick Card Desk's start-up is measured against
//! (docs/design.md §7, docs/benchmarks.md). Its page calls `painted` once it is on screen;
//! with `CARDDESK_STARTUP_PROBE=<file>` set, that creates the file, as the app's probe does.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// Creates the probe file named by `CARDDESK_STARTUP_PROBE`, if any: the page is painted.
#[tauri::command]
fn painted() {
    if let Some(path) = std::env::var_os("CARDDESK_STARTUP_PROBE") {
        let _ = std::fs::File::create(path);
    }
}

fn main() {
    if let Err(e) = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![painted])
        .run(tauri::generate_context!())
    {
        eprintln!("bare-window: {e}");
        std::process::exit(1);
    }
}
