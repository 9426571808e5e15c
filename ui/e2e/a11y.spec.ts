// Why: issue 19 — the app is used all day by support agents, some with screen readers, high
// zoom or the keyboard only. axe-core scans every view and dialog state a person meets (search,
// a customer with cards, the revoke dialog's form, countdown, working and result, revoke-all,
// the audit log with an entry open, a bulk job with its preview, settings and the profile
// form, the customer requests: register, new-request form with errors and a request) against WCAG 2.2 A/AA, in English and Russian, light and dark, and expects nothing.
import AxeBuilder from '@axe-core/playwright'
import { test, expect, snap } from './fixtures'
import type { Page } from '@playwright/test'
import { aRequest, auditSample, cards1234, dayFromToday, lookupOf, recent, sandboxProfile, status, testProfile } from '../src/test/fixtures'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

/** Scans the page as it is now; a failure names the rule and the elements, to fix them. */
async function scan(page: Page, state: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze()
  const found = violations.map((v) => ({
    state,
    rule: v.id,
    impact: v.impact,
    nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`),
  }))
  // soft: the test walks on, so one run lists every state's violations
  expect.soft(found, `axe violations in "${state}"`).toEqual([])
}

const COMBOS = [
  { locale: 'en', theme: 'light' },
  { locale: 'en', theme: 'dark' },
  { locale: 'ru', theme: 'light' },
  { locale: 'ru', theme: 'dark' },
] as const

for (const { locale, theme } of COMBOS) {
  test.describe(`${locale}, ${theme}`, () => {
    test.beforeEach(async ({ page, mockDesk }) => {
      await page.addInitScript(
        ({ l, th }) => {
          localStorage.setItem('carddesk.locale', l)
          localStorage.setItem('carddesk.theme', th)
        },
        { l: locale, th: theme },
      )
      await mockDesk({
        status: status({ profiles: [sandboxProfile, testProfile] }),
        lookups: { '1234': lookupOf('1234', cards1234) },
        recent,
        audit: auditSample,
        revokeDelayMs: 1500,
        bulk: { stepMs: 50, chunk: 5 },
        requests: [
          aRequest({ due: dayFromToday(-1), status: { state: 'in_progress' }, identityChecks: [{ asked: 'e-mail on file', matched: true, by: 'anna', at: '2026-12-01T09:40:00Z' }] }),
          aRequest({ kind: 'erasure152', due: dayFromToday(0) }),
          aRequest({ kind: 'card_refusal' }),
        ],
      })
      await page.goto('/')
      await expect(page.getByTestId('env-banner')).toBeVisible()
    })

    test('search, customer, revoke and revoke-all', async ({ page }) => {
      await scan(page, 'search')
      await snap(page, `a11y-search-${locale}-${theme}`)

      await page.locator('#customer').fill('1234')
      await page.keyboard.press('Enter')
      await expect(page.getByTestId('card')).toHaveCount(3)
      await scan(page, 'customer with cards')
      await snap(page, `a11y-customer-${locale}-${theme}`)

      await page.getByTestId('card').filter({ hasText: '0028' }).getByTestId('revoke-card').click()
      const dialog = page.getByTestId('revoke-dialog')
      await expect(dialog).toBeVisible()
      await scan(page, 'revoke form')
      await dialog.getByTestId('revoke-submit').click()
      await expect(dialog.getByTestId('revoke-error').first()).toBeVisible()
      await scan(page, 'revoke form with errors')
      await snap(page, `a11y-revoke-form-${locale}-${theme}`)
      await dialog.getByTestId('revoke-last4').fill('0028')
      await dialog.getByTestId('revoke-ticket').fill('SUP-1')
      await dialog.getByTestId('revoke-ticket').press('Enter')
      await expect(dialog.getByTestId('revoke-countdown')).toBeVisible()
      await scan(page, 'revoke countdown')
      await snap(page, `a11y-revoke-countdown-${locale}-${theme}`)
      await expect(dialog.getByTestId('revoke-working')).toBeVisible({ timeout: 7000 })
      await scan(page, 'revoke working')
      await expect(dialog.getByTestId('revoke-result')).toBeVisible({ timeout: 5000 })
      await scan(page, 'revoke result')
      await snap(page, `a11y-revoke-result-${locale}-${theme}`)
      await dialog.getByTestId('revoke-close').click()
      await expect(page.getByTestId('card')).toHaveCount(2)

      await page.getByTestId('customer-revoke-all').click()
      const all = page.getByTestId('revoke-all-dialog')
      await expect(all).toBeVisible()
      await scan(page, 'revoke-all form')
      await snap(page, `a11y-revoke-all-${locale}-${theme}`)
      await all.getByTestId('revoke-ticket').fill('SUP-2')
      await all.getByTestId('revoke-ticket').press('Enter')
      await expect(all.getByTestId('revoke-countdown')).toBeVisible()
      await scan(page, 'revoke-all countdown')
      await expect(all.getByTestId('revoke-all-result')).toBeVisible({ timeout: 10_000 })
      await scan(page, 'revoke-all result')
      await snap(page, `a11y-revoke-all-result-${locale}-${theme}`)
    })

    test('customer requests: the register, the form with errors, a request', async ({ page }) => {
      await page.getByTestId('nav-requests').click()
      await expect(page.getByTestId('request-row')).toHaveCount(3)
      await scan(page, 'requests register')
      await page.getByTestId('request-new').click()
      await page.getByTestId('request-submit').click()
      await expect(page.getByTestId('request-field-error')).toHaveCount(1)
      await scan(page, 'new request with errors')
      await page.getByTestId('request-back').click()
      await page.getByTestId('request-row').nth(1).getByRole('button').click()
      await expect(page.getByTestId('request-detail')).toBeVisible()
      await scan(page, 'a request')
      await snap(page, `a11y-request-${locale}-${theme}`, true)
    })

    test('audit, bulk, settings and the profile form', async ({ page }) => {
      await page.getByTestId('nav-audit').click()
      await expect(page.getByTestId('audit-row')).toHaveCount(auditSample.length)
      await page.getByTestId('audit-row-toggle').first().click()
      await scan(page, 'audit with an entry open')
      await snap(page, `a11y-audit-${locale}-${theme}`)

      await page.getByTestId('nav-bulk').click()
      await page.getByTestId('bulk-import').click()
      await expect(page.getByTestId('bulk-mapping')).toBeVisible()
      await scan(page, 'bulk mapping with a preview')
      await snap(page, `a11y-bulk-mapping-${locale}-${theme}`, true)
      await page.getByTestId('bulk-create').click()
      await expect(page.getByTestId('bulk-row').first()).toBeVisible({ timeout: 10_000 })
      await expect(page.getByTestId('bulk-result')).toBeVisible({ timeout: 10_000 })
      await scan(page, 'bulk dry run')
      await snap(page, `a11y-bulk-dry-run-${locale}-${theme}`, true)

      await page.getByTestId('nav-settings').click()
      await expect(page.getByTestId('profile-row')).toHaveCount(2)
      await scan(page, 'settings')
      await snap(page, `a11y-settings-${locale}-${theme}`, true)
      await page.getByTestId('profile-row').nth(1).getByRole('button').nth(2).click()
      await expect(page.getByTestId('profile-form')).toBeVisible()
      await scan(page, 'profile form')
      await snap(page, `a11y-profile-form-${locale}-${theme}`, true)
    })
  })
}
