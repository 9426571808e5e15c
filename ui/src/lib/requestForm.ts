// The rules of a customer request the UI knows before asking Rust: the new-request form (its
// fields, a prefill from a deep link, the checks of docs/customer-requests.md §7 that need no
// register, the draft Rust takes) and the status machine of §6 (which moves a status allows,
// which kinds can be extended), so buttons that Rust would refuse are not offered. Rust checks
// every rule again; its field errors (`subjects[0].customer_number`) are mapped back here.
import { REQUEST_NAME_MAX, REQUEST_NOTE_MAX, REQUEST_TEXT_MAX, TICKET_MAX, type Channel, type DueState, type OpenItem, type ProfileRef, type Received, type RequestDraft, type RequestKind, type StatusKind } from './bindings'
import { customerNumberIssue, type CustomerIssue } from './customer'
import { dayText, parseDay } from './format'

export const KINDS: RequestKind[] = ['card_refusal', 'access152', 'erasure152', 'access_gdpr', 'erasure_gdpr']
export const CHANNELS: Channel[] = ['ticket', 'email', 'phone', 'letter', 'web_form']
export const STATUSES: StatusKind[] = ['new', 'in_progress', 'answered', 'closed', 'refused']
/** A request's ticket takes what a removal's does (one ticket rule everywhere). */
export const REQUEST_TICKET_MAX = TICKET_MAX
/** An assignee is a person's name on a request (Rust's rule for `by` and `assignee`). */
export const ASSIGNEE_MAX = REQUEST_NAME_MAX
export { REQUEST_NOTE_MAX, REQUEST_TEXT_MAX }

/** The value of a subject's profile select that means every profile. */
export const ALL_PROFILES = '*'

export interface SubjectForm {
  customer: string
  /** A profile id, or ALL_PROFILES. */
  profile: string
}

export interface RequestForm {
  kind: RequestKind
  /** The agent's local day as typed (`parseDay`: 6 Dec 2026, 06.12.2026, 2026-12-06): a text
   * field rather than a date picker, whose format follows the browser's locale (12/07/2026
   * in a Russian window) and would be read month-first by some and day-first by others. */
  date: string
  /** `HH:MM`, local; empty: only the day is known (a paper letter). */
  time: string
  channel: Channel
  ticket: string
  subjects: SubjectForm[]
  assignee: string
}

/** What a deep link (or another view) may fill in. `received`: an ISO time or a `YYYY-MM-DD` day. */
export interface RequestPrefill {
  kind?: RequestKind
  customer?: string
  profile?: string
  ticket?: string
  received?: string
  channel?: Channel
}

const pad = (n: number) => String(n).padStart(2, '0')
export const localDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
const localTime = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`

export function requestForm(activeProfile: string, prefill: RequestPrefill = {}, now = new Date()): RequestForm {
  let date = dayText(localDay(now))
  let time = localTime(now)
  if (prefill.received) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(prefill.received)) {
      date = dayText(prefill.received)
      time = ''
    } else {
      const at = new Date(prefill.received)
      if (!Number.isNaN(at.getTime())) {
        date = dayText(localDay(at))
        time = localTime(at)
      }
    }
  }
  return {
    kind: prefill.kind && KINDS.includes(prefill.kind) ? prefill.kind : 'card_refusal',
    date,
    time,
    channel: prefill.channel && CHANNELS.includes(prefill.channel) ? prefill.channel : 'ticket',
    ticket: prefill.ticket ?? '',
    subjects: [{ customer: prefill.customer ?? '', profile: prefill.profile ?? activeProfile }],
    assignee: '',
  }
}

/** A field of the form: `ticket`, `date`, `time`, `assignee`, `customer.0`, `profile.0`. */
export type FormField = string

export type FormProblem =
  | { field: FormField; rule: 'customer'; issue: CustomerIssue }
  | { field: FormField; rule: 'duplicate' }
  | { field: FormField; rule: 'ticket.length' | 'ticket.control' }
  | { field: FormField; rule: 'date.format' | 'date.future' | 'date.early' | 'time.format' }
  | { field: FormField; rule: 'assignee.length' }

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/

function receivedAt(f: RequestForm): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(parseDay(f.date) ?? '')
  if (!d) return null
  const t = TIME.exec(f.time.trim())
  const at = t
    ? new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]))
    : new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]))
  return Number.isNaN(at.getTime()) ? null : at
}

/** Every rule the form breaks, in the order of its fields. */
export function formProblems(f: RequestForm, now = new Date()): FormProblem[] {
  const out: FormProblem[] = []
  const at = receivedAt(f)
  if (!at) out.push({ field: 'date', rule: 'date.format' })
  else if (f.time.trim() && !TIME.test(f.time.trim())) out.push({ field: 'time', rule: 'time.format' })
  else if (f.time.trim() ? at.getTime() > now.getTime() + 60_000 : parseDay(f.date)! > localDay(now)) out.push({ field: 'date', rule: 'date.future' })
  else if (at.getFullYear() < 2000) out.push({ field: 'date', rule: 'date.early' })
  const ticket = f.ticket.trim()
  if ([...ticket].length > REQUEST_TICKET_MAX) out.push({ field: 'ticket', rule: 'ticket.length' })
  else if (CONTROL.test(ticket)) out.push({ field: 'ticket', rule: 'ticket.control' })
  const seen = new Set<string>()
  f.subjects.forEach((s, i) => {
    const issue = customerNumberIssue(s.customer)
    if (issue) out.push({ field: `customer.${i}`, rule: 'customer', issue })
    else {
      const key = `${s.customer.trim()}\u0000${s.profile}`
      if (seen.has(key)) out.push({ field: `customer.${i}`, rule: 'duplicate' })
      seen.add(key)
    }
  })
  const assignee = f.assignee.trim()
  if ([...assignee].length > ASSIGNEE_MAX || CONTROL.test(assignee)) out.push({ field: 'assignee', rule: 'assignee.length' })
  return out
}

export function profileRef(value: string): ProfileRef {
  return value === ALL_PROFILES ? 'all_profiles' : { profile: value }
}

/** The draft Rust takes: a day alone when no time was given, else the instant in UTC with the
 * agent's offset at that instant. Call only when formProblems() is empty. */
export function toDraft(f: RequestForm): RequestDraft {
  const at = receivedAt(f)!
  const received: Received = f.time.trim()
    ? { precision: 'instant', at: at.toISOString(), offset: 0 - at.getTimezoneOffset() }
    : { precision: 'day', date: parseDay(f.date)! }
  return {
    kind: f.kind,
    received,
    channel: f.channel,
    ticket: f.ticket.trim() || null,
    subjects: f.subjects.map((s) => ({ customerNumber: s.customer.trim(), profile: profileRef(s.profile) })),
    assignee: f.assignee.trim() || null,
  }
}

/** Where Rust's field error goes in the form: `subjects[1].customer_number` → `customer.1`. */
export function formFieldOf(field: string | null | undefined): FormField | null {
  if (!field) return null
  const subject = /^subjects\[(\d+)\](?:\.(customer_number|profile))?$/.exec(field)
  if (subject) return `${subject[2] === 'profile' ? 'profile' : 'customer'}.${subject[1]}`
  if (field === 'received_at') return 'date'
  if (field === 'ticket' || field === 'assignee') return field
  return null
}

/** The moves a status allows (requests/model/rules.rs change_status). */
export function nextStatuses(from: StatusKind): Array<Exclude<StatusKind, 'new'>> {
  switch (from) {
    case 'new':
      return ['in_progress', 'refused']
    case 'in_progress':
      return ['answered', 'refused']
    case 'answered':
      return ['closed']
    default:
      return []
  }
}

export const isOpen = (s: StatusKind) => s === 'new' || s === 'in_progress'
export const isFinal = (s: StatusKind) => s === 'closed' || s === 'refused'
/** 152-FZ access (+5 working days) and GDPR (+2 months); docs/customer-requests.md §4. */
export const canExtend = (k: RequestKind) => k === 'access152' || k === 'access_gdpr' || k === 'erasure_gdpr'

export type Tone = 'ok' | 'info' | 'warn' | 'danger' | 'muted'
export const STATUS_TONE: Record<StatusKind, Tone> = {
  new: 'info',
  in_progress: 'warn',
  answered: 'ok',
  closed: 'muted',
  refused: 'muted',
}
export const DUE_TONE: Record<DueState, Tone> = {
  overdue: 'danger',
  due_today: 'warn',
  upcoming: 'muted',
  no_deadline: 'info',
  stopped: 'muted',
}

/** A key for each open item, to list them the same way in the detail and the close dialog. */
export const openItemKey = (i: OpenItem) => (i.item === 'missing_document' ? `doc:${i.kind}` : `removal:${i.seq}`)
