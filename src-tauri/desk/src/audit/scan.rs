//! Why: damage in the middle of the log (a line cut short, an entry deleted or edited) used to
//! be found only when someone pressed Verify; the app appended after it and recovery settled
//! intents whose outcome was the damaged line, without a word. [`first_break`] checks the hash
//! chain at every open — streaming, one line in memory at a time, no keyring — so the desk can
//! say at start-up where the chain breaks (a banner) and recovery can say which intents the
//! damage may concern. The rules are [`super::verify_with`]'s chain rules; MACs and the
//! high-water mark are left to `verify` and to the open itself.

use std::path::Path;

use super::AuditError;
use super::entry::{AuditAction, AuditEntry, GENESIS, LineFault, hash_hex};
use super::lines::Lines;
use super::mac::open_keyed;
use super::segment::ArchivedStart;
use super::verify::{BreakKind, BrokenLink};

/// A line not (yet) known to be acknowledged by a `log_repaired` entry.
struct Pending {
    number: u64,
    offset: u64,
    bytes: Vec<u8>,
    terminated: bool,
}

/// The first break in the hash chain of the log at `path`, or `None` when the chain is
/// intact (or there is no file). Reads the file once, a line at a time.
pub fn first_break(path: &Path) -> Result<Option<BrokenLink>, AuditError> {
    let mut lines = Lines::open(path)?;
    let mut expected_seq = 1u64;
    let mut expected_prev = GENESIS.to_owned();
    let mut pending: Option<Pending> = None;
    let mut start = ArchivedStart::default();
    while let Some(raw) = lines.next_line().map_err(|e| AuditError::io(path, &e))? {
        let number = raw.number;
        let line_offset = raw.offset;
        let terminated = raw.terminated;
        let line = raw.bytes;
        let read = open_keyed(line, None).0;
        if let Ok(e) = &read
            && let Some((seq, prev)) = start.first(e)
        {
            (expected_seq, expected_prev) = (seq, prev);
        }
        let broken = |problem, seq, message| BrokenLink {
            line: number,
            offset: line_offset,
            seq,
            expected_seq,
            problem,
            message,
        };
        let (entry, edited) = match read {
            Ok(e) => (e, false),
            Err(LineFault::HashMismatch(e)) => (*e, true),
            Err(LineFault::Unreadable) => {
                if let Some(p) = pending.take() {
                    return Ok(Some(unreadable(&p, expected_seq)));
                }
                pending = Some(Pending {
                    number,
                    offset: line_offset,
                    bytes: line.to_vec(),
                    terminated,
                });
                continue;
            }
        };
        let mut acknowledged = false;
        if let Some(p) = pending.take() {
            if !edited && acknowledges(&entry, &p) {
                acknowledged = true;
            } else {
                return Ok(Some(unreadable(&p, expected_seq)));
            }
        }
        if entry.seq != expected_seq {
            let (kind, what) = if entry.seq > expected_seq {
                (BreakKind::Missing, "deleted entries")
            } else {
                (BreakKind::OutOfOrder, "entries moved, swapped or copied")
            };
            return Ok(Some(broken(
                kind,
                Some(entry.seq),
                format!(
                    "line {number} holds entry {} where entry {expected_seq} belongs ({what})",
                    entry.seq
                ),
            )));
        }
        if edited {
            return Ok(Some(broken(
                BreakKind::Edited,
                Some(entry.seq),
                format!(
                    "entry {} (line {number}) does not match its hash: it was edited",
                    entry.seq
                ),
            )));
        }
        if entry.prev != expected_prev {
            return Ok(Some(broken(
                BreakKind::PrevMismatch,
                Some(entry.seq),
                format!(
                    "entry {} (line {number}) does not chain to the entry before it: that entry \
                     was replaced or its hash recomputed",
                    entry.seq
                ),
            )));
        }
        if entry.action == AuditAction::LogRepaired && !acknowledged {
            return Ok(Some(broken(
                BreakKind::Unreadable,
                Some(entry.seq),
                format!(
                    "entry {} (line {number}) claims a repair, but the line before it is not \
                     the fragment it names",
                    entry.seq
                ),
            )));
        }
        start.note(&entry);
        expected_seq += 1;
        expected_prev = entry.hash;
    }
    if let Some(p) = pending {
        return Ok(Some(unreadable(&p, expected_seq)));
    }
    Ok(start.unrecorded())
}

fn unreadable(p: &Pending, expected_seq: u64) -> BrokenLink {
    let (problem, message) = if p.terminated {
        (
            BreakKind::Unreadable,
            format!("line {} is not an audit entry", p.number),
        )
    } else {
        (
            BreakKind::Truncated,
            format!(
                "the last line is cut short ({} bytes, no newline): a write was interrupted; \
                 entry {expected_seq} is incomplete",
                p.bytes.len()
            ),
        )
    };
    BrokenLink {
        line: p.number,
        offset: p.offset,
        seq: None,
        expected_seq,
        problem,
        message,
    }
}

fn acknowledges(fix: &AuditEntry, fragment: &Pending) -> bool {
    fix.action == AuditAction::LogRepaired
        && fix.repair.as_ref().is_some_and(|r| {
            r.offset == fragment.offset
                && r.length == fragment.bytes.len() as u64
                && r.fragment_hash == hash_hex(&fragment.bytes)
        })
}
