//! Why: the journal's promises (every row reads its latest state whatever a crash, a
//! concurrent writer, a settle or a compaction cut short left behind) are what a bulk job's
//! resume rests on; these tests check each of them against a real sled database.
#![allow(clippy::unwrap_used)]

use serde::{Deserialize, Serialize};

use super::{CHUNK_ROWS, JournalRow};
use crate::StoreErrorKind;

/// A row as a job might keep it: its number, a state, and something it says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct RowRecord {
    row: u64,
    state: RowState,
    message: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum RowState {
    Pending,
    Planned,
    InFlight,
    Done,
}

impl RowRecord {
    fn pending(row: u64) -> RowRecord {
        RowRecord {
            row,
            state: RowState::Pending,
            message: None,
        }
    }
}

impl JournalRow for RowRecord {
    fn number(&self) -> u64 {
        self.row
    }

    fn in_flight(&self) -> bool {
        self.state == RowState::InFlight
    }
}

type Journal = super::Journal<RowRecord>;

fn states(journal: &Journal) -> Vec<(u64, RowState)> {
    journal
        .iter()
        .map(|r| r.map(|r| (r.row, r.state)).unwrap())
        .collect()
}

fn live_rows(journal: &Journal) -> usize {
    journal.rows.len()
}

#[test]
fn rows_are_read_in_row_order_in_batches_and_whole() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("j.sled"), true).unwrap();
    // Written out of order, and over 256 (the big-endian keys keep row order).
    for row in (1..=300).rev() {
        journal.put(&RowRecord::pending(row)).unwrap();
    }
    let rows: Vec<u64> = journal.iter().map(|r| r.unwrap().row).collect();
    assert_eq!(rows, (1..=300).collect::<Vec<_>>());
    let first = journal.batch(None, 256).unwrap();
    assert_eq!((first[0].row, first.len()), (1, 256));
    let rest = journal.batch(Some(256), 256).unwrap();
    assert_eq!(
        rest.iter().map(|r| r.row).collect::<Vec<_>>(),
        (257..=300).collect::<Vec<_>>()
    );
    assert!(journal.batch(Some(300), 256).unwrap().is_empty());
    // A point read finds the same record.
    assert_eq!(journal.get(42).unwrap().map(|r| r.row), Some(42));
}

#[test]
fn rows_settle_into_the_archive_as_writes_move_on_and_read_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sled");
    let journal = Journal::open(&path, true).unwrap();
    let n = 20 * CHUNK_ROWS;
    for row in 1..=n {
        journal.put(&RowRecord::pending(row)).unwrap();
    }
    // Only the last chunks are still live in sled; the rest moved to the archive.
    assert!(
        live_rows(&journal) <= 3 * CHUNK_ROWS as usize,
        "{}",
        live_rows(&journal)
    );
    journal.settle_all().unwrap();
    assert_eq!(live_rows(&journal), 0);
    let all = states(&journal);
    assert_eq!(all.len() as u64, n);
    assert!(all.iter().map(|(r, _)| *r).eq(1..=n));

    // A second pass rewrites every row; one row stays in flight.
    for row in 1..=n {
        let mut record = journal.get(row).unwrap().unwrap();
        record.state = if row == 5 {
            RowState::InFlight
        } else {
            RowState::Planned
        };
        journal.put(&record).unwrap();
    }
    journal.settle_all().unwrap();
    // The chunk with the row in flight stays live until that row is at rest.
    assert_eq!(live_rows(&journal), CHUNK_ROWS as usize - 1);
    let all = states(&journal);
    assert_eq!(all.len() as u64, n);
    assert_eq!(all[4], (5, RowState::InFlight));
    assert!(
        all.iter()
            .filter(|(r, _)| *r != 5)
            .all(|(_, s)| *s == RowState::Planned)
    );
    // Batches across chunk edges, from the middle of one.
    let batch = journal.batch(Some(CHUNK_ROWS - 3), 10).unwrap();
    assert!(
        batch
            .iter()
            .map(|r| r.row)
            .eq(CHUNK_ROWS - 2..CHUNK_ROWS + 8)
    );

    // Reopened (as after a crash or a restart), every row reads the same, and the row in
    // flight can still settle.
    journal.flush_blocking().unwrap();
    drop(journal);
    let journal = Journal::open(&path, false).unwrap();
    assert_eq!(states(&journal), all);
    let mut record = journal.get(5).unwrap().unwrap();
    record.state = RowState::Done;
    journal.put(&record).unwrap();
    journal.settle_all().unwrap();
    assert_eq!(live_rows(&journal), 0);
    assert_eq!(journal.get(5).unwrap().unwrap().state, RowState::Done);
    assert_eq!(journal.get(6).unwrap().unwrap().state, RowState::Planned);
    assert_eq!(journal.get(n + 1).unwrap(), None);
}

#[test]
fn a_row_written_while_its_chunk_settles_keeps_its_latest_state() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("j.sled"), true).unwrap();
    let n = 8 * CHUNK_ROWS;
    for row in 1..=n {
        journal.put(&RowRecord::pending(row)).unwrap();
    }
    journal.settle_all().unwrap();
    // Writers rewrite every row several times while a settler runs beside them.
    std::thread::scope(|s| {
        let settler = s.spawn(|| {
            for _ in 0..50 {
                journal.settle_all().unwrap();
            }
        });
        for worker in 0..4u64 {
            let journal = &journal;
            s.spawn(move || {
                for round in 0..3u64 {
                    for row in (1..=n).filter(|r| r % 4 == worker) {
                        let mut record = RowRecord::pending(row);
                        record.state = RowState::Planned;
                        record.message = Some(format!("round {round}"));
                        journal.put(&record).unwrap();
                    }
                }
            });
        }
        settler.join().unwrap();
    });
    journal.settle_all().unwrap();
    assert_eq!(live_rows(&journal), 0);
    let rows: Vec<RowRecord> = journal.iter().map(Result::unwrap).collect();
    assert_eq!(rows.len() as u64, n);
    for r in rows {
        assert_eq!(r.message.as_deref(), Some("round 2"), "row {}", r.row);
    }
}

#[test]
fn a_journal_written_before_the_archive_reads_and_settles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sled");
    {
        // The old layout: every row in the "rows" tree, no chunks, no archive file.
        let db = sled::open(&path).unwrap();
        let rows = db.open_tree("rows").unwrap();
        for row in 1..=300u64 {
            let bytes = postcard::to_stdvec(&RowRecord::pending(row)).unwrap();
            rows.insert(row.to_be_bytes(), bytes).unwrap();
        }
        db.flush().unwrap();
    }
    let journal = Journal::open(&path, false).unwrap();
    assert!(states(&journal).iter().map(|(r, _)| *r).eq(1..=300));
    journal.settle_all().unwrap();
    assert_eq!(live_rows(&journal), 0);
    assert!(states(&journal).iter().map(|(r, _)| *r).eq(1..=300));
}

/// A crash leaves sled with a prefix of the settle's writes (see [`Journal::settle`]):
/// after each prefix, reopened, every row reads its latest state, and the chunk settles.
#[test]
fn a_settle_cut_after_any_step_loses_no_row_state() {
    for cut in 1..=4 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.sled");
        let journal = Journal::open(&path, true).unwrap();
        for row in 0..CHUNK_ROWS {
            journal.put(&RowRecord::pending(row)).unwrap();
        }
        journal.settle_all().unwrap();
        // A second pass: every row planned, some rows of it then written again.
        for row in 0..CHUNK_ROWS {
            let mut record = RowRecord::pending(row);
            record.state = RowState::Planned;
            journal.put(&record).unwrap();
        }
        let (live, at) = journal.pack(0).unwrap().unwrap();
        if cut >= 2 {
            journal.locate(0, at).unwrap();
        }
        // A row written after it was packed: it must stay live and win.
        let mut late = RowRecord::pending(7);
        late.state = RowState::Done;
        journal.put(&late).unwrap();
        if cut == 3 {
            // Half of the live rows removed when the crash comes.
            journal.release(live[..live.len() / 2].to_vec()).unwrap();
        } else if cut == 4 {
            journal.release(live).unwrap();
        }
        journal.flush_blocking().unwrap();
        drop(journal);
        let journal = Journal::open(&path, false).unwrap();
        let expect = |row: u64| {
            if row == 7 {
                RowState::Done
            } else {
                RowState::Planned
            }
        };
        let read = states(&journal);
        assert_eq!(read.len() as u64, CHUNK_ROWS, "cut after step {cut}");
        for (row, state) in &read {
            assert_eq!(*state, expect(*row), "cut after step {cut}: row {row}");
        }
        journal.settle_all().unwrap();
        assert_eq!(live_rows(&journal), 0, "cut after step {cut}");
        assert_eq!(states(&journal), read, "cut after step {cut}");
    }
}

#[test]
fn a_job_open_elsewhere_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sled");
    let _held = Journal::open(&path, true).unwrap();
    let err = Journal::open(&path, false).unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::Busy, "{}", err.message);
    assert!(
        err.message.contains("is open in another process"),
        "{}",
        err.message
    );
}

fn archive_files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".archive"))
        .collect();
    names.sort();
    names
}

/// Passes that rewrite every row: each leaves a copy of each chunk in the archive.
fn rewrite_all(journal: &Journal, n: u64, message: &str) {
    for row in 0..n {
        let mut record = RowRecord::pending(row);
        record.state = RowState::Planned;
        record.message = Some(message.to_owned());
        journal.put(&record).unwrap();
    }
    journal.settle_all().unwrap();
}

#[test]
fn old_copies_are_compacted_away_and_every_row_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sled");
    let journal = Journal::open(&path, true).unwrap();
    let n = 6 * CHUNK_ROWS;
    rewrite_all(&journal, n, "first");
    assert_eq!(archive_files(&path), ["rows.archive"]);
    rewrite_all(&journal, n, "second");
    rewrite_all(&journal, n, "third");
    // Old copies outweighed half of what is in use: one newer file holds what is in use.
    let files = archive_files(&path);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_ne!(files[0], "rows.archive");
    let size = std::fs::metadata(path.join(&files[0])).unwrap().len();
    let read: Vec<RowRecord> = journal.iter().map(Result::unwrap).collect();
    assert_eq!(read.len() as u64, n);
    assert!(read.iter().all(|r| r.message.as_deref() == Some("third")));
    assert_eq!(
        size,
        journal
            .locations()
            .unwrap()
            .1
            .iter()
            .map(|b| b.size())
            .sum::<u64>(),
        "the new file holds the chunks in use and nothing else"
    );
    // Settling after the compaction goes on in the new file, and reopens read the same.
    for row in 0..CHUNK_ROWS {
        let mut record = RowRecord::pending(row);
        record.message = Some("fourth".to_owned());
        journal.put(&record).unwrap();
    }
    journal.settle_all().unwrap();
    assert_eq!(archive_files(&path), files);
    assert!(std::fs::metadata(path.join(&files[0])).unwrap().len() > size);
    journal.flush_blocking().unwrap();
    drop(journal);
    let journal = Journal::open(&path, false).unwrap();
    let read: Vec<RowRecord> = journal.iter().map(Result::unwrap).collect();
    assert_eq!(read.len() as u64, n);
    let fourth = read
        .iter()
        .filter(|r| r.message.as_deref() == Some("fourth"))
        .count();
    assert_eq!(fourth as u64, CHUNK_ROWS);
    assert_eq!(archive_files(&path), files);
}

#[test]
fn a_compaction_cut_short_leaves_the_journal_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sled");
    let n = 3 * CHUNK_ROWS;
    // Cut after the copy (no location switched), and after the switch (old file kept).
    for switched in [false, true] {
        let _ = std::fs::remove_dir_all(&path);
        let journal = Journal::open(&path, true).unwrap();
        rewrite_all(&journal, n, "one");
        let (keys, blocks) = journal.locations().unwrap();
        let (generation, moved) = journal.archive.copy_to_next(&blocks).unwrap();
        if switched {
            journal
                .chunks
                .apply_batch(super::relocation(keys, moved))
                .unwrap();
        }
        journal.flush_blocking().unwrap();
        drop(journal);
        let journal = Journal::open(&path, false).unwrap();
        let expect = if switched {
            format!("rows.{generation}.archive")
        } else {
            "rows.archive".to_owned()
        };
        assert_eq!(archive_files(&path), [expect], "switched: {switched}");
        let read: Vec<RowRecord> = journal.iter().map(Result::unwrap).collect();
        assert_eq!(read.len() as u64, n, "switched: {switched}");
        assert!(read.iter().all(|r| r.message.as_deref() == Some("one")));
        drop(journal);
    }
}

/// A reader looking for the next chunk while that chunk settles for the first time (a
/// journal from before the archive, rows never settled) finds it, live or archived.
#[test]
fn a_chunk_settling_for_the_first_time_is_not_skipped_by_a_reader() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sled");
    let chunks = 300u64;
    {
        let db = sled::open(&path).unwrap();
        let rows = db.open_tree("rows").unwrap();
        for c in 0..chunks {
            let row = c * CHUNK_ROWS;
            let bytes = postcard::to_stdvec(&RowRecord::pending(row)).unwrap();
            rows.insert(row.to_be_bytes(), bytes).unwrap();
        }
        db.flush().unwrap();
    }
    let journal = Journal::open(&path, false).unwrap();
    let current = std::sync::atomic::AtomicU64::new(0);
    let done = std::sync::atomic::AtomicBool::new(false);
    let mut misses = Vec::new();
    std::thread::scope(|s| {
        s.spawn(|| {
            for c in 0..chunks {
                current.store(c, std::sync::atomic::Ordering::SeqCst);
                journal.settle(c).unwrap();
            }
            done.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        while !done.load(std::sync::atomic::Ordering::SeqCst) {
            let c = current.load(std::sync::atomic::Ordering::SeqCst);
            let got = journal.next_chunk(c).unwrap();
            if got != Some(c) {
                misses.push((c, got));
            }
        }
    });
    assert!(misses.is_empty(), "chunks skipped: {misses:?}");
}

/// A compaction whose flush failed after its locations were switched: the next
/// compaction must not reuse (and empty) the file those locations name, and settles in
/// between go to that file too.
#[test]
fn a_compaction_after_one_cut_before_its_flush_keeps_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sled");
    let n = 4 * CHUNK_ROWS;
    let journal = Journal::open(&path, true).unwrap();
    rewrite_all(&journal, n, "one");
    let (keys, blocks) = journal.locations().unwrap();
    let (generation, moved) = journal.archive.copy_to_next(&blocks).unwrap();
    journal
        .chunks
        .apply_batch(super::relocation(keys, moved))
        .unwrap();
    journal.archive.switch_to(generation);
    // (The flush failed here: the older file is kept.) Later passes settle and compact.
    rewrite_all(&journal, n, "two");
    rewrite_all(&journal, n, "three");
    let read: Vec<RowRecord> = journal.iter().map(Result::unwrap).collect();
    assert_eq!(read.len() as u64, n);
    assert!(read.iter().all(|r| r.message.as_deref() == Some("three")));
    journal.flush_blocking().unwrap();
    drop(journal);
    let journal = Journal::open(&path, false).unwrap();
    let read: Vec<RowRecord> = journal.iter().map(Result::unwrap).collect();
    assert_eq!(read.len() as u64, n);
    assert!(read.iter().all(|r| r.message.as_deref() == Some("three")));
    assert_eq!(archive_files(&path).len(), 1, "{:?}", archive_files(&path));
}
