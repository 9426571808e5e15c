//! Why: a support agent must see a customer's cards in milliseconds and offline from the last
//! lookup (docs/design.md §4, §7), yet customer numbers and card tokens are sensitive. The cache is
//! a sled database in the app data dir whose values are sealed with the cache key from the
//! keyring and whose keys are keyed hashes — no customer number, bank name or token is on disk
//! in the clear.
//!
//! Trees (profiles and the audit log live elsewhere and are never touched): `cards` (values
//! per profile, customer and kind), `recent` (one [`RecentCustomer`] per profile and customer),
//! `media` (card art per URL, shared by all customers) and `meta` (a sealed constant that tells
//! at open whether the stored data was written under another key, and the window's last drawn
//! first view, which lists recent customers). The value format and key
//! layout are in `cache/record.rs`.
//!
//! A value that does not open (corruption, unknown version, moved to another slot) counts as
//! missing and is counted in [`Cache::unreadable`]. Under a wrong key (the keyring was reset)
//! every index tag differs too, so old entries are simply never found; the key check catches
//! that at open, and [`Cache::unreadable`] then starts at the number of stored entries.
//! [`Cache::clear`] recovers in both cases.
//!
//! Every method blocks (disk, and the keyring in [`Cache::open`]); async callers use
//! `spawn_blocking`. sled allows one open per directory: a second open is
//! [`CacheError::AlreadyOpen`].

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::crypto::{CacheKey, KeyOrigin};
use crate::secrets::{SecretError, SecretStore};
use crate::{DeskError, ErrorCode};

mod record;

use record::{Opened, Records};

/// One customer this profile looked up before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RecentCustomer {
    pub customer: String,
    /// When it was last looked up, unix ms UTC.
    pub last_lookup: UnixMs,
    /// How many cards that lookup found.
    pub card_count: u32,
}

/// The on-disk value format this build writes and reads.
pub const FORMAT_VERSION: u8 = 1;

/// The cache's directory name inside the app data dir.
pub const CACHE_DIR_NAME: &str = "cache.sled";

/// The kind under which card lists are cached.
pub const CARDS: &str = "cards";

/// Milliseconds since the Unix epoch, UTC.
pub type UnixMs = i64;

/// Now, in [`UnixMs`].
pub fn now_ms() -> UnixMs {
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    i64::try_from(nanos / 1_000_000).unwrap_or(i64::MAX)
}

/// How far in the future a cached value's fetch time may lie and still count (clocks of one
/// machine step a little, e.g. an NTP correction); beyond it the value is stale.
pub const FUTURE_SKEW: Duration = Duration::from_secs(5 * 60);

/// A cached value and when it was fetched from the gateway.
#[derive(Clone, Debug, PartialEq)]
pub struct Cached<T> {
    pub value: T,
    pub fetched_at: UnixMs,
}

impl<T> Cached<T> {
    /// Whether the value is younger than `max_age` at `now` (the UI's "stale" badge). A value
    /// dated more than [`FUTURE_SKEW`] after `now` is stale: it was fetched while the clock ran
    /// ahead, and its age cannot be known (it would otherwise look fresh until the clock
    /// caught up — a year, say).
    pub fn is_fresh(&self, max_age: Duration, now: UnixMs) -> bool {
        let max = i64::try_from(max_age.as_millis()).unwrap_or(i64::MAX);
        let skew = i64::try_from(FUTURE_SKEW.as_millis()).unwrap_or(i64::MAX);
        if self.fetched_at > now.saturating_add(skew) {
            return false;
        }
        now.saturating_sub(self.fetched_at) <= max
    }
}

/// Card art as fetched: the sniffed content type and the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Media {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl fmt::Debug for Media {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Media")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("Card Desk is already running with this data directory ({})", path.display())]
    AlreadyOpen { path: PathBuf },
    #[error(transparent)]
    Secrets(#[from] SecretError),
    #[error("the cache database failed: {0}")]
    Storage(String),
    #[error("the value could not be encoded for the cache")]
    Encode,
}

impl From<sled::Error> for CacheError {
    fn from(e: sled::Error) -> Self {
        // sled's errors name paths and I/O causes, never a stored value.
        CacheError::Storage(e.to_string())
    }
}

impl From<CacheError> for DeskError {
    fn from(e: CacheError) -> Self {
        match e {
            CacheError::Secrets(s) => s.into(),
            CacheError::AlreadyOpen { ref path } => {
                let ru = format!(
                    "Card Desk уже запущен с этой папкой данных ({})",
                    path.display()
                );
                DeskError::new(ErrorCode::Internal, e.to_string()).ru(ru)
            }
            CacheError::Storage(ref detail) => {
                let ru = format!("сбой базы данных кэша: {detail}");
                DeskError::new(ErrorCode::Internal, e.to_string()).ru(ru)
            }
            CacheError::Encode => DeskError::new(ErrorCode::Internal, e.to_string())
                .ru("значение не удалось закодировать для кэша"),
        }
    }
}

/// The encrypted local cache. Cheap to share behind an `Arc`; sled synchronises internally.
pub struct Cache {
    db: sled::Db,
    cards: sled::Tree,
    recent: sled::Tree,
    media: sled::Tree,
    meta: sled::Tree,
    records: Records,
    key_matches_data: AtomicBool,
    key_origin: KeyOrigin,
    unreadable: AtomicU64,
    rebuilt: AtomicBool,
    /// Where the database is, for the generation written at close.
    dir: Option<PathBuf>,
}

impl Drop for Cache {
    /// A clean close raises the generation past every write of this session, so a database
    /// that later loses any of them (cut short on disk) is caught at the next open.
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            let stored = self
                .meta
                .get(GENERATION)
                .ok()
                .flatten()
                .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
                .map_or(0, u64::from_le_bytes);
            let _ = self.raise_generation(&dir, stored + 1);
        }
    }
}

impl fmt::Debug for Cache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cache")
            .field("key_origin", &self.key_origin)
            .field("key_matches_data", &self.key_matches_data())
            .field("unreadable", &self.unreadable())
            .finish_non_exhaustive()
    }
}

const TREE_CARDS: &[u8] = b"cards";
const TREE_RECENT: &[u8] = b"recent";
const TREE_MEDIA: &[u8] = b"media";
const TREE_META: &[u8] = b"meta";
const KEY_CHECK: &[u8] = b"key-check";
const KEY_CHECK_TEXT: &[u8] = b"Card Desk cache key check v1";
/// In `meta`: the window's last drawn first view (sealed: it names customers; the shell's
/// `first_view.rs` says what it is and when it may be shown).
const FIRST_FRAME: &[u8] = b"first-frame";
/// In `meta`: the generation this database reached (u64, little-endian; not secret).
const GENERATION: &[u8] = b"generation";
/// Beside sled's files: the generation the database was last known to have reached.
pub const GENERATION_FILE: &str = "carddesk-generation";

impl Cache {
    /// Opens (or creates) the cache at `dir`, typically `<app data dir>/`[`CACHE_DIR_NAME`],
    /// with its key from `secrets` (made and saved on first open). Blocking.
    pub fn open(dir: &Path, secrets: &dyn SecretStore) -> Result<Cache, CacheError> {
        // The database first: a second instance must fail before it touches the keyring.
        let db = open_db(dir)?;
        let (key, origin) = CacheKey::load_or_create(secrets)?;
        let mut cache = Cache::with_db(db, &key, origin)?;
        cache.check_generation(dir)?;
        cache.dir = Some(dir.to_path_buf());
        Ok(cache)
    }

    /// Opens the cache at `dir` with a key the caller holds (tests, tools).
    pub fn open_with_key(dir: &Path, key: &CacheKey) -> Result<Cache, CacheError> {
        let mut cache = Cache::with_db(open_db(dir)?, key, KeyOrigin::Loaded)?;
        cache.check_generation(dir)?;
        cache.dir = Some(dir.to_path_buf());
        Ok(cache)
    }

    fn with_db(db: sled::Db, key: &CacheKey, key_origin: KeyOrigin) -> Result<Cache, CacheError> {
        let cache = Cache {
            cards: db.open_tree(TREE_CARDS)?,
            recent: db.open_tree(TREE_RECENT)?,
            media: db.open_tree(TREE_MEDIA)?,
            meta: db.open_tree(TREE_META)?,
            db,
            records: Records::new(key),
            key_matches_data: AtomicBool::new(true),
            key_origin,
            unreadable: AtomicU64::new(0),
            rebuilt: AtomicBool::new(false),
            dir: None,
        };
        match cache.meta.get(KEY_CHECK)? {
            None => cache.write_key_check()?,
            Some(raw) => {
                let opened = cache.records.open(TREE_META, KEY_CHECK, &raw);
                if opened.is_none_or(|(_, text)| text.as_slice() != KEY_CHECK_TEXT) {
                    // Written under another key: nothing stored can be read. Keep the old
                    // check until clear(), so a later open with the old key still works.
                    cache.key_matches_data.store(false, Ordering::Relaxed);
                    let stale = cache.cards.len() + cache.recent.len() + cache.media.len();
                    cache.unreadable.store(stale as u64, Ordering::Relaxed);
                }
            }
        }
        Ok(cache)
    }

    fn write_key_check(&self) -> Result<(), CacheError> {
        self.write(&self.meta, TREE_META, KEY_CHECK, now_ms(), KEY_CHECK_TEXT)
    }

    /// `false` when the stored data was written under another key (the keyring entry was
    /// reset or replaced): none of it can be read, and the app should offer "Clear cache".
    pub fn key_matches_data(&self) -> bool {
        self.key_matches_data.load(Ordering::Relaxed)
    }

    /// Whether the database was found damaged at open (it lost writes it had made durable:
    /// cut short on disk) and was rebuilt empty.
    pub fn rebuilt(&self) -> bool {
        self.rebuilt.load(Ordering::Relaxed)
    }

    /// sled recovers a database file cut short silently, keeping what it can read. To tell,
    /// each open and each close raises a generation number both in the database and in a file beside it
    /// ([`GENERATION_FILE`], written after the database is flushed): a database whose
    /// generation is behind the file's lost what it had written, and is emptied — a cache
    /// missing an unknown part would show a customer's card list without the cards added
    /// last. A crash between the two writes leaves the file behind, never ahead.
    fn check_generation(&self, dir: &Path) -> Result<(), CacheError> {
        let side = dir.join(GENERATION_FILE);
        let recorded = std::fs::read_to_string(&side)
            .ok()
            .and_then(|t| t.trim().parse::<u64>().ok());
        let stored = self
            .meta
            .get(GENERATION)?
            .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
            .map_or(0, u64::from_le_bytes);
        if recorded.is_some_and(|r| stored < r) {
            self.clear()?;
            self.rebuilt.store(true, Ordering::Relaxed);
        }
        self.raise_generation(dir, stored.max(recorded.unwrap_or(0)) + 1)
    }

    /// Stores generation `next` in the database, flushes it, then notes it beside it.
    fn raise_generation(&self, dir: &Path, next: u64) -> Result<(), CacheError> {
        self.meta.insert(GENERATION, &next.to_le_bytes())?;
        self.flush()?;
        let side = dir.join(GENERATION_FILE);
        let tmp = dir.join(format!("{GENERATION_FILE}.tmp"));
        let written = desk_store::private_fs::owner_only(
            std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true),
        )
        .open(&tmp)
        .and_then(|mut f| {
            use std::io::Write as _;
            f.write_all(next.to_string().as_bytes())?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, &side));
        // Best effort: without the file the next open cannot tell, as before this check.
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        Ok(())
    }

    /// How the key was obtained; `Created` with a non-empty cache means the keyring was reset.
    pub fn key_origin(&self) -> KeyOrigin {
        self.key_origin
    }

    /// Values met since opening (or the last [`Cache::clear`]) that could not be read and were
    /// treated as missing. Non-zero suggests offering "Clear cache".
    pub fn unreadable(&self) -> u64 {
        self.unreadable.load(Ordering::Relaxed)
    }

    /// Caches `value` of `kind` (e.g. [`CARDS`]) for one customer of one profile, fetched now.
    pub fn put<T: Serialize>(
        &self,
        kind: &str,
        profile: &str,
        customer: &str,
        value: &T,
    ) -> Result<(), CacheError> {
        self.put_at(kind, profile, customer, value, now_ms())
    }

    /// [`Cache::put`] with an explicit fetch time.
    pub fn put_at<T: Serialize>(
        &self,
        kind: &str,
        profile: &str,
        customer: &str,
        value: &T,
        fetched_at: UnixMs,
    ) -> Result<(), CacheError> {
        let payload = serde_json::to_vec(value).map_err(|_| CacheError::Encode)?;
        let key = self.records.cards_key(kind, profile, customer);
        self.write(&self.cards, TREE_CARDS, &key, fetched_at, &payload)
    }

    /// The cached `kind` value of one customer, or `None` (also when unreadable).
    pub fn get<T: DeserializeOwned>(
        &self,
        kind: &str,
        profile: &str,
        customer: &str,
    ) -> Result<Option<Cached<T>>, CacheError> {
        let key = self.records.cards_key(kind, profile, customer);
        self.read_json(&self.cards, TREE_CARDS, &key)
    }

    /// Caches card art under its URL.
    pub fn put_media(&self, url: &str, media: &Media) -> Result<(), CacheError> {
        let ct = media.content_type.as_bytes();
        let ct_len = u16::try_from(ct.len()).map_err(|_| CacheError::Encode)?;
        let mut payload = Vec::with_capacity(2 + ct.len() + media.bytes.len());
        payload.extend_from_slice(&ct_len.to_le_bytes());
        payload.extend_from_slice(ct);
        payload.extend_from_slice(&media.bytes);
        let key = self.records.media_key(url);
        self.write(&self.media, TREE_MEDIA, &key, now_ms(), &payload)
    }

    /// Card art cached under `url`, or `None`.
    pub fn get_media(&self, url: &str) -> Result<Option<Cached<Media>>, CacheError> {
        let key = self.records.media_key(url);
        let Some((fetched_at, payload)) = self.read(&self.media, TREE_MEDIA, &key)? else {
            return Ok(None);
        };
        let media = payload.split_at_checked(2).and_then(|(len, rest)| {
            let len = usize::from(u16::from_le_bytes([len[0], len[1]]));
            let (ct, bytes) = rest.split_at_checked(len)?;
            let content_type = String::from_utf8(ct.to_vec()).ok()?;
            Some(Media {
                content_type,
                bytes: bytes.to_vec(),
            })
        });
        Ok(self
            .counted(media)
            .map(|value| Cached { value, fetched_at }))
    }

    /// Records that `customer` was looked up now with `card_count` cards.
    pub fn record_lookup(
        &self,
        profile: &str,
        customer: &str,
        card_count: u32,
    ) -> Result<RecentCustomer, CacheError> {
        let entry = RecentCustomer {
            customer: customer.to_owned(),
            last_lookup: now_ms(),
            card_count,
        };
        self.put_recent(profile, &entry)?;
        Ok(entry)
    }

    /// Stores one recent-customer entry as given (import, tests).
    pub fn put_recent(&self, profile: &str, entry: &RecentCustomer) -> Result<(), CacheError> {
        let payload = serde_json::to_vec(entry).map_err(|_| CacheError::Encode)?;
        let key = self.records.customer_slot(profile, &entry.customer);
        self.write(&self.recent, TREE_RECENT, &key, entry.last_lookup, &payload)
    }

    /// A customer's card count changed (a removal was read back): its recent entry, if it has
    /// one, says so, keeping its last lookup time. Returns the entry as it is now.
    pub fn update_recent_count(
        &self,
        profile: &str,
        customer: &str,
        card_count: u32,
    ) -> Result<Option<RecentCustomer>, CacheError> {
        let key = self.records.customer_slot(profile, customer);
        let Some(raw) = self.recent.get(key)? else {
            return Ok(None);
        };
        let entry = self
            .records
            .open(TREE_RECENT, &key, &raw)
            .and_then(|(_, p)| serde_json::from_slice::<RecentCustomer>(&p).ok());
        let Some(mut entry) = entry else {
            return Ok(None);
        };
        if entry.card_count != card_count {
            entry.card_count = card_count;
            self.put_recent(profile, &entry)?;
        }
        Ok(Some(entry))
    }

    /// Every readable recent-customer entry of `profile`, in no particular order.
    pub fn recent_customers(&self, profile: &str) -> Result<Vec<RecentCustomer>, CacheError> {
        let prefix = self.records.profile_tag(profile);
        let mut out = Vec::new();
        for item in self.recent.scan_prefix(prefix) {
            let (key, raw) = item?;
            let entry = self
                .records
                .open(TREE_RECENT, &key, &raw)
                .and_then(|(_, p)| serde_json::from_slice::<RecentCustomer>(&p).ok());
            if let Some(entry) = self.counted(entry) {
                out.push(entry);
            }
        }
        Ok(out)
    }

    /// Keeps the window's last drawn first view, sealed (replacing the one before).
    pub fn put_first_frame(&self, frame: &[u8]) -> Result<(), CacheError> {
        self.write(&self.meta, TREE_META, FIRST_FRAME, now_ms(), frame)
    }

    /// The window's last drawn first view, if one is kept and opens.
    pub fn first_frame(&self) -> Result<Option<Vec<u8>>, CacheError> {
        Ok(self
            .read(&self.meta, TREE_META, FIRST_FRAME)?
            .map(|(_, frame)| frame.to_vec()))
    }

    /// Removes every trace of one customer of one profile: all cached kinds and the recent
    /// entry (media is keyed by URL and shared, so it stays) and the window's last first view
    /// (it may list the customer), then flushes.
    pub fn forget_customer(&self, profile: &str, customer: &str) -> Result<(), CacheError> {
        let slot = self.records.customer_slot(profile, customer);
        let mut batch = sled::Batch::default();
        for key in self.cards.scan_prefix(slot).keys() {
            batch.remove(key?);
        }
        self.cards.apply_batch(batch)?;
        self.recent.remove(slot)?;
        self.meta.remove(FIRST_FRAME)?;
        self.flush()
    }

    /// Empties cards, media, recent customers and the first view, re-keys the key check to the current key
    /// and resets [`Cache::unreadable`]. Nothing outside this database (profiles, audit log)
    /// is touched.
    pub fn clear(&self) -> Result<(), CacheError> {
        self.cards.clear()?;
        self.recent.clear()?;
        self.media.clear()?;
        self.meta.remove(FIRST_FRAME)?;
        self.write_key_check()?;
        self.flush()?;
        self.key_matches_data.store(true, Ordering::Relaxed);
        self.unreadable.store(0, Ordering::Relaxed);
        Ok(())
    }

    /// Writes everything to disk.
    pub fn flush(&self) -> Result<(), CacheError> {
        self.db.flush()?;
        Ok(())
    }

    fn write(
        &self,
        tree: &sled::Tree,
        tree_name: &[u8],
        key: &[u8],
        fetched_at: UnixMs,
        payload: &[u8],
    ) -> Result<(), CacheError> {
        let value = self.records.seal(tree_name, key, fetched_at, payload)?;
        tree.insert(key, value)?;
        Ok(())
    }

    fn read(
        &self,
        tree: &sled::Tree,
        tree_name: &[u8],
        key: &[u8],
    ) -> Result<Option<Opened>, CacheError> {
        match tree.get(key)? {
            Some(raw) => Ok(self.counted(self.records.open(tree_name, key, &raw))),
            None => Ok(None),
        }
    }

    fn read_json<T: DeserializeOwned>(
        &self,
        tree: &sled::Tree,
        tree_name: &[u8],
        key: &[u8],
    ) -> Result<Option<Cached<T>>, CacheError> {
        let Some((fetched_at, payload)) = self.read(tree, tree_name, key)? else {
            return Ok(None);
        };
        let value = serde_json::from_slice::<T>(&payload).ok();
        Ok(self
            .counted(value)
            .map(|value| Cached { value, fetched_at }))
    }

    /// Passes `found` through, counting a `None` as one unreadable value.
    fn counted<T>(&self, found: Option<T>) -> Option<T> {
        if found.is_none() {
            self.unreadable.fetch_add(1, Ordering::Relaxed);
        }
        found
    }
}

fn open_db(dir: &Path) -> Result<sled::Db, CacheError> {
    // The cache holds customers' card lists: its directory is made 0700 before sled creates it
    // (sled would make it with the umask, typically 0755), and sled's files 0600 once open.
    desk_store::private_fs::create_private_dir(dir)
        .map_err(|e| CacheError::Storage(format!("{}: {e}", dir.display())))?;
    let config = sled::Config::new()
        .path(dir)
        .cache_capacity(64 * 1024 * 1024);
    // A handle dropped a moment ago (the previous window of this process) is waited out
    // there; a lock held after that is another running instance.
    match desk_store::open_waiting(&config) {
        Ok(db) => {
            desk_store::private_fs::make_tree_private(dir);
            Ok(db)
        }
        Err(sled::Error::Io(io)) if desk_store::is_lock_error(&io) => {
            Err(CacheError::AlreadyOpen {
                path: dir.to_path_buf(),
            })
        }
        Err(e) => Err(e.into()),
    }
}
