//! Why: sled 0.34 keeps much of what it has written resident whatever its cache size says
//! (its LRU hears of page accesses in batches, and it keeps a record per page even when the
//! page is out: docs/benchmarks.md), so a journal holding every row of a 100,000-row job in
//! sled grew with the job. Rows nothing is writing any more are packed, a chunk of rows at a
//! time, into this append-only file inside the job's sled directory, and sled keeps only
//! where each chunk is (see [`super::journal`]). The operating system's page cache holds the
//! file, not the process.
//!
//! A chunk is written whole and synced before the journal tells sled where it is, so every
//! location sled holds points at bytes on disk. A location carries the chunk's length and
//! CRC-32, checked on every read. A crash can leave a chunk written that no location names:
//! it is never read, and later chunks go after it.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use crate::DeskError;

use super::journal::RowRecord;

/// The file's name inside the job's sled directory (deleted with the job).
pub const ARCHIVE_FILE: &str = "rows.archive";

/// Where one chunk is: what sled stores for it (16 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkAt {
    offset: u64,
    len: u32,
    crc: u32,
}

impl ChunkAt {
    pub fn to_bytes(self) -> [u8; 16] {
        let mut out = [0; 16];
        out[..8].copy_from_slice(&self.offset.to_be_bytes());
        out[8..12].copy_from_slice(&self.len.to_be_bytes());
        out[12..].copy_from_slice(&self.crc.to_be_bytes());
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<ChunkAt, DeskError> {
        let bytes: &[u8; 16] = bytes
            .try_into()
            .map_err(|_| archive_error("read", "a chunk location is not 16 bytes"))?;
        let (offset, rest) = bytes.split_at(8);
        let (len, crc) = rest.split_at(4);
        let word = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        let mut off = [0; 8];
        off.copy_from_slice(offset);
        Ok(ChunkAt {
            offset: u64::from_be_bytes(off),
            len: word(len),
            crc: word(crc),
        })
    }
}

fn archive_error(what: &str, e: impl std::fmt::Display) -> DeskError {
    DeskError::internal(format!("bulk job journal: archive {what}: {e}"))
}

/// The append-only file of settled chunks.
#[derive(Debug)]
pub struct Archive {
    file: Mutex<File>,
}

impl Archive {
    pub fn open(sled_dir: &Path) -> Result<Archive, DeskError> {
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(sled_dir.join(ARCHIVE_FILE))
            .map_err(|e| archive_error("open", e))?;
        Ok(Archive {
            file: Mutex::new(file),
        })
    }

    /// Writes `rows` as one chunk at the end of the file and syncs it: when this returns,
    /// the chunk is on disk and the location may be stored.
    pub fn append(&self, rows: &[RowRecord]) -> Result<ChunkAt, DeskError> {
        let bytes = postcard::to_stdvec(rows).map_err(|e| archive_error("encode", e))?;
        let len = u32::try_from(bytes.len()).map_err(|e| archive_error("encode", e))?;
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        let offset = file
            .seek(SeekFrom::End(0))
            .map_err(|e| archive_error("write", e))?;
        file.write_all(&bytes)
            .map_err(|e| archive_error("write", e))?;
        file.sync_data().map_err(|e| archive_error("sync", e))?;
        Ok(ChunkAt {
            offset,
            len,
            crc: crc32fast::hash(&bytes),
        })
    }

    /// The rows of the chunk at `at`, in the order they were written.
    pub fn read(&self, at: ChunkAt) -> Result<Vec<RowRecord>, DeskError> {
        let mut bytes = vec![0; at.len as usize];
        {
            let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
            file.seek(SeekFrom::Start(at.offset))
                .map_err(|e| archive_error("read", e))?;
            file.read_exact(&mut bytes)
                .map_err(|e| archive_error("read", e))?;
        }
        if crc32fast::hash(&bytes) != at.crc {
            return Err(archive_error(
                "read",
                format!("the chunk at byte {} fails its checksum", at.offset),
            ));
        }
        postcard::from_bytes(&bytes).map_err(|e| archive_error("decode", e))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{Archive, ChunkAt, RowRecord};

    #[test]
    fn chunks_read_back_and_a_damaged_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path()).unwrap();
        let first = archive
            .append(&[RowRecord::pending(1), RowRecord::pending(2)])
            .unwrap();
        let second = archive.append(&[RowRecord::pending(3)]).unwrap();
        assert_eq!(ChunkAt::from_bytes(&second.to_bytes()).unwrap(), second);
        let rows: Vec<u64> = archive.read(first).unwrap().iter().map(|r| r.row).collect();
        assert_eq!(rows, [1, 2]);
        assert_eq!(archive.read(second).unwrap()[0].row, 3);
        // Reopened, the same locations still read.
        drop(archive);
        let archive = Archive::open(dir.path()).unwrap();
        assert_eq!(archive.read(first).unwrap().len(), 2);
        // A flipped byte is reported, not decoded into a wrong row.
        let path = dir.path().join(super::ARCHIVE_FILE);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[1] ^= 0xff;
        std::fs::write(&path, bytes).unwrap();
        let err = archive.read(first).unwrap_err();
        assert!(err.message.contains("checksum"), "{}", err.message);
    }
}
