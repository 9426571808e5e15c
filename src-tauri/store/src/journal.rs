//! Why: a bulk job must survive a crash or a kill without losing a row or removing a card
//! twice (docs/design.md §4). Every row's state lives in the job's own sled database (the
//! desk keeps it at `<data_dir>/jobs/<job id>.sled`, never in the cache db), and the runner
//! flushes it before a removal is sent and when the row is final (flushes are shared between
//! workers, see [`crate::group_sync`]). The journal knows a row only as a [`JournalRow`]: a
//! number and whether it is in flight.
//!
//! A row is written to the live tree, keyed by its big-endian row number. Once the writes of
//! a pass have moved on (rows are taken in file order), the rows of a chunk of
//! [`CHUNK_ROWS`] settle: they are packed into the job's archive file and sled keeps where
//! the chunk is (see [`crate::chunks`] and [`Journal::settle`] for the crash ordering). A
//! read takes the live row if there is one, else the archived one. So sled holds a few
//! hundred rows at a time whatever the job's size, and a job's memory stays flat in its row
//! count (sled 0.34 keeps much of what it holds resident: docs/benchmarks.md).

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::chunks::{Archive, ChunkAt};
use crate::lock;
use crate::{StoreError, StoreErrorKind};

use self::live::{LiveRows, chunk_of};

pub use self::live::CHUNK_ROWS;

fn journal_error<E: std::fmt::Display + 'static>(what: &str, e: E) -> StoreError {
    StoreError::from_cause("journal", what, e)
}

/// What the journal needs to know of a row.
pub trait JournalRow: Serialize + DeserializeOwned {
    /// The row's number: its key, and its place in file order.
    fn number(&self) -> u64;
    /// Whether the row is in flight: its chunk does not settle until it is at rest.
    fn in_flight(&self) -> bool;
}

/// A job's sled database, and the archive of its settled rows.
#[derive(Debug)]
pub struct Journal<R> {
    db: sled::Db,
    /// Live rows: written this phase and not settled yet (all rows, in a journal written
    /// before the archive existed).
    rows: sled::Tree,
    /// Settled chunks: chunk number (big-endian) to its [`ChunkAt`] in the archive.
    chunks: sled::Tree,
    archive: Arc<Archive>,
    live: Arc<Mutex<LiveRows>>,
    /// One settler at a time; a writer that finds it busy leaves the work to it.
    settling: Arc<Mutex<()>>,
    /// Group commit: concurrent workers share one flush.
    sync: Arc<crate::group_sync::GroupSync>,
    /// Writes since the epoch collector was last helped (see [`reclaim_replaced_nodes`]).
    writes: Arc<std::sync::atomic::AtomicU64>,
    row: PhantomData<fn() -> R>,
}

impl<R> Clone for Journal<R> {
    fn clone(&self) -> Self {
        Journal {
            db: self.db.clone(),
            rows: self.rows.clone(),
            chunks: self.chunks.clone(),
            archive: self.archive.clone(),
            live: self.live.clone(),
            settling: self.settling.clone(),
            sync: self.sync.clone(),
            writes: self.writes.clone(),
            row: PhantomData,
        }
    }
}

const META_KEY: &[u8] = b"meta";

/// sled's log buffers are a segment each; at its default 512 KiB, above glibc's mmap
/// threshold, freed buffers stay in the allocator's arenas (−3.5 MiB at 100,000 rows with
/// 128 KiB, docs/benchmarks.md).
const SEGMENT_SIZE: usize = 128 * 1024;
const SLED_DEFAULT_SEGMENT_SIZE: usize = 512 * 1024;

/// Opens the job's sled database; a lock still held after [`crate::open_waiting`]'s wait is
/// the journal taken by another process (the app and `carddesk` both).
fn open_waiting(path: &Path) -> Result<sled::Db, StoreError> {
    let opened = open_sled(path, SEGMENT_SIZE).or_else(|e| match e {
        // A journal from before the smaller segments: sled fixes its segment size when it
        // creates a database, and says so when opened with another.
        sled::Error::Unsupported(why) if why.contains("io buffer size") => {
            open_sled(path, SLED_DEFAULT_SEGMENT_SIZE)
        }
        e => Err(e),
    });
    match opened {
        Ok(db) => Ok(db),
        Err(sled::Error::Io(io)) if crate::is_lock_error(&io) => Err(StoreError::new(
            StoreErrorKind::Busy,
            format!("journal: {} is open in another process", path.display()),
            Some(path),
        )),
        Err(e) => Err(journal_error("open", e)),
    }
}

fn open_sled(path: &Path, segment_size: usize) -> sled::Result<sled::Db> {
    crate::open_waiting(
        &sled::Config::new()
            .path(path)
            .cache_capacity(1024 * 1024)
            .segment_size(segment_size),
    )
}

/// Bytes of old copies the archive may hold beyond half of what is in use before it is
/// compacted (small jobs are not worth a copy).
const COMPACT_SLACK: u64 = if cfg!(test) { 0 } else { 1024 * 1024 };

/// Live rows as sled holds them (key, encoded row), packed by a settle.
type LiveEntries = Vec<(sled::IVec, sled::IVec)>;

impl<R: JournalRow> Journal<R> {
    /// Opens the journal at `path` (a directory), creating it when `create`.
    pub fn open(path: &Path, create: bool) -> Result<Journal<R>, StoreError> {
        if !create && !path.exists() {
            return Err(StoreError::new(
                StoreErrorKind::NotFound,
                format!("no journal at {}", path.display()),
                Some(path),
            ));
        }
        // Journals name customers and cards: 0700 directories, 0600 files, like the audit log.
        if let Some(parent) = path.parent() {
            crate::private_fs::create_private_dir(parent)
                .map_err(|e| journal_error("create dir", e))?;
        }
        if create {
            crate::private_fs::create_private_dir(path)
                .map_err(|e| journal_error("create dir", e))?;
        }
        let db = open_waiting(path)?;
        // sled creates its files with the umask: owner only, like the directory.
        crate::private_fs::make_tree_private(path);
        let rows = db.open_tree("rows").map_err(|e| journal_error("open", e))?;
        let chunks = db
            .open_tree("chunks")
            .map_err(|e| journal_error("open", e))?;
        // The archive files in use are those a location names (see `crate::chunks`).
        let mut named = std::collections::BTreeSet::new();
        for entry in chunks.iter() {
            let (_, at) = entry.map_err(|e| journal_error("read", e))?;
            named.insert(ChunkAt::from_bytes(&at)?.generation());
        }
        let archive = Archive::open(path, &named)?;
        // Rows left live by the last session (a crash, a pause, in-flight rows, or a journal
        // from before the archive) are counted so that they settle too.
        let mut live = LiveRows::default();
        for entry in rows.iter() {
            let (key, value) = entry.map_err(|e| journal_error("read", e))?;
            let record: R = decode_row(&value)?;
            live.wrote(row_of(&key)?, record.in_flight());
        }
        live.frontier = 0;
        Ok(Journal {
            db,
            rows,
            chunks,
            archive: Arc::new(archive),
            live: Arc::new(Mutex::new(live)),
            settling: Arc::default(),
            sync: Arc::new(crate::group_sync::GroupSync::new("journal-sync")),
            writes: Arc::default(),
            row: PhantomData,
        })
    }

    /// The journal's description (what [`Journal::put_meta`] stored).
    pub fn meta<M: DeserializeOwned>(&self) -> Result<M, StoreError> {
        let bytes = self
            .db
            .get(META_KEY)
            .map_err(|e| journal_error("read", e))?
            .ok_or_else(|| journal_error("read", "the journal has no description"))?;
        serde_json::from_slice(&bytes).map_err(|e| journal_error("decode", e))
    }

    /// Stores the journal's description, as JSON (it is small and read by people debugging).
    pub fn put_meta<M: Serialize>(&self, meta: &M) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(meta).map_err(|e| journal_error("encode", e))?;
        self.db
            .insert(META_KEY, bytes)
            .map_err(|e| journal_error("write", e))?;
        Ok(())
    }

    /// Writes the row's new state (live until its chunk settles), then settles a chunk if
    /// one is due. The write is what this reports on: a chunk that fails to settle (a full
    /// disk, say) leaves its rows live and readable, is tried again on the next write, and
    /// is reported by [`Journal::settle_all`] at the end of the pass.
    pub fn put(&self, record: &R) -> Result<(), StoreError> {
        let bytes = encode_row(record)?;
        {
            let mut live = lock(&self.live);
            self.rows
                .insert(record.number().to_be_bytes(), bytes)
                .map_err(|e| journal_error("write", e))?;
            live.wrote(record.number(), record.in_flight());
        }
        self.wrote();
        // See above: a failed settle loses nothing and is reported at the end of the pass.
        let _ = self.settle_due();
        Ok(())
    }

    fn wrote(&self) {
        let n = self
            .writes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if n % RECLAIM_EVERY == RECLAIM_EVERY - 1 {
            reclaim_replaced_nodes();
        }
    }

    /// Settles the first chunk due, unless another writer is settling one already.
    fn settle_due(&self) -> Result<(), StoreError> {
        let _settling = match self.settling.try_lock() {
            Ok(guard) => guard,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return Ok(()),
        };
        let due = lock(&self.live).due();
        let Some(chunk) = due else {
            return Ok(());
        };
        let settled = self.settle(chunk);
        if settled.is_err() {
            // Not tried again on every write: the other chunks go on settling, and
            // `settle_all` tries this one again at the end of the pass.
            lock(&self.live).failed.insert(chunk);
        }
        settled
    }

    /// Settles every chunk with live rows and none in flight: at the end of an import, a
    /// dry run or a run, so that the next phase starts with nothing live.
    pub fn settle_all(&self) -> Result<(), StoreError> {
        let _settling = lock(&self.settling);
        let chunks = {
            let mut live = lock(&self.live);
            live.failed.clear();
            live.settleable()
        };
        let mut first_error = None;
        for chunk in chunks {
            if let Err(e) = self.settle(chunk) {
                first_error.get_or_insert(e);
            }
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        // Upkeep only: a compaction that fails leaves the archive as it was, whole.
        let _ = self.compact_if_mostly_old();
        Ok(())
    }

    /// Compacts the archive when its old copies outweigh half of what is in use (each pass
    /// over a chunk writes it again: a job that was imported, dry-run and run has three, of
    /// which the run's is the largest; 20,000 rows: 0.5 + 2.3 MB old, 3.0 MB in use), in the
    /// order [`crate::chunks`] describes. Called with the settling lock held.
    fn compact_if_mostly_old(&self) -> Result<(), StoreError> {
        let (keys, blocks) = self.locations()?;
        let in_use: u64 = blocks.iter().map(|b| b.size()).sum();
        let old = self.archive.bytes_on_disk().saturating_sub(in_use);
        if old <= in_use / 2 + COMPACT_SLACK {
            return Ok(());
        }
        let (generation, moved) = self.archive.copy_to_next(&blocks)?;
        self.chunks
            .apply_batch(relocation(keys, moved))
            .map_err(|e| journal_error("write", e))?;
        // Every location names the new file from here on, so settles append to it, whether
        // or not the flush below succeeds; the older files go only once it has.
        self.archive.switch_to(generation);
        self.flush_blocking()?;
        self.archive.drop_older();
        Ok(())
    }

    /// Moves the live rows of `chunk` into the archive, in this order, each step durable
    /// before the next matters:
    /// 1. the chunk's rows (archived ones, overlaid with the live ones) are appended to the
    ///    archive and synced;
    /// 2. sled's location of the chunk is replaced by the new one;
    /// 3. each live row is removed only if it still holds what was archived (a writer may
    ///    have written it since: then it stays live, and live rows win on every read).
    ///
    /// A crash at any point leaves each row readable with its latest state: sled recovers a
    /// prefix of its writes, so a row is gone from the live tree only if the location written
    /// before its removal, naming a chunk already on disk, is there too.
    fn settle(&self, chunk: u64) -> Result<(), StoreError> {
        let Some((live, at)) = self.pack(chunk)? else {
            return Ok(());
        };
        self.locate(chunk, at)?;
        self.release(live)
    }

    /// Step 1 of [`Journal::settle`]: the chunk's rows, archived and live, appended to the
    /// archive and synced. Returns the live entries it packed and where the chunk now is.
    fn pack(&self, chunk: u64) -> Result<Option<(LiveEntries, ChunkAt)>, StoreError> {
        let (lo, hi) = (chunk * CHUNK_ROWS, (chunk + 1) * CHUNK_ROWS);
        let live = self
            .rows
            .range(lo.to_be_bytes()..hi.to_be_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| journal_error("read", e))?;
        if live.is_empty() {
            return Ok(None);
        }
        let mut merged: BTreeMap<u64, R> = self
            .archived(chunk)?
            .into_iter()
            .map(|r| (r.number(), r))
            .collect();
        for (_, value) in &live {
            let record: R = decode_row(value)?;
            merged.insert(record.number(), record);
        }
        let rows: Vec<R> = merged.into_values().collect();
        let bytes = postcard::to_stdvec(&rows).map_err(|e| journal_error("encode", e))?;
        let at = self.archive.append(&bytes)?;
        Ok(Some((live, at)))
    }

    /// Step 2: sled learns where the chunk is.
    fn locate(&self, chunk: u64, at: ChunkAt) -> Result<(), StoreError> {
        self.chunks
            .insert(chunk.to_be_bytes(), &at.to_bytes())
            .map_err(|e| journal_error("write", e))?;
        Ok(())
    }

    /// Step 3: each packed live row is removed if it still holds what was packed.
    fn release(&self, live: LiveEntries) -> Result<(), StoreError> {
        for (key, value) in live {
            let mut live_rows = lock(&self.live);
            let removed = self
                .rows
                .compare_and_swap(&key, Some(&value), None as Option<&[u8]>)
                .map_err(|e| journal_error("write", e))?;
            if removed.is_ok() {
                live_rows.settled(row_of(&key)?);
            }
        }
        self.wrote();
        Ok(())
    }

    /// Every settled chunk's key and location, in chunk order.
    fn locations(&self) -> Result<(Vec<sled::IVec>, Vec<ChunkAt>), StoreError> {
        let mut keys = Vec::new();
        let mut blocks = Vec::new();
        for entry in self.chunks.iter() {
            let (key, at) = entry.map_err(|e| journal_error("read", e))?;
            keys.push(key);
            blocks.push(ChunkAt::from_bytes(&at)?);
        }
        Ok((keys, blocks))
    }

    /// The rows of `chunk` in the archive (none if it never settled).
    fn archived(&self, chunk: u64) -> Result<Vec<R>, StoreError> {
        let location = || -> Result<Option<ChunkAt>, StoreError> {
            self.chunks
                .get(chunk.to_be_bytes())
                .map_err(|e| journal_error("read", e))?
                .map(|at| ChunkAt::from_bytes(&at))
                .transpose()
        };
        let Some(at) = location()? else {
            return Ok(Vec::new());
        };
        let bytes = match self.archive.read(at) {
            // A compaction moved the chunk between the two reads: its new location.
            Err(e) => match location()? {
                Some(moved) if moved != at => self.archive.read(moved)?,
                _ => return Err(e),
            },
            bytes => bytes?,
        };
        postcard::from_bytes(&bytes).map_err(|e| journal_error("archive decode", e))
    }

    /// Every row of `chunk`, in row order: the archived ones with the live ones over them.
    /// The live rows are read first: a row a settler removes meanwhile is then in the
    /// location read after (step 2 of [`Journal::settle`] comes before step 3).
    fn chunk_rows(&self, chunk: u64) -> Result<Vec<R>, StoreError> {
        let (lo, hi) = (chunk * CHUNK_ROWS, (chunk + 1) * CHUNK_ROWS);
        let mut live = Vec::new();
        for entry in self.rows.range(lo.to_be_bytes()..hi.to_be_bytes()) {
            let (_, value) = entry.map_err(|e| journal_error("read", e))?;
            live.push(decode_row(&value)?);
        }
        let archived = self.archived(chunk)?;
        if archived.is_empty() {
            return Ok(live);
        }
        let mut merged: BTreeMap<u64, R> = archived.into_iter().map(|r| (r.number(), r)).collect();
        for record in live {
            merged.insert(record.number(), record);
        }
        Ok(merged.into_values().collect())
    }

    /// The first chunk at or after `from` holding any row, live or archived.
    fn next_chunk(&self, from: u64) -> Result<Option<u64>, StoreError> {
        // Live first, locations second, as in `chunk_rows`: a chunk whose live rows a
        // settler removes meanwhile has its location written before, so one of the two
        // reads sees it.
        let live = self
            .rows
            .range(from.saturating_mul(CHUNK_ROWS).to_be_bytes()..)
            .next()
            .transpose()
            .map_err(|e| journal_error("read", e))?
            .map(|(key, _)| row_of(&key).map(chunk_of))
            .transpose()?;
        let archived = self
            .chunks
            .range(from.to_be_bytes()..)
            .next()
            .transpose()
            .map_err(|e| journal_error("read", e))?
            .map(|(key, _)| row_of(&key))
            .transpose()?;
        Ok(match (archived, live) {
            (Some(a), Some(l)) => Some(a.min(l)),
            (a, l) => a.or(l),
        })
    }

    /// Writes the record and waits until it is on disk (sharing the flush with concurrent
    /// writers: see [`crate::group_sync`]).
    pub async fn put_flushed(&self, record: &R) -> Result<(), StoreError> {
        self.put(record)?;
        self.flush().await
    }

    /// Waits until every write made before the call is on disk.
    pub async fn flush(&self) -> Result<(), StoreError> {
        let ticket = self.sync.wrote();
        // `flush_async` can stall under concurrent callers in sled 0.34; a blocking flush on
        // the group's own thread cannot (one at a time: see `GroupSync::durable`).
        let db = self.db.clone();
        self.sync
            .durable(ticket, move || {
                db.flush().map(drop).map_err(|e| match e {
                    sled::Error::Io(io) => io,
                    e => std::io::Error::other(e),
                })
            })
            .await
            .map_err(|e| journal_error("flush", e))
    }

    /// Up to `limit` rows after `after` (all from the start when `None`), in row order.
    pub fn batch(&self, after: Option<u64>, limit: usize) -> Result<Vec<R>, StoreError> {
        let start = after.map_or(0, |row| row.saturating_add(1));
        let mut out = Vec::with_capacity(limit);
        let mut from = chunk_of(start);
        while out.len() < limit {
            let Some(chunk) = self.next_chunk(from)? else {
                break;
            };
            let room = limit - out.len();
            out.extend(
                self.chunk_rows(chunk)?
                    .into_iter()
                    .filter(|r| r.number() >= start)
                    .take(room),
            );
            from = chunk + 1;
        }
        Ok(out)
    }

    pub fn flush_blocking(&self) -> Result<(), StoreError> {
        self.db.flush().map_err(|e| journal_error("flush", e))?;
        Ok(())
    }

    pub fn get(&self, row: u64) -> Result<Option<R>, StoreError> {
        if let Some(bytes) = self
            .rows
            .get(row.to_be_bytes())
            .map_err(|e| journal_error("read", e))?
        {
            return decode_row(&bytes).map(Some);
        }
        Ok(self
            .archived(chunk_of(row))?
            .into_iter()
            .find(|r| r.number() == row))
    }

    /// Every row in file order, a chunk at a time.
    pub fn iter(&self) -> impl Iterator<Item = Result<R, StoreError>> + use<R> {
        let journal = self.clone();
        let mut from = Some(0);
        let mut held = std::collections::VecDeque::new();
        std::iter::from_fn(move || {
            loop {
                if let Some(record) = held.pop_front() {
                    return Some(Ok(record));
                }
                let chunk = match journal.next_chunk(from?) {
                    Ok(Some(chunk)) => chunk,
                    Ok(None) => {
                        from = None;
                        return None;
                    }
                    Err(e) => {
                        from = None;
                        return Some(Err(e));
                    }
                };
                from = chunk.checked_add(1);
                match journal.chunk_rows(chunk) {
                    Ok(rows) => held.extend(rows),
                    Err(e) => {
                        from = None;
                        return Some(Err(e));
                    }
                }
            }
        })
    }
}

/// One sled batch pointing each chunk key at its new location.
fn relocation(keys: Vec<sled::IVec>, moved: Vec<ChunkAt>) -> sled::Batch {
    let mut batch = sled::Batch::default();
    for (key, at) in keys.into_iter().zip(moved) {
        batch.insert(key, &at.to_bytes());
    }
    batch
}

fn row_of(key: &[u8]) -> Result<u64, StoreError> {
    let key: [u8; 8] = key
        .try_into()
        .map_err(|_| journal_error("read", "a row key is not 8 bytes"))?;
    Ok(u64::from_be_bytes(key))
}

/// Journal writes between two calls of [`reclaim_replaced_nodes`].
const RECLAIM_EVERY: u64 = 64;

/// sled 0.34 replaces a tree node on every write and frees the old one through
/// crossbeam-epoch, whose global garbage queue is collected only 8 bags per 128 pins; under
/// a stream of writes the queue grows with the job (+10 MiB at 100,000 rows,
/// docs/benchmarks.md). Pinning and flushing a few times per [`RECLAIM_EVERY`] writes lets
/// the collector keep up. It frees only what no pinned thread can still see.
fn reclaim_replaced_nodes() {
    for _ in 0..8 {
        crossbeam_epoch::pin().flush();
    }
}

/// Rows are stored in postcard's compact binary form: sled keeps much of what it holds in
/// memory, so a row's size is what a job's memory grows by (the description stays JSON).
fn encode_row<R: Serialize>(record: &R) -> Result<Vec<u8>, StoreError> {
    postcard::to_stdvec(record).map_err(|e| journal_error("encode", e))
}

fn decode_row<R: DeserializeOwned>(bytes: &[u8]) -> Result<R, StoreError> {
    postcard::from_bytes(bytes).map_err(|e| journal_error("decode", e))
}

mod live;
#[cfg(test)]
mod tests;
