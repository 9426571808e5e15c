// Why: at start the window needs the desk's status and the recent customers. Asked one after
// the other — the status, then the search view mounts and asks for the list — they cost two
// round trips and a render before the first useful frame (docs/benchmarks.md, "Start-up").
// main.ts asks for both before the app mounts; the first reader of each takes the answer
// already on its way, every later reader asks afresh.
import { deskStatus, recentCustomers, type DeskStatus, type RecentCustomer } from './ipc'
import { pageMark } from './startupProbe'

let status: Promise<DeskStatus> | null = null
let recent: Promise<RecentCustomer[]> | null = null

/** Asks Rust for the status and the active profile's recent customers, now. */
export function askEarly(): void {
  pageMark('asked')
  status = deskStatus()
  recent = recentCustomers('')
  void status.then(() => pageMark('status answered'), () => {})
  void recent.then(() => pageMark('recent answered'), () => {})
  // Read (and their errors shown) by the app; until then, not "unhandled".
  status.catch(() => {})
  recent.catch(() => {})
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
