//! Why: an event must not be lost while the receiver is down or when the app restarts, so it
//! is on disk (flushed) before `enqueue` returns and leaves only when the receiver took it or a
//! person discarded it. It is kept in a sled database in its own owner-only directory (events
//! name requests and masked cards), in enqueue order, with its JSON body fixed at enqueue so
//! every attempt sends the same bytes. A second opener (another Card Desk on the same data) is
//! told clearly. Only the first undelivered event of each request is ever due: events of one
//! request arrive in order, different requests do not wait for each other.

mod outcome;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::view::{Attempt, History, PendingEvent, PendingState, SettledEvent};
use crate::{EventId, EventKind, NewEvent, OutboxError};

/// How many settled events [`Outbox::history`] keeps (the totals count all of them).
pub const HISTORY_LEN: usize = 500;

/// The stored format; a newer one is refused rather than misread.
const FORMAT: &[u8] = b"1";
const META_FORMAT: &[u8] = b"format";
const META_DELIVERED: &[u8] = b"delivered_total";
const META_DISCARDED: &[u8] = b"discarded_total";

/// The outbox: cheap to clone (one database, shared), for the desk and the [`crate::Deliverer`].
#[derive(Clone)]
pub struct Outbox {
    inner: Arc<Inner>,
}

struct Inner {
    db: sled::Db,
    meta: sled::Tree,
    /// seq (u64, big-endian: enqueue order) → [`Record`].
    queue: sled::Tree,
    /// settle order → [`SettledEvent`].
    history: sled::Tree,
    path: PathBuf,
    /// Read-modify-write of a record happens under this, so a delivery result and a `retry`
    /// by hand cannot overwrite each other.
    write: Mutex<()>,
    /// Wakes the delivery loop when there is something new to send.
    wake: tokio::sync::Notify,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

/// An undelivered event as stored.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Record {
    id: EventId,
    kind: EventKind,
    request_id: String,
    #[serde(with = "time::serde::rfc3339")]
    occurred_at: OffsetDateTime,
    /// The exact JSON body sent on every attempt.
    body: String,
    attempts: u32,
    /// Failed attempts since it was enqueued or retried by hand: the backoff's exponent.
    streak: u32,
    /// Refusals since it was enqueued or retried by hand.
    refusals: u32,
    /// Unix milliseconds; 0 is "due now".
    next_attempt_ms: i64,
    last_attempt: Option<Attempt>,
    failed: bool,
}

/// An event due to be sent: its id and its body, exactly as enqueued.
#[derive(Clone, Debug)]
pub struct Due {
    seq: u64,
    id: EventId,
    request_id: String,
    body: Arc<[u8]>,
}

impl Due {
    pub fn id(&self) -> &EventId {
        &self.id
    }

    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

impl Outbox {
    /// Opens (or creates) the outbox in `dir`. [`OutboxError::Busy`] if another process (or
    /// another handle in this one) has it open.
    pub fn open(dir: &Path) -> Result<Outbox, OutboxError> {
        let path = dir.to_path_buf();
        let (db, meta) =
            desk_store::open_versioned(dir, META_FORMAT, FORMAT).map_err(|e| match e {
                desk_store::OpenError::Create(e) => {
                    OutboxError::Storage(format!("cannot create {}: {e}", dir.display()))
                }
                desk_store::OpenError::Sled(e) => storage_error(&path, "open", e),
                desk_store::OpenError::NewerFormat(f) => OutboxError::Storage(format!(
                    "{} was written in format {f} by a newer Card Desk: update the app",
                    path.display()
                )),
            })?;
        let store_error = |e| storage_error(&path, "open", e);
        let queue = db.open_tree("queue").map_err(store_error)?;
        let history = db.open_tree("history").map_err(store_error)?;
        Ok(Outbox {
            inner: Arc::new(Inner {
                db,
                meta,
                queue,
                history,
                path,
                write: Mutex::new(()),
                wake: tokio::sync::Notify::new(),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Checks `event`, gives it its id, fixes its JSON body and stores it, flushed to disk
    /// before returning. It is due at once.
    pub fn enqueue(&self, event: NewEvent) -> Result<EventId, OutboxError> {
        let event = event.into_event()?;
        let body = serde_json::to_string(&event)
            .map_err(|e| OutboxError::Storage(format!("cannot encode an event: {e}")))?;
        let record = Record {
            id: event.id.clone(),
            kind: event.kind,
            request_id: event.request_id,
            occurred_at: event.occurred_at,
            body,
            attempts: 0,
            streak: 0,
            refusals: 0,
            next_attempt_ms: 0,
            last_attempt: None,
            failed: false,
        };
        let seq = self
            .inner
            .db
            .generate_id()
            .map_err(|e| self.error("write", e))?;
        self.inner
            .queue
            .insert(seq.to_be_bytes(), encode(&record)?)
            .map_err(|e| self.error("write", e))?;
        self.flush()?;
        self.inner.wake.notify_one();
        Ok(event.id)
    }

    /// Every event not delivered yet, in the order they were enqueued.
    pub fn pending(&self) -> Result<Vec<PendingEvent>, OutboxError> {
        let mut heads = HashSet::new();
        let mut out = Vec::new();
        for item in self.inner.queue.iter() {
            let (_, bytes) = item.map_err(|e| self.error("read", e))?;
            let r = self.decode::<Record>(&bytes)?;
            let head = heads.insert(r.request_id.clone());
            let state = match (r.failed, head) {
                (true, _) => PendingState::Failed,
                (false, true) => PendingState::Waiting,
                (false, false) => PendingState::Behind,
            };
            out.push(PendingEvent {
                next_attempt_at: (state == PendingState::Waiting && r.next_attempt_ms > 0)
                    .then(|| from_ms(r.next_attempt_ms)),
                id: r.id,
                kind: r.kind,
                request_id: r.request_id,
                occurred_at: r.occurred_at,
                state,
                attempts: r.attempts,
                last_attempt: r.last_attempt,
            });
        }
        Ok(out)
    }

    /// Totals of delivered and discarded events, and the most recent ones, newest first.
    pub fn history(&self) -> Result<History, OutboxError> {
        let mut recent = Vec::new();
        for item in self.inner.history.iter().rev() {
            let (_, bytes) = item.map_err(|e| self.error("read", e))?;
            recent.push(self.decode::<SettledEvent>(&bytes)?);
        }
        Ok(History {
            delivered_total: self.counter(META_DELIVERED)?,
            discarded_total: self.counter(META_DISCARDED)?,
            recent,
        })
    }

    /// The events to send at `now`: the first undelivered event of each request, if it has
    /// not failed and its next attempt is due, in enqueue order.
    pub fn next_due(&self, now: OffsetDateTime) -> Result<Vec<Due>, OutboxError> {
        let now_ms = to_ms(now);
        let mut heads = HashSet::new();
        let mut out = Vec::new();
        for item in self.inner.queue.iter() {
            let (key, bytes) = item.map_err(|e| self.error("read", e))?;
            let r = self.decode::<Record>(&bytes)?;
            if !heads.insert(r.request_id.clone()) {
                continue;
            }
            if !r.failed && r.next_attempt_ms <= now_ms {
                out.push(Due {
                    seq: seq_of(&key),
                    id: r.id,
                    request_id: r.request_id,
                    body: Arc::from(r.body.into_bytes()),
                });
            }
        }
        Ok(out)
    }

    /// When the next event falls due (`None`: nothing is waiting, or only failed events). A
    /// time in the past means now.
    pub fn next_wake(&self) -> Result<Option<OffsetDateTime>, OutboxError> {
        let mut heads = HashSet::new();
        let mut first: Option<i64> = None;
        for item in self.inner.queue.iter() {
            let (_, bytes) = item.map_err(|e| self.error("read", e))?;
            let r = self.decode::<Record>(&bytes)?;
            if heads.insert(r.request_id.clone()) && !r.failed {
                first = Some(first.map_or(r.next_attempt_ms, |f| f.min(r.next_attempt_ms)));
            }
        }
        Ok(first.map(from_ms))
    }

    /// Resolves when there may be something new to send (an enqueue, a retry, a discard).
    pub(crate) async fn changed(&self) {
        self.inner.wake.notified().await;
    }

    fn find(&self, id: &EventId) -> Result<(u64, Record), OutboxError> {
        for item in self.inner.queue.iter() {
            let (key, bytes) = item.map_err(|e| self.error("read", e))?;
            let r = self.decode::<Record>(&bytes)?;
            if &r.id == id {
                return Ok((seq_of(&key), r));
            }
        }
        Err(OutboxError::NotFound { id: id.clone() })
    }

    fn put(&self, seq: u64, r: &Record) -> Result<(), OutboxError> {
        self.inner
            .queue
            .insert(seq.to_be_bytes(), encode(r)?)
            .map(|_| ())
            .map_err(|e| self.error("write", e))
    }

    fn counter(&self, key: &[u8]) -> Result<u64, OutboxError> {
        Ok(self
            .inner
            .meta
            .get(key)
            .map_err(|e| self.error("read", e))?
            .map_or(0, |v| read_u64(&v)))
    }

    fn flush(&self) -> Result<(), OutboxError> {
        self.inner
            .db
            .flush()
            .map(|_| ())
            .map_err(|e| self.error("write", e))
    }

    fn decode<T: serde::de::DeserializeOwned>(&self, bytes: &[u8]) -> Result<T, OutboxError> {
        serde_json::from_slice(bytes).map_err(|e| {
            OutboxError::Storage(format!(
                "{}: a stored event cannot be read: {e}",
                self.inner.path.display()
            ))
        })
    }

    fn error(&self, doing: &str, e: sled::Error) -> OutboxError {
        storage_error(&self.inner.path, doing, e)
    }
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, OutboxError> {
    serde_json::to_vec(value)
        .map_err(|e| OutboxError::Storage(format!("cannot encode an event: {e}")))
}

fn storage_error(path: &Path, doing: &str, e: sled::Error) -> OutboxError {
    if let sled::Error::Io(io) = &e
        && desk_store::is_lock_error(io)
    {
        return OutboxError::Busy {
            path: path.to_path_buf(),
        };
    }
    if desk_store::disk_is_full(&e) {
        return OutboxError::Storage(format!("{doing}: the disk is full ({})", path.display()));
    }
    OutboxError::Storage(format!("{doing} {}: {e}", path.display()))
}

fn seq_of(key: &[u8]) -> u64 {
    read_u64(key)
}

fn read_u64(bytes: &[u8]) -> u64 {
    let mut eight = [0u8; 8];
    let n = bytes.len().min(8);
    eight[8 - n..].copy_from_slice(&bytes[..n]);
    u64::from_be_bytes(eight)
}

fn to_ms(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn from_ms(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}
