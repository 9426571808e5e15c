//! Why: a log kept three years holds over half a million entries (several hundred MB), so
//! nothing that reads it — verify, export, recovery, the index — may hold the whole file. A
//! [`Lines`] reads a snapshot of the file (its length when opened, taken under the file's
//! shared OS lock) one line at a time into one reused buffer: memory is one line, however long
//! the log. Appends are whole lines written under the exclusive lock, so the bytes before the
//! snapshot's length never change while they are read, and writers are not held up meanwhile.
//!
//! A log rolled into segments is read as the concatenation of its files in chain order
//! ([`super::segment::parts`]): a line's `offset` and `number` count within its own file
//! (what a `log_repaired` entry names), `at` counts across the files (what the index keeps).

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::AuditError;

/// Read buffer: big enough that a line is rarely split across reads.
const BUFFER: usize = 256 * 1024;

/// One line of the log, without its newline.
pub(crate) struct RawLine<'a> {
    /// 1-based line number in its file.
    pub number: u64,
    /// Byte offset of the line's first byte in its file.
    pub offset: u64,
    /// Byte offset of the line's first byte in the concatenation of the log's files.
    pub at: u64,
    pub bytes: &'a [u8],
    /// Ended by a newline (only a last line cut short is not).
    pub terminated: bool,
}

/// The lines of a log file up to its length when opened.
pub(crate) struct Lines<R> {
    reader: BufReader<std::io::Take<R>>,
    buf: Vec<u8>,
    number: u64,
    offset: u64,
    /// Where the current file begins in the concatenation.
    start: u64,
    /// Lines read, over all files.
    total: u64,
    /// The files still to read: source, length, where it begins in the concatenation.
    rest: std::collections::VecDeque<(R, u64, u64)>,
}

impl Lines<File> {
    /// The lines of the log at `path` as it is now — its closed segments, then the active
    /// file (a missing log has none).
    pub(crate) fn open(path: &Path) -> Result<Lines<File>, AuditError> {
        Lines::open_at(path, 0, 1)
    }

    /// From byte `from` of the concatenation (the start of a line); `first_number` is the
    /// count of lines before it.
    pub(crate) fn open_at(
        path: &Path,
        from: u64,
        first_number: u64,
    ) -> Result<Lines<File>, AuditError> {
        Lines::of_parts(path, super::segment::parts(path)?, from, first_number)
    }

    /// [`Lines::open`] for a caller holding the active file's exclusive lock.
    pub(crate) fn open_held(path: &Path) -> Result<Lines<File>, AuditError> {
        Lines::of_parts(path, super::segment::parts_held(path)?, 0, 1)
    }

    /// The lines of one file alone (a segment checked by itself, an archived file).
    pub(crate) fn of_file(path: &Path) -> Result<Lines<File>, AuditError> {
        let file = File::open(path).map_err(|e| AuditError::io(path, &e))?;
        let len = file.metadata().map_err(|e| AuditError::io(path, &e))?.len();
        Ok(Lines::over(file, len, 0, 1))
    }

    fn of_parts(
        path: &Path,
        parts: Vec<super::segment::Part>,
        from: u64,
        first_number: u64,
    ) -> Result<Lines<File>, AuditError> {
        let mut queue = std::collections::VecDeque::new();
        let mut base = 0u64;
        for p in parts {
            let end = base + p.len;
            if end > from {
                let skip = from.saturating_sub(base);
                let mut file = p.file;
                file.seek(SeekFrom::Start(skip))
                    .map_err(|e| AuditError::io(&p.path, &e))?;
                queue.push_back((file, p.len - skip, base + skip));
            }
            base = end;
        }
        let Some((file, len, at)) = queue.pop_front() else {
            return Ok(Lines::over(
                empty_file(path)?,
                0,
                base.min(from),
                first_number,
            ));
        };
        let mut lines = Lines::over(file, len, at, first_number);
        lines.rest = queue;
        Ok(lines)
    }
}

impl<R: Read> Lines<R> {
    /// The lines of the first `len` bytes of `source`, which begins at byte `offset` of the
    /// log, at line `first_number`.
    pub(crate) fn over(source: R, len: u64, offset: u64, first_number: u64) -> Lines<R> {
        Lines {
            reader: BufReader::with_capacity(BUFFER, source.take(len)),
            buf: Vec::new(),
            number: first_number.saturating_sub(1),
            offset,
            start: 0,
            total: first_number.saturating_sub(1),
            rest: std::collections::VecDeque::new(),
        }
    }

    /// The next line, or `None` at the end of the snapshot.
    pub(crate) fn next_line(&mut self) -> std::io::Result<Option<RawLine<'_>>> {
        self.buf.clear();
        let mut n = self.reader.read_until(b'\n', &mut self.buf)?;
        while n == 0 {
            let Some((source, len, at)) = self.rest.pop_front() else {
                return Ok(None);
            };
            self.reader = BufReader::with_capacity(BUFFER, source.take(len));
            self.start = at;
            self.offset = at;
            self.number = 0;
            n = self.reader.read_until(b'\n', &mut self.buf)?;
        }
        self.number += 1;
        self.total += 1;
        let at = self.offset;
        self.offset += n as u64;
        let terminated = self.buf.last() == Some(&b'\n');
        let bytes = if terminated {
            &self.buf[..n - 1]
        } else {
            &self.buf[..]
        };
        Ok(Some(RawLine {
            number: self.number,
            offset: at - self.start,
            at,
            bytes,
            terminated,
        }))
    }

    /// Bytes read so far, counted from the start of the log's first file.
    pub(crate) fn position(&self) -> u64 {
        self.offset
    }

    /// Lines read so far, over all files.
    pub(crate) fn count(&self) -> u64 {
        self.total
    }
}

/// The length of the log's files together (what [`Lines::position`] reaches at the end).
pub(crate) fn chain_len(path: &Path) -> Result<u64, AuditError> {
    Ok(super::segment::parts(path)?.iter().map(|p| p.len).sum())
}

/// Reads `len` bytes at byte `at` of the concatenation of the log's files.
pub(crate) fn read_chain_at(path: &Path, at: u64, len: usize) -> std::io::Result<Vec<u8>> {
    let parts = super::segment::parts(path).map_err(|e| std::io::Error::other(e.to_string()))?;
    read_parts_at(&parts, at, len)
}

/// [`read_chain_at`] in files already listed.
pub(crate) fn read_parts_at(
    parts: &[super::segment::Part],
    at: u64,
    len: usize,
) -> std::io::Result<Vec<u8>> {
    let mut base = 0u64;
    for p in parts {
        if at < base + p.len {
            return read_at(&p.file, at - base, len);
        }
        base += p.len;
    }
    Ok(Vec::new())
}

/// A stand-in source for a missing log: nothing is read from it (its length is 0).
fn empty_file(path: &Path) -> Result<File, AuditError> {
    #[cfg(unix)]
    let null = "/dev/null";
    #[cfg(not(unix))]
    let null = "NUL";
    File::open(null).map_err(|e| AuditError::io(path, &e))
}

/// Reads `len` bytes at `offset` of `file` (one entry's line for the index).
pub(crate) fn read_at(file: &File, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0u8; len];
    let mut reader = file;
    reader.seek(SeekFrom::Start(offset))?;
    let mut filled = 0;
    while filled < len {
        let n = reader.read(&mut buf[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    buf.truncate(filled);
    Ok(buf)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn lines_carry_their_offsets_and_a_cut_last_line_is_unterminated() {
        let bytes = b"ab\n\ncde\nfg".to_vec();
        let mut lines = Lines::over(&bytes[..], bytes.len() as u64, 0, 1);
        let mut seen = Vec::new();
        while let Some(l) = lines.next_line().unwrap() {
            seen.push((l.number, l.offset, l.bytes.to_vec(), l.terminated));
        }
        assert_eq!(
            seen,
            vec![
                (1, 0, b"ab".to_vec(), true),
                (2, 3, Vec::new(), true),
                (3, 4, b"cde".to_vec(), true),
                (4, 8, b"fg".to_vec(), false),
            ]
        );
        assert_eq!(lines.position(), bytes.len() as u64);
    }
}
