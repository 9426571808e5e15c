// Why: at start the window needs the desk's status and the recent customers. Asked one after
// the other — the status, then the search view mounts and asks for the list — they cost two
// round trips and a render before the first useful frame (docs/benchmarks.md, "Start-up").
// main.ts asks for both before the app mounts; the first reader of each takes the answer
// already on its way, every later reader asks afresh. The page's first load usually carries
// both already (src-tauri/src/first_view.rs): then nothing is asked at all, and the app takes
// them as it is created, so that its first render is the finished view, not a "Loading…"
// drawn and replaced before the first frame (docs/benchmarks.md, "Start-up", seventh round).
import { deskStatus, recentCustomers, type DeskStatus, type RecentCustomer } from './ipc'
import { pageMark } from './startupProbe'

let status: Promise<DeskStatus> | null = null
let recent: Promise<RecentCustomer[]> | null = null
let first: { status: DeskStatus | null; recent: RecentCustomer[] | null } | null = null

/** The first view's data the page's HTML carried (src-tauri/src/first_view.rs), once. */
function carried(): { status: DeskStatus; recent: RecentCustomer[] } | null {
  const block = typeof document === 'undefined' ? null : document.getElementById('carddesk-first')
  if (!block) return null
  block.remove()
  try {
    const data = JSON.parse(block.textContent ?? '') as { status?: DeskStatus; recent?: RecentCustomer[] }
    return data.status && Array.isArray(data.recent) ? { status: data.status, recent: data.recent } : null
  } catch {
    return null
  }
}

/** Takes the status and the active profile's recent customers from the page when it carried
 *  them, else asks Rust for both, now. */
export function askEarly(): void {
  pageMark('asked')
  const data = carried()
  first = data
  status = data ? Promise.resolve(data.status) : deskStatus()
  recent = data ? Promise.resolve(data.recent) : recentCustomers('')
  void status.then(() => pageMark('status answered'), () => {})
  void recent.then(() => pageMark('recent answered'), () => {})
  // Read (and their errors shown) by the app; until then, not "unhandled".
  status.catch(() => {})
  recent.catch(() => {})
}

/** The status the page carried, at once and once (its early answer then goes too); null when
 *  the page carried none or it was taken. */
export function carriedStatus(): DeskStatus | null {
  const s = first?.status ?? null
  if (first && s) {
    first.status = null
    status = null
  }
  return s
}

/** The unfiltered recent list the page carried, at once and once; null when there is none. */
export function carriedRecent(): RecentCustomer[] | null {
  const r = first?.recent ?? null
  if (first && r) {
    first.recent = null
    recent = null
  }
  return r
}

/** The status asked for at start, once; null afterwards (or when nothing was asked early). */
export function earlyStatus(): Promise<DeskStatus> | null {
  const s = status
  status = null
  return s
}

/** The unfiltered recent list asked for at start, once; null afterwards. */
export function earlyRecent(): Promise<RecentCustomer[]> | null {
  const r = recent
  recent = null
  return r
}
