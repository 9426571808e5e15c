//! Why: opening the desk (the data dir's lock, the built-in sandbox, the keyring, the cache and
//! the audit log) takes tens of milliseconds, more on a large profile. Done inside Tauri's
//! `setup` it held the window's main loop, and with it WebKit's own start: the page's HTML was
//! asked for only once the desk was open (docs/benchmarks.md, "Start-up"). The desk now opens
//! on a worker while the main loop runs. A command that arrives before it is open waits here,
//! and runs once it is, in the order it came and on the main thread, as it would have.

use std::sync::{Arc, Mutex};

use desk::lock;
use tauri::Runtime;
use tauri::ipc::Invoke;

/// The app's own command handler (`tauri::generate_handler!`).
type Handler<R> = Box<dyn Fn(Invoke<R>) -> bool + Send + Sync>;

/// What arrives while the desk opens: kept in order until it is open, then let through.
struct Gate<T> {
    /// `Some` (what waits) until the gate opens.
    waiting: Mutex<Option<Vec<T>>>,
}

impl<T> Gate<T> {
    fn new() -> Self {
        Gate {
            waiting: Mutex::new(Some(Vec::new())),
        }
    }

    /// `item` back to be run now when the gate is open; kept (and `None`) while it is not.
    fn pass(&self, item: T) -> Option<T> {
        match &mut *lock(&self.waiting) {
            Some(waiting) => {
                waiting.push(item);
                None
            }
            None => Some(item),
        }
    }

    /// Opens the gate: what waited, in the order it came (nothing the second time).
    fn open(&self) -> Vec<T> {
        lock(&self.waiting).take().unwrap_or_default()
    }
}

/// The app's commands, held back until the desk is open.
pub struct Opening<R: Runtime> {
    handler: Handler<R>,
    gate: Gate<Invoke<R>>,
}

impl<R: Runtime> Opening<R> {
    pub fn new(handler: impl Fn(Invoke<R>) -> bool + Send + Sync + 'static) -> Arc<Self> {
        Arc::new(Opening {
            handler: Box::new(handler),
            gate: Gate::new(),
        })
    }

    /// Tauri's invoke handler: runs the command now, or keeps it until [`Opening::open`].
    pub fn handle(&self, invoke: Invoke<R>) -> bool {
        match self.gate.pass(invoke) {
            Some(invoke) => (self.handler)(invoke),
            None => true,
        }
    }

    /// The desk is open (its state managed): the commands that waited run now. Called on the
    /// main thread, where commands arrive, so none can slip in between.
    pub fn open(&self) {
        for invoke in self.gate.open() {
            let resolver = invoke.resolver.clone();
            let command = invoke.message.command().to_owned();
            if !(self.handler)(invoke) {
                resolver.reject(format!("Command {command} not found"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_arrives_before_the_desk_is_open_waits_and_goes_through_once_in_order() {
        let gate = Gate::new();
        assert_eq!(gate.pass("desk_status"), None);
        assert_eq!(gate.pass("link_feed"), None);
        assert_eq!(gate.open(), vec!["desk_status", "link_feed"]);
        assert_eq!(gate.pass("lookup"), Some("lookup"), "open: at once");
        assert!(gate.open().is_empty(), "nothing runs twice");
    }
}
