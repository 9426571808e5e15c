// The one seam between the UI and Rust: only this module imports @tauri-apps/*. UI tests mock
// Tauri's IPC underneath it. Errors arrive from Rust as {code, message, ru?, field?} (DeskError):
// `message` is English, `ru` the same in Russian (errorText() in errors.ts picks one).
// Never log the arguments of a call: customer numbers and passwords pass through here.
// Long bulk passes stream Progress through a Tauri Channel (the `onProgress` argument).
import { Channel, convertFileSrc, invoke } from '@tauri-apps/api/core'
import type {
  About,
  Approval,
  Policy,
  TeamPolicyView,
  AccessDetails,
  ErasureDetails,
  LinkMessage,
  ProducedDocument,
  RequestAction,
  RequestDraft,
  RequestFilter,
  RequestList,
  RequestView,
  UpdateCheck,
  UpdateInstall,
  AuditPage,
  AuditQuery,
  BulkDraft,
  CsvPreview,
  JobAction,
  JobView,
  Progress,
  RowPage,
  RowState,
  RunOptions,
  ConnectionCheck,
  DeskError,
  DeskStatus,
  ErrorCode,
  ExportFormat,
  Freshness,
  Exported,
  Lookup,
  ProfileDraft,
  ProfileLookup,
  ProfileView,
  RecentCustomer,
  Recovery,
  Revocation,
  RevokeAllResult,
  RevokeAllRequest,
  RevokeRequest,
  Settings,
  TeamAuditPage,
  TeamCheck,
  TeamSetup,
  TeamView,
  UiLanguage,
  Verification,
  WriteBackView,
} from './bindings'

export type * from './bindings'

export class AppError extends Error {
  readonly code: ErrorCode
  /** For a validation error, the field it is about (Rust's machine name, e.g. `merchant_id`). */
  readonly field?: string
  /** The message in Russian, when Rust wrote one (`message` is English). */
  readonly ru?: string
  constructor(code: ErrorCode, message: string, field?: string, ru?: string) {
    super(message)
    this.code = code
    if (field !== undefined) this.field = field
    if (ru !== undefined) this.ru = ru
  }
}

function toAppError(e: unknown): AppError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const { code, message, field, ru } = e as DeskError
    return new AppError(code, String(message), field ?? undefined, typeof ru === 'string' ? ru : undefined)
  }
  return new AppError('internal', typeof e === 'string' ? e : 'Unexpected error')
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args)
  } catch (e) {
    throw toAppError(e)
  }
}

export const deskStatus = () => call<DeskStatus>('desk_status')
/** `want`: how old a cached list may be — `fresh` (the settings), `typed` (a search the agent
 * typed: at most the typed-search setting), `live` (always the gateway). `request`: the request
 * the lookup is made from; Rust then logs the view under it (and refuses another customer). */
export const lookup = (customer: string, want: Freshness = 'fresh', request: string | null = null) =>
  call<Lookup>('lookup', request ? { customer, want, request } : { customer, want })
/** The same customer in every profile. `request`: the request the lookup is made from; Rust
 * then logs each profile's view under it (and refuses another customer). */
export const lookupAll = (customer: string, request: string | null = null) =>
  call<ProfileLookup[]>('lookup_all', request ? { customer, request } : { customer })
export const recentCustomers = (query: string) => call<RecentCustomer[]>('recent_customers', { query })
export const forgetCustomer = (customer: string) => call<void>('forget_customer', { customer })
export const clearCache = () => call<void>('clear_cache')
export const saveProfile = (id: string | null, draft: ProfileDraft, password: string | null) =>
  call<ProfileView>('save_profile', { id, draft, password })
export const deleteProfile = (id: string) => call<void>('delete_profile', { id })
export const activateProfile = (id: string) => call<void>('activate_profile', { id })
export const setPassword = (id: string, password: string) => call<void>('set_password', { id, password })
export const clearPassword = (id: string) => call<void>('clear_password', { id })
export const testConnection = (id: string) => call<ConnectionCheck>('test_connection', { id })
export const saveSettings = (settings: Settings) => call<Settings>('save_settings', { settings })
/** The ticket write-back: the webhook's address, whether a secret is stored, what waits, what left. */
export const writeBack = () => call<WriteBackView>('write_back')
/** The webhook's signing secret goes into the keyring; it never comes back. */
export const setWebhookSecret = (secret: string) => call<void>('set_webhook_secret', { secret })
export const clearWebhookSecret = () => call<void>('clear_webhook_secret')
/** Sends a failed event again; its request's later events follow it. */
export const writeBackRetry = (id: string) => call<void>('write_back_retry', { id })
/** Drops a failed event for good, so its request's later events can go. */
export const writeBackDiscard = (id: string) => call<void>('write_back_discard', { id })
/** Team mode (issue 17, Settings → Team): where the team's PostgreSQL is, and how far its trail has this desk's log. */
export const teamView = () => call<TeamView>('team_view')
/** Saves where the team database is (`null` turns team mode off) and restarts shipping. */
export const saveTeamSetup = (setup: TeamSetup | null) => call<TeamView>('save_team_setup', { setup })
/** The team login's password goes into the keyring; it never comes back. */
export const setTeamPassword = (password: string) => call<void>('set_team_password', { password })
export const clearTeamPassword = () => call<void>('clear_team_password')
/** "Test connection" with the setup as typed, and the password as typed or (`null`) the stored one. */
export const testTeam = (setup: TeamSetup, password: string | null) => call<TeamCheck>('test_team', { setup, password })
/** Four-eyes (issue 17, Settings → Team → Approvals): approval requests, newest first; `waitingOnly` leaves out the decided ones. */
export const teamApprovals = (waitingOnly: boolean) => call<Approval[]>('team_approvals', { waitingOnly })
/** A supervisor approves or rejects with a note (1–500 characters); refused (`team`) for an agent, the one who asked, or one already decided. */
export const decideApproval = (id: string, approve: boolean, note: string) => call<Approval>('decide_approval', { id, approve, note })
/** The team's four-eyes policy, and whether this login is a supervisor (who decides and sets it). */
export const teamPolicy = () => call<TeamPolicyView>('team_policy')
/** Sets which actions need a second person (a supervisor only); `cardsOver` null: no limit by size. */
export const setTeamPolicy = (productionBulk: boolean, productionRevokeAll: boolean, cardsOver: number | null) =>
  call<Policy>('set_team_policy', { productionBulk, productionRevokeAll, cardsOver })
/** The whole team's audit trail (issue 17, the audit view's "Whole team"): a page of every desk's
 * entries, newest first, with the same filters as `auditQuery` except the profile (refused with
 * field `profileId`: the team trail does not index it); `total` is counted up to 10,000
 * (`totalCapped` then). An entry is null when its line does not read back as intact. */
export const teamAudit = (query: AuditQuery) => call<TeamAuditPage>('team_audit', { query })
/** The agent's offset from UTC now (east positive): a reply's date and a request's deadline are on the agent's own day. */
export const utcOffsetMinutes = () => 0 - new Date().getTimezoneOffset()
export const revokeCard = (request: RevokeRequest) =>
  call<Revocation>('revoke_card', { request: { ...request, utcOffsetMinutes: utcOffsetMinutes() } })
export const revokeAllCards = (request: RevokeAllRequest) =>
  call<RevokeAllResult>('revoke_all_cards', { request: { ...request, utcOffsetMinutes: utcOffsetMinutes() } })
/** "Check again" on an unknown outcome: re-reads the card list; never sends a removal. */
export const checkRemoval = (intentSeq: number) => call<Recovery>('check_removal', { intentSeq })
export const auditVerify = () => call<Verification>('audit_verify')
export const auditQuery = (query: AuditQuery) => call<AuditPage>('audit_query', { query })
export const auditSize = () => call<number>('audit_size')
/** Rust asks where in a save dialog (the webview names no path); null back means cancelled. */
export const auditExport = (format: ExportFormat, filters: AuditQuery | null) =>
  call<Exported | null>('audit_export', { format, filters })
/** Shows this session's last export in the file manager (Rust knows where it went). */
export const revealExport = () => call<void>('reveal_export')

/**
 * Rust shows a native open dialog; null means it was cancelled. The preview names the file by an
 * opaque `source` handle that `bulkCreate` sends back: the webview never holds a path.
 */
export const bulkPickCsv = () => call<CsvPreview | null>('bulk_pick_csv')
/** A new job for the active profile (imported, not planned yet). */
export const bulkCreate = (draft: BulkDraft) => call<JobView>('bulk_create', { draft })
/** Every job, newest first. */
export const bulkJobs = () => call<JobView[]>('bulk_jobs')
export const bulkJob = (id: string) => call<JobView>('bulk_job', { id })
export const bulkRows = (id: string, filter: RowState | null, offset: number, limit: number) =>
  call<RowPage>('bulk_rows', { id, filter, offset, limit })

function progressChannel(onProgress: (p: Progress) => void): Channel<Progress> {
  const ch = new Channel<Progress>()
  ch.onmessage = onProgress
  return ch
}

/** The dry run: resolves with the job when the pass ends; Progress arrives meanwhile. */
export const bulkPlan = (id: string, options: RunOptions, onProgress: (p: Progress) => void) =>
  call<JobView>('bulk_plan', { id, options, onProgress: progressChannel(onProgress) })
/**
 * Plans what is not planned yet, then removes. `confirmation` is the job's card count typed by
 * the operator on a production profile, else null.
 */
export const bulkRun = (id: string, options: RunOptions, confirmation: string | null, onProgress: (p: Progress) => void) =>
  call<JobView>('bulk_run', { id, options, confirmation, onProgress: progressChannel(onProgress) })
/** Version, build, data locations and shipped licences, for the About panel. */
export const about = () => call<About>('about')
/** Opens a customer's request; its deadline follows from its kind and the day of receipt. */
export const requestNew = (draft: RequestDraft) => call<RequestView>('request_new', { draft, utcOffsetMinutes: utcOffsetMinutes() })
/** The register, by deadline, with the day's counts (due today, overdue…). */
export const requests = (filter: RequestFilter) => call<RequestList>('requests', { filter, utcOffsetMinutes: utcOffsetMinutes() })
export const request = (id: string) => call<RequestView>('request', { id, utcOffsetMinutes: utcOffsetMinutes() })
/** A change to a request, made to the `version` the window showed: a `conflict` error if someone changed it since. */
export const requestAct = (id: string, version: number, action: RequestAction) =>
  call<RequestView>('request_act', { id, version, action, utcOffsetMinutes: utcOffsetMinutes() })
/** Rust asks where in a save dialog and saves the request's 376-FZ confirmation (PDF); null when cancelled. */
export const requestConfirmation = (id: string, version: number, merchant: { name: string; address: string } | null = null) =>
  call<ProducedDocument | null>('request_confirmation', {
    id,
    version,
    // the merchant as the operator's details name it (those of the act and the access answer);
    // none: Rust names the gateway profile and the document says that is what it is
    merchantName: merchant?.name.trim() ? merchant.name : null,
    merchantAddress: merchant?.name.trim() ? merchant.address : null,
    utcOffsetMinutes: utcOffsetMinutes(),
  })
/** Rust asks where in a save dialog and saves the answer to an access request (PDF); null when cancelled. */
export const requestAccessAnswer = (id: string, version: number, details: AccessDetails) =>
  call<ProducedDocument | null>('request_access_answer', { id, version, details, utcOffsetMinutes: utcOffsetMinutes() })
/** Rust asks for a folder and saves an erasure's Order 179 act and log export (PDF, CSV); null when cancelled. */
export const requestErasureDocuments = (id: string, version: number, details: ErasureDetails) =>
  call<ProducedDocument[] | null>('request_erasure_documents', { id, version, details, utcOffsetMinutes: utcOffsetMinutes() })
/** Links from tickets (`carddesk://…`) as Rust read them, one message each; those that arrived before come at once. */
export function linkFeed(onLink: (m: LinkMessage) => void): Promise<void> {
  const ch = new Channel<LinkMessage>()
  ch.onmessage = onLink
  return call<void>('link_feed', { onLink: ch })
}
/** Asks the update server for a newer Card Desk; never rejects for a failed check ("couldNotCheck"). */
export const updateCheck = () => call<UpdateCheck>('update_check')
/** Downloads, verifies and installs the update the last check offered: only on the user's Install. */
export const updateInstall = () => call<UpdateInstall>('update_install')
/** Restarts the app (after an update was installed). */
export const restartApp = () => call<void>('restart')
/** The first view is on screen (lib/startupProbe.ts): deferred start-up work goes ahead, unless it
 *  is the page's first frame (`frame`); the start-up benchmark's finish line (ignored unless asked). */
export const startupPainted = (timeOrigin: number | null, marks: Array<{ step: string; at: number }>, frame = false) =>
  call<void>('startup_painted', { timeOrigin, marks, frame })
/** The page root's attributes a first frame is drawn under (src-tauri/src/first_frame.rs). */
export interface FrameRoot {
  lang: 'en' | 'ru'
  theme: 'light' | 'dark' | null
  scheme: 'light' | 'dark'
  platform: 'linux' | null
}
/** The first view's data now, and the key a frame drawn from it is kept under. */
export interface FirstFrameData {
  key: string
  status: DeskStatus
  recent: RecentCustomer[]
}
export const firstFrameData = () => call<FirstFrameData>('first_frame_data')
/** Keeps the first view as drawn (lib/firstFrame.ts), for the window's next start. */
export const keepFirstFrame = (key: string, root: FrameRoot, markup: string) =>
  call<void>('keep_first_frame', { key, root, markup })
/** Tells Rust the window's language, for the texts it writes for people (job notifications). */
export const setLanguage = (language: UiLanguage) => call<void>('set_language', { language })
export const bulkControl = (id: string, action: JobAction) => call<void>('bulk_control', { id, action })
/** Rust asks where in a save dialog; null back means cancelled, else rows written. */
export const bulkExport = (id: string) => call<Exported | null>('bulk_export', { id })
/** Refused (validation) while the job runs. */
export const bulkDelete = (id: string) => call<void>('bulk_delete', { id })

/** The webview URL of a card-art key, served by the app's `cardart:` URI scheme. */
export const artUrl = (key: string) => convertFileSrc(key, 'cardart')
