// Customer requests in Chromium under the app's CSP, over the fake register: the register with
// overdue, due-today, provisional and no-deadline requests, the new-request form refusing bad
// fields, and a request at work (identity, removals, extension, history), in English and
// Russian, light and dark. Screenshots under test-results/ for a person to look at.
import { test, expect, snap } from './fixtures'
import type { Page } from '@playwright/test'
import { aRequest, dayFromToday, sandboxProfile, status, testProfile } from '../src/test/fixtures'
import type { Request } from '../src/lib/ipc'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

const HASH = 'a3f19c0de2b47a51c9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6'

function register(): Request[] {
  const checked = { asked: 'e-mail on file and the last 4 digits of the card', matched: true, by: 'Anna Petrova', at: '2026-12-01T09:41:00Z' }
  const working = aRequest({
    kind: 'erasure152',
    due: dayFromToday(0),
    ticket: 'SUP-4812',
    status: { state: 'in_progress' },
    assignee: 'Anna Petrova',
    subjects: [
      { customerNumber: '1234', profile: { profile: 'sandbox' } },
      { customerNumber: 'КЛ-000731', profile: 'all_profiles' },
    ],
    identityChecks: [{ ...checked, asked: 'date of birth', matched: false, at: '2026-12-01T09:38:00Z' }, checked],
    notes: [{ text: 'Customer asked for written confirmation to the e-mail on file.', by: 'Anna Petrova', at: '2026-12-01T09:45:00Z' }],
    events: [
      { at: '2026-12-01T09:30:00Z', by: 'Anna Petrova', what: { type: 'created' } },
      { at: '2026-12-01T09:38:00Z', by: 'Anna Petrova', what: { type: 'identity_checked', matched: false } },
      { at: '2026-12-01T09:41:00Z', by: 'Anna Petrova', what: { type: 'identity_checked', matched: true } },
      { at: '2026-12-01T09:42:00Z', by: 'Anna Petrova', what: { type: 'status_changed', from: 'new', to: 'in_progress', forced: false, open: [] } },
      { at: '2026-12-01T09:43:00Z', by: 'Anna Petrova', what: { type: 'removal_linked', audit: { seq: 41, hash: HASH }, customer: '1234', result: 'removed', settles: null } },
      { at: '2026-12-01T09:44:00Z', by: 'Anna Petrova', what: { type: 'removal_linked', audit: { seq: 43, hash: HASH.split('').reverse().join('') }, customer: '1234', result: 'unknown', settles: null } },
      { at: '2026-12-01T09:45:00Z', by: 'Anna Petrova', what: { type: 'note_added' } },
    ],
  })
  const provisional = aRequest({ due: '2027-01-18', ticket: 'SUP-4830', received: { precision: 'day', date: dayFromToday(-1) } })
  provisional.deadline = { ...provisional.deadline!, provisional: true }
  return [
    aRequest({ kind: 'card_refusal', ticket: 'SUP-4835', channel: 'phone', subjects: [{ customerNumber: '100025', profile: { profile: 'p-test' } }] }),
    provisional,
    aRequest({ kind: 'access_gdpr', due: dayFromToday(21), ticket: 'SUP-4790', channel: 'web_form', subjects: [{ customerNumber: '100700', profile: { profile: 'sandbox' } }] }),
    aRequest({ due: dayFromToday(-3), ticket: 'SUP-4701', status: { state: 'in_progress' }, identityChecks: [checked] }),
    working,
    aRequest({ kind: 'erasure_gdpr', due: dayFromToday(-20), ticket: 'SUP-4400', status: { state: 'closed' } }),
  ]
}

const COMBOS = [
  { locale: 'en', theme: 'light' },
  { locale: 'en', theme: 'dark' },
  { locale: 'ru', theme: 'light' },
  { locale: 'ru', theme: 'dark' },
] as const

async function start(page: Page, locale: string, theme: string, requests: Request[]) {
  await page.addInitScript(
    ({ l, th }) => {
      localStorage.setItem('carddesk.locale', l)
      localStorage.setItem('carddesk.theme', th)
    },
    { l: locale, th: theme },
  )
  return requests
}

for (const { locale, theme } of COMBOS) {
  test(`register, form and a request at work (${locale}, ${theme})`, async ({ page, mockDesk }) => {
    await start(page, locale, theme, [])
    await mockDesk({ status: status({ profiles: [sandboxProfile, testProfile] }), lookups: {}, requests: register() })
    await page.goto('/')
    await expect(page.getByTestId('nav-requests-attention').locator('[aria-hidden=true]')).toHaveText('2')
    await page.keyboard.press('Control+E')
    const rows = page.getByTestId('request-row')
    await expect(rows).toHaveCount(5)
    await expect(rows.nth(0)).toHaveAttribute('data-due', 'overdue')
    await expect(rows.nth(1)).toHaveAttribute('data-due', 'due_today')
    await expect(page.getByTestId('request-due-provisional')).toHaveCount(1)
    await snap(page, `requests-list-${locale}-${theme}`, true)

    await page.getByTestId('request-new').click()
    await page.getByTestId('request-ticket').fill('SUP-4812-' + 'x'.repeat(60))
    await page.getByTestId('request-add-customer').click()
    await page.getByTestId('request-customer').nth(1).fill('12<3>4')
    await page.getByTestId('request-submit').click()
    await expect(page.getByTestId('request-field-error')).toHaveCount(3)
    await snap(page, `requests-form-${locale}-${theme}`, true)

    await page.getByTestId('request-back').click()
    await rows.nth(1).getByRole('button').click()
    const detail = page.getByTestId('request-detail')
    await expect(detail.getByTestId('request-removal')).toHaveCount(2)
    await snap(page, `requests-detail-${locale}-${theme}`, true)
  })
}

test('a new request, identity, start, and a refusal (en, light)', async ({ page, mockDesk }) => {
  await mockDesk({ status: status({ profiles: [sandboxProfile, testProfile] }), lookups: {} })
  await page.goto('/')
  await page.getByTestId('nav-requests').click()
  await expect(page.getByTestId('requests-empty')).toBeVisible()
  await snap(page, 'requests-empty-en-light', true)
  await page.getByTestId('requests-empty').getByRole('button', { name: 'New request' }).click()
  await page.getByTestId('request-kind-access152').check()
  await page.getByLabel('Customer number 1').fill('1234')
  await page.getByTestId('request-ticket').fill('SUP-5000')
  await page.getByTestId('request-submit').click()
  const detail = page.getByTestId('request-detail')
  await expect(detail.getByTestId('request-identity-blocked')).toBeVisible()
  await expect(detail.getByTestId('request-to-in_progress')).toBeDisabled()
  await snap(page, 'requests-new-detail-en-light', true)
  await detail.getByLabel('What was asked or compared').fill('e-mail on file')
  await detail.getByTestId('request-identity-record').click()
  await expect(detail.getByTestId('request-identity-blocked')).toHaveCount(0)
  await detail.getByTestId('request-to-in_progress').click()
  await expect(detail.getByTestId('request-status-now')).toHaveText('In progress')
  await detail.getByTestId('request-to-refused').click()
  const dialog = page.getByTestId('request-refuse-dialog')
  await dialog.getByTestId('request-refuse-confirm').click()
  await expect(dialog.getByText('Reason: required, at most 2000 characters.')).toBeVisible()
  await snap(page, 'requests-refuse-en-light')
  await dialog.getByTestId('request-refuse-reason').fill('The customer withdrew the request by phone.')
  await dialog.getByTestId('request-refuse-confirm').click()
  await expect(detail.getByTestId('request-status-now')).toHaveText('Refused')
  await expect(page.getByTestId('request-event').first()).toContainText('Status: In progress → Refused')
})

test('the smallest window: 820×560 (ru)', async ({ page, mockDesk }) => {
  await page.setViewportSize({ width: 820, height: 560 })
  await start(page, 'ru', 'light', [])
  await mockDesk({ status: status({ profiles: [sandboxProfile, testProfile] }), lookups: {}, requests: register() })
  await page.goto('/')
  await page.getByTestId('nav-requests').click()
  await expect(page.getByTestId('request-row')).toHaveCount(5)
  await snap(page, 'requests-small-list-ru')
  await page.getByTestId('request-row').nth(1).getByRole('button').click()
  await expect(page.getByTestId('request-detail')).toBeVisible()
  await snap(page, 'requests-small-detail-ru', true)
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820)
})
