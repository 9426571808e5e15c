//! Why: an action is not reported done until its entry is on disk (docs/design.md §4), and two
//! processes (the app and a `carddesk` command) may share one data dir. So every append takes
//! the file's exclusive OS lock, picks up entries another process added meanwhile, writes one
//! line and `sync_data`s it before returning; and a line cut short by a crash is never
//! silently extended or rewritten — it is left in place and acknowledged by a `log_repaired`
//! entry (see [`AuditLog::open`]).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use super::AuditError;
use super::anchor::{LogKeyring, Mark, MarkKeeper};
use super::entry::{
    AuditAction, AuditEntry, EntryDraft, GENESIS, LineFault, Operator, Repair, hash_hex,
    now_rfc3339_ms, seal,
};
use super::mac::{MacKey, add_mac, open_keyed};
use crate::secrets::SecretStore;
use desk_store::lock;

/// The log's directory inside the app data dir, apart from the cache.
pub const AUDIT_DIR_NAME: &str = "audit";
/// The log's file name inside [`AUDIT_DIR_NAME`].
pub const AUDIT_FILE_NAME: &str = "audit.jsonl";

/// `<data_dir>/audit/audit.jsonl`.
pub fn audit_path(data_dir: &Path) -> PathBuf {
    data_dir.join(AUDIT_DIR_NAME).join(AUDIT_FILE_NAME)
}

/// The append-only audit log, open for appending. One per process and file; share it in an
/// `Arc`. Every method blocks on disk I/O.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    writer: Mutex<Writer>,
    group: Arc<desk_store::group_sync::GroupSync>,
    /// Where async appenders' lines are written, one at a time as the writer lock has them
    /// anyway. On the blocking pool each waiting appender parked a thread of its own (26
    /// during a bulk run), each allocating in a malloc arena of its own.
    lane: desk_store::disk_lane::DiskLane,
    /// The log's accounts in the OS keyring, or why there are none.
    keyring: Result<LogKeyring, String>,
    /// Raises the high-water mark as entries reach the disk (see [`super::anchor`]).
    keeper: Option<MarkKeeper>,
    /// Why entries are written without a MAC, when they are.
    unkeyed: Option<String>,
}

#[derive(Debug)]
struct Writer {
    /// The active file. Shared (an `Arc`) so that `sync_data` runs outside the writer's lock
    /// (group commit: concurrent appenders share one sync, see [`desk_store::group_sync`]) on the
    /// file the line went to, even when a roll has replaced it since.
    file: Arc<File>,
    /// Time of the last entry in the active file (a new month closes the file).
    last_time: Option<String>,
    /// The size at which the active file is closed into a segment.
    limit: u64,
    /// Set after the active file was replaced under this handle: catch up before appending.
    reopened: bool,
    /// Why closing the active file failed: it is not tried again by this handle.
    no_roll: Option<String>,
    /// File length after our last write; another length means someone else wrote.
    len: u64,
    next_seq: u64,
    last_hash: String,
    /// Set when a write failed part-way: nothing more is appended by this process.
    failed: Option<String>,
    /// The MAC key every line is keyed with, when the keyring gave one.
    key: Option<MacKey>,
}

impl AuditLog {
    /// Opens (creating with mode 0700/0600 on unix) `<data_dir>/audit/audit.jsonl`.
    ///
    /// The next `seq` and `prev` come from the last line. When that line is cut short (a
    /// crash mid-write), the fragment is kept as it is, ended with a newline, and followed
    /// by a `log_repaired` entry that names its offset, length and BLAKE3, chained to the
    /// last intact entry: history is never rewritten and the chain stays verifiable. A last
    /// line that is complete but does not match its hash is refused ([`AuditError::Broken`]):
    /// that is an edit, not a crash, and appending after it would bury it.
    ///
    /// This opens without the keyring: no MAC, no high-water mark (tests, benches). The app
    /// and the CLI use [`AuditLog::open_anchored`].
    pub fn open(data_dir: &Path, operator: &Operator) -> Result<AuditLog, AuditError> {
        AuditLog::open_anchored(
            data_dir,
            operator,
            Err("opened without a keyring".to_owned()),
        )
    }

    /// [`AuditLog::open`] with the OS keyring (`Err`: why there is none), which holds the
    /// log's MAC key (made on first use) and its high-water mark (see [`super::anchor`]).
    ///
    /// A mark that the file does not reach (entries cut off its end), a mark whose entry is
    /// not in the file's chain (replaced), or a mark without a file (deleted) is refused
    /// ([`AuditError::Broken`]) — never silently restarted as a new chain; accepting the
    /// file as it is takes [`super::accept_new_log`]. A keyring that cannot be read never
    /// blocks the log: entries are then written without MAC and mark ([`AuditLog::unkeyed`]).
    pub fn open_anchored(
        data_dir: &Path,
        operator: &Operator,
        keyring: Result<Arc<dyn SecretStore>, String>,
    ) -> Result<AuditLog, AuditError> {
        let path = audit_path(data_dir);
        let dir = data_dir.join(AUDIT_DIR_NAME);
        desk_store::private_fs::create_private_dir(&dir).map_err(|e| AuditError::io(&dir, &e))?;
        let keyring = keyring.map(|store| LogKeyring::for_log(store, &path));
        let mut unkeyed = None;
        let mark = match &keyring {
            Ok(k) => k.mark().unwrap_or_else(|e| {
                unkeyed = Some(e.to_string());
                None
            }),
            Err(why) => {
                unkeyed = Some(why.clone());
                None
            }
        };
        let existed = path.exists();
        if let (false, Some(mark)) = (existed, &mark) {
            return Err(AuditError::Broken {
                path,
                detail: format!(
                    "the file is missing, but the keyring's high-water mark says entry {}                      (hash {}…) was written: the log was deleted or moved. Put it back, or keep                      any copy as evidence and run `carddesk audit verify --accept-new-log`",
                    mark.seq,
                    &mark.hash[..mark.hash.len().min(16)]
                ),
            });
        }
        let file = desk_store::private_fs::owner_only(
            OpenOptions::new().read(true).append(true).create(true),
        )
        .open(&path)
        .map_err(|e| AuditError::io(&path, &e))?;
        desk_store::private_fs::restrict(&file).map_err(|e| AuditError::io(&path, &e))?;
        if !existed {
            sync_dir(&dir);
        }
        let mut writer = Writer {
            file: Arc::new(file),
            last_time: None,
            limit: super::segment::segment_limit(),
            reopened: false,
            no_roll: None,
            len: 0,
            next_seq: 1,
            last_hash: GENESIS.to_owned(),
            failed: None,
            key: None,
        };
        let handle = writer.file.clone();
        let usable = keyring.as_ref().ok().filter(|_| unkeyed.is_none());
        with_lock(&handle, &path, || {
            if let Some(k) = usable {
                // Under the file's lock: two processes opening a new log make one key.
                match k.key_or_create() {
                    Ok(key) => writer.key = Some(key),
                    Err(e) => unkeyed = Some(e.to_string()),
                }
            }
            writer.catch_up(&path, operator)?;
            if let Some(mark) = &mark {
                writer.check_mark(&path, mark)?;
            }
            if let Some(k) = usable {
                // The first open with a keyring adopts the file as it is; later ones move
                // the mark to what catch-up wrote. Best effort: a failure is retried later.
                let last = writer.next_seq - 1;
                if last > 0 && mark.as_ref().is_none_or(|m| m.seq < last) {
                    let _ = k.raise_mark(&Mark {
                        seq: last,
                        hash: writer.last_hash.clone(),
                    });
                }
            }
            Ok(())
        })?;
        let keeper = usable.map(|k| MarkKeeper::start(k.clone()));
        Ok(AuditLog {
            path,
            writer: Mutex::new(writer),
            group: Arc::new(desk_store::group_sync::GroupSync::new("audit-sync")),
            lane: desk_store::disk_lane::DiskLane::new("audit-write"),
            keyring,
            keeper,
            unkeyed,
        })
    }

    /// Why entries are written without a MAC and the high-water mark is not kept (the
    /// keyring is unavailable, or the log was opened without one); `None` when they are.
    pub fn unkeyed(&self) -> Option<String> {
        let failed = self.keeper.as_ref().and_then(MarkKeeper::failure);
        self.unkeyed.clone().or(failed)
    }

    /// The log's accounts in the keyring, or why there are none.
    pub fn keyring(&self) -> Result<&LogKeyring, &str> {
        self.keyring.as_ref().map_err(String::as_str)
    }

    /// Writes the high-water mark now (blocking) instead of within [`super::MARK_PERIOD`]:
    /// e.g. at the end of a batch of appends. Does nothing without a keyring.
    pub fn sync_mark(&self) {
        if let Some(keeper) = &self.keeper {
            keeper.flush();
        }
    }

    /// Notes a durable entry for the high-water mark.
    fn durable(&self, entry: &AuditEntry) {
        if let Some(keeper) = &self.keeper {
            keeper.note(entry.seq, &entry.hash);
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one entry and flushes it to disk before returning it (with its `seq`,
    /// `time`, `prev` and `hash`). The line is written under the locks; the sync that makes
    /// it durable may be shared with appenders that wrote meanwhile.
    pub fn append(&self, draft: EntryDraft) -> Result<AuditEntry, AuditError> {
        let (entry, ticket, file) = self.write(draft)?;
        let result = self.group.sync_through(ticket, || file.sync_data());
        self.synced(result)?;
        self.durable(&entry);
        Ok(entry)
    }

    /// Appends `drafts` through the same path as [`AuditLog::append`] — the same lock, seal,
    /// MAC and line — and syncs once at the end instead of once an entry: for benches and
    /// tests that need a log of a million real entries in minutes. Returns the last entry.
    #[doc(hidden)]
    pub fn append_batch(
        &self,
        drafts: impl IntoIterator<Item = EntryDraft>,
    ) -> Result<Option<AuditEntry>, AuditError> {
        let mut last = None;
        for draft in drafts {
            last = Some(self.write(draft)?.0);
        }
        let file = self.lock().file.clone();
        self.synced(file.sync_data())?;
        if let Some(entry) = &last {
            self.durable(entry);
        }
        Ok(last)
    }

    /// [`AuditLog::append`] for async callers: the line is written on the log's own thread,
    /// and the wait for the disk holds no thread (see [`desk_store::group_sync`]).
    pub async fn append_durable(
        self: &Arc<Self>,
        draft: EntryDraft,
    ) -> Result<AuditEntry, AuditError> {
        let log = self.clone();
        let (entry, ticket, file) =
            self.lane
                .run(move || log.write(draft))
                .await
                .map_err(|e| AuditError::Unwritable {
                    path: self.path.clone(),
                    detail: e.to_string(),
                })??;
        let result = self.group.durable(ticket, move || file.sync_data()).await;
        self.synced(result)?;
        self.durable(&entry);
        Ok(entry)
    }

    /// A failed sync leaves the line's fate unknown: nothing more is appended.
    fn synced(&self, result: std::io::Result<()>) -> Result<(), AuditError> {
        result.map_err(|e| {
            let detail = e.to_string();
            self.lock().failed = Some(detail.clone());
            AuditError::Unwritable {
                path: self.path.clone(),
                detail,
            }
        })
    }

    /// Writes the entry's line under the locks; returns it with its group-sync ticket and
    /// the file it went to. Closes the active file into a segment first when it is due.
    fn write(&self, draft: EntryDraft) -> Result<(AuditEntry, u64, Arc<File>), AuditError> {
        let mut guard = self.lock();
        let writer = &mut *guard;
        let operator = draft.operator.clone();
        let path = &self.path;
        let mut draft = Some(draft);
        let mut rolled = false;
        loop {
            if let Some(why) = &writer.failed {
                return Err(AuditError::Unwritable {
                    path: self.path.clone(),
                    detail: why.clone(),
                });
            }
            // The OS lock is the active file's (all handles on one open file description
            // share it); cloning a handle for every line cost two system calls an entry.
            let file = writer.file.clone();
            let step = with_lock(&file, path, || {
                if !writer.is_current(path)? {
                    return Ok(Step::Reopen);
                }
                let len = writer
                    .file
                    .metadata()
                    .map_err(|e| AuditError::io(path, &e))?
                    .len();
                if len < writer.len {
                    return Err(AuditError::Broken {
                        path: path.clone(),
                        detail: format!(
                            "the file shrank from {} to {len} bytes while Card Desk had it open",
                            writer.len
                        ),
                    });
                }
                if len != writer.len || writer.reopened {
                    writer.reopened = false;
                    writer.catch_up(path, &operator)?;
                }
                let time = now_rfc3339_ms();
                if !rolled && writer.due(&time) {
                    match writer.roll(path, &operator, &time) {
                        Ok(()) => return Ok(Step::Rolled),
                        // Never block an append on a roll: stay in this file, and try again
                        // at the next open.
                        Err(e) => writer.no_roll = Some(e.to_string()),
                    }
                }
                let Some(draft) = draft.take() else {
                    return Err(AuditError::Unwritable {
                        path: path.clone(),
                        detail: "the entry was lost between two tries".to_owned(),
                    });
                };
                let mut entry = draft.place(writer.next_seq, time, writer.last_hash.clone());
                let line = writer
                    .seal(&mut entry)
                    .map_err(|e| AuditError::Unwritable {
                        path: path.clone(),
                        detail: format!("the entry could not be encoded: {e}"),
                    })?;
                writer.write_line(path, "", &line, false)?;
                writer.next_seq = entry.seq + 1;
                writer.last_hash.clone_from(&entry.hash);
                writer.last_time = Some(entry.time.clone());
                Ok(Step::Wrote(Box::new(entry), self.group.wrote()))
            })?;
            match step {
                Step::Reopen => writer.reopen(path)?,
                Step::Rolled => rolled = true,
                Step::Wrote(entry, ticket) => return Ok((*entry, ticket, file)),
            }
        }
    }

    /// Sets the size at which this handle closes the active file into a segment (tests;
    /// the default is [`super::DEFAULT_SEGMENT_BYTES`], or `CARDDESK_AUDIT_SEGMENT_BYTES`).
    #[doc(hidden)]
    pub fn set_segment_bytes(&self, bytes: u64) {
        self.lock().limit = bytes.max(1);
    }

    /// The next `seq` this process would write (for tests and diagnostics).
    pub fn next_seq(&self) -> u64 {
        self.lock().next_seq
    }

    /// The whole file, read under a shared lock so no half-written line is seen.
    pub fn read_bytes(&self) -> Result<Vec<u8>, AuditError> {
        let _guard = self.lock();
        read_file(&self.path)
    }

    /// The key the audit index hashes customer numbers with: derived from the log's MAC key,
    /// or `None` without one (the index then keeps a random salt of its own).
    pub(crate) fn index_key(&self) -> Option<[u8; 32]> {
        self.lock()
            .key
            .as_ref()
            .map(|k| k.derive("carddesk 2026 audit index customer hash"))
    }

    /// Runs `f` on the log's path under the writer's mutex: what it snapshots (the file's
    /// length) holds none of this process's appends half-written.
    pub(crate) fn snapshot<T>(
        &self,
        f: impl FnOnce(&Path) -> Result<T, AuditError>,
    ) -> Result<T, AuditError> {
        let _guard = self.lock();
        f(&self.path)
    }

    fn lock(&self) -> MutexGuard<'_, Writer> {
        lock(&self.writer)
    }
}

/// What one try of [`AuditLog::write`] under the file's lock did.
enum Step {
    /// Another process closed the file this handle has into a segment: open the new one.
    Reopen,
    /// This process closed it; the entry goes to the new file.
    Rolled,
    Wrote(Box<AuditEntry>, u64),
}

impl Writer {
    /// Whether this handle's file is still the one at `path` (no roll since it was opened).
    fn is_current(&self, path: &Path) -> Result<bool, AuditError> {
        let mine = self.file.metadata().map_err(|e| AuditError::io(path, &e))?;
        match std::fs::metadata(path) {
            Ok(now) => Ok(super::segment::same_file(&mine, &now)),
            Err(e) => Err(AuditError::io(path, &e)),
        }
    }

    /// Opens the file now at `path` (another process rolled the log); the next try catches up.
    fn reopen(&mut self, path: &Path) -> Result<(), AuditError> {
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)
            .map_err(|e| AuditError::io(path, &e))?;
        self.file = Arc::new(file);
        self.len = 0;
        self.reopened = true;
        Ok(())
    }

    /// Whether the active file is to be closed before an entry timed `time`: it has reached
    /// the size limit, or `time` is in another month than its last entry.
    fn due(&self, time: &str) -> bool {
        if self.len == 0 || self.next_seq <= 1 || self.no_roll.is_some() {
            return false;
        }
        let new_month = self
            .last_time
            .as_deref()
            .is_some_and(|t| t.get(..7) != time.get(..7));
        self.len >= self.limit || new_month
    }

    /// Closes the active file into `segments/audit-<first>-<last>.jsonl` (0400) and puts in
    /// its place a new file whose first entry, `segment_started`, names the closed one. Lock
    /// held. The closed file is linked into `segments/` first and the new file renamed over
    /// `audit.jsonl` second, so the path always names a whole log file; a crash between the
    /// two leaves a second name of the active file, which readers skip and the next roll
    /// removes.
    fn roll(&mut self, path: &Path, operator: &Operator, time: &str) -> Result<(), AuditError> {
        let failed = |e: std::io::Error| AuditError::Unwritable {
            path: path.to_path_buf(),
            detail: format!("the log could not be closed into a segment: {e}"),
        };
        self.file.sync_data().map_err(failed)?;
        let last_seq = self.next_seq - 1;
        let (first_seq, entries, blake3) = summarize(&self.file, self.len).map_err(failed)?;
        let name = super::segment::segment_name(first_seq, last_seq);
        let dir = super::segment::segments_dir(path);
        desk_store::private_fs::create_private_dir(&dir).map_err(failed)?;
        let mine = self.file.metadata().map_err(failed)?;
        for old in super::segment::closed_segments(path)? {
            // Left by a roll cut short: another name of this very file.
            if std::fs::metadata(&old).is_ok_and(|m| super::segment::same_file(&m, &mine)) {
                std::fs::remove_file(&old).map_err(failed)?;
            }
        }
        let dest = dir.join(&name);
        std::fs::hard_link(path, &dest).map_err(failed)?;
        sync_dir(&dir);
        let next_path = path.with_extension("jsonl.next");
        let _ = std::fs::remove_file(&next_path);
        let next = desk_store::private_fs::owner_only(
            OpenOptions::new().read(true).append(true).create_new(true),
        )
        .open(&next_path)
        .map_err(failed)?;
        let mut draft = EntryDraft::new(operator.clone(), AuditAction::SegmentStarted);
        draft.detail = Some(format!("the log continues from segment {name}"));
        draft.segments = Some(vec![super::segment::SegmentLink {
            name,
            entries,
            first_seq,
            last_seq,
            last_hash: self.last_hash.clone(),
            last_time: self.last_time.clone().unwrap_or_default(),
            blake3,
        }]);
        let mut entry = draft.place(self.next_seq, time.to_owned(), self.last_hash.clone());
        let line = self
            .seal(&mut entry)
            .map_err(|e| failed(std::io::Error::other(e.to_string())))?;
        let old_file = std::mem::replace(&mut self.file, Arc::new(next));
        let old_len = std::mem::replace(&mut self.len, 0);
        let written = self
            .write_line(path, "", &line, true)
            .and_then(|()| std::fs::rename(&next_path, path).map_err(failed));
        if let Err(e) = written {
            // The path still names the old file, untouched: go on appending there.
            self.failed = None;
            self.file = old_file;
            self.len = old_len;
            let _ = std::fs::remove_file(&next_path);
            let _ = std::fs::remove_file(&dest);
            return Err(e);
        }
        if let Some(parent) = path.parent() {
            sync_dir(parent);
        }
        // Only now: while it was still `audit.jsonl`, an open elsewhere would have been
        // refused (or have made it 0600 again).
        let _ = read_only(&dest);
        self.next_seq = entry.seq + 1;
        self.last_hash = entry.hash;
        self.last_time = Some(entry.time);
        Ok(())
    }

    /// The entry's line: sealed with its hash, and keyed with a MAC when there is a key.
    fn seal(&self, entry: &mut AuditEntry) -> Result<String, serde_json::Error> {
        let line = seal(entry)?;
        Ok(match &self.key {
            Some(key) => add_mac(entry, line, key),
            None => line,
        })
    }

    /// Refuses a file that does not hold the keyring's high-water mark: entries cut off its
    /// end, or another chain in its place. Called after [`Writer::catch_up`], lock held.
    fn check_mark(&self, path: &Path, mark: &Mark) -> Result<(), AuditError> {
        let last = self.next_seq - 1;
        let short = &mark.hash[..mark.hash.len().min(16)];
        let broken = |detail: String| AuditError::Broken {
            path: path.to_path_buf(),
            detail: format!(
                "{detail}. Keep the file as evidence and run `carddesk audit verify`; to go on \
                 with the log as it is, run `carddesk audit verify --accept-new-log`"
            ),
        };
        if last < mark.seq {
            return Err(broken(format!(
                "the log ends at entry {last}, but the keyring's high-water mark says entry {} \
                 (hash {short}…) was written: entries {}–{} were cut off its end, or the log \
                 was replaced",
                mark.seq,
                last + 1,
                mark.seq
            )));
        }
        let found = if last == mark.seq {
            Some(self.last_hash.clone())
        } else {
            match hash_of_seq(&self.file, self.len, mark.seq)
                .map_err(|e| AuditError::io(path, &e))?
            {
                Some(hash) => Some(hash),
                // Not in the active file: the mark lies in a closed or archived segment.
                None => hash_in_chain(path, mark)?,
            }
        };
        if found.as_deref() != Some(mark.hash.as_str()) {
            return Err(broken(format!(
                "entry {} of the file is not the entry {} (hash {short}…) the keyring's \
                 high-water mark names: the log was replaced or rewritten",
                mark.seq, mark.seq
            )));
        }
        Ok(())
    }

    /// Reads the tail to learn the next `seq` and `prev`, repairing a cut-short last line.
    /// Called with the file's exclusive lock held.
    fn catch_up(&mut self, path: &Path, operator: &Operator) -> Result<(), AuditError> {
        let len = self
            .file
            .metadata()
            .map_err(|e| AuditError::io(path, &e))?
            .len();
        self.len = len;
        if len == 0 {
            self.next_seq = 1;
            self.last_hash = GENESIS.to_owned();
            self.last_time = None;
            return Ok(());
        }
        let tail = read_tail(&self.file, len).map_err(|e| AuditError::io(path, &e))?;
        type Last = (u64, String, Option<String>);
        let last_intact = |line: Option<&(u64, Vec<u8>)>| -> Result<Last, AuditError> {
            match line {
                None => Ok((1, GENESIS.to_owned(), None)),
                Some((offset, bytes)) => match open_keyed(bytes, None).0 {
                    Ok(e) => Ok((e.seq + 1, e.hash, Some(e.time))),
                    Err(fault) => Err(AuditError::Broken {
                        path: path.to_path_buf(),
                        detail: format!(
                            "the last entry (at byte {offset}) {}; the log was changed outside \
                             Card Desk. Keep the file as evidence, run `carddesk audit verify`, \
                             and move it aside to start a new log",
                            match fault {
                                LineFault::Unreadable => "is not a readable entry",
                                LineFault::HashMismatch(_) => "does not match its hash",
                            }
                        ),
                    }),
                },
            }
        };
        match tail.fragment {
            None => {
                (self.next_seq, self.last_hash, self.last_time) =
                    last_intact(tail.last_line.as_ref())?;
            }
            Some((offset, fragment)) => {
                if let Ok(e) = open_keyed(&fragment, None).0 {
                    // A whole entry whose newline did not reach the disk: end the line.
                    self.next_seq = e.seq + 1;
                    self.last_hash = e.hash;
                    self.last_time = Some(e.time);
                    self.write_line(path, "", "", true)?;
                    return Ok(());
                }
                (self.next_seq, self.last_hash, self.last_time) =
                    last_intact(tail.last_line.as_ref())?;
                let length = fragment.len() as u64;
                let mut draft = EntryDraft::new(operator.clone(), AuditAction::LogRepaired);
                draft.detail = Some(format!(
                    "the previous write was cut short (the app stopped mid-write): {length} bytes \
                     at byte {offset} are left as they were and are not an entry"
                ));
                draft.repair = Some(Repair {
                    offset,
                    length,
                    fragment_hash: hash_hex(&fragment),
                });
                let mut entry =
                    draft.place(self.next_seq, now_rfc3339_ms(), self.last_hash.clone());
                let line = self.seal(&mut entry).map_err(|e| AuditError::Unwritable {
                    path: path.to_path_buf(),
                    detail: format!("the repair entry could not be encoded: {e}"),
                })?;
                self.write_line(path, "\n", &line, true)?;
                self.next_seq = entry.seq + 1;
                self.last_hash = entry.hash;
                self.last_time = Some(entry.time);
            }
        }
        Ok(())
    }

    /// Writes `lead + line + "\n"` in one call and, with `sync`, syncs it (an append syncs
    /// through its group instead); the caller moves `next_seq` and `last_hash`. On failure the writer refuses further appends (a
    /// part-written line must be repaired by the next open, not extended).
    fn write_line(
        &mut self,
        path: &Path,
        lead: &str,
        line: &str,
        sync: bool,
    ) -> Result<(), AuditError> {
        let mut bytes = Vec::with_capacity(lead.len() + line.len() + 1);
        bytes.extend_from_slice(lead.as_bytes());
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
        let written = self
            .file
            .as_ref()
            .write_all(&bytes)
            .and_then(|()| if sync { self.file.sync_data() } else { Ok(()) });
        match written {
            Ok(()) => {
                self.len += bytes.len() as u64;
                Ok(())
            }
            Err(e) => {
                let detail = e.to_string();
                self.failed = Some(detail.clone());
                Err(AuditError::Unwritable {
                    path: path.to_path_buf(),
                    detail,
                })
            }
        }
    }
}

/// The end of the file: the last newline-terminated line, and the bytes after the last
/// newline when the file does not end with one.
struct Tail {
    last_line: Option<(u64, Vec<u8>)>,
    fragment: Option<(u64, Vec<u8>)>,
}

/// Reads backwards in chunks until the last complete line (and any fragment) is found.
fn read_tail(file: &File, len: u64) -> std::io::Result<Tail> {
    const CHUNK: u64 = 64 * 1024;
    let mut start = len;
    let mut buf: Vec<u8> = Vec::new();
    // Two newlines bound the last complete line; fewer are enough at the start of the file.
    while start > 0 && buf.iter().filter(|b| **b == b'\n').count() < 2 {
        let from = start.saturating_sub(CHUNK);
        let mut chunk = vec![0u8; usize::try_from(start - from).unwrap_or(0)];
        let mut reader = file;
        reader.seek(SeekFrom::Start(from))?;
        reader.read_exact(&mut chunk)?;
        chunk.extend_from_slice(&buf);
        buf = chunk;
        start = from;
    }
    let at = |i: usize| start + i as u64;
    let last_nl = buf.iter().rposition(|b| *b == b'\n');
    let fragment = match last_nl {
        Some(i) if i + 1 < buf.len() => Some((at(i + 1), buf[i + 1..].to_vec())),
        None if !buf.is_empty() => Some((start, buf.clone())),
        _ => None,
    };
    let last_line = last_nl.map(|i| {
        let begin = buf[..i]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |j| j + 1);
        (at(begin), buf[begin..i].to_vec())
    });
    Ok(Tail {
        last_line,
        fragment,
    })
}

/// The hash of the intact entry `seq`, read backwards from the end of the file (the mark is
/// normally among the last few entries); `None` when no intact line holds it.
fn hash_of_seq(file: &File, len: u64, seq: u64) -> std::io::Result<Option<String>> {
    const CHUNK: u64 = 64 * 1024;
    let mut end = len;
    // Bytes after `end` that begin a line not yet complete in what was read.
    let mut carry: Vec<u8> = Vec::new();
    while end > 0 {
        let from = end.saturating_sub(CHUNK);
        let mut buf = vec![0u8; usize::try_from(end - from).unwrap_or(0)];
        let mut reader = file;
        reader.seek(SeekFrom::Start(from))?;
        reader.read_exact(&mut buf)?;
        buf.extend_from_slice(&carry);
        let mut lines: Vec<&[u8]> = buf.split(|b| *b == b'\n').collect();
        // The first piece may be the tail of a line that began before `from`.
        let first = if from > 0 {
            lines.remove(0).to_vec()
        } else {
            Vec::new()
        };
        for line in lines.into_iter().rev().filter(|l| !l.is_empty()) {
            if let Ok(e) = open_keyed(line, None).0 {
                if e.seq == seq {
                    return Ok(Some(e.hash));
                }
                if e.seq < seq {
                    return Ok(None);
                }
            }
        }
        carry = first;
        end = from;
    }
    Ok(None)
}

/// The hash of entry `mark.seq` in the log's closed segments, or — when it lies in an
/// archived one — the mark's own hash when an `archived` entry records it (its last entry's
/// hash, or a segment around it).
fn hash_in_chain(path: &Path, mark: &Mark) -> Result<Option<String>, AuditError> {
    let mut found = None;
    let mut archived = super::segment::ArchivedStart::default();
    // The caller holds the exclusive lock: read without taking the shared one.
    super::walk(path, super::lines::Lines::open_held(path)?, |_, e| {
        archived.note(&e);
        if e.seq == mark.seq && found.is_none() {
            found = Some(e.hash.clone());
        }
        true
    })?;
    Ok(found.or_else(|| archived.vouches(mark).then(|| mark.hash.clone())))
}

/// The first entry's `seq`, the line count and the hex BLAKE3 of the first `len` bytes of a
/// file being closed into a segment.
fn summarize(file: &File, len: u64) -> std::io::Result<(u64, u64, String)> {
    let mut reader = file;
    reader.seek(SeekFrom::Start(0))?;
    let mut take = reader.take(len);
    let mut hasher = blake3::Hasher::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut lines = 0u64;
    let mut first_line: Vec<u8> = Vec::new();
    let mut first_done = false;
    loop {
        let n = take.read(&mut buf)?;
        if n == 0 {
            break;
        }
        let chunk = &buf[..n];
        hasher.update(chunk);
        lines += chunk.iter().filter(|b| **b == b'\n').count() as u64;
        if !first_done {
            match chunk.iter().position(|b| *b == b'\n') {
                Some(i) => {
                    first_line.extend_from_slice(&chunk[..i]);
                    first_done = true;
                }
                None => first_line.extend_from_slice(chunk),
            }
        }
    }
    let first_seq = serde_json::from_slice::<AuditEntry>(&first_line).map_or(1, |e| e.seq);
    Ok((first_seq, lines, hasher.finalize().to_hex().to_string()))
}

/// Makes a closed segment read-only (0400 on unix).
pub(crate) fn read_only(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o400))?;
    }
    #[cfg(not(unix))]
    {
        let mut p = std::fs::metadata(path)?.permissions();
        p.set_readonly(true);
        std::fs::set_permissions(path, p)?;
    }
    Ok(())
}

/// Runs `f` holding the file's exclusive OS lock (other processes wait).
fn with_lock<T>(
    file: &File,
    path: &Path,
    f: impl FnOnce() -> Result<T, AuditError>,
) -> Result<T, AuditError> {
    file.lock().map_err(|e| AuditError::io(path, &e))?;
    let result = f();
    let _ = file.unlock();
    result
}

/// The whole file under a shared OS lock; a missing file is empty.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, AuditError> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(AuditError::io(path, &e)),
    };
    file.lock_shared().map_err(|e| AuditError::io(path, &e))?;
    let mut bytes = Vec::new();
    let read = file.read_to_end(&mut bytes);
    let _ = file.unlock();
    read.map_err(|e| AuditError::io(path, &e))?;
    Ok(bytes)
}

/// Makes a new file's directory entry durable (best effort: some filesystems refuse).
pub(crate) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}
