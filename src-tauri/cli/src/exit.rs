//! Exit statuses that scripts can branch on.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    Ok = 0,
    /// Invalid input; nothing was sent.
    Invalid = 2,
    /// The gateway answered with a fault.
    Fault = 3,
    /// The gateway could not be reached, or a removal's outcome is unknown.
    Transport = 4,
}

impl Status {
    pub fn of(error: &assist::Error) -> Status {
        match error {
            assist::Error::Validation(_) => Status::Invalid,
            assist::Error::Fault(_) => Status::Fault,
            _ => Status::Transport,
        }
    }
}
