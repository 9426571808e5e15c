//! Where the password comes from: one line of standard input (preferred) or
//! `CARDDESK_PASSWORD`. It goes straight into the client's zeroizing `Password` and is never
//! printed. The variable is read once and never again, but it stays in the environment: in
//! Rust 2024 `std::env::remove_var` is `unsafe` (another thread may read the environment at
//! the same time) and the workspace forbids `unsafe`; removing it would not clear the copy
//! the kernel shows in `/proc/<pid>/environ` either. `desk::harden` makes that file
//! unreadable to other programs of the same user; docs/security.md says what remains.

use std::io::BufRead;

use assist::{Password, ValidationError};

pub enum PasswordSource {
    Env,
    Stdin,
}

#[derive(Debug)]
pub enum PasswordError {
    Missing,
    Unreadable,
    Invalid(ValidationError),
}

impl std::fmt::Display for PasswordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing => {
                f.write_str("password: required; set CARDDESK_PASSWORD or pass --password-stdin")
            }
            Self::Unreadable => f.write_str("password: could not read a line from standard input"),
            Self::Invalid(e) => write!(f, "{e}"),
        }
    }
}

pub fn read(source: PasswordSource) -> Result<Password, PasswordError> {
    let raw = match source {
        PasswordSource::Env => {
            std::env::var("CARDDESK_PASSWORD").map_err(|_| PasswordError::Missing)?
        }
        PasswordSource::Stdin => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|_| PasswordError::Unreadable)?;
            let trimmed = line.trim_end_matches(['\r', '\n']).to_owned();
            zeroize_string(&mut line);
            trimmed
        }
    };
    if raw.is_empty() {
        return Err(PasswordError::Missing);
    }
    Password::new(raw).map_err(PasswordError::Invalid)
}

fn zeroize_string(s: &mut String) {
    // Overwrite the buffer before it is freed; Password zeroizes its own copy.
    let len = s.len();
    s.clear();
    s.extend(std::iter::repeat_n('\0', len));
    s.clear();
}
