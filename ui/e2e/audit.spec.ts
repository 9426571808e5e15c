// The audit log view in Chromium under the app's CSP, over the fake desk: entries newest first
// with every outcome, row details, filters, paging, Verify (intact and broken), Export (done,
// cancelled, failed), the empty state, and Russian/dark. Screenshots for a person to look at.
import { test, expect, ipcCalls, snap } from './fixtures'
import type { Page } from '@playwright/test'
import { auditMany, auditSample, productionProfile, sandboxProfile, status } from '../src/test/fixtures'
import type { Verification } from '../src/lib/ipc'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

const broken: Verification = {
  entries: 13,
  ok: false,
  firstBroken: {
    line: 6,
    offset: 2314,
    seq: 6,
    expectedSeq: 6,
    problem: 'edited',
    message: 'line 6 (seq 6): the entry does not match its hash: it was changed after it was written',
  },
  repaired: [{ line: 12, offset: 5120, length: 211, repairedBy: 12 }],
  openIntents: [],
  lastHash: '0'.repeat(64),
  clockWarnings: [],
}

async function openAudit(page: Page) {
  await page.goto('/')
  await page.getByTestId('nav-audit').click()
  await expect(page.getByTestId('audit-view')).toBeVisible()
}

const prod = { ...productionProfile, hasPassword: true }

test('entries newest first, details, filters, verify (broken chain), export', async ({ page, mockDesk }) => {
  await mockDesk({ status: status({ profiles: [sandboxProfile, prod] }), lookups: {}, audit: auditSample, verify: broken })
  await openAudit(page)
  await expect(page.getByTestId('nav-audit')).toHaveAttribute('aria-current', 'page')
  const rows = page.getByTestId('audit-row')
  await expect(rows).toHaveCount(13)
  await expect(rows.first()).toHaveAttribute('data-action', 'recovered_outcome')
  await expect(rows.first()).toHaveAttribute('data-outcome', 'removed_confirmed_by_recheck')
  await expect(page.getByTestId('audit-showing')).toHaveText('Showing 1–13 of 13 entries')
  await snap(page, 'audit-view', true)

  // row details
  await page.locator('[data-testid=audit-row][data-seq="6"]').getByTestId('audit-row-toggle').click()
  const details = page.getByTestId('audit-details')
  await expect(details).toContainText(auditSample[5]!.hash)
  await expect(details).toContainText(auditSample[4]!.hash)
  await expect(details).toContainText('9b01e7aa42c3')
  await expect(details).toContainText('#5')

  // verify: the first broken entry, in red
  await page.getByTestId('audit-verify').click()
  const verdict = page.getByTestId('audit-verify-result')
  await expect(verdict).toHaveAttribute('data-ok', 'false')
  await expect(verdict).toContainText('Chain broken at line 6 (entry #6): the entry was edited (its hash does not match)')
  await snap(page, 'audit-verify-broken')

  // filters: outcome, then a customer, then cleared
  await page.getByTestId('audit-outcome').selectOption('not_removed')
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toHaveAttribute('data-outcome', 'not_removed')
  await page.getByTestId('audit-outcome').selectOption('')
  await page.getByTestId('audit-customer').fill('кл-')
  await expect(rows).toHaveCount(2)
  await page.getByTestId('audit-profile').selectOption('p-prod')
  await expect(page.getByTestId('audit-empty')).toContainText('No entries match these filters.')
  await page.getByTestId('audit-clear').click()
  await expect(rows).toHaveCount(13)

  // export: Rust's save dialog answers with the count
  await page.getByTestId('audit-export-csv').click()
  await expect(page.getByTestId('toast-text')).toHaveText('Exported 13 entries')
  await expect(page.getByTestId('toast-path')).toHaveText('/home/anna/Documents/carddesk-audit-2026-12-06.csv')
  await snap(page, 'audit-exported')
  const exports = (await ipcCalls(page)).filter((c) => c.cmd === 'audit_export')
  expect(exports).toEqual([{ cmd: 'audit_export', args: { format: 'csv', filters: null } }])
})

test('paging newest first, 50 at a time; verify intact; cancelled export says nothing', async ({ page, mockDesk }) => {
  await mockDesk({ status: status(), lookups: {}, audit: auditMany(120), exportAnswer: 'cancel' })
  await openAudit(page)
  const rows = page.getByTestId('audit-row')
  await expect(rows).toHaveCount(50)
  await expect(rows.first()).toHaveAttribute('data-seq', '120')
  await expect(page.getByTestId('audit-showing')).toHaveText('Showing 1–50 of 120 entries')
  await page.getByTestId('audit-older').click()
  await expect(page.getByTestId('audit-showing')).toHaveText('Showing 51–100 of 120 entries')
  await expect(rows.first()).toHaveAttribute('data-seq', '70')
  await page.getByTestId('audit-older').click()
  await expect(rows).toHaveCount(20)
  await expect(page.getByTestId('audit-older')).toBeDisabled()
  await page.getByTestId('audit-newer').click()
  await expect(rows.first()).toHaveAttribute('data-seq', '70')

  await page.getByTestId('audit-verify').click()
  await expect(page.getByTestId('audit-verify-result')).toHaveAttribute('data-ok', 'true')
  await expect(page.getByTestId('audit-verify-result')).toContainText('Chain intact: 120 entries')
  await snap(page, 'audit-verify-ok')

  await page.getByTestId('audit-export-json').click()
  await expect(page.getByTestId('audit-export-json')).toBeEnabled()
  await expect(page.getByTestId('toast')).toHaveCount(0)
  await expect(page.getByTestId('audit-export-error')).toHaveCount(0)
})

test('an empty log says what will appear there', async ({ page, mockDesk }) => {
  await mockDesk({ status: status({ settings: { ...status().settings, recordViews: false } }), lookups: {} })
  await openAudit(page)
  await expect(page.getByTestId('audit-empty')).toHaveText('No entries yet — revocations and looked-up customers are recorded here.')
  await snap(page, 'audit-empty')
})

test('Russian and dark: a broken chain', async ({ page, mockDesk }) => {
  await mockDesk({ status: status({ profiles: [sandboxProfile, prod] }), lookups: {}, audit: auditSample, verify: broken })
  await page.goto('/')
  await page.getByTestId('lang-ru').click()
  await page.getByRole('group', { name: 'Тема' }).getByRole('button', { name: 'Тёмная' }).click()
  await page.getByTestId('nav-audit').click()
  await expect(page.getByTestId('audit-row')).toHaveCount(13)
  await expect(page.getByTestId('audit-showing')).toHaveText('Показаны 1–13 из 13 записей')
  await page.locator('[data-testid=audit-row][data-seq="6"]').getByTestId('audit-row-toggle').click()
  await page.getByTestId('audit-verify').click()
  await expect(page.getByTestId('audit-verify-result')).toContainText('Цепочка нарушена в строке 6 (запись №6): запись изменена (хеш не совпадает)')
  await snap(page, 'audit-ru-dark', true)
})
