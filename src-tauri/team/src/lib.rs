//! Why: a desk of many agents needs one trail a lead and an auditor can read. Team mode keeps
//! every desk's own hash-chained audit log as it is (written first, so nothing waits on the
//! network and nothing is lost offline) and ships its entries to a PostgreSQL table the whole
//! team shares (docs/team.md). This crate is that database side and nothing else: it knows
//! the trail as numbered lines with a hash and the hash before, not what an audit entry means;
//! the desk reads its log and decides what to ship (`desk/src/team.rs`).
//!
//! * [`settings`]: where the database is (host, port, database, user), checked field by field;
//!   TLS required except on loopback.
//! * [`password`]: the login's password, which only goes in (never formatted).
//! * [`connect`]: a verified connection, its migrations, and errors that say what to fix.
//! * [`trail`]: register a desk, ship entries idempotently, read them back, check a chain.
//! * [`register`]: the customers' requests register (`RequestStore`) on PostgreSQL.
//! * [`approvals`]: four-eyes: the desk's policy, approval requests and decisions.

pub mod approvals;
pub mod connect;
mod error;
pub mod password;
pub mod register;
pub mod settings;
#[cfg(feature = "test-cluster")]
pub mod test_cluster;
pub mod trail;

pub use approvals::{Approval, ApprovalAsk, Guarded, Policy};
pub use connect::{Team, connect};
pub use error::{ErrorKind, TeamError, seconds};
pub use password::TeamPassword;
pub use register::PgRequestStore;
pub use settings::TeamSettings;
pub use trail::{
    ChainBreak, DeskId, ShipReport, TRAIL_COUNT_MAX, TeamDesk, TrailEntry, TrailFilter, TrailLine,
    TrailPage, TrailRow,
};
