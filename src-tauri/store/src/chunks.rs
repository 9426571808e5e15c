//! Why: sled 0.34 keeps much of what it has written resident whatever its cache size says
//! (its LRU hears of page accesses in batches, and it keeps a record per page even when the
//! page is out: docs/benchmarks.md), so a journal holding every row of a 100,000-row job in
//! sled grew with the job. Rows nothing is writing any more are packed, a chunk of rows at a
//! time, into this append-only file inside the job's sled directory, and sled keeps only
//! where each chunk is (see [`crate::journal`]). A chunk here is opaque bytes: the journal
//! encodes its rows. The operating system's page cache holds the
//! file, not the process.
//!
//! A chunk is written whole and synced before the journal tells sled where it is, so every
//! location sled holds points at bytes on disk. A location carries the chunk's length and
//! CRC-32, checked on every read. A crash can leave a chunk written that no location names:
//! it is never read, and later chunks go after it.
//!
//! Each pass that changes a chunk writes it again, so the file collects old copies (a
//! 100,000-row job: about 30 MB after import, dry run and run). The journal compacts it at
//! the end of a pass when most of it is old copies: the chunks in use are copied into the
//! next generation's file (`rows.<n>.archive`), synced, every location is switched to it in
//! one sled batch, sled is flushed, and only then are older generations deleted. A crash
//! before the switch leaves the new file unused; the next open deletes whichever files no
//! location names.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::StoreError;

/// Generation 0's file name inside the job's sled directory (deleted with the job); later
/// generations are `rows.<n>.archive`.
pub const ARCHIVE_FILE: &str = "rows.archive";

fn file_name(generation: u32) -> String {
    if generation == 0 {
        ARCHIVE_FILE.to_owned()
    } else {
        format!("rows.{generation}.archive")
    }
}

/// The generation a file name belongs to, if it is an archive file.
fn generation_of(name: &str) -> Option<u32> {
    if name == ARCHIVE_FILE {
        return Some(0);
    }
    name.strip_prefix("rows.")?
        .strip_suffix(".archive")?
        .parse()
        .ok()
        .filter(|g| *g > 0)
}

/// Where one chunk is: what sled stores for it (20 bytes; 16 from before generations,
/// meaning generation 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkAt {
    generation: u32,
    offset: u64,
    len: u32,
    crc: u32,
}

impl ChunkAt {
    pub fn to_bytes(self) -> [u8; 20] {
        let mut out = [0; 20];
        out[..8].copy_from_slice(&self.offset.to_be_bytes());
        out[8..12].copy_from_slice(&self.len.to_be_bytes());
        out[12..16].copy_from_slice(&self.crc.to_be_bytes());
        out[16..].copy_from_slice(&self.generation.to_be_bytes());
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<ChunkAt, StoreError> {
        if bytes.len() != 16 && bytes.len() != 20 {
            return Err(archive_error(
                "read",
                "a chunk location is not 16 or 20 bytes",
            ));
        }
        let word = |at: usize| {
            u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let mut offset = [0; 8];
        offset.copy_from_slice(&bytes[..8]);
        Ok(ChunkAt {
            generation: if bytes.len() == 20 { word(16) } else { 0 },
            offset: u64::from_be_bytes(offset),
            len: word(8),
            crc: word(12),
        })
    }

    pub fn generation(self) -> u32 {
        self.generation
    }

    /// The bytes the chunk takes in its file.
    pub fn size(self) -> u64 {
        u64::from(self.len)
    }
}

fn archive_error<E: std::fmt::Display + 'static>(what: &str, e: E) -> StoreError {
    StoreError::from_cause("journal", &format!("archive {what}"), e)
}

/// The archive's files: chunks are appended to the current generation's, read from any
/// generation a location names.
#[derive(Debug)]
pub struct Archive {
    dir: PathBuf,
    files: Mutex<Files>,
}

#[derive(Debug)]
struct Files {
    current: u32,
    /// Files open, by generation, with the length written so far. Reads and writes are
    /// positional on a shared handle, so none waits for another's sync.
    open: BTreeMap<u32, (Arc<File>, u64)>,
}

impl Archive {
    /// Opens the archive in `sled_dir`. `named` are the generations some location names (in
    /// a healthy journal one; two after a compaction whose flush failed): each must be
    /// there, and appends go to the newest. Files of other generations are deleted: older
    /// ones a compaction left behind, newer ones a compaction a crash cut short.
    pub fn open(sled_dir: &Path, named: &BTreeSet<u32>) -> Result<Archive, StoreError> {
        let current = named.last().copied().unwrap_or(0);
        let mut open = BTreeMap::new();
        for &generation in named {
            let file = File::options()
                .read(true)
                .write(true)
                .open(sled_dir.join(file_name(generation)))
                .map_err(|e| {
                    archive_error(
                        "open",
                        format!("{} is missing or unreadable: {e}", file_name(generation)),
                    )
                })?;
            let len = file.metadata().map_err(|e| archive_error("open", e))?.len();
            open.insert(generation, (Arc::new(file), len));
        }
        for (generation, path) in archive_files(sled_dir)? {
            if !open.contains_key(&generation) {
                // Unused; one left (a file another program holds on Windows) is tried
                // again at the next open.
                let _ = std::fs::remove_file(path);
            }
        }
        if let std::collections::btree_map::Entry::Vacant(first) = open.entry(current) {
            // Nothing archived yet: the first file, its name made durable before any
            // location can name it.
            first.insert((Arc::new(create_file(sled_dir, current)?), 0));
        }
        Ok(Archive {
            dir: sled_dir.to_path_buf(),
            files: Mutex::new(Files { current, open }),
        })
    }

    fn files(&self) -> std::sync::MutexGuard<'_, Files> {
        crate::lock(&self.files)
    }

    /// Writes `bytes` as one chunk at the end of the current file and syncs it: when this
    /// returns, the chunk is on disk and the location may be stored. One writer at a time
    /// (the journal's settler).
    pub fn append(&self, bytes: &[u8]) -> Result<ChunkAt, StoreError> {
        let len = u32::try_from(bytes.len()).map_err(|e| archive_error("encode", e))?;
        let (generation, file, offset) = {
            let mut files = self.files();
            let generation = files.current;
            let (file, end) = files
                .open
                .get_mut(&generation)
                .ok_or_else(|| archive_error("write", "the current file is not open"))?;
            let offset = *end;
            *end += u64::from(len);
            (generation, file.clone(), offset)
        };
        write_all_at(&file, bytes, offset).map_err(|e| archive_error("write", e))?;
        file.sync_data().map_err(|e| archive_error("sync", e))?;
        Ok(ChunkAt {
            generation,
            offset,
            len,
            crc: crc32fast::hash(bytes),
        })
    }

    /// The bytes of the chunk at `at`, checked against its checksum.
    pub fn read(&self, at: ChunkAt) -> Result<Vec<u8>, StoreError> {
        let file = self
            .files()
            .open
            .get(&at.generation)
            .map(|(f, _)| f.clone())
            .ok_or_else(|| {
                archive_error(
                    "read",
                    format!("{} is no longer in use", file_name(at.generation)),
                )
            })?;
        let mut bytes = vec![0; at.len as usize];
        read_exact_at(&file, &mut bytes, at.offset).map_err(|e| archive_error("read", e))?;
        if crc32fast::hash(&bytes) != at.crc {
            return Err(archive_error(
                "read",
                format!("the chunk at byte {} fails its checksum", at.offset),
            ));
        }
        Ok(bytes)
    }

    /// Bytes written to the archive's files.
    pub fn bytes_on_disk(&self) -> u64 {
        self.files().open.values().map(|(_, len)| len).sum()
    }

    /// Copies the chunks at `blocks` into a new generation's file (checked, as read), syncs
    /// it and its name; returns that generation and the chunks' new locations, in order.
    /// Appends go on to the current file until [`Archive::switch_to`].
    pub fn copy_to_next(&self, blocks: &[ChunkAt]) -> Result<(u32, Vec<ChunkAt>), StoreError> {
        let next = {
            let files = self.files();
            let newest_open = files.open.keys().last().copied().unwrap_or(0);
            newest_open.max(files.current) + 1
        };
        // A file of that generation can only be left by a compaction a crash cut short:
        // no location names it, and `create_file` starts it afresh.
        let file = create_file(&self.dir, next)?;
        let mut moved = Vec::with_capacity(blocks.len());
        let mut offset = 0u64;
        {
            // Small buffers: a compaction must not raise the job's peak memory.
            let mut out = std::io::BufWriter::with_capacity(64 * 1024, &file);
            for at in blocks {
                let bytes = self.read(*at)?;
                out.write_all(&bytes)
                    .map_err(|e| archive_error("write", e))?;
                moved.push(ChunkAt {
                    generation: next,
                    offset,
                    len: at.len,
                    crc: at.crc,
                });
                offset += u64::from(at.len);
            }
            out.flush().map_err(|e| archive_error("write", e))?;
        }
        file.sync_all().map_err(|e| archive_error("sync", e))?;
        self.files().open.insert(next, (Arc::new(file), offset));
        Ok((next, moved))
    }

    /// Makes `generation` the one appended to: every location names it now.
    pub fn switch_to(&self, generation: u32) {
        self.files().current = generation;
    }

    /// Closes and deletes the files older than the current one, once sled has on disk that
    /// no location names them. A reader that had a location from before the switch is told
    /// the file is no longer in use, and reads the location again.
    pub fn drop_older(&self) {
        let mut files = self.files();
        let current = files.current;
        let older: Vec<u32> = files.open.range(..current).map(|(g, _)| *g).collect();
        for g in older {
            files.open.remove(&g);
            // On Windows a file another program holds is deleted at the next open.
            let _ = std::fs::remove_file(self.dir.join(file_name(g)));
        }
    }
}

/// Creates (or empties) generation `generation`'s file and makes its name durable, so a
/// location that names it can never outlive it.
fn create_file(dir: &Path, generation: u32) -> Result<File, StoreError> {
    // The archive holds rows that name customers and cards: owner only, like the audit log,
    // a file emptied here included (its old mode would survive the truncation).
    let file = crate::private_fs::owner_only(
        File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true),
    )
    .open(dir.join(file_name(generation)))
    .map_err(|e| archive_error("create", e))?;
    crate::private_fs::restrict(&file).map_err(|e| archive_error("create", e))?;
    file.sync_all().map_err(|e| archive_error("sync", e))?;
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| archive_error("sync", e))?;
    Ok(file)
}

#[cfg(unix)]
fn write_all_at(file: &File, bytes: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(unix)]
fn read_exact_at(file: &File, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(windows)]
fn write_all_at(file: &File, mut bytes: &[u8], mut offset: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(file, bytes, offset)?;
        if n == 0 {
            return Err(std::io::ErrorKind::WriteZero.into());
        }
        bytes = &bytes[n..];
        offset += n as u64;
    }
    Ok(())
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut bytes: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_read(file, bytes, offset)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        bytes = &mut bytes[n..];
        offset += n as u64;
    }
    Ok(())
}

/// The archive files in `dir`, with their generations.
fn archive_files(dir: &Path) -> Result<Vec<(u32, PathBuf)>, StoreError> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| archive_error("list", e))? {
        let entry = entry.map_err(|e| archive_error("list", e))?;
        if let Some(g) = entry.file_name().to_str().and_then(generation_of) {
            out.push((g, entry.path()));
        }
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{Archive, ChunkAt};
    use std::collections::BTreeSet;

    #[test]
    fn chunks_read_back_and_a_damaged_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path(), &BTreeSet::new()).unwrap();
        let first = archive.append(b"rows one and two").unwrap();
        let second = archive.append(b"row three").unwrap();
        assert_eq!(ChunkAt::from_bytes(&second.to_bytes()).unwrap(), second);
        assert_eq!(archive.read(first).unwrap(), b"rows one and two");
        assert_eq!(archive.read(second).unwrap(), b"row three");
        // Reopened with its generation named, the same locations still read.
        drop(archive);
        let named = BTreeSet::from([0]);
        let archive = Archive::open(dir.path(), &named).unwrap();
        assert_eq!(archive.read(first).unwrap(), b"rows one and two");
        // A flipped byte is reported, not decoded into a wrong row.
        let path = dir.path().join(super::ARCHIVE_FILE);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[1] ^= 0xff;
        std::fs::write(&path, bytes).unwrap();
        let err = archive.read(first).unwrap_err();
        assert!(err.message.contains("checksum"), "{}", err.message);
    }

    #[test]
    fn a_named_file_that_is_missing_is_an_error_not_an_empty_archive() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path(), &BTreeSet::new()).unwrap();
        archive.append(b"row one").unwrap();
        drop(archive);
        std::fs::remove_file(dir.path().join(super::ARCHIVE_FILE)).unwrap();
        let err = Archive::open(dir.path(), &BTreeSet::from([0])).unwrap_err();
        assert!(
            err.message.contains("rows.archive is missing"),
            "{}",
            err.message
        );
        assert!(
            !dir.path().join(super::ARCHIVE_FILE).exists(),
            "not created empty"
        );
    }
}
