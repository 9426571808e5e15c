// The start-up benchmark's finish line (benches/startup, docs/benchmarks.md "Start-up"): once a
// session, when the search view first shows the desk's status and its recent customers, two
// animation frames later (the frame with them is painted) Rust is told. Rust does nothing with
// it unless the benchmark set CARDDESK_STARTUP_PROBE.
import { startupPainted } from './ipc'

let told = false

export function searchViewPainted(): void {
  if (told) return
  told = true
  const tell = () => void startupPainted().catch(() => {})
  if (typeof requestAnimationFrame !== 'function') return tell()
  requestAnimationFrame(() => requestAnimationFrame(tell))
}
