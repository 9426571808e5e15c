// The app's state: what Rust said about profiles and settings (DeskStatus), which view is
// shown, and the search form, which survives a trip to a customer and back. One instance per
// App, handed to the views as a prop.
import { deskStatus, type DeskStatus, type Lookup, type ProfileLookup, type ProfileView } from './ipc'
import { asAppError } from './errors'
import type { AppError } from './ipc'
import type { Key } from './i18n.svelte'

/** A one-line confirmation, kept as a key so that it follows a change of language. */
export type Flash = { key: Key; params?: Record<string, string | number> }

export type SettingsIntent = { add?: boolean; edit?: string; focusPassword?: boolean }

export type Route =
  | { name: 'search' }
  | { name: 'customer'; lookup: Lookup }
  | { name: 'settings'; intent: SettingsIntent }
  | { name: 'bulk' }
  | { name: 'audit' }

export class Desk {
  status = $state<DeskStatus | null>(null)
  loadError = $state<AppError | null>(null)
  route = $state<Route>({ name: 'search' })

  /** The search form: its text, the all-profiles switch and that search's results. */
  query = $state('')
  searchAll = $state(false)
  allResults = $state<ProfileLookup[] | null>(null)
  /** A one-line confirmation shown on the next view ("Customer forgotten"). */
  flash = $state<Flash | null>(null)

  active: ProfileView | null = $derived(
    this.status?.profiles.find((p) => p.id === this.status?.activeProfileId) ?? null,
  )
  firstRun = $derived(this.active?.builtIn === true)
  memoryStore = $derived(this.status?.secretStore.kind === 'memory')

  /** Asks Rust for the status again; a failure is kept in loadError (the shell shows it). */
  async reload(): Promise<void> {
    try {
      this.status = await deskStatus()
      this.loadError = null
    } catch (e) {
      this.loadError = asAppError(e)
    }
    // Removals a previous session left open are checked in the background after start: look
    // again until that is done, so the banner goes away by itself.
    if (this.status?.recovering) setTimeout(() => void this.reload(), 1500)
  }

  goSearch() {
    this.route = { name: 'search' }
  }

  openCustomer(lookup: Lookup) {
    this.flash = null
    this.route = { name: 'customer', lookup }
  }

  goBulk() {
    this.flash = null
    this.route = { name: 'bulk' }
  }

  goAudit() {
    this.flash = null
    this.route = { name: 'audit' }
  }

  goSettings(intent: SettingsIntent = {}) {
    this.flash = null
    this.route = { name: 'settings', intent }
  }
}
