// Bulk jobs in Chromium under the app's CSP, over the fake desk's in-memory jobs (progress
// streamed over a mocked Tauri Channel): import, mapping, dry run, run with progress, pause,
// export; saved jobs in dark; production confirmation in Russian; the smallest window.
// Screenshots under test-results/ for a person to look at.
import { test, expect, ipcCalls, snap } from './fixtures'
import type { Page } from '@playwright/test'
import { productionProfile, sandboxProfile, status } from '../src/test/fixtures'
import type { BulkJobSeed } from '../src/test/fakeBulk'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

const prod = { ...productionProfile, hasPassword: true }
const jobs: BulkJobSeed[] = [
  { id: 'job-3', source: '/home/anna/crm/deletions-week-47.csv', created: '2026-11-24T08:15:00Z', rows: 120, stage: 'planned', erasure: true },
  { id: 'job-2', source: '/home/anna/crm/deletions-week-46.csv', created: '2026-11-17T09:40:00Z', rows: 64, stage: 'interrupted' },
  { id: 'job-1', source: '/home/anna/crm/deletions-week-45.csv', created: '2026-11-10T10:05:00Z', rows: 14, stage: 'finished' },
]

async function openBulk(page: Page) {
  await page.goto('/')
  await page.getByTestId('nav-bulk').click()
  await expect(page.getByTestId('bulk-view')).toBeVisible()
}

async function dark(page: Page) {
  await page.getByRole('group', { name: 'Theme' }).getByRole('button', { name: 'Dark' }).click()
}

test('import, map, dry run, run with progress, pause, export (light)', async ({ page, mockDesk }) => {
  await mockDesk({ status: status(), lookups: {}, bulk: { stepMs: 300, chunk: 1 } })
  await openBulk(page)
  await expect(page.getByTestId('bulk-empty')).toContainText('No bulk jobs yet')
  await snap(page, 'bulk-empty', true)

  await page.getByTestId('bulk-import').click()
  await expect(page.getByTestId('bulk-mapping')).toBeVisible()
  await expect(page.getByTestId('bulk-map-customer')).toHaveValue('customer')
  await expect(page.getByTestId('bulk-map-last4')).toHaveValue('last4')
  await page.getByTestId('bulk-erasure').check()
  await page.getByTestId('bulk-ticket').fill('SUP-50000')
  await page.getByTestId('bulk-reason').selectOption('erasure_request')
  await snap(page, 'bulk-mapping', true)

  // the customer column is required
  await page.getByTestId('bulk-map-customer').selectOption('')
  await page.getByTestId('bulk-create').click()
  await expect(page.getByTestId('bulk-map-error')).toHaveText('Customer number column: required — choose the column that holds the customer number.')
  await expect(page.getByTestId('bulk-map-customer')).toBeFocused()
  await page.getByTestId('bulk-map-customer').selectOption('customer')

  await page.getByTestId('bulk-create').click()
  const progress = page.getByTestId('bulk-progress')
  await expect(progress).toHaveAttribute('data-kind', 'plan')
  await expect(page.getByRole('progressbar', { name: 'Dry run progress' })).toHaveAttribute('aria-valuenow', /^[1-9]\d*$/)
  await snap(page, 'bulk-dry-run-progress')
  await expect(page.getByTestId('bulk-result')).toContainText('Dry run finished: 9 cards to remove', { timeout: 10_000 })
  await expect(page.getByTestId('bulk-row')).toHaveCount(14)
  await snap(page, 'bulk-dry-run', true)

  await page.getByRole('button', { name: 'Run — remove 9 cards' }).click()
  const bar = page.getByRole('progressbar', { name: 'Run progress' })
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(3)
  await expect(page.getByTestId('nav-bulk-progress')).toBeVisible()
  await snap(page, 'bulk-running')
  await page.getByTestId('bulk-pause').click()
  await expect(progress).toHaveAttribute('data-paused', 'true')
  // the table follows the run
  await expect(page.locator('[data-testid=bulk-row][data-state=done]').first()).toBeVisible()
  await snap(page, 'bulk-paused')
  await page.getByTestId('bulk-resume').click()
  await expect(progress).toHaveAttribute('data-paused', 'false')

  await expect(page.getByTestId('bulk-result')).toContainText('Job finished', { timeout: 10_000 })
  await expect(page.getByTestId('bulk-phase')).toHaveText('Finished')
  await page.getByTestId('bulk-export').click()
  await expect(page.getByTestId('toast-text')).toHaveText('14 rows written')
  await snap(page, 'bulk-finished', true)

  const calls = (await ipcCalls(page)).map((c) => c.cmd).filter((c) => c.startsWith('bulk_'))
  expect(calls.filter((c) => c !== 'bulk_rows' && c !== 'bulk_job' && c !== 'bulk_jobs')).toEqual([
    'bulk_pick_csv',
    'bulk_create',
    'bulk_plan',
    'bulk_run',
    'bulk_control',
    'bulk_control',
    'bulk_export',
  ])
})

test('saved jobs, a long plan, a run and the finished job (dark)', async ({ page, mockDesk }) => {
  await mockDesk({ status: status(), lookups: {}, bulk: { jobs, stepMs: 200, chunk: 4 } })
  await page.goto('/')
  await dark(page)
  await page.getByTestId('nav-bulk').click()
  await expect(page.getByTestId('bulk-job')).toHaveCount(3)
  await snap(page, 'bulk-list-dark')

  await page.getByRole('button', { name: 'Open job deletions-week-47.csv' }).click()
  await expect(page.getByTestId('bulk-row')).toHaveCount(50)
  await expect(page.getByTestId('bulk-problems-more')).toHaveText('…and 11 more')
  await snap(page, 'bulk-dry-run-dark', true)
  // the table scrolls inside its panel, under a header that stays
  const wrap = page.locator('.table-wrap').filter({ has: page.getByTestId('bulk-rows') })
  await wrap.evaluate((el) => (el.scrollTop = 600))
  const header = page.getByTestId('bulk-rows').locator('th').first()
  expect(Math.abs((await header.boundingBox())!.y - (await wrap.boundingBox())!.y)).toBeLessThan(3)
  await page.getByTestId('bulk-row-filter').selectOption('held')
  await expect(page.getByTestId('bulk-rows-showing')).toHaveText('Rows 1–18 of 18')

  await page.getByTestId('bulk-run').click()
  await expect.poll(async () => Number(await page.getByTestId('bulk-count-done').locator('dd').textContent())).toBeGreaterThan(20)
  await snap(page, 'bulk-running-dark')
  await expect(page.getByTestId('bulk-result')).toContainText('Job finished', { timeout: 15_000 })
  await snap(page, 'bulk-finished-dark', true)

  await page.getByTestId('bulk-back').click()
  await page.getByTestId('bulk-import').click()
  await expect(page.getByTestId('bulk-mapping')).toBeVisible()
  await snap(page, 'bulk-mapping-dark', true)
})

test('production in Russian: the card count is typed to confirm', async ({ page, mockDesk }) => {
  await mockDesk({
    status: status({ activeProfileId: 'p-prod', profiles: [sandboxProfile, prod] }),
    lookups: {},
    bulk: { jobs: [{ id: 'job-p', source: '/home/anna/crm/prod-erasure.csv', created: '2026-11-24T08:15:00Z', rows: 14, stage: 'planned', profileId: 'p-prod' }] },
  })
  await page.goto('/')
  await page.getByTestId('lang-ru').click()
  await page.getByTestId('nav-bulk').click()
  await page.getByRole('button', { name: 'Открыть задание prod-erasure.csv' }).click()
  const run = page.getByTestId('bulk-run')
  await expect(run).toBeDisabled()
  await page.getByLabel('Введите 7, чтобы удалить 7 карт в БОЕВОЙ среде').fill('17')
  await expect(page.getByTestId('bulk-run-error')).toHaveText('Подтверждение: введите 7 — число карт, которые удалит задание.')
  await snap(page, 'bulk-production-ru')
  await page.getByLabel('Введите 7, чтобы удалить 7 карт в БОЕВОЙ среде').fill('7')
  await expect(run).toBeEnabled()
  await run.click()
  await expect(page.getByTestId('bulk-result')).toContainText('Задание завершено', { timeout: 10_000 })
  const runs = (await ipcCalls(page)).filter((c) => c.cmd === 'bulk_run')
  expect(runs.map((c) => c.args.confirmation)).toEqual(['7'])
})

test('the smallest window: 820×560', async ({ page, mockDesk }) => {
  await page.setViewportSize({ width: 820, height: 560 })
  await mockDesk({ status: status(), lookups: {}, bulk: { jobs } })
  await openBulk(page)
  await expect(page.getByTestId('bulk-job')).toHaveCount(3)
  await snap(page, 'bulk-small-list')
  await page.getByRole('button', { name: 'Open job deletions-week-46.csv' }).click()
  await expect(page.getByTestId('bulk-row')).toHaveCount(50)
  await snap(page, 'bulk-small-job', true)
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820)
  await page.getByTestId('bulk-back').click()
  await page.getByTestId('bulk-import').click()
  await expect(page.getByTestId('bulk-mapping')).toBeVisible()
  await snap(page, 'bulk-small-mapping', true)
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820)
})
