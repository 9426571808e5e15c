//! Why: the log is only evidence if an auditor can check it. [`Verifier`] walks the file
//! line by line — one line in memory at a time, so a log kept for years checks in constant
//! memory — and names the first place where the chain breaks — an edited entry, a deleted
//! one, two swapped, a line cut short — so "intact" is a checked claim.
//!
//! What a chain without a secret cannot show — a rewrite with every later hash recomputed,
//! entries cut off the end, a whole new file — [`verify_with`] checks against what the OS
//! keyring holds ([`Trust`]): each line's MAC under the log's key, and the high-water mark.
//! What either could not check is said in [`KeyedCheck::notes`], never passed over.

use std::collections::HashSet;

use serde::Serialize;

use super::anchor::{Mark, Trust};
use super::entry::{AuditAction, AuditEntry, GENESIS, LineFault, hash_hex};
use super::lines::{Lines, RawLine};
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
    /// A closed segment is not the file the next `segment_started` entry names (its bytes
    /// changed), or the live log begins after entries no `archived` entry records.
    SegmentLink,
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

/// A line that is not an entry, held until the next line says whether a `log_repaired` entry
/// acknowledges it: only its place, length and hash are kept, never its bytes.
struct Fragment {
    number: u64,
    offset: u64,
    length: u64,
    hash: String,
    terminated: bool,
}

/// The chain check as a fold over the log's lines, one at a time: what it keeps is a few
/// counters, the first break, the open intents and the listed warnings and repairs — never
/// the entries — so a log of any length is checked in constant memory.
pub(crate) struct Verifier<'t> {
    key: Option<&'t MacKey>,
    mark: Option<&'t Mark>,
    expect: Option<String>,
    expected_at: Option<u64>,
    hash_at_mark: Option<(String, u64, u64)>,
    macs_valid: u64,
    other_key: u64,
    authenticated_through: u64,
    expected_seq: u64,
    expected_prev: String,
    first_broken: Option<BrokenLink>,
    /// The `seq` a `missing` break expects: found later, the break is `out_of_order`.
    gap: Option<u64>,
    pending: Option<Fragment>,
    /// `seq` of the `log_repaired` entry that acknowledged the line before it.
    acknowledged: Option<u64>,
    repaired: Vec<RepairedLine>,
    entries: u64,
    /// Intents without an outcome so far, in log order.
    open: Vec<u64>,
    /// Outcomes naming an intent not read yet (only in a damaged file).
    settled_ahead: HashSet<u64>,
    clock_warnings: Vec<String>,
    backwards: usize,
    /// The latest time so far: entry `seq`, its time, its line.
    latest: Option<(u64, String, u64)>,
    lines: u64,
    bytes: u64,
    /// Where a log whose first segments were archived begins.
    start: super::segment::ArchivedStart,
}

impl<'t> Verifier<'t> {
    pub(crate) fn new(trust: &'t Trust, expect: Option<&str>) -> Verifier<'t> {
        Verifier {
            key: trust.key.as_ref().ok().and_then(Option::as_ref),
            mark: trust.mark.as_ref().ok().and_then(Option::as_ref),
            expect: expect.map(|h| h.trim().to_ascii_lowercase()),
            expected_at: None,
            hash_at_mark: None,
            macs_valid: 0,
            other_key: 0,
            authenticated_through: 0,
            expected_seq: 1,
            expected_prev: GENESIS.to_owned(),
            first_broken: None,
            gap: None,
            pending: None,
            acknowledged: None,
            repaired: Vec::new(),
            entries: 0,
            open: Vec::new(),
            settled_ahead: HashSet::new(),
            clock_warnings: Vec::new(),
            backwards: 0,
            latest: None,
            lines: 0,
            bytes: 0,
            start: super::segment::ArchivedStart::default(),
        }
    }

    /// A chain checked from entry `seq` whose `prev` is `prev` (one segment alone, an
    /// archived file), not from entry 1.
    pub(crate) fn starting_at(mut self, seq: u64, prev: String) -> Self {
        self.expected_seq = seq;
        self.expected_prev = prev;
        self.start = super::segment::ArchivedStart::begun();
        self
    }

    /// Checks every line `lines` gives.
    pub(crate) fn feed_all<R: std::io::Read>(
        &mut self,
        lines: &mut Lines<R>,
    ) -> std::io::Result<()> {
        while let Some(line) = lines.next_line()? {
            self.feed(&line);
        }
        Ok(())
    }

    /// Checks one line; lines come in file order.
    pub(crate) fn feed(&mut self, line: &RawLine<'_>) {
        self.lines = line.number;
        self.bytes = line.offset + line.bytes.len() as u64 + u64::from(line.terminated);
        let (read, mac) = open_keyed(line.bytes, self.key);
        let (entry, edited) = match read {
            Ok(e) => (Some(e), false),
            Err(LineFault::HashMismatch(e)) => (Some(*e), true),
            Err(LineFault::Unreadable) => (None, false),
        };
        // The line held back: acknowledged by this one, or the first break.
        if let Some(p) = self.pending.take() {
            match entry.as_ref().filter(|e| !edited && acknowledges(e, &p)) {
                Some(fix) => {
                    self.acknowledged = Some(fix.seq);
                    self.repaired.push(RepairedLine {
                        line: p.number,
                        offset: p.offset,
                        length: p.length,
                        repaired_by: fix.seq,
                    });
                }
                None => self.first_broken = Some(self.unreadable(&p)),
            }
        }
        let Some(e) = entry else {
            if self.first_broken.is_none() {
                self.pending = Some(Fragment {
                    number: line.number,
                    offset: line.offset,
                    length: line.bytes.len() as u64,
                    hash: hash_hex(line.bytes),
                    terminated: line.terminated,
                });
            }
            return;
        };
        self.entries += 1;
        self.note_time(&e, line.number);
        match e.action {
            AuditAction::RevokeIntent if !self.settled_ahead.remove(&e.seq) => {
                self.open.push(e.seq);
            }
            AuditAction::RevokeOutcome | AuditAction::RecoveredOutcome => {
                if let Some(intent) = e.intent_seq {
                    match self.open.iter().rposition(|s| *s == intent) {
                        Some(at) => {
                            self.open.remove(at);
                        }
                        None if intent > e.seq => {
                            self.settled_ahead.insert(intent);
                        }
                        None => {}
                    }
                }
            }
            _ => {}
        }
        if self.gap == Some(e.seq) {
            self.gap = None;
            if let Some(b) = &mut self.first_broken {
                let found = b.seq.unwrap_or_default();
                b.problem = BreakKind::OutOfOrder;
                b.message = format!(
                    "line {} holds entry {found} where entry {} belongs (entries moved, \
                     swapped or copied)",
                    b.line, b.expected_seq
                );
            }
        }
        if self.first_broken.is_some() {
            return;
        }
        self.check_link(e, edited, mac, line);
    }

    fn note_time(&mut self, e: &AuditEntry, number: u64) {
        // Times are fixed-width UTC RFC 3339: they compare as text.
        match &mut self.latest {
            Some((seq, time, at)) if e.time < *time => {
                self.backwards += 1;
                if self.clock_warnings.len() < CLOCK_WARNINGS_MAX {
                    self.clock_warnings.push(format!(
                        "entry {} (line {number}) is dated {}, before entry {seq} (line {at}) \
                         dated {time}: the clock went back (or had run ahead)",
                        e.seq, e.time
                    ));
                }
            }
            Some((seq, time, at)) => {
                *seq = e.seq;
                time.clone_from(&e.time);
                *at = number;
            }
            None => self.latest = Some((e.seq, e.time.clone(), number)),
        }
    }

    fn check_link(&mut self, e: AuditEntry, edited: bool, mac: MacVerdict, line: &RawLine<'_>) {
        if let Some((seq, prev)) = self.start.first(&e) {
            self.expected_seq = seq;
            self.expected_prev = prev;
        }
        let expected_seq = self.expected_seq;
        let broken = |problem: BreakKind, message: String| BrokenLink {
            line: line.number,
            offset: line.offset,
            seq: Some(e.seq),
            expected_seq,
            problem,
            message,
        };
        if e.seq != expected_seq {
            self.first_broken = Some(if e.seq > expected_seq {
                // `missing` unless the expected entry comes later (see `feed`).
                self.gap = Some(expected_seq);
                broken(
                    BreakKind::Missing,
                    format!(
                        "entry {expected_seq} is missing: line {} holds entry {} (deleted entries)",
                        line.number, e.seq
                    ),
                )
            } else {
                broken(
                    BreakKind::OutOfOrder,
                    format!(
                        "line {} holds entry {} where entry {expected_seq} belongs (entries \
                         moved, swapped or copied)",
                        line.number, e.seq
                    ),
                )
            });
            return;
        }
        if edited {
            self.first_broken = Some(broken(
                BreakKind::Edited,
                format!(
                    "entry {} (line {}) does not match its hash: it was edited",
                    e.seq, line.number
                ),
            ));
            return;
        }
        if e.prev != self.expected_prev {
            self.first_broken = Some(broken(
                BreakKind::PrevMismatch,
                format!(
                    "entry {} (line {}) does not chain to the entry before it: that entry was \
                     replaced or its hash recomputed",
                    e.seq, line.number
                ),
            ));
            return;
        }
        if mac == MacVerdict::Invalid {
            self.first_broken = Some(broken(
                BreakKind::MacMismatch,
                format!(
                    "entry {} (line {}) does not match its MAC: it was rewritten and re-hashed \
                     by someone without the log's key",
                    e.seq, line.number
                ),
            ));
            return;
        }
        if e.action == AuditAction::LogRepaired && self.acknowledged != Some(e.seq) {
            self.first_broken = Some(broken(
                BreakKind::Unreadable,
                format!(
                    "entry {} (line {}) claims a repair, but the line before it is not the \
                     fragment it names",
                    e.seq, line.number
                ),
            ));
            return;
        }
        match mac {
            MacVerdict::Valid => {
                self.macs_valid += 1;
                self.authenticated_through = e.seq;
            }
            MacVerdict::OtherKey => self.other_key += 1,
            _ => {}
        }
        if self.mark.is_some_and(|m| m.seq == e.seq) {
            self.hash_at_mark = Some((e.hash.clone(), line.number, line.offset));
        }
        if self.expect.as_deref() == Some(e.hash.as_str()) {
            self.expected_at = Some(e.seq);
        }
        self.start.note(&e);
        self.expected_seq += 1;
        self.expected_prev = e.hash;
    }

    fn unreadable(&self, p: &Fragment) -> BrokenLink {
        let expected_seq = self.expected_seq;
        let (problem, message) = if p.terminated {
            (
                BreakKind::Unreadable,
                format!("line {} is not an audit entry", p.number),
            )
        } else {
            (
                BreakKind::Truncated,
                format!(
                    "the last line is cut short ({} bytes, no newline): a write was \
                     interrupted; entry {expected_seq} is incomplete",
                    p.length
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

    /// The result, with the keyring's checks in `trust` (the one given to [`Verifier::new`]).
    pub(crate) fn finish(mut self, trust: &Trust) -> Verification {
        if let Some(p) = self.pending.take() {
            self.first_broken = Some(self.unreadable(&p));
        }
        let key = self.key;
        let mark = self.mark;
        let mut first_broken = self.first_broken.or_else(|| self.start.unrecorded());
        let mut authenticated_through = self.authenticated_through;
        let last_seq = self.expected_seq - 1;
        let mut notes = Vec::new();
        match &trust.key {
            Err(why) => notes.push(format!("MAC not checked (keyring unavailable: {why})")),
            Ok(None) => notes.push(
                "MAC not checked (the keyring holds no MAC key for this log: it was never \
                 opened with the keyring at this path, or the keyring was reset)"
                    .to_owned(),
            ),
            Ok(Some(_)) => {}
        }
        if self.other_key > 0 {
            notes.push(format!(
                "{} entries carry a MAC made with a key the keyring no longer holds: not \
                 checked",
                self.other_key
            ));
        }
        match (&trust.mark, mark) {
            (Err(why), _) => notes.push(format!(
                "high-water mark not checked (keyring unavailable: {why}): entries cut off the \
                 end or a replaced log cannot be told"
            )),
            (Ok(_), None) => notes.push(
                "no high-water mark in the keyring for this log: entries cut off the end or a \
                 replaced log cannot be told"
                    .to_owned(),
            ),
            (Ok(_), Some(m)) => {
                let short = &m.hash[..m.hash.len().min(16)];
                let end = |problem: BreakKind, message: String| BrokenLink {
                    line: self.lines + 1,
                    offset: self.bytes,
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
                            "the log is missing or empty, but the keyring's high-water mark \
                             says entry {} (hash {short}…) was written: it was deleted or \
                             replaced",
                            m.seq
                        ),
                    ));
                } else if last_seq < m.seq {
                    first_broken = Some(end(
                        BreakKind::Cut,
                        format!(
                            "the log ends at entry {last_seq}, but the keyring's high-water \
                             mark says entry {} (hash {short}…) was written: entries {}–{} \
                             were cut off the end",
                            m.seq,
                            last_seq + 1,
                            m.seq
                        ),
                    ));
                } else {
                    match &self.hash_at_mark {
                        Some((hash, _, _)) if *hash == m.hash => {
                            authenticated_through = authenticated_through.max(m.seq);
                        }
                        None if self.start.vouches(m) => {}
                        _ => {
                            let (line, offset) = self
                                .hash_at_mark
                                .as_ref()
                                .map_or((0, 0), |(_, l, o)| (*l, *o));
                            first_broken = Some(BrokenLink {
                                line,
                                offset,
                                seq: Some(m.seq),
                                expected_seq: m.seq,
                                problem: BreakKind::Replaced,
                                message: format!(
                                    "entry {} is not the entry (hash {short}…) the keyring's \
                                     high-water mark names: the log was replaced by another \
                                     chain or rewritten",
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
                "entries {}–{last_seq} are covered by their hashes only (no MAC: written while \
                 the keyring was unavailable, or their MACs were removed), and are past the \
                 high-water mark",
                authenticated_through + 1
            ));
        }
        let keyed = KeyedCheck {
            mac_checked: key.is_some(),
            macs_valid: self.macs_valid,
            mark: mark.cloned(),
            mark_checked: mark.is_some(),
            last_seq,
            authenticated_through,
            notes,
        };
        let expected = self.expect.map(|hash| ExpectedEntry {
            hash,
            found: self.expected_at.is_some(),
            seq: self.expected_at,
        });
        let mut clock_warnings = self.clock_warnings;
        if self.backwards > clock_warnings.len() {
            clock_warnings.push(format!(
                "and {} more entries dated before an earlier one",
                self.backwards - clock_warnings.len()
            ));
        }
        Verification {
            clock_warnings,
            entries: self.entries,
            ok: first_broken.is_none(),
            first_broken,
            repaired: self.repaired,
            open_intents: self.open,
            last_hash: self.expected_prev,
            keyed: Some(keyed),
            expected,
        }
    }
}

/// Checks a whole log file's bytes by their hash chain alone (no keyring).
pub fn verify_bytes(bytes: &[u8]) -> Verification {
    verify_with(bytes, &Trust::unavailable("no keyring was given"), None)
}

/// Checks a whole log file's bytes: the hash chain, each MAC made with the key in `trust`,
/// the high-water mark in `trust`, and (`expect`) whether an entry with that hash is in the
/// intact chain. [`super::verify_file_with`] does the same reading the file as a stream.
pub fn verify_with(bytes: &[u8], trust: &Trust, expect: Option<&str>) -> Verification {
    let mut verifier = Verifier::new(trust, expect);
    let mut lines = Lines::over(bytes, bytes.len() as u64, 0, 1);
    // Reading from memory cannot fail.
    let _ = verifier.feed_all(&mut lines);
    verifier.finish(trust)
}

/// Whether `fix` is a `log_repaired` entry naming exactly `fragment`.
fn acknowledges(fix: &AuditEntry, fragment: &Fragment) -> bool {
    fix.action == AuditAction::LogRepaired
        && fix.repair.as_ref().is_some_and(|r| {
            r.offset == fragment.offset
                && r.length == fragment.length
                && r.fragment_hash == fragment.hash
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
