// Once a session, when the search view first shows the desk's status and its recent customers,
// two animation frames later (the frame with them is painted) Rust is told: the audit chain's
// full check, which waits for it (or 3 s), then starts, and the start-up benchmark's finish line
// is written when it runs (benches/startup, docs/benchmarks.md "Start-up").
import { startupPainted } from './ipc'

let told = false

export function searchViewPainted(): void {
  if (told) return
  told = true
  const tell = () => void startupPainted().catch(() => {})
  if (typeof requestAnimationFrame !== 'function') return tell()
  requestAnimationFrame(() => requestAnimationFrame(tell))
}
