//! Why: a team's connection is typed by a person in Settings → Team (or passed to
//! `carddesk`), so each field is checked with a message that names it and its rule before
//! anything dials out; and TLS is required except on loopback, where a desk and its database
//! share a machine (a developer's or the tests').

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::TeamError;

/// PostgreSQL's limit on a name (NAMEDATALEN − 1 bytes).
pub const NAME_MAX: usize = 63;
/// A host name's limit (RFC 1035), or a socket directory's path.
pub const HOST_MAX: usize = 253;

/// Where the team's database is and who logs in (the password is in the keyring).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamSettings {
    /// A host name, an IP address, or a directory holding the server's Unix socket.
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
}

impl TeamSettings {
    /// Each field against its rule; the first that fails names itself.
    pub fn check(&self) -> Result<(), TeamError> {
        let host = self.host.trim();
        if host.is_empty() {
            return Err(TeamError::invalid("host", "must not be empty"));
        }
        if host.len() > HOST_MAX {
            return Err(TeamError::invalid("host", "must be at most 253 characters"));
        }
        if host.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(TeamError::invalid(
                "host",
                "must not contain spaces or control characters",
            ));
        }
        if !host.starts_with('/') && !is_host_name(host) && host.parse::<IpAddr>().is_err() {
            return Err(TeamError::invalid(
                "host",
                "must be a host name, an IP address, or a socket directory starting with /",
            ));
        }
        if self.port == 0 {
            return Err(TeamError::invalid("port", "must be between 1 and 65535"));
        }
        check_name("database", &self.database)?;
        check_name("user", &self.user)?;
        Ok(())
    }

    /// The server is on this machine: a loopback address, `localhost`, or a Unix socket.
    pub fn is_loopback(&self) -> bool {
        let host = self.host.trim();
        host.starts_with('/')
            || host.eq_ignore_ascii_case("localhost")
            || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }

    /// `user@host:port/database`, for messages (never the password).
    pub fn describe(&self) -> String {
        format!(
            "{}@{}:{}/{}",
            self.user,
            self.host.trim(),
            self.port,
            self.database
        )
    }
}

fn check_name(field: &'static str, value: &str) -> Result<(), TeamError> {
    if value.is_empty() {
        return Err(TeamError::invalid(field, "must not be empty"));
    }
    if value.len() > NAME_MAX {
        return Err(TeamError::invalid(
            field,
            "must be at most 63 bytes (PostgreSQL's limit on a name)",
        ));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(TeamError::invalid(
            field,
            "must not contain control characters",
        ));
    }
    if value.trim() != value {
        return Err(TeamError::invalid(
            field,
            "must not begin or end with a space",
        ));
    }
    Ok(())
}

/// Letters, digits, hyphens and dots, labels of at most 63 (RFC 1123).
fn is_host_name(host: &str) -> bool {
    host.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(host: &str) -> TeamSettings {
        TeamSettings {
            host: host.into(),
            port: 5432,
            database: "carddesk".into(),
            user: "anna".into(),
        }
    }

    #[test]
    fn each_bad_field_names_itself_and_its_rule() {
        let cases = [
            (settings(""), "host: must not be empty"),
            (settings("db .example"), "host: must not contain spaces"),
            (settings("db_1.example"), "host: must be a host name"),
            (
                TeamSettings {
                    port: 0,
                    ..settings("db")
                },
                "port: must be between 1 and 65535",
            ),
            (
                TeamSettings {
                    database: String::new(),
                    ..settings("db")
                },
                "database: must not be empty",
            ),
            (
                TeamSettings {
                    user: "x".repeat(64),
                    ..settings("db")
                },
                "user: must be at most 63 bytes",
            ),
            (
                TeamSettings {
                    user: " anna".into(),
                    ..settings("db")
                },
                "user: must not begin or end",
            ),
        ];
        for (s, said) in cases {
            let e = s.check().expect_err(said);
            assert!(
                e.to_string().starts_with(said),
                "{e} should start with {said}"
            );
        }
        for good in [
            "db.example.com",
            "10.0.0.5",
            "::1",
            "/var/run/postgresql",
            "localhost",
        ] {
            settings(good).check().expect(good);
        }
    }

    #[test]
    fn only_this_machine_counts_as_loopback() {
        for (host, loopback) in [
            ("127.0.0.1", true),
            ("::1", true),
            ("LOCALHOST", true),
            ("/tmp/pg", true),
            ("10.0.0.5", false),
            ("db.example.com", false),
            ("localhost.example.com", false),
        ] {
            assert_eq!(settings(host).is_loopback(), loopback, "{host}");
        }
    }
}
