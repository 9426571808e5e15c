//! Why: a team connection fails in a handful of ways a person can act on — a field typed
//! wrong, a server not reachable, a certificate not trusted, a login refused, a right not
//! granted — and one a lead must hear of: a desk's entry arriving again with other bytes.
//! [`TeamError`] names which, and carries no password: messages are built from the driver's
//! error kinds and the server's own words, which never include it, and are scrubbed of it
//! anyway (`scrubbed`).

use std::borrow::Cow;

use crate::TeamPassword;

/// What kind of failure, for a caller that branches (the desk maps these onto its codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A setting broke a rule; nothing was dialled.
    Validation,
    /// The server could not be reached, or the connection dropped.
    Unreachable,
    /// The server did not answer in time (slow or stalled); the connection was closed.
    Slow,
    /// TLS could not be set up or the server's certificate is not trusted.
    Tls,
    /// The server refused the login (password, role, database).
    Login,
    /// The login lacks a right it needs (or tried what no one may: change the trail).
    NotAllowed,
    /// A desk's entry is already in the trail with other bytes: an alarm.
    Conflict,
    /// The schema is not what this version expects, or the server failed otherwise.
    Server,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    /// `field` is a machine name (`host`, `port`, `database`, `user`, `password`).
    #[error("{field}: {rule}")]
    Invalid {
        field: Cow<'static, str>,
        rule: Cow<'static, str>,
    },
    #[error("could not reach PostgreSQL at {target}: {cause}")]
    Unreachable { target: String, cause: String },
    /// No answer within `waited`: the connection was closed, so nothing more happens on it
    /// (a hold it took meanwhile ends with the session; a transaction not committed is rolled
    /// back).
    #[error(
        "PostgreSQL at {target} did not answer within {} s while trying to {action}: the team database is slow or not answering (the connection was closed; the next try dials again)",
        seconds(*.waited)
    )]
    Slow {
        target: String,
        action: String,
        waited: std::time::Duration,
    },
    #[error("could not set up TLS with PostgreSQL at {target}: {cause}")]
    Tls { target: String, cause: String },
    #[error("PostgreSQL refused the login {target}: {cause}")]
    Login { target: String, cause: String },
    #[error("PostgreSQL at {target} has no database {database}")]
    NoDatabase { target: String, database: String },
    #[error("the login may not {action}: {cause}")]
    NotAllowed { action: String, cause: String },
    #[error(
        "desk {desk} entry {seq} is already in the team trail with other contents: this desk's log was rewritten, or another desk ships under its id ({cause})"
    )]
    ConflictingRepeat {
        desk: String,
        seq: u64,
        cause: String,
    },
    #[error("the team database's schema: {0}")]
    Schema(String),
    #[error("PostgreSQL: {0}")]
    Server(String),
}

impl TeamError {
    pub(crate) fn invalid(
        field: impl Into<Cow<'static, str>>,
        rule: impl Into<Cow<'static, str>>,
    ) -> TeamError {
        TeamError::Invalid {
            field: field.into(),
            rule: rule.into(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid { .. } => ErrorKind::Validation,
            Self::Unreachable { .. } => ErrorKind::Unreachable,
            Self::Slow { .. } => ErrorKind::Slow,
            Self::Tls { .. } => ErrorKind::Tls,
            Self::Login { .. } | Self::NoDatabase { .. } => ErrorKind::Login,
            Self::NotAllowed { .. } => ErrorKind::NotAllowed,
            Self::ConflictingRepeat { .. } => ErrorKind::Conflict,
            Self::Schema(_) | Self::Server(_) => ErrorKind::Server,
        }
    }

    /// The field a validation error is about, by its machine name.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// An error of a statement (`action` says what was being done, for a refusal).
    pub(crate) fn of_statement(e: &tokio_postgres::Error, action: &str) -> TeamError {
        use tokio_postgres::error::SqlState;
        if let Some(db) = e.as_db_error() {
            let said = db.message().to_owned();
            return match db.code() {
                c if *c == SqlState::INSUFFICIENT_PRIVILEGE => TeamError::NotAllowed {
                    action: action.to_owned(),
                    cause: said,
                },
                c if *c == SqlState::UNDEFINED_TABLE
                    || *c == SqlState::UNDEFINED_FUNCTION
                    || *c == SqlState::INVALID_SCHEMA_NAME =>
                {
                    TeamError::Schema(format!(
                        "{said} (the app creates the schema on connecting as its owner: see docs/team.md)"
                    ))
                }
                _ => TeamError::Server(said),
            };
        }
        if e.is_closed() {
            return TeamError::Unreachable {
                target: "the server".into(),
                cause: "the connection was closed".into(),
            };
        }
        TeamError::Unreachable {
            target: "the server".into(),
            cause: root_cause(e),
        }
    }

    /// The same error with every occurrence of `password` replaced: a belt to the braces of
    /// building messages from the driver's words only.
    pub(crate) fn scrubbed(self, password: &TeamPassword) -> TeamError {
        let secret = password.expose();
        if secret.len() < 4 {
            return self;
        }
        let s = |t: String| -> String {
            if t.contains(secret) {
                t.replace(secret, "<password>")
            } else {
                t
            }
        };
        match self {
            Self::Unreachable { target, cause } => Self::Unreachable {
                target,
                cause: s(cause),
            },
            Self::Tls { target, cause } => Self::Tls {
                target,
                cause: s(cause),
            },
            Self::Login { target, cause } => Self::Login {
                target,
                cause: s(cause),
            },
            Self::NotAllowed { action, cause } => Self::NotAllowed {
                action,
                cause: s(cause),
            },
            Self::ConflictingRepeat { desk, seq, cause } => Self::ConflictingRepeat {
                desk,
                seq,
                cause: s(cause),
            },
            Self::Schema(t) => Self::Schema(s(t)),
            Self::Server(t) => Self::Server(s(t)),
            other => other,
        }
    }
}

/// A wait in seconds as people read it: "5", "1.5" (to a tenth).
pub fn seconds(d: std::time::Duration) -> String {
    let tenths = (d.as_millis() + 50) / 100;
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// The innermost cause's words ("Connection refused (os error 111)", "invalid peer
/// certificate: UnknownIssuer"), which say what to fix.
pub(crate) fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last: &(dyn std::error::Error + 'static) = e;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_wait_is_said_in_whole_or_tenths_of_seconds() {
        assert_eq!(seconds(Duration::from_secs(5)), "5");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5");
        // What is left of a bound after a dial reads as the bound, not 1.4999925.
        assert_eq!(seconds(Duration::from_nanos(1_499_992_500)), "1.5");
        let slow = TeamError::Slow {
            target: "anna@db:5432/carddesk".into(),
            action: "take a card's hold".into(),
            waited: Duration::from_millis(1500),
        };
        assert_eq!(slow.kind(), ErrorKind::Slow);
        assert!(
            slow.to_string()
                .contains("did not answer within 1.5 s while trying to take a card's hold"),
            "{slow}"
        );
    }
}
