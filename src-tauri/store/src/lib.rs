//! Why: the machinery that makes the desk's writes durable and cheap — group commit, the
//! disk lanes, owner-only files, and the row journal a bulk job survives a crash on — was
//! tuned against benchmarks (docs/benchmarks.md) and is rarely touched, while the domain
//! around it changes every week. It lives here, behind a small API that knows nothing of
//! cards, customers or jobs, so a domain change neither rebuilds nor risks it
//! (docs/architecture.md).
//!
//! * [`group_sync`]: writers share one `fsync` (group commit).
//! * [`disk_lane`]: one named thread for a stream of blocking disk work.
//! * [`private_fs`]: 0700 directories and 0600 files.
//! * [`open_waiting`]: a sled open that waits out a just-dropped handle's lock.
//! * [`journal`]: rows keyed by number in sled, settled chunk by chunk into an append-only
//!   archive ([`chunks`]) so memory stays flat whatever the row count.

pub mod chunks;
pub mod disk_lane;
mod error;
pub mod group_sync;
pub mod journal;
mod lock;
mod open;
pub mod private_fs;

pub use error::{StoreError, StoreErrorKind, disk_is_full, is_lock_error};
pub use journal::{CHUNK_ROWS, Journal, JournalRow};
pub use lock::lock;
pub use open::{OpenError, open_versioned, open_waiting};
