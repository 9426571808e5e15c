// Once a session, when the search view first shows the desk's status and its recent customers,
// two animation frames later (the frame with them is painted) Rust is told: the audit chain's
// full check, which waits for it (or 3 s), then starts, and the start-up benchmark's finish line
// is written when it runs (benches/startup, docs/benchmarks.md "Start-up"). Work that must not
// compete with the first frame (fetching the other views) waits for the same moment. The call
// carries the page's own steps (when the script ran, the answers came, the view was drawn), so
// the benchmark can say where the page's time goes; Rust keeps them only for the benchmark.
import { startupPainted } from './ipc'

const steps: Array<{ step: string; at: number }> = []

/** Notes that the page's start-up step `step` is done (performance.now(), once a step). */
export function pageMark(step: string): void {
  if (typeof performance === 'undefined' || steps.some((s) => s.step === step)) return
  steps.push({ step, at: performance.now() })
}

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
  pageMark('search view drawn')
  // Style and layout of the first frame, done here (they would be before its paint anyway), so
  // the marks tell them apart from the paint.
  queueMicrotask(() => {
    document.body?.getBoundingClientRect()
    pageMark('laid out')
  })
  const tell = () => {
    pageMark('frame painted')
    const origin = typeof performance === 'undefined' ? null : performance.timeOrigin
    void startupPainted(origin, steps).catch(() => {})
    firstPainted()
  }
  if (typeof requestAnimationFrame !== 'function') return tell()
  requestAnimationFrame(() => requestAnimationFrame(tell))
}
