//! Why: compliance needs proof of what was removed, by whom, when and why (docs/design.md §1, §4):
//! an append-only, hash-chained JSON Lines file, flushed to disk before an action is reported
//! done, kept in its own directory `<data_dir>/audit/` apart from the cache (clearing the cache
//! or forgetting a customer never touches it), readable only by its owner (0700/0600 on unix).
//!
//! * [`entry`]: the entry's fields, its canonical line and hash, the token fingerprint;
//! * [`AuditLog`]: the single writer (a mutex in-process, the file's OS lock across
//!   processes), crash repair at open;
//! * [`verify_bytes`]: names the first broken link; [`AuditQuery`]: filters and pages;
//!   [`export`]: CSV and JSON;
//! * [`anchor`]: the high-water mark and MAC key in the OS keyring; [`mac`]: the keyed
//!   BLAKE3 on each line; [`verify_with`] checks both, [`accept_new_log`] resets the mark;
//! * [`TrailShipper`]: team mode's shipping of the log to the shared trail on PostgreSQL,
//!   [`verify_team`] checks every desk's copy there (docs/team.md).
//!
//! The read-only functions here ([`verify_file`], [`read_entries`], [`export_file`]) never
//! create, lock for writing or repair anything: `carddesk audit verify` must report a cut-short
//! line, not fix it.

mod anchor;
mod archive;
mod entry;
mod export;
mod index;
mod lines;
mod log;
mod mac;
mod query;
mod scan;
mod segment;
mod team;
mod verify;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use anchor::{LogKeyring, MARK_PERIOD, Mark, Trust};
pub use archive::{
    ArchiveCheck, ArchiveReport, ArchivedFile, cutoff, verify_archive, verify_segment,
};
pub use entry::{
    AuditAction, AuditEntry, AuditOutcome, CardSummary, EntryDraft, GENESIS, Operator, ProfileRef,
    ReadBack, Reason, Repair, Shown, ShownFrom, now_rfc3339_ms, scrub_tokens, token_fingerprint,
};
pub use export::{CSV_COLUMNS, ExportFormat, ExportSink, csv_row, write_csv, write_json};
pub use log::{AUDIT_DIR_NAME, AUDIT_FILE_NAME, AuditLog, audit_path};
pub use mac::MacKey;
pub use query::{AuditPage, AuditQuery, DEFAULT_PAGE, MAX_PAGE};
pub use scan::first_break;
pub use segment::{
    DEFAULT_SEGMENT_BYTES, SEGMENT_BYTES_ENV, SEGMENTS_DIR_NAME, SegmentLink, closed_segments,
    segments_dir,
};
pub use team::{
    SHIP_BATCH, ServerBreak, ShipError, Shipment, TeamDeskCheck, TrailShipper, read_trail_line,
    team_desk_id, verify_team,
};
pub use verify::{
    BreakKind, BrokenLink, ExpectedEntry, KeyedCheck, RepairedLine, Verification, verify_bytes,
    verify_with,
};

use crate::{DeskError, ErrorCode};

/// Why the audit log could not be used. Messages name the file and never hold a secret
/// (entries hold none).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    #[error("the audit log {} cannot be used: {detail}", path.display())]
    Io { path: PathBuf, detail: String },
    #[error("the audit log {} is not intact: {detail}", path.display())]
    Broken { path: PathBuf, detail: String },
    #[error("the audit log {} could not be written: {detail}", path.display())]
    Unwritable { path: PathBuf, detail: String },
}

impl AuditError {
    pub(crate) fn io(path: &Path, e: &std::io::Error) -> AuditError {
        AuditError::Io {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }
    }
}

impl From<AuditError> for DeskError {
    fn from(e: AuditError) -> Self {
        let ru = match &e {
            AuditError::Io { path, detail } => {
                format!("журнал аудита {} недоступен: {detail}", path.display())
            }
            AuditError::Broken { path, detail } => {
                format!("журнал аудита {} повреждён: {detail}", path.display())
            }
            AuditError::Unwritable { path, detail } => {
                format!(
                    "в журнал аудита {} не удалось записать: {detail}",
                    path.display()
                )
            }
        };
        DeskError::new(ErrorCode::AuditLog, e.to_string()).ru(ru)
    }
}

/// Every readable entry of `bytes` in log order; edited entries included (they are what the
/// file says), lines that are not entries left out. [`verify_bytes`] tells them apart.
pub fn parse_entries(bytes: &[u8]) -> Vec<AuditEntry> {
    bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .filter_map(|l| serde_json::from_slice::<AuditEntry>(l).ok())
        .collect()
}

/// Calls `f` with every readable entry of the log at `path` (a missing file has none) and
/// its line's byte offset, in log order, reading the file as a stream: one line in memory at
/// a time. `f` returning `false` stops the walk.
pub fn for_each_entry(
    path: &Path,
    f: impl FnMut(u64, AuditEntry) -> bool,
) -> Result<(), AuditError> {
    walk(path, lines::Lines::open(path)?, f)
}

pub(crate) fn walk<R: std::io::Read>(
    path: &Path,
    mut lines: lines::Lines<R>,
    mut f: impl FnMut(u64, AuditEntry) -> bool,
) -> Result<(), AuditError> {
    while let Some(line) = lines.next_line().map_err(|e| AuditError::io(path, &e))? {
        if line.bytes.is_empty() {
            continue;
        }
        if let Ok(e) = serde_json::from_slice::<AuditEntry>(line.bytes)
            && !f(line.offset, e)
        {
            break;
        }
    }
    Ok(())
}

/// Reads the log at `path` (a missing file is empty) without changing it. Holds every entry:
/// for tests and small logs; [`for_each_entry`] streams.
pub fn read_entries(path: &Path) -> Result<Vec<AuditEntry>, AuditError> {
    let mut all = Vec::new();
    for_each_entry(path, |_, e| {
        all.push(e);
        true
    })?;
    Ok(all)
}

/// Verifies the log at `path` without changing it.
pub fn verify_file(path: &Path) -> Result<Verification, AuditError> {
    verify_file_with(path, &Trust::unavailable("no keyring was given"), None)
}

/// Verifies the log at `path` against what the keyring holds, without changing either; with
/// `expect`, also whether an entry with that hash is in the intact chain. Reads the file as a
/// stream (constant memory).
pub fn verify_file_with(
    path: &Path,
    trust: &Trust,
    expect: Option<&str>,
) -> Result<Verification, AuditError> {
    verify_lines(path, lines::Lines::open(path)?, trust, expect)
}

fn verify_lines<R: std::io::Read>(
    path: &Path,
    mut lines: lines::Lines<R>,
    trust: &Trust,
    expect: Option<&str>,
) -> Result<Verification, AuditError> {
    let mut verifier = verify::Verifier::new(trust, expect);
    verifier
        .feed_all(&mut lines)
        .map_err(|e| AuditError::io(path, &e))?;
    let mut v = verifier.finish(trust);
    if v.first_broken.is_none() {
        // Each closed segment must be the very file the next one's first entry names.
        v.first_broken = segment::check_links(path)?;
        v.ok = v.first_broken.is_none();
    }
    Ok(v)
}

/// What [`accept_new_log`] replaced.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AcceptedLog {
    /// The mark before (what the keyring said had been written).
    pub previous: Option<Mark>,
    /// The mark now: the file's last entry, or `None` when there is no file (the next open
    /// starts a new chain).
    pub now: Option<Mark>,
}

/// The deliberate way past a cut, deleted or replaced log: moves the keyring's high-water
/// mark to the file as it is now (or removes it when there is no file). The file's own chain
/// must be intact — a file with a broken chain must be moved aside first. The MAC key stays.
pub fn accept_new_log(path: &Path, keyring: &LogKeyring) -> Result<AcceptedLog, AuditError> {
    let refused = |e: crate::secrets::SecretError| AuditError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let previous = keyring.mark().map_err(refused)?;
    let v = verify_file(path)?;
    if let Some(b) = &v.first_broken {
        return Err(AuditError::Broken {
            path: path.to_path_buf(),
            detail: format!(
                "its own chain is broken at line {} ({}); move the file aside (keep it as                  evidence) before accepting a new log",
                b.line, b.message
            ),
        });
    }
    let last_seq = v.keyed.as_ref().map_or(0, |k| k.last_seq);
    let now = (last_seq > 0).then(|| Mark {
        seq: last_seq,
        hash: v.last_hash.clone(),
    });
    match &now {
        Some(mark) => keyring.set_mark(mark),
        None => keyring.clear_mark(),
    }
    .map_err(refused)?;
    Ok(AcceptedLog { previous, now })
}

/// Writes every readable entry of the log at `path` to `out`, read and written as a stream
/// (one entry in memory at a time); returns the count.
pub fn export_file(path: &Path, format: ExportFormat, out: impl Write) -> Result<u64, AuditError> {
    export_lines(path, lines::Lines::open(path)?, format, None, out)
}

fn export_lines<R: std::io::Read>(
    path: &Path,
    lines: lines::Lines<R>,
    format: ExportFormat,
    filter: Option<&query::Filter>,
    out: impl Write,
) -> Result<u64, AuditError> {
    let failed = |e: std::io::Error| AuditError::Io {
        path: path.to_path_buf(),
        detail: format!("export failed: {e}"),
    };
    let mut sink = ExportSink::new(format, out).map_err(failed)?;
    let mut written = Ok(());
    walk(path, lines, |_, e| {
        if filter.is_none_or(|f| f.matches(&e)) {
            written = sink.push(&e);
        }
        written.is_ok()
    })?;
    written.map_err(failed)?;
    sink.finish().map_err(failed)
}

impl AuditLog {
    /// The log's lines as they are now, streamed; taken under the writer's mutex so that
    /// this process's own appends are whole.
    fn lines(&self) -> Result<lines::Lines<std::fs::File>, AuditError> {
        self.snapshot(lines::Lines::open)
    }

    /// The length in bytes of the log's live files together (closed segments and the active
    /// file).
    pub fn size(&self) -> Result<u64, AuditError> {
        lines::chain_len(self.path())
    }

    /// Every readable entry, in log order. Holds them all: for tests and small logs (the
    /// audit view pages through [`AuditLog::query`], export and verify stream).
    pub fn entries(&self) -> Result<Vec<AuditEntry>, AuditError> {
        let mut all = Vec::new();
        walk(self.path(), self.lines()?, |_, e| {
            all.push(e);
            true
        })?;
        Ok(all)
    }

    /// Verifies the log against what its keyring holds (or says why it cannot), reading it
    /// as a stream.
    pub fn verify(&self) -> Result<Verification, AuditError> {
        let trust = match self.keyring() {
            Ok(k) => Trust::read(k),
            Err(why) => Trust::unavailable(why),
        };
        verify_lines(self.path(), self.lines()?, &trust, None)
    }

    /// One page of entries matching `query`, newest first: from the index beside the log
    /// (see [`index`]), brought up to date first; read from the log itself when the index
    /// cannot be used (two streaming passes).
    pub fn query(&self, query: &AuditQuery) -> Result<AuditPage, DeskError> {
        let filter = query.filter()?;
        match self.query_indexed(query, &filter) {
            Ok(page) => Ok(page),
            Err(_) => query.scan(self.path(), || self.lines()),
        }
    }

    fn query_indexed(
        &self,
        query: &AuditQuery,
        filter: &query::Filter,
    ) -> Result<AuditPage, index::IndexError> {
        let key = self.index_key();
        let mut index = index::Index::open(self.path(), key)?;
        let size = query.page_size();
        let mut rebuilt = false;
        loop {
            let found = index.find(filter, u64::from(query.offset), size)?;
            match index.read_page(&found, filter) {
                Ok(entries) => {
                    return Ok(AuditPage {
                        total: found.total,
                        offset: query.offset,
                        entries,
                    });
                }
                Err(index::IndexError::Stale) if !rebuilt => {
                    rebuilt = true;
                    index.rebuild(key)?;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Throws the audit view's index away and builds it again from the log (it is only a
    /// cache: nothing is lost); returns the number of entries indexed.
    pub fn rebuild_index(&self) -> Result<u64, AuditError> {
        let failed = |e: index::IndexError| AuditError::Io {
            path: index::index_path(self.path()),
            detail: match e {
                index::IndexError::Stale => "the index could not be rebuilt".to_owned(),
                index::IndexError::Io(e) => e.to_string(),
            },
        };
        let key = self.index_key();
        let mut index = index::Index::open(self.path(), key).map_err(failed)?;
        index.rebuild(key).map_err(failed)?;
        Ok(index.len())
    }

    /// Where the audit view's index is kept (beside the log; safe to delete).
    pub fn index_path(&self) -> PathBuf {
        index::index_path(self.path())
    }

    /// Intents without an outcome entry, or whose latest outcome is `unknown`, oldest first.
    /// One streaming pass: only the intents still open are held.
    pub fn open_intents(&self) -> Result<Vec<AuditEntry>, AuditError> {
        use std::collections::{BTreeMap, HashMap, HashSet};
        let mut open: BTreeMap<u64, AuditEntry> = BTreeMap::new();
        // Settled intents whose later outcome is `unknown` again (read in a second pass),
        // and outcomes met before their intent (only in a damaged file).
        let mut reopened: HashSet<u64> = HashSet::new();
        let mut ahead: HashMap<u64, Option<AuditOutcome>> = HashMap::new();
        walk(self.path(), self.lines()?, |_, e| {
            match e.action {
                AuditAction::RevokeIntent => {
                    let settled = ahead
                        .remove(&e.seq)
                        .is_some_and(|o| o != Some(AuditOutcome::Unknown));
                    if !settled {
                        open.insert(e.seq, e);
                    }
                }
                AuditAction::RevokeOutcome | AuditAction::RecoveredOutcome => {
                    if let Some(intent) = e.intent_seq {
                        let unknown = e.outcome == Some(AuditOutcome::Unknown);
                        if intent > e.seq {
                            ahead.insert(intent, e.outcome);
                        } else if !unknown {
                            open.remove(&intent);
                            reopened.remove(&intent);
                        } else if !open.contains_key(&intent) {
                            reopened.insert(intent);
                        }
                    }
                }
                _ => {}
            }
            true
        })?;
        if !reopened.is_empty() {
            walk(self.path(), self.lines()?, |_, e| {
                if e.action == AuditAction::RevokeIntent && reopened.remove(&e.seq) {
                    open.insert(e.seq, e);
                }
                !reopened.is_empty()
            })?;
        }
        Ok(open.into_values().collect())
    }

    /// Exports every readable entry to `out`, streaming.
    pub fn export(&self, format: ExportFormat, out: impl Write) -> Result<u64, AuditError> {
        export_lines(self.path(), self.lines()?, format, None, out)
    }

    /// Exports to a new file at `dest` (mode 0600 on unix: the export holds what the log does).
    pub fn export_to_path(&self, format: ExportFormat, dest: &Path) -> Result<u64, AuditError> {
        let file = create_export(dest)?;
        let mut out = std::io::BufWriter::new(file);
        let n = self.export(format, &mut out)?;
        finish_export(dest, out)?;
        Ok(n)
    }

    /// Exports the entries `query`'s filters match (its page is ignored), in log order, to a
    /// new file at `dest`: what the audit view shows, all pages of it. Returns how many.
    pub fn export_matching_to_path(
        &self,
        format: ExportFormat,
        query: &AuditQuery,
        dest: &Path,
    ) -> Result<u64, DeskError> {
        let filter = query.filter()?;
        let file = create_export(dest)?;
        let mut out = std::io::BufWriter::new(file);
        let n = export_lines(self.path(), self.lines()?, format, Some(&filter), &mut out)?;
        finish_export(dest, out)?;
        Ok(n)
    }
}

/// Creates an export file (0600 on unix, an existing file included), replacing an older one.
pub fn create_export(dest: &Path) -> Result<std::fs::File, AuditError> {
    let file = desk_store::private_fs::owner_only(
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true),
    )
    .open(dest)
    .map_err(|e| AuditError::io(dest, &e))?;
    // The mode above only applies to a new file: one written over keeps its old mode.
    desk_store::private_fs::restrict(&file).map_err(|e| AuditError::io(dest, &e))?;
    Ok(file)
}

/// Flushes and syncs an export file.
pub fn finish_export(
    dest: &Path,
    out: std::io::BufWriter<std::fs::File>,
) -> Result<(), AuditError> {
    let file = out
        .into_inner()
        .map_err(|e| AuditError::io(dest, e.error()))?;
    file.sync_all().map_err(|e| AuditError::io(dest, &e))
}
