//! Why: the database login's password lives in the OS keyring like the gateway's and only
//! goes in: it is handed to the driver and to nothing else. [`TeamPassword`] has no `Display`,
//! a redacted `Debug`, and is wiped when dropped.

use zeroize::Zeroizing;

/// A PostgreSQL login's password.
#[derive(Clone)]
pub struct TeamPassword(Zeroizing<String>);

impl TeamPassword {
    pub fn new(password: impl Into<String>) -> TeamPassword {
        TeamPassword(Zeroizing::new(password.into()))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for TeamPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TeamPassword(<redacted>)")
    }
}
