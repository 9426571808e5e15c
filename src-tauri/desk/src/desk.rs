//! The desk: everything the app does for a support agent, behind one type that the Tauri
//! shell's commands call one line at a time. It owns the profiles file, the secret store, the
//! encrypted cache, the audit log, the recent-customer indexes, one gateway client per profile
//! and the card-art fetcher. Blocking work (keyring, audit flushes) is moved off the async
//! runtime. Revocations run the shared workflow of [`crate::revoke`].

mod jobs;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use assist::{
    BaseUrl, Card, Client, ClientConfig, CustomerNumber, Language, Login, MerchantId, Password,
};
use card_art::{ArtFetcher, ArtPolicy};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use zeroize::Zeroizing;

use crate::audit::{
    AuditAction, AuditEntry, AuditLog, AuditPage, AuditQuery, EntryDraft, ExportFormat, Operator,
    ProfileRef, Verification,
};
use crate::cache::{CARDS, Cache, Cached, Media, UnixMs, now_ms};
use crate::error::{DeskError, ErrorCode};
use crate::lookup::{ConnectionCheck, Lookup, ProfileLookup, Source, Verdict};
use crate::notice::{NoticeKind, StartupNotice};
use crate::profile::Environment;
use crate::profiles::{
    PRESETS, ProfileDraft, ProfileRecord, Profiles, SANDBOX_PROFILE_ID, Settings,
};
use crate::recent::{RecentCustomer, RecentIndex};
use crate::revoke::{
    Recovery, Revocation, RevokeAllItem, RevokeAllRequest, RevokePolicy, RevokeRequest, Revoker,
};
use crate::secrets::{self, ChosenStore, SecretError, SecretStore, profile_account};
use crate::status::{DeskStatus, PresetView, ProfileView, SecretStoreStatus};
use crate::view::{CardView, parse_art_key};

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
    notices: Vec<StartupNotice>,
}

pub use jobs::{BulkCard, BulkDraft, BulkRow, JobAction, JobPhase, JobView, RowPage};

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

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
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
    /// Opens the profiles file and the cache. Blocking (the cache key is read from the
    /// keyring): call it from a blocking context.
    pub fn open(config: DeskConfig) -> Result<Desk, DeskError> {
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
            crate::private_fs::create_private_dir(dir).map_err(|e| DeskError {
                code: ErrorCode::Internal,
                message: format!("{}: {e}", dir.display()),
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
        // The open checks only the log's tail: damage in the middle is found here, by one
        // streaming pass over the chain, and shown at once rather than at the next Verify.
        if let Ok(log) = &audit {
            match crate::audit::first_break(log.path()) {
                Ok(None) => {}
                Ok(Some(b)) => {
                    // The audit view's index was made from the log before the damage was
                    // found: drop it, so the view's next page files entries as they are now.
                    let _ = std::fs::remove_file(log.index_path());
                    notices.push(
                        StartupNotice::new(NoticeKind::AuditChainBroken)
                            .with("line", b.line)
                            .with("problem", &b.message)
                            .with("path", log.path().display()),
                    )
                }
                Err(e) => notices.push(
                    StartupNotice::new(NoticeKind::AuditChainBroken)
                        .with("line", "?")
                        .with("problem", e)
                        .with("path", log.path().display()),
                ),
            }
        }
        let interrupted = jobs::interrupted(&config.data_dir);
        if !interrupted.is_empty() {
            notices.push(
                StartupNotice::new(NoticeKind::JobsInterrupted)
                    .with("n", interrupted.len())
                    .with("names", interrupted.join(", ")),
            );
        }
        Ok(Desk {
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
            notices,
        })
    }

    fn record(&self, id: &str) -> Result<(ProfileRecord, bool), DeskError> {
        if let Some(s) = self.sandbox.as_ref().filter(|s| s.id == id) {
            return Ok((s.clone(), true));
        }
        lock(&self.profiles)
            .get(id)
            .cloned()
            .map(|r| (r, false))
            .ok_or_else(|| DeskError {
                code: ErrorCode::NotFound,
                message: format!("profile {id}: no such profile"),
            })
    }

    fn all_records(&self) -> Vec<(ProfileRecord, bool)> {
        let mut all: Vec<_> = self.sandbox.iter().map(|s| (s.clone(), true)).collect();
        all.extend(
            lock(&self.profiles)
                .list()
                .iter()
                .map(|r| (r.clone(), false)),
        );
        all
    }

    /// The active profile: the stored choice if it still exists, else the sandbox, else the
    /// first profile.
    pub fn active_id(&self) -> Result<String, DeskError> {
        let stored = lock(&self.profiles).active_id().map(str::to_owned);
        let all = self.all_records();
        if let Some(id) = stored.filter(|id| all.iter().any(|(r, _)| &r.id == id)) {
            return Ok(id);
        }
        all.first()
            .map(|(r, _)| r.id.clone())
            .ok_or_else(|| DeskError {
                code: ErrorCode::NotFound,
                message: "no profile yet: add one in Settings".into(),
            })
    }

    fn settings(&self) -> Settings {
        lock(&self.profiles).settings()
    }

    /// Whether a password is stored for profile `id`; `None` when the keyring could not be
    /// asked (not the same as "no password": the UI says the status is unknown).
    async fn has_password(&self, id: &str) -> Option<bool> {
        let account = profile_account(id);
        secrets::blocking(self.secrets.clone(), move |s| s.get(&account))
            .await
            .map(|p| p.is_some())
            .ok()
    }

    pub async fn status(&self) -> Result<DeskStatus, DeskError> {
        let mut profiles = Vec::new();
        for (record, built_in) in self.all_records() {
            let has_password = if built_in {
                Some(true)
            } else {
                self.has_password(&record.id).await
            };
            profiles.push(ProfileView::new(&record, built_in, has_password));
        }
        Ok(DeskStatus {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            secret_store: self.secret_status.clone(),
            active_profile_id: self.active_id()?,
            profiles,
            settings: self.settings(),
            presets: PRESETS.iter().map(PresetView::from).collect(),
            audit_problem: self.audit_problem(),
            recovering: self.recovering.load(std::sync::atomic::Ordering::SeqCst),
            notices: self.notices.clone(),
        })
    }

    /// Creates (no `id`) or updates a profile, and sets its password when one is given. The
    /// password is checked first, so a bad one saves nothing.
    pub async fn save_profile(
        &self,
        id: Option<&str>,
        draft: &ProfileDraft,
        password: Option<String>,
    ) -> Result<ProfileView, DeskError> {
        let password = password.filter(|p| !p.is_empty()).map(Zeroizing::new);
        if let Some(p) = &password {
            Password::new(p.as_str())?;
        }
        if id == Some(SANDBOX_PROFILE_ID) {
            return Err(DeskError {
                code: ErrorCode::Validation,
                message: "profile: the built-in sandbox profile cannot be changed".into(),
            });
        }
        let record = {
            let mut profiles = lock(&self.profiles);
            match id {
                Some(id) => profiles.update(id, draft)?,
                None => profiles.create(draft)?,
            }
        };
        lock(&self.clients).remove(&record.id);
        if let Some(password) = password {
            self.put_password(&record.id, password).await?;
        }
        let has_password = self.has_password(&record.id).await;
        Ok(ProfileView::new(&record, false, has_password))
    }

    /// Stores an already validated password in the secret store (only ever written, never read
    /// back to the UI).
    async fn put_password(&self, id: &str, password: Zeroizing<String>) -> Result<(), DeskError> {
        let account = profile_account(id);
        secrets::blocking(self.secrets.clone(), move |s| {
            s.put(&account, password.as_str())
        })
        .await?;
        lock(&self.clients).remove(id);
        Ok(())
    }

    pub async fn set_password(&self, id: &str, password: String) -> Result<(), DeskError> {
        let (_, built_in) = self.record(id)?;
        if built_in {
            return Err(DeskError {
                code: ErrorCode::Validation,
                message: "password: the sandbox profile uses the demo credentials".into(),
            });
        }
        let password = Zeroizing::new(password);
        Password::new(password.as_str())?;
        self.put_password(id, password).await
    }

    pub async fn clear_password(&self, id: &str) -> Result<(), DeskError> {
        let account = profile_account(id);
        secrets::blocking(self.secrets.clone(), move |s| s.remove(&account)).await?;
        lock(&self.clients).remove(id);
        Ok(())
    }

    pub async fn delete_profile(&self, id: &str) -> Result<(), DeskError> {
        if id == SANDBOX_PROFILE_ID {
            return Err(DeskError {
                code: ErrorCode::Validation,
                message: "profile: the built-in sandbox profile cannot be deleted".into(),
            });
        }
        lock(&self.profiles).delete(id)?;
        self.clear_password(id).await
    }

    pub fn activate(&self, id: &str) -> Result<(), DeskError> {
        self.record(id)?;
        lock(&self.profiles).set_active(id)
    }

    pub fn save_settings(&self, settings: Settings) -> Result<Settings, DeskError> {
        let mut profiles = lock(&self.profiles);
        profiles.set_settings(settings)?;
        Ok(profiles.settings())
    }

    async fn client(&self, record: &ProfileRecord, built_in: bool) -> Result<Client, DeskError> {
        if let Some(c) = lock(&self.clients).get(&record.id) {
            return Ok(c.clone());
        }
        let password = if built_in {
            Password::new(SANDBOX_PASSWORD)?
        } else {
            let account = profile_account(&record.id);
            let secret = secrets::blocking(self.secrets.clone(), move |s| s.get(&account)).await?;
            match secret {
                Some(p) => Password::new(p.as_str())?,
                None => {
                    return Err(DeskError {
                        code: ErrorCode::CredentialsMissing,
                        message: format!(
                            "profile {}: no password is set; add it in Settings",
                            record.name
                        ),
                    });
                }
            }
        };
        let mut config = ClientConfig::new(
            record.base_url.clone(),
            record.merchant_id.clone(),
            record.login.clone(),
            password,
        );
        config.language = Some(record.language);
        let client = Client::new(config)?;
        lock(&self.clients).insert(record.id.clone(), client.clone());
        Ok(client)
    }

    /// One lookup of a probe customer, explained.
    pub async fn test_connection(&self, id: &str) -> Result<ConnectionCheck, DeskError> {
        let (record, built_in) = self.record(id)?;
        let client = match self.client(&record, built_in).await {
            Ok(c) => c,
            Err(e) if e.code == ErrorCode::CredentialsMissing => {
                return Ok(ConnectionCheck {
                    verdict: Verdict::NoPassword,
                    message: e.message,
                });
            }
            Err(e) => return Err(e),
        };
        let probe = CustomerNumber::new(PROBE_CUSTOMER)?;
        let (verdict, message) = match client.list_cards(&probe).await {
            Ok(_) => (
                Verdict::Ok,
                "the gateway accepted the credentials".to_owned(),
            ),
            Err(e) => {
                let verdict = match e.fault().and_then(|f| f.first) {
                    Some(7) => Verdict::BadCredentials,
                    Some(8 | 14 | 19) => Verdict::NoAccess,
                    Some(10) => Verdict::Ok,
                    Some(_) => Verdict::Failed,
                    None if matches!(e, assist::Error::Transport { .. }) => Verdict::Unreachable,
                    None => Verdict::Failed,
                };
                (verdict, e.to_string())
            }
        };
        Ok(ConnectionCheck { verdict, message })
    }

    fn remember_art(&self, views: &[CardView]) {
        let mut keys = lock(&self.art_keys);
        for v in views {
            for a in [
                &v.art.combined,
                &v.art.background,
                &v.art.brand_logo,
                &v.art.issuer_logo,
                &v.art.co_brand_logo,
                &v.art.icon,
                &v.art.terms,
            ]
            .into_iter()
            .flatten()
            {
                keys.insert(a.key.clone(), a.media_type.clone());
            }
        }
    }

    fn view(
        &self,
        record: &ProfileRecord,
        customer: &str,
        cached: &Cached<Vec<Card>>,
        source: Source,
        stale: bool,
        offline_reason: Option<String>,
    ) -> Lookup {
        let today = today(now_ms());
        let cards: Vec<CardView> = cached
            .value
            .iter()
            .map(|c| CardView::new(&record.id, c, today))
            .collect();
        self.remember_art(&cards);
        Lookup {
            profile_id: record.id.clone(),
            profile_name: record.name.clone(),
            environment: record.environment,
            customer: customer.to_owned(),
            cards,
            fetched_at: rfc3339(cached.fetched_at),
            source,
            stale,
            offline_reason,
        }
    }

    /// Looks a customer up in the active profile.
    pub async fn lookup(&self, customer: &str, refresh: bool) -> Result<Lookup, DeskError> {
        let id = self.active_id()?;
        self.lookup_in(&id, customer, refresh).await
    }

    /// Cache first while fresh (unless `refresh`); else the gateway, caching the answer; when
    /// the gateway cannot be reached, the cached cards flagged as offline.
    pub async fn lookup_in(
        &self,
        profile_id: &str,
        customer: &str,
        refresh: bool,
    ) -> Result<Lookup, DeskError> {
        let (record, built_in) = self.record(profile_id)?;
        let customer = CustomerNumber::new(customer.trim())?;
        let settings = self.settings();
        let max_age = Duration::from_secs(u64::from(settings.freshness_minutes) * 60);
        let cached: Option<Cached<Vec<Card>>> = self
            .cache
            .get(CARDS, &record.id, customer.as_str())
            .unwrap_or(None);
        if !refresh && let Some(c) = cached.as_ref().filter(|c| c.is_fresh(max_age, now_ms())) {
            let view = self.view(&record, customer.as_str(), c, Source::Cache, false, None);
            return self.seen(&record, &settings, view).await;
        }
        let client = self.client(&record, built_in).await?;
        match client.list_cards(&customer).await {
            Ok(cards) => {
                let fetched = Cached {
                    value: cards,
                    fetched_at: now_ms(),
                };
                self.cache.put_at(
                    CARDS,
                    &record.id,
                    customer.as_str(),
                    &fetched.value,
                    fetched.fetched_at,
                )?;
                if settings.record_lookups {
                    let count = u32::try_from(fetched.value.len()).unwrap_or(u32::MAX);
                    let entry = self
                        .cache
                        .record_lookup(&record.id, customer.as_str(), count)?;
                    self.with_recent(&record.id, |r| r.touch(entry));
                }
                let view = self.view(
                    &record,
                    customer.as_str(),
                    &fetched,
                    Source::Live,
                    false,
                    None,
                );
                self.seen(&record, &settings, view).await
            }
            Err(
                e @ (assist::Error::Transport { .. } | assist::Error::UnexpectedResponse { .. }),
            ) => match cached {
                Some(c) => {
                    let stale = !c.is_fresh(max_age, now_ms());
                    let view = self.view(
                        &record,
                        customer.as_str(),
                        &c,
                        Source::Cache,
                        stale,
                        Some(e.to_string()),
                    );
                    self.seen(&record, &settings, view).await
                }
                None => Err(e.into()),
            },
            Err(e) => Err(e.into()),
        }
    }

    /// The same customer number in every profile that can be asked, side by side.
    pub async fn lookup_all(&self, customer: &str) -> Vec<ProfileLookup> {
        let records = self.all_records();
        let lookups = records
            .iter()
            .map(|(r, _)| self.lookup_in(&r.id, customer, true));
        let results = futures_util::future::join_all(lookups).await;
        records
            .into_iter()
            .zip(results)
            .map(|((r, _), result)| {
                let (lookup, error) = match result {
                    Ok(l) => (Some(l), None),
                    Err(e) => (None, Some(e)),
                };
                ProfileLookup {
                    profile_id: r.id,
                    profile_name: r.name,
                    environment: r.environment,
                    lookup,
                    error,
                }
            })
            .collect()
    }

    /// Runs `f` on a profile's recent index, loading it from the cache on first use.
    fn with_recent<T>(&self, profile_id: &str, f: impl FnOnce(&mut RecentIndex) -> T) -> T {
        let mut all = lock(&self.recent);
        let index = all
            .entry(profile_id.to_owned())
            .or_insert_with(|| RecentIndex::load(&self.cache, profile_id).unwrap_or_default());
        f(index)
    }

    /// Recent customers of the active profile whose number contains `query`, newest first.
    pub fn recent(&self, query: &str) -> Result<Vec<RecentCustomer>, DeskError> {
        let id = self.active_id()?;
        Ok(self.with_recent(&id, |r| r.filter(query, RECENT_LIMIT)))
    }

    /// Removes every trace of one customer of the active profile from the cache.
    pub fn forget_customer(&self, customer: &str) -> Result<(), DeskError> {
        let id = self.active_id()?;
        let customer = customer.trim();
        self.cache.forget_customer(&id, customer)?;
        self.with_recent(&id, |r| r.remove(customer));
        self.cache.flush()?;
        Ok(())
    }

    /// Empties the cache (cards, media, recent customers); profiles and the audit log stay.
    pub fn clear_cache(&self) -> Result<(), DeskError> {
        self.cache.clear()?;
        lock(&self.recent).clear();
        Ok(())
    }

    /// Card art for an art key handed out with a card list: from the cache, else fetched by
    /// the Rust side under the profile's policy (loopback only for the built-in sandbox).
    pub async fn art(&self, key: &str) -> Result<Media, DeskError> {
        let declared = lock(&self.art_keys).get(key).cloned();
        let (Some(declared), Some((profile_id, url))) = (declared, parse_art_key(key)) else {
            return Err(DeskError {
                code: ErrorCode::NotFound,
                message: "card art: unknown key".into(),
            });
        };
        if let Ok(Some(m)) = self.cache.get_media(&url) {
            return Ok(m.value);
        }
        let (_, built_in) = self.record(&profile_id)?;
        let policy = if built_in {
            ArtPolicy::sandbox()
        } else {
            ArtPolicy::production()
        };
        let art = self
            .art
            .fetch_declared(&url, Some(&declared), &policy)
            .await
            .map_err(|e| DeskError {
                code: ErrorCode::Transport,
                message: format!("card art: {e}"),
            })?;
        let media = Media {
            content_type: art.content_type.to_owned(),
            bytes: art.bytes,
        };
        self.cache.put_media(&url, &media)?;
        Ok(media)
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
    pub fn notices(&self) -> &[StartupNotice] {
        &self.notices
    }

    /// Records a `viewed_customer` entry (when the setting is on) before the view is shown.
    async fn seen(
        &self,
        record: &ProfileRecord,
        settings: &Settings,
        view: Lookup,
    ) -> Result<Lookup, DeskError> {
        if !settings.record_views {
            return Ok(view);
        }
        let audit = self.audit_log()?;
        let mut draft = EntryDraft::new(Self::operator(settings), AuditAction::ViewedCustomer);
        draft.profile = Some(profile_ref(record));
        draft.customer = Some(view.customer.clone());
        let n = view.cards.len();
        let source = match (view.source, view.offline_reason.is_some()) {
            (Source::Live, _) => "fetched from the gateway",
            (Source::Cache, false) => "from the cache",
            (Source::Cache, true) => "from the cache (the gateway could not be reached)",
        };
        draft.detail = Some(format!(
            "{n} card{} shown, {source}",
            if n == 1 { "" } else { "s" }
        ));
        blocking(move || audit.append(draft).map_err(DeskError::from)).await?;
        Ok(view)
    }

    /// The revoke workflow for one profile, with this desk's cache and settings.
    pub async fn revoker(&self, profile_id: &str) -> Result<Revoker, DeskError> {
        let (record, built_in) = self.record(profile_id)?;
        let audit = self.audit_log()?;
        let client = self.client(&record, built_in).await?;
        let settings = self.settings();
        Ok(Revoker::new(
            client,
            profile_ref(&record),
            audit,
            Self::operator(&settings),
        )
        .with_cache(self.cache.clone())
        .with_policy(RevokePolicy {
            require_ticket: settings.require_ticket,
        }))
    }

    /// Revokes one card (see [`crate::revoke`]): validated, audited, sent once, read back.
    pub async fn revoke(&self, request: &RevokeRequest) -> Result<Revocation, DeskError> {
        self.revoker(&request.profile_id)
            .await?
            .revoke(request)
            .await
    }

    /// Revokes every card of a customer (erasure requests), one workflow per card.
    pub async fn revoke_all(
        &self,
        request: &RevokeAllRequest,
    ) -> Result<Vec<RevokeAllItem>, DeskError> {
        self.revoker(&request.profile_id)
            .await?
            .revoke_all(request)
            .await
    }

    /// Settles intents left without an outcome by a previous run, by re-reading card lists
    /// (never sending a removal). The shell calls it right after [`Desk::open`]; intents whose
    /// profile is gone or cannot be reached stay open and are reported.
    pub async fn recover_open_intents(&self) -> Result<Recovery, DeskError> {
        self.recovering
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let done = self.recover_open_intents_now().await;
        self.recovering
            .store(false, std::sync::atomic::Ordering::SeqCst);
        done
    }

    /// [`Desk::recover_open_intents`] in the background, so that start-up never waits on the
    /// gateway; [`DeskStatus::recovering`] is set from the moment this returns until it ends.
    pub fn recover_in_background(self: &Arc<Desk>) {
        self.recovering
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let desk = self.clone();
        tokio::spawn(async move {
            if let Err(e) = desk.recover_open_intents().await {
                eprintln!("card desk: open revocations could not be settled yet: {e}");
            }
        });
    }

    async fn recover_open_intents_now(&self) -> Result<Recovery, DeskError> {
        let audit = self.audit_log()?;
        let intents = blocking(move || audit.open_intents().map_err(DeskError::from)).await?;
        let mut by_profile: Vec<(Option<String>, Vec<AuditEntry>)> = Vec::new();
        for intent in intents {
            match by_profile.iter_mut().find(|(p, _)| *p == intent.profile_id) {
                Some((_, list)) => list.push(intent),
                None => by_profile.push((intent.profile_id.clone(), vec![intent])),
            }
        }
        let mut recovery = Recovery::default();
        for (profile_id, intents) in by_profile {
            let revoker = match profile_id {
                Some(id) => self.revoker(&id).await,
                None => Err(DeskError::internal("the intent names no profile")),
            };
            match revoker {
                Ok(r) => recovery.extend(r.recover(&intents).await),
                Err(e) => {
                    for intent in &intents {
                        recovery.leave_open(intent, e.message.clone());
                    }
                }
            }
        }
        Ok(recovery)
    }

    /// "Check again" on a removal whose outcome is unknown (or was never written): re-reads
    /// the card list and settles intent `intent_seq` with a `recovered_outcome` linked to it,
    /// unless its removal is still in flight or too recent to call (then it stays open and
    /// the reason comes back in `left_open`). Never sends a removal.
    pub async fn check_removal(&self, intent_seq: u64) -> Result<Recovery, DeskError> {
        let audit = self.audit_log()?;
        let intents = blocking(move || audit.open_intents().map_err(DeskError::from)).await?;
        let Some(intent) = intents.into_iter().find(|i| i.seq == intent_seq) else {
            return Err(DeskError {
                code: ErrorCode::Validation,
                message: format!(
                    "intent: {intent_seq} is not an open removal (it is settled already, or \
                     no such intent exists)"
                ),
            });
        };
        let Some(profile_id) = intent.profile_id.clone() else {
            return Err(DeskError::internal("the intent names no profile"));
        };
        let revoker = self.revoker(&profile_id).await?;
        Ok(revoker.recover(std::slice::from_ref(&intent)).await)
    }

    /// Checks the audit log's chain and names the first broken entry.
    pub async fn audit_verify(&self) -> Result<Verification, DeskError> {
        let audit = self.audit_log()?;
        blocking(move || audit.verify().map_err(DeskError::from)).await
    }

    /// The audit log's length in bytes, its segments included: it grows with every entry,
    /// whoever appends it (the CLI, a bulk job), so the audit view asks for this cheaply and
    /// reloads when it changes (an archive run makes it shrink, which is a change too).
    pub async fn audit_size(&self) -> Result<u64, DeskError> {
        let audit = self.audit_log()?;
        blocking(move || audit.size().map_err(DeskError::from)).await
    }

    /// One page of audit entries, newest first.
    pub async fn audit_query(&self, query: AuditQuery) -> Result<AuditPage, DeskError> {
        let audit = self.audit_log()?;
        blocking(move || audit.query(&query)).await
    }

    /// Exports the whole audit log to a new file at `dest`; returns the number of entries.
    pub async fn audit_export(
        &self,
        format: ExportFormat,
        dest: PathBuf,
    ) -> Result<u64, DeskError> {
        let audit = self.audit_log()?;
        blocking(move || audit.export_to_path(format, &dest).map_err(DeskError::from)).await
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
