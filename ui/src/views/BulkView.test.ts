// The bulk-jobs view over the fake desk and its in-memory bulk jobs: the empty state, Import CSV
// and the mapping step (prefilled, validated, sent), create + dry run with progress over the
// Tauri Channel, the summary and the paged per-row table, run with progress and final counts,
// pause / resume / cancel / resume again, the production confirmation, export, delete, a job
// that keeps running while the person is elsewhere, Rust's refusals, and Russian. How a pass
// ended and "Reading…" go into live regions that are there (empty) before; the rows scroll in a
// named region the keyboard reaches.
import { describe, expect, test } from 'vitest'
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { renderApp } from '../test/render'
import { productionProfile, sandboxProfile, status } from '../test/fixtures'
import type { Seed } from '../test/fakeDesk'
import type { BulkJobSeed, BulkSeed } from '../test/fakeBulk'
import { bulk } from '../lib/bulk.svelte'

const prod = { ...productionProfile, hasPassword: true }
const planned: BulkJobSeed = { id: 'job-planned', source: '/home/anna/requests-oct.csv', created: '2026-11-20T09:30:00Z', rows: 14, stage: 'planned' }
const finished: BulkJobSeed = { id: 'job-done', source: 'C:\\Users\\anna\\old.csv', created: '2026-11-01T08:00:00Z', rows: 14, stage: 'finished' }

async function openBulk(bulk: BulkSeed = {}, seed: Partial<Seed> = {}) {
  const r = await renderApp({ status: status({ profiles: [sandboxProfile, prod] }), lookups: {}, bulk, ...seed })
  await r.user.click(screen.getByTestId('nav-bulk'))
  await screen.findByTestId('bulk-view')
  return r
}

const tile = (id: string) => within(screen.getByTestId(`bulk-tile-${id}`)).getByText(/^\d+$/).textContent
const rows = () => screen.queryAllByTestId('bulk-row')
const select = (testid: string) => screen.getByTestId(testid) as HTMLSelectElement

async function importCsv(r: Awaited<ReturnType<typeof openBulk>>) {
  await r.user.click(screen.getByTestId('bulk-import'))
  return screen.findByTestId('bulk-mapping')
}

describe('new job', () => {
  test('the empty state says what a bulk job is and which columns a file can have', async () => {
    await openBulk()
    const empty = await screen.findByTestId('bulk-empty')
    expect(screen.getByRole('button', { name: 'Bulk jobs' })).toHaveAttribute('aria-current', 'page')
    expect(empty).toHaveTextContent('No bulk jobs yet')
    expect(empty).toHaveTextContent('removes saved cards for many customers at once')
    expect(empty).toHaveTextContent('customer Customer number required The merchant’s customer number')
    for (const c of ['last4', 'expiry', 'token', 'ticket', 'reason', 'note']) expect(within(empty).getByText(c)).toBeInTheDocument()
    expect(within(empty).getAllByText('optional')).toHaveLength(6)
  })

  test('Import CSV: the mapping step is prefilled from the suggestion and shows the first rows', async () => {
    const r = await openBulk()
    const mapping = await importCsv(r)
    expect(r.calls('bulk_pick_csv')).toHaveLength(1)
    expect(within(mapping).getByRole('heading', { level: 2 })).toHaveTextContent('Map the columns of deletion-requests-2026-11.csv')
    expect(screen.getByTestId('bulk-map-meta')).toHaveTextContent('3 columns, separated by “;”')
    expect(select('bulk-map-customer').value).toBe('customer')
    expect(select('bulk-map-last4').value).toBe('last4')
    expect(select('bulk-map-ticket').value).toBe('ticket')
    expect(select('bulk-map-expiry').value).toBe('')
    expect(within(select('bulk-map-expiry')).getByRole('option', { name: '— not in file —' })).toBeInTheDocument()
    expect(screen.getByLabelText(/^Customer number/)).toBe(select('bulk-map-customer'))
    const sample = screen.getByTestId('bulk-sample')
    expect(within(sample).getAllByRole('row')).toHaveLength(6)
    expect(sample).toHaveTextContent('100101')
    expect(within(sample).getAllByRole('columnheader')[0]).toHaveTextContent('customer Customer number')
    expect(screen.getByTestId('bulk-erasure')).not.toBeChecked()
  })

  test('every mapping field is named by its own label: "Default reason" is the default-reason select, no id is used twice', async () => {
    const r = await openBulk()
    const mapping = await importCsv(r)
    expect(screen.getByLabelText('Default reason')).toBe(select('bulk-reason'))
    expect(screen.getByRole('combobox', { name: 'Default reason' })).toBe(select('bulk-reason'))
    await r.user.click(within(mapping).getByText('Default reason'))
    expect(select('bulk-reason')).toHaveFocus()
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id)
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
  })

  test('a cancelled open dialog changes nothing', async () => {
    const r = await openBulk({ pick: 'cancel' })
    await r.user.click(screen.getByTestId('bulk-import'))
    await waitFor(() => expect(screen.getByTestId('bulk-import')).toBeEnabled())
    expect(screen.queryByTestId('bulk-mapping')).not.toBeInTheDocument()
    expect(screen.getByTestId('bulk-empty')).toBeInTheDocument()
  })

  test('the customer column is required, and a column feeds one field: nothing is sent until fixed', async () => {
    const r = await openBulk()
    await importCsv(r)
    await fireEvent.change(select('bulk-map-customer'), { target: { value: '' } })
    await fireEvent.change(select('bulk-map-note'), { target: { value: 'ticket' } })
    await r.user.click(screen.getByTestId('bulk-create'))
    const errors = await screen.findAllByTestId('bulk-map-error')
    expect(errors.map((e) => e.textContent)).toEqual([
      'Customer number column: required — choose the column that holds the customer number.',
      'Note column: “ticket” is already used for Ticket reference.',
    ])
    expect(select('bulk-map-customer')).toHaveAttribute('aria-invalid', 'true')
    expect(select('bulk-map-customer')).toHaveFocus()
    expect(r.calls('bulk_create')).toEqual([])

    await fireEvent.change(select('bulk-map-customer'), { target: { value: 'customer' } })
    await fireEvent.change(select('bulk-map-note'), { target: { value: '' } })
    expect(screen.queryAllByTestId('bulk-map-error')).toEqual([])
  })

  test('create sends the mapping and defaults, then the dry run shows progress, the summary and the table', async () => {
    const r = await openBulk({ stepMs: 30 })
    await importCsv(r)
    await r.user.click(screen.getByTestId('bulk-erasure'))
    expect(screen.getByTestId('bulk-erasure-on')).toHaveTextContent('remove ALL of the customer’s saved cards')
    await r.user.type(screen.getByTestId('bulk-ticket'), 'SUP-50000')
    await fireEvent.change(select('bulk-reason'), { target: { value: 'erasure_request' } })
    await r.user.click(screen.getByTestId('bulk-create'))

    expect(await screen.findByTestId('bulk-progress')).toHaveAttribute('data-kind', 'plan')
    expect(r.calls('bulk_create')).toEqual([
      {
        draft: {
          source: 'file-5f0c2a91d4e84b7c9e61a3b2c4d5e6f7',
          map: { customer: 'customer', last4: 'last4', expiry: null, token: null, ticket: 'ticket', reason: null, note: null },
          erasure: true,
          ticket: 'SUP-50000',
          reason: 'erasure_request',
          note: null,
        },
      },
    ])
    const plan = r.calls('bulk_plan')[0] as { id: string; options: unknown; onProgress: string }
    expect(plan.options).toEqual({ concurrency: 4, rate: 20 })
    expect(plan.onProgress).toMatch(/^__CHANNEL__:\d+$/)

    expect(await screen.findByTestId('bulk-result')).toHaveTextContent('Dry run finished: 9 cards to remove')
    // The invalid row was refused at import: it is not "skipped" by the dry run.
    expect(screen.getByTestId('bulk-result')).toHaveTextContent('Held for review: 2, skipped: 2. Nothing was removed.')
    expect(screen.queryByTestId('bulk-progress')).not.toBeInTheDocument()
    expect(screen.getByTestId('bulk-phase')).toHaveTextContent('Dry run done')
    expect(tile('rows')).toBe('14')
    expect(tile('cards')).toBe('9')
    expect(tile('exact')).toBe('7')
    expect(tile('all')).toBe('1')
    expect(tile('held')).toBe('2')
    expect(tile('invalid')).toBe('1')
    expect(tile('duplicate')).toBe('1')
    expect(screen.getByTestId('bulk-problems')).toHaveTextContent('2 problems in the file')
    expect(screen.getByTestId('bulk-problems')).toHaveTextContent('row 9, customer number: must not contain')
    await waitFor(() => expect(rows()).toHaveLength(14))
    const all = rows().find((x) => x.dataset.row === '3')!
    expect(all).toHaveAttribute('data-class', 'all')
    expect(all).toHaveTextContent('All cards (erasure)')
    expect(all).toHaveTextContent('4123 62•• •••• 0028 VISA')
    expect(all).toHaveTextContent('5186 15•• •••• 1030 MasterCard')
    expect(rows().find((x) => x.dataset.row === '6')).toHaveTextContent('Several cards matchHeld')
    expect(screen.getByRole('button', { name: 'Run — remove 9 cards' })).toBeEnabled()
  })

  test('after the dry run, the table and the numbers follow the run while it goes', async () => {
    const r = await openBulk({ stepMs: 40, chunk: 1 })
    await importCsv(r)
    await r.user.click(screen.getByTestId('bulk-create'))
    await r.user.click(await screen.findByRole('button', { name: 'Run — remove 7 cards' }, { timeout: 3000 }))
    await waitFor(() => expect(Number(screen.getByRole('progressbar').getAttribute('aria-valuenow'))).toBeGreaterThan(1))
    await r.user.click(screen.getByTestId('bulk-pause'))
    await waitFor(() => expect(rows().some((x) => x.dataset.state === 'done')).toBe(true), { timeout: 3000 })
    await waitFor(() => expect(Number(tile('done'))).toBeGreaterThan(0))
    expect(screen.getByTestId('bulk-progress')).toBeInTheDocument()
    await r.user.click(screen.getByTestId('bulk-cancel'))
    expect(await screen.findByTestId('bulk-result')).toHaveTextContent('Job stopped')
  })

  test('Rust’s refusal is shown above the form, and nothing typed is lost', async () => {
    const r = await openBulk({ createError: { code: 'validation', message: 'path: the file changed since it was read; choose it again' } })
    await importCsv(r)
    await r.user.type(screen.getByTestId('bulk-ticket'), 'SUP-1')
    await r.user.click(screen.getByTestId('bulk-create'))
    const error = await screen.findByTestId('bulk-create-error')
    expect(error).toHaveTextContent('path: the file changed since it was read; choose it again')
    expect(screen.getByTestId('bulk-ticket')).toHaveValue('SUP-1')
    expect(select('bulk-map-customer').value).toBe('customer')
    expect(screen.getByTestId('bulk-create')).toBeEnabled()
  })
})

describe('running a job', () => {
  async function openPlanned(bulk: BulkSeed = {}, seed: Partial<Seed> = {}) {
    const r = await openBulk({ jobs: [planned, finished], ...bulk }, seed)
    await r.user.click(await screen.findByRole('button', { name: 'Open job requests-oct.csv' }))
    await screen.findByTestId('bulk-job-detail')
    await waitFor(() => expect(rows().length).toBeGreaterThan(0))
    return r
  }

  test('Run shows progress with counts, rate and ETA, then the final counts; Export writes the rows', async () => {
    const r = await openPlanned({ stepMs: 40, chunk: 2 })
    await r.user.click(screen.getByRole('button', { name: 'Run — remove 7 cards' }))
    const bar = await screen.findByRole('progressbar', { name: 'Run progress' })
    await waitFor(() => expect(Number(bar.getAttribute('aria-valuenow'))).toBeGreaterThan(2))
    // Rust counts the rows of this pass: the 7 planned ones
    expect(bar).toHaveAttribute('aria-valuemax', '7')
    expect(screen.getByTestId('bulk-progress-rows')).toHaveTextContent(/^\d+ of 7 rows$/)
    expect(screen.getByTestId('bulk-progress-rate')).toHaveTextContent(/rows\/s$/)
    expect(screen.getByTestId('bulk-progress-eta')).toHaveTextContent(/^ETA (\d\d:\d\d|—)$/)
    expect(screen.queryByTestId('bulk-export')).not.toBeInTheDocument()

    const result = await screen.findByTestId('bulk-result', {}, { timeout: 3000 })
    expect(result).toHaveTextContent('Job finished')
    // Every row counted once, in one vocabulary: failed to remove, or invalid in the file.
    expect(result).toHaveTextContent('Of 14 rows — done: 6, failed to remove: 2, invalid in the file: 1, held: 3, skipped: 2.')
    expect(screen.getByTestId('bulk-phase')).toHaveTextContent('Finished')
    expect(tile('done')).toBe('6')
    expect(tile('failed')).toBe('2') // the list that failed and the removal refused; the invalid row has its own tile
    expect(tile('invalid')).toBe('1')
    const invalid = rows().find((x) => x.dataset.class === 'invalid')!
    expect(within(invalid).getByText('Invalid')).toBeInTheDocument()
    expect(invalid).not.toHaveTextContent('Failed')
    await waitFor(() => expect(rows().find((x) => x.dataset.row === '10')).toHaveAttribute('data-state', 'failed'))
    expect(rows().find((x) => x.dataset.row === '10')).toHaveTextContent('7/141 operation not permitted')
    expect(rows().find((x) => x.dataset.row === '1')).toHaveTextContent('removed')
    expect(screen.queryByTestId('bulk-run-panel')).not.toBeInTheDocument()

    await r.user.click(screen.getByTestId('bulk-export'))
    expect(await screen.findByTestId('toast-text')).toHaveTextContent('14 rows written')
    expect(screen.getByTestId('toast-path')).toHaveTextContent('/home/anna/Documents/carddesk-bulk-job-planned-results.csv')
    expect(r.calls('bulk_export')).toEqual([{ id: 'job-planned' }])
  })

  test('A job made on the command line says where to resume it and offers no Run', async () => {
    const cli: BulkJobSeed = { id: 'job-cli', source: 'night.csv', created: '2026-11-21T09:30:00Z', rows: 14, stage: 'interrupted', commandLine: true }
    const r = await openBulk({ jobs: [cli] })
    await r.user.click(await screen.findByRole('button', { name: 'Open job night.csv' }))
    const panel = await screen.findByTestId('bulk-cli-job')
    expect(panel).toHaveTextContent('Created on the command line')
    expect(panel).toHaveTextContent('carddesk bulk resume job-cli')
    expect(screen.queryByTestId('bulk-run-panel')).not.toBeInTheDocument()
  })

  test('Resume starts from the concurrency and rate the job last ran with', async () => {
    const own: BulkJobSeed = { ...planned, stage: 'interrupted', options: { concurrency: 2, rate: 7.5 } }
    const r = await openBulk({ jobs: [own] })
    await r.user.click(await screen.findByRole('button', { name: 'Open job requests-oct.csv' }))
    await screen.findByTestId('bulk-run-panel')
    await waitFor(() => expect(screen.getByTestId('bulk-concurrency')).toHaveValue('2'))
    expect(screen.getByTestId('bulk-rate')).toHaveValue('7.5')
  })

  test('While the gateway’s rate limit holds the run back, progress says so with the pace it sends at', async () => {
    const r = await openPlanned({ stepMs: 60, chunk: 1, limitedPace: 43 })
    await r.user.click(screen.getByRole('button', { name: 'Run — remove 7 cards' }))
    const line = await screen.findByTestId('bulk-progress-limited')
    expect(line).toHaveTextContent('Waiting for the gateway’s rate limit: sending 43')
    expect(line).toHaveTextContent('Refused requests are tried again; nothing is removed twice.')
    await r.user.click(screen.getByRole('button', { name: 'Pause' }))
    await waitFor(() => expect(screen.queryByTestId('bulk-progress-limited')).not.toBeInTheDocument())
  })

  test('Pause and Resume go to bulk_control; Cancel interrupts; Resume runs it again', async () => {
    const r = await openPlanned({ stepMs: 40, chunk: 1 })
    await r.user.click(screen.getByRole('button', { name: 'Run — remove 7 cards' }))
    await screen.findByTestId('bulk-progress')
    await r.user.click(screen.getByRole('button', { name: 'Pause' }))
    await waitFor(() => expect(screen.getByTestId('bulk-progress')).toHaveAttribute('data-paused', 'true'))
    expect(screen.getByTestId('bulk-progress')).toHaveTextContent('Paused. Requests already sent finish')
    expect(screen.getByTestId('bulk-phase')).toHaveTextContent('Paused')
    expect(r.calls('bulk_control')).toEqual([{ id: 'job-planned', action: 'pause' }])
    const stalled = screen.getByRole('progressbar').getAttribute('aria-valuenow')
    await new Promise((ok) => setTimeout(ok, 150))
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe(stalled)

    await r.user.click(screen.getByRole('button', { name: 'Resume' }))
    await waitFor(() => expect(screen.getByTestId('bulk-progress')).toHaveAttribute('data-paused', 'false'))
    await r.user.click(screen.getByTestId('bulk-cancel'))
    expect(r.calls('bulk_control')).toEqual([
      { id: 'job-planned', action: 'pause' },
      { id: 'job-planned', action: 'resume' },
      { id: 'job-planned', action: 'cancel' },
    ])
    const result = await screen.findByTestId('bulk-result')
    expect(result).toHaveTextContent('Job stopped')
    expect(result).toHaveTextContent(/rows? (is|are) left\. Resume continues where it stopped\./)
    expect(screen.getByTestId('bulk-phase')).toHaveTextContent('Interrupted')

    await r.user.click(screen.getByTestId('bulk-run'))
    await waitFor(() => expect(r.calls('bulk_run')).toHaveLength(2))
    expect(await screen.findByText('Job finished', {}, { timeout: 3000 })).toBeInTheDocument()
  })

  test('the run goes on while the person is elsewhere, and its progress is still there', async () => {
    const r = await openPlanned({ stepMs: 60, chunk: 1 })
    await r.user.click(screen.getByRole('button', { name: 'Run — remove 7 cards' }))
    await waitFor(() => expect(Number(screen.getByRole('progressbar').getAttribute('aria-valuenow'))).toBeGreaterThan(0))
    await r.user.click(screen.getByTestId('nav-audit'))
    await screen.findByTestId('audit-view')
    expect(screen.getByTestId('nav-bulk-progress')).toHaveTextContent(/^Bulk job running: \d+%\d+%$/)
    const before = Number(screen.getByTestId('nav-bulk-progress').textContent?.match(/(\d+)%$/)?.[1])
    await r.user.click(screen.getByTestId('nav-bulk'))
    const bar = await screen.findByRole('progressbar', { name: 'Run progress' })
    expect(Number(bar.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(Math.floor((before * 7) / 100))
    expect(screen.getByTestId('bulk-job-detail')).toBeInTheDocument()
    expect(r.calls('bulk_run')).toHaveLength(1)
    expect(await screen.findByTestId('bulk-result', {}, { timeout: 3000 })).toHaveTextContent('Job finished')
    expect(screen.queryByTestId('nav-bulk-progress')).not.toBeInTheDocument()
  })

  test('run options are checked, naming the field; Run waits until they are right', async () => {
    const r = await openPlanned()
    const run = screen.getByTestId('bulk-run')
    await r.user.clear(screen.getByLabelText('Concurrency'))
    await r.user.type(screen.getByLabelText('Concurrency'), '20')
    expect(screen.getByTestId('bulk-run-error')).toHaveTextContent('Concurrency: a whole number from 1 to 16.')
    expect(screen.getByLabelText('Concurrency')).toHaveAttribute('aria-invalid', 'true')
    expect(run).toBeDisabled()
    await r.user.clear(screen.getByLabelText('Concurrency'))
    await r.user.type(screen.getByLabelText('Concurrency'), '8')
    await r.user.clear(screen.getByLabelText('Rate limit, requests/s'))
    await r.user.type(screen.getByLabelText('Rate limit, requests/s'), 'fast')
    expect(screen.getByTestId('bulk-run-error')).toHaveTextContent('Rate limit: more than 0 and at most 1000 requests per second (e.g. 20 or 0.5), or empty for no limit.')
    expect(run).toBeDisabled()
    await r.user.clear(screen.getByLabelText('Rate limit, requests/s'))
    expect(screen.queryByTestId('bulk-run-error')).not.toBeInTheDocument()
    expect(run).toBeEnabled()
    await r.user.click(run)
    await waitFor(() => expect(r.calls('bulk_run')).toHaveLength(1))
    expect(r.calls('bulk_run')[0]).toMatchObject({ id: 'job-planned', options: { concurrency: 8, rate: null }, confirmation: null })
  })

  test('production: the number of cards must be typed; Rust gets it as the confirmation', async () => {
    const r = await openPlanned({ jobs: [{ ...planned, profileId: 'p-prod' }] }, { status: status({ activeProfileId: 'p-prod', profiles: [sandboxProfile, prod] }) })
    const run = screen.getByTestId('bulk-run')
    expect(run).toBeDisabled()
    expect(run).toHaveClass('danger')
    const confirm = screen.getByLabelText('Type 7 to remove 7 cards on PRODUCTION')
    await r.user.type(confirm, '70')
    expect(screen.getByTestId('bulk-run-error')).toHaveTextContent('Confirmation: type 7 — the number of cards this job removes.')
    expect(run).toBeDisabled()
    await r.user.clear(confirm)
    await r.user.type(confirm, '7')
    expect(run).toBeEnabled()
    await r.user.click(run)
    await waitFor(() => expect(r.calls('bulk_run')).toHaveLength(1))
    expect(r.calls('bulk_run')[0]).toMatchObject({ confirmation: '7' })
    expect(await screen.findByTestId('bulk-result', {}, { timeout: 3000 })).toHaveTextContent('Job finished')
  })

  test('a refused run says why and keeps what was typed', async () => {
    const r = await openPlanned({ jobs: [{ ...planned, profileId: 'p-prod' }] }, { status: status({ activeProfileId: 'p-prod', profiles: [sandboxProfile, prod] }) })
    // The job changed in Rust since it was shown: the typed count no longer matches there.
    r.desk.bulk.jobs[0]!.view.summary.toRemove = 8
    await r.user.type(screen.getByLabelText('Type 7 to remove 7 cards on PRODUCTION'), '7')
    await r.user.click(screen.getByTestId('bulk-run'))
    expect(await screen.findByTestId('bulk-pass-error')).toHaveTextContent('confirmation: type 8, the number of cards this run removes on production')
    expect(screen.getByTestId('bulk-confirm')).toHaveValue('7')
  })

  test('a cancelled save dialog says nothing; a failed export says why', async () => {
    const r = await openBulk({ jobs: [finished], exportAnswer: 'cancel' })
    await r.user.click(await screen.findByRole('button', { name: 'Open job old.csv' }))
    await r.user.click(await screen.findByTestId('bulk-export'))
    await waitFor(() => expect(screen.getByTestId('bulk-export')).toBeEnabled())
    expect(screen.queryByTestId('toast')).not.toBeInTheDocument()
    expect(r.calls('bulk_export')).toHaveLength(1)

    r.desk.bulk.jobs.length = 0
    await r.user.click(screen.getByTestId('bulk-export'))
    expect(await screen.findByTestId('bulk-export-error')).toHaveTextContent('job job-done: no such job')
  })
})

describe('focus never falls to the page (issue 19)', () => {
  test('Import puts focus on the mapping heading; creating the job, on the job heading', async () => {
    const r = await openBulk()
    await importCsv(r)
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: /^Map the columns of/ })).toHaveFocus())
    await r.user.type(screen.getByTestId('bulk-ticket'), 'SUP-1')
    await r.user.click(screen.getByTestId('bulk-create'))
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: 'deletion-requests-2026-11.csv' })).toHaveFocus())
  })

  test('Open job puts focus on its heading; Run on the progress; Pause and Resume on each other; the end on the result', async () => {
    const r = await openBulk({ jobs: [planned, finished], stepMs: 60, chunk: 1 })
    await r.user.click(await screen.findByRole('button', { name: 'Open job requests-oct.csv' }))
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: 'requests-oct.csv' })).toHaveFocus())
    await waitFor(() => expect(rows().length).toBeGreaterThan(0))
    await r.user.click(screen.getByRole('button', { name: 'Run — remove 7 cards' }))
    await waitFor(() => expect(screen.getByRole('heading', { level: 3, name: 'Removing cards' })).toHaveFocus())
    await r.user.click(await screen.findByTestId('bulk-pause'))
    await waitFor(() => expect(screen.getByTestId('bulk-resume')).toHaveFocus())
    await r.user.click(screen.getByTestId('bulk-resume'))
    await waitFor(() => expect(screen.getByTestId('bulk-pause')).toHaveFocus())
    const result = await screen.findByTestId('bulk-result', {}, { timeout: 5000 })
    await waitFor(() => expect(result).toHaveFocus())
  })
})

describe('the jobs and their rows', () => {
  test('saved jobs are listed newest first; a finished one is deleted after a confirmation', async () => {
    const r = await openBulk({ jobs: [planned, finished] })
    await waitFor(() => expect(screen.getAllByTestId('bulk-job')).toHaveLength(2))
    const [first, second] = screen.getAllByTestId('bulk-job')
    expect(first).toHaveTextContent('requests-oct.csv')
    expect(first).toHaveTextContent('Sandbox')
    expect(first).toHaveAttribute('data-phase', 'planned')
    expect(within(first!).getByTestId('bulk-job-phase')).toHaveTextContent('Dry run done')
    expect(second).toHaveTextContent('old.csv')
    expect(within(second!).getByTestId('bulk-job-phase')).toHaveTextContent('Finished')
    expect(within(second!).getByTestId('bulk-job-counts')).toHaveTextContent('6 · 2 · 3')

    await r.user.click(within(second!).getByRole('button', { name: 'Delete job old.csv' }))
    const dialog = await screen.findByTestId('bulk-delete-dialog')
    expect(dialog).toHaveTextContent('The job old.csv and its per-row journal are removed from this computer.')
    await r.user.click(within(dialog).getByRole('button', { name: 'Delete job' }))
    await waitFor(() => expect(screen.getAllByTestId('bulk-job')).toHaveLength(1))
    expect(r.calls('bulk_delete')).toEqual([{ id: 'job-done' }])
  })

  test('the table pages by 50 and filters by state, with counts', async () => {
    const r = await openBulk({ jobs: [{ ...planned, rows: 120 }] })
    await r.user.click(await screen.findByRole('button', { name: 'Open job requests-oct.csv' }))
    await waitFor(() => expect(rows()).toHaveLength(50))
    expect(screen.getByTestId('bulk-rows-showing')).toHaveTextContent('Rows 1–50 of 120')
    expect(r.calls('bulk_rows').at(-1)).toEqual({ id: 'job-planned', filter: null, offset: 0, limit: 50 })
    await r.user.click(screen.getByTestId('bulk-rows-next'))
    await waitFor(() => expect(screen.getByTestId('bulk-rows-showing')).toHaveTextContent('Rows 51–100 of 120'))
    expect(rows()[0]).toHaveAttribute('data-row', '51')
    await r.user.click(screen.getByTestId('bulk-rows-next'))
    await waitFor(() => expect(rows()).toHaveLength(20))
    expect(screen.getByTestId('bulk-rows-next')).toBeDisabled()

    const held = within(select('bulk-row-filter')).getByRole('option', { name: /^Held/ })
    expect(held).toHaveTextContent(/^Held \(\d+\)$/)
    await fireEvent.change(select('bulk-row-filter'), { target: { value: 'held' } })
    await waitFor(() => expect(r.calls('bulk_rows').at(-1)).toEqual({ id: 'job-planned', filter: 'held', offset: 0, limit: 50 }))
    await waitFor(() => expect(rows().every((x) => x.dataset.state === 'held')).toBe(true))
    expect(screen.getByTestId('bulk-problems')).toHaveTextContent('16 problems in the file')
    expect(screen.getByTestId('bulk-problems-more')).toHaveTextContent('…and 11 more')
    await fireEvent.change(select('bulk-row-filter'), { target: { value: 'done' } })
    expect(await screen.findByTestId('bulk-rows-none')).toHaveTextContent('No rows in this state.')
  })

  test('Ctrl+B opens the bulk jobs from anywhere', async () => {
    const r = await renderApp({ status: status(), lookups: {} })
    await r.user.keyboard('{Control>}b{/Control}')
    expect(await screen.findByTestId('bulk-view')).toBeInTheDocument()
    expect(screen.getByRole('heading', { level: 1 })).toHaveFocus()
  })

  test('in Russian', async () => {
    const r = await renderApp({ status: status(), lookups: {}, bulk: { jobs: [planned] } })
    await r.user.click(screen.getByTestId('lang-ru'))
    await r.user.click(screen.getByTestId('nav-bulk'))
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Массовые задания')
    expect(screen.getByTestId('bulk-import')).toHaveTextContent('Импорт CSV…')
    await r.user.click(await screen.findByRole('button', { name: 'Открыть задание requests-oct.csv' }))
    expect(await screen.findByTestId('bulk-phase')).toHaveTextContent('Прогон выполнен')
    expect(screen.getByRole('button', { name: 'Запустить — удалить 7 карт' })).toBeInTheDocument()
    expect(screen.getByTestId('bulk-problems')).toHaveTextContent('2 проблемы в файле')
    // The engine's English problems and messages, in Russian.
    expect(screen.getByTestId('bulk-problems')).toHaveTextContent('строка 9, номер клиента: не должен содержать символов < > " = \' / ( ) ; #')
    expect(screen.getByTestId('bulk-problems')).toHaveTextContent('строка 11: повтор строки 2')
    await waitFor(() => expect(rows().length).toBe(14))
    expect(rows().find((x) => x.dataset.row === '6')).toHaveTextContent('Подходят несколько картОтложено')
    expect(rows().find((x) => x.dataset.row === '6')).toHaveTextContent('подходящих карт: 2; строка ждёт решения человека')
    expect(screen.getByTestId('bulk-rows')).not.toHaveTextContent('held for a person')
  })
})

describe('heard as it changes (issue 19)', () => {
  async function openPlannedJob(bulk: BulkSeed = {}) {
    const r = await openBulk({ jobs: [planned, finished], ...bulk })
    await r.user.click(await screen.findByRole('button', { name: 'Open job requests-oct.csv' }))
    await screen.findByTestId('bulk-job-detail')
    await waitFor(() => expect(rows().length).toBeGreaterThan(0))
    return r
  }

  test('how a run ended is said in a live region that is there, empty, before Run', async () => {
    const r = await openPlannedJob({ stepMs: 20, chunk: 4 })
    const live = screen.getByTestId('bulk-result-live')
    expect(live).toHaveAttribute('role', 'status')
    expect(live).toBeEmptyDOMElement()
    await r.user.click(screen.getByRole('button', { name: 'Run — remove 7 cards' }))
    const result = await within(live).findByTestId('bulk-result', {}, { timeout: 3000 })
    expect(screen.getByTestId('bulk-result-live')).toBe(live)
    expect(result).toHaveTextContent('Job finished')
    expect(live).toHaveTextContent('Of 14 rows — done: 6, failed to remove: 2, invalid in the file: 1, held: 3, skipped: 2.')
  })

  test('"Reading the jobs…" is said in a live region that was there, empty, while the failed read was shown', async () => {
    const r = await renderApp({ status: status({ profiles: [sandboxProfile, prod] }), lookups: {}, bulk: { jobs: [planned] } })
    const allow = r.refuse('bulk_jobs', { code: 'internal', message: 'the jobs folder could not be read' })
    await r.user.click(screen.getByTestId('nav-bulk'))
    const error = await screen.findByTestId('error')
    const live = screen.getByTestId('bulk-loading')
    expect(live).toHaveAttribute('role', 'status')
    expect(live).toBeEmptyDOMElement()
    allow()
    const release = r.hold('bulk_jobs')
    await r.user.click(within(error).getByRole('button', { name: 'Retry' }))
    expect(screen.getByTestId('bulk-loading')).toBe(live)
    expect(live).toHaveTextContent('Reading the jobs…')
    release()
    expect(await screen.findAllByTestId('bulk-job')).toHaveLength(1)
    expect(live).toBeEmptyDOMElement()
  })

  test('"Reading the rows…" is said in a live region the row table has, empty, before another job’s rows are asked for', async () => {
    const r = await openPlannedJob()
    const live = screen.getByTestId('bulk-rows-loading')
    expect(live).toHaveAttribute('role', 'status')
    expect(live).toBeEmptyDOMElement()
    // The list's Open goes through the same store call; here the job changes under a table
    // already on screen (the job detail stays, with its row table).
    const release = r.hold('bulk_rows')
    bulk.open('job-done')
    await waitFor(() => expect(live).toHaveTextContent('Reading the rows…'))
    expect(screen.getByTestId('bulk-rows-loading')).toBe(live)
    release()
    await waitFor(() => expect(rows().length).toBeGreaterThan(0))
    expect(live).toBeEmptyDOMElement()
  })

  test('the rows scroll in a region of their own: named, and in the Tab order (tabindex 0)', async () => {
    await openPlannedJob()
    const region = screen.getByRole('region', { name: 'Rows of the job' })
    expect(region).toHaveAttribute('tabindex', '0')
    expect(within(region).getByRole('table', { name: 'Rows of the job' })).toBe(screen.getByTestId('bulk-rows'))
  })
})
