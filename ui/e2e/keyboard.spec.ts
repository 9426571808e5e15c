// Why: issue 19 — some agents work with the keyboard only. These walk the two main tasks with
// nothing but keys (no click, no programmatic focus): revoke a card (search, open the customer,
// revoke, wait through the countdown, read the verdict) and a bulk job (open, import, map, dry
// run, run, read the result). At each step focus must be somewhere that makes sense.
import { test, expect, ipcCalls } from './fixtures'
import type { Page } from '@playwright/test'
import { cards1234, lookupOf, status } from '../src/test/fixtures'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

/** Presses Tab until focus is on an element matching `selector`; fails after `max` presses. */
async function tabTo(page: Page, selector: string, max = 40) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`Tab never reached ${selector}`)
}

/** What has focus, as a person would describe it: its role-ish tag and its text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null
    return { tag: a?.tagName.toLowerCase() ?? '', text: a?.innerText?.trim() ?? '', testid: a?.dataset.testid ?? '' }
  })

test('a revoke with the keyboard only: search, customer, revoke, countdown, verdict', async ({ page, mockDesk }) => {
  await mockDesk({ status: status(), lookups: { '1234': lookupOf('1234', cards1234) }, revokeDelayMs: 600 })
  await page.goto('/')
  // the app opens on the search field
  await expect(page.locator('#customer')).toBeFocused()
  await page.keyboard.type('1234')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('customer-heading')).toBeFocused()

  await tabTo(page, '[data-token="49D902C6-1CCF-4605-9228-11D0E8115C77"] [data-testid="revoke-card"]')
  expect((await focused(page)).text).toContain('Revoke')
  await page.keyboard.press('Enter')
  const dialog = page.getByTestId('revoke-dialog')
  await expect(dialog.getByTestId('revoke-last4')).toBeFocused()
  await page.keyboard.type('0028')
  await tabTo(page, '[data-testid="revoke-ticket"]')
  await page.keyboard.type('SUP-48213')
  await page.keyboard.press('Enter')

  // the countdown: Undo has focus; nothing is pressed, so the removal goes out after 5 seconds
  await expect(dialog.getByTestId('revoke-undo')).toBeFocused()
  await expect(dialog.getByTestId('revoke-live')).toContainText('The removal is sent in 5 seconds')
  await expect(dialog.getByTestId('revoke-working')).toBeVisible({ timeout: 7000 })
  expect((await focused(page)).tag).toBe('h2') // the dialog's title, not the page
  await expect(dialog.getByTestId('revoke-live')).toHaveText('Removing… reading the card list back…')

  // the verdict is read first
  await expect(dialog.getByTestId('revoke-outcome')).toBeFocused({ timeout: 5000 })
  expect(await focused(page)).toMatchObject({ tag: 'h3', text: 'Removed' })
  expect((await ipcCalls(page)).filter((c) => c.cmd === 'revoke_card')).toHaveLength(1)

  // Esc closes; focus lands on what is left, not on the page
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await expect(page.getByTestId('card-count')).toHaveText('2 saved cards')
  await expect(page.getByTestId('card-count')).toBeFocused()
})

test('a bulk job with the keyboard only: import, map, dry run, run, result', async ({ page, mockDesk }) => {
  await mockDesk({ status: status(), lookups: {}, bulk: { stepMs: 40, chunk: 3 } })
  await page.goto('/')
  await expect(page.locator('#customer')).toBeFocused()
  await page.keyboard.press('Control+B')
  await expect(page.getByRole('heading', { level: 1, name: 'Bulk jobs' })).toBeFocused()

  await tabTo(page, '[data-testid="bulk-import"]')
  await page.keyboard.press('Enter')
  await expect(page.locator('#bulk-map-title')).toBeFocused()
  await tabTo(page, '[data-testid="bulk-ticket"]')
  await page.keyboard.type('SUP-50000')
  await tabTo(page, '[data-testid="bulk-create"]')
  await page.keyboard.press('Enter')

  // the job opens on its heading and its dry run runs
  await expect(page.locator('#bulk-job-title')).toBeFocused()
  await expect(page.getByTestId('bulk-result')).toContainText('Dry run finished', { timeout: 10_000 })

  await tabTo(page, '[data-testid="bulk-run"]')
  await page.keyboard.press('Enter')
  await expect(page.locator('#bulk-progress-title')).toBeFocused()
  await expect(page.getByTestId('bulk-result')).toContainText('Job finished', { timeout: 15_000 })
  await expect(page.getByTestId('bulk-result')).toBeFocused()
  const cmds = (await ipcCalls(page)).map((c) => c.cmd)
  expect(cmds).toContain('bulk_plan')
  expect(cmds).toContain('bulk_run')
})
