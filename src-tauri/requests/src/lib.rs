//! Why: customers' requests under 376-FZ, 152-FZ and GDPR run on legal clocks and must be
//! provable years later (docs/customer-requests.md). This crate is the register's domain core,
//! knowing nothing of Tauri, the gateway's wire or the UI:
//!
//! * [`calendar`]: the Russian production calendar, as versioned data in the repository;
//! * [`deadline`]: each request kind's clock, flagged when a calendar year is provisional or
//!   missing;
//! * [`model`]: the request, its rules and its history;
//! * [`store`]: the [`RequestStore`] contract (with its optimistic version check) and the
//!   embedded sled implementation.

pub mod calendar;
pub mod deadline;
mod error;
pub mod iso;
pub mod model;
pub mod store;

pub use calendar::{BeyondCalendar, Calendar, CalendarError, YearStatus};
pub use deadline::{Deadline, DeadlineBasis, RequestKind};
pub use error::{ErrorKind, RequestError};
pub use model::{Request, RequestId};
pub use store::{DueCounts, RequestFilter, RequestStore, SledRequestStore};
