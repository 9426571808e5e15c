//! Why: the log is only evidence if an auditor can check it. [`verify_bytes`] walks the file
//! line by line and names the first place where the chain breaks — an edited entry, a
//! deleted one, two swapped, a line cut short — so "intact" is a checked claim.
//!
//! What a chain without a secret cannot show — a rewrite with every later hash recomputed,
//! entries cut off the end, a whole new file — [`verify_with`] checks against what the OS
//! keyring holds ([`Trust`]): each line's MAC under the log's key, and the high-water mark.
//! What either could not check is said in [`KeyedCheck::notes`], never passed over.

use std::collections::HashSet;

use serde::Serialize;

use super::anchor::{Mark, Trust};
use super::entry::{AuditAction, AuditEntry, GENESIS, LineFault, hash_hex};
use super::mac::{MacKey, MacVerdict, open_keyed};

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
    /// The entry's hash and links are right, but its MAC is not: it was rewritten and
    /// re-hashed by someone without the log's key.
    MacMismatch,
    /// The file ends before the keyring's high-water mark: entries were cut off its end (or
    /// the file is missing or empty).
    Cut,
    /// The file's chain does not hold the entry the high-water mark names: the log was
    /// replaced by another chain, or rewritten.
    Replaced,
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
    /// What the keyring's MAC key and high-water mark showed, and what they could not.
    #[ts(optional = nullable)]
    pub keyed: Option<KeyedCheck>,
    /// The entry asked for with `--expect` (the hash pasted into a ticket), when one was.
    #[ts(optional = nullable)]
    pub expected: Option<ExpectedEntry>,
    /// Where entry times go backwards (the clock was set back, or had run ahead before):
    /// not a break — the chain orders entries, not their times — but the times around it
    /// cannot be taken at their word.
    pub clock_warnings: Vec<String>,
}

/// At most this many clock warnings are listed; the rest are counted.
const CLOCK_WARNINGS_MAX: usize = 10;

/// The checks that need the keyring (see [`super::anchor`] and [`super::mac`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyedCheck {
    /// MACs were checked with the log's key.
    pub mac_checked: bool,
    /// Entries whose MAC matched.
    pub macs_valid: u64,
    /// The keyring's high-water mark, when one was read.
    pub mark: Option<Mark>,
    /// The mark was compared with the file.
    pub mark_checked: bool,
    /// `seq` of the last entry of the intact chain (0 when empty).
    pub last_seq: u64,
    /// Every entry up to this `seq` is vouched for by a matching MAC (of it or of a later
    /// entry, whose MAC covers its `prev`) or by the mark; 0 when none is.
    pub authenticated_through: u64,
    /// What was not checked and why, e.g. "MAC not checked (keyring unavailable: …)".
    pub notes: Vec<String>,
}

/// Whether an entry with a given hash is in the intact chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ExpectedEntry {
    pub hash: String,
    pub found: bool,
    /// Its `seq`, when found.
    pub seq: Option<u64>,
}

struct Line<'a> {
    number: u64,
    offset: u64,
    bytes: &'a [u8],
    terminated: bool,
    read: Result<AuditEntry, LineFault>,
    mac: MacVerdict,
}

fn lines<'a>(bytes: &'a [u8], key: Option<&MacKey>) -> Vec<Line<'a>> {
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
        let (read, mac) = open_keyed(line, key);
        out.push(Line {
            number,
            offset: offset as u64,
            bytes: line,
            terminated,
            read,
            mac,
        });
        offset = end + 1;
    }
    out
}

/// Checks a whole log file's bytes by their hash chain alone (no keyring).
pub fn verify_bytes(bytes: &[u8]) -> Verification {
    verify_with(bytes, &Trust::unavailable("no keyring was given"), None)
}

/// Checks a whole log file's bytes: the hash chain, each MAC made with the key in `trust`,
/// the high-water mark in `trust`, and (`expect`) whether an entry with that hash is in the
/// intact chain.
pub fn verify_with(bytes: &[u8], trust: &Trust, expect: Option<&str>) -> Verification {
    let key = trust.key.as_ref().ok().and_then(Option::as_ref);
    let mark = trust.mark.as_ref().ok().and_then(Option::as_ref);
    let expect = expect.map(|h| h.trim().to_ascii_lowercase());
    let mut expected_at = None;
    let mut hash_at_mark: Option<(String, u64, u64)> = None;
    let mut macs_valid = 0u64;
    let mut other_key = 0u64;
    let mut authenticated_through = 0u64;
    let lines = lines(bytes, key);
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
    let mut clock_warnings = Vec::new();
    let mut backwards = 0usize;
    let mut latest: Option<(&AuditEntry, u64)> = None;

    for (i, line) in lines.iter().enumerate() {
        let entry = match &line.read {
            Ok(e) => Some(e),
            Err(LineFault::HashMismatch(e)) => Some(e.as_ref()),
            Err(LineFault::Unreadable) => None,
        };
        if let Some(e) = entry {
            entries += 1;
            // Times are fixed-width UTC RFC 3339: they compare as text.
            match latest {
                Some((before, at)) if e.time < before.time => {
                    backwards += 1;
                    if clock_warnings.len() < CLOCK_WARNINGS_MAX {
                        clock_warnings.push(format!(
                            "entry {} (line {}) is dated {}, before entry {} (line {at}) dated \
                             {}: the clock went back (or had run ahead)",
                            e.seq, line.number, e.time, before.seq, before.time
                        ));
                    }
                }
                _ => latest = Some((e, line.number)),
            }
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
        if line.mac == MacVerdict::Invalid {
            first_broken = Some(broken(
                BreakKind::MacMismatch,
                Some(e.seq),
                format!(
                    "entry {} (line {}) does not match its MAC: it was rewritten and re-hashed \
                     by someone without the log's key",
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
        match line.mac {
            MacVerdict::Valid => {
                macs_valid += 1;
                authenticated_through = e.seq;
            }
            MacVerdict::OtherKey => other_key += 1,
            _ => {}
        }
        if mark.is_some_and(|m| m.seq == e.seq) {
            hash_at_mark = Some((e.hash.clone(), line.number, line.offset));
        }
        if expect.as_deref() == Some(e.hash.as_str()) {
            expected_at = Some(e.seq);
        }
        expected_seq += 1;
        expected_prev = e.hash.clone();
    }
    let last_seq = expected_seq - 1;
    let mut notes = Vec::new();
    match &trust.key {
        Err(why) => notes.push(format!("MAC not checked (keyring unavailable: {why})")),
        Ok(None) => notes.push(
            "MAC not checked (the keyring holds no MAC key for this log: it was never opened \
             with the keyring at this path, or the keyring was reset)"
                .to_owned(),
        ),
        Ok(Some(_)) => {}
    }
    if other_key > 0 {
        notes.push(format!(
            "{other_key} entries carry a MAC made with a key the keyring no longer holds: not \
             checked"
        ));
    }
    match (&trust.mark, mark) {
        (Err(why), _) => notes.push(format!(
            "high-water mark not checked (keyring unavailable: {why}): entries cut off the end \
             or a replaced log cannot be told"
        )),
        (Ok(_), None) => notes.push(
            "no high-water mark in the keyring for this log: entries cut off the end or a \
             replaced log cannot be told"
                .to_owned(),
        ),
        (Ok(_), Some(m)) => {
            let short = &m.hash[..m.hash.len().min(16)];
            let end = |problem: BreakKind, message: String| BrokenLink {
                line: lines.len() as u64 + 1,
                offset: bytes.len() as u64,
                seq: None,
                expected_seq: last_seq + 1,
                problem,
                message,
            };
            if first_broken.is_some() {
                // The chain broke first; that is the finding.
            } else if last_seq == 0 {
                first_broken = Some(end(
                    BreakKind::Cut,
                    format!(
                        "the log is missing or empty, but the keyring's high-water mark says \
                         entry {} (hash {short}…) was written: it was deleted or replaced",
                        m.seq
                    ),
                ));
            } else if last_seq < m.seq {
                first_broken = Some(end(
                    BreakKind::Cut,
                    format!(
                        "the log ends at entry {last_seq}, but the keyring's high-water mark \
                         says entry {} (hash {short}…) was written: entries {}–{} were cut \
                         off the end",
                        m.seq,
                        last_seq + 1,
                        m.seq
                    ),
                ));
            } else {
                match &hash_at_mark {
                    Some((hash, _, _)) if *hash == m.hash => {
                        authenticated_through = authenticated_through.max(m.seq);
                    }
                    _ => {
                        let (line, offset) =
                            hash_at_mark.as_ref().map_or((0, 0), |(_, l, o)| (*l, *o));
                        first_broken = Some(BrokenLink {
                            line,
                            offset,
                            seq: Some(m.seq),
                            expected_seq: m.seq,
                            problem: BreakKind::Replaced,
                            message: format!(
                                "entry {} is not the entry (hash {short}…) the keyring's \
                                 high-water mark names: the log was replaced by another chain \
                                 or rewritten",
                                m.seq
                            ),
                        });
                    }
                }
            }
        }
    }
    let checkable = key.is_some() || mark.is_some();
    if checkable && first_broken.is_none() && authenticated_through < last_seq {
        notes.push(format!(
            "entries {}–{last_seq} are covered by their hashes only (no MAC: written while the \
             keyring was unavailable, or their MACs were removed), and are past the high-water \
             mark",
            authenticated_through + 1
        ));
    }
    let keyed = KeyedCheck {
        mac_checked: key.is_some(),
        macs_valid,
        mark: mark.cloned(),
        mark_checked: mark.is_some(),
        last_seq,
        authenticated_through,
        notes,
    };
    let expected = expect.map(|hash| ExpectedEntry {
        hash,
        found: expected_at.is_some(),
        seq: expected_at,
    });
    let open_intents = intents
        .into_iter()
        .filter(|s| !settled.contains(s))
        .collect();
    if backwards > clock_warnings.len() {
        clock_warnings.push(format!(
            "and {} more entries dated before an earlier one",
            backwards - clock_warnings.len()
        ));
    }
    Verification {
        clock_warnings,
        entries,
        ok: first_broken.is_none(),
        first_broken,
        repaired,
        open_intents,
        last_hash: expected_prev,
        keyed: Some(keyed),
        expected,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::entry::{EntryDraft, Operator, seal};

    fn log_with_times(times: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut prev = GENESIS.to_owned();
        for (i, time) in times.iter().enumerate() {
            let draft = EntryDraft::new(Operator::from_env(None), AuditAction::ViewedCustomer);
            let mut entry = draft.place(i as u64 + 1, (*time).to_owned(), prev.clone());
            let line = seal(&mut entry).unwrap_or_else(|e| panic!("{e}"));
            prev = entry.hash.clone();
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
        }
        out
    }

    #[test]
    fn entry_times_that_go_backwards_are_warned_about_and_do_not_break_the_chain() {
        let bytes = log_with_times(&[
            "2026-05-01T12:00:00.000Z",
            "2027-05-01T12:00:00.000Z",
            "2026-05-01T12:05:00.000Z",
            "2026-05-01T12:06:00.000Z",
        ]);
        let v = verify_bytes(&bytes);
        assert!(v.ok, "{:?}", v.first_broken);
        assert_eq!(v.clock_warnings.len(), 2, "{:?}", v.clock_warnings);
        assert!(
            v.clock_warnings[0].contains("entry 3 (line 3) is dated 2026-05-01T12:05:00.000Z")
                && v.clock_warnings[0].contains("before entry 2 (line 2)"),
            "{:?}",
            v.clock_warnings
        );
        let steady = log_with_times(&["2026-05-01T12:00:00.000Z", "2026-05-01T12:00:00.000Z"]);
        assert!(verify_bytes(&steady).clock_warnings.is_empty());
    }
}
