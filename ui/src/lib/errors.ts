// What to tell a person about an error from Rust, and what they can do about it. Every code of
// ErrorCode has an entry, so a new code fails to compile here until it has one. Rust writes each
// error's words in English (`message`) and, for what a person meets, in Russian too (`ru`):
// errorText() is the one place that picks them by the window's language.
import { AppError, type ErrorCode } from './ipc'
import { i18n, type Key } from './i18n.svelte'

export type ErrorAction = 'retry' | 'settings'

export interface Guidance {
  title: Key
  hint: Key
  actions: ErrorAction[]
  /** Whether the backend's own message adds something worth showing. */
  showMessage: boolean
}

const GUIDANCE: Record<ErrorCode, Guidance> = {
  validation: { title: 'error.validation.title', hint: 'error.validation.hint', actions: [], showMessage: true },
  gateway_fault: { title: 'error.fault.title', hint: 'error.fault.hint', actions: ['retry', 'settings'], showMessage: true },
  transport: { title: 'error.transport.title', hint: 'error.transport.hint', actions: ['retry', 'settings'], showMessage: true },
  untrusted_certificate: { title: 'error.certificate.title', hint: 'error.certificate.hint', actions: ['settings'], showMessage: false },
  credentials_missing: { title: 'error.credentials.title', hint: 'error.credentials.hint', actions: ['settings'], showMessage: false },
  secret_store_unavailable: { title: 'error.secrets.title', hint: 'error.secrets.hint', actions: ['retry'], showMessage: true },
  not_found: { title: 'error.notFound.title', hint: 'error.notFound.hint', actions: ['settings'], showMessage: true },
  removal_in_progress: { title: 'error.inProgress.title', hint: 'error.inProgress.hint', actions: ['retry'], showMessage: true },
  conflict: { title: 'error.conflict.title', hint: 'error.conflict.hint', actions: ['retry'], showMessage: false },
  team: { title: 'error.team.title', hint: 'error.team.hint', actions: ['settings'], showMessage: true },
  // Not a failure: the team's four-eyes policy holds the action until a supervisor approves it.
  awaiting_approval: { title: 'error.awaiting.title', hint: 'error.awaiting.hint', actions: [], showMessage: true },
  audit_log: { title: 'error.audit.title', hint: 'error.audit.hint', actions: ['retry'], showMessage: true },
  internal: { title: 'error.internal.title', hint: 'error.internal.hint', actions: ['retry'], showMessage: true },
}

export function guidance(code: ErrorCode): Guidance {
  return GUIDANCE[code] ?? GUIDANCE.internal
}

/** An error's words (or another text Rust writes twice, as "Test connection"'s) in the window's
 * language: the Russian text when the window speaks Russian and Rust wrote one, else the English
 * message. Read in markup, it follows a language switch. */
export function errorText(e: { message: string; ru?: string | null }): string {
  return i18n.locale === 'ru' && e.ru ? e.ru : e.message
}

/** [`errorText`] said as a sentence of its own: Rust writes its messages to follow a colon
 * ("… failed: the team database cannot be reached"), so they start lower-case and end without
 * a full stop; where the window shows one alone, as the waiting note of an action held for
 * approval, it starts upper-case and ends with one. */
export function errorSentence(e: { message: string; ru?: string | null }): string {
  const text = errorText(e).trim()
  const first = text.codePointAt(0)
  if (first === undefined) return text
  const head = String.fromCodePoint(first)
  const ended = /[.!?…]$/u.test(text) ? '' : '.'
  return head.toLocaleUpperCase(i18n.locale) + text.slice(head.length) + ended
}

export function asAppError(e: unknown): AppError {
  if (e instanceof AppError) return e
  return new AppError('internal', e instanceof Error ? e.message : String(e))
}
