//! Why: "Test connection" in Settings → Team must give a verdict a person can act on, and the
//! desk must never talk to a team database in the clear over a network. [`connect`] checks
//! the settings, dials with TLS (the system's certificate authorities; plain only on
//! loopback), maps every failure onto a [`TeamError`] that says what to fix, and hands back a
//! [`Team`]: the connection the trail's statements run on. [`Team::migrate`] creates and
//! upgrades the schema from the SQL in `migrations/` (reviewed by a DBA: docs/team.md).

use std::sync::Arc;
use std::time::Duration;

use tokio_postgres::config::SslMode;
use tokio_postgres::error::SqlState;

use crate::error::root_cause;
use crate::{TeamError, TeamPassword, TeamSettings};

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The advisory lock migrations take, so one desk migrates at a time ("CardDesk" in ASCII).
const MIGRATION_LOCK: i64 = 0x4361_7264_4465_736b;

/// How long a dial may take before "could not reach": the socket, TLS and the login
/// together (a server that accepts the connection and then says nothing is "slow", not a hang).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long one statement may wait for its answer before the desk gives up on it and closes
/// the connection ([`TeamError::Slow`]): what a person waits at most on the register, an
/// approval or Test connection. [`Team::set_bound`] changes it for one connection (the card
/// holds wait less, shipping longer).
pub const STATEMENT_BOUND: Duration = Duration::from_secs(5);

/// How long applying the migrations may take.
const MIGRATE_BOUND: Duration = Duration::from_secs(120);

/// Where refinery records the migrations it applied: in the team's own schema, so the
/// roles of grants.sql can read which version it is.
const HISTORY_TABLE: &str = "carddesk.schema_history";

/// A connection to the team's database.
#[derive(Debug)]
pub struct Team {
    pub(crate) client: tokio_postgres::Client,
    settings: TeamSettings,
    password: TeamPassword,
    connection: tokio::task::JoinHandle<()>,
    /// How long a statement may wait for its answer.
    pub(crate) bound: Duration,
    /// A statement was given up on: what the session did meanwhile is unknown (a hold may
    /// have been granted after all), so the connection was closed and must not be used.
    cut: std::sync::atomic::AtomicBool,
    /// The card hold's statements, once prepared (`trail.rs`).
    pub(crate) holds: std::sync::OnceLock<[tokio_postgres::Statement; 2]>,
}

/// What "Test connection" found.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// The server's version, e.g. "15.14".
    pub server_version: String,
    /// The login as the server knows it.
    pub user: String,
    /// Migrations applied, newest last (empty: the schema is not there yet).
    pub migrations: Vec<String>,
    /// The team roles the login holds (`carddesk_agent`, …), or owns the schema.
    pub roles: Vec<String>,
}

/// Connects to the team's database: TLS verified against the system's certificate
/// authorities, except on loopback (a Unix socket, `localhost`, 127.0.0.1, ::1).
pub async fn connect(settings: &TeamSettings, password: &TeamPassword) -> Result<Team, TeamError> {
    settings.check()?;
    if password.is_empty() {
        return Err(TeamError::invalid(
            "password",
            "must not be empty (it is kept in the OS keyring)",
        ));
    }
    let dialled = match dial(settings, password, "card-desk").await {
        Ok(d) => Ok(d),
        Err(Dial::Tls(cause)) => {
            return Err(TeamError::Tls {
                target: settings.describe(),
                cause,
            });
        }
        Err(Dial::Driver(e)) => Err(e),
        Err(Dial::Slow) => {
            return Err(TeamError::Slow {
                target: settings.describe(),
                action: "connect".into(),
                waited: CONNECT_TIMEOUT,
            });
        }
    };
    let (client, connection) = dialled.map_err(|e| of_connect(&e, settings).scrubbed(password))?;
    Ok(Team {
        client,
        settings: settings.clone(),
        password: password.clone(),
        connection,
        bound: STATEMENT_BOUND,
        cut: std::sync::atomic::AtomicBool::new(false),
        holds: std::sync::OnceLock::new(),
    })
}

/// Why a dial failed: no TLS set-up on this machine, or the driver's error.
pub(crate) enum Dial {
    Tls(String),
    Driver(tokio_postgres::Error),
    /// No answer within [`CONNECT_TIMEOUT`] (the socket, TLS and the login together).
    Slow,
}

/// Dials the server at `settings` as `application` (TLS verified against the system's
/// certificate authorities, plain only on loopback) and runs the connection on this runtime.
/// Both the trail's connection and the register's use it.
pub(crate) async fn dial(
    settings: &TeamSettings,
    password: &TeamPassword,
    application: &str,
) -> Result<(tokio_postgres::Client, tokio::task::JoinHandle<()>), Dial> {
    // Dropping a dial half-way leaves nothing behind: the connection is spawned only once
    // the login is done.
    tokio::time::timeout(CONNECT_TIMEOUT, dial_now(settings, password, application))
        .await
        .unwrap_or(Err(Dial::Slow))
}

async fn dial_now(
    settings: &TeamSettings,
    password: &TeamPassword,
    application: &str,
) -> Result<(tokio_postgres::Client, tokio::task::JoinHandle<()>), Dial> {
    let mut config = tokio_postgres::Config::new();
    config
        .host(settings.host.trim())
        .port(settings.port)
        .dbname(&settings.database)
        .user(&settings.user)
        .password(password.expose())
        .application_name(application)
        .connect_timeout(CONNECT_TIMEOUT)
        .keepalives(true);
    if settings.is_loopback() {
        config.ssl_mode(SslMode::Disable);
        config
            .connect(tokio_postgres::NoTls)
            .await
            .map(|(c, conn)| (c, spawn(conn)))
            .map_err(Dial::Driver)
    } else {
        config.ssl_mode(SslMode::Require);
        let tls = tls().map_err(Dial::Tls)?;
        config
            .connect(tls)
            .await
            .map(|(c, conn)| (c, spawn(conn)))
            .map_err(Dial::Driver)
    }
}

fn spawn<F>(connection: F) -> tokio::task::JoinHandle<()>
where
    F: std::future::Future<Output = Result<(), tokio_postgres::Error>> + Send + 'static,
{
    // The connection's errors reach the statements waiting on it; nothing to log here.
    tokio::spawn(async move {
        let _ = connection.await;
    })
}

fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = rustls::RootCertStore::empty();
    let (added, _) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        return Err("no certificate authorities found on this machine".into());
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// What a failed dial means for the person who typed the settings.
fn of_connect(e: &tokio_postgres::Error, settings: &TeamSettings) -> TeamError {
    let target = settings.describe();
    if let Some(db) = e.as_db_error() {
        let said = db.message().to_owned();
        let code = db.code();
        return if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            TeamError::Login {
                target,
                cause: format!("{said} (check the user and the password kept in the keyring)"),
            }
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            TeamError::NoDatabase {
                target,
                database: settings.database.clone(),
            }
        } else {
            TeamError::Server(said)
        };
    }
    let cause = root_cause(e);
    let lower = cause.to_ascii_lowercase();
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("ssl") {
        TeamError::Tls { target, cause }
    } else {
        TeamError::Unreachable { target, cause }
    }
}

impl Team {
    /// Applies the migrations this version carries that the database lacks; their names, in
    /// order. Run by a login that owns the schema (or may create it); a repeat does nothing.
    pub async fn migrate(&mut self) -> Result<Vec<String>, TeamError> {
        match tokio::time::timeout(MIGRATE_BOUND, self.migrate_locked()).await {
            Ok(done) => done,
            Err(_) => Err(self.give_up("apply the migrations", MIGRATE_BOUND)),
        }
    }

    async fn migrate_locked(&mut self) -> Result<Vec<String>, TeamError> {
        // Desks starting together on a new database would otherwise race to create the
        // schema (`CREATE SCHEMA IF NOT EXISTS` is not safe against a concurrent one) and its
        // history: one migrates at a time, the others then find it done.
        self.client
            .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(|e| self.fail(&e, "wait for another desk's migration"))?;
        let migrated = self.migrate_held().await;
        let released = self
            .client
            .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
            .await;
        let applied = migrated?;
        released.map_err(|e| self.fail(&e, "finish the migration"))?;
        Ok(applied)
    }

    async fn migrate_held(&mut self) -> Result<Vec<String>, TeamError> {
        // refinery creates its history table before the first migration runs.
        self.client
            .batch_execute("CREATE SCHEMA IF NOT EXISTS carddesk")
            .await
            .map_err(|e| self.fail(&e, "create the schema carddesk (connect as its owner)"))?;
        let mut runner = embedded::migrations::runner().set_abort_divergent(true);
        runner.set_migration_table_name(HISTORY_TABLE);
        let report = runner
            .run_async(&mut self.client)
            .await
            .map_err(|e| TeamError::Schema(e.to_string()).scrubbed(&self.password))?;
        Ok(report
            .applied_migrations()
            .iter()
            .map(|m| format!("V{}__{}", m.version(), m.name()))
            .collect())
    }

    /// The migrations this version of the desk carries, oldest first.
    pub fn known_migrations() -> Vec<String> {
        let runner = embedded::migrations::runner();
        let mut known: Vec<_> = runner.get_migrations().iter().collect();
        known.sort_by_key(|m| m.version());
        known
            .iter()
            .map(|m| format!("V{}__{}", m.version(), m.name()))
            .collect()
    }

    /// "Test connection": who the server says we are, what schema is there, which roles.
    pub async fn verdict(&self) -> Result<Verdict, TeamError> {
        let row = self
            .answer(
                "read the server's version",
                self.client.query_one(
                    "SELECT current_setting('server_version'), current_user::text,
                        to_regclass($1) IS NOT NULL",
                    &[&HISTORY_TABLE],
                ),
            )
            .await?;
        let (server_version, user, has_history): (String, String, bool) =
            (row.get(0), row.get(1), row.get(2));
        let migrations = if has_history {
            let sql = format!("SELECT version, name FROM {HISTORY_TABLE} ORDER BY version");
            self.answer("read the schema's migrations", self.client.query(&sql, &[]))
                .await?
                .iter()
                .map(|r| format!("V{}__{}", r.get::<_, i32>(0), r.get::<_, String>(1)))
                .collect()
        } else {
            Vec::new()
        };
        let roles = self
            .answer(
                "read its roles",
                self.client.query(
                    "SELECT r.rolname::text FROM pg_roles r
                  WHERE r.rolname IN ('carddesk_agent', 'carddesk_supervisor', 'carddesk_auditor')
                    AND pg_has_role(current_user, r.oid, 'MEMBER')
                  UNION ALL
                 SELECT 'owner' FROM pg_namespace n
                  WHERE n.nspname = 'carddesk' AND pg_has_role(current_user, n.nspowner, 'MEMBER')
                  ORDER BY 1",
                    &[],
                ),
            )
            .await?
            .iter()
            .map(|r| r.get::<_, String>(0))
            .collect();
        Ok(Verdict {
            server_version,
            user,
            migrations,
            roles,
        })
    }

    pub fn settings(&self) -> &TeamSettings {
        &self.settings
    }

    /// The connection is gone (server stopped, network cut, a statement given up on):
    /// dial again.
    pub fn is_closed(&self) -> bool {
        self.cut.load(std::sync::atomic::Ordering::Relaxed) || self.client.is_closed()
    }

    /// How long each statement on this connection may wait for its answer
    /// ([`STATEMENT_BOUND`] unless set).
    pub fn set_bound(&mut self, bound: Duration) {
        self.bound = bound;
    }

    /// The statement `work`, given up on after this connection's bound: then the connection
    /// is closed (the server ends its session, and with it any hold it took meanwhile) and the
    /// answer is [`TeamError::Slow`].
    pub(crate) async fn answer<T>(
        &self,
        action: &str,
        work: impl std::future::Future<Output = Result<T, tokio_postgres::Error>>,
    ) -> Result<T, TeamError> {
        match tokio::time::timeout(self.bound, work).await {
            Ok(done) => done.map_err(|e| self.fail(&e, action)),
            Err(_) => Err(self.give_up(action, self.bound)),
        }
    }

    /// Closes the connection after a statement was given up on; the error that says so.
    pub(crate) fn give_up(&self, action: &str, waited: Duration) -> TeamError {
        self.cut.store(true, std::sync::atomic::Ordering::Relaxed);
        self.connection.abort();
        TeamError::Slow {
            target: self.settings.describe(),
            action: action.to_owned(),
            waited,
        }
    }

    pub(crate) fn fail(&self, e: &tokio_postgres::Error, action: &str) -> TeamError {
        match TeamError::of_statement(e, action) {
            TeamError::Unreachable { cause, .. } => TeamError::Unreachable {
                target: self.settings.describe(),
                cause,
            },
            other => other,
        }
        .scrubbed(&self.password)
    }
}

impl Drop for Team {
    fn drop(&mut self) {
        self.connection.abort();
    }
}
