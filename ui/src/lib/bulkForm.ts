// The bulk-job forms' own rules (which column feeds which field, the defaults for every row,
// the run options and the production confirmation), checked in the UI for instant feedback;
// Rust checks them again and names the field. Also small helpers to show jobs: tones, ETA.
import type { ColumnMap, CsvPreview, JobPhase, JobView, PlanClass, Reason, RowState, RunOptions } from './ipc'
import { CONCURRENCY_MAX, RATE_MAX } from './bindings'
import { NOTE_MAX, TICKET_MAX } from './revoke'

export type MapField = keyof ColumnMap
/** The CSV fields in the order the mapping step shows them; only the customer is required. */
export const MAP_FIELDS: readonly MapField[] = ['customer', 'last4', 'expiry', 'token', 'ticket', 'reason', 'note']

export const CONCURRENCY_MIN = 1
/** The ceilings are Rust's (desk::bulk), generated into bindings.ts. */
export { CONCURRENCY_MAX, RATE_MAX }
export const CONCURRENCY_DEFAULT = 4
export const RATE_DEFAULT = 20
/** Rows per page of the per-row table. */
export const ROWS_PAGE = 50

/** The mapping step as typed: a column name per field ('' = not in the file) and the defaults. */
export interface MappingForm {
  map: Record<MapField, string>
  erasure: boolean
  ticket: string
  reason: Reason
  note: string
}

export type MappingField = MapField | 'defaultTicket' | 'defaultNote'
export type MappingRule = 'customer.required' | 'column.taken' | 'ticket.required' | 'ticket.length' | 'note.required' | 'note.length'
export interface MappingProblem {
  field: MappingField
  rule: MappingRule
  /** column.taken: the field that has this column already, and the column. */
  other?: MapField
  column?: string
}

export function mappingForm(preview: CsvPreview): MappingForm {
  const map = {} as Record<MapField, string>
  for (const f of MAP_FIELDS) {
    const suggested = preview.suggested[f]
    map[f] = suggested !== null && preview.headers.includes(suggested) ? suggested : ''
  }
  return { map, erasure: false, ticket: '', reason: 'customer_request', note: '' }
}

export function validateMapping(form: MappingForm, requireTicket: boolean): MappingProblem[] {
  const problems: MappingProblem[] = []
  if (!form.map.customer) problems.push({ field: 'customer', rule: 'customer.required' })
  const seen = new Map<string, MapField>()
  for (const f of MAP_FIELDS) {
    const column = form.map[f]
    if (!column) continue
    const other = seen.get(column)
    if (other) problems.push({ field: f, rule: 'column.taken', other, column })
    else seen.set(column, f)
  }
  const ticket = form.ticket.trim()
  if ([...ticket].length > TICKET_MAX) problems.push({ field: 'defaultTicket', rule: 'ticket.length' })
  else if (requireTicket && !ticket && !form.map.ticket) problems.push({ field: 'defaultTicket', rule: 'ticket.required' })
  const note = form.note.trim()
  if ([...note].length > NOTE_MAX) problems.push({ field: 'defaultNote', rule: 'note.length' })
  else if (form.reason === 'other' && !note && !form.map.note) problems.push({ field: 'defaultNote', rule: 'note.required' })
  return problems
}

export function columnMap(form: MappingForm): ColumnMap {
  const map = {} as ColumnMap
  for (const f of MAP_FIELDS) map[f] = form.map[f] || null
  return map
}

/** The run options as typed; the confirmation only on a production profile. */
export interface RunForm {
  concurrency: string
  rate: string
  confirmation: string
}

export type RunField = 'concurrency' | 'rate' | 'confirmation'
export interface RunProblem {
  field: RunField
  rule: 'concurrency' | 'rate' | 'confirmation.required' | 'confirmation.mismatch'
}

/** The run form, from the options the job last ran with when it has them. */
export const runForm = (own: RunOptions | null = null): RunForm => ({
  concurrency: String(own?.concurrency ?? CONCURRENCY_DEFAULT),
  rate: String(own?.rate ?? RATE_DEFAULT),
  confirmation: '',
})

const wholeIn = (text: string, min: number, max: number): number | null => {
  const v = text.trim()
  if (!/^\d{1,6}$/.test(v)) return null
  const n = Number(v)
  return n >= min && n <= max ? n : null
}

/** Requests a second: more than 0, at most RATE_MAX, a decimal point allowed (0.5). */
const rateOf = (text: string): number | null => {
  const v = text.trim().replace(',', '.')
  if (!/^\d{1,4}(\.\d{1,3})?$/.test(v)) return null
  const n = Number(v)
  return n > 0 && n <= RATE_MAX ? n : null
}

/** The options Rust gets, or null while a field is wrong; and each field's problem. */
export function parseRun(form: RunForm): { options: RunOptions | null; problems: RunProblem[] } {
  const problems: RunProblem[] = []
  const concurrency = wholeIn(form.concurrency, CONCURRENCY_MIN, CONCURRENCY_MAX)
  if (concurrency === null) problems.push({ field: 'concurrency', rule: 'concurrency' })
  const unlimited = form.rate.trim() === ''
  const rate = unlimited ? null : rateOf(form.rate)
  if (!unlimited && rate === null) problems.push({ field: 'rate', rule: 'rate' })
  return { options: problems.length === 0 && concurrency !== null ? { concurrency, rate } : null, problems }
}

/** Production: the job's card count, typed. Empty is a problem, but not one to shout about. */
export function confirmationProblem(job: JobView, typed: string): RunProblem | null {
  if (job.environment !== 'production') return null
  const v = typed.trim()
  if (!v) return { field: 'confirmation', rule: 'confirmation.required' }
  return v === String(job.summary.toRemove) ? null : { field: 'confirmation', rule: 'confirmation.mismatch' }
}

/** mm:ss, or h:mm:ss from an hour on. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const pad = (n: number) => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`
}

/** Rows per second: one decimal below 10. */
export const formatRate = (rate: number) => (rate < 10 ? (Math.round(rate * 10) / 10).toString() : String(Math.round(rate)))

/** The file name of a job's source path (either kind of slash). */
export const fileName = (source: string) => source.split(/[\\/]/).pop() || source

export type Tone = 'ok' | 'info' | 'warn' | 'danger' | 'muted'
export const PHASE_TONE: Record<JobPhase, Tone> = {
  created: 'muted',
  planning: 'info',
  planned: 'info',
  running: 'info',
  paused: 'warn',
  finished: 'ok',
  interrupted: 'warn',
}
export const STATE_TONE: Record<RowState, Tone> = {
  pending: 'muted',
  planned: 'info',
  in_flight: 'info',
  done: 'ok',
  failed: 'danger',
  held: 'warn',
  skipped: 'muted',
}
export const CLASS_TONE: Record<PlanClass, Tone> = {
  exact: 'ok',
  all: 'ok',
  none: 'muted',
  no_match: 'warn',
  ambiguous: 'warn',
  needs_erasure: 'warn',
  invalid: 'danger',
  duplicate: 'muted',
  covered: 'muted',
  list_failed: 'danger',
}
/** The row filters of the per-row table, '' being every row. */
export const ROW_FILTERS: ReadonlyArray<RowState | ''> = ['', 'held', 'failed', 'planned', 'done', 'skipped', 'pending', 'in_flight']

/** A dry run lists and classifies; a run removes. */
export type PassKind = 'plan' | 'run'

/** A pass (dry run or run) works in Rust in these phases. */
export const isActive = (phase: JobPhase) => phase === 'planning' || phase === 'running' || phase === 'paused'
export const count = <K extends string>(record: Partial<Record<K, number>>, key: K) => record[key] ?? 0
/** The states a row ends in. */
export const FINAL_STATES: readonly RowState[] = ['done', 'failed', 'held', 'skipped']
/** Rows in any final state. */
export const finishedRows = (states: Partial<Record<RowState, number>>) => FINAL_STATES.reduce((n, s) => n + count(states, s), 0)
/** Rows whose removal or listing failed: invalid input rows are 'failed' in the journal too,
 * but they are reported as input problems, not as failures of the run. */
export const failedRows = (s: { states: Partial<Record<RowState, number>>; classes: Partial<Record<PlanClass, number>> }) =>
  Math.max(0, count(s.states, 'failed') - count(s.classes, 'invalid'))
