//! Why: an event's life after enqueue — an attempt's answer, a retry or a discard by hand —
//! changes one record under the outbox's write lock, and leaving the queue (delivered or
//! discarded) moves it into the history and counts it in one transaction, so a crash between
//! the two can neither lose the event nor count it twice.

use std::time::Duration;

use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};
use time::OffsetDateTime;

use super::{
    Due, HISTORY_LEN, META_DELIVERED, META_DISCARDED, Outbox, Record, encode, read_u64, to_ms,
};
use crate::policy::{Policy, Verdict};
use crate::view::{Attempt, SettledEvent, Settlement};
use crate::{EventId, OutboxError};

impl Outbox {
    /// Puts a failed event back in the queue, due now, its refusals forgotten.
    pub fn retry(&self, id: &EventId) -> Result<(), OutboxError> {
        let _guard = desk_store::lock(&self.inner.write);
        let (seq, mut r) = self.find(id)?;
        if !r.failed {
            return Err(OutboxError::NotFailed {
                id: id.clone(),
                action: "retried",
            });
        }
        r.failed = false;
        r.refusals = 0;
        r.streak = 0;
        r.next_attempt_ms = 0;
        self.put(seq, &r)?;
        self.flush()?;
        self.inner.wake.notify_one();
        Ok(())
    }

    /// Removes a failed event for good (recorded in the history as discarded), so the events
    /// of its request after it can go.
    pub fn discard(&self, id: &EventId, now: OffsetDateTime) -> Result<(), OutboxError> {
        let _guard = desk_store::lock(&self.inner.write);
        let (seq, r) = self.find(id)?;
        if !r.failed {
            return Err(OutboxError::NotFailed {
                id: id.clone(),
                action: "discarded",
            });
        }
        self.settle(seq, r, Settlement::Discarded, None, now)?;
        self.inner.wake.notify_one();
        Ok(())
    }

    /// Records what an attempt at `due` got back at `now`.
    pub(crate) fn record(
        &self,
        due: &Due,
        verdict: &Verdict,
        now: OffsetDateTime,
        policy: &Policy,
    ) -> Result<(), OutboxError> {
        let _guard = desk_store::lock(&self.inner.write);
        let Some(bytes) = self
            .inner
            .queue
            .get(due.seq.to_be_bytes())
            .map_err(|e| self.error("read", e))?
        else {
            return Ok(()); // discarded meanwhile
        };
        let mut r = self.decode::<Record>(&bytes)?;
        r.attempts += 1;
        let (status, error) = match verdict {
            Verdict::Delivered { status } => {
                return self.settle(due.seq, r, Settlement::Delivered, Some(*status), now);
            }
            Verdict::Retry {
                status,
                error,
                retry_after,
            } => {
                r.streak += 1;
                let wait = policy
                    .backoff(r.streak, &r.id)
                    .max(retry_after.unwrap_or_default().min(policy.max_delay));
                r.next_attempt_ms = later(now, wait);
                (*status, error)
            }
            Verdict::Refused { status, error } => {
                r.streak += 1;
                r.refusals += 1;
                r.failed = r.refusals >= policy.refusals_before_failed;
                r.next_attempt_ms = later(now, policy.backoff(r.streak, &r.id));
                (Some(*status), error)
            }
        };
        r.last_attempt = Some(Attempt {
            at: now,
            status,
            error: Some(error.clone()),
        });
        self.put(due.seq, &r)?;
        self.flush()
    }

    /// Moves record `seq` into the history, counting it, in one transaction.
    fn settle(
        &self,
        seq: u64,
        r: Record,
        settlement: Settlement,
        status: Option<u16>,
        now: OffsetDateTime,
    ) -> Result<(), OutboxError> {
        let settled = encode(&SettledEvent {
            id: r.id,
            kind: r.kind,
            request_id: r.request_id,
            occurred_at: r.occurred_at,
            settlement,
            settled_at: now,
            attempts: r.attempts,
            status,
        })?;
        let order = self
            .inner
            .db
            .generate_id()
            .map_err(|e| self.error("write", e))?;
        let counter = match settlement {
            Settlement::Delivered => META_DELIVERED,
            Settlement::Discarded => META_DISCARDED,
        };
        let inner = &self.inner;
        (&inner.queue, &inner.history, &inner.meta)
            .transaction(|(queue, history, meta)| {
                queue.remove(&seq.to_be_bytes())?;
                history.insert(&order.to_be_bytes(), settled.as_slice())?;
                let count = meta.get(counter)?.map_or(0, |v| read_u64(&v));
                meta.insert(counter, &(count + 1).to_be_bytes())?;
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(|e| match e {
                TransactionError::Storage(e) => self.error("write", e),
                TransactionError::Abort(()) => {
                    OutboxError::Storage(format!("write {}: aborted", inner.path.display()))
                }
            })?;
        while inner.history.len() > HISTORY_LEN {
            inner
                .history
                .pop_min()
                .map_err(|e| self.error("write", e))?;
        }
        self.flush()
    }
}

/// `now + wait` in unix milliseconds, at least 1 (0 means "due now").
fn later(now: OffsetDateTime, wait: Duration) -> i64 {
    let wait = i64::try_from(wait.as_millis()).unwrap_or(i64::MAX);
    to_ms(now).saturating_add(wait).max(1)
}
