// The customer-number rule of docs/design.md §5, checked in the UI for instant feedback; Rust
// checks it again before anything is sent. The gateway strips these characters silently and
// could then address another customer. The characters and the length are Rust's own (generated
// into bindings.ts from assist::STRIPPED_BY_GATEWAY and assist::CUSTOMER_NUMBER_MAX).
import { CUSTOMER_FORBIDDEN_CHARS, CUSTOMER_MAX } from './bindings'

export const FORBIDDEN_CHARS = CUSTOMER_FORBIDDEN_CHARS
export { CUSTOMER_MAX }

export type CustomerIssue =
  | { kind: 'empty' }
  | { kind: 'length'; length: number }
  | { kind: 'forbidden'; found: string }

/** What is wrong with a customer number, or null when it may be sent (trimmed). */
export function customerNumberIssue(value: string): CustomerIssue | null {
  const v = value.trim()
  if (v.length === 0) return { kind: 'empty' }
  const found = [...new Set([...v].filter((c) => (FORBIDDEN_CHARS as readonly string[]).includes(c)))]
  if (found.length > 0) return { kind: 'forbidden', found: found.join(' ') }
  const length = [...v].length
  if (length > CUSTOMER_MAX) return { kind: 'length', length }
  return null
}
