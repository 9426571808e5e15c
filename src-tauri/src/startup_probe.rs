//! The start-up benchmark's finish line (benches/startup, docs/benchmarks.md "Start-up"): with
//! `CARDDESK_STARTUP_PROBE=<file>` set, the window's first painted search view creates that
//! file, listing when each start-up step ended (milliseconds since `run` began; step names
//! only, nothing about the user): the Rust side's own, and the page's (`page: …`, which the
//! window reports with its call, on its own clock placed on this one). Without the variable
//! nothing is recorded or written.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use desk::lock;
use serde::Deserialize;

const VAR: &str = "CARDDESK_STARTUP_PROBE";

struct Probe {
    file: PathBuf,
    began: Instant,
    /// `began`, in ms since the Unix epoch (the page's clock is placed with it).
    began_epoch_ms: f64,
    marks: Mutex<Vec<(String, f64)>>,
    written: AtomicBool,
    live_written: AtomicBool,
}

fn probe() -> Option<&'static Probe> {
    static PROBE: OnceLock<Option<Probe>> = OnceLock::new();
    PROBE
        .get_or_init(|| {
            let file = std::env::var_os(VAR).filter(|f| !f.is_empty())?;
            Some(Probe {
                file: file.into(),
                began: Instant::now(),
                began_epoch_ms: epoch_ms(),
                marks: Mutex::new(Vec::new()),
                written: AtomicBool::new(false),
                live_written: AtomicBool::new(false),
            })
        })
        .as_ref()
}

/// Notes that start-up step `step` has just ended, the first time only (the first call of
/// all starts the clock).
pub fn mark(step: &'static str) {
    if let Some(p) = probe() {
        let ms = p.began.elapsed().as_secs_f64() * 1e3;
        let mut marks = lock(&p.marks);
        if !marks.iter().any(|(s, _)| s == step) {
            marks.push((step.to_owned(), ms));
        }
    }
}

fn epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1e3)
}

/// One step of the page's start, in ms after its time origin (`performance.now()`).
#[derive(Clone, Debug, Deserialize)]
pub struct PageMark {
    pub step: String,
    pub at: f64,
}

/// The page's own steps ("page: script", …): `time_origin` is its `performance.timeOrigin`
/// (ms since the epoch), so each lands on the same clock as the marks above.
pub fn page_marks(time_origin: f64, steps: &[PageMark]) {
    let Some(p) = probe() else { return };
    let mut marks = lock(&p.marks);
    for m in steps {
        let name = format!("page: {}", m.step);
        if !marks.iter().any(|(s, _)| *s == name) {
            marks.push((name, time_origin + m.at - p.began_epoch_ms));
        }
    }
}

/// The search view is on screen: writes the probe file once (whole, by a rename). When that
/// was the page's first frame (first_frame.rs), the live view's paint is told again: its
/// marks then go to a second file beside it, `<file>.live`, once.
pub fn painted() {
    mark("painted");
    let Some(p) = probe() else { return };
    let file = if !p.written.swap(true, Ordering::SeqCst) {
        p.file.clone()
    } else if !p.live_written.swap(true, Ordering::SeqCst) {
        p.file.with_extension("live")
    } else {
        return;
    };
    let text: String = lock(&p.marks)
        .iter()
        .map(|(step, ms)| format!("{step} {ms:.1}\n"))
        .collect();
    let part = p.file.with_extension("part");
    if std::fs::write(&part, text).is_ok() {
        let _ = std::fs::rename(&part, &file);
    }
}
