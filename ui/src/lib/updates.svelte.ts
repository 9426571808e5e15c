// Why: "is there a newer Card Desk, and may I install it" — asked quietly once on start and
// from Settings → Updates. A newer version is only offered; nothing is downloaded until the
// user chooses Install (Rust verifies the package's signature before installing it). A failed
// check is said quietly in Settings, never as an error over the agent's work.
import { restartApp, updateCheck, updateInstall, type UpdateCheck, type UpdateInstall } from './ipc'
import { asAppError } from './errors'

export const updates = $state<{
  check: UpdateCheck | null
  checking: boolean
  installing: boolean
  install: UpdateInstall | null
  /** The version the start-up banner was dismissed for (this session). */
  dismissed: string | null
}>({ check: null, checking: false, installing: false, install: null, dismissed: null })

/** Asks the update server; the answer (or a "could not check") lands in `updates.check`. */
export async function checkForUpdates(): Promise<void> {
  if (updates.checking || updates.installing) return
  updates.checking = true
  try {
    updates.check = await updateCheck()
    updates.install = null
  } catch (e) {
    updates.check = { kind: 'couldNotCheck', current: updates.check?.current ?? '', why: 'other', detail: asAppError(e).message }
  } finally {
    updates.checking = false
  }
}

/** Installs the offered version: the user chose Install. */
export async function installUpdate(): Promise<void> {
  if (updates.installing || updates.check?.kind !== 'available') return
  updates.installing = true
  try {
    updates.install = await updateInstall()
  } catch (e) {
    updates.install = { kind: 'failed', version: updates.check.version, detail: asAppError(e).message }
  } finally {
    updates.installing = false
  }
}

export function restartNow(): void {
  restartApp().catch(() => {})
}

/** The version a start-up banner should offer, unless dismissed or already being handled. */
export function offeredVersion(): string | null {
  const c = updates.check
  if (c?.kind !== 'available' || updates.dismissed === c.version) return null
  return c.version
}
