//! Exit statuses that scripts can branch on.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    Ok = 0,
    /// `audit verify`: the chain is broken.
    Broken = 1,
    /// Invalid input; nothing was sent.
    Invalid = 2,
    /// The gateway answered with a fault (or the team database refused: login, rights,
    /// schema, a conflicting entry).
    Fault = 3,
    /// The gateway could not be reached, or a removal's outcome is unknown.
    Transport = 4,
    /// The audit log (or another local file) could not be used; see the message.
    Local = 5,
    /// Another removal of the same card is still in flight (this or another process);
    /// nothing was sent. Try again once it has finished.
    InProgress = 6,
}

impl Status {
    pub fn of_desk(error: &desk::DeskError) -> Status {
        use desk::ErrorCode as C;
        match error.code {
            C::Validation | C::NotFound | C::Conflict => Status::Invalid,
            C::GatewayFault | C::CredentialsMissing | C::Team | C::AwaitingApproval => {
                Status::Fault
            }
            C::Transport | C::UntrustedCertificate => Status::Transport,
            C::RemovalInProgress => Status::InProgress,
            C::AuditLog | C::Internal | C::SecretStoreUnavailable => Status::Local,
        }
    }

    pub fn of(error: &assist::Error) -> Status {
        match error {
            assist::Error::Validation(_) => Status::Invalid,
            assist::Error::Fault(_) => Status::Fault,
            _ => Status::Transport,
        }
    }
}
