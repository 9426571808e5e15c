// Dates and times in the UI language: "as of" stamps and "last looked up" times.
import { i18n } from './i18n.svelte'

const tag = () => (i18n.locale === 'ru' ? 'ru-RU' : 'en-GB')

// Building an Intl formatter is costly (WebKit loads its locale's patterns each time), and a list
// writes one date per row: one formatter per language and style, kept (docs/benchmarks.md,
// "Start-up").
type DateStyle = 'dateTime' | 'date' | 'time'
const DATE_OPTIONS: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
  date: { dateStyle: 'medium' },
  time: { timeStyle: 'medium' },
}
const dateFormats = new Map<string, Intl.DateTimeFormat>()
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>()

/** The machine's time zone as far as formatting can tell (its offsets in winter and summer):
 *  a formatter keeps the zone it was made in, and the zone can change while the app runs. */
const zone = () => `${new Date(2026, 0, 1).getTimezoneOffset()} ${new Date(2026, 6, 1).getTimezoneOffset()}`

function dates(style: DateStyle): Intl.DateTimeFormat {
  const key = `${tag()} ${style} ${zone()}`
  let f = dateFormats.get(key)
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(tag(), DATE_OPTIONS[style])))
  return f
}

function relative(): Intl.RelativeTimeFormat {
  let f = relativeFormats.get(tag())
  if (!f) relativeFormats.set(tag(), (f = new Intl.RelativeTimeFormat(tag(), { numeric: 'auto' })))
  return f
}

/** 27 Nov 2026, 13:05 — or the raw text when it is not a date. */
export function dateTime(value: string | number): string {
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return String(value)
  return dates('dateTime').format(d)
}

/** "5 minutes ago", "yesterday", or a date for anything older than a week. */
export function relativeTime(ms: number, now = Date.now()): string {
  const seconds = Math.round((ms - now) / 1000)
  const abs = Math.abs(seconds)
  const rtf = relative()
  if (abs < 45) return rtf.format(0, 'second')
  if (abs < 45 * 60) return rtf.format(Math.round(seconds / 60), 'minute')
  if (abs < 22 * 3600) return rtf.format(Math.round(seconds / 3600), 'hour')
  if (abs < 7 * 86400) return rtf.format(Math.round(seconds / 86400), 'day')
  return dates('date').format(new Date(ms))
}

/** 27 Nov 2026 or 27 нояб. 2026 г. (local): the one way the app writes a date, so a day is
 * never read month-first in one place and day-first in another. */
export function dateOnly(value: string): string {
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return value
  return dates('date').format(d)
}

/** 13:05:12 (local, with seconds). */
export function timeOnly(value: string): string {
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return ''
  return dates('time').format(d)
}

/** The same instant in UTC, as the audit log keeps it: 2026-11-27 10:05:12.345 UTC. */
export function utcText(value: string): string {
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return value
  return `${d.toISOString().replace('T', ' ').replace('Z', '')} UTC`
}

/** The start (or end) of a local calendar day `YYYY-MM-DD` as an RFC 3339 UTC time. */
export function localDayBound(day: string, end: boolean): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) return null
  const d = end
    ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999)
    : new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 0, 0, 0, 0)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

const MONTHS: Record<string, number> = {}
;[
  ['jan', 'янв'],
  ['feb', 'фев'],
  ['mar', 'мар'],
  ['apr', 'апр'],
  ['may', 'мая', 'май'],
  ['jun', 'июн'],
  ['jul', 'июл'],
  ['aug', 'авг'],
  ['sep', 'сен'],
  ['oct', 'окт'],
  ['nov', 'ноя'],
  ['dec', 'дек'],
].forEach((names, i) => names.forEach((n) => (MONTHS[n] = i + 1)))

/** A calendar day the agent typed, as `YYYY-MM-DD`, or null when it is not one. Takes the
 * app's own way of writing a date ("6 Dec 2026", "6 дек. 2026 г.", month names in full too),
 * `06.12.2026` (day first, as in Russia) and ISO `2026-12-06`. Slashes are refused: 06/12 is
 * the 6th of December to some and the 12th of June to others. */
export function parseDay(text: string): string | null {
  const s = text.trim().toLowerCase().replace(/\s*г\.?$/, '')
  let y: number, m: number, d: number
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s)
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  else if ((match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s))) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])]
  else if ((match = /^(\d{1,2})\s+([a-zа-яё]+)\.?,?\s+(\d{4})$/.exec(s))) {
    const month = MONTHS[match[2]!.slice(0, 3)]
    if (!month) return null
    ;[d, m, y] = [Number(match[1]), month, Number(match[3])]
  } else return null
  const date = new Date(y, m - 1, d)
  if (date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== d) return null
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** `YYYY-MM-DD` written the app's way in the UI language: 6 Dec 2026, 6 дек. 2026 г. */
export function dayText(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) return day
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  return dates('date').format(d)
}

/** `YYYY-MM-DD` day first with dots, as typed in Russia: 06.12.2026. */
export function dayNumeric(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  return m ? `${m[3]}.${m[2]}.${m[1]}` : day
}

/** A typed day written again the app's way in the window's language now (a form filled in
 * English, say by a ticket link, reads "7 дек. 2026 г." once the window speaks Russian); text
 * that is not a day stays as typed, for its rule to name. */
export function retellDay(text: string): string {
  const day = parseDay(text)
  return day ? dayText(day) : text
}
