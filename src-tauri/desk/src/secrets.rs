//! Why: merchant passwords and the cache key must live only in the OS keyring (docs/design.md §4),
//! and the keyring is sometimes missing (no Secret Service on a headless Linux box) or locked.
//! [`SecretStore`] is the one seam for secrets: [`KeyringStore`] is the real thing,
//! [`MemoryStore`] the session-only fallback the app uses when [`KeyringStore::probe`] fails.
//!
//! Secrets only go in: nothing here puts a secret into a `Debug`, a `Display`, an error or a log.
//! Keyring errors are mapped to fixed reasons because some of them (`BadEncoding`,
//! `BadDataFormat`) carry the stored bytes.
//!
//! Every call is blocking (keyring's Secret Service path uses zbus' blocking API): callers on an
//! async runtime go through [`blocking`] or the `*_async` helpers, which use
//! `tokio::task::spawn_blocking`, never the executor thread (nor Tauri's main thread).

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use assist::Password;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::{DeskError, ErrorCode};

/// The app identifier, used as the keyring service name (docs/design.md §4).
pub const APP_SERVICE: &str = "ru.carddesk.app";

/// The keyring account of the cache's encryption key.
pub const CACHE_KEY_ACCOUNT: &str = "cache-key";

/// The keyring account of a profile's password: `profile:<id>`.
pub fn profile_account(profile_id: &str) -> String {
    format!("profile:{profile_id}")
}

/// Where secrets are kept, for the UI's banner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum StoreKind {
    /// The OS keyring: secrets survive a restart.
    Keyring,
    /// Process memory: secrets are gone when the app quits.
    Memory,
}

/// A secret store failed. The reasons are fixed texts: they never hold a secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// The OS store cannot be used at all (missing, locked, broken); fall back to memory.
    #[error("the system keyring is not available: {reason}")]
    Unavailable { reason: &'static str },
    /// The store works but refused or could not complete this one request.
    #[error("the system keyring refused the request: {reason}")]
    Refused { reason: &'static str },
}

impl From<SecretError> for DeskError {
    fn from(e: SecretError) -> Self {
        let code = match e {
            SecretError::Unavailable { .. } => ErrorCode::SecretStoreUnavailable,
            SecretError::Refused { .. } => ErrorCode::Internal,
        };
        let ru = match e {
            SecretError::Unavailable { reason } => {
                format!(
                    "системное хранилище паролей недоступно: {}",
                    reason_ru(reason)
                )
            }
            SecretError::Refused { reason } => {
                format!(
                    "системное хранилище паролей отклонило запрос: {}",
                    reason_ru(reason)
                )
            }
        };
        DeskError::new(code, e.to_string()).ru(ru)
    }
}

/// A [`SecretError`]'s fixed reason in Russian (an unknown one as it is).
fn reason_ru(reason: &'static str) -> &'static str {
    match reason {
        "no randomness for the keyring probe" => "нет случайных чисел для проверки хранилища",
        "the keyring did not return what was written to it" => {
            "хранилище вернуло не то, что в него записано"
        }
        "the keyring call could not be started" => "обращение к хранилищу не удалось начать",
        "the keyring is locked or has no default collection" => {
            "хранилище заблокировано или в нём нет связки по умолчанию"
        }
        "the keyring service failed or stopped answering" => {
            "служба хранилища дала сбой или перестала отвечать"
        }
        "no such keyring item" => "такой записи в хранилище нет",
        "the stored secret is not valid UTF-8" => "сохранённый секрет не в кодировке UTF-8",
        "the stored secret is malformed" => "сохранённый секрет повреждён",
        "more than one keyring item matches this account" => {
            "этой учётной записи соответствует больше одной записи хранилища"
        }
        "the keyring refused the account name or value" => {
            "хранилище не приняло имя учётной записи или значение"
        }
        "the keyring reported an unexpected error" => "хранилище сообщило о неожиданной ошибке",
        "the keyring call was cancelled" => "обращение к хранилищу отменено",
        other => other,
    }
}

/// A place for secrets, addressed by account name. Implementations block; see the module note.
pub trait SecretStore: Send + Sync {
    /// The secret of `account`, or `None` when there is none.
    fn get(&self, account: &str) -> Result<Option<Zeroizing<String>>, SecretError>;
    /// Creates or replaces the secret of `account`.
    fn put(&self, account: &str, secret: &str) -> Result<(), SecretError>;
    /// Removes the secret of `account`; removing a missing one is `Ok`.
    fn remove(&self, account: &str) -> Result<(), SecretError>;
    fn kind(&self) -> StoreKind;
}

/// The OS keyring through `keyring` 4 (Secret Service, Keychain or Credential Manager, chosen
/// by the crate once per process).
#[derive(Clone, Debug)]
pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    pub fn new(service: impl Into<String>) -> KeyringStore {
        KeyringStore {
            service: service.into(),
        }
    }

    /// The store under the app's own service name, [`APP_SERVICE`].
    pub fn app() -> KeyringStore {
        KeyringStore::new(APP_SERVICE)
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// Whether the OS store really works: writes, reads back and deletes a probe entry.
    /// Run at start-up so the UI can show a banner and the app can use a [`MemoryStore`].
    pub fn probe(&self) -> Result<(), SecretError> {
        let mut nonce = [0u8; 16];
        getrandom::fill(&mut nonce).map_err(|_| SecretError::Refused {
            reason: "no randomness for the keyring probe",
        })?;
        let account = format!("probe:{}", hex::encode(nonce));
        let value = format!("card-desk-probe-{}", hex::encode(nonce));
        self.put(&account, &value)?;
        let read = self.get(&account);
        let removed = self.remove(&account);
        match read? {
            Some(got) if *got == value => {}
            _ => {
                return Err(SecretError::Unavailable {
                    reason: "the keyring did not return what was written to it",
                });
            }
        }
        removed
    }

    /// Runs `op` on this store's entry for `account`, bounded by [`keyring_timeout`]; when
    /// the keyring fails (not a timeout), reconnects to it and tries once more. A keyring
    /// daemon that stopped and came back leaves the process's connection pointing at the
    /// old one (its session and objects are gone), so without the reconnect every call
    /// would fail until a restart.
    fn call<T: Send + 'static>(
        &self,
        account: &str,
        op: impl Fn(&keyring::Entry) -> Result<T, SecretError> + Send + Sync + 'static,
    ) -> Result<T, SecretError> {
        let op = Arc::new(op);
        let service = self.service.clone();
        let account = account.to_owned();
        let attempt = |reconnect: bool| {
            let (op, service, account) = (op.clone(), service.clone(), account.clone());
            bounded(move || {
                if reconnect {
                    reconnect_default_store();
                }
                let entry = keyring::Entry::new(&service, &account).map_err(map_keyring_error)?;
                op(&entry)
            })
        };
        match attempt(false) {
            Err(SecretError::Unavailable { reason }) if reason != TIMED_OUT => attempt(true),
            done => done,
        }
    }
}

/// The reason given when a keyring call does not return within [`keyring_timeout`].
const TIMED_OUT: &str = "the keyring did not answer in time";

/// How long a keyring call may take: 10 s (unlocking a keyring may show a prompt), or
/// `CARDDESK_KEYRING_TIMEOUT_MS`.
pub fn keyring_timeout() -> std::time::Duration {
    std::env::var("CARDDESK_KEYRING_TIMEOUT_MS")
        .ok()
        .and_then(|ms| ms.trim().parse::<u64>().ok())
        .map_or(
            std::time::Duration::from_secs(10),
            std::time::Duration::from_millis,
        )
}

/// Runs a keyring call on a thread of its own and waits at most [`keyring_timeout`]: a
/// Secret Service that never answers (a D-Bus activation that hangs, a daemon stopped with
/// SIGSTOP) costs the caller that long, never a frozen start-up or window. A call that
/// timed out finishes (or not) on its own thread; its result is dropped.
fn bounded<T: Send + 'static>(
    op: impl FnOnce() -> Result<T, SecretError> + Send + 'static,
) -> Result<T, SecretError> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("keyring-call".into())
        .spawn(move || {
            let _ = tx.send(op());
        })
        .map_err(|_| SecretError::Refused {
            reason: "the keyring call could not be started",
        })?;
    rx.recv_timeout(keyring_timeout())
        .unwrap_or(Err(SecretError::Unavailable { reason: TIMED_OUT }))
}

/// Replaces the `keyring` crate's default store with a new connection to the Secret
/// Service. Serialised: concurrent failures reconnect once each, one after another.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn reconnect_default_store() {
    static RECONNECT: Mutex<()> = Mutex::new(());
    let _one = desk_store::lock(&RECONNECT);
    if let Ok(store) = zbus_secret_service_keyring_store::Store::new() {
        keyring_core::set_default_store(store);
    }
}

/// Keychain and Credential Manager calls open the store each time: nothing to renew.
#[cfg(not(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
)))]
fn reconnect_default_store() {}

impl SecretStore for KeyringStore {
    fn get(&self, account: &str) -> Result<Option<Zeroizing<String>>, SecretError> {
        self.call(account, |entry| match entry.get_password() {
            Ok(secret) => Ok(Some(Zeroizing::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(e)),
        })
    }

    fn put(&self, account: &str, secret: &str) -> Result<(), SecretError> {
        let secret = Zeroizing::new(secret.to_owned());
        self.call(account, move |entry| {
            entry.set_password(&secret).map_err(map_keyring_error)
        })
    }

    fn remove(&self, account: &str) -> Result<(), SecretError> {
        self.call(account, |entry| match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring_error(e)),
        })
    }

    fn kind(&self) -> StoreKind {
        StoreKind::Keyring
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
const NO_STORE: &str = "no Secret Service (D-Bus) is running";
#[cfg(not(all(unix, not(target_os = "macos"))))]
const NO_STORE: &str = "the system keychain could not be opened";

/// Maps a keyring error to a fixed reason. The error is dropped here, never formatted: some
/// variants carry the stored secret's bytes.
fn map_keyring_error(e: keyring::Error) -> SecretError {
    use keyring::Error as K;
    match e {
        K::NoDefaultStore => SecretError::Unavailable { reason: NO_STORE },
        K::NoStorageAccess(_) => SecretError::Unavailable {
            reason: "the keyring is locked or has no default collection",
        },
        K::PlatformFailure(_) => SecretError::Unavailable {
            reason: "the keyring service failed or stopped answering",
        },
        K::NoEntry => SecretError::Refused {
            reason: "no such keyring item",
        },
        K::BadEncoding(_) => SecretError::Refused {
            reason: "the stored secret is not valid UTF-8",
        },
        K::BadDataFormat(..) => SecretError::Refused {
            reason: "the stored secret is malformed",
        },
        K::Ambiguous(_) => SecretError::Refused {
            reason: "more than one keyring item matches this account",
        },
        K::TooLong(..) | K::Invalid(..) => SecretError::Refused {
            reason: "the keyring refused the account name or value",
        },
        _ => SecretError::Refused {
            reason: "the keyring reported an unexpected error",
        },
    }
}

/// Secrets kept in process memory for this session only; never written anywhere. Used when
/// the OS keyring is unavailable, and by tests of code above the trait.
#[derive(Default)]
pub struct MemoryStore {
    secrets: Mutex<HashMap<String, Zeroizing<String>>>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Zeroizing<String>>> {
        // A panic elsewhere cannot leave a map half-updated: every operation is one call.
        desk_store::lock(&self.secrets)
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("entries", &self.lock().len())
            .finish()
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, account: &str) -> Result<Option<Zeroizing<String>>, SecretError> {
        Ok(self.lock().get(account).cloned())
    }

    fn put(&self, account: &str, secret: &str) -> Result<(), SecretError> {
        self.lock()
            .insert(account.to_owned(), Zeroizing::new(secret.to_owned()));
        Ok(())
    }

    fn remove(&self, account: &str) -> Result<(), SecretError> {
        self.lock().remove(account);
        Ok(())
    }

    fn kind(&self) -> StoreKind {
        StoreKind::Memory
    }
}

/// The store the app should use, and why it is not the keyring when it is not.
#[derive(Clone)]
pub struct ChosenStore {
    pub store: Arc<dyn SecretStore>,
    /// Set when the keyring failed its probe and secrets are kept in memory instead.
    pub fallback_reason: Option<SecretError>,
}

impl fmt::Debug for ChosenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChosenStore")
            .field("kind", &self.store.kind())
            .field("fallback_reason", &self.fallback_reason)
            .finish()
    }
}

/// Probes the keyring under `service`; returns it when it works, else a [`MemoryStore`] with
/// the reason to show. Blocking.
pub fn choose_store(service: &str) -> ChosenStore {
    let keyring = KeyringStore::new(service);
    match keyring.probe() {
        Ok(()) => ChosenStore {
            store: Arc::new(keyring),
            fallback_reason: None,
        },
        Err(e) => ChosenStore {
            store: Arc::new(MemoryStore::new()),
            fallback_reason: Some(e),
        },
    }
}

/// Runs `op` against `store` on tokio's blocking pool.
pub async fn blocking<T, F>(store: Arc<dyn SecretStore>, op: F) -> Result<T, SecretError>
where
    T: Send + 'static,
    F: FnOnce(&dyn SecretStore) -> Result<T, SecretError> + Send + 'static,
{
    tokio::task::spawn_blocking(move || op(store.as_ref()))
        .await
        .map_err(|_| SecretError::Refused {
            reason: "the keyring call was cancelled",
        })?
}

/// [`SecretStore::get`] off the async executor.
pub async fn get_async(
    store: Arc<dyn SecretStore>,
    account: String,
) -> Result<Option<Zeroizing<String>>, SecretError> {
    blocking(store, move |s| s.get(&account)).await
}

/// [`SecretStore::put`] off the async executor; the secret is zeroized after the call.
pub async fn put_async(
    store: Arc<dyn SecretStore>,
    account: String,
    secret: Zeroizing<String>,
) -> Result<(), SecretError> {
    blocking(store, move |s| s.put(&account, &secret)).await
}

/// [`SecretStore::remove`] off the async executor.
pub async fn remove_async(store: Arc<dyn SecretStore>, account: String) -> Result<(), SecretError> {
    blocking(store, move |s| s.remove(&account)).await
}

/// Validates a profile's password (assist's rule: 1–30 characters) and saves it under
/// [`profile_account`]. The UI can set or replace a password, never read one back.
pub fn save_profile_password(
    store: &dyn SecretStore,
    profile_id: &str,
    password: &str,
) -> Result<(), DeskError> {
    Password::new(password)?;
    store.put(&profile_account(profile_id), password)?;
    Ok(())
}

/// The profile's password for opening a [`crate::Desk`], or `None` when none is saved.
pub fn load_profile_password(
    store: &dyn SecretStore,
    profile_id: &str,
) -> Result<Option<Password>, DeskError> {
    match store.get(&profile_account(profile_id))? {
        Some(secret) => Ok(Some(Password::new(secret.as_str())?)),
        None => Ok(None),
    }
}
