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
