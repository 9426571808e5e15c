//! Why: removals, in one file: the revoke workflow for a profile with this desk's cache and
//! settings, one card or all of a customer's, and the recovery of removals a crash or a lost
//! reply left open (at start, in the background, or "Check again").

use std::sync::Arc;

use super::*;

impl Desk {
    /// The revoke workflow for one profile, with this desk's cache and settings.
    pub async fn revoker(&self, profile_id: &str) -> Result<Revoker, DeskError> {
        let (record, built_in) = self.record(profile_id)?;
        let audit = self.audit_log()?;
        let client = self.client(&record, built_in).await?;
        let settings = self.settings();
        Ok(Revoker::new(
            client,
            profile_ref(&record),
            audit,
            Self::operator(&settings),
        )
        .with_cache(self.cache.clone())
        .with_policy(RevokePolicy {
            require_ticket: settings.require_ticket,
        })
        .with_team_claims(self.team.claims()))
    }

    /// Revokes one card (see [`crate::revoke`]): validated, audited, sent once, read back.
    /// For a customer's request (`request.request`), the request must be open, identified and
    /// about this customer before anything is sent, and the outcome is linked to it.
    pub async fn revoke(&self, request: &RevokeRequest) -> Result<Revocation, DeskError> {
        if let Some(id) = &request.request {
            self.check_request_removal(id, &request.customer).await?;
        }
        let done = self
            .revoker(&request.profile_id)
            .await?
            .for_request(request.request.clone())
            .revoke(request)
            .await;
        self.recent_changed(&request.profile_id);
        let revocation = done?;
        if let Some(id) = &request.request {
            self.link_request_removal(id, &revocation).await?;
        }
        Ok(revocation)
    }

    /// Revokes every card of a customer (erasure requests), one workflow per card; for a
    /// customer's request, as [`Desk::revoke`] does for one.
    pub async fn revoke_all(
        &self,
        request: &RevokeAllRequest,
    ) -> Result<RevokeAllResult, DeskError> {
        if let Some(id) = &request.request {
            self.check_request_removal(id, &request.customer).await?;
        }
        // Team mode: removing all of a customer's cards may need a supervisor's approval.
        if self.team_setup_saved()?.is_some() {
            let (record, built_in) = self.record(&request.profile_id)?;
            let customer = assist::CustomerNumber::new(&request.customer)?;
            let cards = self
                .client(&record, built_in)
                .await?
                .list_cards(&customer)
                .await?;
            let masked: Vec<String> = cards
                .iter()
                .map(|c| crate::audit::CardSummary::of(c).masked())
                .collect();
            self.four_eyes(super::four_eyes::GuardedRun {
                action: desk_team::Guarded::RevokeAll,
                record: &record,
                subject: request.customer.clone(),
                cards: u32::try_from(masked.len()).unwrap_or(u32::MAX),
                summary: serde_json::json!({ "customer": request.customer, "cards": masked }),
                customer: Some(request.customer.clone()),
            })
            .await?;
        }
        let done = self
            .revoker(&request.profile_id)
            .await?
            .for_request(request.request.clone())
            .revoke_all(request)
            .await;
        self.recent_changed(&request.profile_id);
        let result = done?;
        if let Some(id) = &request.request {
            for item in &result.items {
                if let Some(revocation) = &item.revocation {
                    self.link_request_removal(id, revocation).await?;
                }
            }
        }
        Ok(result)
    }

    /// Settles intents left without an outcome by a previous run, by re-reading card lists
    /// (never sending a removal). The shell calls it right after [`Desk::open`]; intents whose
    /// profile is gone or cannot be reached stay open and are reported.
    pub async fn recover_open_intents(&self) -> Result<Recovery, DeskError> {
        self.recovering
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let done = self.recover_open_intents_now().await;
        self.recovering
            .store(false, std::sync::atomic::Ordering::SeqCst);
        done
    }

    /// [`Desk::recover_open_intents`] in the background, so that start-up never waits on the
    /// gateway; [`DeskStatus::recovering`] is set from the moment this returns until it ends.
    pub fn recover_in_background(self: &Arc<Desk>) {
        self.recovering
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let desk = self.clone();
        tokio::spawn(async move {
            if let Err(e) = desk.recover_open_intents().await {
                eprintln!("card desk: open revocations could not be settled yet: {e}");
            }
        });
    }

    pub(super) async fn recover_open_intents_now(&self) -> Result<Recovery, DeskError> {
        let audit = self.audit_log()?;
        let intents = blocking(move || audit.open_intents().map_err(DeskError::from)).await?;
        let mut by_profile: Vec<(Option<String>, Vec<AuditEntry>)> = Vec::new();
        for intent in intents {
            match by_profile.iter_mut().find(|(p, _)| *p == intent.profile_id) {
                Some((_, list)) => list.push(intent),
                None => by_profile.push((intent.profile_id.clone(), vec![intent])),
            }
        }
        let mut recovery = Recovery::default();
        for (profile_id, intents) in by_profile {
            let revoker = match profile_id {
                Some(id) => self.revoker(&id).await,
                None => Err(DeskError::internal("the intent names no profile")
                    .ru("в намерении не указан профиль")),
            };
            match revoker {
                Ok(r) => {
                    recovery.extend(r.recover(&intents).await);
                    self.recent_changed(&r.profile().id);
                }
                Err(e) => {
                    for intent in &intents {
                        recovery.leave_open(
                            intent,
                            e.message.clone(),
                            e.text(crate::UiLanguage::Ru),
                        );
                    }
                }
            }
        }
        Ok(recovery)
    }

    /// "Check again" on a removal whose outcome is unknown (or was never written): re-reads
    /// the card list and settles intent `intent_seq` with a `recovered_outcome` linked to it,
    /// unless its removal is still in flight or too recent to call (then it stays open and
    /// the reason comes back in `left_open`). Never sends a removal.
    pub async fn check_removal(&self, intent_seq: u64) -> Result<Recovery, DeskError> {
        let audit = self.audit_log()?;
        let intents = blocking(move || audit.open_intents().map_err(DeskError::from)).await?;
        let Some(intent) = intents.into_iter().find(|i| i.seq == intent_seq) else {
            return Err(DeskError::new(
                ErrorCode::Validation,
                format!(
                    "intent: {intent_seq} is not an open removal (it is settled already, or \
                     no such intent exists)"
                ),
            )
            .ru(format!(
                "намерение: удаление №{intent_seq} не открыто (оно уже решено или такого \
                 намерения нет)"
            )));
        };
        let Some(profile_id) = intent.profile_id.clone() else {
            return Err(DeskError::internal("the intent names no profile"));
        };
        let revoker = self.revoker(&profile_id).await?;
        let recovery = revoker.recover(std::slice::from_ref(&intent)).await;
        self.recent_changed(&profile_id);
        Ok(recovery)
    }
}
