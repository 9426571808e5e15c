//! Errors as the UI and the CLI see them: a stable code to branch on and a message that is
//! safe to show — it never holds a password (the client's errors never carry one).

use serde::Serialize;

/// Add a code only when a caller branches on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Input broke a rule; nothing was sent.
    Validation,
    /// The gateway answered with a fault.
    GatewayFault,
    /// The gateway could not be reached or answered something unreadable.
    Transport,
    /// A bug or an environment problem on our side.
    Internal,
    /// The OS keyring (Secret Service, Keychain, Credential Manager) cannot be used; the app
    /// shows a banner and keeps secrets for this session only.
    SecretStoreUnavailable,
    /// The named item (e.g. a profile id) does not exist.
    NotFound,
    /// The profile has no password yet.
    CredentialsMissing,
    /// The audit log cannot be written or read, or is not intact; revocations (and recorded
    /// lookups) wait until it is fixed.
    AuditLog,
    /// Another removal of the same card is still open (this or another process): nothing was
    /// sent. The message says who holds it.
    RemovalInProgress,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error, ts_rs::TS)]
#[error("{message}")]
pub struct DeskError {
    pub code: ErrorCode,
    pub message: String,
    /// For a validation error, the field it is about, by its machine name (`merchant_id`,
    /// `base_url`, `customer_number`, …): the UI puts the message beside that input without
    /// reading the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
}

impl DeskError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> DeskError {
        DeskError {
            code,
            message: message.into(),
            field: None,
        }
    }

    /// Input broke a rule: "`label`: `rule`", about the field named `field`.
    pub fn invalid(field: &str, label: &str, rule: impl std::fmt::Display) -> DeskError {
        DeskError {
            code: ErrorCode::Validation,
            message: format!("{label}: {rule}"),
            field: Some(field.to_owned()),
        }
    }

    pub fn internal(message: impl Into<String>) -> DeskError {
        DeskError::new(ErrorCode::Internal, message)
    }

    /// Whether this failed because the disk holding the desk's data is full: the claim, the
    /// audit log or a job journal could not be written (the I/O error's own words, or the
    /// journal's "the disk is full"). A bulk job stops on it rather than fail row after row.
    pub fn is_disk_full(&self) -> bool {
        ["No space left on device", "os error 28", "the disk is full"]
            .iter()
            .any(|words| self.message.contains(words))
    }
}

impl From<assist::ValidationError> for DeskError {
    fn from(e: assist::ValidationError) -> Self {
        DeskError::invalid(e.field(), e.field_label(), e.rule())
    }
}

impl From<assist::Error> for DeskError {
    fn from(e: assist::Error) -> Self {
        let code = match &e {
            assist::Error::Validation(_) => ErrorCode::Validation,
            assist::Error::Fault(_) => ErrorCode::GatewayFault,
            _ => ErrorCode::Transport,
        };
        let field = match &e {
            assist::Error::Validation(v) => Some(v.field().to_owned()),
            _ => None,
        };
        DeskError {
            code,
            message: e.to_string(),
            field,
        }
    }
}

/// Whether `e` (an I/O or sled error) says the disk is full (ENOSPC, or a quota).
pub(crate) fn disk_is_full<E: 'static>(e: &E) -> bool {
    let any: &dyn std::any::Any = e;
    let io = match any.downcast_ref::<sled::Error>() {
        Some(sled::Error::Io(io)) => Some(io),
        Some(_) => None,
        None => any.downcast_ref::<std::io::Error>(),
    };
    io.is_some_and(|io| {
        matches!(
            io.kind(),
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
        ) || io.raw_os_error() == Some(28)
    })
}
