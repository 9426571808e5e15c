//! Why: revoking a card is the one thing Card Desk does that cannot be undone, and rem_token
//! is not idempotent (docs/assist-api.md §12.14). So one workflow, shared by the app and the CLI:
//!
//! 1. validate everything first, with messages naming the field and rule — including that the
//!    card is in the customer's *current* list (fetched live, never from the cache) and that
//!    the typed last 4 digits match it; nothing is sent to rem_token before this passes;
//! 2. record a `revoke_intent` entry, flushed to disk;
//! 3. send exactly one rem_token ([`assist::Client::remove_card`]; never retried);
//! 4. read the card list back (listing may retry) and put it in the cache;
//! 5. record the `revoke_outcome` entry, flushed, and only then report the outcome.
//!
//! A process that dies between 2 and 5 leaves an intent without an outcome; [`recover`]
//! settles it later by re-reading the list, without sending anything to rem_token.
//!
//! [`Revoker`] holds what the workflow needs (a client, the profile, the audit log, optionally
//! the cache), so the CLI uses it without a whole [`crate::Desk`].

mod recover;
mod reply;

use std::sync::Arc;

use assist::{Card, CardToken, Client, CustomerNumber, RemovalOutcome};
use serde::{Deserialize, Serialize};

use crate::audit::{
    AuditAction, AuditEntry, AuditLog, AuditOutcome, CardSummary, EntryDraft, Operator, ProfileRef,
    ReadBack, Reason, now_rfc3339_ms, scrub_tokens, token_fingerprint,
};
use crate::cache::{CARDS, Cache};
use crate::claim::CardClaims;
use crate::environment::Environment;
use crate::{DeskError, ErrorCode, UiLanguage, Words};

pub use recover::{OpenIntent, Recovery, SETTLE_GRACE};

pub const NOTE_MAX: usize = 500;
pub const TICKET_MAX: usize = 64;

/// What the revoke dialog sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevokeRequest {
    pub profile_id: String,
    pub customer: String,
    /// The token exactly as the card list showed it.
    pub token: String,
    /// The card's last 4 digits, typed by the operator from what the customer says.
    pub last4_confirmation: String,
    pub reason: Reason,
    /// Required when `reason` is `other`.
    #[serde(default)]
    pub note: Option<String>,
    /// Required unless the "require a ticket" setting is off.
    #[serde(default)]
    pub ticket: Option<String>,
    /// Production profiles: the customer number typed again.
    #[serde(default)]
    pub customer_confirmation: Option<String>,
    /// The agent's offset from UTC in minutes, for the date in the reply to the customer (a
    /// letter says the local date, not a UTC time). UTC when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub utc_offset_minutes: Option<i32>,
    /// The customer's request (its register id) this removal is for: checked before anything
    /// is sent (open, identity confirmed, about this customer) and linked to the outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub request: Option<String>,
}

/// "Remove every card of this customer" (erasure requests): one workflow per card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevokeAllRequest {
    pub profile_id: String,
    pub customer: String,
    pub reason: Reason,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub ticket: Option<String>,
    #[serde(default)]
    pub customer_confirmation: Option<String>,
    /// As in [`RevokeRequest`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub utc_offset_minutes: Option<i32>,
    /// The customer's request (its register id) this removal is for: checked before anything
    /// is sent (open, identity confirmed, about this customer) and linked to the outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub request: Option<String>,
}

/// What a revocation came to, ready to show and to paste into the ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Revocation {
    pub outcome: AuditOutcome,
    /// e.g. "removed (confirmed by re-check)".
    pub label: String,
    /// One sentence for the operator on what happened and what to do.
    pub explanation: String,
    pub customer: String,
    pub card: CardSummary,
    /// `4123 62•• •••• 0028`.
    pub masked: String,
    pub token_fingerprint: String,
    /// When the outcome was recorded (UTC, RFC 3339 with ms).
    pub time: String,
    pub intent_seq: u64,
    /// `seq` of the outcome entry.
    pub audit_seq: u64,
    /// `hash` of the outcome entry: paste it into the ticket to anchor the log.
    pub audit_hash: String,
    pub read_back: ReadBack,
    pub gateway_message: Option<String>,
    pub fault_codes: Option<String>,
    /// The decoded fault or transport error, when there was one.
    pub detail: Option<String>,
    /// `detail` in Russian.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub detail_ru: Option<String>,
    /// The ticket, or `audit #<seq>`.
    pub reference: String,
    pub reply_en: String,
    pub reply_ru: String,
    /// The gateway refused the removal for its request rate (17/3, HTTP 429/503): nothing was
    /// processed, and sending it again later is safe. For a bulk job's queue, not the UI.
    #[serde(skip)]
    #[ts(skip)]
    pub refused_for_rate: bool,
    /// No connection to the gateway could be made: nothing was sent. For a bulk job, which
    /// stops rather than fail row after row.
    #[serde(skip)]
    #[ts(skip)]
    pub unreachable: bool,
}

/// What [`Revoker::revoke_all`] came to: a result per card, and one reply for the customer
/// (EN and RU) that says, card by card, only what the log does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RevokeAllResult {
    pub items: Vec<RevokeAllItem>,
    /// The ticket, or the first outcome entry's number.
    pub reference: String,
    pub reply_en: String,
    pub reply_ru: String,
}

/// One card's result in [`Revoker::revoke_all`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RevokeAllItem {
    pub card: CardSummary,
    pub masked: String,
    pub token_fingerprint: String,
    pub revocation: Option<Revocation>,
    pub error: Option<DeskError>,
}

/// Where a revocation has got to, for progress display and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevokeStage {
    /// The `revoke_intent` entry is on disk; the removal is about to be sent.
    IntentRecorded { intent_seq: u64 },
    /// rem_token has answered (or its reply was lost and settled by the client's re-check).
    RemovalAnswered { intent_seq: u64 },
    /// The `revoke_outcome` entry is on disk.
    OutcomeRecorded { intent_seq: u64, audit_seq: u64 },
}

/// Called at each [`RevokeStage`]; must not block for long.
pub type StageObserver = Arc<dyn Fn(RevokeStage) + Send + Sync>;

/// Rules that come from the settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RevokePolicy {
    pub require_ticket: bool,
}

impl Default for RevokePolicy {
    fn default() -> RevokePolicy {
        RevokePolicy {
            require_ticket: true,
        }
    }
}

/// The revoke workflow for one profile.
pub struct Revoker {
    client: Client,
    profile: ProfileRef,
    audit: Arc<AuditLog>,
    cache: Option<Arc<Cache>>,
    operator: Operator,
    policy: RevokePolicy,
    observer: Option<StageObserver>,
    claims: CardClaims,
    /// How this process names itself on the claims and intents it writes.
    claimant: String,
    /// How old a dead intent must be before a still-listed card is settled "not removed".
    settle_grace: std::time::Duration,
    /// The customer's request these removals are for (its register id), written on their
    /// audit entries.
    request: Option<String>,
    /// In team mode, the team-wide hold taken after this desk's own claim (team_claim.rs).
    team_claims: Option<crate::team_claim::TeamClaims>,
}

impl std::fmt::Debug for Revoker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Revoker")
            .field("profile", &self.profile)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

/// Input that passed the checks that need no gateway.
struct Checked {
    customer: CustomerNumber,
    reason: Reason,
    note: Option<String>,
    ticket: Option<String>,
    /// For the reply's date.
    utc_offset: time::UtcOffset,
}

/// The agent's UTC offset, checked: real offsets run from −12:00 to +14:00.
pub(crate) fn utc_offset(minutes: Option<i32>) -> Result<time::UtcOffset, DeskError> {
    let Some(minutes) = minutes else {
        return Ok(time::UtcOffset::UTC);
    };
    if !(-12 * 60..=14 * 60).contains(&minutes) {
        return Err(invalid(
            UTC_OFFSET,
            Words::new(
                "must be between -720 and 840 (UTC−12:00 to UTC+14:00)",
                "от −720 до 840 минут (от UTC−12:00 до UTC+14:00)",
            ),
        ));
    }
    time::UtcOffset::from_whole_seconds(minutes * 60).map_err(|e| {
        let e = e.to_string();
        invalid(UTC_OFFSET, Words::new(&e, &e))
    })
}

/// The fields of a request as people say them; the machine name is the English label with
/// `_` for spaces (`last_4_confirmation`).
const PROFILE: Words<'static> = Words::new("profile", "профиль");
pub(crate) const NOTE: Words<'static> = Words::new("note", "примечание");
pub(crate) const TICKET: Words<'static> = Words::new("ticket", "номер обращения");
const CONFIRMATION: Words<'static> =
    Words::new("customer confirmation", "подтверждение номера клиента");
const LAST4: Words<'static> = Words::new("last 4 confirmation", "последние 4 цифры");
const TOKEN: Words<'static> = Words::new("card token", "токен карты");
const UTC_OFFSET: Words<'static> = Words::new("utc offset minutes", "смещение от UTC");

fn invalid(label: Words<'_>, rule: Words<'_>) -> DeskError {
    DeskError::invalid(&label.en.replace(' ', "_"), label, rule)
}

/// Trimmed text, `None` when blank; refused when too long or holding control characters
/// (`\n` and `\t` allowed when `multiline`).
pub(crate) fn optional_text(
    label: Words<'_>,
    value: Option<&str>,
    max: usize,
    multiline: bool,
) -> Result<Option<String>, DeskError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > max {
        return Err(invalid(
            label,
            Words::new(
                &format!("must be at most {max} characters"),
                &format!("не длиннее {max} символов"),
            ),
        ));
    }
    let allowed = |c: char| multiline && (c == '\n' || c == '\t');
    if text.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(invalid(
            label,
            Words::new(
                "must not contain control characters",
                "без управляющих символов",
            ),
        ));
    }
    Ok(Some(text.to_owned()))
}

impl Revoker {
    pub fn new(
        client: Client,
        profile: ProfileRef,
        audit: Arc<AuditLog>,
        operator: Operator,
    ) -> Revoker {
        Revoker {
            client,
            profile,
            claims: CardClaims::beside_audit_log(audit.path()),
            audit,
            cache: None,
            operator,
            policy: RevokePolicy::default(),
            observer: None,
            claimant: "Card Desk".to_owned(),
            settle_grace: recover::default_settle_grace(),
            request: None,
            team_claims: None,
        }
    }

    /// In team mode: each removal also holds its card in the team's database, so no other
    /// desk of the team removes it at the same time.
    pub fn with_team_claims(mut self, claims: Option<crate::team_claim::TeamClaims>) -> Revoker {
        self.team_claims = claims;
        self
    }

    /// Recovery settles a still-listed card as "not removed" only once its intent is this old
    /// (default [`recover::SETTLE_GRACE`]); younger ones stay open.
    pub fn with_settle_grace(mut self, grace: std::time::Duration) -> Revoker {
        self.settle_grace = grace;
        self
    }

    /// How this process names itself to another that finds a card claimed (e.g.
    /// `carddesk revoke`, `bulk job …`). Default: `Card Desk`.
    pub fn with_claimant(mut self, claimant: impl Into<String>) -> Revoker {
        self.claimant = claimant.into();
        self
    }

    pub fn claimant(&self) -> &str {
        &self.claimant
    }

    /// Read-backs and re-checks also refresh this cache's card lists.
    pub fn with_cache(mut self, cache: Arc<Cache>) -> Revoker {
        self.cache = Some(cache);
        self
    }

    pub fn with_policy(mut self, policy: RevokePolicy) -> Revoker {
        self.policy = policy;
        self
    }

    /// Removals for a customer's request: its id goes on their audit entries.
    pub fn for_request(mut self, request: Option<String>) -> Revoker {
        self.request = request;
        self
    }

    /// The same workflow sending through `client`: a clone of its own client that shares a
    /// bulk job's gate on requests in flight and its pace ([`Client::with_gate`],
    /// [`Client::with_pace`]).
    pub fn through(&self, client: Client) -> Revoker {
        Revoker {
            client,
            profile: self.profile.clone(),
            audit: self.audit.clone(),
            cache: self.cache.clone(),
            operator: self.operator.clone(),
            policy: self.policy,
            observer: self.observer.clone(),
            claims: self.claims.clone(),
            claimant: self.claimant.clone(),
            settle_grace: self.settle_grace,
            request: self.request.clone(),
            team_claims: self.team_claims.clone(),
        }
    }

    pub fn with_observer(mut self, observer: StageObserver) -> Revoker {
        self.observer = Some(observer);
        self
    }

    pub fn profile(&self) -> &ProfileRef {
        &self.profile
    }

    /// The gateway client (bulk jobs list customers with it to plan and re-check rows).
    pub fn client(&self) -> &Client {
        &self.client
    }

    fn observe(&self, stage: RevokeStage) {
        if let Some(o) = &self.observer {
            o(stage);
        }
    }

    /// Checks everything that needs no gateway, in the order the dialog shows the fields.
    fn check_common(
        &self,
        profile_id: &str,
        customer: &str,
        reason: Reason,
        note: Option<&str>,
        ticket: Option<&str>,
        confirmation: Option<&str>,
    ) -> Result<Checked, DeskError> {
        if profile_id != self.profile.id {
            return Err(invalid(
                PROFILE,
                Words::new(
                    &format!(
                        "must be the profile this revocation runs in ({})",
                        self.profile.id
                    ),
                    &format!(
                        "должен быть профилем, в котором идёт удаление ({})",
                        self.profile.id
                    ),
                ),
            ));
        }
        let customer = CustomerNumber::new(customer.trim())?;
        let note = optional_text(NOTE, note, NOTE_MAX, true)?;
        if reason == Reason::Other && note.is_none() {
            return Err(invalid(
                NOTE,
                Words::new(
                    "required when the reason is other",
                    "обязательно, когда причина — «Другое»",
                ),
            ));
        }
        let ticket = optional_text(TICKET, ticket, TICKET_MAX, false)?;
        if ticket.is_none() && self.policy.require_ticket {
            return Err(invalid(
                TICKET,
                Words::new(
                    "required (the setting \"require a ticket\" is on)",
                    "обязателен (включена настройка «Требовать номер обращения для удаления \
                     карты»)",
                ),
            ));
        }
        if self.profile.environment == Environment::Production {
            match confirmation.map(str::trim).filter(|c| !c.is_empty()) {
                None => {
                    return Err(invalid(
                        CONFIRMATION,
                        Words::new(
                            "required for a production profile: type the customer number again",
                            "обязательно в боевом профиле: введите номер клиента ещё раз",
                        ),
                    ));
                }
                Some(c) if c != customer.as_str() => {
                    return Err(invalid(
                        CONFIRMATION,
                        Words::new(
                            "does not match the customer number",
                            "не совпадает с номером клиента",
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(Checked {
            customer,
            reason,
            note,
            ticket,
            utc_offset: time::UtcOffset::UTC,
        })
    }

    /// The customer's cards as the gateway lists them now; the cache gets them too.
    async fn current_cards(&self, customer: &CustomerNumber) -> Result<Vec<Card>, DeskError> {
        let cards = self.client.list_cards(customer).await.map_err(|e| {
            let e = DeskError::from(e);
            DeskError::new(
                e.code,
                format!(
                    "could not fetch the customer's current cards: {}",
                    e.message
                ),
            )
            .ru(format!(
                "не удалось получить текущие карты клиента: {}",
                e.text(UiLanguage::Ru)
            ))
        })?;
        self.cache_cards(customer, &cards);
        Ok(cards)
    }

    fn cache_cards(&self, customer: &CustomerNumber, cards: &[Card]) {
        if let Some(cache) = &self.cache {
            // A cache that cannot be written only costs a refetch later.
            let _ = cache.put(CARDS, &self.profile.id, customer.as_str(), &cards);
            // The recent list shows the count the agent would find now.
            let count = u32::try_from(cards.len()).unwrap_or(u32::MAX);
            let _ = cache.update_recent_count(&self.profile.id, customer.as_str(), count);
        }
    }

    /// The checks of a one-card request that need no gateway: the common ones, the token's
    /// format and the typed last 4's shape.
    fn check_request<'r>(
        &self,
        request: &'r RevokeRequest,
    ) -> Result<(Checked, CardToken, &'r str), DeskError> {
        let checked = self.check_common(
            &request.profile_id,
            &request.customer,
            request.reason,
            request.note.as_deref(),
            request.ticket.as_deref(),
            request.customer_confirmation.as_deref(),
        )?;
        let checked = Checked {
            utc_offset: utc_offset(request.utc_offset_minutes)?,
            ..checked
        };
        let token = CardToken::new(request.token.trim())?;
        let typed = request.last4_confirmation.trim();
        if typed.len() != 4 || !typed.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(
                LAST4,
                Words::new(
                    "must be the card's last 4 digits, as the customer reads them",
                    "нужны последние 4 цифры карты — как их называет клиент",
                ),
            ));
        }
        Ok((checked, token, typed))
    }

    /// Revokes one card: validate, intent, one rem_token, read-back, outcome (module note).
    pub async fn revoke(&self, request: &RevokeRequest) -> Result<Revocation, DeskError> {
        let (checked, token, typed) = self.check_request(request)?;
        // In team mode the team-wide hold is asked for while the list is read, so its round
        // trip costs no time of its own (docs/benchmarks.md, team mode).
        let (fingerprint, masked) = (token_fingerprint(token.as_str()), format!("•••• {typed}"));
        let (cards, held) = tokio::join!(
            self.current_cards(&checked.customer),
            self.team_hold(&fingerprint, &masked),
        );
        let cards = cards?;
        let held = held?;
        self.revoke_checked(&checked, &token, typed, &cards, Some(held))
            .await
    }

    /// The team-wide hold on a card (team mode), or `None` without team mode or while the
    /// team's database cannot be reached; an error when another desk is removing it.
    async fn team_hold(
        &self,
        fingerprint: &str,
        masked: &str,
    ) -> Result<Option<crate::team_claim::TeamHold>, DeskError> {
        match &self.team_claims {
            Some(team) => {
                team.hold(&self.profile.merchant_id, fingerprint, masked)
                    .await
            }
            None => Ok(None),
        }
    }

    /// [`Revoker::revoke`] with a card list the caller fetched live just now (a bulk job has
    /// listed the customer to resolve its row; listing again would double the cost). Every
    /// other check and step is the same.
    pub async fn revoke_with_list(
        &self,
        request: &RevokeRequest,
        current: &[Card],
    ) -> Result<Revocation, DeskError> {
        let (checked, token, typed) = self.check_request(request)?;
        self.cache_cards(&checked.customer, current);
        self.revoke_checked(&checked, &token, typed, current, None)
            .await
    }

    async fn revoke_checked(
        &self,
        checked: &Checked,
        token: &CardToken,
        typed: &str,
        cards: &[Card],
        held: Option<Option<crate::team_claim::TeamHold>>,
    ) -> Result<Revocation, DeskError> {
        let Some(card) = cards.iter().find(|c| token.same_card_as(&c.token)) else {
            return Err(invalid(
                TOKEN,
                Words::new(
                    &format!(
                        "not among the cards customer {} has now (the list was fetched just \
                         now); it may have been removed already — look the customer up again",
                        checked.customer
                    ),
                    &format!(
                        "такой карты у клиента {} сейчас нет (список только что получен); \
                         возможно, она уже удалена — найдите клиента заново",
                        checked.customer
                    ),
                ),
            ));
        };
        if card.last4 != typed {
            return Err(invalid(
                LAST4,
                Words::new(
                    "does not match the card's last 4 digits",
                    "не совпадают с последними 4 цифрами карты",
                ),
            ));
        }
        // The hold taken before the list was read is on the typed spelling: kept only when it
        // is the listed card's own key (else taken again on the listed spelling).
        let held =
            held.filter(|_| token_fingerprint(token.as_str()) == token_fingerprint(&card.token));
        let (revocation, _) = self.execute(checked, card, held).await?;
        Ok(revocation)
    }

    /// Revokes every card the customer has now, one workflow each, a result per card.
    ///
    /// The typed-last-4 check does not apply (every card is meant); everything else does.
    /// Each card must still be listed when its turn comes (the previous read-back tells).
    pub async fn revoke_all(
        &self,
        request: &RevokeAllRequest,
    ) -> Result<RevokeAllResult, DeskError> {
        let checked = self.check_common(
            &request.profile_id,
            &request.customer,
            request.reason,
            request.note.as_deref(),
            request.ticket.as_deref(),
            request.customer_confirmation.as_deref(),
        )?;
        let checked = Checked {
            utc_offset: utc_offset(request.utc_offset_minutes)?,
            ..checked
        };
        let cards = self.current_cards(&checked.customer).await?;
        let mut current: Option<Vec<Card>> = Some(cards.clone());
        let mut items = Vec::with_capacity(cards.len());
        for card in &cards {
            let summary = CardSummary::of(card);
            let mut item = RevokeAllItem {
                masked: summary.masked(),
                card: summary,
                token_fingerprint: token_fingerprint(&card.token),
                revocation: None,
                error: None,
            };
            let list = match current.take() {
                Some(list) => Ok(list),
                None => self.current_cards(&checked.customer).await,
            };
            match list {
                Err(e) => item.error = Some(e),
                Ok(list) if !list.iter().any(|c| c.token == card.token) => {
                    item.error = Some(invalid(
                        TOKEN,
                        Words::new(
                            "no longer among the customer's cards; nothing was sent for it",
                            "карты больше нет среди карт клиента; по ней ничего не отправлено",
                        ),
                    ));
                    current = Some(list);
                }
                Ok(_) => match self.execute(&checked, card, None).await {
                    Ok((revocation, read_back)) => {
                        item.revocation = Some(revocation);
                        current = read_back;
                    }
                    Err(e) => item.error = Some(e),
                },
            }
            items.push(item);
        }
        Ok(reply::for_all(
            items,
            checked.ticket.clone(),
            &now_rfc3339_ms(),
            checked.utc_offset,
        ))
    }

    /// Steps 2–5 for a card just seen in the customer's list. Returns the read-back list too.
    /// `held`: the team-wide hold when the caller took it already (`None`: take it here).
    async fn execute(
        &self,
        checked: &Checked,
        card: &Card,
        held: Option<Option<crate::team_claim::TeamHold>>,
    ) -> Result<(Revocation, Option<Vec<Card>>), DeskError> {
        // Exactly as listed (§12.11): the gateway's own spelling is what rem_token gets.
        let token = CardToken::new(card.token.clone())?;
        let summary = CardSummary::of(card);
        let fingerprint = token_fingerprint(&card.token);
        // At most one removal of a card in flight, in any process (crate::claim): held until
        // the outcome entry is on disk, released on every path out of here.
        let claim = self
            .claims
            .try_claim(&self.profile.id, &fingerprint, &self.claimant)
            .map_err(|refused| refused.into_error(&summary.masked()))?;
        // And across the team's desks (team mode), until the outcome is written.
        let team_hold = match held {
            Some(held) => held,
            None => self.team_hold(&fingerprint, &summary.masked()).await?,
        };
        let mut draft = EntryDraft::new(self.operator.clone(), AuditAction::RevokeIntent);
        draft.owner = Some(claim.owner().clone());
        draft.profile = Some(self.profile.clone());
        draft.customer = Some(checked.customer.as_str().to_owned());
        draft.card = Some(summary.clone());
        draft.token_fingerprint = Some(fingerprint.clone());
        draft.reason = Some(checked.reason);
        draft.note = checked.note.clone();
        draft.ticket = checked.ticket.clone();
        draft.request = self.request.clone();
        let intent = append(&self.audit, draft.clone()).await?;
        self.observe(RevokeStage::IntentRecorded {
            intent_seq: intent.seq,
        });

        let removal = self.client.remove_card(&checked.customer, &token).await;
        self.observe(RevokeStage::RemovalAnswered {
            intent_seq: intent.seq,
        });

        let listed = self.client.list_cards(&checked.customer).await;
        let read_back = match &listed {
            Ok(cards) if cards.iter().any(|c| token.same_card_as(&c.token)) => ReadBack::Listed,
            Ok(_) => ReadBack::Absent,
            Err(_) => ReadBack::Failed,
        };
        if let Ok(cards) = &listed {
            self.cache_cards(&checked.customer, cards);
        }
        let outcome = settle(&removal, read_back);

        draft.action = AuditAction::RevokeOutcome;
        draft.owner = None;
        draft.outcome = Some(outcome);
        draft.read_back = Some(read_back);
        draft.intent_seq = Some(intent.seq);
        let said = describe(&removal, &listed);
        draft.gateway_message = said.message.as_deref().map(scrub_tokens);
        draft.fault_codes = said.codes;
        draft.detail = said.detail.as_deref().map(scrub_tokens);
        draft.detail_ru = said.detail_ru.as_deref().map(scrub_tokens);
        let entry = append(&self.audit, draft).await.map_err(|e| {
            DeskError::new(
                ErrorCode::AuditLog,
                format!(
                    "the removal came to \"{}\", but its audit entry could not be written ({}); \
                 the next start settles intent {} by re-checking the card list",
                    outcome.label(),
                    e.message,
                    intent.seq
                ),
            )
            .ru(format!(
                "итог удаления — «{}», но запись аудита о нём не сохранена ({}); при следующем \
                 запуске намерение №{} будет решено повторной проверкой списка карт",
                outcome.label_ru(),
                e.text(UiLanguage::Ru),
                intent.seq
            ))
        })?;
        drop(team_hold);
        drop(claim);
        self.observe(RevokeStage::OutcomeRecorded {
            intent_seq: intent.seq,
            audit_seq: entry.seq,
        });
        let mut revocation = reply::revocation(&entry, summary, read_back, checked.utc_offset);
        revocation.refused_for_rate = matches!(
            &removal,
            RemovalOutcome::NotRemoved { reason, .. } if reason.is_refusal()
        );
        revocation.unreachable = matches!(
            &removal,
            RemovalOutcome::NotRemoved { reason, .. } if reason.is_unreachable()
        );
        Ok((revocation, listed.ok()))
    }

    /// Settles this profile's intents that have no outcome, by re-reading card lists (never
    /// sending a removal). See [`recover`].
    pub async fn recover(&self, intents: &[AuditEntry]) -> Recovery {
        recover::recover(self, intents).await
    }
}

/// Appends off the async runtime (the write on the audit log's own thread, the wait for the
/// disk shared with other appenders).
async fn append(audit: &Arc<AuditLog>, draft: EntryDraft) -> Result<AuditEntry, DeskError> {
    audit.append_durable(draft).await.map_err(DeskError::from)
}

/// The outcome the log and UI show, from the client's outcome and the read-back. It says only
/// what is known (docs/gateway.md, "After a removal"):
///
/// * `Removed` stays `removed` (the gateway's word; the read-back is recorded beside it);
/// * `RemovedConfirmedByRecheck` stays;
/// * a refusal (a gateway fault, or no connection at all: nothing sent) is `already_removed`
///   when the card is gone afterwards — this request removed nothing, yet the card is no
///   longer listed — and `not_removed` otherwise;
/// * an open outcome (a lost reply, a 2/x or 16/x fault) whose re-check still listed the card
///   or failed is `removed_confirmed_by_recheck` when the later read-back no longer lists the
///   card, and `unknown` otherwise — the gateway may still be working on it, so never
///   "not removed".
pub fn settle(removal: &RemovalOutcome, read_back: ReadBack) -> AuditOutcome {
    match removal {
        RemovalOutcome::Removed { .. } => AuditOutcome::Removed,
        RemovalOutcome::RemovedConfirmedByRecheck { .. } => AuditOutcome::RemovedConfirmedByRecheck,
        RemovalOutcome::NotRemoved { token_listed, .. } => {
            let gone = match read_back {
                ReadBack::Absent => true,
                ReadBack::Listed => false,
                ReadBack::Failed => *token_listed == Some(false),
            };
            if gone {
                AuditOutcome::AlreadyRemoved
            } else {
                AuditOutcome::NotRemoved
            }
        }
        RemovalOutcome::Unknown { .. } => match read_back {
            ReadBack::Absent => AuditOutcome::RemovedConfirmedByRecheck,
            ReadBack::Listed | ReadBack::Failed => AuditOutcome::Unknown,
        },
    }
}

/// What the outcome entry says beyond its outcome: the gateway's success message, the fault's
/// codes, and the detail in English (the log's readers) and in Russian (the window).
struct Described {
    message: Option<String>,
    codes: Option<String>,
    detail: Option<String>,
    detail_ru: Option<String>,
}

/// Gateway message, fault codes and detail for the outcome entry.
fn describe(removal: &RemovalOutcome, listed: &Result<Vec<Card>, assist::Error>) -> Described {
    use assist::Language::Ru;
    let codes = |e: &assist::Error| e.fault().map(assist::Fault::codes);
    let (read_back_en, read_back_ru) = match listed {
        Err(e) => (
            format!("; read-back failed: {e}"),
            format!("; повторное чтение списка не удалось: {}", e.render(Ru)),
        ),
        Ok(_) => (String::new(), String::new()),
    };
    let said = |message: Option<String>, codes: Option<String>, en: String, ru: String| Described {
        message,
        codes,
        detail: Some(en),
        detail_ru: Some(ru),
    };
    match removal {
        RemovalOutcome::Removed { message } if read_back_en.is_empty() => Described {
            message: Some(message.clone()),
            codes: None,
            detail: None,
            detail_ru: None,
        },
        RemovalOutcome::Removed { message } => said(
            Some(message.clone()),
            None,
            read_back_en.trim_start_matches("; ").to_owned(),
            read_back_ru.trim_start_matches("; ").to_owned(),
        ),
        RemovalOutcome::RemovedConfirmedByRecheck { cause } => said(
            None,
            codes(cause),
            format!("reply lost: {cause}{read_back_en}"),
            format!("ответ потерян: {}{read_back_ru}", cause.render(Ru)),
        ),
        RemovalOutcome::NotRemoved { reason, .. } => said(
            None,
            codes(reason),
            format!("{reason}{read_back_en}"),
            format!("{}{read_back_ru}", reason.render(Ru)),
        ),
        RemovalOutcome::Unknown {
            reason,
            recheck: Some(recheck),
        } => said(
            None,
            codes(reason),
            format!("reply lost: {reason}; re-check failed: {recheck}{read_back_en}"),
            format!(
                "ответ потерян: {}; повторная проверка не удалась: {}{read_back_ru}",
                reason.render(Ru),
                recheck.render(Ru)
            ),
        ),
        RemovalOutcome::Unknown {
            reason,
            recheck: None,
        } => said(
            None,
            codes(reason),
            format!("reply lost: {reason}; a re-check still listed the card{read_back_en}"),
            format!(
                "ответ потерян: {}; при повторной проверке карта ещё была в списке{read_back_ru}",
                reason.render(Ru)
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use assist::{Error, Fault};

    fn lost() -> Error {
        Error::Transport {
            status: None,
            detail: "connection reset".into(),
        }
    }

    #[test]
    fn settle_maps_every_case() {
        use AuditOutcome as O;
        use ReadBack::{Absent, Failed, Listed};
        let removed = RemovalOutcome::Removed {
            message: "Token X is removed".into(),
        };
        let confirmed = RemovalOutcome::RemovedConfirmedByRecheck { cause: lost() };
        let not_found = |listed| RemovalOutcome::NotRemoved {
            reason: Error::Fault(Fault::new(10, 203, "")),
            token_listed: listed,
        };
        let refused = RemovalOutcome::NotRemoved {
            reason: Error::Fault(Fault::new(7, 141, "")),
            token_listed: None,
        };
        let never_sent = RemovalOutcome::NotRemoved {
            reason: Error::Transport {
                status: None,
                detail: "could not connect".into(),
            },
            token_listed: None,
        };
        let still_listed = RemovalOutcome::Unknown {
            reason: lost(),
            recheck: None,
        };
        let recheck_failed = RemovalOutcome::Unknown {
            reason: lost(),
            recheck: Some(lost()),
        };
        let cases = [
            (&removed, Absent, O::Removed),
            (&removed, Failed, O::Removed),
            (&confirmed, Absent, O::RemovedConfirmedByRecheck),
            (&not_found(Some(false)), Absent, O::AlreadyRemoved),
            (&not_found(Some(false)), Failed, O::AlreadyRemoved),
            (&not_found(None), Listed, O::NotRemoved),
            (&not_found(Some(true)), Listed, O::NotRemoved),
            (&refused, Listed, O::NotRemoved),
            (&refused, Failed, O::NotRemoved),
            (&never_sent, Listed, O::NotRemoved),
            (&never_sent, Failed, O::NotRemoved),
            (&never_sent, Absent, O::AlreadyRemoved),
            // A slow gateway: still listed after the reply was lost is never "not removed".
            (&still_listed, Listed, O::Unknown),
            (&still_listed, Failed, O::Unknown),
            (&still_listed, Absent, O::RemovedConfirmedByRecheck),
            (&recheck_failed, Failed, O::Unknown),
            (&recheck_failed, Listed, O::Unknown),
            (&recheck_failed, Absent, O::RemovedConfirmedByRecheck),
        ];
        for (removal, read_back, want) in cases {
            assert_eq!(
                settle(removal, read_back),
                want,
                "{removal:?} {read_back:?}"
            );
        }
    }
}
