//! Links from helpdesk tickets (`carddesk://…`, registered with the OS by the deep-link
//! plugin): a link that starts the app, or reaches the running one through the single-instance
//! hand-over, waits here until the window asks for its feed, then goes to the window as the
//! desk read it (what to fill in, or the rule it broke). Nothing is sent to a gateway.

use std::sync::Mutex;

use desk::deep_link::LinkMessage;
use desk::lock;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_deep_link::DeepLinkExt;

use crate::state::Shell;

/// Links not yet delivered, and the window's feed once it has asked.
#[derive(Default)]
pub struct LinkFeed {
    pending: Mutex<Vec<String>>,
    window: Mutex<Option<Channel<LinkMessage>>>,
}

/// Listens for links from the OS (and takes the one the app was started with).
pub fn listen<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            arrived(&handle, url.to_string());
        }
    });
    if let Ok(Some(urls)) = app.deep_link().get_current() {
        for url in urls {
            arrived(app, url.to_string());
        }
    }
}

fn arrived<R: Runtime>(app: &AppHandle<R>, link: String) {
    let feed = app.state::<LinkFeed>();
    lock(&feed.pending).push(link);
    deliver(app);
}

/// Sends what is pending, once the desk is open and the window listens.
fn deliver<R: Runtime>(app: &AppHandle<R>) {
    let feed = app.state::<LinkFeed>();
    let Some(shell) = app.try_state::<Shell>() else {
        return;
    };
    let window = lock(&feed.window).clone();
    let Some(window) = window else {
        return;
    };
    let links: Vec<String> = std::mem::take(&mut *lock(&feed.pending));
    for link in links {
        let message = LinkMessage::from(shell.desk.open_link(&link));
        if window.send(message).is_err() {
            lock(&feed.pending).push(link);
        }
    }
}

/// The window's feed of links: what arrived before it asked comes at once.
pub fn feed<R: Runtime>(app: &AppHandle<R>, channel: Channel<LinkMessage>) {
    *lock(&app.state::<LinkFeed>().window) = Some(channel);
    deliver(app);
}
