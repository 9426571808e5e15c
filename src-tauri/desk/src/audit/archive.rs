//! Why: proof is kept for a retention period (three years for order 179), not forever, and
//! a live log that only grows would make every check slower. `archive` moves closed segments
//! wholly older than a cut-off to a place the operator keeps (another disk, an archive
//! share) and appends an `archived` entry naming each one — name, first and last `seq`, last
//! hash, BLAKE3 — so the live chain verifies without them (it begins where the record says
//! they ended), and the archive verifies against that record ([`verify_archive`]).
//! [`verify_segment`] checks one closed segment by itself.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::entry::{AuditAction, AuditEntry, EntryDraft, GENESIS, Operator, format_time};
use super::lines::Lines;
use super::segment::{self, Part, SegmentLink, file_hash, file_name, link_of};
use super::verify::Verifier;
use super::{AuditError, AuditLog, Trust, Verification};

/// What [`AuditLog::archive`] moved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveReport {
    pub dest: PathBuf,
    /// Segments whose last entry is older than this were moved.
    pub cutoff: String,
    pub segments: Vec<SegmentLink>,
    /// The `archived` entry (none when nothing was old enough).
    pub entry: Option<AuditEntry>,
}

/// One archived segment as [`verify_archive`] found it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchivedFile {
    pub name: String,
    pub first_seq: u64,
    pub last_seq: u64,
    /// Recorded by the live log's entry with this `seq`.
    pub recorded_by: u64,
    pub ok: bool,
    /// Why not, when not.
    pub problem: Option<String>,
}

/// What [`verify_archive`] found: every segment the live log records as archived.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveCheck {
    pub dest: PathBuf,
    pub ok: bool,
    pub segments: Vec<ArchivedFile>,
}

/// The cut-off `older_than` (`3y`, `36m`, `90d`) before now, as an entry time; `Err` says
/// what a duration looks like.
pub fn cutoff(older_than: &str) -> Result<String, String> {
    cutoff_from(time::OffsetDateTime::now_utc(), older_than)
}

fn cutoff_from(now: time::OffsetDateTime, older_than: &str) -> Result<String, String> {
    let bad = || {
        format!(
            "older-than: a duration like 3y, 36m or 90d (years, months, days), got {older_than:?}"
        )
    };
    let text = older_than.trim();
    let (n, unit) = text.split_at(text.len().saturating_sub(1));
    let n: i64 = n.parse().map_err(|_| bad())?;
    if n <= 0 {
        return Err(bad());
    }
    let then = match unit {
        "d" => now - time::Duration::days(n),
        "y" | "m" => {
            let months = if unit == "y" { n * 12 } else { n };
            let total = i64::from(now.year()) * 12 + i64::from(u8::from(now.month())) - 1 - months;
            let year = i32::try_from(total.div_euclid(12)).map_err(|_| bad())?;
            let month = time::Month::try_from(u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1))
                .map_err(|_| bad())?;
            let day = now.day().min(month.length(year));
            let date = time::Date::from_calendar_date(year, month, day).map_err(|_| bad())?;
            now.replace_date(date)
        }
        _ => return Err(bad()),
    };
    Ok(format_time(then))
}

impl AuditLog {
    /// Moves closed segments whose last entry is older than `cutoff` (an entry time) to
    /// `dest` and appends an `archived` entry naming them. Only a run of segments from the
    /// start of the live log moves (the live chain stays whole); each is checked against the
    /// link its successor holds and copied, synced and checked again before the record is
    /// written, and removed only after it.
    pub fn archive(
        &self,
        operator: &Operator,
        cutoff: &str,
        dest: &Path,
    ) -> Result<ArchiveReport, AuditError> {
        let _busy = archive_lock(self.path())?;
        let parts = segment::parts(self.path())?;
        let mut moving: Vec<(&Part, SegmentLink)> = Vec::new();
        for pair in parts.windows(2) {
            let (closed, next) = (&pair[0], &pair[1]);
            let Some((_, link)) = link_of(next)? else {
                break;
            };
            if link.last_time.as_str() >= cutoff || link.name != file_name(&closed.path) {
                break;
            }
            moving.push((closed, link));
        }
        let mut report = ArchiveReport {
            dest: dest.to_path_buf(),
            cutoff: cutoff.to_owned(),
            segments: Vec::new(),
            entry: None,
        };
        if moving.is_empty() {
            return Ok(report);
        }
        desk_store::private_fs::create_private_dir(dest).map_err(|e| AuditError::io(dest, &e))?;
        for (closed, link) in &moving {
            let hash = file_hash(&closed.file, closed.len)
                .map_err(|e| AuditError::io(&closed.path, &e))?;
            if hash != link.blake3 {
                return Err(AuditError::Broken {
                    path: closed.path.clone(),
                    detail: format!(
                        "segment {} is not the file the log's chain names (its BLAKE3 differs); \
                         nothing was archived: run `carddesk audit verify`",
                        link.name
                    ),
                });
            }
            copy_checked(closed, &dest.join(&link.name), &link.blake3)?;
        }
        super::log::sync_dir(dest);
        let mut draft = EntryDraft::new(operator.clone(), AuditAction::Archived);
        draft.detail = Some(format!(
            "{} segments (entries {}–{}) older than {cutoff} moved to {}",
            moving.len(),
            moving[0].1.first_seq,
            moving[moving.len() - 1].1.last_seq,
            dest.display()
        ));
        draft.segments = Some(moving.iter().map(|(_, l)| l.clone()).collect());
        let entry = self.append(draft)?;
        for (closed, _) in &moving {
            std::fs::remove_file(&closed.path).map_err(|e| AuditError::io(&closed.path, &e))?;
        }
        super::log::sync_dir(&segment::segments_dir(self.path()));
        report.segments = moving.into_iter().map(|(_, l)| l).collect();
        report.entry = Some(entry);
        Ok(report)
    }
}

/// One archive run at a time per log (appends are not held up).
fn archive_lock(log: &Path) -> Result<File, AuditError> {
    let path = log.with_extension("archive.lock");
    let file = desk_store::private_fs::owner_only(OpenOptions::new().write(true).create(true))
        .open(&path)
        .map_err(|e| AuditError::io(&path, &e))?;
    file.lock().map_err(|e| AuditError::io(&path, &e))?;
    Ok(file)
}

/// Copies a closed segment to `to` (0400), syncs it and checks its BLAKE3; a copy already
/// there with the right bytes (an earlier run stopped before its record) is kept.
fn copy_checked(from: &Part, to: &Path, blake3: &str) -> Result<(), AuditError> {
    let io = |e: std::io::Error| AuditError::io(to, &e);
    if let Ok(existing) = File::open(to) {
        let len = existing.metadata().map_err(io)?.len();
        if file_hash(&existing, len).map_err(io)? == blake3 {
            return Ok(());
        }
        return Err(AuditError::Io {
            path: to.to_path_buf(),
            detail: "a different file of that name is already in the archive; nothing was \
                     archived"
                .to_owned(),
        });
    }
    let partial = to.with_extension("jsonl.partial");
    std::fs::copy(&from.path, &partial).map_err(io)?;
    let copy = File::open(&partial).map_err(io)?;
    copy.sync_all().map_err(io)?;
    let len = copy.metadata().map_err(io)?.len();
    if file_hash(&copy, len).map_err(io)? != blake3 {
        let _ = std::fs::remove_file(&partial);
        return Err(AuditError::Io {
            path: to.to_path_buf(),
            detail: "the copy does not match the segment; nothing was archived".to_owned(),
        });
    }
    std::fs::rename(&partial, to).map_err(io)?;
    super::log::read_only(to).map_err(io)?;
    Ok(())
}

/// Verifies one closed segment (`name` under `segments/`) by itself: its chain from its own
/// first entry, MACs with the key in `trust`, and its bytes against the link the next file's
/// `segment_started` entry holds. The high-water mark is left to a verify of the whole log.
pub fn verify_segment(log: &Path, name: &str, trust: Trust) -> Result<Verification, AuditError> {
    let parts = segment::parts(log)?;
    let Some(at) = parts
        .iter()
        .position(|p| p.path != log && file_name(&p.path) == name)
    else {
        return Err(AuditError::Io {
            path: segment::segments_dir(log).join(name),
            detail: "no closed segment of that name (see `segments/`)".to_owned(),
        });
    };
    let trust = Trust {
        key: trust.key,
        mark: Err("one segment is checked alone".to_owned()),
    };
    let part = &parts[at];
    let mut v = verify_alone(&part.path, None, &trust)?;
    v.first_broken = v
        .first_broken
        .or(segment_link_problem(part, parts.get(at + 1))?);
    drop_mark_note(&mut v);
    v.ok = v.first_broken.is_none();
    Ok(v)
}

fn segment_link_problem(
    closed: &Part,
    next: Option<&Part>,
) -> Result<Option<super::BrokenLink>, AuditError> {
    match next {
        Some(next) => segment::link_problem(closed, next),
        None => Ok(None),
    }
}

fn drop_mark_note(v: &mut Verification) {
    if let Some(k) = &mut v.keyed {
        k.notes
            .retain(|n| !n.starts_with("high-water mark not checked"));
        k.notes.push(
            "one segment checked alone: the high-water mark is checked by a verify of the \
             whole log"
                .to_owned(),
        );
    }
}

/// Verifies the file at `path` by itself, its chain starting at its own first entry (whose
/// `prev` must be `prev` when given).
fn verify_alone(
    path: &Path,
    prev: Option<&str>,
    trust: &Trust,
) -> Result<Verification, AuditError> {
    let mut head = Lines::of_file(path)?;
    let first = head
        .next_line()
        .map_err(|e| AuditError::io(path, &e))?
        .and_then(|l| serde_json::from_slice::<AuditEntry>(l.bytes).ok());
    let (seq, own_prev) = first.map_or((1, GENESIS.to_owned()), |e| (e.seq, e.prev));
    let mut verifier =
        Verifier::new(trust, None).starting_at(seq, prev.map_or(own_prev, str::to_owned));
    let mut lines = Lines::of_file(path)?;
    verifier
        .feed_all(&mut lines)
        .map_err(|e| AuditError::io(path, &e))?;
    Ok(verifier.finish(trust))
}

/// Checks the archive at `dest` against the live log's `archived` entries: every segment they
/// name is there, has the recorded BLAKE3, holds an intact chain (MACs checked with the key
/// in `trust`) from the entry the one before it ended with, and ends at the recorded last
/// `seq` and hash.
pub fn verify_archive(log: &Path, dest: &Path, trust: Trust) -> Result<ArchiveCheck, AuditError> {
    let mut recorded: Vec<(u64, SegmentLink)> = Vec::new();
    super::for_each_entry(log, |_, e| {
        if e.action == AuditAction::Archived {
            for l in e.segments.iter().flatten() {
                recorded.push((e.seq, l.clone()));
            }
        }
        true
    })?;
    recorded.sort_by_key(|(_, l)| l.first_seq);
    recorded.dedup_by(|a, b| a.1 == b.1);
    let trust = Trust {
        key: trust.key,
        mark: Err("archived segments are checked against the archive record".to_owned()),
    };
    let mut files = Vec::new();
    let mut before: Option<&SegmentLink> = None;
    for (by, link) in &recorded {
        let problem = check_archived(&dest.join(&link.name), link, before, &trust)?;
        files.push(ArchivedFile {
            name: link.name.clone(),
            first_seq: link.first_seq,
            last_seq: link.last_seq,
            recorded_by: *by,
            ok: problem.is_none(),
            problem,
        });
        before = Some(link);
    }
    Ok(ArchiveCheck {
        dest: dest.to_path_buf(),
        ok: files.iter().all(|f| f.ok),
        segments: files,
    })
}

fn check_archived(
    path: &Path,
    link: &SegmentLink,
    before: Option<&SegmentLink>,
    trust: &Trust,
) -> Result<Option<String>, AuditError> {
    let Ok(file) = File::open(path) else {
        return Ok(Some("missing from the archive".to_owned()));
    };
    let len = file.metadata().map_err(|e| AuditError::io(path, &e))?.len();
    if file_hash(&file, len).map_err(|e| AuditError::io(path, &e))? != link.blake3 {
        return Ok(Some(
            "its BLAKE3 is not the one recorded: the archived file was changed".to_owned(),
        ));
    }
    let prev = match before {
        Some(b) if b.last_seq + 1 == link.first_seq => Some(b.last_hash.as_str()),
        _ if link.first_seq == 1 => Some(GENESIS),
        _ => None,
    };
    let v = verify_alone(path, prev, trust)?;
    if let Some(b) = v.first_broken {
        return Ok(Some(format!("its chain is broken: {}", b.message)));
    }
    let last = v.keyed.as_ref().map_or(0, |k| k.last_seq);
    if last != link.last_seq || v.last_hash != link.last_hash {
        return Ok(Some(format!(
            "it ends at entry {last}, not at entry {} with the recorded hash",
            link.last_seq
        )));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn cutoffs_count_calendar_months_and_days() {
        let now = time::macros::datetime!(2029-03-31 12:00 UTC);
        assert_eq!(cutoff_from(now, "3y").unwrap(), "2026-03-31T12:00:00.000Z");
        assert_eq!(cutoff_from(now, "1m").unwrap(), "2029-02-28T12:00:00.000Z");
        assert_eq!(cutoff_from(now, "36m").unwrap(), "2026-03-31T12:00:00.000Z");
        assert_eq!(cutoff_from(now, "31d").unwrap(), "2029-02-28T12:00:00.000Z");
        assert!(cutoff_from(now, "3w").is_err());
        assert!(cutoff_from(now, "y").is_err());
        assert!(cutoff_from(now, "0y").is_err());
    }
}
