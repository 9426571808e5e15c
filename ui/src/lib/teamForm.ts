// Settings → Team's form: its fields as typed, the setup they make, and the obvious mistakes
// caught before anything is sent. The rules copy Rust's (desk_team::TeamSettings::check and
// team_mode.rs's desk name) so a person hears of them at once, beside the field; Rust checks
// again and is the authority: its message, naming the field, goes beside the same input.
import type { TeamSetup } from './ipc'

export type TeamField = 'host' | 'port' | 'database' | 'user' | 'deskName' | 'password'
export type TeamRule = 'required' | 'port' | 'hostLong' | 'hostSpaces' | 'hostShape' | 'nameLong' | 'nameControl' | 'nameSpaces' | 'deskName'
export type TeamProblem = { field: TeamField; rule: TeamRule }

export interface TeamValues {
  host: string
  port: string
  database: string
  user: string
  deskName: string
  password: string
}

/** PostgreSQL's limit on a name in bytes (NAMEDATALEN − 1), as desk_team's NAME_MAX. */
export const NAME_MAX = 63
/** A host name's limit (RFC 1035), as desk_team's HOST_MAX. */
export const HOST_MAX = 253
/** What the team calls this desk: 1 to 80 characters (team_mode.rs). */
export const DESK_NAME_MAX = 80
export const DEFAULT_PORT = 5432

export const TEAM_FIELDS: readonly TeamField[] = ['host', 'port', 'database', 'user', 'deskName', 'password']

export function emptyValues(): TeamValues {
  return { host: '', port: String(DEFAULT_PORT), database: '', user: '', deskName: '', password: '' }
}

/** The form filled from a saved setup; the password never comes back, so it starts empty. */
export function valuesOf(setup: TeamSetup | null): TeamValues {
  if (!setup) return emptyValues()
  return { host: setup.host, port: String(setup.port), database: setup.database, user: setup.user, deskName: setup.deskName, password: '' }
}

/** The setup the form's values make (call after `validate` found nothing). */
export function setupOf(v: TeamValues): TeamSetup {
  return { host: v.host.trim(), port: Number(v.port.trim()), database: v.database, user: v.user, deskName: v.deskName.trim() }
}

/** Rust's machine name of a field (DeskError.field) as one of the form's, or null. */
export function teamFieldOf(field: string | undefined): TeamField | null {
  return field !== undefined && (TEAM_FIELDS as readonly string[]).includes(field) ? (field as TeamField) : null
}

const bytes = (s: string) => new TextEncoder().encode(s).length
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/

function hostShape(host: string): boolean {
  if (host.startsWith('/')) return true
  if (host.includes(':')) return /^[0-9A-Fa-f:.]+$/.test(host) // an IPv6 address
  if (IPV4.test(host)) return host.split('.').every((n) => Number(n) <= 255)
  return host.split('.').every((label) => label.length <= 63 && HOST_LABEL.test(label))
}

function nameRule(value: string): TeamRule | null {
  if (value === '') return 'required'
  if (bytes(value) > NAME_MAX) return 'nameLong'
  if (CONTROL.test(value)) return 'nameControl'
  if (value.trim() !== value) return 'nameSpaces'
  return null
}

/** Every field's first broken rule, in the form's order. The password is not checked: empty
 * means "the stored one" (for a test) or "keep it" (for a save). */
export function validate(v: TeamValues): TeamProblem[] {
  const out: TeamProblem[] = []
  const host = v.host.trim()
  if (host === '') out.push({ field: 'host', rule: 'required' })
  else if (host.length > HOST_MAX) out.push({ field: 'host', rule: 'hostLong' })
  else if (/\s/.test(host) || CONTROL.test(host)) out.push({ field: 'host', rule: 'hostSpaces' })
  else if (!hostShape(host)) out.push({ field: 'host', rule: 'hostShape' })
  const port = v.port.trim()
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) out.push({ field: 'port', rule: 'port' })
  for (const field of ['database', 'user'] as const) {
    const rule = nameRule(v[field])
    if (rule) out.push({ field, rule })
  }
  const desk = v.deskName.trim()
  if (desk === '' || [...desk].length > DESK_NAME_MAX) out.push({ field: 'deskName', rule: 'deskName' })
  return out
}
