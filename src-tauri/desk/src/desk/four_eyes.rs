//! Why: in team mode some actions need a second person (issue 17, docs/team.md "Four-eyes"):
//! the desk's policy in the team's database says which — a production bulk run, revoke-all on
//! production, a run above N cards. This is the desk's gate in front of them: before anything
//! is sent it asks the policy; an action that needs approval goes ahead only on an approval a
//! supervisor gave for exactly this run (the same job or customer, the same number of cards),
//! which it uses once and records in the audit log; otherwise it asks for one (with the dry
//! run's counts or the customer's cards, masked) and refuses with "awaiting approval". When the
//! database cannot be reached, such actions wait: the policy cannot be read. The supervisor's
//! side — the list, the decision, the policy — is here too; a decision is an audit entry of
//! the supervisor's own desk, shipped to the team trail like every other.

use desk_team::{Approval, ApprovalAsk, Guarded, Policy, Team};

use super::*;
use crate::words::Words;

/// The policy as Team → Approvals shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamPolicyView {
    pub policy: Policy,
    /// This login may decide approvals and set the policy.
    pub supervisor: bool,
}

/// What an agent is about to do, for the gate.
pub(super) struct GuardedRun<'a> {
    pub action: Guarded,
    pub record: &'a ProfileRecord,
    /// The bulk job's id, or the customer number.
    pub subject: String,
    pub cards: u32,
    pub summary: serde_json::Value,
    pub customer: Option<String>,
}

fn what(action: Guarded) -> Words<'static> {
    match action {
        Guarded::BulkRun => Words::new("bulk run", "массовый запуск"),
        Guarded::RevokeAll => Words::new(
            "removal of all the customer's cards",
            "удаление всех карт клиента",
        ),
    }
}

/// What an approval is for, in words: "removal of all 3 cards of customer 1234".
fn subject_words(action: &str, subject: &str, cards: u32) -> (String, String) {
    if action == Guarded::RevokeAll.as_str() {
        (
            format!("removal of all {cards} cards of customer {subject}"),
            format!("удаление всех карт клиента {subject} (карт: {cards})"),
        )
    } else {
        (
            format!("bulk job {subject} ({cards} cards)"),
            format!("массовое задание {subject} (карт: {cards})"),
        )
    }
}

fn awaiting(en: String, ru: String) -> DeskError {
    DeskError::new(ErrorCode::AwaitingApproval, en).ru(ru)
}

impl Desk {
    /// The team connection for four-eyes, or `None` when team mode is off.
    async fn four_eyes_team(&self) -> Result<Option<(Team, desk_team::DeskId)>, DeskError> {
        if self.team_setup_saved()?.is_none() {
            return Ok(None);
        }
        match self.team_link().await {
            Ok(t) => Ok(Some(t)),
            Err(e)
                if matches!(
                    e.code,
                    ErrorCode::Transport | ErrorCode::UntrustedCertificate
                ) =>
            {
                Err(awaiting(
                    format!(
                        "the team database cannot be reached, so its four-eyes policy cannot be read: actions that may need a second person wait until it can ({})",
                        e.message
                    ),
                    format!(
                        "база команды недоступна, и правило двух подписей не прочитать: действия, которым может понадобиться второе лицо, ждут, пока она не станет доступна ({})",
                        e.text(crate::UiLanguage::Ru)
                    ),
                ))
            }
            Err(e) => Err(e),
        }
    }

    /// The gate: `Ok(())` to go ahead (no approval needed, or an approval used now), else an
    /// `awaiting_approval` error after asking for one.
    pub(super) async fn four_eyes(&self, run: GuardedRun<'_>) -> Result<(), DeskError> {
        let Some((team, desk)) = self.four_eyes_team().await? else {
            return Ok(());
        };
        let policy = team.policy().await.map_err(|e| team_mode::team_error(&e))?;
        let production = run.record.environment == Environment::Production;
        if !policy.requires(run.action, production, run.cards) {
            return Ok(());
        }
        let said = what(run.action);
        let latest = team
            .latest_approval(desk, run.action, &run.subject)
            .await
            .map_err(|e| team_mode::team_error(&e))?;
        match latest {
            Some(a) if a.state == "approved" && a.cards == run.cards => {
                team.use_approval(a.id)
                    .await
                    .map_err(|e| team_mode::team_error(&e))?;
                let mut draft =
                    EntryDraft::new(Self::operator(&self.settings()), AuditAction::Approval);
                draft.profile = Some(profile_ref(run.record));
                draft.customer = run.customer.clone();
                draft.note = a.note.clone();
                let (en, ru) = subject_words(&a.action, &a.subject, a.cards);
                let by = a.decided_as.as_deref().unwrap_or("?");
                let login = a.decided_by.as_deref().unwrap_or("?");
                draft.detail = Some(format!(
                    "approved by {by} ({login}), used for {en}; approval {}",
                    a.id
                ));
                draft.detail_ru = Some(format!(
                    "одобрил(а) {by} ({login}), использовано: {ru}; одобрение {}",
                    a.id
                ));
                let audit = self.audit_log()?;
                blocking(move || audit.append(draft).map_err(DeskError::from)).await?;
                Ok(())
            }
            Some(a) if a.state == "waiting" && a.cards == run.cards => Err(awaiting(
                format!(
                    "this {} needs a second person's approval (the team's four-eyes policy): it was asked for at {} and still waits for a supervisor; nothing was sent",
                    said.en, a.requested_at
                ),
                format!(
                    "для этого действия ({}) нужно одобрение второго лица (правило двух подписей команды): запрос отправлен {} и ждёт руководителя; ничего не отправлено",
                    said.ru, a.requested_at
                ),
            )),
            previous => {
                let rejected = previous.filter(|a| a.state == "rejected").map(|a| {
                    (
                        a.decided_as.or(a.decided_by).unwrap_or_default(),
                        a.note.unwrap_or_default(),
                    )
                });
                let asked = team
                    .ask_approval(&ApprovalAsk {
                        desk,
                        action: run.action,
                        environment: serde_json::to_value(run.record.environment)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default(),
                        merchant_id: run.record.merchant_id.to_string(),
                        subject: run.subject.clone(),
                        cards: run.cards,
                        summary: run.summary,
                        requested_as: Self::operator(&self.settings()).display_name,
                    })
                    .await
                    .map_err(|e| team_mode::team_error(&e))?;
                // The request for approval is evidence too: this desk asked, nothing was sent.
                let (en, ru) = subject_words(&asked.action, &asked.subject, asked.cards);
                let mut draft =
                    EntryDraft::new(Self::operator(&self.settings()), AuditAction::Approval);
                draft.profile = Some(profile_ref(run.record));
                draft.customer = run.customer.clone();
                draft.detail = Some(format!(
                    "asked a supervisor to approve {en} (the team's four-eyes policy); nothing was sent; approval {}",
                    asked.id
                ));
                draft.detail_ru = Some(format!(
                    "запрошено одобрение руководителя: {ru} (правило двух подписей команды); ничего не отправлено; одобрение {}",
                    asked.id
                ));
                let audit = self.audit_log()?;
                blocking(move || audit.append(draft).map_err(DeskError::from)).await?;
                let (before_en, before_ru) = match rejected {
                    Some((who, note)) => (
                        format!(" (the last request was rejected by {who}: \"{note}\")"),
                        format!(" (прошлый запрос отклонил {who}: «{note}»)"),
                    ),
                    None => (String::new(), String::new()),
                };
                Err(awaiting(
                    format!(
                        "this {} needs a second person's approval (the team's four-eyes policy): approval was asked for{before_en}; nothing was sent; it can go once a supervisor approves it",
                        said.en
                    ),
                    format!(
                        "для этого действия ({}) нужно одобрение второго лица (правило двух подписей команды): запрос на одобрение отправлен{before_ru}; ничего не отправлено; действие можно выполнить после одобрения руководителя",
                        said.ru
                    ),
                ))
            }
        }
    }

    /// Team → Approvals: waiting requests (or the latest of all), newest first.
    pub async fn team_approvals(&self, waiting_only: bool) -> Result<Vec<Approval>, DeskError> {
        let (team, _) = self.team_link().await?;
        team.approvals(waiting_only, 200)
            .await
            .map_err(|e| team_mode::team_error(&e))
    }

    /// A supervisor's decision, recorded as an audit entry of this desk.
    pub async fn decide_approval(
        &self,
        id: &str,
        approve: bool,
        note: String,
    ) -> Result<Approval, DeskError> {
        let id: uuid::Uuid = id.trim().parse().map_err(|_| {
            DeskError::invalid(
                "approval",
                Words::new("approval", "одобрение"),
                Words::new("is not an approval's id", "не номер одобрения"),
            )
        })?;
        let note = note.trim().to_owned();
        if note.is_empty() || note.chars().count() > 500 {
            return Err(DeskError::invalid(
                "note",
                Words::new("note", "комментарий"),
                Words::new(
                    "must be 1 to 500 characters: say why",
                    "от 1 до 500 символов: объясните решение",
                ),
            ));
        }
        let (team, _) = self.team_link().await?;
        let operator = Self::operator(&self.settings());
        let decided = team
            .decide(id, approve, &note, &operator.display_name)
            .await
            .map_err(|e| team_mode::team_error(&e))?;
        let verb = if approve {
            ("approved", "одобрил(а)")
        } else {
            ("rejected", "отклонил(а)")
        };
        let mut draft = EntryDraft::new(operator, AuditAction::Approval);
        draft.customer = (decided.action == "revoke_all").then(|| decided.subject.clone());
        draft.note = Some(note);
        let (en, ru) = subject_words(&decided.action, &decided.subject, decided.cards);
        draft.detail = Some(format!(
            "{} {en}, asked for by {} ({}) on desk {} for merchant {} ({}); approval {}",
            verb.0,
            decided.requested_as,
            decided.requested_by,
            decided.desk,
            decided.merchant_id,
            decided.environment,
            decided.id
        ));
        draft.detail_ru = Some(format!(
            "{}: {ru}, запрос {} ({}) с места {} для продавца {} ({}); одобрение {}",
            verb.1,
            decided.requested_as,
            decided.requested_by,
            decided.desk,
            decided.merchant_id,
            decided.environment,
            decided.id
        ));
        let audit = self.audit_log()?;
        blocking(move || audit.append(draft).map_err(DeskError::from)).await?;
        Ok(decided)
    }

    /// The team's four-eyes policy, and whether this login may decide.
    pub async fn team_policy(&self) -> Result<TeamPolicyView, DeskError> {
        let (team, _) = self.team_link().await?;
        let policy = team.policy().await.map_err(|e| team_mode::team_error(&e))?;
        let supervisor = team
            .is_supervisor()
            .await
            .map_err(|e| team_mode::team_error(&e))?;
        Ok(TeamPolicyView { policy, supervisor })
    }

    /// Sets the policy (a supervisor only).
    pub async fn set_team_policy(
        &self,
        production_bulk: bool,
        production_revoke_all: bool,
        cards_over: Option<u32>,
    ) -> Result<Policy, DeskError> {
        let (team, _) = self.team_link().await?;
        team.set_policy(production_bulk, production_revoke_all, cards_over)
            .await
            .map_err(|e| team_mode::team_error(&e))?;
        team.policy().await.map_err(|e| team_mode::team_error(&e))
    }
}
