//! The start-up benchmark's finish line (benches/startup, docs/benchmarks.md "Start-up"): with
//! `CARDDESK_STARTUP_PROBE=<file>` set, the window's first painted search view creates that
//! file, listing when each start-up step ended (milliseconds since `run` began; step names
//! only, nothing about the user). Without the variable nothing is recorded or written.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Instant;

const VAR: &str = "CARDDESK_STARTUP_PROBE";

struct Probe {
    file: PathBuf,
    began: Instant,
    marks: Mutex<Vec<(&'static str, f64)>>,
    written: AtomicBool,
}

fn probe() -> Option<&'static Probe> {
    static PROBE: OnceLock<Option<Probe>> = OnceLock::new();
    PROBE
        .get_or_init(|| {
            let file = std::env::var_os(VAR).filter(|f| !f.is_empty())?;
            Some(Probe {
                file: file.into(),
                began: Instant::now(),
                marks: Mutex::new(Vec::new()),
                written: AtomicBool::new(false),
            })
        })
        .as_ref()
}

/// Notes that start-up step `step` has just ended, the first time only (the first call of
/// all starts the clock).
pub fn mark(step: &'static str) {
    if let Some(p) = probe() {
        let ms = p.began.elapsed().as_secs_f64() * 1e3;
        let mut marks = p.marks.lock().unwrap_or_else(PoisonError::into_inner);
        if !marks.iter().any(|(s, _)| *s == step) {
            marks.push((step, ms));
        }
    }
}

/// The search view is on screen: writes the probe file once (whole, by a rename).
pub fn painted() {
    mark("painted");
    let Some(p) = probe() else { return };
    if p.written.swap(true, Ordering::SeqCst) {
        return;
    }
    let text: String = p
        .marks
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .map(|(step, ms)| format!("{step} {ms:.1}\n"))
        .collect();
    let part = p.file.with_extension("part");
    if std::fs::write(&part, text).is_ok() {
        let _ = std::fs::rename(&part, &p.file);
    }
}
