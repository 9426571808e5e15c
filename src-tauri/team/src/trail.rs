//! Why: the team's one audit trail is every desk's own chain, shipped line by line exactly as
//! the desk hashed it. Shipping must be safe to repeat (a desk that crashed or lost the
//! server mid-batch sends again: a repeat is a no-op), must refuse a *different* entry under a
//! number already shipped (an alarm: a log was rewritten), and must never need UPDATE or
//! DELETE, which no application role holds. The rules live in the database
//! (`migrations/V1__team_trail.sql`: `carddesk.ship`, `carddesk.first_break`, the triggers);
//! this file calls them.

use std::time::Duration;
use time::OffsetDateTime;

use tokio_postgres::error::SqlState;

use crate::{Team, TeamError};

/// A desk's id: made once per data dir and kept beside its log.
pub type DeskId = uuid::Uuid;

/// One entry as shipped: the line as hashed, and copies of what the team view filters on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrailEntry {
    pub seq: u64,
    /// The entry's own time, as the desk wrote it.
    pub at: OffsetDateTime,
    /// The whole line, without its newline.
    pub line: String,
    pub hash: String,
    pub prev: String,
    pub action: String,
    /// The operator's name as the entry records it.
    pub operator: String,
    pub outcome: Option<String>,
    pub customer: Option<String>,
    pub request: Option<String>,
}

/// What one shipment did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShipReport {
    /// Entries the trail did not have.
    pub added: u64,
    /// Entries it had already, byte for byte (a shipment sent again).
    pub repeats: u64,
}

/// A desk as the team sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamDesk {
    pub id: DeskId,
    pub name: String,
    /// Entries in the trail.
    pub entries: u64,
    /// The highest number shipped (0: none yet).
    pub last_seq: u64,
}

/// The first place a desk's chain, as the server holds it, is not whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainBreak {
    pub seq: u64,
    /// "gap before this entry" or "prev is not the hash of the entry before".
    pub problem: String,
}

/// One shipped line, read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrailLine {
    pub seq: u64,
    pub line: String,
}

/// How far [`Team::trail_page`] counts matches (a count over a million rows is slow).
pub const TRAIL_COUNT_MAX: u64 = 10_000;

/// Which entries of the team trail to show; all given filters must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrailFilter {
    /// The whole customer number.
    pub customer: Option<String>,
    /// Part of the operator's name, any case.
    pub operator: Option<String>,
    pub action: Option<String>,
    pub outcome: Option<String>,
    pub request: Option<String>,
    pub from: Option<OffsetDateTime>,
    pub to: Option<OffsetDateTime>,
}

/// One page of the team trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrailPage {
    pub total: u64,
    /// More than `total` match (the count stopped there).
    pub total_capped: bool,
    pub rows: Vec<TrailRow>,
}

/// An entry of the team trail with the desk it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrailRow {
    pub desk: DeskId,
    pub desk_name: String,
    pub seq: u64,
    pub line: String,
}

/// `text` for a LIKE pattern, its wildcards taken literally.
fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Team {
    /// Makes the desk known to the team (a repeat keeps the name it was first given).
    pub async fn register_desk(&self, desk: DeskId, name: &str) -> Result<(), TeamError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(TeamError::invalid(
                "deskName",
                "must be 1 to 80 characters (what people call this desk)",
            ));
        }
        self.answer(
            "register this desk (it needs carddesk_agent)",
            self.client.execute(
                "INSERT INTO carddesk.desks (desk_id, name) VALUES ($1, $2)
                 ON CONFLICT (desk_id) DO NOTHING",
                &[&desk, &name],
            ),
        )
        .await?;
        Ok(())
    }

    /// The highest number of this desk's entries in the trail (0: none yet). Shipping
    /// resumes after it: the server, not a local note, says what arrived.
    pub async fn shipped_up_to(&self, desk: DeskId) -> Result<u64, TeamError> {
        let row = self
            .answer(
                "read the team trail",
                self.client.query_one(
                    "SELECT coalesce(max(seq), 0) FROM carddesk.trail WHERE desk_id = $1",
                    &[&desk],
                ),
            )
            .await?;
        Ok(to_u64(row.get(0)))
    }

    /// Ships `entries` (in order) in one transaction: all of them arrive or none does.
    /// A conflicting repeat stops the shipment with [`TeamError::ConflictingRepeat`].
    pub async fn ship(
        &mut self,
        desk: DeskId,
        entries: &[TrailEntry],
    ) -> Result<ShipReport, TeamError> {
        if entries.is_empty() {
            return Ok(ShipReport::default());
        }
        // A batch given up on closes the connection: a transaction it had not committed is
        // rolled back by the server, one whose commit was on its way may have committed. Either
        // way the next shipment starts from what the server holds, so nothing is lost or doubled.
        let Ok(shipped) =
            tokio::time::timeout(self.bound, ship_in(&mut self.client, desk, entries)).await
        else {
            return Err(self.give_up("ship entries", self.bound));
        };
        match shipped {
            Ok(report) => Ok(report),
            Err(Failed::Conflict { seq, cause }) => Err(TeamError::ConflictingRepeat {
                desk: desk.to_string(),
                seq,
                cause,
            }),
            Err(Failed::Statement(e)) => {
                Err(self.fail(&e, "ship entries (it needs carddesk_agent)"))
            }
        }
    }

    /// The desks that ship here, with how much of each chain has arrived.
    pub async fn desks(&self) -> Result<Vec<TeamDesk>, TeamError> {
        let rows = self
            .answer(
                "read the team's desks",
                self.client.query(
                    "SELECT d.desk_id, d.name, count(t.seq), coalesce(max(t.seq), 0)
                   FROM carddesk.desks d LEFT JOIN carddesk.trail t USING (desk_id)
                  GROUP BY d.desk_id, d.name ORDER BY d.name, d.desk_id",
                    &[],
                ),
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| TeamDesk {
                id: r.get(0),
                name: r.get(1),
                entries: to_u64(r.get(2)),
                last_seq: to_u64(r.get(3)),
            })
            .collect())
    }

    /// Up to `limit` lines of a desk after number `after`, in order (for checking its chain
    /// with the desk's own verifier, a page at a time).
    pub async fn lines(
        &self,
        desk: DeskId,
        after: u64,
        limit: u32,
    ) -> Result<Vec<TrailLine>, TeamError> {
        let rows = self
            .answer(
                "read the team trail",
                self.client.query(
                    "SELECT seq, line FROM carddesk.trail WHERE desk_id = $1 AND seq > $2
                  ORDER BY seq LIMIT $3",
                    &[&desk, &to_i64(after), &i64::from(limit)],
                ),
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| TrailLine {
                seq: to_u64(r.get(0)),
                line: r.get(1),
            })
            .collect())
    }

    /// The server's own check of a desk's chain (`carddesk.first_break`): `None` when every
    /// number from 1 is there and each entry's `prev` is the hash of the one before.
    pub async fn first_break(&self, desk: DeskId) -> Result<Option<ChainBreak>, TeamError> {
        let row = self
            .answer(
                "check a chain",
                self.client.query_opt(
                    "SELECT seq, problem FROM carddesk.first_break($1)",
                    &[&desk],
                ),
            )
            .await?;
        Ok(row.map(|r| ChainBreak {
            seq: to_u64(r.get(0)),
            problem: r.get(1),
        }))
    }

    /// One page of the whole team's trail, newest first, and how many match (counted up to
    /// [`TRAIL_COUNT_MAX`]; `total_capped` past it). Every filter is optional.
    pub async fn trail_page(
        &self,
        filter: &TrailFilter,
        offset: u32,
        limit: u32,
    ) -> Result<TrailPage, TeamError> {
        // The operators whose names hold the text: a few index lookups over the distinct
        // names (a team has dozens, the trail millions of rows), then an exact match the
        // operator index answers.
        let operators: Option<Vec<String>> = match &filter.operator {
            None => None,
            Some(part) => Some(
                self.answer(
                    "read the team trail",
                    self.client.query(
                        "WITH RECURSIVE names AS (
                             SELECT min(operator) AS name FROM carddesk.trail
                           UNION ALL
                             SELECT (SELECT min(operator) FROM carddesk.trail
                                      WHERE operator > names.name)
                               FROM names WHERE names.name IS NOT NULL)
                         SELECT name FROM names WHERE name ILIKE $1",
                        &[&format!("%{}%", like_escape(part))],
                    ),
                )
                .await?
                .iter()
                .map(|r| r.get(0))
                .collect(),
            ),
        };
        let bounds: [&(dyn tokio_postgres::types::ToSql + Sync); 7] = [
            &filter.customer,
            &operators,
            &filter.action,
            &filter.outcome,
            &filter.request,
            &filter.from,
            &filter.to,
        ];
        const WHERE: &str = "($1::text IS NULL OR t.customer = $1)
              AND ($2::text[] IS NULL OR t.operator = ANY($2))
              AND ($3::text IS NULL OR t.action = $3)
              AND ($4::text IS NULL OR t.outcome = $4)
              AND ($5::text IS NULL OR t.request = $5)
              AND ($6::timestamptz IS NULL OR t.at >= $6)
              AND ($7::timestamptz IS NULL OR t.at <= $7)";
        let counted = self
            .answer(
                "read the team trail",
                self.client.query_one(
                    &format!(
                    "SELECT count(*) FROM (SELECT 1 FROM carddesk.trail t WHERE {WHERE} LIMIT {})
                     AS m",
                    TRAIL_COUNT_MAX + 1
                ),
                    &bounds,
                ),
            )
            .await?;
        let counted = to_u64(counted.get(0));
        let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = bounds.to_vec();
        let (offset, limit) = (i64::from(offset), i64::from(limit.clamp(1, 500)));
        params.push(&offset);
        params.push(&limit);
        let rows = self
            .answer(
                "read the team trail",
                self.client.query(
                    &format!(
                        "SELECT t.desk_id, d.name, t.seq, t.line
                       FROM carddesk.trail t JOIN carddesk.desks d USING (desk_id)
                      WHERE {WHERE}
                      ORDER BY t.at DESC, t.desk_id, t.seq DESC
                     OFFSET $8 LIMIT $9"
                    ),
                    &params,
                ),
            )
            .await?;
        Ok(TrailPage {
            total: counted.min(TRAIL_COUNT_MAX),
            total_capped: counted > TRAIL_COUNT_MAX,
            rows: rows
                .iter()
                .map(|r| TrailRow {
                    desk: r.get(0),
                    desk_name: r.get(1),
                    seq: to_u64(r.get(2)),
                    line: r.get(3),
                })
                .collect(),
        })
    }

    /// Takes the team-wide hold on `key` for this session (`pg_try_advisory_lock`): `false`
    /// when another session (another desk) holds it. Released by [`Team::release`] or when
    /// the connection ends — a desk that dies mid-removal never leaves a card held.
    pub async fn try_hold(&self, key: i64) -> Result<bool, TeamError> {
        self.try_hold_within(key, self.bound).await
    }

    /// [`Team::try_hold`], given up on after `within` (then the connection is closed, so a
    /// hold granted late ends with the session: [`TeamError::Slow`]).
    pub async fn try_hold_within(&self, key: i64, within: Duration) -> Result<bool, TeamError> {
        let action = "take a card's hold";
        let asked = async {
            let [hold, _] = self.hold_statements().await?;
            self.client.query_one(hold, &[&key]).await
        };
        match tokio::time::timeout(within, asked).await {
            Ok(row) => Ok(row.map_err(|e| self.fail(&e, action))?.get(0)),
            Err(_) => Err(self.give_up(action, within)),
        }
    }

    /// Gives up the hold on `key` taken by [`Team::try_hold`].
    pub async fn release(&self, key: i64) -> Result<(), TeamError> {
        let released = async {
            let [_, release] = self.hold_statements().await?;
            self.client.execute(release, &[&key]).await
        };
        self.answer("release a card's hold", released).await?;
        Ok(())
    }

    /// The hold's two statements, prepared once per connection: each hold or release is then
    /// one round trip (a statement given as text is parsed first, a round trip of its own).
    async fn hold_statements(
        &self,
    ) -> Result<&[tokio_postgres::Statement; 2], tokio_postgres::Error> {
        if let Some(ready) = self.holds.get() {
            return Ok(ready);
        }
        let (hold, release) = tokio::try_join!(
            self.client.prepare("SELECT pg_try_advisory_lock($1)"),
            self.client.prepare("SELECT pg_advisory_unlock($1)"),
        )?;
        Ok(self.holds.get_or_init(|| [hold, release]))
    }

    /// Prepares the hold's statements now (team mode's start), so the first removal pays no
    /// more than the later ones.
    pub async fn ready_holds(&self) -> Result<(), TeamError> {
        self.answer("prepare the card holds", self.hold_statements())
            .await
            .map(|_| ())
    }

    /// Runs one statement as this login (the tests' proof that a role may not change the
    /// trail); not for the desk's own work, which goes through the methods above.
    #[cfg(feature = "test-cluster")]
    pub async fn raw_execute(&self, sql: &str) -> Result<u64, TeamError> {
        self.answer("change the trail", self.client.execute(sql, &[]))
            .await
    }
}

/// Why a shipment did not commit.
enum Failed {
    Conflict { seq: u64, cause: String },
    Statement(tokio_postgres::Error),
}

async fn ship_in(
    client: &mut tokio_postgres::Client,
    desk: DeskId,
    entries: &[TrailEntry],
) -> Result<ShipReport, Failed> {
    let tx = client.transaction().await.map_err(Failed::Statement)?;
    let statement = tx
        .prepare("SELECT carddesk.ship($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .await
        .map_err(Failed::Statement)?;
    // Sent one after another without waiting for each answer (the driver pipelines futures
    // polled together), in order.
    let calls = entries.iter().map(|e| {
        let seq = to_i64(e.seq);
        let (statement, tx) = (&statement, &tx);
        async move {
            tx.query_one(
                statement,
                &[
                    &desk,
                    &seq,
                    &e.at,
                    &e.line,
                    &e.hash,
                    &e.prev,
                    &e.action,
                    &e.operator,
                    &e.outcome,
                    &e.customer,
                    &e.request,
                ],
            )
            .await
            .map(|row| row.get::<_, String>(0))
            .map_err(|err| (e.seq, err))
        }
    });
    let mut report = ShipReport::default();
    for answer in futures_util::future::join_all(calls).await {
        match answer {
            Ok(said) if said == "added" => report.added += 1,
            Ok(_) => report.repeats += 1,
            Err((seq, err)) => {
                return Err(match err.as_db_error() {
                    Some(db) if *db.code() == SqlState::UNIQUE_VIOLATION => Failed::Conflict {
                        seq,
                        cause: db.message().to_owned(),
                    },
                    _ => Failed::Statement(err),
                });
            }
        }
    }
    tx.commit().await.map_err(Failed::Statement)?;
    Ok(report)
}
