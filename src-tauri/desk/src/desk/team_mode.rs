//! Why: team mode is a setting (issue 17, docs/team.md): the desk keeps working alone as
//! before, and when a team database is set it also ships its audit log to the team's trail.
//! This is the desk's side of that setting: where the database is (`<data_dir>/team.json`,
//! apart from the Settings the window saves whole, so saving those never drops it), the
//! login's password (the keyring, like the gateway's), "Test connection" (which creates or
//! upgrades the schema when the login may, and registers this desk), the shipping loop the
//! app runs (reconnecting with backoff; the desk never waits for it), and what Settings
//! shows: up to date, or "team trail behind by N entries" and why.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use desk_team::{Team, TeamError, TeamPassword, TeamSettings};
use serde::{Deserialize, Serialize};
use tokio::task::JoinHandle;
use zeroize::Zeroizing;

use super::*;
use crate::audit::{ShipError, Shipment, TeamDeskCheck, TrailShipper, team_desk_id, verify_team};
use crate::words::Words;

/// The keyring account of the team database login's password.
pub const TEAM_PASSWORD_ACCOUNT: &str = "team:password";
/// Where the team's connection is kept, in the data dir.
const TEAM_FILE: &str = "team.json";
/// How often the loop ships when all is well.
const SHIP_EVERY: Duration = Duration::from_secs(2);
/// The longest wait between attempts while the database cannot be reached.
const BACKOFF_MAX: Duration = Duration::from_secs(60);
/// How long a statement of the shipping loop may wait (a batch of `SHIP_BATCH` entries is one
/// transaction, sent pipelined): past it the batch is given up on, the connection closed, and
/// the next attempt starts from what the server holds.
pub const SHIP_BOUND: Duration = Duration::from_secs(30);

/// How long team mode waits on a slow database before going on without it (docs/team.md,
/// "Offline and faults"). The defaults are the product's; tests shorten them to reach the
/// timeouts in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TeamBounds {
    /// A removal's team-wide hold, dial included (then the desk's own claim only).
    pub hold: Duration,
    /// Each statement of the shipping loop (a batch, the server's count, registering).
    pub ship: Duration,
}

impl Default for TeamBounds {
    fn default() -> TeamBounds {
        TeamBounds {
            hold: crate::team_claim::HOLD_BOUND,
            ship: SHIP_BOUND,
        }
    }
}

/// The team database as Settings → Team shows and saves it (the password is apart, in the
/// keyring).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamSetup {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    /// What the team calls this desk ("Anna's laptop", "back office 2").
    pub desk_name: String,
}

impl TeamSetup {
    /// Where the database is, as the team crate takes it.
    pub fn settings(&self) -> TeamSettings {
        TeamSettings {
            host: self.host.trim().to_owned(),
            port: self.port,
            database: self.database.clone(),
            user: self.user.clone(),
        }
    }
}

/// What Settings → Team shows. Never the password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamView {
    /// `None`: team mode is off.
    pub setup: Option<TeamSetup>,
    /// Whether a password is stored; `None` when the keyring could not be asked.
    pub password_stored: Option<bool>,
    /// This desk's id in the team (made on first use).
    pub desk_id: Option<String>,
    /// The shipping loop runs in this app.
    pub shipping: bool,
    /// The highest entry in this desk's log.
    pub local_last: u64,
    /// The highest entry the team trail has from this desk, as last heard.
    pub shipped_through: u64,
    /// Entries the team trail lacks: "team trail behind by N entries".
    pub behind: u64,
    /// When the trail was last heard from (RFC 3339), if ever in this session.
    pub last_contact: Option<String>,
    /// Why shipping does not go through now, in words; `None` when nothing stands in the way.
    pub problem: Option<DeskError>,
    /// Customers' requests are the team's register in its database (team mode with a
    /// password), not this desk's own.
    pub shared_register: bool,
}

/// One page of the whole team's trail for the audit view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamAuditPage {
    /// Matching entries, counted up to `desk_team::TRAIL_COUNT_MAX`.
    pub total: u64,
    /// More match than `total` says.
    pub total_capped: bool,
    pub offset: u32,
    pub entries: Vec<TeamAuditEntry>,
}

/// An entry of the team trail and the desk that wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamAuditEntry {
    pub desk_name: String,
    pub desk_id: String,
    pub seq: u64,
    /// The entry, when its line reads and its hash matches its bytes; `None` when not (then
    /// `carddesk audit verify --team` names the break).
    pub entry: Option<crate::audit::AuditEntry>,
}

/// What "Test connection" found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamCheck {
    pub server_version: String,
    pub user: String,
    /// The team roles the login holds (`carddesk_agent`, …; `owner` for the schema's owner).
    pub roles: Vec<String>,
    /// Migrations the database has, after this test.
    pub migrations: Vec<String>,
    /// Migrations this test applied (the login owns the schema and it was behind).
    pub applied_now: Vec<String>,
    /// The connection is encrypted (TLS); only a database on this machine may go without.
    pub encrypted: bool,
}

/// The loop's last word, shared with Settings.
#[derive(Default)]
struct Heard {
    shipped_through: u64,
    last_contact: Option<String>,
    problem: Option<DeskError>,
}

/// Team mode's state in this desk: the shipping loop and what it last heard.
pub(super) struct TeamMode {
    file: PathBuf,
    heard: Arc<Mutex<Heard>>,
    shipping: Mutex<Option<JoinHandle<()>>>,
    /// The team-wide card holds removals take (team_claim.rs), while team mode is on.
    claims: Mutex<Option<crate::team_claim::TeamClaims>>,
    bounds: Mutex<TeamBounds>,
}

impl Drop for TeamMode {
    fn drop(&mut self) {
        self.stop();
    }
}

impl TeamMode {
    pub(super) fn new(data_dir: &Path) -> TeamMode {
        TeamMode {
            file: data_dir.join(TEAM_FILE),
            heard: Arc::default(),
            shipping: Mutex::new(None),
            claims: Mutex::new(None),
            bounds: Mutex::new(TeamBounds::default()),
        }
    }

    /// The card holds for removals, in team mode.
    pub(super) fn claims(&self) -> Option<crate::team_claim::TeamClaims> {
        lock(&self.claims).clone()
    }

    fn stop(&self) {
        if let Some(task) = lock(&self.shipping).take() {
            task.abort();
        }
    }

    fn setup(&self) -> Result<Option<TeamSetup>, DeskError> {
        match std::fs::read(&self.file) {
            Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                DeskError::internal(format!("{}: not a team setup ({e})", self.file.display()))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(DeskError::internal(format!("{}: {e}", self.file.display()))),
        }
    }

    fn save(&self, setup: Option<&TeamSetup>) -> Result<(), DeskError> {
        let fail = |e: std::io::Error| DeskError::internal(format!("{}: {e}", self.file.display()));
        let Some(setup) = setup else {
            return match std::fs::remove_file(&self.file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(fail(e)),
                _ => Ok(()),
            };
        };
        let json =
            serde_json::to_vec_pretty(setup).map_err(|e| DeskError::internal(e.to_string()))?;
        let tmp = self.file.with_extension("json.tmp");
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut options = std::fs::OpenOptions::new();
            desk_store::private_fs::owner_only(options.write(true).create(true).truncate(true));
            let mut f = options.open(&tmp)?;
            f.write_all(&json)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &self.file)
        };
        write().map_err(fail)
    }
}

const DESK_NAME: Words<'static> = Words::new("desk name", "название рабочего места");

/// Checks a setup field by field, in the desk's two languages.
fn check(setup: &TeamSetup) -> Result<(), DeskError> {
    setup.settings().check().map_err(|e| team_error(&e))?;
    let name = setup.desk_name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(DeskError::invalid(
            "deskName",
            DESK_NAME,
            Words::new(
                "must be 1 to 80 characters (what the team calls this desk)",
                "от 1 до 80 символов (как команда называет это рабочее место)",
            ),
        ));
    }
    Ok(())
}

/// A team database's error as the desk says it, in English and Russian.
pub(crate) fn team_error(e: &TeamError) -> DeskError {
    use desk_team::ErrorKind as K;
    let said = e.to_string();
    if let TeamError::Invalid { field, rule } = e {
        let (label, label_ru) = match field.as_ref() {
            "host" => ("host", "адрес сервера"),
            "port" => ("port", "порт"),
            "database" => ("database", "база данных"),
            "user" => ("user", "пользователь"),
            "password" => ("password", "пароль"),
            other => (other, other),
        };
        let rule_ru = match rule.as_ref() {
            r if r.starts_with("must not be empty") => "не может быть пустым",
            r if r.starts_with("must be between 1 and 65535") => "число от 1 до 65535",
            r if r.starts_with("must be at most 63") => "не длиннее 63 байт (предел PostgreSQL)",
            r if r.starts_with("must be at most 253") => "не длиннее 253 символов",
            r if r.starts_with("must not contain") => "без пробелов и управляющих символов",
            r if r.starts_with("must not begin or end") => "без пробелов в начале и в конце",
            _ => "имя сервера, IP-адрес или каталог сокета, начинающийся с /",
        };
        return DeskError::invalid(
            field,
            Words::new(label, label_ru),
            Words::new(rule, rule_ru),
        );
    }
    let (code, ru) = match e.kind() {
        K::Validation => (ErrorCode::Validation, format!("Неверная настройка: {said}")),
        K::Unreachable => (
            ErrorCode::Transport,
            format!("Не удалось связаться с базой команды: {said}"),
        ),
        K::Slow => (
            ErrorCode::Transport,
            match e {
                TeamError::Slow { target, waited, .. } => format!(
                    "База команды {target} не ответила за {} с: она работает медленно или не \
                     отвечает (соединение закрыто, следующая попытка подключится заново). {said}",
                    desk_team::seconds(*waited)
                ),
                _ => format!("База команды не ответила вовремя: {said}"),
            },
        ),
        K::Tls => (
            ErrorCode::UntrustedCertificate,
            format!("Не удалось установить защищённое соединение с базой команды: {said}"),
        ),
        K::Login => (
            ErrorCode::Team,
            format!("База команды не приняла вход (проверьте пользователя и пароль): {said}"),
        ),
        K::NotAllowed => (
            ErrorCode::Team,
            format!("У входа нет нужных прав (docs/team.md, grants.sql): {said}"),
        ),
        K::Conflict => (
            ErrorCode::Team,
            format!("Тревога: в общем журнале под номером этого места уже другая запись: {said}"),
        ),
        K::Server => (ErrorCode::Team, format!("База команды: {said}")),
    };
    DeskError::new(code, said).ru(ru)
}

fn ship_error(e: &ShipError) -> DeskError {
    match e {
        ShipError::Team(t) => team_error(t),
        ShipError::Log(a) => DeskError::from(a.clone()),
        other => DeskError::new(ErrorCode::Team, other.to_string()).ru(format!(
            "Журнал этого рабочего места не отправлен в общий журнал: {other}"
        )),
    }
}

/// Connects, brings the schema up to this version when it is behind (the login must own
/// it), and registers the desk. Returns the check and the connection.
async fn prepared(
    setup: &TeamSetup,
    password: &TeamPassword,
    desk: desk_team::DeskId,
) -> Result<(Team, TeamCheck), DeskError> {
    let mut team = desk_team::connect(&setup.settings(), password)
        .await
        .map_err(|e| team_error(&e))?;
    let before = team.verdict().await.map_err(|e| team_error(&e))?;
    let known = Team::known_migrations();
    let applied_now = if known.iter().all(|m| before.migrations.contains(m)) {
        Vec::new()
    } else {
        team.migrate().await.map_err(|e| {
            let mut error = team_error(&e);
            error.message = format!(
                "the team database's schema is not at this desk's version ({}), and this login could not bring it there: connect once as the schema's owner, or have the DBA apply docs/team.md's SQL ({})",
                known.join(", "),
                error.message
            );
            error.ru = Some(format!(
                "Схема базы команды не той версии ({}), а этот вход не может её обновить: подключитесь один раз владельцем схемы или попросите администратора БД применить SQL из docs/team.md",
                known.join(", ")
            ));
            error
        })?
    };
    team.register_desk(desk, &setup.desk_name)
        .await
        .map_err(|e| team_error(&e))?;
    let after = team.verdict().await.map_err(|e| team_error(&e))?;
    let check = TeamCheck {
        server_version: after.server_version,
        user: after.user,
        roles: after.roles,
        migrations: after.migrations,
        applied_now,
        encrypted: !setup.settings().is_loopback(),
    };
    Ok((team, check))
}

/// The team setup saved in `data_dir`, if team mode is on (for `carddesk`).
pub fn saved_team_setup(data_dir: &Path) -> Result<Option<TeamSetup>, DeskError> {
    TeamMode::new(data_dir).setup()
}

/// The team login's password from the keyring.
pub async fn stored_team_password(
    secrets: Arc<dyn SecretStore>,
) -> Result<Option<TeamPassword>, DeskError> {
    let stored = secrets::blocking(secrets, |s| s.get(TEAM_PASSWORD_ACCOUNT)).await?;
    Ok(stored.map(|p| TeamPassword::new(p.as_str())))
}

/// A connection for the desk whose data dir is `data_dir`, with its id there.
async fn connection_at(
    data_dir: &Path,
    password: &TeamPassword,
) -> Result<(Team, desk_team::DeskId), DeskError> {
    let setup = saved_team_setup(data_dir)?.ok_or_else(|| {
        DeskError::new(
            ErrorCode::NotFound,
            "team mode is off: set the team database in Settings → Team first",
        )
        .ru("Командный режим выключен: сначала укажите базу команды в Настройках → Команда")
    })?;
    let desk = team_desk_id(data_dir).map_err(DeskError::from)?;
    let (team, _) = prepared(&setup, password, desk).await?;
    Ok((team, desk))
}

/// Ships what the team trail lacks of the log in `data_dir`, once (`carddesk team ship`;
/// safe beside the app's own loop: a shipment sent twice is a repeat).
pub async fn ship_team_at(data_dir: &Path, password: &TeamPassword) -> Result<Shipment, DeskError> {
    let (mut team, desk) = connection_at(data_dir, password).await?;
    TrailShipper::new(desk, &crate::audit::audit_path(data_dir))
        .ship(&mut team)
        .await
        .map_err(|e| ship_error(&e))
}

/// Every desk's chain in the team trail, and this desk's copy against its log
/// (`carddesk audit verify --team`).
pub async fn verify_team_at(
    data_dir: &Path,
    password: &TeamPassword,
) -> Result<Vec<TeamDeskCheck>, DeskError> {
    let (team, desk) = connection_at(data_dir, password).await?;
    let log = crate::audit::audit_path(data_dir);
    verify_team(&team, Some((desk, &log)))
        .await
        .map_err(|e| ship_error(&e))
}

impl Desk {
    fn team_desk(&self) -> Result<desk_team::DeskId, DeskError> {
        team_desk_id(&self.data_dir).map_err(DeskError::from)
    }

    async fn team_password(&self) -> Result<Option<TeamPassword>, DeskError> {
        stored_team_password(self.secrets.clone()).await
    }

    async fn team_password_needed(&self) -> Result<TeamPassword, DeskError> {
        self.team_password().await?.ok_or_else(|| {
            DeskError::new(
                ErrorCode::CredentialsMissing,
                "no password is stored for the team database",
            )
            .ru("Пароль к базе команды не сохранён")
        })
    }

    /// What Settings → Team shows.
    pub async fn team_view(&self) -> Result<TeamView, DeskError> {
        let setup = self.team.setup()?;
        let password_stored = secrets::blocking(self.secrets.clone(), |s| {
            s.get(TEAM_PASSWORD_ACCOUNT).map(|v| v.is_some())
        })
        .await
        .ok();
        let local_last = self
            .audit_log()
            .map(|log| log.next_seq().saturating_sub(1))
            .unwrap_or(0);
        let shipping = lock(&self.team.shipping)
            .as_ref()
            .is_some_and(|t| !t.is_finished());
        let heard = lock(&self.team.heard);
        let holds_skipped = self.team.claims().and_then(|c| c.offline()).map(|why| {
            DeskError::new(
                ErrorCode::Transport,
                format!(
                    "removals go on without the team-wide card hold (each desk's own claim \
                     only): {why}"
                ),
            )
            .ru(format!(
                "удаления идут без общей для команды блокировки карты (только своя у рабочего \
                 места): {why}"
            ))
        });
        let problem = heard.problem.clone().or(holds_skipped).or_else(|| {
            (setup.is_some() && password_stored == Some(false)).then(|| {
                DeskError::new(
                    ErrorCode::CredentialsMissing,
                    "no password is stored for the team database: entries wait until one is set",
                )
                .ru("Пароль к базе команды не сохранён: записи ждут, пока его не зададут")
            })
        });
        Ok(TeamView {
            desk_id: setup
                .is_some()
                .then(|| self.team_desk().map(|d| d.to_string()))
                .transpose()?,
            setup,
            password_stored,
            shipping,
            local_last,
            shipped_through: heard.shipped_through,
            behind: local_last.saturating_sub(heard.shipped_through),
            last_contact: heard.last_contact.clone(),
            problem,
            shared_register: self.register.is_team(),
        })
    }

    /// Saves where the team database is (`None` turns team mode off) and restarts shipping.
    pub async fn save_team_setup(&self, setup: Option<TeamSetup>) -> Result<TeamView, DeskError> {
        if let Some(s) = &setup {
            check(s)?;
        }
        let setup = setup.map(|s| TeamSetup {
            host: s.host.trim().to_owned(),
            desk_name: s.desk_name.trim().to_owned(),
            ..s
        });
        self.team.save(setup.as_ref())?;
        *lock(&self.team.heard) = Heard::default();
        self.start_team().await?;
        self.team_view().await
    }

    /// Stores the team login's password in the keyring and restarts shipping with it.
    pub async fn set_team_password(&self, password: String) -> Result<(), DeskError> {
        let password = Zeroizing::new(password);
        if password.is_empty() {
            return Err(team_error(&TeamError::Invalid {
                field: "password".into(),
                rule: "must not be empty".into(),
            }));
        }
        secrets::blocking(self.secrets.clone(), move |s| {
            s.put(TEAM_PASSWORD_ACCOUNT, password.as_str())
        })
        .await?;
        self.start_team().await
    }

    /// Removes the team password; shipping stops (entries wait in the local log).
    pub async fn clear_team_password(&self) -> Result<(), DeskError> {
        secrets::blocking(self.secrets.clone(), |s| s.remove(TEAM_PASSWORD_ACCOUNT)).await?;
        self.team.stop();
        self.register.use_team(None);
        *lock(&self.team.claims) = None;
        Ok(())
    }

    /// "Test connection": `setup` as typed (not yet saved) with `password` as typed, or the
    /// stored one when `None`.
    pub async fn test_team(
        &self,
        setup: TeamSetup,
        password: Option<String>,
    ) -> Result<TeamCheck, DeskError> {
        check(&setup)?;
        let password = match password {
            Some(p) => TeamPassword::new(p),
            None => self.team_password().await?.ok_or_else(|| {
                DeskError::new(
                    ErrorCode::CredentialsMissing,
                    "no password is stored for the team database: type it to test",
                )
                .ru("Пароль к базе команды не сохранён: введите его для проверки")
            })?,
        };
        let desk = self.team_desk()?;
        prepared(&setup, &password, desk)
            .await
            .map(|(_, check)| check)
    }

    /// (Re)starts the shipping loop with the saved setup and the stored password; stops it
    /// when either is missing. The app calls it at start and after each change of either.
    pub async fn start_team(&self) -> Result<(), DeskError> {
        self.team.stop();
        let Some(setup) = self.team.setup()? else {
            self.register.use_team(None);
            *lock(&self.team.claims) = None;
            return Ok(());
        };
        let Some(password) = self.team_password().await? else {
            self.register.use_team(None);
            *lock(&self.team.claims) = None;
            return Ok(());
        };
        let bounds = *lock(&self.team.bounds);
        let claims =
            crate::team_claim::TeamClaims::new(setup.settings(), password.clone(), bounds.hold);
        // Dialled now, so the first removal's hold is one round trip like the others.
        if let Some(c) = &claims {
            c.ready();
        }
        *lock(&self.team.claims) = claims;
        // The team's requests are the team's register's (docs/team.md).
        self.register
            .use_team(Some((setup.settings(), password.clone())));
        let desk = self.team_desk()?;
        let log = self.audit_log()?.path().to_owned();
        let heard = self.team.heard.clone();
        let task = tokio::spawn(ship_forever(setup, password, desk, log, heard, bounds.ship));
        *lock(&self.team.shipping) = Some(task);
        Ok(())
    }

    /// Sets how long team mode waits on a slow database (takes effect at the next
    /// [`Desk::start_team`]); the defaults are the product's, tests shorten them.
    pub fn set_team_bounds(&self, bounds: TeamBounds) {
        *lock(&self.team.bounds) = bounds;
    }

    /// In team mode, works the team's register (as the app does once `start_team` ran) without
    /// shipping: for `carddesk request document`, which opens the whole desk.
    pub async fn join_team_register(&self) -> Result<bool, DeskError> {
        let Some(setup) = self.team.setup()? else {
            return Ok(false);
        };
        let password = self.team_password_needed().await?;
        self.register.use_team(Some((setup.settings(), password)));
        Ok(true)
    }

    /// One page of the whole team's trail, with the audit view's filters (not the profile).
    pub async fn team_audit_query(
        &self,
        query: crate::audit::AuditQuery,
    ) -> Result<TeamAuditPage, DeskError> {
        let filter = query.trail_filter()?;
        let (team, _) = self.team_link().await?;
        let limit = u32::try_from(query.page_size()).unwrap_or(50);
        let page = team
            .trail_page(&filter, query.offset, limit)
            .await
            .map_err(|e| team_error(&e))?;
        Ok(TeamAuditPage {
            total: page.total,
            total_capped: page.total_capped,
            offset: query.offset,
            entries: page
                .rows
                .into_iter()
                .map(|r| TeamAuditEntry {
                    entry: crate::audit::read_trail_line(&r.line),
                    desk_name: r.desk_name,
                    desk_id: r.desk.to_string(),
                    seq: r.seq,
                })
                .collect(),
        })
    }

    /// The saved team setup (team mode on), if any.
    pub(super) fn team_setup_saved(&self) -> Result<Option<TeamSetup>, DeskError> {
        self.team.setup()
    }

    /// A prepared connection to the team's database and this desk's id in it.
    pub(super) async fn team_link(&self) -> Result<(Team, desk_team::DeskId), DeskError> {
        let password = self.team_password_needed().await?;
        connection_at(&self.data_dir, &password).await
    }

    /// Ships what the team trail lacks now, once.
    pub async fn ship_team_now(&self) -> Result<Shipment, DeskError> {
        let password = self.team_password_needed().await?;
        ship_team_at(&self.data_dir, &password).await
    }

    /// Every desk's chain in the team trail, and this desk's copy against its log.
    pub async fn verify_team_trail(&self) -> Result<Vec<TeamDeskCheck>, DeskError> {
        let password = self.team_password_needed().await?;
        verify_team_at(&self.data_dir, &password).await
    }
}

/// The app's shipping loop: connect (with backoff while the database cannot be reached),
/// ship, wait, again. What it hears goes to Settings; nothing here stops the desk.
async fn ship_forever(
    setup: TeamSetup,
    password: TeamPassword,
    desk: desk_team::DeskId,
    log: PathBuf,
    heard: Arc<Mutex<Heard>>,
    bound: Duration,
) {
    let mut shipper = TrailShipper::new(desk, &log);
    let mut team: Option<Team> = None;
    let mut backoff = Duration::from_secs(1);
    loop {
        let connection = match team.take() {
            Some(t) if !t.is_closed() => Ok(t),
            _ => prepared(&setup, &password, desk).await.map(|(mut t, _)| {
                t.set_bound(bound);
                t
            }),
        };
        let outcome = match connection {
            Ok(mut t) => {
                let shipped = shipper.ship(&mut t).await.map_err(|e| ship_error(&e));
                if shipped.is_ok() {
                    team = Some(t);
                }
                shipped
            }
            Err(e) => Err(e),
        };
        let wait = {
            let mut h = lock(&heard);
            match outcome {
                Ok(s) => {
                    h.shipped_through = s.shipped_through;
                    h.last_contact = Some(crate::audit::now_rfc3339_ms());
                    h.problem = None;
                    backoff = Duration::from_secs(1);
                    SHIP_EVERY
                }
                Err(e) => {
                    h.problem = Some(e);
                    let wait = backoff;
                    backoff = (backoff * 2).min(BACKOFF_MAX);
                    wait
                }
            }
        };
        tokio::time::sleep(wait).await;
    }
}
