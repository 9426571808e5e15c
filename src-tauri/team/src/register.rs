//! Why: in team mode the desk's requests are the team's (issue 17): one register every desk
//! sees, deadlines the same for everyone, and two agents who cannot both take the same request.
//! [`PgRequestStore`] is the customer-requests register's contract (`RequestStore`, the same
//! the embedded sled store keeps) on the `carddesk.requests` table (`V2__request_register.sql`):
//! each request stored whole at a version, a change written only if the row is still at the
//! version read — checked and written in one UPDATE, under the row's lock, by the server, not
//! by the desk. It connects on first use and again after the connection drops, so a desk
//! opens it without waiting on the network. The trait is synchronous and the desk calls it on
//! blocking threads, so each call runs the async driver to completion on the runtime handed in
//! at creation (never the blocking `postgres` client, whose drop may not happen on a runtime).

use std::sync::Mutex;

use desk_requests::store::deadline_order;
use desk_requests::{Request, RequestError, RequestFilter, RequestId, RequestStore};

use crate::{TeamPassword, TeamSettings};

/// The team's register on PostgreSQL.
pub struct PgRequestStore {
    settings: TeamSettings,
    password: TeamPassword,
    runtime: tokio::runtime::Handle,
    client: Mutex<Option<tokio_postgres::Client>>,
}

impl std::fmt::Debug for PgRequestStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgRequestStore")
            .field("at", &self.settings.describe())
            .finish_non_exhaustive()
    }
}

impl PgRequestStore {
    /// The register at `settings`; nothing is dialled until it is first used. Its calls block
    /// on `runtime` (from a thread that is not driving it: the desk's blocking threads).
    pub fn new(
        settings: TeamSettings,
        password: TeamPassword,
        runtime: tokio::runtime::Handle,
    ) -> PgRequestStore {
        PgRequestStore {
            settings,
            password,
            runtime,
            client: Mutex::new(None),
        }
    }

    fn storage(&self, doing: &str, e: &tokio_postgres::Error) -> RequestError {
        let said = match e.as_db_error() {
            Some(db) => db.message().to_owned(),
            None => crate::error::root_cause(e),
        };
        let said = said.replace(self.password.expose(), "<password>");
        RequestError::Storage(format!(
            "in the team database at {}: {doing}: {said}",
            self.settings.describe()
        ))
    }

    /// Runs `f` on the connection, dialling first when there is none; a connection found
    /// closed is dropped so the next call dials again. The dial and the call together wait at
    /// most [`crate::connect::STATEMENT_BOUND`] (a call waits first for one before it on this
    /// register): then the connection is dropped — the server rolls back what it had not
    /// committed — and the answer is [`RequestError::Unanswered`], never a hang.
    fn with<T>(
        &self,
        f: impl AsyncFnOnce(&tokio_postgres::Client) -> Result<T, RequestError>,
    ) -> Result<T, RequestError> {
        let mut slot = self
            .client
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bound = crate::connect::STATEMENT_BOUND;
        // The timer is made on the runtime (this thread is not one of its own).
        let work = async {
            if slot.as_ref().is_some_and(tokio_postgres::Client::is_closed) {
                *slot = None;
            }
            if slot.is_none() {
                *slot = Some(self.dial().await?);
            }
            let Some(client) = slot.as_ref() else {
                return Err(RequestError::Storage("no connection".into()));
            };
            let out = f(client).await;
            if client.is_closed() {
                *slot = None;
            }
            out
        };
        let done = self
            .runtime
            .block_on(async { tokio::time::timeout(bound, work).await });
        done.unwrap_or_else(|_| {
            *slot = None;
            let (target, secs) = (self.settings.describe(), crate::seconds(bound));
            Err(RequestError::Unanswered {
                en: format!(
                    "the team database at {target} did not answer within {secs} s: it is slow or \
                     not answering. Nothing is known to have changed; reload and try again"
                ),
                ru: format!(
                    "база команды {target} не ответила за {secs} с: она работает медленно или не \
                     отвечает. Неизвестно, чтобы что-то изменилось; обновите и попробуйте снова"
                ),
            })
        })
    }

    async fn dial(&self) -> Result<tokio_postgres::Client, RequestError> {
        self.settings
            .check()
            .map_err(|e| RequestError::Storage(e.to_string()))?;
        // The connection task ends when the client is dropped.
        match crate::connect::dial(&self.settings, &self.password, "card-desk register").await {
            Ok((client, _connection)) => Ok(client),
            Err(crate::connect::Dial::Tls(why)) => Err(RequestError::Storage(format!(
                "TLS with {}: {why}",
                self.settings.describe()
            ))),
            Err(crate::connect::Dial::Driver(e)) => Err(self.storage("connect", &e)),
            // Within the call's own bound, which says so first.
            Err(crate::connect::Dial::Slow) => Err(RequestError::Storage(format!(
                "{} did not answer while connecting",
                self.settings.describe()
            ))),
        }
    }

    fn decode(&self, text: &str) -> Result<Request, RequestError> {
        serde_json::from_str(text).map_err(|e| {
            RequestError::Storage(format!(
                "in the team database at {}: a stored request cannot be read: {e}",
                self.settings.describe()
            ))
        })
    }
}

/// What the list filters and sorts on, copied beside the JSON.
struct Columns {
    body: String,
    status: &'static str,
    deadline: Option<time::Date>,
    assignee: Option<String>,
    customers: Vec<String>,
}

fn columns(request: &Request) -> Result<Columns, RequestError> {
    Ok(Columns {
        body: serde_json::to_string(request)
            .map_err(|e| RequestError::Storage(format!("cannot encode a request: {e}")))?,
        status: request.status().kind().as_str(),
        deadline: request.deadline().map(|d| d.due),
        assignee: request.assignee().map(str::to_owned),
        customers: request
            .subjects()
            .iter()
            .map(|s| s.customer_number.as_str().to_owned())
            .collect(),
    })
}

fn version_of(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn as_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl RequestStore for PgRequestStore {
    fn create(&self, request: &Request) -> Result<Request, RequestError> {
        if request.version() != 0 {
            return Err(RequestError::Invalid {
                field: "version".into(),
                rule: "a new request must not have been stored before".into(),
                rule_ru: Some("новое обращение не должно быть уже сохранено".into()),
            });
        }
        let stored = request.clone().stored_as(1);
        let c = columns(&stored)?;
        let added = self.with(async |client| {
            client
                .execute(
                    "INSERT INTO carddesk.requests
                        (id, version, body, status, deadline, assignee, customers)
                     VALUES ($1, 1, $2::text::jsonb, $3, $4, $5, $6)
                     ON CONFLICT (id) DO NOTHING",
                    &[
                        &stored.id().as_str(),
                        &c.body,
                        &c.status,
                        &c.deadline,
                        &c.assignee,
                        &c.customers,
                    ],
                )
                .await
                .map_err(|e| self.storage("open a request", &e))
        })?;
        if added == 0 {
            return Err(RequestError::Exists {
                id: stored.id().clone(),
            });
        }
        Ok(stored)
    }

    fn get(&self, id: &RequestId) -> Result<Request, RequestError> {
        let row = self.with(async |client| {
            client
                .query_opt(
                    "SELECT body::text FROM carddesk.requests WHERE id = $1",
                    &[&id.as_str()],
                )
                .await
                .map_err(|e| self.storage("read a request", &e))
        })?;
        match row {
            Some(r) => self.decode(&r.get::<_, String>(0)),
            None => Err(RequestError::NotFound { id: id.clone() }),
        }
    }

    fn list(&self, filter: &RequestFilter) -> Result<Vec<Request>, RequestError> {
        let open: Vec<&str> = ["new", "in_progress"].into();
        let rows = self.with(async |client| {
            client
                .query(
                    "SELECT body::text FROM carddesk.requests
                      WHERE (NOT $1 OR status = ANY($2))
                        AND ($3::text IS NULL OR $3 = ANY(customers))",
                    &[&filter.open_only, &open, &filter.customer_number],
                )
                .await
                .map_err(|e| self.storage("list requests", &e))
        })?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let request = self.decode(&row.get::<_, String>(0))?;
            if filter.matches(&request) {
                out.push(request);
            }
        }
        out.sort_by(deadline_order);
        Ok(out)
    }

    fn update(&self, request: &Request) -> Result<Request, RequestError> {
        let id = request.id();
        let stored = request.clone().stored_as(request.version() + 1);
        let c = columns(&stored)?;
        // The check and the write are one statement: the row's lock orders two agents'
        // changes, and the second finds the version moved.
        let found = self.with(async |client| {
            let written = client
                .execute(
                    "UPDATE carddesk.requests
                        SET version = $2, body = $3::text::jsonb, status = $4, deadline = $5,
                            assignee = $6, customers = $7, updated_at = now(),
                            updated_by = current_user
                      WHERE id = $1 AND version = $8",
                    &[
                        &id.as_str(),
                        &as_i64(stored.version()),
                        &c.body,
                        &c.status,
                        &c.deadline,
                        &c.assignee,
                        &c.customers,
                        &as_i64(request.version()),
                    ],
                )
                .await
                .map_err(|e| self.storage("change a request", &e))?;
            if written == 1 {
                return Ok(None);
            }
            client
                .query_opt(
                    "SELECT version FROM carddesk.requests WHERE id = $1",
                    &[&id.as_str()],
                )
                .await
                .map(|row| Some(row.map(|r| version_of(r.get(0)))))
                .map_err(|e| self.storage("read a request", &e))
        })?;
        match found {
            None => Ok(stored),
            Some(None) => Err(RequestError::NotFound { id: id.clone() }),
            Some(Some(found)) => Err(RequestError::Stale {
                id: id.clone(),
                expected: request.version(),
                found,
            }),
        }
    }
}
