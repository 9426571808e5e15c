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

/** The longest work waiting for the first painted search view waits: a window that opens
 *  on another view (a link from a ticket) never paints the search view first. */
const WAITS_AT_MOST_MS = 3000

/** Runs `fn` once the first search view is painted (at once when it already was), or after
 *  3 s when it is not. */
export function onFirstPaint(fn: () => void): void {
  if (painted) return fn()
  if (waiting.length === 0 && typeof setTimeout === 'function') setTimeout(firstPainted, WAITS_AT_MOST_MS)
  waiting.push(fn)
}

function firstPainted(): void {
  if (painted) return
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
    pageMark('effects run')
    document.body?.getBoundingClientRect()
    pageMark('laid out')
  })
  const tell = () => {
    pageMark('frame painted')
    navigationMarks()
    const origin = typeof performance === 'undefined' ? null : performance.timeOrigin
    void startupPainted(origin, steps).catch(() => {})
    firstPainted()
  }
  if (typeof requestAnimationFrame !== 'function') return tell()
  requestAnimationFrame(() => requestAnimationFrame(tell))
}

/** When the page itself was fetched and parsed (Navigation Timing), and when its entry script
 *  arrived: the time before the script runs is the webview's, not the app's code. */
function navigationMarks(): void {
  if (typeof performance === 'undefined' || typeof performance.getEntriesByType !== 'function') return
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
  if (nav) {
    steps.push({ step: 'html asked', at: nav.requestStart })
    steps.push({ step: 'html received', at: nav.responseEnd })
    steps.push({ step: 'dom interactive', at: nav.domInteractive })
  }
  for (const r of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    const name = r.name.split('/').pop()?.replace(/-[\w-]{8}\./, '.') ?? r.name
    if (name.endsWith('.js') || name.endsWith('.css')) {
      steps.push({ step: `got ${name}`, at: r.responseEnd })
    }
  }
}
