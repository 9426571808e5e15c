//! Why: on one machine a card's removal is claimed in a file beside the audit log
//! (`claim.rs`), which keeps two windows, commands or bulk jobs from removing it at once. A team
//! works from many machines, so in team mode the claim is also taken in the team's database —
//! a PostgreSQL advisory lock on the merchant and the card's token fingerprint, held by the
//! server for the desk's session until the outcome is written (issue 17: "not a client-side
//! check"). A desk that dies mid-removal loses its session and so its hold. When the database
//! cannot be reached the desk goes on with its own claim only (the team trail catches up
//! later; a removal sent twice by two desks is answered "not found" by the gateway and settled
//! by the read-back), and says so in Settings → Team.

use std::sync::Arc;

use desk_team::{Team, TeamPassword, TeamSettings};

use crate::error::{DeskError, ErrorCode};

/// The hold's key: the first 8 bytes of BLAKE3 over the merchant and the fingerprint.
pub fn team_card_key(merchant_id: &str, fingerprint: &str) -> i64 {
    let digest = blake3::hash(format!("carddesk card {merchant_id}:{fingerprint}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest.as_bytes()[..8]);
    i64::from_be_bytes(bytes)
}

/// The team's card holds: one connection for all of this desk's holds.
#[derive(Clone)]
pub struct TeamClaims {
    settings: TeamSettings,
    password: TeamPassword,
    connection: Arc<tokio::sync::Mutex<Option<Team>>>,
    runtime: tokio::runtime::Handle,
    /// Why the last hold could not be asked for (the database away), for Settings.
    offline: Arc<std::sync::Mutex<Option<String>>>,
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
    claims: TeamClaims,
}

impl Drop for TeamHold {
    fn drop(&mut self) {
        let (key, connection) = (self.key, self.claims.connection.clone());
        self.claims.runtime.spawn(async move {
            if let Some(team) = connection.lock().await.as_ref() {
                // A failure here ends with the session anyway.
                let _ = team.release(key).await;
            }
        });
    }
}

impl TeamClaims {
    /// Holds on the team's database at `settings`; dials on the first hold.
    pub fn new(settings: TeamSettings, password: TeamPassword) -> Option<TeamClaims> {
        let runtime = tokio::runtime::Handle::try_current().ok()?;
        Some(TeamClaims {
            settings,
            password,
            connection: Arc::default(),
            runtime,
            offline: Arc::default(),
        })
    }

    /// Why holds were last skipped, if they were.
    pub fn offline(&self) -> Option<String> {
        desk_store::lock(&self.offline).clone()
    }

    /// Holds card `fingerprint` of `merchant_id` for the team: `Ok(Some)` held, `Ok(None)` the
    /// database cannot be reached (go on with the desk's own claim), an error when another
    /// desk is removing the card now (nothing may be sent).
    pub async fn hold(
        &self,
        merchant_id: &str,
        fingerprint: &str,
        masked: &str,
    ) -> Result<Option<TeamHold>, DeskError> {
        let key = team_card_key(merchant_id, fingerprint);
        let mut slot = self.connection.lock().await;
        if slot.as_ref().is_some_and(Team::is_closed) {
            *slot = None;
        }
        if slot.is_none() {
            match desk_team::connect(&self.settings, &self.password).await {
                Ok(team) => *slot = Some(team),
                Err(e) => {
                    *desk_store::lock(&self.offline) = Some(e.to_string());
                    return Ok(None);
                }
            }
        }
        let Some(team) = slot.as_ref() else {
            return Ok(None);
        };
        match team.try_hold(key).await {
            Ok(true) => {
                *desk_store::lock(&self.offline) = None;
                Ok(Some(TeamHold {
                    key,
                    claims: self.clone(),
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
            Err(e) => {
                *slot = None;
                *desk_store::lock(&self.offline) = Some(e.to_string());
                Ok(None)
            }
        }
    }
}
