// The customer-number rule of design.md §5, checked in the UI for instant feedback; Rust
// checks it again before anything is sent.
const FORBIDDEN = /[<>"='/();#]/

export function customerNumberProblem(value: string): boolean {
  const v = value.trim()
  return v.length === 0 || [...v].length > 32 || FORBIDDEN.test(v)
}
