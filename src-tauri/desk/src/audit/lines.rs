//! Why: a log kept three years holds over half a million entries (several hundred MB), so
//! nothing that reads it — verify, export, recovery, the index — may hold the whole file. A
//! [`Lines`] reads a snapshot of the file (its length when opened, taken under the file's
//! shared OS lock) one line at a time into one reused buffer: memory is one line, however long
//! the log. Appends are whole lines written under the exclusive lock, so the bytes before the
//! snapshot's length never change while they are read, and writers are not held up meanwhile.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::AuditError;

/// Read buffer: big enough that a line is rarely split across reads.
const BUFFER: usize = 256 * 1024;

/// One line of the log, without its newline.
pub(crate) struct RawLine<'a> {
    /// 1-based line number.
    pub number: u64,
    /// Byte offset of the line's first byte.
    pub offset: u64,
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
}

impl Lines<File> {
    /// The lines of the file at `path` as it is now (a missing file has none); `from` is a
    /// byte offset at the start of a line, `first_number` that line's number.
    pub(crate) fn open(path: &Path) -> Result<Lines<File>, AuditError> {
        Lines::open_at(path, 0, 1)
    }

    pub(crate) fn open_at(
        path: &Path,
        from: u64,
        first_number: u64,
    ) -> Result<Lines<File>, AuditError> {
        let (mut file, len) = match snapshot(path)? {
            Some(s) => s,
            None => return Ok(Lines::over(empty_file(path)?, 0, 0, 1)),
        };
        let from = from.min(len);
        file.seek(SeekFrom::Start(from))
            .map_err(|e| AuditError::io(path, &e))?;
        Ok(Lines::over(file, len - from, from, first_number))
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
        }
    }

    /// The next line, or `None` at the end of the snapshot.
    pub(crate) fn next_line(&mut self) -> std::io::Result<Option<RawLine<'_>>> {
        self.buf.clear();
        let n = self.reader.read_until(b'\n', &mut self.buf)?;
        if n == 0 {
            return Ok(None);
        }
        self.number += 1;
        let offset = self.offset;
        self.offset += n as u64;
        let terminated = self.buf.last() == Some(&b'\n');
        let bytes = if terminated {
            &self.buf[..n - 1]
        } else {
            &self.buf[..]
        };
        Ok(Some(RawLine {
            number: self.number,
            offset,
            bytes,
            terminated,
        }))
    }

    /// Bytes read so far, counted from the start of the log.
    pub(crate) fn position(&self) -> u64 {
        self.offset
    }

    /// Lines read so far (the last line's number).
    pub(crate) fn count(&self) -> u64 {
        self.number
    }
}

/// The open file and its length, read under a shared OS lock so that no half-written line
/// is inside it; `None` when there is no file.
pub(crate) fn snapshot(path: &Path) -> Result<Option<(File, u64)>, AuditError> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(AuditError::io(path, &e)),
    };
    file.lock_shared().map_err(|e| AuditError::io(path, &e))?;
    let len = file.metadata().map(|m| m.len());
    let _ = file.unlock();
    let len = len.map_err(|e| AuditError::io(path, &e))?;
    Ok(Some((file, len)))
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
