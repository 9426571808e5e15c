// Once a session, when the search view first shows the desk's status and its recent customers,
// two animation frames later (the frame with them is painted; the first frame the page carried,
// lib/firstFrame.ts, when it did) Rust is told: the audit chain's
// full check, which waits for it (or 3 s), then starts, and the start-up benchmark's finish line
// is written when it runs (benches/startup, docs/benchmarks.md "Start-up"). Work that must not
// compete with the first frame (fetching the other views) waits for the same moment. The call
// carries the page's own steps (when the script ran, the answers came, the view was drawn), so
// the benchmark can say where the page's time goes; Rust keeps them only for the benchmark. After
// a first frame the live view's paint is told too, with its steps, and releases the waiting work.
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

/** Rust is told (once) that the first search view is on screen, with the page's steps. */
function tell(frame: boolean): void {
  if (told) return
  told = true
  pageMark('frame painted')
  navigationMarks()
  report(frame)
}

function report(frame: boolean): void {
  const origin = typeof performance === 'undefined' ? null : performance.timeOrigin
  void startupPainted(origin, steps, frame).catch(() => {})
}

const afterTwoFrames = (fn: () => void) =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => requestAnimationFrame(fn)) : fn()

/** The first frame the page carried (lib/firstFrame.ts) is on screen two animation frames
 *  from now: Rust is told then (the benchmark's finish line; its deferred work waits for the
 *  live view), and the promise settles (the app then takes over). */
export function framePainted(): Promise<void> {
  pageMark('first frame drawn')
  return new Promise((resolve) =>
    afterTwoFrames(() => {
      tell(true)
      resolve()
    }),
  )
}

let live = false

/** The live search view is drawn: two animation frames later it is painted, Rust is told
 *  (unless the page's first frame already was) and the work waiting for it goes ahead. */
export function searchViewPainted(): void {
  if (live) return
  live = true
  pageMark('search view drawn')
  // Style and layout of the first frame, done here (they would be before its paint anyway), so
  // the marks tell them apart from the paint.
  queueMicrotask(() => {
    pageMark('effects run')
    document.body?.getBoundingClientRect()
    pageMark('laid out')
  })
  afterTwoFrames(() => {
    pageMark('live view painted')
    // After a first frame, Rust hears again when the live view took its place.
    if (told) report(false)
    else tell(false)
    firstPainted()
  })
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
