//! The desk: everything the app does for a support agent, behind one type that the Tauri
//! shell's commands call one line at a time. It owns the profiles file, the secret store, the
//! encrypted cache, the audit log, the recent-customer indexes, one gateway client per profile
//! and the card-art fetcher. Blocking work (keyring, audit flushes) is moved off the async
//! runtime. Revocations run the shared workflow of [`crate::revoke`].
//!
//! This file opens the desk (start-up, its notices, the check of the audit chain); each other
//! concern has its own file: `accounts.rs` (profiles, passwords, clients, "Test connection"),
//! `lookup.rs` (how a lookup works, card views, recent customers), `revocation.rs` (removals
//! and their recovery), `audit_view.rs` (the audit view: verify, query, export), `jobs.rs`
//! (bulk jobs) and `register.rs` (customers' requests; `register_alone.rs` opens it without
//! the rest of the desk, for the command line).

mod access_answer;
mod accounts;
mod audit_view;
mod four_eyes;
mod jobs;
mod links;
mod lookup;
mod register;
mod register_alone;
mod request_documents;
mod revocation;
mod subject_cards;
mod team_mode;
mod write_back;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use assist::{BaseUrl, Client, Language, Login, MerchantId};
use card_art::{ArtFetcher, ArtPolicy};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::audit::{AuditAction, AuditEntry, AuditLog, EntryDraft, Operator, ProfileRef};
use crate::cache::{CARDS, Cache, Cached, Media, UnixMs, now_ms};
use crate::environment::Environment;
use crate::error::{DeskError, ErrorCode};
use crate::lookup::{ConnectionCheck, Lookup, ProfileLookup, Source, Verdict};
use crate::notice::{NoticeKind, StartupNotice};
use crate::profiles::{
    PRESETS, ProfileDraft, ProfileRecord, Profiles, SANDBOX_PROFILE_ID, Settings,
};
use crate::recent::{RecentCustomer, RecentIndex};
use crate::revoke::{
    Recovery, Revocation, RevokeAllRequest, RevokeAllResult, RevokePolicy, RevokeRequest, Revoker,
};
use crate::secrets::{self, ChosenStore, SecretError, SecretStore, profile_account};
use crate::status::{DeskStatus, PresetView, ProfileView, SecretStoreStatus};
use crate::view::{CardView, parse_art_key};
use desk_store::lock;

/// The sandbox's demo credentials are the gateway documentation's own example values.
const SANDBOX_PASSWORD: &str = "PASSWORD";
/// A customer number that "Test connection" looks up: any answer but a credentials or access
/// fault means the profile works.
const PROBE_CUSTOMER: &str = "carddesk-connection-test";
const RECENT_LIMIT: usize = 50;

/// Where the desk keeps its files and secrets.
#[derive(Debug)]
pub struct DeskConfig {
    /// The profiles file lives here.
    pub config_dir: PathBuf,
    /// The cache lives here (and, apart from it, the audit log).
    pub data_dir: PathBuf,
    /// The embedded sandbox's URL, for the built-in profile.
    pub sandbox_url: Option<String>,
    pub secrets: ChosenStore,
}

pub struct Desk {
    secrets: Arc<dyn SecretStore>,
    secret_status: SecretStoreStatus,
    cache: Arc<Cache>,
    /// The audit log, or why it cannot be used (then revocations and recorded views refuse).
    audit: Result<Arc<AuditLog>, DeskError>,
    profiles: Mutex<Profiles>,
    sandbox: Option<ProfileRecord>,
    clients: Mutex<HashMap<String, Client>>,
    recent: Mutex<HashMap<String, RecentIndex>>,
    /// Art keys handed to the UI, with their declared media type: the URI scheme serves
    /// these and nothing else, so the webview cannot make the app fetch arbitrary URLs.
    art_keys: Mutex<HashMap<String, String>>,
    art: ArtFetcher,
    /// Bulk jobs live in `<data_dir>/jobs/`.
    data_dir: PathBuf,
    jobs: jobs::Jobs,
    /// Set while [`Desk::recover_open_intents`] runs (the app shows a banner meanwhile).
    recovering: std::sync::atomic::AtomicBool,
    /// What start-up survived and the user should know (see [`crate::notice`]).
    notices: Mutex<Vec<StartupNotice>>,
    /// Set until [`Desk::check_audit_chain`] has run (see [`Desk::open_unchecked`]).
    checking: std::sync::atomic::AtomicBool,
    /// The window's language, for texts written here for people.
    language: crate::ui_language::LanguageCell,
    /// Where this session's last export went ("Open folder" shows it; the window never
    /// names a path).
    last_export: Mutex<Option<PathBuf>>,
    config_dir: PathBuf,
    /// Customers' requests (see `register.rs`), opened on first use.
    register: register::Register,
    /// The ticket write-back's outbox and delivery loop (see `write_back.rs`).
    write_back: write_back::WriteBack,
    /// Team mode: the shared trail's setup and shipping loop (see `team_mode.rs`).
    team: team_mode::TeamMode,
}

pub use access_answer::AccessDetails;
pub use audit_view::Exported;
pub use four_eyes::TeamPolicyView;
pub use jobs::{BulkCard, BulkDraft, BulkRow, JobAction, JobPhase, JobView, RowPage};
pub use register::{RequestAction, RequestList, RequestView};
pub use register_alone::RequestRegister;
pub use request_documents::{
    ErasureDetails, ErasureSignatory, ProducedDocument, document_file_name,
};
pub use team_mode::{
    TEAM_PASSWORD_ACCOUNT, TeamAuditEntry, TeamAuditPage, TeamBounds, TeamCheck, TeamSetup,
    TeamView, saved_team_setup, ship_team_at, stored_team_password, verify_team_at,
};
pub(crate) use write_back::check_webhook_url;
pub use write_back::{WEBHOOK_SECRET_ACCOUNT, WriteBackView};

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk")
            .field("secret_store", &self.secret_status)
            .field(
                "sandbox",
                &self.sandbox.as_ref().map(|s| s.base_url.to_string()),
            )
            .finish_non_exhaustive()
    }
}

fn rfc3339(ms: UnixMs) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

fn today(ms: UnixMs) -> assist::YearMonth {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| assist::YearMonth::new(t.year().clamp(0, 9999) as u16, u8::from(t.month())))
        .unwrap_or_else(assist::YearMonth::current_utc)
}

fn sandbox_record(url: &str) -> Result<ProfileRecord, assist::ValidationError> {
    Ok(ProfileRecord {
        id: SANDBOX_PROFILE_ID.to_owned(),
        name: "Sandbox".to_owned(),
        environment: Environment::Sandbox,
        base_url: BaseUrl::new(url)?,
        merchant_id: MerchantId::new("452739")?,
        login: Login::new("LOGIN")?,
        language: Language::En,
        colour: "#0f766e".to_owned(),
    })
}

impl Desk {
    /// Opens the profiles file, the cache and the audit log, and checks the log's whole chain
    /// ([`Desk::check_audit_chain`]). Blocking (the cache key is read from the keyring): call
    /// it from a blocking context.
    pub fn open(config: DeskConfig) -> Result<Desk, DeskError> {
        let desk = Desk::open_unchecked(config)?;
        desk.check_audit_chain();
        Ok(desk)
    }

    /// [`Desk::open`] without the check of the audit log's chain, a streaming pass over every
    /// entry (seconds for a long log): the app opens this way so that its window is not held
    /// back by it, and runs [`Desk::check_audit_chain`] right after, in the background.
    /// Until that has run, [`DeskStatus::checking`] is set (the UI looks again).
    pub fn open_unchecked(config: DeskConfig) -> Result<Desk, DeskError> {
        let secret_status = SecretStoreStatus {
            kind: config.secrets.store.kind(),
            reason: config
                .secrets
                .fallback_reason
                .as_ref()
                .map(ToString::to_string),
        };
        // Both directories hold customer data (the data dir) or merchant logins (the config
        // dir): owner only, created before sled or anything else makes them with the umask.
        for dir in [&config.config_dir, &config.data_dir] {
            desk_store::private_fs::create_private_dir(dir).map_err(|e| {
                DeskError::new(ErrorCode::Internal, format!("{}: {e}", dir.display()))
            })?;
        }
        let mut notices = Vec::new();
        // A damaged profiles file must not stop the app for good: it is kept aside and the
        // desk starts on the built-in sandbox (the passwords are still in the keyring).
        let (profiles, set_aside) = Profiles::open_or_set_aside(&config.config_dir)?;
        if let Some(saved) = set_aside {
            notices.push(
                StartupNotice::new(NoticeKind::ProfilesSetAside)
                    .with("saved", saved.display())
                    .with("dir", config.config_dir.display()),
            );
        }
        let cache = Cache::open(
            &config.data_dir.join(crate::cache::CACHE_DIR_NAME),
            config.secrets.store.as_ref(),
        )?;
        if !cache.key_matches_data() {
            // The cache was written under another key (the keyring was reset, or secrets are
            // kept in memory only): what is on disk cannot be read, so start it afresh.
            cache.clear()?;
            notices.push(StartupNotice::new(NoticeKind::CacheKeyChanged));
        } else if cache.rebuilt() {
            notices.push(StartupNotice::new(NoticeKind::CacheDamaged));
        }
        let sandbox = config
            .sandbox_url
            .as_deref()
            .map(sandbox_record)
            .transpose()?;
        let operator = Operator::from_env(Some(&profiles.settings().operator_name));
        // The memory fallback is no place for the audit log's key and high-water mark: they
        // would be gone at the next start.
        let keyring = match &config.secrets.fallback_reason {
            None => Ok(config.secrets.store.clone()),
            Some(SecretError::Unavailable { reason } | SecretError::Refused { reason }) => {
                Err((*reason).to_owned())
            }
        };
        let audit = AuditLog::open_anchored(&config.data_dir, &operator, keyring)
            .map(Arc::new)
            .map_err(DeskError::from);
        let interrupted = jobs::interrupted(&config.data_dir);
        if !interrupted.is_empty() {
            notices.push(
                StartupNotice::new(NoticeKind::JobsInterrupted)
                    .with("n", interrupted.len())
                    .with("names", interrupted.join(", ")),
            );
        }
        Ok(Desk {
            register: register::Register::new(&config.data_dir),
            write_back: write_back::WriteBack::new(&config.data_dir),
            team: team_mode::TeamMode::new(&config.data_dir),
            secrets: config.secrets.store,
            secret_status,
            cache: Arc::new(cache),
            audit,
            profiles: Mutex::new(profiles),
            sandbox,
            clients: Mutex::new(HashMap::new()),
            recent: Mutex::new(HashMap::new()),
            art_keys: Mutex::new(HashMap::new()),
            art: ArtFetcher::new(),
            data_dir: config.data_dir,
            jobs: jobs::Jobs::default(),
            recovering: std::sync::atomic::AtomicBool::new(false),
            notices: Mutex::new(notices),
            checking: std::sync::atomic::AtomicBool::new(true),
            language: Default::default(),
            last_export: Mutex::new(None),
            config_dir: config.config_dir,
        })
    }

    fn operator(settings: &Settings) -> Operator {
        Operator::from_env(Some(&settings.operator_name))
    }

    fn audit_log(&self) -> Result<Arc<AuditLog>, DeskError> {
        self.audit.clone()
    }

    /// Why the audit log cannot be used, if it cannot (the UI shows a banner: revocations and
    /// recorded lookups refuse until it is fixed).
    pub fn audit_problem(&self) -> Option<DeskError> {
        self.audit.as_ref().err().cloned()
    }

    /// What start-up survived and the user should know; shown until the next start.
    pub fn notices(&self) -> Vec<StartupNotice> {
        lock(&self.notices).clone()
    }

    /// Whether start-up's check of the audit chain is still to end.
    pub fn checking(&self) -> bool {
        self.checking.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Checks the audit log's whole chain (the open checks only its tail): damage in the
    /// middle is found here, by one streaming pass, and becomes a notice shown at once rather
    /// than at the next Verify. Blocking; clears [`DeskStatus::checking`] when done.
    pub fn check_audit_chain(&self) {
        if let Ok(log) = &self.audit {
            let notice = match crate::audit::first_break(log.path()) {
                Ok(None) => None,
                Ok(Some(b)) => {
                    // The audit view's index was made from the log before the damage was
                    // found: drop it, so the view's next page files entries as they are now.
                    let _ = std::fs::remove_file(log.index_path());
                    Some(
                        StartupNotice::new(NoticeKind::AuditChainBroken)
                            .with("line", b.line)
                            .with("problem", &b.message)
                            .with("path", log.path().display()),
                    )
                }
                Err(e) => Some(
                    StartupNotice::new(NoticeKind::AuditChainBroken)
                        .with("line", "?")
                        .with("problem", e)
                        .with("path", log.path().display()),
                ),
            };
            if let Some(n) = notice {
                lock(&self.notices).push(n);
            }
        }
        self.checking
            .store(false, std::sync::atomic::Ordering::SeqCst);
    }

    /// The window's language, for the texts the Rust side writes for people.
    pub fn language(&self) -> crate::UiLanguage {
        self.language.get()
    }

    /// The window says which language it shows (at start and on every switch).
    pub fn set_language(&self, language: crate::UiLanguage) {
        self.language.set(language);
    }

    /// The About panel's facts the desk knows (its directories), with the shell's version,
    /// build and shipped components.
    pub fn about(
        &self,
        version: &str,
        build: &str,
        components: Vec<crate::ShippedComponent>,
    ) -> crate::About {
        crate::About {
            version: version.to_owned(),
            build: build.to_owned(),
            config_dir: self.config_dir.display().to_string(),
            data_dir: self.data_dir.display().to_string(),
            audit_log: crate::audit::audit_path(&self.data_dir)
                .display()
                .to_string(),
            components,
        }
    }
}

fn profile_ref(record: &ProfileRecord) -> ProfileRef {
    ProfileRef {
        id: record.id.clone(),
        name: record.name.clone(),
        environment: record.environment,
        merchant_id: record.merchant_id.to_string(),
    }
}

/// Runs blocking work (audit flushes, file reads) off the async runtime.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, DeskError> + Send + 'static,
) -> Result<T, DeskError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| DeskError::internal(format!("a background task failed: {e}")))?
}
