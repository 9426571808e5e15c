// Why: the bulk store asks Rust the same things again and again — the open job's numbers and a
// page of its rows, every second while a pass runs and whenever the person pages or opens
// another job. Only the latest question's answer may land: a late answer to an older one (or
// its failure) must not overwrite a newer page or job, and a problem already shown stays until
// a new answer replaces it rather than blinking out on each refresh.
import { describe, expect, test, vi } from 'vitest'
import { mockIPC } from '@tauri-apps/api/mocks'
import { bulk } from './bulk.svelte'
import type { DeskError, JobView, RowPage } from './ipc'

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
