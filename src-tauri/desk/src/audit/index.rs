//! Why: the audit view asks for one page at a time, filtered by customer, operator, outcome,
//! action, dates and profile, and three years of lookups are a million entries: parsing the
//! whole log for every page takes seconds. The index is a cache beside the log
//! (`audit.index`, `audit.index.names`) that answers a page from fixed-size records — one per
//! readable entry: its line's offset and length, `seq`, time, keyed customer hash and small
//! ids — read backwards in chunks, so a filtered page over a million entries costs one pass
//! over 48 MB of page cache and constant memory.
//!
//! The log stays the single source of truth. The index holds no customer number (a keyed
//! BLAKE3 of it, under a key derived from the log's MAC key, or a random salt when the log has
//! no key), can be deleted at any time, and is rebuilt from the log when missing, unreadable,
//! made under another key, or stale: the log shorter than what was indexed, or the last
//! indexed entry no longer at its offset with its `seq` and hash. New entries are indexed on
//! the next query, and the first of them must chain (`prev`) to the last indexed hash. Every
//! entry shown is read from the log itself and checked against its record (`seq`, filters):
//! a mismatch rebuilds the index and asks again.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::AuditError;
use super::entry::{AuditAction, AuditEntry, AuditOutcome};
use super::lines::{Lines, chain_len, read_chain_at};
use super::query::{Filter, fold_customer};

const MAGIC: &[u8; 8] = b"CDAIDX01";
const HEADER: usize = 192;
const RECORD: usize = 48;
/// Records read at once when scanning backwards (3 MB).
const CHUNK_RECORDS: usize = 65_536;

/// The index file beside the log at `log`.
pub(crate) fn index_path(log: &Path) -> PathBuf {
    log.with_extension("index")
}

fn names_path(index: &Path) -> PathBuf {
    index.with_extension("index.names")
}

/// What the customer hashes are keyed with: derived from the log's MAC key, or `None` (a
/// random salt kept in the index: the log itself then holds the numbers in clear anyway).
pub(crate) type CustomerKey = Option<[u8; 32]>;

/// One readable entry, as the index keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Record {
    offset: u64,
    seq: u64,
    time_ms: i64,
    customer: u64,
    len: u32,
    operator: u32,
    profile: u16,
    action: u8,
    outcome: u8,
}

impl Record {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.offset.to_le_bytes());
        out.extend_from_slice(&self.seq.to_le_bytes());
        out.extend_from_slice(&self.time_ms.to_le_bytes());
        out.extend_from_slice(&self.customer.to_le_bytes());
        out.extend_from_slice(&self.len.to_le_bytes());
        out.extend_from_slice(&self.operator.to_le_bytes());
        out.extend_from_slice(&self.profile.to_le_bytes());
        out.push(self.action);
        out.push(self.outcome);
        out.extend_from_slice(&[0u8; RECORD - 44]);
    }

    fn decode(b: &[u8]) -> Record {
        let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or([0; 8]));
        let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap_or([0; 4]));
        Record {
            offset: u64_at(0),
            seq: u64_at(8),
            time_ms: i64::from_le_bytes(b[16..24].try_into().unwrap_or([0; 8])),
            customer: u64_at(24),
            len: u32_at(32),
            operator: u32_at(36),
            profile: u16::from_le_bytes(b[40..42].try_into().unwrap_or([0; 2])),
            action: b[42],
            outcome: b[43],
        }
    }
}

/// The index file's header: what of the log it covers, and under which key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Header {
    records: u64,
    /// Log bytes indexed (a line boundary).
    log_len: u64,
    /// Lines indexed (numbering goes on from here).
    lines: u64,
    last_seq: u64,
    last_hash: String,
    key_id: [u8; 8],
    salt: [u8; 32],
    names_len: u64,
    names_hash: [u8; 32],
}

impl Header {
    fn encode(&self) -> [u8; HEADER] {
        let mut b = Vec::with_capacity(HEADER);
        b.extend_from_slice(MAGIC);
        for n in [self.records, self.log_len, self.lines, self.last_seq] {
            b.extend_from_slice(&n.to_le_bytes());
        }
        let mut hash = [0u8; 32];
        let _ = hex::decode_to_slice(&self.last_hash, &mut hash);
        b.extend_from_slice(&hash);
        b.extend_from_slice(&self.key_id);
        b.extend_from_slice(&self.salt);
        b.extend_from_slice(&self.names_len.to_le_bytes());
        b.extend_from_slice(&self.names_hash);
        let check = blake3::hash(&b);
        b.extend_from_slice(check.as_bytes());
        let mut out = [0u8; HEADER];
        out[..b.len()].copy_from_slice(&b);
        out
    }

    fn decode(b: &[u8; HEADER]) -> Option<Header> {
        let body = 8 + 4 * 8 + 32 + 8 + 32 + 8 + 32;
        if &b[..8] != MAGIC || blake3::hash(&b[..body]).as_bytes() != &b[body..body + 32] {
            return None;
        }
        let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or([0; 8]));
        let arr = |i: usize| -> [u8; 32] { b[i..i + 32].try_into().unwrap_or([0; 32]) };
        let last = arr(40);
        Some(Header {
            records: u64_at(8),
            log_len: u64_at(16),
            lines: u64_at(24),
            last_seq: u64_at(32),
            last_hash: if last == [0; 32] {
                String::new()
            } else {
                hex::encode(last)
            },
            key_id: b[72..80].try_into().unwrap_or([0; 8]),
            salt: arr(80),
            names_len: u64_at(112),
            names_hash: arr(120),
        })
    }
}

/// Operators and profiles by the ids records carry (1-based; 0 is none).
#[derive(Debug, Default)]
struct Names {
    operators: Vec<(String, String)>,
    profiles: Vec<String>,
    /// Lines to append to the names file.
    added: Vec<u8>,
}

impl Names {
    fn parse(bytes: &[u8]) -> Option<Names> {
        let mut names = Names::default();
        for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            let fields: Vec<String> = serde_json::from_slice(line).ok()?;
            match fields.as_slice() {
                [kind, user, display] if kind == "o" => {
                    names.operators.push((user.clone(), display.clone()));
                }
                [kind, id] if kind == "p" => names.profiles.push(id.clone()),
                _ => return None,
            }
        }
        Some(names)
    }

    fn operator_id(&mut self, user: &str, display: &str) -> u32 {
        if let Some(i) = self
            .operators
            .iter()
            .rposition(|(u, d)| u == user && d == display)
        {
            return u32::try_from(i + 1).unwrap_or(u32::MAX);
        }
        self.operators.push((user.to_owned(), display.to_owned()));
        self.note(&["o", user, display]);
        u32::try_from(self.operators.len()).unwrap_or(u32::MAX)
    }

    fn profile_id(&mut self, id: Option<&str>) -> u16 {
        let Some(id) = id else { return 0 };
        if let Some(i) = self.profiles.iter().position(|p| p == id) {
            return u16::try_from(i + 1).unwrap_or(u16::MAX);
        }
        self.profiles.push(id.to_owned());
        self.note(&["p", id]);
        u16::try_from(self.profiles.len()).unwrap_or(u16::MAX)
    }

    fn note(&mut self, fields: &[&str]) {
        if let Ok(line) = serde_json::to_vec(fields) {
            self.added.extend_from_slice(&line);
            self.added.push(b'\n');
        }
    }
}

/// Why a page could not be answered from the index as it is.
#[derive(Debug)]
pub(crate) enum IndexError {
    /// The index does not describe the log: rebuild it.
    Stale,
    Io(std::io::Error),
}

impl From<std::io::Error> for IndexError {
    fn from(e: std::io::Error) -> Self {
        IndexError::Io(e)
    }
}

/// The audit log's index, open and locked for one question.
pub(crate) struct Index {
    log: PathBuf,
    file: File,
    names_file: PathBuf,
    header: Header,
    names: Names,
    key: [u8; 32],
}

/// What a page of the index found: matches in all, and the records of the page (newest first).
pub(crate) struct Found {
    pub total: u64,
    pub page: Vec<(u64, u32, u64)>,
}

impl Index {
    /// Opens the index of the log at `log` (creating or rebuilding it as needed), brought up
    /// to date with the log's current end. Holds the index file's exclusive OS lock.
    pub(crate) fn open(log: &Path, key: CustomerKey) -> Result<Index, IndexError> {
        let path = index_path(log);
        let file = desk_store::private_fs::owner_only(
            OpenOptions::new().read(true).write(true).create(true),
        )
        .open(&path)?;
        desk_store::private_fs::restrict(&file)?;
        file.lock()?;
        let mut index = Index {
            log: log.to_path_buf(),
            file,
            names_file: names_path(&path),
            header: Header::default(),
            names: Names::default(),
            key: [0; 32],
        };
        match index.load(key) {
            Ok(()) => match index.catch_up() {
                Ok(()) => return Ok(index),
                Err(IndexError::Stale) => {}
                Err(e) => return Err(e),
            },
            Err(IndexError::Stale) => {}
            Err(e) => return Err(e),
        }
        index.rebuild(key)?;
        Ok(index)
    }

    /// Throws the index away and makes it again from the whole log.
    pub(crate) fn rebuild(&mut self, key: CustomerKey) -> Result<(), IndexError> {
        let mut salt = [0u8; 32];
        if key.is_none() {
            getrandom::fill(&mut salt).map_err(|e| std::io::Error::other(e.to_string()))?;
        }
        self.key = key.unwrap_or(salt);
        self.header = Header {
            key_id: key_id(&self.key),
            salt: if key.is_none() { salt } else { [0; 32] },
            ..Header::default()
        };
        self.names = Names::default();
        self.file.set_len(0)?;
        desk_store::private_fs::owner_only(
            OpenOptions::new().write(true).create(true).truncate(true),
        )
        .open(&self.names_file)?;
        self.append_from(0, 1)
    }

    /// Reads the header and names; `Stale` when they do not describe a usable index.
    fn load(&mut self, key: CustomerKey) -> Result<(), IndexError> {
        let mut raw = [0u8; HEADER];
        let len = self.file.metadata()?.len();
        if len < HEADER as u64 {
            return Err(IndexError::Stale);
        }
        (&self.file).seek(SeekFrom::Start(0))?;
        (&self.file).read_exact(&mut raw)?;
        let header = Header::decode(&raw).ok_or(IndexError::Stale)?;
        let key = key.unwrap_or(header.salt);
        if key_id(&key) != header.key_id || len < HEADER as u64 + header.records * RECORD as u64 {
            return Err(IndexError::Stale);
        }
        let names = std::fs::read(&self.names_file).unwrap_or_default();
        let names = names
            .get(..usize::try_from(header.names_len).unwrap_or(usize::MAX))
            .filter(|n| blake3::hash(n).as_bytes() == &header.names_hash)
            .and_then(Names::parse)
            .ok_or(IndexError::Stale)?;
        // Names written by an update that stopped before its header: not this index's.
        let file = OpenOptions::new().write(true).open(&self.names_file)?;
        desk_store::private_fs::restrict(&file)?;
        if file.metadata()?.len() > header.names_len {
            file.set_len(header.names_len)?;
        }
        self.key = key;
        self.header = header;
        self.names = names;
        Ok(())
    }

    /// Indexes what the log gained since; `Stale` when the log is not the one indexed.
    fn catch_up(&mut self) -> Result<(), IndexError> {
        let log_len = chain_len(&self.log).map_err(|e| std::io::Error::other(e.to_string()))?;
        if log_len < self.header.log_len {
            return Err(IndexError::Stale);
        }
        if self.header.records > 0 {
            let last = self.record(self.header.records - 1)?;
            let entry = self.entry(&last)?;
            if entry.as_ref().map(|e| (e.seq, e.hash.as_str()))
                != Some((self.header.last_seq, self.header.last_hash.as_str()))
            {
                return Err(IndexError::Stale);
            }
        }
        if log_len > self.header.log_len {
            self.append_from(self.header.log_len, self.header.lines + 1)?;
        }
        Ok(())
    }

    /// Indexes the log's lines from byte `from` (line `number`) to its end, then writes the
    /// header and syncs.
    fn append_from(&mut self, from: u64, number: u64) -> Result<(), IndexError> {
        let log = self.log.clone();
        let fail = |e: AuditError| std::io::Error::other(e.to_string());
        let mut lines = Lines::open_at(&log, from, number).map_err(fail)?;
        let base = HEADER as u64 + self.header.records * RECORD as u64;
        self.file.set_len(base)?;
        (&self.file).seek(SeekFrom::Start(base))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, &self.file);
        let mut buf = Vec::with_capacity(RECORD);
        let mut first = true;
        while let Some(line) = lines.next_line()? {
            let Ok(e) = serde_json::from_slice::<AuditEntry>(line.bytes) else {
                continue;
            };
            if first && from > 0 && e.prev != self.header.last_hash {
                // The new entries do not chain to the last one indexed.
                return Err(IndexError::Stale);
            }
            first = false;
            let record = Record {
                offset: line.at,
                seq: e.seq,
                time_ms: time_ms(&e.time),
                customer: e
                    .customer
                    .as_deref()
                    .map_or(0, |c| customer_hash(&self.key, c)),
                len: u32::try_from(line.bytes.len()).unwrap_or(u32::MAX),
                operator: self
                    .names
                    .operator_id(&e.operator.os_user, &e.operator.display_name),
                profile: self.names.profile_id(e.profile_id.as_deref()),
                action: action_code(e.action),
                outcome: outcome_code(e.outcome),
            };
            buf.clear();
            record.encode(&mut buf);
            out.write_all(&buf)?;
            self.header.records += 1;
            self.header.last_seq = e.seq;
            self.header.last_hash = e.hash;
        }
        out.flush()?;
        drop(out);
        self.header.log_len = lines.position();
        self.header.lines = lines.count();
        if !self.names.added.is_empty() {
            let mut names =
                desk_store::private_fs::owner_only(OpenOptions::new().append(true).create(true))
                    .open(&self.names_file)?;
            names.write_all(&self.names.added)?;
            names.sync_data()?;
            self.names.added.clear();
        }
        let names = std::fs::read(&self.names_file)?;
        self.header.names_len = names.len() as u64;
        self.header.names_hash = *blake3::hash(&names).as_bytes();
        self.file.sync_data()?;
        (&self.file).seek(SeekFrom::Start(0))?;
        (&self.file).write_all(&self.header.encode())?;
        self.file.sync_data()?;
        Ok(())
    }

    fn record(&self, i: u64) -> std::io::Result<Record> {
        let mut b = [0u8; RECORD];
        (&self.file).seek(SeekFrom::Start(HEADER as u64 + i * RECORD as u64))?;
        (&self.file).read_exact(&mut b)?;
        Ok(Record::decode(&b))
    }

    /// The entry a record points at, read from the log; `None` when the line there is not
    /// the record's entry.
    fn entry(&self, r: &Record) -> std::io::Result<Option<AuditEntry>> {
        let bytes = read_chain_at(&self.log, r.offset, r.len as usize)?;
        Ok(serde_json::from_slice::<AuditEntry>(&bytes)
            .ok()
            .filter(|e| e.seq == r.seq))
    }

    /// Entries indexed.
    pub(crate) fn len(&self) -> u64 {
        self.header.records
    }

    /// The `size` matches of `filter` after skipping `offset`, newest first, with the count.
    pub(crate) fn find(&self, filter: &Filter, offset: u64, size: usize) -> std::io::Result<Found> {
        let records = self.header.records;
        let mut page = Vec::new();
        if filter.is_empty() {
            let end = records.saturating_sub(offset);
            let start = end.saturating_sub(size as u64);
            for i in (start..end).rev() {
                let r = self.record(i)?;
                page.push((r.offset, r.len, r.seq));
            }
            return Ok(Found {
                total: records,
                page,
            });
        }
        let Some(test) = self.compile(filter) else {
            return Ok(Found { total: 0, page });
        };
        let mut total = 0u64;
        let mut chunk = vec![0u8; CHUNK_RECORDS * RECORD];
        let mut end = records;
        while end > 0 {
            let start = end.saturating_sub(CHUNK_RECORDS as u64);
            let n = usize::try_from(end - start).unwrap_or(0);
            let bytes = &mut chunk[..n * RECORD];
            (&self.file).seek(SeekFrom::Start(HEADER as u64 + start * RECORD as u64))?;
            (&self.file).read_exact(bytes)?;
            for raw in bytes.chunks_exact(RECORD).rev() {
                let r = Record::decode(raw);
                if test.matches(&r) {
                    if total >= offset && page.len() < size {
                        page.push((r.offset, r.len, r.seq));
                    }
                    total += 1;
                }
            }
            end = start;
        }
        Ok(Found { total, page })
    }

    /// Reads the page's entries from the log, each checked against its record and the
    /// filter; `Stale` when one is not what the index says.
    pub(crate) fn read_page(
        &self,
        found: &Found,
        filter: &Filter,
    ) -> Result<Vec<AuditEntry>, IndexError> {
        let parts =
            super::segment::parts(&self.log).map_err(|e| std::io::Error::other(e.to_string()))?;
        let mut entries = Vec::with_capacity(found.page.len());
        for (offset, len, seq) in &found.page {
            let bytes = super::lines::read_parts_at(&parts, *offset, *len as usize)?;
            let entry = serde_json::from_slice::<AuditEntry>(&bytes)
                .ok()
                .filter(|e| e.seq == *seq && filter.matches(e))
                .ok_or(IndexError::Stale)?;
            entries.push(entry);
        }
        Ok(entries)
    }

    fn compile(&self, filter: &Filter) -> Option<Test> {
        let profile = match &filter.profile {
            None => None,
            Some(p) => {
                Some(u16::try_from(self.names.profiles.iter().position(|x| x == p)? + 1).ok()?)
            }
        };
        let operators = filter.operator.as_ref().map(|_| {
            let mut ids = vec![false; self.names.operators.len() + 1];
            for (i, (user, display)) in self.names.operators.iter().enumerate() {
                ids[i + 1] = filter.operator_matches(user, display);
            }
            ids
        });
        if operators.as_ref().is_some_and(|ids| !ids.contains(&true)) {
            return None;
        }
        let bound = |t: &Option<String>| t.as_deref().map(time_ms);
        Some(Test {
            from: bound(&filter.from),
            to: bound(&filter.to),
            profile,
            customer: filter
                .customer
                .as_deref()
                .map(|c| customer_hash(&self.key, c)),
            operators,
            action: filter.action.map(action_code),
            outcome: filter.outcome.map(|o| outcome_code(Some(o))),
        })
    }
}

/// A filter in the records' terms.
struct Test {
    from: Option<i64>,
    to: Option<i64>,
    profile: Option<u16>,
    customer: Option<u64>,
    operators: Option<Vec<bool>>,
    action: Option<u8>,
    outcome: Option<u8>,
}

impl Test {
    fn matches(&self, r: &Record) -> bool {
        self.from.is_none_or(|f| r.time_ms >= f)
            && self.to.is_none_or(|t| r.time_ms <= t)
            && self.profile.is_none_or(|p| r.profile == p)
            && self.customer.is_none_or(|c| r.customer == c)
            && self.action.is_none_or(|a| r.action == a)
            && self.outcome.is_none_or(|o| r.outcome == o)
            && self
                .operators
                .as_ref()
                .is_none_or(|ids| ids.get(r.operator as usize).copied().unwrap_or(false))
    }
}

fn key_id(key: &[u8; 32]) -> [u8; 8] {
    let digest = blake3::keyed_hash(key, b"carddesk audit index key id");
    digest.as_bytes()[..8].try_into().unwrap_or([0; 8])
}

/// The keyed hash a customer number is indexed by (never 0: that is "no customer").
fn customer_hash(key: &[u8; 32], customer: &str) -> u64 {
    let digest = blake3::keyed_hash(key, fold_customer(customer).as_bytes());
    let h = u64::from_le_bytes(digest.as_bytes()[..8].try_into().unwrap_or([0; 8]));
    h.max(1)
}

/// Milliseconds since 1970 of an entry's time; times that do not parse sort first.
fn time_ms(text: &str) -> i64 {
    OffsetDateTime::parse(text, &Rfc3339)
        .map(|t| i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MIN))
        .unwrap_or(i64::MIN)
}

fn action_code(a: AuditAction) -> u8 {
    a as u8 + 1
}

fn outcome_code(o: Option<AuditOutcome>) -> u8 {
    o.map_or(0, |o| o as u8 + 1)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn records_and_headers_round_trip() {
        let r = Record {
            offset: 1 << 40,
            seq: 7,
            time_ms: 1_777_000_000_123,
            customer: u64::MAX - 3,
            len: 812,
            operator: 3,
            profile: 2,
            action: 4,
            outcome: 5,
        };
        let mut b = Vec::new();
        r.encode(&mut b);
        assert_eq!(b.len(), RECORD);
        assert_eq!(Record::decode(&b), r);
        let h = Header {
            records: 9,
            log_len: 10_000,
            lines: 10,
            last_seq: 9,
            last_hash: hex::encode([7u8; 32]),
            key_id: [1; 8],
            salt: [2; 32],
            names_len: 55,
            names_hash: [3; 32],
        };
        let mut raw = h.encode();
        assert_eq!(Header::decode(&raw), Some(h));
        raw[20] ^= 1;
        assert_eq!(Header::decode(&raw), None, "a damaged header is not used");
    }

    #[test]
    fn customer_hashes_fold_case_and_depend_on_the_key() {
        let (a, b) = ([1u8; 32], [2u8; 32]);
        assert_eq!(
            customer_hash(&a, "CRM-0007"),
            customer_hash(&a, " crm-0007 ")
        );
        assert_ne!(customer_hash(&a, "CRM-0007"), customer_hash(&b, "CRM-0007"));
        assert_eq!(time_ms("1970-01-01T00:00:01.500Z"), 1500);
    }
}
