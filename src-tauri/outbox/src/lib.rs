//! Why: a support desk's ticket system should learn, without an agent copying it over, that a
//! customer's request changed status or that a card of it was removed. This crate is that
//! write-back: a per-desk webhook receiving a signed JSON event (docs/webhooks.md), delivered
//! from an on-disk outbox so nothing is lost while the receiver is down or the app restarts.
//! It knows nothing of the desk or of Tauri: the desk enqueues events and keeps the URL (in
//! Settings) and the secret (in the keyring); the app spawns the delivery loop.
//!
//! * [`event`]: what an event may carry (no token, no password, no card number) and its id.
//! * [`signature`]: the HMAC-SHA256 signature and the redacted secret.
//! * [`outbox`]: the sled-backed queue, in order per request, and its history.
//! * [`policy`]: delivered, retried later (backoff, `Retry-After`) or failed.
//! * [`deliverer`]: the signed POSTs, one step ([`Deliverer::run_once`]) or the loop.
//! * [`view`]: what the UI shows of it.

pub mod clock;
pub mod deliverer;
mod error;
pub mod event;
pub mod outbox;
pub mod policy;
pub mod signature;
pub mod view;

pub use clock::{Clock, SystemClock};
pub use deliverer::{Deliverer, Pass, check_url};
pub use error::{ErrorKind, OutboxError};
pub use event::{Event, EventId, EventKind, NewEvent};
pub use outbox::{Due, HISTORY_LEN, Outbox};
pub use policy::Policy;
pub use signature::{
    EVENT_ID_HEADER, MIN_SECRET_LEN, SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookSecret,
};
pub use view::{Attempt, History, PendingEvent, PendingState, SettledEvent, Settlement};
