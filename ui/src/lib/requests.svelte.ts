// The customer-requests view's state, kept at module level like the bulk jobs: the navigation
// shows how many requests need attention today from any view, and a half-filled new request
// or the open request must still be there after a trip to the customer's cards. Answers that
// arrive after the person moved on (another request opened, the filter changed) are dropped.
import { requestAccessAnswer, requestAct, requestConfirmation, requestErasureDocuments, requestNew, request as getRequest, requests as listRequests, type AccessDetails, type AppError, type DueCounts, type ErasureDetails, type ProducedDocument, type RequestAction, type RequestFilter, type RequestKind, type RequestList, type RequestView, type StatusKind } from './ipc'
import { asAppError } from './errors'
import { formProblems, requestForm, toDraft, type RequestForm, type RequestPrefill } from './requestForm'

export type RequestsScreen = { name: 'list' } | { name: 'new' } | { name: 'detail'; id: string }

export interface ListFilter {
  openOnly: boolean
  kind: RequestKind | ''
  status: StatusKind | ''
}

/** Which change is being sent (its button is busy). */
export type Acting = RequestAction['action'] | null

export class Requests {
  screen = $state<RequestsScreen>({ name: 'list' })

  list = $state<RequestList | null>(null)
  listError = $state<AppError | null>(null)
  filter = $state<ListFilter>({ openOnly: true, kind: '', status: '' })
  /** Whether the register holds no request at all (not merely none open): the empty state. */
  empty = $state(false)
  /** The register's counts, from the last answer of any listing (the navigation's badge). */
  counts = $state<DueCounts | null>(null)

  form = $state<RequestForm | null>(null)
  /** Set once the person tried to save: the form's own problems show from then on. */
  submitted = $state(false)
  creating = $state(false)
  createError = $state<AppError | null>(null)

  current = $state<RequestView | null>(null)
  detailError = $state<AppError | null>(null)
  acting = $state<Acting>(null)
  actError = $state<AppError | null>(null)

  /** Team mode (issue 17): the register is the team's, so the view re-reads it while shown
   * (`refresh`), and says who handles each request. */
  shared = $state(false)
  /** The open request was changed by someone else since this desk last read or changed it. */
  colleagueChanged = $state(false)

  /** A document being made for the open request (its button is busy), and why the last failed. */
  producing = $state(false)
  produceError = $state<AppError | null>(null)

  /** Requests due today or overdue: what needs attention. */
  attention = $derived(this.counts ? this.counts.dueToday + this.counts.overdue : 0)
  openId = $derived(this.screen.name === 'detail' ? this.screen.id : null)
  problems = $derived(this.form ? formProblems(this.form) : [])

  #generation = 0
  #listAsked = 0
  #detailAsked = 0

  #filterOf(): RequestFilter {
    const f = this.filter
    return { statuses: f.status ? [f.status] : [], openOnly: f.openOnly, kind: f.kind || null, assignee: null, customerNumber: null, dueBy: null }
  }

  /** Reads the list; `quiet` (a background re-read): a failure keeps the list shown, and the
   * next re-read tries again. */
  async loadList(quiet = false): Promise<void> {
    const gen = this.#generation
    const asked = ++this.#listAsked
    const current = () => gen === this.#generation && asked === this.#listAsked
    try {
      const filter = this.#filterOf()
      const list = await listRequests(filter)
      // none open: is there any at all? (closed and answered ones are behind "open only")
      const empty =
        list.requests.length === 0 && filter.openOnly && !filter.kind && filter.statuses.length === 0
          ? (await listRequests({ ...filter, openOnly: false })).requests.length === 0
          : false
      if (!current()) return
      this.empty = empty
      this.list = list
      this.counts = list.counts
      this.listError = null
    } catch (e) {
      if (current() && !(quiet && this.list)) this.listError = asAppError(e)
    }
  }

  /** Team mode: what the rest of the desk did meanwhile — the list as shown, or the open
   * request. Only a newer version replaces the request (what is typed into its forms is the
   * panels' own and stays); nothing is asked while this desk sends a change of its own. */
  async refresh(): Promise<void> {
    if (this.screen.name === 'list') {
      if (this.list) await this.loadList(true)
      return
    }
    const id = this.openId
    if (!id || !this.current || this.acting || this.producing) return
    const gen = this.#generation
    const asked = ++this.#detailAsked
    try {
      const view = await getRequest(id)
      if (gen !== this.#generation || asked !== this.#detailAsked || this.openId !== id || this.acting || this.producing) return
      const shown = this.current
      if (!shown || view.request.version <= shown.request.version) return
      this.current = view
      this.colleagueChanged = true
    } catch {
      // the request as last read stays; the next re-read tries again
    }
  }

  /** The counts alone (start-up, after a change): a failure leaves the badge as it was. */
  async loadCounts(): Promise<void> {
    const gen = this.#generation
    try {
      const list = await listRequests({ statuses: [], openOnly: true, kind: null, assignee: null, customerNumber: null, dueBy: null })
      if (gen === this.#generation) this.counts = list.counts
    } catch {
      // the badge is a hint; the list says what went wrong when it is opened
    }
  }

  setFilter(change: Partial<ListFilter>) {
    this.filter = { ...this.filter, ...change }
    void this.loadList()
  }

  showList() {
    this.screen = { name: 'list' }
    this.colleagueChanged = false
    void this.loadList()
  }

  /** Opens the new-request form, filled from `prefill` (a deep link: kind, customer, ticket, received). */
  openNewRequest(activeProfile: string, prefill: RequestPrefill = {}) {
    this.form = requestForm(activeProfile, prefill)
    this.submitted = false
    this.createError = null
    this.screen = { name: 'new' }
  }

  cancelNew() {
    this.form = null
    this.createError = null
    this.showList()
  }

  /** Saves the form when the UI's own rules hold; returns whether the request was opened. */
  async create(): Promise<boolean> {
    const form = this.form
    if (!form || this.creating) return false
    this.submitted = true
    if (formProblems(form).length > 0) return false
    const gen = this.#generation
    this.creating = true
    this.createError = null
    try {
      const view = await requestNew(toDraft(form))
      if (gen !== this.#generation) return false
      this.form = null
      this.current = view
      this.detailError = null
      this.actError = null
      this.screen = { name: 'detail', id: view.request.id }
      void this.loadCounts()
      return true
    } catch (e) {
      if (gen === this.#generation) this.createError = asAppError(e)
      return false
    } finally {
      if (gen === this.#generation) this.creating = false
    }
  }

  open(id: string) {
    const known = this.current?.request.id === id ? this.current : (this.list?.requests.find((r) => r.request.id === id) ?? null)
    this.screen = { name: 'detail', id }
    this.current = known
    this.detailError = null
    this.actError = null
    this.produceError = null
    this.colleagueChanged = false
    void this.loadDetail()
  }

  /** Reads the open request again (also the answer to a conflict: the change is dropped). */
  async loadDetail(): Promise<void> {
    const id = this.openId
    if (!id) return
    const gen = this.#generation
    const asked = ++this.#detailAsked
    const current = () => gen === this.#generation && asked === this.#detailAsked && this.openId === id
    try {
      const view = await getRequest(id)
      if (!current()) return
      this.current = view
      this.detailError = null
    } catch (e) {
      if (current()) this.detailError = asAppError(e)
    }
  }

  async reload(): Promise<void> {
    this.actError = null
    this.colleagueChanged = false
    await this.loadDetail()
  }

  /** A change to the open request, made to the version shown. Returns whether Rust took it;
   * otherwise actError says why (a `conflict`: someone changed it since, reload). */
  async act(action: RequestAction): Promise<boolean> {
    const shown = this.current
    if (!shown || this.acting) return false
    const gen = this.#generation
    const id = shown.request.id
    this.acting = action.action
    this.actError = null
    try {
      const view = await requestAct(id, shown.request.version, action)
      if (gen !== this.#generation || this.openId !== id) return false
      this.current = view
      this.colleagueChanged = false
      void this.loadCounts()
      return true
    } catch (e) {
      if (gen === this.#generation && this.openId === id) this.actError = asAppError(e)
      return false
    } finally {
      if (gen === this.#generation) this.acting = null
    }
  }

  /** Makes the open request's documents (Rust asks where to save them): the request comes back
   * with them recorded. Null: the dialog was cancelled, or Rust refused (produceError says why). */
  async produce(make: (id: string, version: number) => Promise<ProducedDocument[] | null>): Promise<ProducedDocument[] | null> {
    const shown = this.current
    if (!shown || this.producing) return null
    const gen = this.#generation
    const id = shown.request.id
    this.producing = true
    this.produceError = null
    try {
      const docs = await make(id, shown.request.version)
      if (gen !== this.#generation || this.openId !== id) return null
      const last = docs?.[docs.length - 1]
      if (last) {
        this.current = last.request
        void this.loadCounts()
      }
      return docs && docs.length > 0 ? docs : null
    } catch (e) {
      if (gen === this.#generation && this.openId === id) this.produceError = asAppError(e)
      return null
    } finally {
      if (gen === this.#generation) this.producing = false
    }
  }

  /** The 376-FZ confirmation of a refusal (refused while the customer still holds cards). Rust
   * names the merchant by the operator of Settings → Documents (else by the gateway profile). */
  saveConfirmation(): Promise<ProducedDocument[] | null> {
    return this.produce(async (id, version) => {
      const doc = await requestConfirmation(id, version)
      return doc ? [doc] : null
    })
  }

  /** The answer to an access request: the cards held now and the merchant's own words. */
  makeAccessAnswer(details: AccessDetails): Promise<ProducedDocument[] | null> {
    return this.produce(async (id, version) => {
      const doc = await requestAccessAnswer(id, version, details)
      return doc ? [doc] : null
    })
  }

  /** An erasure's Order 179 act and event-log export. */
  makeErasureDocuments(details: ErasureDetails): Promise<ProducedDocument[] | null> {
    return this.produce((id, version) => requestErasureDocuments(id, version, details))
  }

  /** Forget everything (tests: one app per test, one store per module). */
  reset() {
    this.#generation++
    this.screen = { name: 'list' }
    this.list = null
    this.listError = this.createError = this.detailError = this.actError = null
    this.filter = { openOnly: true, kind: '', status: '' }
    this.counts = null
    this.empty = false
    this.form = null
    this.submitted = this.creating = false
    this.current = null
    this.acting = null
    this.producing = false
    this.produceError = null
    this.shared = false
    this.colleagueChanged = false
  }
}

export const requests = new Requests()
