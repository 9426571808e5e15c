//! Why: the ticket a request came from should learn what happened to it without an agent
//! copying it over (docs/webhooks.md). This is the desk's side of that write-back: the
//! webhook's address lives in Settings and its signing secret in the keyring; when a request
//! is opened, changes status or has a card removed, an event goes into the on-disk outbox
//! (`desk-outbox`) in the same call that wrote the audit entry; the app runs the delivery
//! loop; Settings shows what waits, what failed and why, and lets a person retry or discard.
//! With no address set, nothing is queued.

use std::path::PathBuf;
use std::sync::Mutex;

use desk_outbox::{
    Deliverer, EventId, EventKind, History, NewEvent, Outbox, OutboxError, PendingEvent, Policy,
    SystemClock, WebhookSecret,
};
use desk_requests::Request;
use serde::Serialize;
use time::OffsetDateTime;
use tokio::task::JoinHandle;
use zeroize::Zeroizing;

use super::*;
use crate::words::Words;

/// The outbox's folder under the data dir.
const OUTBOX_DIR: &str = "outbox";
/// The keyring account of the webhook's signing secret.
pub const WEBHOOK_SECRET_ACCOUNT: &str = "webhook:secret";

const SECRET: Words<'static> = Words::new("webhook secret", "секрет вебхука");

/// What Settings shows of the write-back. Never the secret; the address is the agent's own
/// setting and is shown as saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct WriteBackView {
    /// The webhook's address from Settings; empty when write-back is off.
    pub url: String,
    /// Whether a signing secret is stored; `None` when the keyring could not be asked.
    pub secret_stored: Option<bool>,
    /// Whether the delivery loop is running in this app.
    pub delivering: bool,
    /// Events not delivered yet, oldest first (waiting, behind an earlier one, or failed).
    pub pending: Vec<PendingEvent>,
    /// What was delivered or discarded: totals and the most recent.
    pub history: History,
    /// Why events cannot be queued or sent at the moment (the outbox's disk, a missing
    /// secret), in words; `None` when nothing stands in the way.
    pub problem: Option<String>,
}

/// The outbox (opened on first use) and the delivery loop this process runs, if any.
pub(super) struct WriteBack {
    dir: PathBuf,
    outbox: Mutex<Option<Outbox>>,
    delivery: Mutex<Option<(Deliverer, JoinHandle<()>)>>,
    /// The last failure to queue an event: the request's change stands (it is in the audit
    /// log), and Settings says its event is missing.
    enqueue_failure: Mutex<Option<String>>,
}

impl Drop for WriteBack {
    fn drop(&mut self) {
        if let Some((_, task)) = lock(&self.delivery).take() {
            task.abort();
        }
    }
}

impl WriteBack {
    pub(super) fn new(data_dir: &std::path::Path) -> WriteBack {
        WriteBack {
            dir: data_dir.join(OUTBOX_DIR),
            outbox: Mutex::new(None),
            delivery: Mutex::new(None),
            enqueue_failure: Mutex::new(None),
        }
    }

    fn outbox(&self) -> Result<Outbox, DeskError> {
        let mut slot = lock(&self.outbox);
        if let Some(o) = slot.as_ref() {
            return Ok(o.clone());
        }
        let opened = Outbox::open(&self.dir).map_err(outbox_error)?;
        *slot = Some(opened.clone());
        Ok(opened)
    }

    /// Queues `event`; a failure is kept for Settings to show and written to stderr, never
    /// returned: the change it reports is already done and recorded.
    async fn enqueue(&self, event: NewEvent) {
        let queued = match self.outbox() {
            Ok(outbox) => blocking(move || outbox.enqueue(event).map_err(outbox_error)).await,
            Err(e) => Err(e),
        };
        let mut failure = lock(&self.enqueue_failure);
        match queued {
            Ok(_) => *failure = None,
            Err(e) => {
                eprintln!(
                    "card-desk: a webhook event could not be queued: {}",
                    e.message
                );
                *failure = Some(format!("an event could not be queued: {}", e.message));
            }
        }
    }

    fn stop(&self) {
        if let Some((_, task)) = lock(&self.delivery).take() {
            task.abort();
        }
    }
}

fn outbox_error(e: OutboxError) -> DeskError {
    let code = match e.kind() {
        desk_outbox::ErrorKind::Validation => ErrorCode::Validation,
        desk_outbox::ErrorKind::NotFound => ErrorCode::NotFound,
        _ => ErrorCode::Internal,
    };
    DeskError::new(code, e.to_string()).with_field(e.field())
}

/// The webhook address rule, checked when Settings are saved (the outbox's own rule, said in
/// the desk's two languages).
pub(crate) fn check_webhook_url(url: &str) -> Result<(), DeskError> {
    if url.trim().is_empty() {
        return Ok(());
    }
    desk_outbox::check_url(url).map_err(|_| {
        DeskError::invalid(
            "webhook_url",
            Words::new("webhook URL", "адрес вебхука"),
            Words::new(
                "must be a full https:// address (plain http only to this machine: localhost, \
                 127.0.0.1)",
                "должен быть полным адресом https:// (http — только к этому компьютеру: \
                 localhost, 127.0.0.1)",
            ),
        )
    })
}

/// A request's status, as an event.
fn status_event(request: &Request, at: OffsetDateTime, audit_hash: &str) -> NewEvent {
    NewEvent {
        kind: EventKind::StatusChanged,
        occurred_at: at,
        request_id: request.id().to_string(),
        ticket: request.ticket().map(str::to_owned),
        request_type: request.kind().as_str().to_owned(),
        masked_cards: Vec::new(),
        outcome: None,
        audit_hash: Some(audit_hash.to_owned()),
        status: Some(request.status().kind().as_str().to_owned()),
    }
}

impl Desk {
    fn webhook_url(&self) -> Option<String> {
        let url = self.settings().webhook_url;
        (!url.trim().is_empty()).then(|| url.trim().to_owned())
    }

    /// Queues a status event for `request` (just opened or changed), when write-back is on.
    pub(super) async fn write_back_status(&self, request: &Request, audit_hash: &str) {
        if self.webhook_url().is_none() {
            return;
        }
        let event = status_event(request, OffsetDateTime::now_utc(), audit_hash);
        self.write_back.enqueue(event).await;
    }

    /// Queues a removal done for `request`, when write-back is on.
    pub(super) async fn write_back_removal(&self, request: &Request, revocation: &Revocation) {
        if self.webhook_url().is_none() {
            return;
        }
        let event = NewEvent {
            kind: EventKind::CardRemoved,
            occurred_at: OffsetDateTime::now_utc(),
            request_id: request.id().to_string(),
            ticket: request.ticket().map(str::to_owned),
            request_type: request.kind().as_str().to_owned(),
            masked_cards: vec![revocation.masked.clone()],
            outcome: Some(revocation.outcome.as_str().to_owned()),
            audit_hash: Some(revocation.audit_hash.clone()),
            status: None,
        };
        self.write_back.enqueue(event).await;
    }

    /// Stores the webhook's signing secret in the keyring (at least 16 characters) and
    /// restarts delivery with it.
    pub async fn set_webhook_secret(&self, secret: String) -> Result<(), DeskError> {
        let secret = Zeroizing::new(secret);
        WebhookSecret::new(secret.as_str()).map_err(|_| {
            DeskError::invalid(
                "webhook_secret",
                SECRET,
                Words::new(
                    "must be at least 16 characters (the receiver's shared secret)",
                    "не короче 16 символов (общий секрет с получателем)",
                ),
            )
        })?;
        secrets::blocking(self.secrets.clone(), move |s| {
            s.put(WEBHOOK_SECRET_ACCOUNT, secret.as_str())
        })
        .await?;
        self.start_write_back().await
    }

    /// Removes the signing secret; delivery stops (events keep waiting on disk).
    pub async fn clear_webhook_secret(&self) -> Result<(), DeskError> {
        secrets::blocking(self.secrets.clone(), |s| s.remove(WEBHOOK_SECRET_ACCOUNT)).await?;
        self.write_back.stop();
        Ok(())
    }

    /// (Re)starts the delivery loop with the address in Settings and the secret in the
    /// keyring; stops it when either is missing. The app calls it at start and after each
    /// change of either; `carddesk` never does (its events wait for the app).
    pub async fn start_write_back(&self) -> Result<(), DeskError> {
        self.write_back.stop();
        let Some(url) = self.webhook_url() else {
            return Ok(());
        };
        let secret =
            secrets::blocking(self.secrets.clone(), |s| s.get(WEBHOOK_SECRET_ACCOUNT)).await?;
        let Some(secret) = secret else {
            return Ok(());
        };
        let secret = WebhookSecret::new(secret.as_str()).map_err(outbox_error)?;
        let outbox = self.write_back.outbox()?;
        let deliverer =
            Deliverer::new(outbox, &url, secret, Policy::default()).map_err(outbox_error)?;
        let task = tokio::spawn(
            deliverer
                .clone()
                .run(SystemClock, std::future::pending::<()>()),
        );
        *lock(&self.write_back.delivery) = Some((deliverer, task));
        Ok(())
    }

    /// Saves `settings` as [`Desk::save_settings`] does and, when the webhook's address
    /// changed, restarts delivery to the new one (or stops it): what the app's Settings call.
    pub async fn save_settings_live(&self, settings: Settings) -> Result<Settings, DeskError> {
        let before = self.settings().webhook_url;
        let saved = self.save_settings(settings)?;
        if saved.webhook_url != before {
            self.start_write_back().await?;
        }
        Ok(saved)
    }

    /// What Settings shows: the address, whether a secret is stored, what waits and what left.
    pub async fn write_back_view(&self) -> Result<WriteBackView, DeskError> {
        let url = self.settings().webhook_url;
        let secret_stored = secrets::blocking(self.secrets.clone(), |s| {
            s.get(WEBHOOK_SECRET_ACCOUNT).map(|v| v.is_some())
        })
        .await
        .ok();
        let (pending, history) = match self.write_back.outbox() {
            Ok(outbox) => {
                blocking(move || {
                    Ok((
                        outbox.pending().map_err(outbox_error)?,
                        outbox.history().map_err(outbox_error)?,
                    ))
                })
                .await?
            }
            // Write-back is off: an outbox that cannot be opened is nobody's concern.
            Err(_) if url.trim().is_empty() => (Vec::new(), History::default()),
            Err(e) => return Err(e),
        };
        let delivering = lock(&self.write_back.delivery)
            .as_ref()
            .is_some_and(|(_, task)| !task.is_finished());
        let loop_problem = lock(&self.write_back.delivery)
            .as_ref()
            .and_then(|(d, _)| d.problem());
        let problem = lock(&self.write_back.enqueue_failure)
            .clone()
            .or(loop_problem)
            .or_else(|| {
                (!url.trim().is_empty() && secret_stored == Some(false))
                    .then(|| "no signing secret is stored: events wait until one is set".to_owned())
            });
        Ok(WriteBackView {
            url,
            secret_stored,
            delivering,
            pending,
            history,
            problem,
        })
    }

    /// Sends a failed event again (its request's later events follow it).
    pub async fn write_back_retry(&self, id: &str) -> Result<(), DeskError> {
        let id = EventId::parse(id).map_err(outbox_error)?;
        let outbox = self.write_back.outbox()?;
        blocking(move || outbox.retry(&id).map_err(outbox_error)).await
    }

    /// Drops a failed event for good, so its request's later events can go.
    pub async fn write_back_discard(&self, id: &str) -> Result<(), DeskError> {
        let id = EventId::parse(id).map_err(outbox_error)?;
        let outbox = self.write_back.outbox()?;
        blocking(move || {
            outbox
                .discard(&id, OffsetDateTime::now_utc())
                .map_err(outbox_error)
        })
        .await
    }
}
