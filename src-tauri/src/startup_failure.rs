//! Why: an error while the app starts (a data dir held by another copy, a cache database that
//! cannot be opened, an unreadable config dir) used to be returned from Tauri's `setup`, which
//! panics with it: no window, exit 101, a backtrace on stderr. Instead the window is hidden and
//! a native message dialog says what failed and what to do; closing it ends the app (exit 1).
//! The message is also printed on stderr for logs. Errors here never hold a secret.

use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

/// The dialog's title: also how a test finds the dialog's window.
pub const TITLE: &str = "Card Desk could not start";

/// Shows `error` in a native dialog over a hidden main window, and exits when it is closed.
pub fn report(app: &AppHandle, error: &str) {
    eprintln!("card-desk: could not start: {error}");
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.hide();
    }
    let message = format!("{error}\n\n{}", advice(error));
    let handle = app.clone();
    app.dialog()
        .message(message)
        .title(TITLE)
        .kind(MessageDialogKind::Error)
        .buttons(MessageDialogButtons::Ok)
        .show(move |_| handle.exit(1));
}

/// What to do, by what failed. Profiles, passwords and the audit log are never changed by a
/// failed start, which the user should know before trying anything drastic.
fn advice(error: &str) -> &'static str {
    if error.contains("already running") {
        "What to do: switch to the Card Desk window that is already open (it may be in another \
         session or under another login) and close it, then start Card Desk again."
    } else if error.contains("cache") {
        "What to do: close other copies of Card Desk and start it again. If this keeps \
         happening, move the cache folder named above aside (it holds only copies of card \
         lists) and start again. Profiles, passwords and the audit log are not affected."
    } else {
        "What to do: check that the folder named above exists and that you may read and \
         write it (free disk space, permissions), then start Card Desk again. Profiles, \
         passwords and the audit log were not changed."
    }
}
