//! Why: a bulk job finishes rows thousands of times a second against a fast gateway; the
//! progress bar needs a few updates a second, not one IPC message per row. This turns a
//! Tauri channel into the engine's progress callback, at most one message per 100 ms plus
//! the last one of a pass.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use desk::bulk::{Progress, ProgressFn};
use desk::lock;
use tauri::ipc::Channel;

const EVERY: Duration = Duration::from_millis(100);

pub fn progress(channel: Channel<Progress>) -> ProgressFn {
    let last: Mutex<Option<Instant>> = Mutex::new(None);
    Arc::new(move |p: &Progress| {
        let mut last = lock(&last);
        let due = last.is_none_or(|t| t.elapsed() >= EVERY) || p.finished >= p.total;
        if due {
            *last = Some(Instant::now());
            // The window may be gone (closed mid-job): the job goes on regardless.
            let _ = channel.send(*p);
        }
    })
}
