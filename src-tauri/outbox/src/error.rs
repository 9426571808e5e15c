//! Why: the desk shows errors as `{code, message, field}` and branches on their kind (input
//! refused, not found, open elsewhere, disk). [`OutboxError`] says which, and carries no secret:
//! the signing secret is never formatted into anything, and delivery failures are told from
//! their root cause only, never the receiver's URL (which may hold a token in its query).

use std::borrow::Cow;
use std::path::PathBuf;

use crate::EventId;

/// What kind of failure, for a caller that branches (the desk maps these onto its codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Input broke a rule; nothing was written.
    Validation,
    /// No such event (or it was delivered meanwhile).
    NotFound,
    /// The event is not in a state that allows the action.
    Conflict,
    /// The outbox is open in another process.
    Busy,
    /// The disk or the database failed.
    Storage,
    /// The HTTP client could not be set up (e.g. no TLS roots on this machine).
    Setup,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OutboxError {
    /// `field` is a machine name (`request_id`, `masked_cards[0]`, `url`, `secret`, …).
    #[error("{field}: {rule}")]
    Invalid {
        field: Cow<'static, str>,
        rule: Cow<'static, str>,
    },
    #[error("event {id} is not in the outbox (it may have been delivered)")]
    NotFound { id: EventId },
    #[error("event {id} has not failed: only a failed event can be {action} by hand")]
    NotFailed { id: EventId, action: &'static str },
    #[error(
        "the webhook outbox at {} is open in another Card Desk (the app or carddesk): close it there first", .path.display()
    )]
    Busy { path: PathBuf },
    #[error("the webhook outbox: {0}")]
    Storage(String),
    #[error("could not set up the webhook's HTTP client: {0}")]
    Setup(String),
}

impl OutboxError {
    pub(crate) fn invalid(
        field: impl Into<Cow<'static, str>>,
        rule: impl Into<Cow<'static, str>>,
    ) -> OutboxError {
        OutboxError::Invalid {
            field: field.into(),
            rule: rule.into(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid { .. } => ErrorKind::Validation,
            Self::NotFound { .. } => ErrorKind::NotFound,
            Self::NotFailed { .. } => ErrorKind::Conflict,
            Self::Busy { .. } => ErrorKind::Busy,
            Self::Storage(_) => ErrorKind::Storage,
            Self::Setup(_) => ErrorKind::Setup,
        }
    }

    /// The field a validation error is about, by its machine name.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}
