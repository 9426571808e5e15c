//! Why: rem_token.cfm is not known to be idempotent (docs/assist-api.md §12.14), so after a lost
//! reply we must not guess and must not retry; we re-read the card list instead, and a card
//! still listed then is "unknown", not "not removed": a slow gateway may finish later. The outcome
//! says which of the four things happened, in words an auditor can rely on (docs/design.md §5).

use serde::Serialize;

use crate::error::Error;

/// What became of one removal request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RemovalOutcome {
    /// The gateway answered with its success `message` (kept as sent, §12.15, but for any
    /// echo of the password, which is `<redacted>`).
    Removed { message: String },
    /// The reply was lost (`cause`), and a fresh card list no longer holds the token.
    RemovedConfirmedByRecheck { cause: Error },
    /// The card was not removed by this request.
    ///
    /// `reason` is the gateway's fault, or the transport failure after which a re-check still
    /// listed the token. `token_listed` is what a re-check found: `Some(true)` still listed,
    /// `Some(false)` absent, `None` not re-checked (or the re-check failed).
    ///
    /// A "not found" fault (first code 10) is re-checked; if the token is absent the outcome
    /// is still `NotRemoved` with `token_listed: Some(false)`: this request sent exactly one
    /// rem_token and the gateway said it removed nothing, so the card was gone before (or
    /// belongs to another customer) — not "removed" by us. Callers that only care that the
    /// card is gone can treat that combination as "already removed".
    NotRemoved {
        reason: Error,
        token_listed: Option<bool>,
    },
    /// The reply was lost, or the gateway answered with a fault that leaves the removal open
    /// (`reason`), and a re-check still lists the card (`recheck: None`: the gateway may
    /// still be working on it) or could not be read (`recheck: Some(error)`). Check again
    /// later; never send the removal again on this evidence.
    Unknown {
        reason: Error,
        recheck: Option<Error>,
    },
}

impl RemovalOutcome {
    /// Stable machine name: `removed`, `removed_confirmed_by_recheck`, `not_removed`, `unknown`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Removed { .. } => "removed",
            Self::RemovedConfirmedByRecheck { .. } => "removed_confirmed_by_recheck",
            Self::NotRemoved { .. } => "not_removed",
            Self::Unknown { .. } => "unknown",
        }
    }

    /// The label shown to people.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Removed { .. } => "removed",
            Self::RemovedConfirmedByRecheck { .. } => "removed (confirmed by re-check)",
            Self::NotRemoved { .. } => "not removed",
            Self::Unknown { .. } => "unknown — check again",
        }
    }

    /// Whether the token is known to be gone because of this request.
    pub fn is_removed(&self) -> bool {
        matches!(
            self,
            Self::Removed { .. } | Self::RemovedConfirmedByRecheck { .. }
        )
    }
}

impl std::fmt::Display for RemovalOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Removed { message } => write!(f, "{}: {message}", self.label()),
            Self::RemovedConfirmedByRecheck { cause } => {
                write!(f, "{} after: {cause}", self.label())
            }
            Self::NotRemoved { reason, .. } => write!(f, "{}: {reason}", self.label()),
            Self::Unknown {
                reason,
                recheck: Some(recheck),
            } => {
                write!(f, "{}: {reason}; re-check failed: {recheck}", self.label())
            }
            Self::Unknown {
                reason,
                recheck: None,
            } => write!(
                f,
                "{}: {reason}; the card is still listed, the gateway may still be working",
                self.label()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::fault::Fault;

    #[test]
    fn serde_names_and_labels() {
        let transport = Error::Transport {
            status: None,
            detail: "timed out".into(),
        };
        let cases = [
            (
                RemovalOutcome::Removed {
                    message: "Token X is removed".into(),
                },
                "removed",
                "removed",
            ),
            (
                RemovalOutcome::RemovedConfirmedByRecheck {
                    cause: transport.clone(),
                },
                "removed_confirmed_by_recheck",
                "removed (confirmed by re-check)",
            ),
            (
                RemovalOutcome::NotRemoved {
                    reason: Error::Fault(Fault::new(10, 203, "")),
                    token_listed: Some(false),
                },
                "not_removed",
                "not removed",
            ),
            (
                RemovalOutcome::Unknown {
                    reason: transport.clone(),
                    recheck: Some(transport),
                },
                "unknown",
                "unknown — check again",
            ),
        ];
        for (outcome, code, label) in cases {
            assert_eq!(outcome.code(), code);
            assert_eq!(outcome.label(), label);
            let v = serde_json::to_value(&outcome).unwrap();
            assert_eq!(v["outcome"], code);
        }
    }
}
