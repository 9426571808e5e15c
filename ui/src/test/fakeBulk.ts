// Rust's bulk jobs, in memory, wrapped around the fake desk: an open dialog that yields a CSV
// preview, jobs whose rows fall into every plan class, a dry run and a run that stream Progress
// over the Tauri Channel passed as `onProgress` (delivered the way @tauri-apps/api/mocks does it:
// __TAURI_INTERNALS__.runCallback(channel id, {message, index}), then {end, index}), pause,
// resume and cancel, export and delete. Like fakeDesk it is sent to the browser as source text,
// so it must stay self-contained: no imports at run time, nothing from outside this function.
import type {
  BulkCard,
  BulkDraft,
  BulkRow,
  CsvPreview,
  DeskError,
  JobAction,
  JobPhase,
  JobView,
  PlanClass,
  Progress,
  RowState,
  RunOptions,
} from '../lib/ipc'
import type { FakeHandler } from './fakeDesk'

/** A saved job the fake starts with, brought to `stage` by its own dry run and run. */
export interface BulkJobSeed {
  id: string
  source: string
  created: string
  rows: number
  stage: 'created' | 'planned' | 'interrupted' | 'finished'
  erasure?: boolean
  /** Default: the active profile. */
  profileId?: string
  /** Made by `carddesk` (no app profile). */
  commandLine?: boolean
  /** The options the job last ran with. */
  options?: RunOptions
}

export interface BulkSeed {
  /** The gateway's rate limit holds the pass back: progress reports this pace (requests/s). */
  limitedPace?: number
  /** What bulk_pick_csv answers: a preview (default: customer;last4;ticket), 'cancel', or an error. */
  pick?: CsvPreview | 'cancel' | DeskError
  /** Rows of a newly created job (default 14: every plan class once or more). */
  rows?: number
  jobs?: BulkJobSeed[]
  /** Milliseconds between two progress messages (default 25). */
  stepMs?: number
  /** Rows handled per progress message (default 3). */
  chunk?: number
  /** bulk_export (Rust's save dialog): 'cancel' (the dialog was closed) or an error; else the row count. */
  exportAnswer?: 'cancel' | DeskError
  createError?: DeskError
}

interface FakeJob {
  view: JobView
  rows: BulkRow[]
  /** The source rows' kinds, which decide what the dry run finds. */
  kinds: PlanClass[]
  control: { kind: 'plan' | 'run'; paused: boolean; cancelled: boolean } | null
  /** A run has been started: stopped before the end, the job is interrupted. */
  ran: boolean
}

export interface FakeBulkState {
  jobs: FakeJob[]
}

export type FakeBulkHandler = FakeHandler & { bulk: FakeBulkState }

export function fakeBulk(seed: BulkSeed | undefined, desk: FakeHandler): FakeBulkHandler {
  const s = seed ?? {}
  const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T
  const fail = (code: DeskError['code'], message: string): never => {
    throw { code, message }
  }
  const bulk: FakeBulkState = { jobs: [] }
  /** Handles the open dialog gave (as Rust keeps them): source → file name. */
  const chosen = new Map<string, string>()
  const step = s.stepMs ?? 25
  const chunk = s.chunk ?? 3

  const defaultPreview: CsvPreview = {
    source: 'file-5f0c2a91d4e84b7c9e61a3b2c4d5e6f7',
    fileName: 'deletion-requests-2026-11.csv',
    headers: ['customer', 'last4', 'ticket'],
    delimiter: ';',
    suggested: { customer: 'customer', last4: 'last4', expiry: null, token: null, ticket: 'ticket', reason: null, note: null },
    sample: [
      ['100101', '0028', 'SUP-48301'],
      ['100102', '1030', 'SUP-48302'],
      ['100103', '', 'SUP-48303'],
      ['100104', '4417', 'SUP-48304'],
      ['100105', '', 'SUP-48305'],
    ],
  }

  // Each source row is one of these kinds, in turn: most name one card; the rest show every
  // other class once ('all' becomes needs_erasure when erasure is off).
  const PATTERN: PlanClass[] = ['exact', 'exact', 'all', 'exact', 'none', 'ambiguous', 'exact', 'no_match', 'invalid', 'exact', 'duplicate', 'exact', 'list_failed', 'exact']
  const CARDS = [
    { masked: '4123 62•• •••• 0028', brand: 'VISA', last4: '0028' },
    { masked: '5186 15•• •••• 1030', brand: 'MasterCard', last4: '1030' },
    { masked: '2200 70•• •••• 4417', brand: 'MIR', last4: '4417' },
    { masked: '5536 91•• •••• 1030', brand: 'MasterCard', last4: '1030' },
  ]
  const card = (i: number): BulkCard => ({ ...CARDS[i % CARDS.length]!, state: 'planned', outcome: null, fault: null, time: null })

  const makeRows = (n: number, erasure: boolean): { rows: BulkRow[]; kinds: PlanClass[] } => {
    const rows: BulkRow[] = []
    const kinds: PlanClass[] = []
    for (let i = 0; i < n; i++) {
      let kind = PATTERN[i % PATTERN.length]!
      if (kind === 'all' && !erasure) kind = 'needs_erasure'
      const no = i + 1
      const customer = kind === 'invalid' ? `CRM<${no}>` : kind === 'duplicate' ? String(100100 + no - 9) : String(100100 + no)
      const last4 = kind === 'all' || kind === 'needs_erasure' ? null : kind === 'no_match' ? '9999' : kind === 'ambiguous' ? '1030' : CARDS[no % 3]!.last4
      // As Rust imports it: a row refused at import is final (failed, class invalid) at once,
      // and keeps what it held.
      const row: BulkRow = { row: no, customer, last4, ticket: `SUP-${48300 + no}`, state: 'pending', class: null, cards: [], message: null, time: null }
      if (kind === 'invalid') Object.assign(row, { state: 'failed', class: 'invalid', message: MESSAGES.invalid!(row) })
      rows.push(row)
      kinds.push(kind)
    }
    return { rows, kinds }
  }

  // The engine's own words (src-tauri/desk/src/bulk.rs, bulk/run.rs, bulk/import.rs).
  const MESSAGES: Partial<Record<PlanClass, (r: BulkRow) => string>> = {
    none: () => 'the customer has no saved cards',
    no_match: () => "no listed card matches the row's token, last4 or expiry",
    ambiguous: () => '2 cards match; held for a person to choose',
    needs_erasure: () => 'no card filter (token or last4) and the job is not marked erasure',
    invalid: (r) => `row ${r.row}, customer number: must not contain any of < > " = ' / ( ) ; #`,
    duplicate: (r) => `row ${r.row}: duplicate of row ${r.row - 9}`,
    list_failed: () => 'the card list could not be read: the gateway did not answer within 30 s (transport)',
  }
  const STATE_AFTER_PLAN: Record<PlanClass, RowState> = {
    exact: 'planned',
    all: 'planned',
    none: 'skipped',
    no_match: 'held',
    ambiguous: 'held',
    needs_erasure: 'held',
    invalid: 'failed',
    duplicate: 'skipped',
    covered: 'skipped',
    list_failed: 'failed',
  }

  const classify = (job: FakeJob, i: number) => {
    const r = job.rows[i]!
    const kind = job.kinds[i]!
    r.class = kind
    r.state = STATE_AFTER_PLAN[kind]
    r.cards = kind === 'exact' ? [card(r.row)] : kind === 'all' ? [card(0), card(1)] : kind === 'ambiguous' ? [card(1), card(3)] : []
    if (kind === 'ambiguous') r.cards.forEach((c) => (c.state = 'skipped'))
    r.message = MESSAGES[kind]?.(r) ?? null
    r.time = new Date().toISOString()
  }
  /** Removes a planned row's cards: every tenth row's card is refused by the gateway. */
  const execute = (r: BulkRow) => {
    const time = new Date().toISOString()
    const refused = r.row % 10 === 0
    for (const c of r.cards) {
      c.state = refused ? 'failed' : 'done'
      c.outcome = refused ? 'not_removed' : 'removed'
      c.fault = refused ? '7/141 operation not permitted' : null
      c.time = time
    }
    r.state = refused ? 'failed' : 'done'
    r.message = refused ? 'not removed: the gateway refused (7/141)' : null
    r.time = time
  }

  // Keyed like bulk.rs's summary (by RowState or PlanClass), so a misspelt key fails the check.
  const tally = <K extends 'state' | 'class'>(rows: BulkRow[], key: K) => {
    const out: Partial<Record<NonNullable<BulkRow[K]>, number>> = {}
    for (const r of rows) {
      const k = r[key]
      if (k) out[k] = (out[k] ?? 0) + 1
    }
    return out
  }
  const PROBLEMS_SHOWN = 5
  const summarize = (job: FakeJob) => {
    const problems = job.rows
      .filter((r) => r.class === 'invalid' || r.class === 'duplicate')
      .map((r) => (r.class === 'invalid' ? (r.message ?? '') : `row ${r.row}: duplicate of row ${r.row - 9}`))
    job.view.summary = {
      jobId: job.view.id,
      rows: job.rows.length,
      states: tally(job.rows, 'state'),
      classes: tally(job.rows, 'class'),
      cards: job.rows.filter((r) => r.class === 'exact' || r.class === 'all').reduce((n, r) => n + r.cards.length, 0),
      // bulk.rs: planned cards of rows the next run works on.
      toRemove: job.rows
        .filter((r) => r.state === 'planned' || r.state === 'in_flight')
        .reduce((n, r) => n + r.cards.filter((c) => c.state === 'planned').length, 0),
      problems: problems.slice(0, PROBLEMS_SHOWN),
      problemCount: problems.length,
      erasure: job.view.erasure,
    }
  }
  const FINAL: RowState[] = ['done', 'failed', 'held', 'skipped']
  const settledPhase = (job: FakeJob): JobPhase => {
    if (job.rows.every((r) => FINAL.includes(r.state))) return 'finished'
    if (job.ran) return 'interrupted'
    return job.rows.some((r) => r.state === 'pending') ? 'created' : 'planned'
  }

  const newJob = (id: string, source: string, created: string, n: number, erasure: boolean, profileId: string): FakeJob => {
    const p = desk.state.status.profiles.find((x) => x.id === profileId) ?? fail('not_found', `profile ${profileId}: no such profile`)
    const { rows, kinds } = makeRows(n, erasure)
    const job: FakeJob = {
      view: {
        id,
        created,
        source,
        profileId: p.id,
        profileName: p.name,
        environment: p.environment,
        erasure,
        rows: n,
        phase: 'created',
        summary: { jobId: id, rows: n, states: {}, classes: {}, cards: 0, toRemove: 0, problems: [], problemCount: 0, erasure },
        options: null,
      },
      rows,
      kinds,
      control: null,
      ran: false,
    }
    summarize(job)
    return job
  }
  for (const js of s.jobs ?? []) {
    const job = newJob(js.id, js.source, js.created, js.rows, js.erasure ?? false, js.profileId ?? desk.state.status.activeProfileId)
    if (js.stage !== 'created') job.rows.forEach((_, i) => classify(job, i))
    if (js.stage === 'finished' || js.stage === 'interrupted') {
      const planned = job.rows.filter((r) => r.state === 'planned')
      const upTo = js.stage === 'finished' ? planned.length : Math.floor(planned.length / 2)
      planned.slice(0, upTo).forEach(execute)
      job.ran = true
    }
    if (js.commandLine) Object.assign(job.view, { profileId: null, profileName: null, environment: null })
    job.view.options = js.options ?? null
    job.view.phase = settledPhase(job)
    summarize(job)
    bulk.jobs.push(job)
  }

  const find = (id: unknown) => bulk.jobs.find((j) => j.view.id === String(id)) ?? fail('not_found', `job ${String(id)}: no such job`)
  const view = (job: FakeJob): JobView => clone(job.view)

  /** Messages to the page's Channel, as Rust's ipc::Channel sends them. */
  type Internals = { runCallback?: (id: number, data: unknown) => void; callbacks?: Map<number, unknown> }
  const sender = (channel: unknown) => {
    const id = channel !== null && typeof channel === 'object' && 'id' in channel ? Number((channel as { id: unknown }).id) : Number(String(channel).replace('__CHANNEL__:', ''))
    let index = 0
    const internals = () => (globalThis as unknown as { __TAURI_INTERNALS__?: Internals }).__TAURI_INTERNALS__
    // Nothing is sent once the page (or the test) has let go of the channel.
    const alive = () => internals()?.callbacks?.has(id) === true
    const post = (data: unknown) => {
      if (alive()) internals()?.runCallback?.(id, data)
    }
    return {
      alive,
      send: (message: Progress) => post({ message, index: index++ }),
      end: () => post({ end: true, index }),
    }
  }

  const options = (o: unknown): RunOptions => {
    const v = (o ?? {}) as RunOptions
    if (!Number.isInteger(v.concurrency) || v.concurrency < 1 || v.concurrency > 16) fail('validation', 'concurrency: must be a whole number from 1 to 16')
    if (v.rate !== null && (typeof v.rate !== 'number' || v.rate <= 0 || v.rate > 1000))
      fail('validation', 'rate limit: must be more than 0 and at most 1000 requests a second, or empty')
    return v
  }

  /** One pass over the job's rows, a chunk per step, with a Progress message after each. */
  const pass = (job: FakeJob, kind: 'plan' | 'run', channel: unknown): Promise<JobView> => {
    if (job.control) fail('validation', 'job: a pass is already running')
    if (job.view.phase === 'finished') fail('validation', 'job: every row is final; nothing is left to do')
    const out = sender(channel)
    const control = { kind, paused: false, cancelled: false }
    job.control = control
    job.ran ||= kind === 'run'
    job.view.phase = kind === 'plan' ? 'planning' : 'running'
    const todo = job.rows.map((r, i) => ({ r, i })).filter(({ r }) => r.state === 'pending' || (kind === 'run' && r.state === 'planned'))
    const started = Date.now()
    let done = 0
    /** As Rust counts: the rows of this pass, and how those finished so far ended. */
    const progress = (): Progress => {
      const st = tally(todo.slice(0, done).map(({ r }) => r), 'state')
      const seconds = Math.max(0.001, (Date.now() - started) / 1000)
      const rate = done / seconds
      const left = todo.length - done
      return {
        total: todo.length,
        finished: done,
        done: st.done ?? 0,
        failed: st.failed ?? 0,
        held: st.held ?? 0,
        skipped: st.skipped ?? 0,
        rate,
        etaSeconds: rate > 0 ? left / rate : null,
        pace: s.limitedPace ?? null,
        limited: s.limitedPace !== undefined,
        refused: s.limitedPace !== undefined ? done : 0,
      }
    }
    return new Promise<JobView>((resolve) => {
      const finish = () => {
        job.control = null
        job.rows.forEach((r) => {
          if (r.state === 'in_flight') r.state = 'planned'
        })
        job.view.phase = settledPhase(job)
        summarize(job)
        out.end()
        resolve(view(job))
      }
      const tick = () => {
        if (!out.alive()) return // the test is over: stop quietly
        if (control.cancelled) return finish()
        if (control.paused) return void setTimeout(tick, step)
        for (const { r, i } of todo.slice(done, done + chunk)) {
          if (r.state === 'pending') classify(job, i)
          if (kind === 'run' && r.state === 'planned') execute(r)
        }
        done = Math.min(todo.length, done + chunk)
        summarize(job)
        out.send(progress())
        if (done >= todo.length) return finish()
        setTimeout(tick, step)
      }
      out.send(progress())
      setTimeout(tick, step)
    })
  }

  // Four-eyes in front of a run (issue 17, desk/four_eyes.rs), as the fake desk does for
  // revoke-all: in team mode a production run (or one above the policy's number of cards) goes
  // only on an approval given for this job and count, used once; else one is asked for (with
  // the dry run's counts) and the run is refused as awaiting approval, nothing sent.
  const fourEyesRun = (job: FakeJob) => {
    const t = desk.state.team
    if (!t.setup || !t.passwordStored) return
    const cards = job.view.summary.toRemove
    if (!((job.view.environment === 'production' && t.policy.productionBulk) || (t.policy.cardsOver !== null && cards > t.policy.cardsOver))) return
    const deskId = '0f8e2a51-3c47-4d0b-9a6e-5b1c7d2e4f60'
    const mine = t.approvals.filter((a) => a.action === 'bulk_run' && a.subject === job.view.id && a.desk === deskId).sort((a, b) => Date.parse(b.requestedAt) - Date.parse(a.requestedAt))[0]
    if (mine?.state === 'approved' && mine.cards === cards) {
      mine.state = 'used'
      return
    }
    const held = (en: string, ru: string): never => {
      throw { code: 'awaiting_approval', message: `this bulk run needs a second person's approval (the team's four-eyes policy): ${en}`, ru: `для этого действия (массовый запуск) нужно одобрение второго лица (правило двух подписей команды): ${ru}` }
    }
    if (mine?.state === 'waiting' && mine.cards === cards)
      held(`it was asked for at ${mine.requestedAt} and still waits for a supervisor; nothing was sent`, `запрос отправлен ${mine.requestedAt} и ждёт руководителя; ничего не отправлено`)
    const profile = desk.state.status.profiles.find((p) => p.id === job.view.profileId)
    t.approvals.unshift({
      id: `ap-${t.approvals.length + 1}-${job.view.id}`,
      desk: deskId,
      action: 'bulk_run',
      environment: job.view.environment ?? 'sandbox',
      merchantId: profile?.merchantId ?? '',
      subject: job.view.id,
      cards,
      summary: { jobId: job.view.id, rows: job.view.rows, cards, toRemove: cards, problems: [], problemCount: 0, erasure: job.view.erasure },
      requestedBy: t.setup.user,
      requestedAs: desk.state.status.settings.operatorName.trim() || 'anna',
      requestedAt: new Date().toISOString(),
      state: 'waiting',
      decidedBy: null,
      decidedAs: null,
      decidedAt: null,
      note: null,
    })
    held(
      'approval was asked for; nothing was sent; it can go once a supervisor approves it',
      'запрос на одобрение отправлен; ничего не отправлено; действие можно выполнить после одобрения руководителя',
    )
  }

  const handler = ((cmd: string, args: Record<string, unknown>) => {
    if (!cmd.startsWith('bulk_')) return desk(cmd, args)
    desk.state.calls.push({ cmd, args: clone(args ?? null) })
    switch (cmd) {
      case 'bulk_pick_csv': {
        const pick = s.pick ?? defaultPreview
        if (pick === 'cancel') return null
        if ('code' in pick) throw clone(pick)
        chosen.set(pick.source, pick.fileName)
        return clone(pick)
      }
      case 'bulk_create': {
        const d = args.draft as BulkDraft
        if (s.createError) throw clone(s.createError)
        const fileName = chosen.get(d.source) ?? fail('validation', 'file: choose the file again in the open dialog')
        if (!d.map.customer) fail('validation', 'customer column: required — map the column that holds the customer number')
        if (d.ticket && [...d.ticket].length > 64) fail('validation', 'ticket: must be at most 64 characters')
        const id = `job-${bulk.jobs.length + 1}-${Math.random().toString(16).slice(2, 8)}`
        const job = newJob(id, fileName, new Date().toISOString(), s.rows ?? 14, d.erasure, desk.state.status.activeProfileId)
        bulk.jobs.unshift(job)
        return view(job)
      }
      case 'bulk_jobs':
        return bulk.jobs.map(view)
      case 'bulk_job':
        return view(find(args.id))
      case 'bulk_rows': {
        const job = find(args.id)
        const filter = (args.filter as RowState | null) ?? null
        const offset = Number(args.offset)
        const limit = Math.min(Number(args.limit) || 50, 500)
        const rows = job.rows.filter((r) => !filter || r.state === filter)
        return { rows: clone(rows.slice(offset, offset + limit)), total: rows.length, offset }
      }
      case 'bulk_plan': {
        const job = find(args.id)
        const chosen = options(args.options)
        const planned = pass(job, 'plan', args.onProgress)
        // As Rust keeps them: the options the job last ran with (the run form starts from them),
        // every one said — patienceSecs is null when not given (its binding reads it optional).
        job.view.options = { ...clone(chosen), patienceSecs: chosen.patienceSecs ?? (null as unknown as undefined) }
        return planned
      }
      case 'bulk_run': {
        const job = find(args.id)
        options(args.options)
        if (job.view.environment === 'production') {
          const typed = typeof args.confirmation === 'string' ? args.confirmation.trim() : ''
          if (typed !== String(job.view.summary.toRemove))
            fail('validation', `confirmation: type ${job.view.summary.toRemove}, the number of cards this run removes on production`)
        }
        fourEyesRun(job)
        return pass(job, 'run', args.onProgress)
      }
      case 'bulk_control': {
        const job = find(args.id)
        const action = args.action as JobAction
        if (!job.control) return fail('validation', 'job: it is not running')
        if (action === 'pause') {
          job.control.paused = true
          job.view.phase = 'paused'
        } else if (action === 'resume') {
          job.control.paused = false
          job.view.phase = job.control.kind === 'plan' ? 'planning' : 'running'
        } else job.control.cancelled = true
        return null
      }
      case 'bulk_export': {
        const job = find(args.id)
        if (s.exportAnswer === 'cancel') return null
        if (s.exportAnswer) throw clone(s.exportAnswer)
        desk.state.lastExport = `/home/anna/Documents/carddesk-bulk-${job.view.id}-results.csv`
        return { count: job.rows.length, path: desk.state.lastExport }
      }
      case 'bulk_delete': {
        const job = find(args.id)
        if (job.control) fail('validation', 'job: it is running; cancel it before deleting it')
        bulk.jobs = bulk.jobs.filter((j) => j !== job)
        return null
      }
      default:
        return fail('internal', `unknown command ${cmd}`)
    }
  }) as FakeBulkHandler
  handler.state = desk.state
  handler.bulk = bulk
  return handler
}
