// The bulk-jobs view's state, kept at module level rather than in the view: a dry run or run
// goes on in Rust while the person visits other views, so its progress, its controls, the open
// job and the half-filled forms must still be here when they come back. One pass at a time.
import {
  bulkControl,
  bulkCreate,
  bulkDelete,
  bulkExport,
  bulkJob,
  bulkJobs,
  bulkPickCsv,
  bulkPlan,
  bulkRows,
  bulkRun,
  type AppError,
  type Approval,
  type CsvPreview,
  type JobAction,
  type JobView,
  type Progress,
  type RowPage,
  type RowState,
  type RunOptions,
} from './ipc'
import { asAppError } from './errors'
import { t } from './i18n.svelte'
import { toastExported } from './toast.svelte'
import {
  columnMap,
  CONCURRENCY_DEFAULT,
  isActive,
  mappingForm,
  parseRun,
  RATE_DEFAULT,
  ROWS_PAGE,
  runForm,
  type MappingForm,
  type PassKind,
  type RunForm,
} from './bulkForm'

export type { PassKind }

export type BulkScreen = { name: 'list' } | { name: 'mapping' } | { name: 'job'; id: string }

/** A dry run or run this window started and is waiting for. */
export interface Pass {
  jobId: string
  kind: PassKind
  progress: Progress | null
  paused: boolean
  /** The control being sent (its button is busy). */
  sending: JobAction | null
}

/** How the last pass ended, for the notice above the job. */
export type PassEnd = { jobId: string; kind: PassKind; job: JobView } | { jobId: string; kind: PassKind; error: AppError }

/** While a pass runs, the open job and its rows are read again at most this often. */
const ROWS_REFRESH_MS = 1000

export class BulkJobs {
  screen = $state<BulkScreen>({ name: 'list' })

  jobs = $state<JobView[] | null>(null)
  listError = $state<AppError | null>(null)

  picking = $state(false)
  pickError = $state<AppError | null>(null)
  preview = $state<CsvPreview | null>(null)
  form = $state<MappingForm | null>(null)
  creating = $state(false)
  createError = $state<AppError | null>(null)

  job = $state<JobView | null>(null)
  jobError = $state<AppError | null>(null)
  rows = $state<RowPage | null>(null)
  rowsError = $state<AppError | null>(null)
  rowsLoading = $state(false)
  filter = $state<RowState | ''>('')
  offset = $state(0)

  run = $state<RunForm>(runForm())
  pass = $state<Pass | null>(null)
  ended = $state<PassEnd | null>(null)
  controlError = $state<AppError | null>(null)
  /** The run a supervisor's approval let go on by itself, said beside its progress and result. */
  approvedRun = $state<{ jobId: string; approval: Approval } | null>(null)

  exporting = $state(false)
  exportError = $state<AppError | null>(null)

  /** Bumped by reset(): answers to questions asked before it are dropped. */
  #generation = 0
  #rowsTurns = new Turns()
  #jobTurns = new Turns()
  #rowsTimer: ReturnType<typeof setTimeout> | undefined
  #rowsAt = 0
  /** The last run this window asked for, as asked (a held one is issued again as it was). */
  #asked: { jobId: string; options: RunOptions; confirmation: string | null } | null = null

  /** The job that is open, when the job screen shows. */
  openId = $derived(this.screen.name === 'job' ? this.screen.id : null)
  /** Percent of the pass's rows finished, for the progress bar and the nav. */
  percent = $derived(
    this.pass?.progress && this.pass.progress.total > 0 ? Math.floor((this.pass.progress.finished / this.pass.progress.total) * 100) : 0,
  )

  /**
   * Asks Rust something on the user's behalf: `busy` (if any) is set meanwhile, `error` is
   * cleared first and holds what went wrong after (or is handed it); `work` gets `current()`,
   * false once a reset() made the answer stale (then nothing of it is kept). Resolves to
   * whether the answer is still current.
   *
   * With `latest`, the question is one asked again and again about what is on screen (a job's
   * numbers, a page of rows): only the last one asked with those turns is current (and only
   * while `still()` holds), and what went wrong stays shown until an answer replaces it.
   */
  async #ask(
    busy: Busy | ((on: boolean) => void) | null,
    error: ErrorSlot | ((e: AppError) => void),
    work: (current: () => boolean) => Promise<void>,
    latest?: { turns: Turns; still?: () => boolean },
  ): Promise<boolean> {
    const gen = this.#generation
    const last = latest?.turns.take() ?? (() => true)
    const current = () => gen === this.#generation && last() && (latest?.still?.() ?? true)
    const setBusy = (on: boolean) => {
      if (typeof busy === 'function') busy(on)
      else if (busy) this[busy] = on
    }
    const fail = (e: AppError | null) => {
      if (typeof error === 'function') {
        if (e) error(e)
      } else this[error] = e
    }
    setBusy(true)
    if (!latest) fail(null)
    try {
      await work(current)
      if (latest && current()) fail(null)
    } catch (e) {
      if (current()) fail(asAppError(e))
    } finally {
      if (current()) setBusy(false)
    }
    return current()
  }

  async loadJobs(): Promise<void> {
    await this.#ask(null, 'listError', async (current) => {
      const jobs = await bulkJobs()
      if (current()) this.jobs = jobs.map((j) => this.#live(j))
    })
  }

  /** Rust's open dialog; a chosen file goes to the mapping step. */
  async pickCsv(): Promise<void> {
    await this.#ask('picking', 'pickError', async (current) => {
      const preview = await bulkPickCsv()
      if (!current() || !preview) return
      this.preview = preview
      this.form = mappingForm(preview)
      this.createError = null
      this.screen = { name: 'mapping' }
    })
  }

  cancelMapping() {
    this.preview = null
    this.form = null
    this.createError = null
    this.showList()
  }

  /** Creates the job from the mapping step, opens it and starts its dry run. */
  async create(): Promise<void> {
    const preview = this.preview
    const form = this.form
    if (!preview || !form || this.creating) return
    await this.#ask('creating', 'createError', async (current) => {
      const job = await bulkCreate({
        source: preview.source,
        map: columnMap(form),
        erasure: form.erasure,
        ticket: form.ticket.trim() || null,
        reason: form.reason,
        note: form.note.trim() || null,
      })
      if (!current()) return
      this.preview = null
      this.form = null
      this.jobs = [job, ...(this.jobs ?? []).filter((j) => j.id !== job.id)]
      this.#show(job)
      void this.plan(job.id)
    })
  }

  showList() {
    this.screen = { name: 'list' }
    void this.loadJobs()
  }

  open(id: string) {
    const known = this.job?.id === id ? this.job : (this.jobs?.find((j) => j.id === id) ?? null)
    if (known) this.#show(known)
    else this.#show(null, id)
    void this.loadJob()
  }

  #show(job: JobView | null, id = job?.id ?? '') {
    const same = this.job?.id === id
    this.screen = { name: 'job', id }
    this.job = job
    this.jobError = null
    this.exportError = null
    if (!same) {
      this.rows = null
      this.filter = ''
      this.offset = 0
      // A resume keeps the job's own concurrency and rate.
      this.run = runForm(job?.options ?? null)
      this.controlError = null
    }
    void this.loadRows()
  }

  async loadJob(): Promise<void> {
    const id = this.openId
    if (!id) return
    const still = () => this.openId === id
    await this.#ask(
      null,
      'jobError',
      async (current) => {
        const job = await bulkJob(id)
        if (!current()) return
        if (this.job === null) this.run = runForm(job.options)
        this.job = this.#live(job)
      },
      { turns: this.#jobTurns, still },
    )
  }

  async loadRows(): Promise<void> {
    const id = this.openId
    if (!id) return
    await this.#ask(
      'rowsLoading',
      'rowsError',
      async (current) => {
        this.#rowsAt = Date.now()
        const page = await bulkRows(id, this.filter || null, this.offset, ROWS_PAGE)
        if (current()) this.rows = page
      },
      { turns: this.#rowsTurns },
    )
  }

  setFilter(filter: RowState | '') {
    this.filter = filter
    this.offset = 0
    void this.loadRows()
  }

  page(offset: number) {
    this.offset = Math.max(0, offset)
    void this.loadRows()
  }

  /** The dry run: lists every customer's cards and classifies the rows; removes nothing. */
  plan(id: string): Promise<void> {
    const options = parseRun(this.run).options ?? { concurrency: CONCURRENCY_DEFAULT, rate: RATE_DEFAULT }
    return this.#pass(id, 'plan', (on) => bulkPlan(id, options, on))
  }

  /** Runs (or resumes) the job: confirmation is the typed card count on production, else null. */
  start(id: string, options: RunOptions, confirmation: string | null): Promise<void> {
    this.approvedRun = null
    this.#asked = { jobId: id, options, confirmation }
    return this.#pass(id, 'run', (on) => bulkRun(id, options, confirmation, on))
  }

  /**
   * A run held for a supervisor's approval (team mode's four-eyes) goes on by itself once it is
   * approved: the same call again, with the options and confirmation the agent gave when it
   * was held (Rust checks the approval exists, for this job and count, and uses it once).
   * Only while this window still shows that hold for this job; true when it went.
   */
  proceedApproved(jobId: string, approval: Approval): boolean {
    const asked = this.#asked
    const held = this.ended && 'error' in this.ended && this.ended.jobId === jobId && this.ended.error.code === 'awaiting_approval'
    if (!held || this.pass || !asked || asked.jobId !== jobId) return false
    void this.start(asked.jobId, asked.options, asked.confirmation)
    this.approvedRun = { jobId, approval }
    return true
  }

  async #pass(jobId: string, kind: PassKind, begin: (on: (p: Progress) => void) => Promise<JobView>): Promise<void> {
    if (this.pass) return
    this.pass = { jobId, kind, progress: null, paused: false, sending: null }
    this.ended = null
    this.controlError = null
    this.exportError = null
    this.#setPhase(jobId, kind === 'plan' ? 'planning' : 'running')
    // How the pass ended: Rust's answer, or what went wrong (a pass that failed has ended too).
    let ending = null as PassEnd | null
    const current = await this.#ask(
      null,
      (error) => (ending = { jobId, kind, error }),
      async (current) => {
        const job = await begin((p) => {
          if (!current() || this.pass?.jobId !== jobId) return
          this.pass.progress = p
          this.#refreshRowsSoon(jobId)
        })
        ending = { jobId, kind, job }
      },
    )
    const outcome = ending
    if (!current || !outcome) return
    clearTimeout(this.#rowsTimer)
    this.#rowsTimer = undefined
    this.pass = null
    this.ended = outcome
    if ('job' in outcome) {
      // Production: a resumed run is confirmed again, with the count as it is then.
      if (kind === 'run') this.run.confirmation = ''
      this.jobs = this.jobs?.map((j) => (j.id === jobId ? outcome.job : j)) ?? null
      if (this.openId === jobId) this.job = outcome.job
    }
    if (this.openId === jobId) await Promise.all([this.loadJob(), this.loadRows()])
    void this.loadJobs()
  }

  /** While a pass runs, the open job's numbers and table follow it (throttled). */
  #refreshRowsSoon(jobId: string) {
    if (this.openId !== jobId || this.#rowsTimer !== undefined) return
    const wait = Math.max(0, ROWS_REFRESH_MS - (Date.now() - this.#rowsAt))
    this.#rowsTimer = setTimeout(() => {
      this.#rowsTimer = undefined
      if (this.pass?.jobId !== jobId || this.openId !== jobId) return
      void this.loadJob()
      void this.loadRows()
    }, wait)
  }

  /** Pause, resume or cancel the job. A cancelled pass ends in Rust, which settles its promise. */
  async control(jobId: string, action: JobAction): Promise<void> {
    const own = this.pass?.jobId === jobId ? this.pass : null
    // The control's button is busy while it is sent, and while its pass is still this one.
    const sending = (on: boolean) => {
      if (own && (on || this.pass === own)) own.sending = on ? action : null
    }
    await this.#ask(sending, 'controlError', async (current) => {
      await bulkControl(jobId, action)
      if (!current()) return
      if (own && this.pass === own) own.paused = action === 'pause'
      if (action !== 'cancel') this.#setPhase(jobId, action === 'pause' ? 'paused' : own?.kind === 'plan' ? 'planning' : 'running')
      if (!own) await this.loadJob()
    })
  }

  async exportResults(jobId: string): Promise<void> {
    await this.#ask('exporting', 'exportError', async (current) => {
      const done = await bulkExport(jobId)
      if (current() && done !== null) toastExported(t('bulk.exported', { n: done.count }), done.path)
    })
  }

  /** Throws (for the confirm dialog to show) when Rust refuses. */
  async remove(jobId: string): Promise<void> {
    await bulkDelete(jobId)
    this.jobs = this.jobs?.filter((j) => j.id !== jobId) ?? null
    if (this.ended?.jobId === jobId) this.ended = null
    if (this.openId === jobId) {
      this.job = null
      this.rows = null
      this.showList()
    } else void this.loadJobs()
  }

  /** What Rust says, with the phase this window knows better while its own pass runs. */
  #live(job: JobView): JobView {
    const p = this.pass
    if (!p || p.jobId !== job.id || isActive(job.phase)) return job
    return { ...job, phase: p.paused ? 'paused' : p.kind === 'plan' ? 'planning' : 'running' }
  }

  #setPhase(jobId: string, phase: JobView['phase']) {
    if (this.job?.id === jobId) this.job.phase = phase
    const listed = this.jobs?.find((j) => j.id === jobId)
    if (listed) listed.phase = phase
  }

  /** Forget everything (tests: one app per test, one store per module). */
  reset() {
    this.#generation++
    clearTimeout(this.#rowsTimer)
    this.#rowsTimer = undefined
    this.screen = { name: 'list' }
    this.jobs = null
    this.listError = this.pickError = this.createError = this.jobError = this.rowsError = this.controlError = this.exportError = null
    this.picking = this.creating = this.rowsLoading = this.exporting = false
    this.preview = null
    this.form = null
    this.job = null
    this.rows = null
    this.filter = ''
    this.offset = 0
    this.run = runForm()
    this.pass = null
    this.ended = null
    this.approvedRun = null
    this.#asked = null
  }
}

/** The flags #ask sets while it waits, and where it puts what went wrong. */
type Busy = 'picking' | 'creating' | 'exporting' | 'rowsLoading'
type ErrorSlot = 'listError' | 'pickError' | 'createError' | 'exportError' | 'jobError' | 'rowsError' | 'controlError'

/** Latest request wins: each question takes a turn, and its answer counts only while no later
 * question has taken one (a page asked for before a newer page is dropped when it arrives). */
class Turns {
  #last = 0
  take(): () => boolean {
    const mine = ++this.#last
    return () => mine === this.#last
  }
}

export const bulk = new BulkJobs()
