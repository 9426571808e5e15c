//! Why: on one machine a card's removal is claimed in a file beside the audit log
//! (`claim.rs`), which keeps two windows, commands or bulk jobs from removing it at once. A team
//! works from many machines, so in team mode the claim is also taken in the team's database —
//! a PostgreSQL advisory lock on the merchant and the card's token fingerprint, held by the
//! server for the desk's session until the outcome is written (issue 17: "not a client-side
//! check"). A desk that dies mid-removal loses its session and so its hold. When the database
//! cannot be reached the desk goes on with its own claim only (the team trail catches up
//! later; a removal sent twice by two desks is answered "not found" by the gateway and settled
//! by the read-back), and says so in Settings → Team.
//!
//! A removal waits at most [`HOLD_BOUND`] on the team (a dial, the statement, together): a
//! database that accepts the connection and then answers slowly, or not at all, is treated as
//! one that cannot be reached — the connection is closed (so a hold granted late ends with its
//! session), the removal goes on with the desk's own claim, and `offline` says why. The hold
//! costs no time of its own on a healthy database: the connection is dialled and its two
//! statements prepared when team mode starts, a hold is one round trip overlapped with the
//! card list's read (revoke.rs), and a release is sent on the same connection without waiting
//! for or blocking the next hold (the driver pipelines them).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use desk_team::{Team, TeamPassword, TeamSettings};

use crate::error::{DeskError, ErrorCode};

/// The longest a removal waits on the team's hold before going on with the desk's own claim.
pub const HOLD_BOUND: Duration = Duration::from_millis(1500);
/// The longest wait between background dials after a skipped hold.
const MEND_MAX: Duration = Duration::from_secs(30);

/// The hold's key: the first 8 bytes of BLAKE3 over the merchant and the fingerprint.
pub fn team_card_key(merchant_id: &str, fingerprint: &str) -> i64 {
    let digest = blake3::hash(format!("carddesk card {merchant_id}:{fingerprint}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest.as_bytes()[..8]);
    i64::from_be_bytes(bytes)
}

/// The team's card holds: one connection (one server session) for all of this desk's holds.
#[derive(Clone)]
pub struct TeamClaims {
    settings: TeamSettings,
    password: TeamPassword,
    /// How long a hold may wait ([`HOLD_BOUND`]).
    bound: Duration,
    /// The connection; the lock is held only while dialling, never across a statement.
    connection: Arc<tokio::sync::Mutex<Option<Arc<Team>>>>,
    runtime: tokio::runtime::Handle,
    /// Why the last hold could not be asked for (the database away or slow), for Settings.
    offline: Arc<std::sync::Mutex<Option<String>>>,
    /// A task dials again in the background after a skipped hold (at most one).
    mending: Arc<AtomicBool>,
}

impl std::fmt::Debug for TeamClaims {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TeamClaims")
            .field("at", &self.settings.describe())
            .finish_non_exhaustive()
    }
}

/// A card held for the team until dropped.
#[derive(Debug)]
pub struct TeamHold {
    key: i64,
    /// The session that holds it.
    team: Arc<Team>,
    runtime: tokio::runtime::Handle,
}

impl Drop for TeamHold {
    fn drop(&mut self) {
        let (key, team) = (self.key, self.team.clone());
        // Sent on the hold's own connection, beside whatever comes next; a failure ends with
        // the session anyway (a connection given up on was closed, and its holds with it).
        self.runtime.spawn(async move {
            let _ = team.release(key).await;
        });
    }
}

impl TeamClaims {
    /// Holds on the team's database at `settings`, each waiting at most `bound`; call
    /// [`TeamClaims::ready`] to dial before the first removal.
    pub fn new(
        settings: TeamSettings,
        password: TeamPassword,
        bound: Duration,
    ) -> Option<TeamClaims> {
        let runtime = tokio::runtime::Handle::try_current().ok()?;
        Some(TeamClaims {
            settings,
            password,
            bound,
            connection: Arc::default(),
            runtime,
            offline: Arc::default(),
            mending: Arc::default(),
        })
    }

    /// Dials and prepares the hold's statements in the background (team mode's start), so the
    /// first removal finds the connection ready.
    pub fn ready(&self) {
        self.mend(Duration::ZERO);
    }

    /// Dials again in the background, first after `first`, then backing off, until the
    /// connection is ready (Settings then stops saying holds are skipped) or team mode stops;
    /// so the removal after an outage is not the one that pays for the dial.
    fn mend(&self, first: Duration) {
        if self.mending.swap(true, Ordering::SeqCst) {
            return;
        }
        let connection = Arc::downgrade(&self.connection);
        let mut claims = self.clone();
        // Only the task's own copy of the connection's slot, so it ends with team mode.
        claims.connection = Arc::default();
        self.runtime.spawn(async move {
            let mut wait = first;
            loop {
                tokio::time::sleep(wait).await;
                let Some(slot) = connection.upgrade() else {
                    break;
                };
                let attempt = TeamClaims {
                    connection: slot,
                    ..claims.clone()
                };
                let readied = async {
                    let team = attempt.link().await?;
                    team.ready_holds().await
                };
                match readied.await {
                    Ok(()) => {
                        *desk_store::lock(&claims.offline) = None;
                        break;
                    }
                    Err(e) => *desk_store::lock(&claims.offline) = Some(e.to_string()),
                }
                wait = (wait * 2).clamp(Duration::from_secs(1), MEND_MAX);
            }
            claims.mending.store(false, Ordering::SeqCst);
        });
    }

    /// Why holds were last skipped, if they were.
    pub fn offline(&self) -> Option<String> {
        desk_store::lock(&self.offline).clone()
    }

    /// The connection, dialled when there is none or it was closed.
    async fn link(&self) -> Result<Arc<Team>, desk_team::TeamError> {
        let mut slot = self.connection.lock().await;
        if let Some(team) = slot.as_ref().filter(|t| !t.is_closed()) {
            return Ok(team.clone());
        }
        *slot = None;
        let mut team = desk_team::connect(&self.settings, &self.password).await?;
        team.set_bound(self.bound);
        let team = Arc::new(team);
        *slot = Some(team.clone());
        Ok(team)
    }

    /// Holds card `fingerprint` of `merchant_id` for the team: `Ok(Some)` held, `Ok(None)` the
    /// database cannot be reached or did not answer within the bound (go on with the desk's
    /// own claim), an error when another desk is removing the card now (nothing may be sent).
    pub async fn hold(
        &self,
        merchant_id: &str,
        fingerprint: &str,
        masked: &str,
    ) -> Result<Option<TeamHold>, DeskError> {
        let key = team_card_key(merchant_id, fingerprint);
        let started = tokio::time::Instant::now();
        // Waiting for a dial (this hold's or another's) counts against the same bound.
        let team = match tokio::time::timeout(self.bound, self.link()).await {
            Ok(Ok(team)) => team,
            Ok(Err(e)) => return Ok(self.skipped(e.to_string())),
            Err(_) => {
                return Ok(self.skipped(format!(
                    "PostgreSQL at {} did not answer within {} s while connecting for a card's \
                     hold: the team database is slow or not answering",
                    self.settings.describe(),
                    desk_team::seconds(self.bound)
                )));
            }
        };
        let left = self.bound.saturating_sub(started.elapsed());
        match team.try_hold_within(key, left).await {
            Ok(true) => {
                *desk_store::lock(&self.offline) = None;
                Ok(Some(TeamHold {
                    key,
                    team,
                    runtime: self.runtime.clone(),
                }))
            }
            Ok(false) => Err(DeskError::new(
                ErrorCode::RemovalInProgress,
                format!(
                    "another desk of the team is removing card {masked} now; nothing was sent — \
                     look again when it has finished"
                ),
            )
            .ru(format!(
                "карту {masked} сейчас удаляет другое рабочее место команды; ничего не \
                 отправлено — проверьте снова, когда оно закончит"
            ))),
            // A statement given up on closed the connection; the next hold dials again. It
            // says the whole wait, the dial's part included.
            Err(desk_team::TeamError::Slow { target, action, .. }) => {
                let said = desk_team::TeamError::Slow {
                    target,
                    action,
                    waited: self.bound,
                };
                Ok(self.skipped(said.to_string()))
            }
            Err(e) => Ok(self.skipped(e.to_string())),
        }
    }

    /// No hold this time, and why (Settings → Team says it).
    fn skipped(&self, why: String) -> Option<TeamHold> {
        *desk_store::lock(&self.offline) = Some(why);
        self.mend(Duration::from_secs(1));
        None
    }
}
