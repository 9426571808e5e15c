// Once a session, when the search view first shows the desk's status and its recent customers,
// two animation frames later (the frame with them is painted) Rust is told: the audit chain's
// full check, which waits for it (or 3 s), then starts, and the start-up benchmark's finish line
// is written when it runs (benches/startup, docs/benchmarks.md "Start-up"). Work that must not
// compete with the first frame (fetching the other views) waits for the same moment.
import { startupPainted } from './ipc'

let told = false
let painted = false
const waiting: Array<() => void> = []

/** Runs `fn` once the first search view is painted (at once when it already was). */
export function onFirstPaint(fn: () => void): void {
  if (painted) fn()
  else waiting.push(fn)
}

function firstPainted(): void {
  painted = true
  for (const fn of waiting.splice(0)) fn()
}

export function searchViewPainted(): void {
  if (told) return
  told = true
  const tell = () => {
    void startupPainted().catch(() => {})
    firstPainted()
  }
  if (typeof requestAnimationFrame !== 'function') return tell()
  requestAnimationFrame(() => requestAnimationFrame(tell))
}
