//! Why: one audit entry is the evidence an auditor relies on (docs/design.md §4), so its fields,
//! their spelling on disk and the bytes its hash covers are defined here, in one place.
//!
//! A line of `audit.jsonl` is the compact JSON of an [`AuditEntry`], fields in declaration
//! order, `null` where a field does not apply, `hash` last. `hash` is the hex BLAKE3 of the
//! same line without its `,"hash":"…"` member (the "body"); `prev` is the previous entry's
//! `hash` ([`GENESIS`] for the first entry). So a line is `body[..len-1] + ,"hash":"<hex>"}`
//! and a verifier needs nothing but the bytes.
//!
//! No token is ever written: [`token_fingerprint`] identifies a card without revealing it.

use assist::Card;
use serde::{Deserialize, Serialize};

use crate::environment::Environment;

/// `prev` of the first entry: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Length of `,"hash":"` + 64 hex digits + `"}` at the end of every line.
pub(crate) const HASH_SUFFIX_LEN: usize = 9 + 64 + 2;

/// What an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// Written (and flushed) before a removal request is sent.
    RevokeIntent,
    /// The settled outcome of one intent, after the read-back.
    RevokeOutcome,
    /// A customer's cards were shown (live or from the cache).
    ViewedCustomer,
    /// An intent left without an outcome (the app stopped in between), settled later by a
    /// re-check of the card list; no removal is sent for it.
    RecoveredOutcome,
    /// The previous write was cut short (a crash mid-write); the fragment stays in the file
    /// and this entry names it (see [`Repair`]).
    LogRepaired,
    /// The first entry of a new active file: the file before it was closed into a segment,
    /// which `segments` names (see `audit/segment.rs`).
    SegmentStarted,
    /// Closed segments were moved to an archive; `segments` names each one, so the live
    /// chain verifies without them and the archive verifies against this record.
    Archived,
    /// A customer's request changed in the register (opened, identity checked, status,
    /// extension, a finding, a document produced); `request` names it and `detail` says what.
    RequestEvent,
    /// Team mode's four-eyes: a supervisor approved or rejected an action that needs a second
    /// person, or the desk that asked used an approval; `detail` names the approval, who
    /// decided and the note.
    Approval,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RevokeIntent => "revoke_intent",
            Self::RevokeOutcome => "revoke_outcome",
            Self::ViewedCustomer => "viewed_customer",
            Self::RecoveredOutcome => "recovered_outcome",
            Self::LogRepaired => "log_repaired",
            Self::SegmentStarted => "segment_started",
            Self::Archived => "archived",
            Self::RequestEvent => "request_event",
            Self::Approval => "approval",
        }
    }
}

/// Why a card is revoked; `other` needs a note.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    CustomerRequest,
    LostOrStolen,
    SuspectedFraud,
    ErasureRequest,
    Duplicate,
    Expired,
    Other,
}

impl Reason {
    pub const ALL: [Reason; 7] = [
        Reason::CustomerRequest,
        Reason::LostOrStolen,
        Reason::SuspectedFraud,
        Reason::ErasureRequest,
        Reason::Duplicate,
        Reason::Expired,
        Reason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CustomerRequest => "customer_request",
            Self::LostOrStolen => "lost_or_stolen",
            Self::SuspectedFraud => "suspected_fraud",
            Self::ErasureRequest => "erasure_request",
            Self::Duplicate => "duplicate",
            Self::Expired => "expired",
            Self::Other => "other",
        }
    }

    /// The snake_case name, e.g. `lost_or_stolen` (hyphens accepted too).
    pub fn parse(text: &str) -> Option<Reason> {
        let text = text.trim().replace('-', "_").to_ascii_lowercase();
        Reason::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// What became of a removal, as the log and the UI name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    /// The gateway confirmed the removal.
    Removed,
    /// The reply was lost, and a fresh card list no longer holds the token.
    RemovedConfirmedByRecheck,
    /// The card is still there (a gateway fault, or a lost reply and the token still listed).
    NotRemoved,
    /// The reply was lost and the card list could not be read either: check again.
    Unknown,
    /// This request removed nothing (the gateway answered with a fault), yet the card is no
    /// longer listed: it had been removed before — by another agent, the customer on the
    /// payment page, or the Personal Account.
    AlreadyRemoved,
}

impl AuditOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Removed => "removed",
            Self::RemovedConfirmedByRecheck => "removed_confirmed_by_recheck",
            Self::NotRemoved => "not_removed",
            Self::Unknown => "unknown",
            Self::AlreadyRemoved => "already_removed",
        }
    }

    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Removed => "removed",
            Self::RemovedConfirmedByRecheck => "removed (confirmed by re-check)",
            Self::NotRemoved => "not removed",
            Self::Unknown => "unknown — check again",
            Self::AlreadyRemoved => "already removed",
        }
    }

    /// [`AuditOutcome::label`] in Russian, in the window's words.
    pub fn label_ru(self) -> &'static str {
        match self {
            Self::Removed => "удалена",
            Self::RemovedConfirmedByRecheck => "удалена — подтверждено повторной проверкой",
            Self::NotRemoved => "не удалена",
            Self::Unknown => "неизвестно — проверьте ещё раз",
            Self::AlreadyRemoved => "уже была удалена",
        }
    }

    /// Whether the card is known to be gone (by this request or before it).
    pub fn card_gone(self) -> bool {
        matches!(
            self,
            Self::Removed | Self::RemovedConfirmedByRecheck | Self::AlreadyRemoved
        )
    }
}

/// What the card list said right after a removal (or during recovery).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ReadBack {
    /// The token is no longer listed.
    Absent,
    /// The token is still listed.
    Listed,
    /// The list could not be fetched.
    Failed,
}

/// Who acted: the OS account and the name the operator gave in the settings (or the same).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Operator {
    pub os_user: String,
    pub display_name: String,
}

impl Operator {
    /// The OS user from `USER` (unix) or `USERNAME` (Windows), `unknown` when neither is set;
    /// the display name as given, or the OS user when blank.
    pub fn from_env(display_name: Option<&str>) -> Operator {
        let os_user = ["USER", "USERNAME", "LOGNAME"]
            .into_iter()
            .filter_map(|k| std::env::var(k).ok())
            .map(|v| v.trim().to_owned())
            .find(|v| !v.is_empty())
            .unwrap_or_else(|| "unknown".to_owned());
        let display_name = display_name
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map_or_else(|| os_user.clone(), str::to_owned);
        Operator {
            os_user,
            display_name,
        }
    }
}

/// The card as the log records it: what identifies it to people, never the token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CardSummary {
    pub brand: String,
    pub bin: String,
    pub last4: String,
    /// `MM/YYYY`, or the gateway's own text when it could not be read.
    pub expiry: String,
}

impl CardSummary {
    pub fn of(card: &Card) -> CardSummary {
        let expiry = match card.expiry.month_year() {
            Some(ym) => format!("{:02}/{}", ym.month, ym.year),
            None => card.expiry.raw.clone(),
        };
        CardSummary {
            brand: card.brand.clone(),
            bin: card.bin.clone(),
            last4: card.last4.clone(),
            expiry,
        }
    }

    /// The PCI display form, e.g. `4123 62•• •••• 0028` (docs/design.md §5).
    pub fn masked(&self) -> String {
        Card {
            token: String::new(),
            bin: self.bin.clone(),
            last4: self.last4.clone(),
            brand: self.brand.clone(),
            bank: String::new(),
            expiry: assist::Expiry::parse(""),
            active: false,
            need_cvc: false,
            assets: Vec::new(),
        }
        .masked()
    }
}

/// What a `log_repaired` entry acknowledges: the bytes a crash left at the end of the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Repair {
    /// Byte offset of the fragment in the file.
    pub offset: u64,
    /// Its length in bytes (without the newline added after it).
    pub length: u64,
    /// Hex BLAKE3 of the fragment's bytes, so it cannot be changed later unnoticed.
    pub fragment_hash: String,
}

/// On `viewed_customer` entries: what the agent was shown, so the window can say it in its
/// own language (the entry's `detail` says the same in English, for the file's readers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Shown {
    pub cards: u32,
    pub from: ShownFrom,
}

/// Where a shown card list came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ShownFrom {
    Gateway,
    Cache,
    /// From the cache because the gateway could not be reached.
    CacheOffline,
}

/// One line of the audit log. Fields that do not apply to an action are `null`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// 1, 2, 3, … without gaps.
    pub seq: u64,
    /// UTC, RFC 3339 with milliseconds: `2026-05-01T12:34:56.789Z`.
    pub time: String,
    pub operator: Operator,
    pub action: AuditAction,
    pub profile_id: Option<String>,
    pub profile_name: Option<String>,
    pub environment: Option<Environment>,
    pub merchant_id: Option<String>,
    pub customer: Option<String>,
    pub card: Option<CardSummary>,
    /// See [`token_fingerprint`].
    pub token_fingerprint: Option<String>,
    pub reason: Option<Reason>,
    pub note: Option<String>,
    pub ticket: Option<String>,
    pub outcome: Option<AuditOutcome>,
    pub read_back: Option<ReadBack>,
    /// The gateway's success message, as sent.
    pub gateway_message: Option<String>,
    /// The fault's codes, e.g. `10/203`.
    pub fault_codes: Option<String>,
    /// Decoded fault or transport error, or a note on the action (view source, recovery).
    pub detail: Option<String>,
    /// On outcome entries: the `seq` of the intent they settle.
    pub intent_seq: Option<u64>,
    pub repair: Option<Repair>,
    /// On `revoke_intent` entries: the process that sends the removal (absent on entries
    /// written before owners were recorded, and on other actions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub owner: Option<crate::claim::ClaimOwner>,
    /// On `segment_started` (the segment closed before it) and `archived` (each segment
    /// moved) entries; absent on others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub segments: Option<Vec<super::segment::SegmentLink>>,
    /// On `viewed_customer` entries (absent on those written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub shown: Option<Shown>,
    /// The customer's request (its id in the register) the action was taken for; absent on
    /// actions outside a request and on entries written before requests were recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub request: Option<String>,
    /// `detail` in Russian, for a window in Russian (the log's readers have `detail`); on
    /// outcome and settling entries written since it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub detail_ru: Option<String>,
    /// The previous entry's `hash`; [`GENESIS`] for the first.
    pub prev: String,
    /// Hex BLAKE3 of this line without its `hash` member.
    pub hash: String,
    /// `<key id>:<hex keyed BLAKE3>` of the same bytes `hash` covers, under the log's key in
    /// the OS keyring (see `audit/mac.rs`); absent on lines written without the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub mac: Option<String>,
}

/// An entry before the log gives it its place: everything but `seq`, `time`, `prev`, `hash`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryDraft {
    pub operator: Operator,
    pub action: AuditAction,
    pub profile: Option<ProfileRef>,
    pub customer: Option<String>,
    pub card: Option<CardSummary>,
    pub token_fingerprint: Option<String>,
    pub reason: Option<Reason>,
    pub note: Option<String>,
    pub ticket: Option<String>,
    pub outcome: Option<AuditOutcome>,
    pub read_back: Option<ReadBack>,
    pub gateway_message: Option<String>,
    pub fault_codes: Option<String>,
    pub detail: Option<String>,
    /// `detail` in Russian, for the window.
    pub detail_ru: Option<String>,
    pub intent_seq: Option<u64>,
    pub repair: Option<Repair>,
    pub owner: Option<crate::claim::ClaimOwner>,
    /// For `segment_started` and `archived` entries (written by the log itself).
    pub segments: Option<Vec<super::segment::SegmentLink>>,
    /// For `viewed_customer` entries.
    pub shown: Option<Shown>,
    /// The customer's request the action was taken for.
    pub request: Option<String>,
}

impl EntryDraft {
    /// A draft with only the operator and action set.
    pub fn new(operator: Operator, action: AuditAction) -> EntryDraft {
        EntryDraft {
            operator,
            action,
            profile: None,
            customer: None,
            card: None,
            token_fingerprint: None,
            reason: None,
            note: None,
            ticket: None,
            outcome: None,
            read_back: None,
            gateway_message: None,
            fault_codes: None,
            detail: None,
            detail_ru: None,
            intent_seq: None,
            repair: None,
            owner: None,
            segments: None,
            shown: None,
            request: None,
        }
    }

    pub(crate) fn place(self, seq: u64, time: String, prev: String) -> AuditEntry {
        let profile = self.profile;
        AuditEntry {
            seq,
            time,
            operator: self.operator,
            action: self.action,
            profile_id: profile.as_ref().map(|p| p.id.clone()),
            profile_name: profile.as_ref().map(|p| p.name.clone()),
            environment: profile.as_ref().map(|p| p.environment),
            merchant_id: profile.map(|p| p.merchant_id),
            customer: self.customer,
            card: self.card,
            token_fingerprint: self.token_fingerprint,
            reason: self.reason,
            note: self.note,
            ticket: self.ticket,
            outcome: self.outcome,
            read_back: self.read_back,
            gateway_message: self.gateway_message,
            fault_codes: self.fault_codes,
            detail: self.detail,
            intent_seq: self.intent_seq,
            repair: self.repair,
            owner: self.owner,
            segments: self.segments,
            shown: self.shown,
            request: self.request,
            detail_ru: self.detail_ru,
            prev,
            hash: String::new(),
            mac: None,
        }
    }
}

/// The profile an action was taken in, as the log records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileRef {
    pub id: String,
    pub name: String,
    pub environment: Environment,
    pub merchant_id: String,
}

/// `blake3(token in upper case)` as hex, first 12 digits (48 bits).
///
/// Enough to tell a customer's cards apart and to match a token an auditor holds, far too
/// little to recover the token. Upper case because the gateway's matching case is unknown
/// (docs/assist-api.md §7.2) and the client treats tokens differing in case as the same card.
pub fn token_fingerprint(token: &str) -> String {
    let digest = blake3::hash(token.to_ascii_uppercase().as_bytes());
    let mut hex = digest.to_hex().to_string();
    hex.truncate(12);
    hex
}

/// `text` with every token-shaped substring (8-4-4-4-12 hex) replaced by
/// `<token FINGERPRINT>`: gateway messages echo tokens (`Token … is removed`), and the log
/// must never hold one.
pub fn scrub_tokens(text: &str) -> String {
    const LEN: usize = 36;
    let bytes = text.as_bytes();
    let shaped = |w: &[u8]| {
        w.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i + LEN <= bytes.len() {
        if shaped(&bytes[i..i + LEN]) {
            // ASCII only, so these are char boundaries.
            out.push_str(&text[copied..i]);
            out.push_str("<token ");
            out.push_str(&token_fingerprint(&text[i..i + LEN]));
            out.push('>');
            i += LEN;
            copied = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Hex BLAKE3 of `bytes`.
pub(crate) fn hash_hex(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// Sets `entry.hash` and returns its line (without the newline).
pub(crate) fn seal(entry: &mut AuditEntry) -> Result<String, serde_json::Error> {
    entry.hash.clear();
    entry.mac = None;
    let unhashed = serde_json::to_string(&*entry)?;
    // `hash` is the last field: drop its empty member to get the body.
    let head = unhashed
        .strip_suffix(",\"hash\":\"\"}")
        .ok_or_else(|| serde::ser::Error::custom("hash is not the last field"))?;
    let mut body = String::with_capacity(head.len() + 1);
    body.push_str(head);
    body.push('}');
    let hash = hash_hex(body.as_bytes());
    let mut line = String::with_capacity(body.len() + HASH_SUFFIX_LEN);
    line.push_str(head);
    line.push_str(",\"hash\":\"");
    line.push_str(&hash);
    line.push_str("\"}");
    entry.hash = hash;
    Ok(line)
}

/// Why a line is not an intact entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum LineFault {
    /// Not JSON of an entry, or no `hash` member at its end.
    Unreadable,
    /// An entry whose `hash` does not match its bytes.
    HashMismatch(Box<AuditEntry>),
}

/// Reads one line (without its newline) and checks its hash against its bytes.
pub(crate) fn open_line(line: &[u8]) -> Result<AuditEntry, LineFault> {
    let entry: AuditEntry = serde_json::from_slice(line).map_err(|_| LineFault::Unreadable)?;
    if line.len() < HASH_SUFFIX_LEN + 2 {
        return Err(LineFault::Unreadable);
    }
    let (head, suffix) = line.split_at(line.len() - HASH_SUFFIX_LEN);
    let expected_suffix = format!(",\"hash\":\"{}\"}}", entry.hash);
    if suffix != expected_suffix.as_bytes() {
        return Err(LineFault::Unreadable);
    }
    let mut body = Vec::with_capacity(head.len() + 1);
    body.extend_from_slice(head);
    body.push(b'}');
    if hash_hex(&body) == entry.hash {
        Ok(entry)
    } else {
        Err(LineFault::HashMismatch(Box::new(entry)))
    }
}

/// Now, UTC, as RFC 3339 with milliseconds.
pub fn now_rfc3339_ms() -> String {
    format_time(time::OffsetDateTime::now_utc())
}

pub(crate) fn format_time(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn entry() -> AuditEntry {
        EntryDraft::new(
            Operator {
                os_user: "agent".into(),
                display_name: "Agent Smith".into(),
            },
            AuditAction::ViewedCustomer,
        )
        .place(1, "2026-05-01T12:34:56.789Z".into(), GENESIS.into())
    }

    #[test]
    fn a_sealed_line_opens_and_equals_the_serialisation() {
        let mut e = entry();
        let line = seal(&mut e).unwrap();
        assert_eq!(line, serde_json::to_string(&e).unwrap());
        assert!(line.ends_with(&format!(",\"hash\":\"{}\"}}", e.hash)));
        assert_eq!(open_line(line.as_bytes()).unwrap(), e);
    }

    #[test]
    fn any_edit_breaks_the_hash() {
        let mut e = entry();
        let line = seal(&mut e).unwrap();
        let edited = line.replace("Agent Smith", "Agent Jones");
        assert!(matches!(
            open_line(edited.as_bytes()),
            Err(LineFault::HashMismatch(_))
        ));
        assert_eq!(
            open_line(&line.as_bytes()[..line.len() - 5]),
            Err(LineFault::Unreadable)
        );
    }

    #[test]
    fn fingerprint_is_short_case_blind_and_not_the_token() {
        let t = "49D902C6-1CCF-4605-9228-11D0E8115C77";
        let f = token_fingerprint(t);
        assert_eq!(f.len(), 12);
        assert_eq!(f, token_fingerprint(&t.to_lowercase()));
        assert!(!t.to_lowercase().contains(&f));
    }

    #[test]
    fn tokens_are_scrubbed_from_texts() {
        let t = "54F5A3DE-4B47-4B40-03B5-7FF992D6B401";
        let text = format!("Token {t} is removed; again {}.", t.to_lowercase());
        let clean = scrub_tokens(&text);
        let fp = token_fingerprint(t);
        assert_eq!(
            clean,
            format!("Token <token {fp}> is removed; again <token {fp}>.")
        );
        assert_eq!(scrub_tokens("нет токена — 12/2025"), "нет токена — 12/2025");
    }

    #[test]
    fn reasons_round_trip() {
        for r in Reason::ALL {
            assert_eq!(Reason::parse(r.as_str()), Some(r));
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.as_str()));
        }
        assert_eq!(Reason::parse("lost-or-stolen"), Some(Reason::LostOrStolen));
        assert_eq!(Reason::parse("whim"), None);
    }

    #[test]
    fn time_has_milliseconds_and_z() {
        let t = time::macros::datetime!(2026-05-01 12:34:56.789 UTC);
        assert_eq!(format_time(t), "2026-05-01T12:34:56.789Z");
    }

    #[test]
    fn masked_card_summary() {
        let s = CardSummary {
            brand: "VISA".into(),
            bin: "412362".into(),
            last4: "0028".into(),
            expiry: "12/2025".into(),
        };
        assert_eq!(s.masked(), "4123 62•• •••• 0028");
    }
}
