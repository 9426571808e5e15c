// Why: the bulk store asks Rust the same things again and again — the open job's numbers and a
// page of its rows, every second while a pass runs and whenever the person pages or opens
// another job. Only the latest question's answer may land: a late answer to an older one (or
// its failure) must not overwrite a newer page or job, and a problem already shown stays until
// a new answer replaces it rather than blinking out on each refresh. And a run held for a
// supervisor's approval goes again by itself once approved: exactly as the agent asked for it,
// once, only for that job and only while this window still shows it held.
import { describe, expect, test, vi } from 'vitest'
import { mockIPC } from '@tauri-apps/api/mocks'
import { bulk } from './bulk.svelte'
import type { Approval, DeskError, JobView, RowPage } from './ipc'

const job = (id: string): JobView => ({
  id,
  created: '2026-11-20T09:30:00Z',
  source: `/home/anna/${id}.csv`,
  profileId: null,
  profileName: null,
  environment: null,
  erasure: false,
  rows: 120,
  phase: 'planned',
  summary: { jobId: id, rows: 120, states: { planned: 120 }, classes: { exact: 120 }, cards: 120, toRemove: 120, problems: [], problemCount: 0, erasure: false },
  options: null,
})
const page = (offset: number): RowPage => ({ rows: [], total: 120, offset })
const refused: DeskError = { code: 'internal', message: 'the journal could not be read' }

/** An answer Rust gives when the test says so. */
function later<T>() {
  let answer!: (value: T) => void
  let refuse!: (error: DeskError) => void
  const promise = new Promise<T>((resolve, reject) => {
    answer = resolve
    refuse = reject
  })
  return { promise, answer, refuse }
}

/** Lets every answer given so far reach the store. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('questions asked again: the latest one wins', () => {
  test('a page asked for before a newer one is dropped when it comes late, and so is its failure', async () => {
    const pages: Array<ReturnType<typeof later<RowPage>>> = []
    mockIPC((cmd) => {
      if (cmd === 'bulk_job') return job('job-a')
      if (cmd !== 'bulk_rows') throw new Error(`unexpected ${cmd}`)
      const p = later<RowPage>()
      pages.push(p)
      return p.promise
    })
    bulk.open('job-a')
    bulk.page(50)
    await vi.waitFor(() => expect(pages).toHaveLength(2))
    expect(bulk.rowsLoading).toBe(true)
    pages[1]!.answer(page(50))
    await vi.waitFor(() => expect(bulk.rows?.offset).toBe(50))
    expect(bulk.rowsLoading).toBe(false)
    pages[0]!.refuse(refused)
    await settled()
    expect(bulk.rows?.offset).toBe(50)
    expect(bulk.rowsError).toBeNull()
    expect(bulk.rowsLoading).toBe(false)
  })

  test('a job that is no longer open is not shown when its answer comes', async () => {
    const jobs = new Map<string, ReturnType<typeof later<JobView>>>()
    mockIPC((cmd, args) => {
      if (cmd === 'bulk_rows') return page(0)
      const id = String((args as { id: string }).id)
      const j = later<JobView>()
      jobs.set(id, j)
      return j.promise
    })
    bulk.open('job-a')
    bulk.open('job-b')
    await vi.waitFor(() => expect(jobs.size).toBe(2))
    jobs.get('job-b')!.answer(job('job-b'))
    await vi.waitFor(() => expect(bulk.job?.id).toBe('job-b'))
    jobs.get('job-a')!.answer(job('job-a'))
    await settled()
    expect(bulk.job?.id).toBe('job-b')
  })

  test('a problem shown stays while the job is read again, until the answer replaces it', async () => {
    let answer = later<JobView>()
    mockIPC((cmd) => (cmd === 'bulk_rows' ? page(0) : answer.promise))
    bulk.open('job-a')
    answer.refuse(refused)
    await vi.waitFor(() => expect(bulk.jobError?.message).toBe(refused.message))
    answer = later<JobView>()
    const reading = bulk.loadJob()
    await settled()
    expect(bulk.jobError?.message).toBe(refused.message)
    answer.answer(job('job-a'))
    await reading
    expect(bulk.jobError).toBeNull()
    expect(bulk.job?.id).toBe('job-a')
  })
})

describe('a run held for a supervisor’s approval', () => {
  const options = { concurrency: 2, rate: 5 }
  const approval: Approval = {
    id: 'a-1', desk: 'd-1', action: 'bulk_run', environment: 'production', merchantId: '452739', subject: 'job-a', cards: 120,
    summary: {}, requestedBy: 'anna', requestedAs: 'Anna', requestedAt: '2026-12-07T16:00:00Z',
    state: 'approved', decidedBy: 'sam', decidedAs: 'Sam Lead', decidedAt: '2026-12-07T16:01:00Z', note: 'Dry run checked',
  }
  const held: DeskError = { code: 'awaiting_approval', message: 'this bulk run needs a second person’s approval' }

  test('goes again once approved, exactly as asked; not for another job, not twice, not while a pass runs', async () => {
    bulk.reset()
    const runs: Array<Record<string, unknown>> = []
    const answers: Array<ReturnType<typeof later<JobView>>> = []
    mockIPC((cmd, args) => {
      if (cmd === 'bulk_job') return job('job-a')
      if (cmd === 'bulk_rows') return page(0)
      if (cmd === 'bulk_jobs') return [job('job-a')]
      if (cmd !== 'bulk_run') throw new Error(`unexpected ${cmd}`)
      runs.push({ ...(args as Record<string, unknown>), onProgress: null })
      if (runs.length === 1) throw held
      const a = later<JobView>()
      answers.push(a)
      return a.promise
    })
    expect(bulk.proceedApproved('job-a', approval)).toBe(false) // nothing held yet
    await bulk.start('job-a', options, '120')
    expect(bulk.ended).toMatchObject({ jobId: 'job-a', error: { code: 'awaiting_approval' } })

    expect(bulk.proceedApproved('job-b', approval)).toBe(false)
    expect(bulk.proceedApproved('job-a', approval)).toBe(true)
    expect(bulk.pass).toMatchObject({ jobId: 'job-a', kind: 'run' })
    expect(bulk.approvedRun).toEqual({ jobId: 'job-a', approval })
    expect(bulk.proceedApproved('job-a', approval)).toBe(false) // a pass runs: no second call
    await vi.waitFor(() => expect(runs).toHaveLength(2))
    expect(runs[1]).toEqual(runs[0])
    expect(runs[1]).toMatchObject({ id: 'job-a', options, confirmation: '120' })

    answers[0]!.answer({ ...job('job-a'), phase: 'finished' })
    await vi.waitFor(() => expect(bulk.pass).toBe(null))
    expect(bulk.approvedRun).toEqual({ jobId: 'job-a', approval })
    expect(bulk.proceedApproved('job-a', approval)).toBe(false) // nothing held any more
    expect(runs).toHaveLength(2)
  })
})

