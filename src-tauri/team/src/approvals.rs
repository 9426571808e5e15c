//! Why: some actions are too big for one person (issue 17, "Four-eyes"): the desk's policy in
//! the team's database says which — a production bulk run, revoke-all on production, any run
//! above N cards — and such an action waits as an approval request until a supervisor, another
//! login, approves or rejects it with a note. The rules live in the database
//! (`migrations/V3__four_eyes.sql`: who may decide, not the one who asked, once; an approval
//! used once; nothing changed or deleted otherwise); this file asks, lists, decides and uses.

use serde::Serialize;
use time::OffsetDateTime;

use crate::{DeskId, Team, TeamError};

/// Which actions need a second person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    pub production_bulk: bool,
    pub production_revoke_all: bool,
    /// Any run of more than this many cards (`None`: no such limit).
    pub cards_over: Option<u32>,
    pub set_by: String,
}

/// An action that may need approval.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Guarded {
    BulkRun,
    RevokeAll,
}

impl Guarded {
    pub fn as_str(self) -> &'static str {
        match self {
            Guarded::BulkRun => "bulk_run",
            Guarded::RevokeAll => "revoke_all",
        }
    }
}

impl Policy {
    /// Whether `action` on a profile (`production` or not) over `cards` cards needs a second
    /// person.
    pub fn requires(&self, action: Guarded, production: bool, cards: u32) -> bool {
        let by_kind = match action {
            Guarded::BulkRun => production && self.production_bulk,
            Guarded::RevokeAll => production && self.production_revoke_all,
        };
        by_kind || self.cards_over.is_some_and(|n| cards > n)
    }
}

/// What an agent asks a supervisor to approve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApprovalAsk {
    pub desk: DeskId,
    pub action: Guarded,
    pub environment: String,
    pub merchant_id: String,
    /// The bulk job's id, or the customer number.
    pub subject: String,
    pub cards: u32,
    /// The dry run's counts, or the customer's cards (masked): JSON the supervisor reads.
    pub summary: serde_json::Value,
    /// The agent's name as the desk records it.
    pub requested_as: String,
}

/// An approval request and where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Approval {
    #[ts(type = "string")]
    pub id: uuid::Uuid,
    #[ts(type = "string")]
    pub desk: DeskId,
    pub action: String,
    pub environment: String,
    pub merchant_id: String,
    pub subject: String,
    pub cards: u32,
    /// The dry run's counts, or `{customer, cards}` with the cards masked.
    #[ts(type = "Record<string, unknown>")]
    pub summary: serde_json::Value,
    pub requested_by: String,
    pub requested_as: String,
    /// RFC 3339.
    #[serde(with = "time::serde::rfc3339")]
    #[ts(type = "string")]
    pub requested_at: OffsetDateTime,
    /// `waiting`, `approved`, `rejected` or `used`.
    pub state: String,
    pub decided_by: Option<String>,
    pub decided_as: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[ts(type = "string | null")]
    pub decided_at: Option<OffsetDateTime>,
    pub note: Option<String>,
}

const COLUMNS: &str = "id, desk_id, action, environment, merchant_id, subject, cards, \
                       summary::text, requested_by, requested_as, requested_at, state, \
                       decided_by, decided_as, decided_at, note";

fn approval(r: &tokio_postgres::Row) -> Approval {
    Approval {
        id: r.get(0),
        desk: r.get(1),
        action: r.get(2),
        environment: r.get(3),
        merchant_id: r.get(4),
        subject: r.get(5),
        cards: u32::try_from(r.get::<_, i32>(6)).unwrap_or(0),
        summary: serde_json::from_str(&r.get::<_, String>(7)).unwrap_or_default(),
        requested_by: r.get(8),
        requested_as: r.get(9),
        requested_at: r.get(10),
        state: r.get(11),
        decided_by: r.get(12),
        decided_as: r.get(13),
        decided_at: r.get(14),
        note: r.get(15),
    }
}

impl Team {
    /// The desk's policy.
    pub async fn policy(&self) -> Result<Policy, TeamError> {
        let r = self
            .answer(
                "read the four-eyes policy",
                self.client.query_one(
                    "SELECT production_bulk, production_revoke_all, cards_over, set_by
                   FROM carddesk.policy",
                    &[],
                ),
            )
            .await?;
        Ok(Policy {
            production_bulk: r.get(0),
            production_revoke_all: r.get(1),
            cards_over: r
                .get::<_, Option<i32>>(2)
                .and_then(|n| u32::try_from(n).ok()),
            set_by: r.get(3),
        })
    }

    /// Sets the policy (a supervisor only).
    pub async fn set_policy(
        &self,
        production_bulk: bool,
        production_revoke_all: bool,
        cards_over: Option<u32>,
    ) -> Result<(), TeamError> {
        let over = cards_over.map(|n| i32::try_from(n).unwrap_or(i32::MAX));
        self.answer(
            "set the four-eyes policy",
            self.client.execute(
                "SELECT carddesk.set_policy($1, $2, $3)",
                &[&production_bulk, &production_revoke_all, &over],
            ),
        )
        .await?;
        Ok(())
    }

    /// Whether this login may decide approvals.
    pub async fn is_supervisor(&self) -> Result<bool, TeamError> {
        let r = self
            .answer(
                "read its role",
                self.client
                    .query_one("SELECT carddesk.is_supervisor()", &[]),
            )
            .await?;
        Ok(r.get(0))
    }

    /// Asks for a second person's approval; the request, waiting.
    pub async fn ask_approval(&self, ask: &ApprovalAsk) -> Result<Approval, TeamError> {
        let cards = i32::try_from(ask.cards).unwrap_or(i32::MAX);
        let summary = ask.summary.to_string();
        let sql = format!(
            "INSERT INTO carddesk.approvals
                (id, desk_id, action, environment, merchant_id, subject, cards, summary,
                 requested_as)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9)
             RETURNING {COLUMNS}"
        );
        let r = self
            .answer(
                "ask for an approval",
                self.client.query_one(
                    &sql,
                    &[
                        &uuid::Uuid::new_v4(),
                        &ask.desk,
                        &ask.action.as_str(),
                        &ask.environment,
                        &ask.merchant_id,
                        &ask.subject,
                        &cards,
                        &summary,
                        &ask.requested_as,
                    ],
                ),
            )
            .await?;
        Ok(approval(&r))
    }

    /// The latest approval request of this desk for `action` on `subject`, if any.
    pub async fn latest_approval(
        &self,
        desk: DeskId,
        action: Guarded,
        subject: &str,
    ) -> Result<Option<Approval>, TeamError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM carddesk.approvals
              WHERE desk_id = $1 AND action = $2 AND subject = $3
              ORDER BY requested_at DESC LIMIT 1"
        );
        let r = self
            .answer(
                "read approvals",
                self.client
                    .query_opt(&sql, &[&desk, &action.as_str(), &subject]),
            )
            .await?;
        Ok(r.as_ref().map(approval))
    }

    /// Approval requests, newest first: only those waiting, or the last `limit` of all.
    pub async fn approvals(
        &self,
        waiting_only: bool,
        limit: u32,
    ) -> Result<Vec<Approval>, TeamError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM carddesk.approvals
              WHERE NOT $1 OR state = 'waiting'
              ORDER BY requested_at DESC LIMIT $2"
        );
        let rows = self
            .answer(
                "read approvals",
                self.client.query(&sql, &[&waiting_only, &i64::from(limit)]),
            )
            .await?;
        Ok(rows.iter().map(approval).collect())
    }

    /// A supervisor's decision (not the one who asked; once). Returns the approval after it.
    pub async fn decide(
        &self,
        id: uuid::Uuid,
        approve: bool,
        note: &str,
        decided_as: &str,
    ) -> Result<Approval, TeamError> {
        self.answer(
            "decide this approval",
            self.client.execute(
                "SELECT carddesk.decide($1, $2, $3, $4)",
                &[&id, &approve, &note, &decided_as],
            ),
        )
        .await?;
        let sql = format!("SELECT {COLUMNS} FROM carddesk.approvals WHERE id = $1");
        let r = self
            .answer("read approvals", self.client.query_one(&sql, &[&id]))
            .await?;
        Ok(approval(&r))
    }

    /// Uses an approval for the run it was asked for (once; only the login that asked).
    pub async fn use_approval(&self, id: uuid::Uuid) -> Result<(), TeamError> {
        self.answer(
            "use this approval",
            self.client
                .execute("SELECT carddesk.use_approval($1)", &[&id]),
        )
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_what_needs_a_second_person() {
        let p = Policy {
            production_bulk: true,
            production_revoke_all: false,
            cards_over: Some(50),
            set_by: "sam".into(),
        };
        assert!(p.requires(Guarded::BulkRun, true, 1));
        assert!(!p.requires(Guarded::BulkRun, false, 50));
        assert!(p.requires(Guarded::BulkRun, false, 51));
        assert!(!p.requires(Guarded::RevokeAll, true, 3));
        assert!(p.requires(Guarded::RevokeAll, false, 51));
    }
}
