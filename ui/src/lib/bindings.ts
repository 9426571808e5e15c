// Generated from the Rust types by src-tauri/desk/tests/bindings.rs. Do not edit:
// run `CARDDESK_BLESS=1 cargo test -p desk --test bindings` after changing them.

export type ErrorCode = "validation" | "gateway_fault" | "transport" | "untrusted_certificate" | "internal" | "secret_store_unavailable" | "not_found" | "credentials_missing" | "audit_log" | "conflict" | "removal_in_progress" | "team" | "awaiting_approval";

export type ClaimOwner = { 
/**
 * e.g. `Card Desk`, `carddesk revoke`, `bulk job 20261206…`.
 */
program: string, pid: number, 
/**
 * Random per process: tells two processes apart even when the OS reuses a pid.
 */
instance: string, 
/**
 * When this claim was taken (UTC, RFC 3339 with ms).
 */
since: string, };

export type DeskError = { code: ErrorCode, 
/**
 * In English: what the CLI prints and the logs keep (and what [`DeskError::is_disk_full`]
 * reads).
 */
message: string, 
/**
 * The same in Russian, for the window when its language is RU; absent where only English
 * is written (a bug or an environment diagnostic, see [`DeskError::internal`]): the window
 * then shows `message`. The CLI leaves it out.
 */
ru?: string, 
/**
 * For a validation error, the field it is about, by its machine name (`merchant_id`,
 * `base_url`, `customer_number`, …): the UI puts the message beside that input without
 * reading the message.
 */
field?: string, };

export type Environment = "sandbox" | "test" | "production";

export type UiLanguage = "en" | "ru";

export type Exported = { count: number, path: string, };

export type ShippedComponent = { name: string, version: string, license: string, 
/**
 * `crate` (Rust) or `npm` (the window's code).
 */
kind: string, };

export type About = { version: string, 
/**
 * The commit it was built from (short hash), or `unknown`.
 */
build: string, configDir: string, dataDir: string, auditLog: string, components: Array<ShippedComponent>, };

export type CheckFailure = "unreachable" | "timedOut" | "noRelease" | "other";

export type UpdateCheck = { "kind": "current", current: string, } | { "kind": "available", current: string, version: string, 
/**
 * The release notes the manifest carries, if any.
 */
notes?: string, 
/**
 * When the release was published (as the manifest says, RFC 3339), if it says.
 */
published?: string, } | { "kind": "couldNotCheck", current: string, why: CheckFailure, detail: string, };

export type UpdateInstall = { "kind": "installed", version: string, } | { "kind": "refused", version: string, detail: string, } | { "kind": "failed", version: string, detail: string, } | { "kind": "nothingOffered" };

export type StoreKind = "keyring" | "memory";

export type SecretStoreStatus = { kind: StoreKind, reason: string | null, };

export type ProfileView = { id: string, name: string, environment: Environment, baseUrl: string, merchantId: string, login: string, language: string, colour: string, 
/**
 * The built-in sandbox profile: not editable, always there.
 */
builtIn: boolean, hasPassword: boolean, 
/**
 * The keyring could not be asked (it stopped answering): whether a password is stored
 * is unknown, and `has_password` is then `false` without meaning "no password".
 */
passwordUnknown: boolean, };

export type PresetView = { baseUrl: string, label: string, environment: Environment, };

export type DocumentSettings = { operatorName: string, operatorAddress: string, processorName: string, processorAddress: string, informationSystem: string, };

export type Settings = { 
/**
 * Cached card lists younger than this are shown without a refetch; 0 always refetches.
 */
freshnessMinutes: number, 
/**
 * A search the agent types (rather than a view reopened) refetches a cached list older
 * than this many seconds, however fresh `freshness_minutes` calls it: typing a customer
 * again means "what is there now". 0 always refetches.
 */
typedSearchSeconds: number, 
/**
 * Whether looked-up customers are remembered in the recent list.
 */
recordLookups: boolean, 
/**
 * Whether a revocation needs a ticket reference.
 */
requireTicket: boolean, 
/**
 * Whether every view of a customer's cards (live or cached) is written to the audit log
 * as `viewed_customer`.
 */
recordViews: boolean, 
/**
 * The operator's name in audit entries; blank means the OS user name.
 */
operatorName: string, 
/**
 * Where the ticket write-back's signed events go (docs/webhooks.md); blank turns it off.
 */
webhookUrl: string, 
/**
 * Who the request documents name as the operator (and any processor), and the
 * information system: Settings → Documents. A file from before these existed loads blank.
 */
documents: DocumentSettings, };

export type NoticeKind = "profiles_set_aside" | "audit_chain_broken" | "cache_key_changed" | "cache_damaged" | "jobs_interrupted";

export type StartupNotice = { kind: NoticeKind, params: { [key in string]: string }, };

export type DeskStatus = { version: string, secretStore: SecretStoreStatus, activeProfileId: string, profiles: Array<ProfileView>, settings: Settings, presets: Array<PresetView>, 
/**
 * Set when the audit log cannot be used: revocations are refused until it is fixed, so
 * the UI says so at start rather than at the first revoke.
 */
auditProblem: DeskError | null, 
/**
 * Removals a previous session left open are being checked (in the background).
 */
recovering: boolean, 
/**
 * Start-up's check of the whole audit chain is still running (in the background): a
 * broken chain joins `notices` when it ends, so the UI looks again until then.
 */
checking: boolean, 
/**
 * What start-up survived and the user should know (a damaged file set aside, a broken
 * audit chain, a rebuilt cache); each is a banner until dismissed.
 */
notices: Array<StartupNotice>, };

export type ProfileDraft = { name: string, 
/**
 * `sandbox`, `test` or `production` (any case).
 */
environment: string, baseUrl: string, merchantId: string, login: string, 
/**
 * `RU` or `EN` (any case).
 */
language: string, 
/**
 * `#rrggbb`.
 */
colour: string, };

export type ArtFormat = "image" | "pdf" | "text" | "html" | "other";

export type ArtRef = { key: string, format: ArtFormat, mediaType: string, alt: string | null, width: number | null, height: number | null, };

export type CardArt = { combined: ArtRef | null, background: ArtRef | null, brandLogo: ArtRef | null, issuerLogo: ArtRef | null, coBrandLogo: ArtRef | null, icon: ArtRef | null, terms: ArtRef | null, };

export type ExpiryView = { month: number, year: number, };

export type CardView = { token: string, bin: string, last4: string, masked: string, brand: string, bank: string, expiry: ExpiryView | null, 
/**
 * `MM/YYYY`, or the gateway's text when it could not be read.
 */
expiryText: string, active: boolean, needCvc: boolean, expired: boolean, 
/**
 * Expires this month or next.
 */
expiresSoon: boolean, art: CardArt, };

export type Source = "live" | "cache";

export type Freshness = "fresh" | "typed" | "live";

export type Lookup = { profileId: string, profileName: string, environment: Environment, customer: string, cards: Array<CardView>, 
/**
 * RFC 3339, UTC: when these cards were fetched from the gateway.
 */
fetchedAt: string, source: Source, 
/**
 * Older than the freshness setting.
 */
stale: boolean, 
/**
 * Set when the gateway could not be reached and cached data is shown instead.
 */
offlineReason: string | null, };

export type ProfileLookup = { profileId: string, profileName: string, environment: Environment, lookup: Lookup | null, error: DeskError | null, };

export type Verdict = "ok" | "bad_credentials" | "no_access" | "untrusted_certificate" | "unreachable" | "no_password" | "failed";

export type ConnectionCheck = { verdict: Verdict, 
/**
 * In English: what the gateway answered, or why the check stopped.
 */
message: string, 
/**
 * The same in Russian, for the window when its language is RU (as `DeskError.ru`: the
 * window picks with `errorText()`). Every check "Test connection" makes has it.
 */
ru?: string, };

export type RecentCustomer = { customer: string, 
/**
 * When it was last looked up, unix ms UTC.
 */
lastLookup: number, 
/**
 * How many cards that lookup found.
 */
cardCount: number, };

export type Reason = "customer_request" | "lost_or_stolen" | "suspected_fraud" | "erasure_request" | "duplicate" | "expired" | "other";

export type AuditAction = "revoke_intent" | "revoke_outcome" | "viewed_customer" | "recovered_outcome" | "log_repaired" | "segment_started" | "archived" | "request_event" | "approval";

export type AuditOutcome = "removed" | "removed_confirmed_by_recheck" | "not_removed" | "unknown" | "already_removed";

export type ReadBack = "absent" | "listed" | "failed";

export type Operator = { osUser: string, displayName: string, };

export type CardSummary = { brand: string, bin: string, last4: string, 
/**
 * `MM/YYYY`, or the gateway's own text when it could not be read.
 */
expiry: string, };

export type Repair = { 
/**
 * Byte offset of the fragment in the file.
 */
offset: number, 
/**
 * Its length in bytes (without the newline added after it).
 */
length: number, 
/**
 * Hex BLAKE3 of the fragment's bytes, so it cannot be changed later unnoticed.
 */
fragmentHash: string, };

export type SegmentLink = { 
/**
 * File name under `segments/`.
 */
name: string, 
/**
 * Lines the segment holds (entries, and any repaired fragment).
 */
entries: number, firstSeq: number, lastSeq: number, lastHash: string, 
/**
 * Time of its last entry.
 */
lastTime: string, 
/**
 * Hex BLAKE3 of the segment's bytes.
 */
blake3: string, };

export type ShownFrom = "gateway" | "cache" | "cache_offline";

export type Shown = { cards: number, from: ShownFrom, };

export type AuditEntry = { 
/**
 * 1, 2, 3, … without gaps.
 */
seq: number, 
/**
 * UTC, RFC 3339 with milliseconds: `2026-05-01T12:34:56.789Z`.
 */
time: string, operator: Operator, action: AuditAction, profileId: string | null, profileName: string | null, environment: Environment | null, merchantId: string | null, customer: string | null, card: CardSummary | null, 
/**
 * See [`token_fingerprint`].
 */
tokenFingerprint: string | null, reason: Reason | null, note: string | null, ticket: string | null, outcome: AuditOutcome | null, readBack: ReadBack | null, 
/**
 * The gateway's success message, as sent.
 */
gatewayMessage: string | null, 
/**
 * The fault's codes, e.g. `10/203`.
 */
faultCodes: string | null, 
/**
 * Decoded fault or transport error, or a note on the action (view source, recovery).
 */
detail: string | null, 
/**
 * On outcome entries: the `seq` of the intent they settle.
 */
intentSeq: number | null, repair: Repair | null, 
/**
 * On `revoke_intent` entries: the process that sends the removal (absent on entries
 * written before owners were recorded, and on other actions).
 */
owner?: ClaimOwner, 
/**
 * On `segment_started` (the segment closed before it) and `archived` (each segment
 * moved) entries; absent on others.
 */
segments?: Array<SegmentLink>, 
/**
 * On `viewed_customer` entries (absent on those written before it was recorded).
 */
shown?: Shown, 
/**
 * The customer's request (its id in the register) the action was taken for; absent on
 * actions outside a request and on entries written before requests were recorded.
 */
request?: string, 
/**
 * `detail` in Russian, for a window in Russian (the log's readers have `detail`); on
 * outcome and settling entries written since it was recorded.
 */
detailRu?: string, 
/**
 * The previous entry's `hash`; [`GENESIS`] for the first.
 */
prev: string, 
/**
 * Hex BLAKE3 of this line without its `hash` member.
 */
hash: string, 
/**
 * `<key id>:<hex keyed BLAKE3>` of the same bytes `hash` covers, under the log's key in
 * the OS keyring (see `audit/mac.rs`); absent on lines written without the key.
 */
mac?: string, };

export type AuditQuery = { 
/**
 * From this time on (inclusive): RFC 3339, or a date `YYYY-MM-DD` (its start, UTC).
 */
from: string | null, 
/**
 * Up to this time (inclusive): RFC 3339, or a date (through its end, UTC).
 */
to: string | null, profileId: string | null, 
/**
 * The customer number, any case (the whole number: the index keeps keyed hashes of
 * customer numbers, never the numbers, so it finds a whole one).
 */
customer: string | null, 
/**
 * Part of the operator's OS user or display name, any case.
 */
operator: string | null, outcome: AuditOutcome | null, action: AuditAction | null, 
/**
 * Entries to skip, newest first.
 */
offset: number, 
/**
 * Page size; 0 means [`DEFAULT_PAGE`], at most [`MAX_PAGE`].
 */
limit: number, };

export type AuditPage = { total: number, offset: number, entries: Array<AuditEntry>, };

export type BreakKind = "edited" | "missing" | "out_of_order" | "prev_mismatch" | "unreadable" | "truncated" | "mac_mismatch" | "cut" | "replaced" | "segment_link";

export type BrokenLink = { 
/**
 * 1-based line number in the file.
 */
line: number, 
/**
 * Byte offset of the line.
 */
offset: number, 
/**
 * The `seq` the line carries, when it can be read.
 */
seq: number | null, 
/**
 * The `seq` that should be there.
 */
expectedSeq: number, problem: BreakKind, message: string, };

export type RepairedLine = { line: number, offset: number, length: number, 
/**
 * `seq` of the `log_repaired` entry.
 */
repairedBy: number, };

export type Mark = { seq: number, hash: string, };

export type KeyedCheck = { 
/**
 * MACs were checked with the log's key.
 */
macChecked: boolean, 
/**
 * Entries whose MAC matched.
 */
macsValid: number, 
/**
 * The keyring's high-water mark, when one was read.
 */
mark: Mark | null, 
/**
 * The mark was compared with the file.
 */
markChecked: boolean, 
/**
 * `seq` of the last entry of the intact chain (0 when empty).
 */
lastSeq: number, 
/**
 * Every entry up to this `seq` is vouched for by a matching MAC (of it or of a later
 * entry, whose MAC covers its `prev`) or by the mark; 0 when none is.
 */
authenticatedThrough: number, 
/**
 * What was not checked and why, e.g. "MAC not checked (keyring unavailable: …)".
 */
notes: Array<string>, };

export type ExpectedEntry = { hash: string, found: boolean, 
/**
 * Its `seq`, when found.
 */
seq: number | null, };

export type Verification = { 
/**
 * Readable entries in the file.
 */
entries: number, 
/**
 * No break anywhere.
 */
ok: boolean, firstBroken: BrokenLink | null, repaired: Array<RepairedLine>, 
/**
 * `seq` of intents without an outcome entry (the app stopped in between): not a break,
 * but work for recovery.
 */
openIntents: Array<number>, 
/**
 * `hash` of the last entry of an intact chain ([`GENESIS`] when empty).
 */
lastHash: string, 
/**
 * What the keyring's MAC key and high-water mark showed, and what they could not.
 */
keyed?: KeyedCheck | null, 
/**
 * The entry asked for with `--expect` (the hash pasted into a ticket), when one was.
 */
expected?: ExpectedEntry | null, 
/**
 * Where entry times go backwards (the clock was set back, or had run ahead before):
 * not a break — the chain orders entries, not their times — but the times around it
 * cannot be taken at their word.
 */
clockWarnings: Array<string>, };

export type ExportFormat = "csv" | "json";

export type RevokeRequest = { profileId: string, customer: string, 
/**
 * The token exactly as the card list showed it.
 */
token: string, 
/**
 * The card's last 4 digits, typed by the operator from what the customer says.
 */
last4Confirmation: string, reason: Reason, 
/**
 * Required when `reason` is `other`.
 */
note: string | null, 
/**
 * Required unless the "require a ticket" setting is off.
 */
ticket: string | null, 
/**
 * Production profiles: the customer number typed again.
 */
customerConfirmation: string | null, 
/**
 * The agent's offset from UTC in minutes, for the date in the reply to the customer (a
 * letter says the local date, not a UTC time). UTC when absent.
 */
utcOffsetMinutes?: number, 
/**
 * The customer's request (its register id) this removal is for: checked before anything
 * is sent (open, identity confirmed, about this customer) and linked to the outcome.
 */
request?: string, };

export type RevokeAllRequest = { profileId: string, customer: string, reason: Reason, note: string | null, ticket: string | null, customerConfirmation: string | null, 
/**
 * As in [`RevokeRequest`].
 */
utcOffsetMinutes?: number, 
/**
 * The customer's request (its register id) this removal is for: checked before anything
 * is sent (open, identity confirmed, about this customer) and linked to the outcome.
 */
request?: string, };

export type Revocation = { outcome: AuditOutcome, 
/**
 * e.g. "removed (confirmed by re-check)".
 */
label: string, 
/**
 * One sentence for the operator on what happened and what to do.
 */
explanation: string, customer: string, card: CardSummary, 
/**
 * `4123 62•• •••• 0028`.
 */
masked: string, tokenFingerprint: string, 
/**
 * When the outcome was recorded (UTC, RFC 3339 with ms).
 */
time: string, intentSeq: number, 
/**
 * `seq` of the outcome entry.
 */
auditSeq: number, 
/**
 * `hash` of the outcome entry: paste it into the ticket to anchor the log.
 */
auditHash: string, readBack: ReadBack, gatewayMessage: string | null, faultCodes: string | null, 
/**
 * The decoded fault or transport error, when there was one.
 */
detail: string | null, 
/**
 * `detail` in Russian.
 */
detailRu?: string, 
/**
 * The ticket, or `audit #<seq>`.
 */
reference: string, replyEn: string, replyRu: string, };

export type RevokeAllItem = { card: CardSummary, masked: string, tokenFingerprint: string, revocation: Revocation | null, error: DeskError | null, };

export type RevokeAllResult = { items: Array<RevokeAllItem>, 
/**
 * The ticket, or the first outcome entry's number.
 */
reference: string, replyEn: string, replyRu: string, };

export type OpenIntent = { intentSeq: number, profileId: string | null, customer: string | null, reason: string, 
/**
 * `reason` in Russian, for a window in Russian.
 */
reasonRu: string, };

export type Recovery = { 
/**
 * The `recovered_outcome` entries written.
 */
recovered: Array<AuditEntry>, leftOpen: Array<OpenIntent>, };

export type RowState = "pending" | "planned" | "in_flight" | "done" | "failed" | "held" | "skipped";

export type PlanClass = "exact" | "all" | "none" | "ambiguous" | "no_match" | "needs_erasure" | "invalid" | "duplicate" | "list_failed" | "covered";

export type CardState = "planned" | "in_flight" | "done" | "failed" | "skipped";

export type ColumnMap = { customer: string | null, last4: string | null, expiry: string | null, token: string | null, ticket: string | null, reason: string | null, note: string | null, };

export type CsvPreview = { 
/**
 * An opaque handle to the file the user chose in the native dialog: the import step sends
 * it back, so the webview never holds or names a path (docs/security.md).
 */
source: string, fileName: string, headers: Array<string>, 
/**
 * `,` or `;`.
 */
delimiter: string, 
/**
 * Columns recognised by their header (aliases in English and Russian).
 */
suggested: ColumnMap, sample: Array<Array<string>>, };

export type BulkDraft = { 
/**
 * [`CsvPreview::source`]: a file chosen in the native dialog, never a path.
 */
source: string, map: ColumnMap, erasure: boolean, ticket: string | null, reason: Reason, note: string | null, };

export type RunOptions = { concurrency: number, 
/**
 * The most gateway requests per second across all workers; `None`: no ceiling. The job
 * goes slower when the gateway's rate limit refuses requests (`assist::Pace`).
 */
rate: number | null, 
/**
 * How long a row may keep being refused by the gateway's rate limit before it ends as
 * failed, in seconds; `None`: [`DEFAULT_PATIENCE`].
 */
patienceSecs?: number, };

export type Progress = { 
/**
 * Rows this pass works on.
 */
total: number, 
/**
 * Rows finished this pass (any final state).
 */
finished: number, done: number, failed: number, held: number, skipped: number, 
/**
 * Rows per second so far.
 */
rate: number, etaSeconds: number | null, 
/**
 * Gateway requests per second the job sends at now (its pace, at most the rate asked
 * for); `None`: not paced (no ceiling and no refusal yet).
 */
pace: number | null, 
/**
 * The gateway's rate limit is holding the job back: the pace was cut in the last few
 * seconds, or the gateway asked to wait (`Retry-After`); refused requests are retried.
 */
limited: boolean, 
/**
 * Gateway requests refused for their rate so far in this pass (each tried again).
 */
refused: number, };

export type JobSummary = { jobId: string, rows: number, 
/**
 * Rows per [`RowState`] (states no row is in are left out).
 */
states: Partial<Record<RowState, number>>, 
/**
 * Rows per [`PlanClass`] (classes no row has are left out).
 */
classes: Partial<Record<PlanClass, number>>, 
/**
 * Cards the plan would remove (or has removed).
 */
cards: number, 
/**
 * Cards the next run would send a removal for (planned, not yet sent): what a
 * production run's confirmation asks for.
 */
toRemove: number, 
/**
 * Input problems, at most [`PROBLEMS_SHOWN`].
 */
problems: Array<string>, problemCount: number, erasure: boolean, };

export type JobPhase = "created" | "planning" | "planned" | "running" | "paused" | "finished" | "interrupted";

export type JobView = { id: string, created: string, source: string, profileId: string | null, profileName: string | null, environment: Environment | null, erasure: boolean, rows: number, phase: JobPhase, summary: JobSummary, 
/**
 * The concurrency and rate the job last ran with: the run form starts from them.
 */
options: RunOptions | null, };

export type BulkCard = { masked: string, brand: string, last4: string, state: CardState, outcome: string | null, fault: string | null, time: string | null, };

export type BulkRow = { row: number, customer: string | null, last4: string | null, ticket: string | null, state: RowState, class: PlanClass | null, cards: Array<BulkCard>, message: string | null, time: string | null, };

export type RowPage = { rows: Array<BulkRow>, 
/**
 * Rows matching the filter.
 */
total: number, offset: number, };

export type JobAction = "pause" | "resume" | "cancel";

export type RequestId = string;

export type RequestKind = "card_refusal" | "access152" | "erasure152" | "access_gdpr" | "erasure_gdpr";

export type DeadlineBasis = "fz152_access_10_working_days" | "fz152_access_15_working_days" | "fz152_erasure_30_days" | "gdpr_one_month" | "gdpr_three_months";

export type YearStatus = "confirmed" | "provisional";

export type Deadline = { 
/**
 * The last day on which the answer (or the action) is still in time.
 */
due: string, basis: DeadlineBasis, 
/**
 * When ГК РФ ст. 193 moved the last day off a non-working day: the day it fell on.
 */
rolledFrom: string | null, 
/**
 * A calendar year used is provisional (or missing): the real last day may differ.
 */
provisional: boolean, 
/**
 * The count reached a year the calendar has no data for; those days were counted on
 * Saturdays and Sundays alone, so `due` is an estimate (docs/customer-requests.md §5).
 */
beyondCalendar: boolean, 
/**
 * `Calendar::version` of the calendar consulted; `None` when the clock needs none (GDPR).
 */
calendarVersion: string | null, };

export type Received = { "precision": "instant", at: string, offset: number, } | { "precision": "day", date: string, };

export type Channel = "ticket" | "email" | "phone" | "letter" | "web_form";

export type ProfileRef = { "profile": string } | "all_profiles";

export type Subject = { customerNumber: string, profile: ProfileRef, };

export type SubjectDraft = { customerNumber: string, profile: ProfileRef, };

export type RequestDraft = { kind: RequestKind, received: Received, channel: Channel, ticket: string | null, subjects: Array<SubjectDraft>, assignee: string | null, };

export type IdentityCheck = { 
/**
 * What was asked or compared (e.g. "e-mail on file and last 4 of the card").
 */
asked: string, matched: boolean, by: string, at: string, };

export type Status = { "state": "new" } | { "state": "in_progress" } | { "state": "answered" } | { "state": "closed" } | { "state": "refused", reason: string, };

export type StatusKind = "new" | "in_progress" | "answered" | "closed" | "refused";

export type Note = { text: string, by: string, at: string, };

export type Extension = { 
/**
 * The day the reasoned notice was sent to the subject.
 */
noticeSentOn: string, reason: string, 
/**
 * The last day before the extension.
 */
originalDue: string, by: string, at: string, };

export type AuditRef = { seq: number, 
/**
 * The entry's hex hash, 64 lowercase digits.
 */
hash: string, };

export type RemovalResult = "removed" | "not_removed" | "unknown";

export type RemovalLink = { audit: AuditRef, customer: string, result: RemovalResult, 
/**
 * The `seq` of an earlier `unknown` link this one settles (a recovered outcome).
 */
settles: number | null, };

export type DocumentKind = "answer" | "confirmation" | "destruction_act" | "log_export" | "extension_notice" | "other";

export type Document = { kind: DocumentKind, 
/**
 * The file name (no directory).
 */
name: string, 
/**
 * 64 lowercase hex digits.
 */
sha256: string, };

export type OpenItem = { "item": "missing_document", kind: DocumentKind, } | { "item": "unsettled_removal", seq: number, };

export type EventKind = { "type": "created" } | { "type": "status_changed", from: StatusKind, to: StatusKind, 
/**
 * Closed with open items, which `open` lists.
 */
forced: boolean, open: Array<OpenItem>, } | { "type": "identity_checked", matched: boolean, } | { "type": "assigned", assignee: string | null, } | { "type": "note_added" } | { "type": "extended", notice: string, due: string, } | { "type": "deadline_recomputed", previous: string | null, due: string | null, calendar: string | null, } | { "type": "removal_linked" } & RemovalLink | { "type": "audit_linked", audit: AuditRef, } | { "type": "document_produced" } & Document;

export type RequestEvent = { at: string, by: string, what: EventKind, };

export type Request = { id: RequestId, 
/**
 * Bumped by the store on every write; an update names the version it was made to.
 */
version: number, kind: RequestKind, received: Received, channel: Channel, ticket: string | null, subjects: Array<Subject>, identityChecks: Array<IdentityCheck>, assignee: string | null, status: Status, notes: Array<Note>, extension: Extension | null, 
/**
 * `None` for a kind without a statutory deadline.
 */
deadline: Deadline | null, events: Array<RequestEvent>, createdAt: string, updatedAt: string, };

export type RequestFilter = { 
/**
 * Only these statuses (empty: all).
 */
statuses: Array<StatusKind>, 
/**
 * Only requests whose clock runs (new, in progress).
 */
openOnly: boolean, kind: RequestKind | null, assignee: string | null, 
/**
 * Only requests naming this customer number (exactly).
 */
customerNumber: string | null, 
/**
 * Only requests due on or before this day (requests without a deadline are left out).
 */
dueBy: string | null, };

export type DueState = "stopped" | "no_deadline" | "upcoming" | "due_today" | "overdue";

export type DueCounts = { 
/**
 * Requests whose clock runs.
 */
open: number, dueToday: number, overdue: number, 
/**
 * Open requests without a statutory deadline (376-FZ refusals: act before the next debit).
 */
noDeadline: number, 
/**
 * Open requests whose deadline is provisional or beyond the calendar.
 */
provisional: number, };

export type RequestView = { request: Request, due: DueState, openItems: Array<OpenItem>, identityConfirmed: boolean, };

export type RequestList = { requests: Array<RequestView>, counts: DueCounts, 
/**
 * The agent's date the states and counts are for, `YYYY-MM-DD`.
 */
today: string, };

export type RequestAction = { "action": "identity_check", asked: string, matched: boolean, } | { "action": "status", to: Status, force: boolean, } | { "action": "extend", noticeSentOn: string, reason: string, } | { "action": "note", text: string, } | { "action": "assign", assignee: string | null, };

export type ProducedDocument = { kind: DocumentKind, 
/**
 * The file's name (no folder).
 */
name: string, 
/**
 * Where it was saved, for the agent to read (the window never sends a path back).
 */
path: string, 
/**
 * 64 lowercase hex digits: also in the request and in the audit log.
 */
sha256: string, request: RequestView, };

export type ErasureSignatory = { name: string, position: string, };

export type ErasureDetails = { operatorName: string, operatorAddress: string, processorName: string | null, processorAddress: string | null, informationSystem: string, destroyedBy: Array<ErasureSignatory>, };

export type AccessDetails = { operatorName: string, operatorAddress: string, processorName: string | null, processorAddress: string | null, purposes: string, legalGrounds: string, methods: string, recipients: string, source: string, storage: string, crossBorder: string, rights: string, };

export type EventId = string;

export type WebhookEventKind = "status_changed" | "card_removed";

export type Attempt = { at: string, 
/**
 * The HTTP status, when the receiver answered.
 */
status: number | null, 
/**
 * What went wrong, in words (never the URL, the body or the secret).
 */
error: string | null, };

export type PendingState = "waiting" | "behind" | "failed";

export type PendingEvent = { id: EventId, kind: WebhookEventKind, requestId: string, occurredAt: string, state: PendingState, attempts: number, 
/**
 * When it is sent next (`null` when failed, or due now).
 */
nextAttemptAt: string | null, lastAttempt: Attempt | null, };

export type Settlement = "delivered" | "discarded";

export type SettledEvent = { id: EventId, kind: WebhookEventKind, requestId: string, occurredAt: string, settlement: Settlement, settledAt: string, attempts: number, 
/**
 * The 2xx status it was delivered with.
 */
status: number | null, };

export type History = { deliveredTotal: number, discardedTotal: number, recent: Array<SettledEvent>, };

export type WriteBackView = { 
/**
 * The webhook's address from Settings; empty when write-back is off.
 */
url: string, 
/**
 * Whether a signing secret is stored; `None` when the keyring could not be asked.
 */
secretStored: boolean | null, 
/**
 * Whether the delivery loop is running in this app.
 */
delivering: boolean, 
/**
 * Events not delivered yet, oldest first (waiting, behind an earlier one, or failed).
 */
pending: Array<PendingEvent>, 
/**
 * What was delivered or discarded: totals and the most recent.
 */
history: History, 
/**
 * Why events cannot be queued or sent at the moment (the outbox's disk, a missing
 * secret), in words; `None` when nothing stands in the way.
 */
problem: string | null, };

export type TeamSetup = { host: string, port: number, database: string, user: string, 
/**
 * What the team calls this desk ("Anna's laptop", "back office 2").
 */
deskName: string, };

export type TeamView = { 
/**
 * `None`: team mode is off.
 */
setup: TeamSetup | null, 
/**
 * Whether a password is stored; `None` when the keyring could not be asked.
 */
passwordStored: boolean | null, 
/**
 * This desk's id in the team (made on first use).
 */
deskId: string | null, 
/**
 * The shipping loop runs in this app.
 */
shipping: boolean, 
/**
 * The highest entry in this desk's log.
 */
localLast: number, 
/**
 * The highest entry the team trail has from this desk, as last heard.
 */
shippedThrough: number, 
/**
 * Entries the team trail lacks: "team trail behind by N entries".
 */
behind: number, 
/**
 * When the trail was last heard from (RFC 3339), if ever in this session.
 */
lastContact: string | null, 
/**
 * Why shipping does not go through now, in words; `None` when nothing stands in the way.
 */
problem: DeskError | null, 
/**
 * Customers' requests are the team's register in its database (team mode with a
 * password), not this desk's own.
 */
sharedRegister: boolean, };

export type TeamCheck = { serverVersion: string, user: string, 
/**
 * The team roles the login holds (`carddesk_agent`, …; `owner` for the schema's owner).
 */
roles: Array<string>, 
/**
 * Migrations the database has, after this test.
 */
migrations: Array<string>, 
/**
 * Migrations this test applied (the login owns the schema and it was behind).
 */
appliedNow: Array<string>, 
/**
 * The connection is encrypted (TLS); only a database on this machine may go without.
 */
encrypted: boolean, };

export type Policy = { productionBulk: boolean, productionRevokeAll: boolean, 
/**
 * Any run of more than this many cards (`None`: no such limit).
 */
cardsOver: number | null, setBy: string, };

export type Approval = { id: string, desk: string, action: string, environment: string, merchantId: string, subject: string, cards: number, 
/**
 * The dry run's counts, or `{customer, cards}` with the cards masked.
 */
summary: Record<string, unknown>, requestedBy: string, requestedAs: string, 
/**
 * RFC 3339.
 */
requestedAt: string, 
/**
 * `waiting`, `approved`, `rejected` or `used`.
 */
state: string, decidedBy: string | null, decidedAs: string | null, decidedAt: string | null, note: string | null, };

export type TeamPolicyView = { policy: Policy, 
/**
 * This login may decide approvals and set the policy.
 */
supervisor: boolean, };

export type TeamAuditEntry = { deskName: string, deskId: string, seq: number, 
/**
 * The entry, when its line reads and its hash matches its bytes; `None` when not (then
 * `carddesk audit verify --team` names the break).
 */
entry: AuditEntry | null, };

export type TeamAuditPage = { 
/**
 * Matching entries, counted up to `desk_team::TRAIL_COUNT_MAX`.
 */
total: number, 
/**
 * More match than `total` says.
 */
totalCapped: boolean, offset: number, entries: Array<TeamAuditEntry>, };

export type LinkIntent = { "kind": "lookup", customer: string, profile?: string, ticket?: string, } | { "kind": "new_request", requestKind: RequestKind, customer?: string, profile?: string, ticket?: string, 
/**
 * When the request was received: `YYYY-MM-DD` or RFC 3339, not in the future.
 */
received?: string, };

export type OpenedLink = { intent: LinkIntent, 
/**
 * The named profile's display name and environment, when the link names one.
 */
profileName?: string, environment?: Environment, 
/**
 * A production profile: the window opens it read-only until the agent confirms.
 */
readOnly: boolean, };

export type LinkMessage = { link?: OpenedLink, error?: DeskError, };

/** Longest note on a removal, in characters. */
export const NOTE_MAX = 500
/** Longest ticket reference, in characters. */
export const TICKET_MAX = 64
/** Why a card is removed, in the order the UI offers them. */
export const REASONS = ["customer_request","lost_or_stolen","suspected_fraud","erasure_request","duplicate","expired","other"] as const
/** Characters the gateway strips from a customer number (refused rather than stripped). */
export const CUSTOMER_FORBIDDEN_CHARS = ["<",">","\"","=","'","/","(",")",";","#"] as const
/** Longest note on a customer's request, in characters. */
export const REQUEST_NOTE_MAX = 4000
/** Longest free text on a request (what was asked to identify, a reason), in characters. */
export const REQUEST_TEXT_MAX = 2000
/** Longest name of a person on a request (who did it, the assignee), in characters. */
export const REQUEST_NAME_MAX = 100
/** Longest customer number, in characters. */
export const CUSTOMER_MAX = 32
/** Longest profile name, in characters. */
export const PROFILE_NAME_MAX = 60
/** Most digits in a merchant id. */
export const MERCHANT_ID_DIGITS = 15
/** Longest gateway login, in characters. */
export const LOGIN_MAX = 20
/** Longest gateway password, in characters. */
export const PASSWORD_MAX = 30
/** The most gateway requests a bulk job may have in flight. */
export const CONCURRENCY_MAX = 16
/** The highest request rate a bulk job may ask for, per second. */
export const RATE_MAX = 1000
