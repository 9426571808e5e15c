//! The profiles the app starts on: a fresh one (empty directories, every start a first start)
//! and a large one — 10,000 recent customers in the cache and 100,000 audit entries — written
//! through the desk's own APIs with the keyring the app will use (the same D-Bus session), so
//! the app reads them as its own: the cache key and the log's MAC key and high-water mark are
//! in that keyring.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use desk::Environment;
use desk::audit::{AuditAction, AuditLog, EntryDraft, Operator, ProfileRef};
use desk::cache::{CACHE_DIR_NAME, Cache};
use desk::profiles::SANDBOX_PROFILE_ID;
use desk::recent::RecentCustomer;
use desk::secrets::{APP_SERVICE, SecretStore, choose_store};

/// The app's identifier (tauri.conf.json): its directories are named after it.
const APP_ID: &str = "ru.carddesk.app";

/// The XDG directories one start runs with.
#[derive(Debug, Clone)]
pub struct Profile {
    pub root: PathBuf,
}

impl Profile {
    /// Empty directories under `root`.
    pub fn new(root: PathBuf) -> std::io::Result<Profile> {
        for d in ["config", "data", "cache"] {
            std::fs::create_dir_all(root.join(d))?;
        }
        Ok(Profile { root })
    }

    /// `XDG_*_HOME` for the child.
    pub fn env(&self) -> [(&'static str, PathBuf); 3] {
        [
            ("XDG_CONFIG_HOME", self.root.join("config")),
            ("XDG_DATA_HOME", self.root.join("data")),
            ("XDG_CACHE_HOME", self.root.join("cache")),
        ]
    }

    pub fn app_config_dir(&self) -> PathBuf {
        self.root.join("config").join(APP_ID)
    }

    pub fn app_data_dir(&self) -> PathBuf {
        self.root.join("data").join(APP_ID)
    }
}

/// What writing and reading the large profile in this process took (for the report).
#[derive(Debug, Default)]
pub struct Diagnostics {
    /// `Desk::open` on the written profile, as the app's start-up calls it.
    pub desk_open: Duration,
    /// The audit chain check inside it (`desk::audit::first_break`), alone.
    pub first_break: Duration,
    /// The active profile's recent list, first asked (loads the index of every entry).
    pub first_recent: Duration,
    pub recent_shown: usize,
}

/// The keyring the app would choose; an error when it would fall back to memory (the app
/// could then not read what is written here).
fn keyring() -> Result<Arc<dyn SecretStore>, String> {
    let chosen = choose_store(APP_SERVICE);
    match chosen.fallback_reason {
        None => Ok(chosen.store),
        Some(why) => Err(format!(
            "no usable keyring ({why}): run inside dbus-run-session with gnome-keyring unlocked"
        )),
    }
}

/// A lookup of the built-in sandbox profile, as the app writes one per customer shown.
fn lookup_entry(i: u64, customers: u64) -> EntryDraft {
    let mut d = EntryDraft::new(Operator::from_env(None), AuditAction::ViewedCustomer);
    d.profile = Some(ProfileRef {
        id: SANDBOX_PROFILE_ID.into(),
        name: "Sandbox".into(),
        environment: Environment::Sandbox,
        merchant_id: "452739".into(),
    });
    d.customer = Some(format!("CRM-{:06}", (i * 7919) % customers));
    d.detail = Some("shown from the gateway (3 cards)".into());
    d
}

/// Writes `customers` recent customers of the sandbox profile and `entries` audit entries.
pub fn write_large(p: &Profile, customers: u64, entries: u64) -> Result<Duration, String> {
    let began = Instant::now();
    let store = keyring()?;
    let data = p.app_data_dir();
    desk::private_fs::create_private_dir(&data).map_err(|e| e.to_string())?;
    let cache =
        Cache::open(&data.join(CACHE_DIR_NAME), store.as_ref()).map_err(|e| e.to_string())?;
    let now = desk::cache::now_ms();
    for i in 0..customers {
        let entry = RecentCustomer {
            customer: format!("CRM-{i:06}"),
            last_lookup: now - (i as i64) * 60_000,
            card_count: (i % 5) as u32,
        };
        cache
            .put_recent(SANDBOX_PROFILE_ID, &entry)
            .map_err(|e| e.to_string())?;
    }
    cache.flush().map_err(|e| e.to_string())?;
    drop(cache);
    let log = AuditLog::open_anchored(&data, &Operator::from_env(None), Ok(store))
        .map_err(|e| e.to_string())?;
    let mut i = 1;
    while i <= entries {
        let end = (i + 9_999).min(entries);
        log.append_batch((i..=end).map(|i| lookup_entry(i, customers)))
            .map_err(|e| e.to_string())?;
        i = end + 1;
    }
    Ok(began.elapsed())
}

/// Opens the profile as the app's start-up does and asks for the recent list: proves the app
/// can read it, and says what those steps cost outside the window.
pub fn read_back(p: &Profile) -> Result<Diagnostics, String> {
    let mut d = Diagnostics::default();
    let began = Instant::now();
    let desk = desk::Desk::open(desk::DeskConfig {
        config_dir: p.app_config_dir(),
        data_dir: p.app_data_dir(),
        sandbox_url: Some("http://127.0.0.1:9/".into()),
        secrets: choose_store(APP_SERVICE),
    })
    .map_err(|e| e.to_string())?;
    d.desk_open = began.elapsed();
    if let Some(problem) = desk.audit_problem() {
        return Err(format!("the app would not use the audit log: {problem}"));
    }
    if !desk.notices().is_empty() {
        return Err(format!(
            "the app would start with notices: {:?}",
            desk.notices()
        ));
    }
    let began = Instant::now();
    d.recent_shown = desk.recent("").map_err(|e| e.to_string())?.len();
    d.first_recent = began.elapsed();
    drop(desk);
    let began = Instant::now();
    desk::audit::first_break(&desk::audit::audit_path(&p.app_data_dir()))
        .map_err(|e| e.to_string())?;
    d.first_break = began.elapsed();
    Ok(d)
}

/// Bytes under `dir`, for the report.
pub fn du(dir: &Path) -> u64 {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    rd.flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => du(&e.path()),
            _ => e.metadata().map(|m| m.len()).unwrap_or(0),
        })
        .sum()
}
