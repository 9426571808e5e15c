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

enum Gate<R: Runtime> {
    /// The desk is opening: commands wait, in order.
    Waiting(Vec<Invoke<R>>),
    /// The desk is open: commands run at once.
    Open,
}

/// The app's commands, held back until the desk is open.
pub struct Opening<R: Runtime> {
    handler: Handler<R>,
    gate: Mutex<Gate<R>>,
}

impl<R: Runtime> Opening<R> {
    pub fn new(handler: impl Fn(Invoke<R>) -> bool + Send + Sync + 'static) -> Arc<Self> {
        Arc::new(Opening {
            handler: Box::new(handler),
            gate: Mutex::new(Gate::Waiting(Vec::new())),
        })
    }

    /// Tauri's invoke handler: runs the command now, or keeps it until [`Opening::open`].
    pub fn handle(&self, invoke: Invoke<R>) -> bool {
        if let Gate::Waiting(waiting) = &mut *lock(&self.gate) {
            waiting.push(invoke);
            return true;
        }
        (self.handler)(invoke)
    }

    /// The desk is open (its state managed): the commands that waited run now. Called on the
    /// main thread, where commands arrive, so none can slip in between.
    pub fn open(&self) {
        let Gate::Waiting(waiting) = std::mem::replace(&mut *lock(&self.gate), Gate::Open) else {
            return;
        };
        for invoke in waiting {
            let resolver = invoke.resolver.clone();
            let command = invoke.message.command().to_owned();
            if !(self.handler)(invoke) {
                resolver.reject(format!("Command {command} not found"));
            }
        }
    }
}
