//! Why: the dry run and the run share one engine — rows streamed from the journal to a fixed
//! number of workers through a bounded channel (memory flat in row count), a token bucket,
//! pause/cancel, progress — while each removal goes through [`crate::Revoker`] with the
//! journal flushed before it is sent and after its outcome. On resume, rows left `in_flight`
//! are re-checked against a fresh list: gone means done (confirmed by re-check; an open
//! intent is settled by the revoker's recovery path), listed means the row runs again.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use assist::{Card, Client, CustomerNumber, Pace};
use serde::Serialize;
use tokio::sync::mpsc;

use crate::audit::{AuditLog, AuditOutcome, now_rfc3339_ms, token_fingerprint};
use crate::revoke::RevokeRequest;
use crate::{DeskError, Revoker};

use super::control::{JobControl, MAX_REFUSAL_BACKOFF};
use super::row::{CardState, PlanClass, RowRecord, RowState};
use super::{BulkJob, list_with_backoff, planned_card, resolve};

/// Rows a run keeps in hand per allowed request in flight (see [`BulkJob::run`]).
pub const ROWS_PER_REQUEST_SLOT: usize = 4;

/// Concurrency (gateway requests in flight) and request rate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RunOptions {
    pub concurrency: usize,
    /// The most gateway requests per second across all workers; `None`: no ceiling. The job
    /// goes slower when the gateway's rate limit refuses requests (`assist::Pace`).
    pub rate: Option<f64>,
    /// How long a row may keep being refused by the gateway's rate limit before it ends as
    /// failed, in seconds; `None`: [`DEFAULT_PATIENCE`].
    #[serde(default)]
    #[ts(optional)]
    pub patience_secs: Option<u64>,
}

/// The most gateway requests a job may have in flight ([`RunOptions::concurrency`]).
pub const CONCURRENCY_MAX: usize = 16;
/// The highest request rate a job may ask for, per second ([`RunOptions::rate`]).
pub const RATE_MAX: f64 = 1000.0;

/// How long a row may keep being refused for the gateway's rate before it ends as failed.
pub const DEFAULT_PATIENCE: Duration = Duration::from_secs(600);

impl RunOptions {
    /// [`RunOptions::patience_secs`] as a duration.
    pub fn patience(&self) -> Duration {
        self.patience_secs
            .map_or(DEFAULT_PATIENCE, Duration::from_secs)
    }
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            concurrency: 4,
            rate: Some(20.0),
            patience_secs: None,
        }
    }
}

/// Counts for a progress bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Rows this pass works on.
    pub total: u64,
    /// Rows finished this pass (any final state).
    pub finished: u64,
    pub done: u64,
    pub failed: u64,
    pub held: u64,
    pub skipped: u64,
    /// Rows per second so far.
    pub rate: f64,
    pub eta_seconds: Option<f64>,
    /// Gateway requests per second the job sends at now (its pace, at most the rate asked
    /// for); `None`: not paced (no ceiling and no refusal yet).
    pub pace: Option<f64>,
    /// The gateway's rate limit is holding the job back: the pace was cut in the last few
    /// seconds, or the gateway asked to wait (`Retry-After`); refused requests are retried.
    pub limited: bool,
    /// Gateway requests refused for their rate so far in this pass (each tried again).
    pub refused: u64,
}

pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

#[derive(Default)]
struct Counters {
    total: AtomicU64,
    finished: AtomicU64,
    done: AtomicU64,
    failed: AtomicU64,
    held: AtomicU64,
    skipped: AtomicU64,
}

struct Engine {
    job: BulkJob,
    client: Client,
    revoker: Option<Arc<Revoker>>,
    /// The job's request pace, shared by all its clients (every request, retries included).
    pace: Arc<Pace>,
    /// How long a row may keep being refused for the gateway's rate.
    patience: Duration,
    control: JobControl,
    counters: Counters,
    progress: Option<ProgressFn>,
    started: Instant,
    meta: super::JobMeta,
    /// Plan: which row removes each card (by token fingerprint), so that a second row that
    /// resolves to the same card is "covered" and never sent. Locked while a row's record is
    /// written, so a row that takes a card over from a later row sees that row's record.
    covering: std::sync::Mutex<HashMap<u64, u64>>,
    /// Run: one lane per customer, so one customer's removals run one after another.
    customers: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Set when the pass must stop — the gateway cannot be reached, or the disk is full — so
    /// that every next row would fail the same way (and a failed row is not retried by a
    /// resume). The control is cancelled; the rows in hand stay as they were.
    stopped: std::sync::Mutex<Option<Stop>>,
    /// Resume: cards left in flight whose removal the audit log shows as sent (an intent of
    /// this profile since the job was created), by fingerprint: the intent's seq and its
    /// latest outcome. Such a card is never sent again.
    sent_before: HashMap<String, (u64, Option<AuditOutcome>)>,
}

/// `delay` ± 20 %, so that rows refused together do not all come back at the same moment.
fn jittered(delay: Duration) -> Duration {
    let unit = getrandom::u32().map_or(0.5, |r| f64::from(r) / f64::from(u32::MAX));
    delay.mul_f64(0.8 + 0.4 * unit)
}

/// Why a pass stopped before its end (see [`Engine::stopped`]).
enum Stop {
    /// No connection to the gateway could be made.
    Unreachable(assist::Error),
    /// The desk's data could not be written: the disk is full.
    DiskFull(DeskError),
}

/// A card fingerprint (12 hex digits) as a map key; `None` for a malformed one.
fn fingerprint_key(fingerprint: &str) -> Option<u64> {
    u64::from_str_radix(fingerprint, 16).ok()
}

/// Marks `card` as covered by `row` (nothing will be sent for it from this row).
fn mark_covered(card: &mut super::PlannedCard, row: u64) {
    card.state = CardState::Skipped;
    card.outcome = Some("covered".to_owned());
    card.fault = Some(format!(
        "covered by row {row}: the same card; removed there, never sent twice"
    ));
}

/// A row's state and message once some of its cards may be covered by other rows.
fn settle_coverage(record: &mut RowRecord) {
    let covered: Vec<&str> = record
        .cards
        .iter()
        .filter(|c| c.outcome.as_deref() == Some("covered"))
        .filter_map(|c| c.fault.as_deref())
        .collect();
    if covered.is_empty() {
        return;
    }
    let rows: Vec<&str> = covered
        .iter()
        .filter_map(|f| f.strip_prefix("covered by row ")?.split(':').next())
        .collect();
    let mut rows = rows;
    rows.sort_unstable();
    rows.dedup();
    let rows = rows.join(", ");
    if covered.len() == record.cards.len() {
        record.state = RowState::Skipped;
        record.class = Some(PlanClass::Covered);
        record.message = Some(format!(
            "covered by row {rows}: the same card; nothing is sent for this row"
        ));
    } else {
        record.message = Some(format!(
            "{} of its {} cards covered by row {rows}",
            covered.len(),
            record.cards.len()
        ));
    }
}

impl Engine {
    fn report(&self) {
        let Some(p) = &self.progress else { return };
        let c = &self.counters;
        let finished = c.finished.load(Ordering::Relaxed);
        let total = c.total.load(Ordering::Relaxed);
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let rate = finished as f64 / secs;
        let pace = self.pace.status();
        let left = total.saturating_sub(finished) as f64;
        // Held back by the gateway, the rows' average so far says little: the time left is
        // what the current pace allows (a listing, a removal and its read-back a row).
        let eta_seconds = match pace.rate {
            Some(r) if pace.limited && r > 0.0 => Some(left * 3.0 / r),
            _ => (rate > 0.0).then(|| left / rate),
        };
        p(&Progress {
            total,
            finished,
            done: c.done.load(Ordering::Relaxed),
            failed: c.failed.load(Ordering::Relaxed),
            held: c.held.load(Ordering::Relaxed),
            skipped: c.skipped.load(Ordering::Relaxed),
            rate,
            eta_seconds,
            pace: pace.rate,
            limited: pace.limited,
            refused: pace.refusals,
        });
    }

    fn finish(&self, state: RowState) {
        let c = &self.counters;
        c.finished.fetch_add(1, Ordering::Relaxed);
        match state {
            RowState::Done => c.done.fetch_add(1, Ordering::Relaxed),
            RowState::Failed => c.failed.fetch_add(1, Ordering::Relaxed),
            RowState::Held => c.held.fetch_add(1, Ordering::Relaxed),
            _ => c.skipped.fetch_add(1, Ordering::Relaxed),
        };
        self.report();
    }

    async fn list(&self, customer: &CustomerNumber) -> Result<Vec<Card>, assist::Error> {
        list_with_backoff(&self.client, customer, &self.control, self.patience).await
    }

    /// Stops the pass (see [`Engine::stopped`]).
    fn stop(&self, why: Stop) {
        let mut slot = desk_store::lock(&self.stopped);
        slot.get_or_insert(why);
        self.control.cancel();
    }

    /// The error a pass that was stopped ends with.
    fn stop_error(&self) -> Option<DeskError> {
        let slot = desk_store::lock(&self.stopped);
        let resume = format!(
            "resume it (`carddesk bulk resume {}`, or Resume in the app)",
            self.meta.id
        );
        let resume_ru = format!(
            "продолжите его («Продолжить» в приложении или `carddesk bulk resume {}`)",
            self.meta.id
        );
        slot.as_ref().map(|why| match why {
            Stop::Unreachable(e) => DeskError::new(
                crate::ErrorCode::Transport,
                format!(
                    "the gateway cannot be reached ({e}): the job stopped and sent nothing \
                     more; {resume} once the gateway answers"
                ),
            )
            .ru(format!(
                "шлюз недоступен ({}): задание остановлено и больше ничего не отправляет; \
                 {resume_ru}, когда шлюз ответит",
                e.render(assist::Language::Ru)
            )),
            Stop::DiskFull(e) => DeskError::new(
                e.code,
                format!(
                    "the disk is full ({}): the job stopped and sent nothing more; free some \
                     space, then {resume}",
                    e.message
                ),
            )
            .ru(format!(
                "диск заполнен ({}): задание остановлено и больше ничего не отправляет; \
                 освободите место, затем {resume_ru}",
                e.text(crate::UiLanguage::Ru)
            )),
        })
    }

    /// Keeps the rate the pace settled on in the job's journal once the gateway has refused
    /// anything (see [`super::JobMeta::settled_rate`]).
    fn keep_pace(&self) -> Result<(), DeskError> {
        let status = self.pace.status();
        let mut meta = self.job.meta()?;
        if (status.refusals > 0 || meta.settled_rate.is_some()) && meta.settled_rate != status.rate
        {
            meta.settled_rate = status.rate;
            self.job.journal.put_meta(&meta)?;
        }
        Ok(())
    }

    /// The dry run of one row.
    async fn plan_row(&self, mut record: RowRecord) -> Result<(), DeskError> {
        let Some(input) = record.input.clone() else {
            return Ok(());
        };
        let customer = CustomerNumber::new(input.customer.clone())?;
        record.time = Some(now_rfc3339_ms());
        match self.list(&customer).await {
            Err(e) if e.is_unreachable() => {
                // Left pending: the next pass plans it.
                self.stop(Stop::Unreachable(e));
                return Ok(());
            }
            Err(e) => {
                record.state = RowState::Failed;
                record.class = Some(PlanClass::ListFailed);
                record.message = Some(format!("the card list could not be read: {e}"));
            }
            Ok(cards) => {
                let (class, chosen) = resolve(&input, &cards, self.meta.erasure);
                record.class = Some(class);
                record.cards = chosen.into_iter().map(planned_card).collect();
                let (state, message) = match class {
                    PlanClass::Exact | PlanClass::All => (RowState::Planned, None),
                    PlanClass::None => (
                        RowState::Skipped,
                        Some("the customer has no saved cards".to_owned()),
                    ),
                    PlanClass::NoMatch => (
                        RowState::Held,
                        Some("no listed card matches the row's token, last4 or expiry".to_owned()),
                    ),
                    PlanClass::Ambiguous => (
                        RowState::Held,
                        Some(format!(
                            "{} cards match; held for a person to choose",
                            record.cards.len()
                        )),
                    ),
                    PlanClass::NeedsErasure => (
                        RowState::Held,
                        Some(
                            "no card filter (token or last4) and the job is not marked erasure"
                                .to_owned(),
                        ),
                    ),
                    _ => (RowState::Failed, None),
                };
                record.state = state;
                record.message = message;
            }
        }
        let taken_over = self.cover_and_put(&mut record)?;
        if record.state.is_final() {
            self.finish(record.state);
        } else {
            self.counters.finished.fetch_add(1, Ordering::Relaxed);
            self.report();
        }
        for _ in 0..taken_over {
            self.counters.skipped.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Writes a planned row, merging cards that an other row already removes: the earlier
    /// row (by row number) keeps the card, the later one is covered. Returns how many later
    /// rows this one took every card from (they became skipped).
    fn cover_and_put(&self, record: &mut RowRecord) -> Result<u64, DeskError> {
        let mut covering = self
            .covering
            .lock()
            .map_err(|_| DeskError::internal("the plan's card map is poisoned"))?;
        let mut later_rows = Vec::new();
        if record.state == RowState::Planned {
            for card in &mut record.cards {
                let Some(key) = fingerprint_key(&card.fingerprint) else {
                    continue;
                };
                match covering.get(&key).copied() {
                    Some(first) if first < record.row => mark_covered(card, first),
                    Some(later) if later > record.row => {
                        covering.insert(key, record.row);
                        later_rows.push((later, card.fingerprint.clone()));
                    }
                    Some(_) => {}
                    None => {
                        covering.insert(key, record.row);
                    }
                }
            }
            settle_coverage(record);
        }
        self.job.journal.put(record)?;
        let mut emptied = 0;
        for (row, fingerprint) in later_rows {
            let Some(mut later) = self.job.journal.get(row)? else {
                continue;
            };
            let was_skipped = later.state == RowState::Skipped;
            for card in later
                .cards
                .iter_mut()
                .filter(|c| c.fingerprint == fingerprint)
            {
                mark_covered(card, record.row);
            }
            settle_coverage(&mut later);
            if !was_skipped && later.state == RowState::Skipped {
                emptied += 1;
            }
            self.job.journal.put(&later)?;
        }
        Ok(emptied)
    }

    /// The lane of one customer's removals in this run (see [`Engine::customers`]).
    fn customer_lane(&self, customer: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut lanes = desk_store::lock(&self.customers);
        lanes.entry(customer.to_owned()).or_default().clone()
    }

    fn leave_lane(&self, customer: &str, lane: Arc<tokio::sync::Mutex<()>>) {
        let mut lanes = desk_store::lock(&self.customers);
        // Ours and the map's: nobody else waits on it.
        if Arc::strong_count(&lane) == 2 {
            lanes.remove(customer);
        }
    }

    /// Loads the card map from rows planned by an earlier pass (a plan resumed after a crash).
    fn load_covering(&self) -> Result<(), DeskError> {
        let mut covering = self
            .covering
            .lock()
            .map_err(|_| DeskError::internal("the plan's card map is poisoned"))?;
        for record in self.job.rows() {
            let record = record?;
            for card in &record.cards {
                if card.outcome.as_deref() == Some("covered") {
                    continue;
                }
                if let Some(key) = fingerprint_key(&card.fingerprint) {
                    let first = covering.entry(key).or_insert(record.row);
                    *first = (*first).min(record.row);
                }
            }
        }
        Ok(())
    }

    fn request(&self, record: &RowRecord, card: &Card) -> Result<RevokeRequest, DeskError> {
        let revoker = self.revoker()?;
        let input = record
            .input
            .as_ref()
            .ok_or_else(|| DeskError::internal("a planned row without input"))?;
        let reason = input
            .reason
            .unwrap_or(if self.meta.erasure && !input.has_card_filter() {
                crate::audit::Reason::ErasureRequest
            } else {
                self.meta.reason
            });
        let ticket = input
            .ticket
            .clone()
            .or_else(|| self.meta.ticket.clone())
            .unwrap_or_else(|| format!("bulk {} row {}", self.meta.id, record.row));
        Ok(RevokeRequest {
            profile_id: revoker.profile().id.clone(),
            customer: input.customer.clone(),
            token: card.token.clone(),
            last4_confirmation: card.last4.clone(),
            reason,
            note: input.note.clone().or_else(|| self.meta.note.clone()),
            ticket: Some(ticket),
            customer_confirmation: Some(input.customer.clone()),
            // No reply to a customer is written from a bulk job.
            utc_offset_minutes: None,
            request: None,
        })
    }

    fn revoker(&self) -> Result<&Arc<Revoker>, DeskError> {
        self.revoker
            .as_ref()
            .ok_or_else(|| DeskError::internal("a run without a revoker"))
    }

    /// Runs one planned (or interrupted) row: one card at a time, journal flushed around
    /// each removal.
    async fn run_row(&self, record: RowRecord) -> Result<(), DeskError> {
        let Some(customer) = record.input.as_ref().map(|i| i.customer.clone()) else {
            return Ok(());
        };
        let lane = self.customer_lane(&customer);
        let turn = lane.lock().await;
        let result = self.run_row_in_lane(record).await;
        drop(turn);
        self.leave_lane(&customer, lane);
        result
    }

    /// [`Engine::run_row`] once no other row of the same customer is running.
    async fn run_row_in_lane(&self, mut record: RowRecord) -> Result<(), DeskError> {
        let Some(input) = record.input.clone() else {
            return Ok(());
        };
        let customer = CustomerNumber::new(input.customer.clone())?;
        let mut current: Option<Vec<Card>> = None;
        'cards: for i in 0..record.cards.len() {
            // Refused for the gateway's rate: since when, and the next wait.
            let mut refused_since: Option<Instant> = None;
            let mut backoff = Duration::from_millis(250);
            'attempt: loop {
                // Pause and cancel act before every removal (a run has several rows in hand per
                // request slot, and an erasure row can hold many cards).
                if !self.control.proceed().await {
                    break 'cards;
                }
                let state = record.cards[i].state;
                if !matches!(state, CardState::Planned | CardState::InFlight) {
                    continue 'cards;
                }
                let cards = match current.take() {
                    Some(c) => c,
                    None => match self.list(&customer).await {
                        Ok(c) => c,
                        Err(e) if e.is_unreachable() => {
                            // Nothing sent for this card in this pass; it stays as it was.
                            self.stop(Stop::Unreachable(e));
                            break 'cards;
                        }
                        Err(e) => {
                            // Nothing was sent for this card in this pass; an in-flight card stays
                            // in flight so the next resume re-checks it.
                            let card = &mut record.cards[i];
                            if state == CardState::Planned {
                                card.state = CardState::Failed;
                                card.outcome = Some("not_sent".to_owned());
                            }
                            card.fault = Some(format!("the card list could not be read: {e}"));
                            card.time = Some(now_rfc3339_ms());
                            continue 'cards;
                        }
                    },
                };
                let fingerprint = record.cards[i].fingerprint.clone();
                let Some(card) = cards
                    .iter()
                    .find(|c| token_fingerprint(&c.token) == fingerprint)
                    .cloned()
                else {
                    let c = &mut record.cards[i];
                    c.time = Some(now_rfc3339_ms());
                    if state == CardState::InFlight {
                        c.state = CardState::Done;
                        c.outcome =
                            Some(AuditOutcome::RemovedConfirmedByRecheck.as_str().to_owned());
                        c.fault = Some(
                            "interrupted; a re-check after restart found the card gone".to_owned(),
                        );
                    } else {
                        c.state = CardState::Skipped;
                        c.outcome = Some("not_listed".to_owned());
                        c.fault = Some(
                            "no longer listed when its turn came; nothing was sent".to_owned(),
                        );
                    }
                    // Carried by the row's next write, as an outcome is (below).
                    current = Some(cards);
                    continue 'cards;
                };
                if state == CardState::InFlight
                    && let Some((intent, outcome)) = self.sent_before.get(&fingerprint)
                    && *outcome != Some(AuditOutcome::NotRemoved)
                {
                    // Sent before and still listed, its outcome not known: a second removal is
                    // exactly what the desk never sends. It stays in flight: the next resume (or
                    // audit recover) checks again. Only once recovery has settled it "not
                    // removed" (its process gone, the gateway given ample time) is a new removal
                    // sent for the card.
                    let c = &mut record.cards[i];
                    c.time = Some(now_rfc3339_ms());
                    c.outcome = Some(AuditOutcome::Unknown.as_str().to_owned());
                    c.fault = Some(format!(
                        "its removal was sent before (audit intent {intent}) and the card is still \
                     listed: the gateway may still be working — not sent again; resume later \
                     to check again"
                    ));
                    c.audit_seq = Some(*intent);
                    current = Some(cards);
                    continue 'cards;
                }
                let request = self.request(&record, &card)?;
                // The rate limiter may have held this row for a while: a pause or cancel that
                // came meanwhile is honoured before anything is written or sent.
                if !self.control.proceed().await {
                    break 'cards;
                }
                record.state = RowState::InFlight;
                record.cards[i].state = CardState::InFlight;
                self.job.journal.put_flushed(&record).await?;
                let result = self.revoker()?.revoke_with_list(&request, &cards).await;
                let c = &mut record.cards[i];
                c.time = Some(now_rfc3339_ms());
                match result {
                    Ok(r) if r.unreachable => {
                        // No connection: nothing was sent (its audit entry says "not
                        // removed"). The card goes back to planned and the pass stops.
                        c.state = CardState::Planned;
                        c.outcome = None;
                        c.fault = r.detail.clone();
                        c.audit_seq = Some(r.audit_seq);
                        self.stop(Stop::Unreachable(assist::Error::Transport {
                            status: None,
                            detail: r.detail.clone().unwrap_or_default(),
                        }));
                        break 'cards;
                    }
                    Ok(r) if r.refused_for_rate => {
                        // Refused for the gateway's rate: not processed (that much is certain), so
                        // the card goes back to the queue and is tried again after a backoff —
                        // fresh list, new claim, intent and read-back — while the job's pace slows
                        // every request down. Its audit entries say "not removed" each time; a
                        // crash meanwhile leaves it in flight with that outcome, which a resume
                        // re-checks and sends again only if still listed.
                        let since = *refused_since.get_or_insert_with(Instant::now);
                        c.outcome = Some(r.outcome.as_str().to_owned());
                        c.audit_seq = Some(r.audit_seq);
                        let why = r
                            .fault_codes
                            .clone()
                            .or(r.detail.clone())
                            .unwrap_or_default();
                        if since.elapsed() < self.patience {
                            c.state = CardState::Planned;
                            c.fault = Some(format!(
                                "refused by the gateway's rate limit ({why}); trying again"
                            ));
                            if !self.control.wait(jittered(backoff)).await {
                                break 'cards;
                            }
                            backoff = (backoff * 2).min(MAX_REFUSAL_BACKOFF);
                            continue 'attempt;
                        }
                        c.state = CardState::Failed;
                        c.fault = Some(format!(
                            "refused by the gateway's rate limit ({why}) for {} s on end; nothing \
                         was removed — resume the job later, or lower its rate",
                            self.patience.as_secs()
                        ));
                    }
                    Ok(r) => {
                        c.state = if r.outcome.card_gone() {
                            CardState::Done
                        } else if r.outcome == AuditOutcome::Unknown {
                            // Not final: a resume checks it again (and never resends it).
                            CardState::InFlight
                        } else {
                            CardState::Failed
                        };
                        c.outcome = Some(r.outcome.as_str().to_owned());
                        c.fault = r.fault_codes.clone().or(r.detail.clone());
                        c.audit_seq = Some(r.audit_seq);
                    }
                    Err(e) if e.code == crate::ErrorCode::AuditLog => {
                        // The removal may have been sent and its outcome entry not written: the
                        // card stays in flight, so the next resume settles it from the audit
                        // log and a fresh list (and never sends it twice).
                        c.fault = Some(e.message.clone());
                    }
                    Err(e) if e.is_disk_full() => {
                        // The claim, the intent or the outcome could not be written. Without
                        // an intent nothing was sent: the card goes back to planned; with
                        // one (an audit-log error after the removal) it stays in flight for
                        // the resume to settle. Either way the pass stops.
                        if e.code != crate::ErrorCode::AuditLog {
                            c.state = CardState::Planned;
                        }
                        c.fault = Some(e.message.clone());
                        self.stop(Stop::DiskFull(e));
                        break 'cards;
                    }
                    Err(e) if e.code == crate::ErrorCode::RemovalInProgress => {
                        // Another process is removing this card now: nothing was sent; the next
                        // resume looks again.
                        c.state = CardState::Planned;
                        c.fault = Some(e.message.clone());
                    }
                    Err(e) => {
                        c.state = CardState::Failed;
                        c.outcome = Some("error".to_owned());
                        c.fault = Some(e.message.clone());
                    }
                }
                // Not written here: the outcome is already durable in the audit log, and the row's
                // next write (the next card going in flight, or the row's final state) carries it.
                // A crash before that leaves the card in flight, and the resume re-checks it.
                break 'attempt;
            }
        }
        let unsettled = record
            .cards
            .iter()
            .any(|c| matches!(c.state, CardState::Planned | CardState::InFlight));
        if unsettled {
            let sent = record.cards.iter().any(|c| c.state == CardState::InFlight);
            let unknown = record.cards.iter().any(|c| {
                c.state == CardState::InFlight
                    && c.outcome.as_deref() == Some(AuditOutcome::Unknown.as_str())
            });
            if unknown {
                record.state = RowState::InFlight;
                record.message = Some(
                    "outcome unknown: the gateway may still be working; resume the job later \
                     to check again (nothing is sent twice)"
                        .to_owned(),
                );
            } else if sent {
                record.state = RowState::InFlight;
                record.message =
                    Some("interrupted: resume the job to re-check this row".to_owned());
            } else {
                // Cancelled before anything of this row was sent: it is simply still planned.
                record.state = RowState::Planned;
            }
            self.job.journal.put_flushed(&record).await?;
            if !self.control.is_cancelled() {
                self.finish(RowState::Failed);
            }
            return Ok(());
        }
        record.state = if record.cards.iter().any(|c| c.state == CardState::Failed) {
            RowState::Failed
        } else {
            RowState::Done
        };
        record.time = Some(now_rfc3339_ms());
        self.job.journal.put_flushed(&record).await?;
        self.finish(record.state);
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    Plan,
    Run,
}

async fn drive(engine: Arc<Engine>, pass: Pass, concurrency: usize) -> Result<(), DeskError> {
    let wanted = move |r: &RowRecord| match pass {
        Pass::Plan => r.state == RowState::Pending,
        Pass::Run => matches!(r.state, RowState::Planned | RowState::InFlight),
    };
    let mut total = 0;
    for r in engine.job.rows() {
        if wanted(&r?) {
            total += 1;
        }
    }
    engine.counters.total.store(total, Ordering::Relaxed);
    engine.report();
    let workers = concurrency.max(1);
    let (tx, rx) = mpsc::channel::<RowRecord>(workers * 2);
    let rx = Arc::new(tokio::sync::Mutex::new(rx));
    let mut tasks = Vec::with_capacity(workers);
    for _ in 0..workers {
        let engine = engine.clone();
        let rx = rx.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                if !engine.control.proceed().await {
                    return Ok(());
                }
                let next = rx.lock().await.recv().await;
                let Some(record) = next else { return Ok(()) };
                match pass {
                    Pass::Plan => engine.plan_row(record).await?,
                    Pass::Run => engine.run_row(record).await?,
                }
            }
        }));
    }
    // Progress once a second even while no row finishes (rows waiting out the gateway's rate
    // limit), and the pace kept in the journal as it changes, so a resume starts there.
    let ticker_engine = engine.clone();
    let ticker = tokio::spawn(async move {
        let mut saved = None;
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            ticker_engine.report();
            let rate = ticker_engine.pace.status().rate;
            if rate != saved {
                let _ = ticker_engine.keep_pace();
                saved = rate;
            }
        }
    });
    let producer_engine = engine.clone();
    let producer = tokio::spawn(async move {
        let mut after = None;
        loop {
            let batch = producer_engine.job.journal.batch(after, 256)?;
            let Some(last) = batch.last() else { break };
            after = Some(last.row);
            for r in batch {
                if !wanted(&r) {
                    continue;
                }
                if producer_engine.control.is_cancelled() || tx.send(r).await.is_err() {
                    return Ok(());
                }
            }
        }
        Ok::<(), DeskError>(())
    });
    let mut first_error = None;
    for t in tasks {
        match t.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                engine.control.cancel();
                first_error.get_or_insert(e);
            }
            Err(e) => {
                first_error
                    .get_or_insert(DeskError::internal(format!("a bulk worker stopped: {e}")));
            }
        }
    }
    drop(rx);
    ticker.abort();
    if let Err(e) = engine.keep_pace() {
        first_error.get_or_insert(e);
    }
    match producer.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            first_error.get_or_insert(e);
        }
        Err(e) => {
            first_error.get_or_insert(DeskError::internal(format!("the row reader stopped: {e}")));
        }
    }
    // The rows this pass wrote and left at rest go to the archive, so the next pass starts
    // with (almost) nothing live in sled.
    // A failure here loses nothing (the rows stay live in sled): reported, after the flush.
    let journal = engine.job.journal.clone();
    let settled = tokio::task::spawn_blocking(move || journal.settle_all())
        .await
        .map_err(|e| DeskError::internal(format!("settling the journal stopped: {e}")))
        .and_then(|settled| settled.map_err(DeskError::from));
    if let Err(e) = settled {
        first_error.get_or_insert(e);
    }
    engine.job.journal.flush().await?;
    match first_error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The job's pace for a pass: at most the rate asked for, starting where the job's last pass
/// settled under the gateway's limit; and the options kept for a resume.
pub(super) fn pace_for(job: &BulkJob, options: &RunOptions) -> Result<Arc<Pace>, DeskError> {
    let mut meta = job.meta()?;
    let pace = Arc::new(Pace::new(options.rate, meta.settled_rate));
    if meta.options != Some(*options) {
        meta.options = Some(*options);
        job.journal.put_meta(&meta)?;
    }
    Ok(pace)
}

pub(super) async fn plan(
    job: &BulkJob,
    client: &Client,
    options: &RunOptions,
    control: &JobControl,
    progress: Option<ProgressFn>,
    pace: Arc<Pace>,
) -> Result<(), DeskError> {
    let meta = job.meta()?;
    control.attach_pace(pace.clone());
    let engine = Arc::new(Engine {
        job: job.clone(),
        client: client.with_pace(pace.clone()),
        revoker: None,
        pace,
        patience: options.patience(),
        control: control.clone(),
        counters: Counters::default(),
        progress,
        started: Instant::now(),
        meta: meta.clone(),
        covering: std::sync::Mutex::new(HashMap::new()),
        customers: std::sync::Mutex::new(HashMap::new()),
        stopped: std::sync::Mutex::new(None),
        sent_before: HashMap::new(),
    });
    if !meta.planned {
        let engine = engine.clone();
        tokio::task::spawn_blocking(move || engine.load_covering())
            .await
            .map_err(|e| DeskError::internal(format!("reading the plan stopped: {e}")))??;
    }
    drive(engine.clone(), Pass::Plan, options.concurrency).await?;
    if let Some(e) = engine.stop_error() {
        return Err(e);
    }
    if !control.is_cancelled() {
        let mut meta = job.meta()?;
        meta.planned = true;
        job.journal.put_meta(&meta)?;
        job.journal.flush().await?;
    }
    Ok(())
}

impl BulkJob {
    /// The cards this job left in flight whose removal the audit log shows as sent: an intent
    /// of `profile_id` for the card's fingerprint written since the job was created, with its
    /// latest outcome (see [`Engine::sent_before`]). One pass over the log, and only when a
    /// card is in flight.
    async fn sent_before(
        &self,
        audit: &Arc<AuditLog>,
        profile_id: &str,
    ) -> Result<HashMap<String, (u64, Option<AuditOutcome>)>, DeskError> {
        let mut in_flight = std::collections::HashSet::new();
        for record in self.rows() {
            for card in record?.cards {
                if card.state == CardState::InFlight {
                    in_flight.insert(card.fingerprint);
                }
            }
        }
        if in_flight.is_empty() {
            return Ok(HashMap::new());
        }
        let created = self.meta()?.created;
        let audit = audit.clone();
        let profile_id = profile_id.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut sent = HashMap::new();
            let mut intent_of = HashMap::new();
            crate::audit::for_each_entry(audit.path(), |_, e| {
                match e.action {
                    crate::audit::AuditAction::RevokeIntent
                        if e.profile_id.as_deref() == Some(profile_id.as_str())
                            && e.time >= created =>
                    {
                        if let Some(fp) = e.token_fingerprint.filter(|f| in_flight.contains(f)) {
                            intent_of.insert(e.seq, fp.clone());
                            sent.insert(fp, (e.seq, None));
                        }
                    }
                    crate::audit::AuditAction::RevokeOutcome
                    | crate::audit::AuditAction::RecoveredOutcome => {
                        if let Some(fp) = e.intent_seq.and_then(|s| intent_of.get(&s))
                            && let Some(slot) = sent.get_mut(fp)
                            && Some(slot.0) == e.intent_seq
                        {
                            slot.1 = e.outcome;
                        }
                    }
                    _ => {}
                }
                true
            })?;
            Ok::<_, DeskError>(sent)
        })
        .await
        .map_err(|e| DeskError::internal(format!("reading the audit log stopped: {e}")))?
    }

    /// Plans what is not planned yet, then runs every planned row; after a crash it first
    /// settles the profile's open audit intents (the revoker's recovery path, no removal sent)
    /// and re-checks rows left `in_flight`. Returns the summary after the pass.
    pub async fn run(
        &self,
        revoker: Arc<Revoker>,
        audit: Arc<AuditLog>,
        options: &RunOptions,
        control: &JobControl,
        progress: Option<ProgressFn>,
    ) -> Result<super::JobSummary, DeskError> {
        let client = revoker.client().clone();
        let pace = pace_for(self, options)?;
        plan(
            self,
            &client,
            options,
            control,
            progress.clone(),
            pace.clone(),
        )
        .await?;
        if control.is_cancelled() {
            return self.summary();
        }
        let mut meta = self.meta()?;
        if !meta.ran {
            meta.ran = true;
            self.journal.put_meta(&meta)?;
        }
        let profile_id = revoker.profile().id.clone();
        let log = audit.clone();
        let intents = tokio::task::spawn_blocking(move || log.open_intents())
            .await
            .map_err(|e| DeskError::internal(e.to_string()))??;
        let mine: Vec<_> = intents
            .into_iter()
            .filter(|i| i.profile_id.as_deref() == Some(profile_id.as_str()))
            .collect();
        if !mine.is_empty() {
            revoker.recover(&mine).await;
        }
        let sent_before = self.sent_before(&audit, &profile_id).await?;
        // `concurrency` bounds gateway requests in flight, not rows: a row waiting for its
        // journal or audit entry to reach the disk holds no request, so more rows than that
        // are in hand and the disk's flushes overlap with other rows' requests.
        let gate = Arc::new(tokio::sync::Semaphore::new(options.concurrency.max(1)));
        let client = client.with_gate(gate).with_pace(pace.clone());
        let engine = Arc::new(Engine {
            job: self.clone(),
            client: client.clone(),
            revoker: Some(Arc::new(revoker.through(client).with_claimant(format!(
                "{} (bulk job {})",
                revoker.claimant(),
                self.meta()?.id
            )))),
            pace,
            patience: options.patience(),
            control: control.clone(),
            counters: Counters::default(),
            progress,
            started: Instant::now(),
            meta: self.meta()?,
            covering: std::sync::Mutex::new(HashMap::new()),
            customers: std::sync::Mutex::new(HashMap::new()),
            stopped: std::sync::Mutex::new(None),
            sent_before,
        });
        drive(
            engine.clone(),
            Pass::Run,
            options.concurrency.max(1) * ROWS_PER_REQUEST_SLOT,
        )
        .await?;
        if let Some(e) = engine.stop_error() {
            return Err(e);
        }
        self.summary()
    }
}
