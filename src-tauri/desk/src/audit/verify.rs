//! Why: the log is only evidence if an auditor can check it. [`verify_bytes`] walks the file
//! line by line and names the first place where the chain breaks — an edited entry, a
//! deleted one, two swapped, a line cut short — so "intact" is a checked claim.
//!
//! What a chain without a secret cannot show: someone who rewrites the file and recomputes
//! every later hash, or cuts whole entries off the end. The last `hash` handed out with each
//! revocation (and pasted into the ticket) anchors the log outside the machine for that.

use std::collections::HashSet;

use serde::Serialize;

use super::entry::{AuditAction, AuditEntry, GENESIS, LineFault, hash_hex, open_line};

/// What kind of break was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// The entry's content does not match its `hash`: it was edited.
    Edited,
    /// The expected `seq` never comes: an entry was deleted.
    Missing,
    /// The expected `seq` comes later, or a `seq` repeats: entries were moved or swapped.
    OutOfOrder,
    /// `prev` is not the previous entry's hash: the entry before was replaced or re-hashed.
    PrevMismatch,
    /// A line that is not an entry (and no `log_repaired` entry acknowledges it).
    Unreadable,
    /// The last line is cut short (a crash mid-write, not yet repaired by an open).
    Truncated,
}

/// The first break: where it is and what it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct BrokenLink {
    /// 1-based line number in the file.
    pub line: u64,
    /// Byte offset of the line.
    pub offset: u64,
    /// The `seq` the line carries, when it can be read.
    pub seq: Option<u64>,
    /// The `seq` that should be there.
    pub expected_seq: u64,
    pub problem: BreakKind,
    pub message: String,
}

/// A cut-short line that a later `log_repaired` entry acknowledges.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RepairedLine {
    pub line: u64,
    pub offset: u64,
    pub length: u64,
    /// `seq` of the `log_repaired` entry.
    pub repaired_by: u64,
}

/// The result of checking the whole log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    /// Readable entries in the file.
    pub entries: u64,
    /// No break anywhere.
    pub ok: bool,
    pub first_broken: Option<BrokenLink>,
    pub repaired: Vec<RepairedLine>,
    /// `seq` of intents without an outcome entry (the app stopped in between): not a break,
    /// but work for recovery.
    pub open_intents: Vec<u64>,
    /// `hash` of the last entry of an intact chain ([`GENESIS`] when empty).
    pub last_hash: String,
}

struct Line<'a> {
    number: u64,
    offset: u64,
    bytes: &'a [u8],
    terminated: bool,
    read: Result<AuditEntry, LineFault>,
}

fn lines(bytes: &[u8]) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut offset = 0usize;
    let mut number = 0u64;
    while offset < bytes.len() {
        number += 1;
        let (end, terminated) = match bytes[offset..].iter().position(|b| *b == b'\n') {
            Some(i) => (offset + i, true),
            None => (bytes.len(), false),
        };
        let line = &bytes[offset..end];
        out.push(Line {
            number,
            offset: offset as u64,
            bytes: line,
            terminated,
            read: open_line(line),
        });
        offset = end + 1;
    }
    out
}

/// Checks a whole log file's bytes.
pub fn verify_bytes(bytes: &[u8]) -> Verification {
    let lines = lines(bytes);
    let seqs: Vec<Option<u64>> = lines
        .iter()
        .map(|l| match &l.read {
            Ok(e) => Some(e.seq),
            Err(LineFault::HashMismatch(e)) => Some(e.seq),
            Err(LineFault::Unreadable) => None,
        })
        .collect();
    let mut expected_seq = 1u64;
    let mut expected_prev = GENESIS.to_owned();
    let mut first_broken = None;
    let mut repaired = Vec::new();
    let mut acknowledged: HashSet<u64> = HashSet::new();
    let mut entries = 0u64;
    let mut intents: Vec<u64> = Vec::new();
    let mut settled: HashSet<u64> = HashSet::new();

    for (i, line) in lines.iter().enumerate() {
        let entry = match &line.read {
            Ok(e) => Some(e),
            Err(LineFault::HashMismatch(e)) => Some(e.as_ref()),
            Err(LineFault::Unreadable) => None,
        };
        if let Some(e) = entry {
            entries += 1;
            match e.action {
                AuditAction::RevokeIntent => intents.push(e.seq),
                AuditAction::RevokeOutcome | AuditAction::RecoveredOutcome => {
                    settled.extend(e.intent_seq);
                }
                _ => {}
            }
        }
        if first_broken.is_some() {
            continue;
        }
        let broken = |problem: BreakKind, seq: Option<u64>, message: String| BrokenLink {
            line: line.number,
            offset: line.offset,
            seq,
            expected_seq,
            problem,
            message,
        };
        let Some(e) = entry else {
            let next = lines.get(i + 1).and_then(|n| n.read.as_ref().ok());
            if let Some(fix) = next.filter(|n| acknowledges(n, line)) {
                acknowledged.insert(fix.seq);
                repaired.push(RepairedLine {
                    line: line.number,
                    offset: line.offset,
                    length: line.bytes.len() as u64,
                    repaired_by: fix.seq,
                });
                continue;
            }
            first_broken = Some(if !line.terminated && i + 1 == lines.len() {
                broken(
                    BreakKind::Truncated,
                    None,
                    format!(
                        "the last line is cut short ({} bytes, no newline): a write was \
                         interrupted; entry {expected_seq} is incomplete",
                        line.bytes.len()
                    ),
                )
            } else {
                broken(
                    BreakKind::Unreadable,
                    None,
                    format!("line {} is not an audit entry", line.number),
                )
            });
            continue;
        };
        if e.seq != expected_seq {
            let later = seqs[i + 1..].contains(&Some(expected_seq));
            first_broken = Some(if e.seq > expected_seq && !later {
                broken(
                    BreakKind::Missing,
                    Some(e.seq),
                    format!(
                        "entry {expected_seq} is missing: line {} holds entry {} (deleted entries)",
                        line.number, e.seq
                    ),
                )
            } else {
                broken(
                    BreakKind::OutOfOrder,
                    Some(e.seq),
                    format!(
                        "line {} holds entry {} where entry {expected_seq} belongs (entries \
                         moved, swapped or copied)",
                        line.number, e.seq
                    ),
                )
            });
            continue;
        }
        if let Err(LineFault::HashMismatch(_)) = &line.read {
            first_broken = Some(broken(
                BreakKind::Edited,
                Some(e.seq),
                format!(
                    "entry {} (line {}) does not match its hash: it was edited",
                    e.seq, line.number
                ),
            ));
            continue;
        }
        if e.prev != expected_prev {
            first_broken = Some(broken(
                BreakKind::PrevMismatch,
                Some(e.seq),
                format!(
                    "entry {} (line {}) does not chain to the entry before it: that entry was \
                     replaced or its hash recomputed",
                    e.seq, line.number
                ),
            ));
            continue;
        }
        if e.action == AuditAction::LogRepaired && !acknowledged.contains(&e.seq) {
            first_broken = Some(broken(
                BreakKind::Unreadable,
                Some(e.seq),
                format!(
                    "entry {} (line {}) claims a repair, but the line before it is not the \
                     fragment it names",
                    e.seq, line.number
                ),
            ));
            continue;
        }
        expected_seq += 1;
        expected_prev = e.hash.clone();
    }
    let open_intents = intents
        .into_iter()
        .filter(|s| !settled.contains(s))
        .collect();
    Verification {
        entries,
        ok: first_broken.is_none(),
        first_broken,
        repaired,
        open_intents,
        last_hash: expected_prev,
    }
}

/// Whether `fix` is a `log_repaired` entry naming exactly `fragment`.
fn acknowledges(fix: &AuditEntry, fragment: &Line<'_>) -> bool {
    fix.action == AuditAction::LogRepaired
        && fix.repair.as_ref().is_some_and(|r| {
            r.offset == fragment.offset
                && r.length == fragment.bytes.len() as u64
                && r.fragment_hash == hash_hex(fragment.bytes)
        })
}
