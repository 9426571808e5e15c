// Dates and times in the UI language: "as of" stamps and "last looked up" times.
import { i18n } from './i18n.svelte'

const tag = () => (i18n.locale === 'ru' ? 'ru-RU' : 'en-GB')

/** 27 Nov 2026, 13:05 — or the raw text when it is not a date. */
export function dateTime(value: string | number): string {
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return String(value)
  return new Intl.DateTimeFormat(tag(), { dateStyle: 'medium', timeStyle: 'short' }).format(d)
}

/** "5 minutes ago", "yesterday", or a date for anything older than a week. */
export function relativeTime(ms: number, now = Date.now()): string {
  const seconds = Math.round((ms - now) / 1000)
  const abs = Math.abs(seconds)
  const rtf = new Intl.RelativeTimeFormat(tag(), { numeric: 'auto' })
  if (abs < 45) return rtf.format(0, 'second')
  if (abs < 45 * 60) return rtf.format(Math.round(seconds / 60), 'minute')
  if (abs < 22 * 3600) return rtf.format(Math.round(seconds / 3600), 'hour')
  if (abs < 7 * 86400) return rtf.format(Math.round(seconds / 86400), 'day')
  return new Intl.DateTimeFormat(tag(), { dateStyle: 'medium' }).format(new Date(ms))
}

/** 27/11/2026 or 27.11.2026 (local; compact, for tables). */
export function dateOnly(value: string): string {
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return value
  return new Intl.DateTimeFormat(tag(), { day: '2-digit', month: '2-digit', year: 'numeric' }).format(d)
}

/** 13:05:12 (local, with seconds). */
export function timeOnly(value: string): string {
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return ''
  return new Intl.DateTimeFormat(tag(), { timeStyle: 'medium' }).format(d)
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
