//! Why: a log kept three years must not be one ever-growing file that every check rereads
//! and that can never be set aside. The active `audit.jsonl` is closed into
//! `segments/audit-<first seq>-<last seq>.jsonl` (0400, never written again) when it reaches
//! a size or a new month begins, and the new active file opens with a `segment_started`
//! entry naming the closed segment's bytes (BLAKE3) and its last entry: the chain runs on
//! across files. [`parts`] gives readers the segments and the active file in order, as one
//! consistent snapshot.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::AuditError;

/// Closed segments live here, beside the active file.
pub const SEGMENTS_DIR_NAME: &str = "segments";
/// The size at which the active file is closed into a segment.
pub const DEFAULT_SEGMENT_BYTES: u64 = 64 * 1024 * 1024;
/// Overrides [`DEFAULT_SEGMENT_BYTES`] (tests).
pub const SEGMENT_BYTES_ENV: &str = "CARDDESK_AUDIT_SEGMENT_BYTES";

/// What a `segment_started` entry says of the segment it follows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SegmentLink {
    /// File name under `segments/`.
    pub name: String,
    /// Lines the segment holds (entries, and any repaired fragment).
    pub entries: u64,
    pub first_seq: u64,
    pub last_seq: u64,
    pub last_hash: String,
    /// Time of its last entry.
    pub last_time: String,
    /// Hex BLAKE3 of the segment's bytes.
    pub blake3: String,
}

/// The size limit in force: [`SEGMENT_BYTES_ENV`] or the default.
pub(crate) fn segment_limit() -> u64 {
    std::env::var(SEGMENT_BYTES_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_SEGMENT_BYTES)
}

/// `<audit dir>/segments`.
pub fn segments_dir(log: &Path) -> PathBuf {
    log.with_file_name(SEGMENTS_DIR_NAME)
}

/// `audit-<first>-<last>.jsonl`.
pub(crate) fn segment_name(first: u64, last: u64) -> String {
    format!("audit-{first}-{last}.jsonl")
}

/// The `(first, last)` seq a segment's name gives.
pub(crate) fn parse_name(name: &str) -> Option<(u64, u64)> {
    let range = name.strip_prefix("audit-")?.strip_suffix(".jsonl")?;
    let (a, b) = range.split_once('-')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// One file of the log: a closed segment or the active file, with its length in the snapshot.
pub(crate) struct Part {
    pub path: PathBuf,
    pub file: File,
    pub len: u64,
}

/// Same file (device and inode) — the identity a roll changes.
#[cfg(unix)]
pub(crate) fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}
#[cfg(not(unix))]
pub(crate) fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    true
}

/// The closed segments' paths, in chain order (by first seq); a missing directory has none.
pub fn closed_segments(log: &Path) -> Result<Vec<PathBuf>, AuditError> {
    let dir = segments_dir(log);
    let listing = match std::fs::read_dir(&dir) {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(AuditError::io(&dir, &e)),
    };
    let mut found = Vec::new();
    for item in listing {
        let item = item.map_err(|e| AuditError::io(&dir, &e))?;
        let name = item.file_name();
        if let Some((first, _)) = name.to_str().and_then(parse_name) {
            found.push((first, item.path()));
        }
    }
    found.sort();
    Ok(found.into_iter().map(|(_, p)| p).collect())
}

/// The log's files in chain order — closed segments, then the active file (when there is
/// one) — with their lengths, taken together under the active file's shared lock: a roll
/// (which holds the exclusive lock) is wholly before or wholly after the snapshot.
pub(crate) fn parts(log: &Path) -> Result<Vec<Part>, AuditError> {
    parts_with(log, true)
}

/// [`parts`] for a caller that already holds the active file's exclusive lock (an open's
/// check of the high-water mark): taking the shared lock would wait for itself.
pub(crate) fn parts_held(log: &Path) -> Result<Vec<Part>, AuditError> {
    parts_with(log, false)
}

fn parts_with(log: &Path, lock: bool) -> Result<Vec<Part>, AuditError> {
    loop {
        let active = match File::open(log) {
            Ok(f) => Some(f),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(AuditError::io(log, &e)),
        };
        let mut parts = Vec::new();
        let mut active_meta = None;
        if let Some(f) = &active {
            if lock {
                f.lock_shared().map_err(|e| AuditError::io(log, &e))?;
            }
            let meta = f.metadata().map_err(|e| AuditError::io(log, &e))?;
            let now = std::fs::metadata(log);
            if !now.as_ref().is_ok_and(|m| same_file(m, &meta)) {
                // Rolled between our open and our lock: take the new active file.
                if lock {
                    let _ = f.unlock();
                }
                continue;
            }
            active_meta = Some(meta);
        }
        let listed = closed_segments(log);
        let unlock = || {
            if let (true, Some(f)) = (lock, &active) {
                let _ = f.unlock();
            }
        };
        let listed = match listed {
            Ok(l) => l,
            Err(e) => {
                unlock();
                return Err(e);
            }
        };
        for path in listed {
            let opened = File::open(&path).and_then(|f| f.metadata().map(|m| (f, m)));
            let (file, meta) = match opened {
                Ok(x) => x,
                Err(e) => {
                    unlock();
                    return Err(AuditError::io(&path, &e));
                }
            };
            // A roll cut short after its link: the "segment" is still the active file.
            if active_meta.as_ref().is_some_and(|a| same_file(a, &meta)) {
                continue;
            }
            parts.push(Part {
                path,
                len: meta.len(),
                file,
            });
        }
        unlock();
        if let (Some(file), Some(meta)) = (active, active_meta) {
            parts.push(Part {
                path: log.to_path_buf(),
                len: meta.len(),
                file,
            });
        }
        return Ok(parts);
    }
}

/// A live log whose first segments were archived begins at an entry after 1: it is intact
/// only when `archived` entries record every entry before it, the last of them the entry its
/// first entry chains to. Fed the chain's entries in order.
#[derive(Debug, Default)]
pub(crate) struct ArchivedStart {
    seen_first: bool,
    /// The first entry's `seq` and `prev`, when it is not entry 1.
    first: Option<(u64, String)>,
    /// What `archived` entries recorded: first seq, last seq, last hash.
    recorded: Vec<(u64, u64, String)>,
}

impl ArchivedStart {
    /// For a chain whose start is given (checked alone): nothing to record.
    pub(crate) fn begun() -> ArchivedStart {
        ArchivedStart {
            seen_first: true,
            ..ArchivedStart::default()
        }
    }

    /// For the chain's first entry: the `seq` and `prev` to expect when it is not entry 1.
    pub(crate) fn first(&mut self, e: &super::AuditEntry) -> Option<(u64, String)> {
        if std::mem::replace(&mut self.seen_first, true) || e.seq <= 1 {
            return None;
        }
        self.first = Some((e.seq, e.prev.clone()));
        self.first.clone()
    }

    /// Notes an intact entry (an `archived` one records segments).
    pub(crate) fn note(&mut self, e: &super::AuditEntry) {
        if e.action == super::AuditAction::Archived {
            for l in e.segments.iter().flatten() {
                self.recorded
                    .push((l.first_seq, l.last_seq, l.last_hash.clone()));
            }
        }
    }

    /// Whether the archive record covers the high-water mark (which lies in an archived
    /// segment): its segment's last entry, or inside a recorded segment.
    pub(crate) fn vouches(&self, m: &super::Mark) -> bool {
        self.recorded.iter().any(|(first, last, hash)| {
            (*last == m.seq && *hash == m.hash) || (*first <= m.seq && m.seq < *last)
        })
    }

    /// The break when the log begins after entry 1 without a record of what came before.
    pub(crate) fn unrecorded(&self) -> Option<super::BrokenLink> {
        let (seq, prev) = self.first.as_ref()?;
        let mut ranges: Vec<_> = self.recorded.iter().collect();
        ranges.sort();
        let mut next = 1u64;
        let mut last_hash = None;
        for (first, last, hash) in ranges {
            if *last < next {
                continue;
            }
            if *first != next {
                break;
            }
            next = last + 1;
            last_hash = Some(hash);
        }
        if next == *seq && last_hash == Some(prev) {
            return None;
        }
        Some(super::BrokenLink {
            line: 1,
            offset: 0,
            seq: Some(*seq),
            expected_seq: 1,
            problem: super::BreakKind::SegmentLink,
            message: format!(
                "the log begins at entry {seq}, but no `archived` entry records entries 1–{}                  ending in the entry it chains to: its first segments were deleted or moved                  without `carddesk audit archive`",
                seq - 1
            ),
        })
    }
}

/// Checks that every closed segment is the file the next file's `segment_started` entry
/// names (its name and BLAKE3): a closed segment edited in any way — even re-chained — is
/// found here. `None` when every link holds.
pub(crate) fn check_links(log: &Path) -> Result<Option<super::BrokenLink>, AuditError> {
    let parts = parts(log)?;
    for pair in parts.windows(2) {
        let (closed, next) = (&pair[0], &pair[1]);
        if let Some(problem) = link_problem(closed, next)? {
            return Ok(Some(problem));
        }
    }
    Ok(None)
}

/// The `segment_started` link at the start of `next`, if it reads as one.
pub(crate) fn link_of(next: &Part) -> Result<Option<(u64, SegmentLink)>, AuditError> {
    let mut lines = super::lines::Lines::over(&next.file, next.len, 0, 1);
    let first = lines
        .next_line()
        .map_err(|e| AuditError::io(&next.path, &e))?;
    let entry = first.and_then(|l| serde_json::from_slice::<super::AuditEntry>(l.bytes).ok());
    Ok(entry.and_then(|e| {
        let link = e.segments.and_then(|mut s| s.pop());
        match (e.action, link) {
            (super::AuditAction::SegmentStarted, Some(l)) => Some((e.seq, l)),
            _ => None,
        }
    }))
}

pub(crate) fn link_problem(
    closed: &Part,
    next: &Part,
) -> Result<Option<super::BrokenLink>, AuditError> {
    let name = file_name(&closed.path);
    let broken = |seq: Option<u64>, message: String| super::BrokenLink {
        line: 1,
        offset: 0,
        seq,
        expected_seq: seq.unwrap_or(0),
        problem: super::BreakKind::SegmentLink,
        message,
    };
    let Some((seq, link)) = link_of(next)? else {
        return Ok(Some(broken(
            None,
            format!(
                "{} does not begin with a `segment_started` entry naming segment {name}",
                file_name(&next.path)
            ),
        )));
    };
    if link.name != name {
        return Ok(Some(broken(
            Some(seq),
            format!(
                "entry {seq} says the segment before it is {}, but it follows {name}",
                link.name
            ),
        )));
    }
    let hash = file_hash(&closed.file, closed.len).map_err(|e| AuditError::io(&closed.path, &e))?;
    if hash != link.blake3 {
        return Ok(Some(broken(
            Some(seq),
            format!(
                "segment {name} is not the file entry {seq} closed (its BLAKE3 differs): a                  closed segment was changed"
            ),
        )));
    }
    Ok(None)
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Hex BLAKE3 of a file's first `len` bytes.
pub(crate) fn file_hash(file: &File, len: u64) -> std::io::Result<String> {
    use std::io::{Seek, SeekFrom};
    let mut hasher = blake3::Hasher::new();
    let mut reader = file;
    reader.seek(SeekFrom::Start(0))?;
    let mut take = reader.take(len);
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = take.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().to_hex().to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(parse_name(&segment_name(1, 4711)), Some((1, 4711)));
        assert_eq!(parse_name("audit-x-2.jsonl"), None);
        assert_eq!(parse_name("other.jsonl"), None);
    }
}
