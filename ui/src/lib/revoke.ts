// The revoke dialogs' own rules, checked in the UI for instant feedback before the countdown
// starts; Rust checks every one of them again (revoke.rs) and answers with a message naming the
// field. Also: which of the customer's cards the typed last 4 digits point at.
import type { AuditOutcome, CardView, Reason } from './ipc'
import { NOTE_MAX, REASONS as RUST_REASONS, TICKET_MAX } from './bindings'

// The limits and the reasons are Rust's own (generated into bindings.ts).
export { NOTE_MAX, TICKET_MAX }
export const REASONS: readonly Reason[] = RUST_REASONS
/** Nothing is sent before this many seconds have passed without Undo. */
export const COUNTDOWN_SECONDS = 5

export type Field = 'last4' | 'card' | 'note' | 'ticket' | 'confirm'
export type Rule =
  | 'last4.format'
  | 'last4.mismatch'
  | 'last4.other'
  | 'last4.none'
  | 'card.pick'
  | 'note.required'
  | 'note.length'
  | 'ticket.required'
  | 'ticket.length'
  | 'confirm.required'
  | 'confirm.mismatch'
export interface Problem {
  field: Field
  rule: Rule
}

export interface Fields {
  reason: Reason
  note: string
  ticket: string
  /** Production profiles: the customer number typed again. */
  confirmation: string
}

export interface Policy {
  requireTicket: boolean
  production: boolean
  customer: string
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

/** Problems with the reason, note, ticket and production confirmation, in the dialog's order. */
export function fieldProblems(f: Fields, p: Policy): Problem[] {
  const problems: Problem[] = []
  const note = f.note.trim()
  if (f.reason === 'other' && note.length === 0) problems.push({ field: 'note', rule: 'note.required' })
  else if ([...note].length > NOTE_MAX || CONTROL_BUT_LINES.test(note)) problems.push({ field: 'note', rule: 'note.length' })
  const ticket = f.ticket.trim()
  if (ticket.length === 0 && p.requireTicket) problems.push({ field: 'ticket', rule: 'ticket.required' })
  else if ([...ticket].length > TICKET_MAX || CONTROL.test(ticket)) problems.push({ field: 'ticket', rule: 'ticket.length' })
  if (p.production) {
    const typed = f.confirmation.trim()
    if (typed.length === 0) problems.push({ field: 'confirm', rule: 'confirm.required' })
    else if (typed !== p.customer.trim()) problems.push({ field: 'confirm', rule: 'confirm.mismatch' })
  }
  return problems
}

/** The 4 digits typed (spaces ignored), or null when that is not 4 digits. */
export function typedLast4(value: string): string | null {
  const v = value.replace(/\s+/g, '')
  return /^\d{4}$/.test(v) ? v : null
}

export type Match =
  | { kind: 'incomplete' }
  | { kind: 'none'; last4: string }
  | { kind: 'one'; last4: string; card: CardView }
  | { kind: 'several'; last4: string; cards: CardView[] }

/** The customer's cards that end in the typed digits. */
export function matchLast4(cards: readonly CardView[], value: string): Match {
  const last4 = typedLast4(value)
  if (!last4) return { kind: 'incomplete' }
  const found = cards.filter((c) => c.last4 === last4)
  if (found.length === 0) return { kind: 'none', last4 }
  if (found.length === 1) return { kind: 'one', last4, card: found[0]! }
  return { kind: 'several', last4, cards: found }
}

/** For a card chosen on its tile: do the typed digits confirm it? */
export function confirmLast4(card: CardView, cards: readonly CardView[], value: string): Problem | null {
  const last4 = typedLast4(value)
  if (!last4) return { field: 'last4', rule: 'last4.format' }
  if (card.last4 === last4) return null
  const other = cards.some((c) => c.token !== card.token && c.last4 === last4)
  return { field: 'last4', rule: other ? 'last4.other' : 'last4.mismatch' }
}

/** The colour an outcome is shown in. */
export const OUTCOME_TONE: Record<AuditOutcome, 'ok' | 'info' | 'warn' | 'danger'> = {
  removed: 'ok',
  removed_confirmed_by_recheck: 'ok',
  already_removed: 'info',
  not_removed: 'danger',
  unknown: 'warn',
}

/** Outcomes after which the card is known to be gone. */
export const GONE: readonly AuditOutcome[] = ['removed', 'removed_confirmed_by_recheck', 'already_removed']
