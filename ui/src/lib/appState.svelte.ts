// The app's state: what Rust said about profiles and settings (DeskStatus), which view is
// shown, and the search form, which survives a trip to a customer and back. One instance per
// App, handed to the views as a prop.
import { deskStatus, type DeskStatus, type Lookup, type ProfileLookup, type ProfileView, type Reason, type RequestKind } from './ipc'
import { asAppError } from './errors'
import { carriedStatus, earlyStatus } from './earlyAsk'
import type { AppError } from './ipc'
import type { Key } from './i18n.svelte'

/** A one-line confirmation, kept as a key so that it follows a change of language. */
export type Flash = { key: Key; params?: Record<string, string | number> }

/** What Settings opens on: a profile to add or edit (its password focused), or a section (Documents). */
export type SettingsIntent = { add?: boolean; edit?: string; focusPassword?: boolean; section?: 'documents' }

export type Route =
  | { name: 'search' }
  | { name: 'customer'; lookup: Lookup }
  | { name: 'settings'; intent: SettingsIntent }
  | { name: 'bulk' }
  | { name: 'audit' }
  | { name: 'requests' }

/** Removals made for a customer's request ("Look up cards" in its detail): the revoke dialogs
 * prefill its ticket and reason and name the request, so Rust checks and links them. */
export interface RequestContext {
  id: string
  kind: RequestKind
  ticket: string | null
  customer: string
}

/** What a lookup link from a ticket left: its ticket for the revoke dialogs and, for a production
 * profile, the lock that keeps Revoke disabled until the agent presses "Allow changes". */
export interface LinkContext {
  customer: string
  ticket: string | null
  lock: { profileId: string; profileName: string } | null
}

/** The reason a removal for a request of this kind is recorded with. */
export function reasonFor(kind: RequestKind): Reason {
  return kind === 'erasure152' || kind === 'erasure_gdpr' ? 'erasure_request' : 'customer_request'
}

export const isErasure = (kind: RequestKind) => kind === 'erasure152' || kind === 'erasure_gdpr'

export class AppState {
  status = $state<DeskStatus | null>(null)
  loadError = $state<AppError | null>(null)
  route = $state<Route>({ name: 'search' })

  /** The search form: its text, the all-profiles switch and that search's results. */
  query = $state('')
  searchAll = $state(false)
  allResults = $state<ProfileLookup[] | null>(null)
  /** A one-line confirmation shown on the next view ("Customer forgotten"). */
  flash = $state<Flash | null>(null)

  workingOn = $state<RequestContext | null>(null)
  linked = $state<LinkContext | null>(null)

  active: ProfileView | null = $derived(
    this.status?.profiles.find((p) => p.id === this.status?.activeProfileId) ?? null,
  )
  firstRun = $derived(this.active?.builtIn === true)
  memoryStore = $derived(this.status?.secretStore.kind === 'memory')
  /** The production profile a link opened, while it is the active one and not yet allowed. */
  readOnly = $derived(this.linked?.lock && this.linked.lock.profileId === this.status?.activeProfileId ? this.linked.lock : null)

  allowChanges() {
    if (this.linked) this.linked = { ...this.linked, lock: null }
  }

  /** `drawn`: the status a still drawing of the first view is made from (lib/firstFrame.ts);
   *  the desk then asks for nothing and looks at nothing again. */
  constructor(drawn?: DeskStatus) {
    if (drawn) {
      this.status = drawn
      return
    }
    // The status the page's HTML carried: the app's first render is then the finished view.
    const carried = carriedStatus()
    if (carried) this.#settle(carried)
  }

  /** Whether the status is still to be asked for (none was carried by the page). */
  get unasked(): boolean {
    return this.status === null && this.loadError === null
  }

  /** Asks Rust for the status again; a failure is kept in loadError (the shell shows it). */
  async reload(): Promise<void> {
    try {
      this.#settle(await (earlyStatus() ?? deskStatus()))
    } catch (e) {
      this.loadError = asAppError(e)
      this.#lookAgain()
    }
  }

  #settle(status: DeskStatus) {
    this.status = status
    this.loadError = null
    this.#lookAgain()
  }

  /** Removals a previous session left open, and the audit chain, are checked in the background
   *  after start: look again until that is done, so a banner comes or goes by itself. */
  #lookAgain() {
    if (this.status?.recovering || this.status?.checking) setTimeout(() => void this.reload(), 1500)
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

  goRequests() {
    this.flash = null
    this.route = { name: 'requests' }
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
