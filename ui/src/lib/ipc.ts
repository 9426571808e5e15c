// The one seam between the UI and Rust: only this module imports @tauri-apps/*. UI tests mock
// Tauri's IPC underneath it. Errors arrive from Rust as {code, message} (DeskError).
// Never log the arguments of a call: customer numbers and passwords pass through here.
// Long bulk passes stream Progress through a Tauri Channel (the `onProgress` argument).
import { Channel, convertFileSrc, invoke } from '@tauri-apps/api/core'
import type {
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
  Lookup,
  ProfileDraft,
  ProfileLookup,
  ProfileView,
  RecentCustomer,
  Recovery,
  Revocation,
  RevokeAllItem,
  RevokeAllRequest,
  RevokeRequest,
  Settings,
  Verification,
} from './bindings'

export type * from './bindings'

export class AppError extends Error {
  readonly code: ErrorCode
  /** For a validation error, the field it is about (Rust's machine name, e.g. `merchant_id`). */
  readonly field?: string
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message)
    this.code = code
    if (field !== undefined) this.field = field
  }
}

function toAppError(e: unknown): AppError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const { code, message, field } = e as DeskError
    return new AppError(code, String(message), field ?? undefined)
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
export const lookup = (customer: string, refresh = false) => call<Lookup>('lookup', { customer, refresh })
export const lookupAll = (customer: string) => call<ProfileLookup[]>('lookup_all', { customer })
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
export const revokeCard = (request: RevokeRequest) => call<Revocation>('revoke_card', { request })
export const revokeAllCards = (request: RevokeAllRequest) => call<RevokeAllItem[]>('revoke_all_cards', { request })
/** "Check again" on an unknown outcome: re-reads the card list; never sends a removal. */
export const checkRemoval = (intentSeq: number) => call<Recovery>('check_removal', { intentSeq })
export const auditVerify = () => call<Verification>('audit_verify')
export const auditQuery = (query: AuditQuery) => call<AuditPage>('audit_query', { query })
export const auditSize = () => call<number>('audit_size')
/** Rust asks where in a save dialog (the webview names no path); null back means cancelled. */
export const auditExport = (format: ExportFormat) => call<number | null>('audit_export', { format })

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
export const bulkControl = (id: string, action: JobAction) => call<void>('bulk_control', { id, action })
/** Rust asks where in a save dialog; null back means cancelled, else rows written. */
export const bulkExport = (id: string) => call<number | null>('bulk_export', { id })
/** Refused (validation) while the job runs. */
export const bulkDelete = (id: string) => call<void>('bulk_delete', { id })

/** The webview URL of a card-art key, served by the app's `cardart:` URI scheme. */
export const artUrl = (key: string) => convertFileSrc(key, 'cardart')
