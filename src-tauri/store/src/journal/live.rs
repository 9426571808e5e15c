//! Why: a writer must tell cheaply, on every row it writes, whether some chunk of the
//! journal is due to move into the archive (see [`super::Journal::settle`]): this counts the
//! live rows per chunk, in memory, in step with sled's live tree.

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Rows a chunk of the archive holds (rows `n * CHUNK_ROWS ..= n * CHUNK_ROWS + 127`).
pub const CHUNK_ROWS: u64 = 128;

/// A chunk settles once writes have moved this many chunks past it: rows are taken in file
/// order, so by then its workers are done with it, bar a row being retried.
const SETTLE_BEHIND: u64 = 2;

/// A chunk with fewer live rows than this (rows that came back after it settled: retried or
/// re-checked rows) waits until writes are [`SETTLE_FAR_BEHIND`] chunks past it, so a chunk
/// is not rewritten for each straggler.
const SETTLE_MIN_ROWS: u64 = CHUNK_ROWS / 2;
const SETTLE_FAR_BEHIND: u64 = 16;

pub(super) fn chunk_of(row: u64) -> u64 {
    row / CHUNK_ROWS
}

/// What the live tree holds, counted per chunk, so a writer can tell cheaply which chunk is
/// due to settle. Kept in step with the tree: both change under this lock.
#[derive(Debug, Default)]
pub(super) struct LiveRows {
    /// Live row → in flight.
    rows: HashMap<u64, bool>,
    /// Chunk → (live rows, of which in flight).
    chunks: BTreeMap<u64, (u64, u64)>,
    /// Chunks whose settle failed this pass: skipped by [`LiveRows::due`] until
    /// `settle_all` tries them again.
    pub(super) failed: BTreeSet<u64>,
    /// The chunk written last. Rows are taken in file order, so this is where a pass's
    /// writes are (a retried row writing behind it moves it back only until the next write);
    /// a new pass starts again from the first chunk.
    pub(super) frontier: u64,
}

impl LiveRows {
    pub(super) fn wrote(&mut self, row: u64, in_flight: bool) {
        let chunk = self.chunks.entry(chunk_of(row)).or_default();
        match self.rows.insert(row, in_flight) {
            None => chunk.0 += 1,
            Some(was) => chunk.1 -= u64::from(was),
        }
        chunk.1 += u64::from(in_flight);
        self.frontier = chunk_of(row);
    }

    pub(super) fn settled(&mut self, row: u64) {
        let Some(in_flight) = self.rows.remove(&row) else {
            return;
        };
        let c = chunk_of(row);
        if let Some(chunk) = self.chunks.get_mut(&c) {
            chunk.0 -= 1;
            chunk.1 -= u64::from(in_flight);
            if chunk.0 == 0 {
                self.chunks.remove(&c);
            }
        }
    }

    /// The first chunk due to settle: far enough behind the writes, nothing in flight.
    pub(super) fn due(&self) -> Option<u64> {
        self.chunks
            .iter()
            .take_while(|(c, _)| *c + SETTLE_BEHIND <= self.frontier)
            .find(|(c, (live, in_flight))| {
                *in_flight == 0
                    && !self.failed.contains(c)
                    && (*live >= SETTLE_MIN_ROWS || *c + SETTLE_FAR_BEHIND <= self.frontier)
            })
            .map(|(c, _)| *c)
    }

    /// Every chunk with live rows and none in flight.
    pub(super) fn settleable(&self) -> Vec<u64> {
        self.chunks
            .iter()
            .filter(|(_, (_, in_flight))| *in_flight == 0)
            .map(|(c, _)| *c)
            .collect()
    }
}
