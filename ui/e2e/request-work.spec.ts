// A request at work in Chromium under the app's CSP: the context bar over the customer's cards
// (came from an erasure request: "Revoke all" leads), the read-only banner of a production
// profile a ticket link opened, and the erasure act's form with Rust's field error beside its
// field — English and Russian, light and dark. Screenshots under test-results/ to look at.
import { test, expect, snap } from './fixtures'
import { aRequest, cards100700, cards1234, lookupOf, productionProfile, sandboxProfile, status } from '../src/test/fixtures'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

const COMBOS = [
  { locale: 'en', theme: 'light' },
  { locale: 'en', theme: 'dark' },
  { locale: 'ru', theme: 'light' },
  { locale: 'ru', theme: 'dark' },
] as const

const identified = { asked: 'e-mail on file', matched: true, by: 'Anna Petrova', at: '2026-12-01T09:40:00Z' }

function erasure() {
  return aRequest({
    kind: 'erasure152',
    ticket: 'ZD-5812',
    status: { state: 'in_progress' },
    identityChecks: [identified],
    events: [
      { at: '2026-12-01T09:30:00Z', by: 'Anna Petrova', what: { type: 'created' } },
      { at: '2026-12-01T09:43:00Z', by: 'Anna Petrova', what: { type: 'removal_linked', audit: { seq: 41, hash: 'c9'.repeat(32) }, customer: '1234', result: 'removed', settles: null } },
    ],
  })
}

for (const { locale, theme } of COMBOS) {
  test(`request context, read-only link and erasure act (${locale}, ${theme})`, async ({ page, mockDesk }) => {
    await page.addInitScript(
      ({ l, th }) => {
        localStorage.setItem('carddesk.locale', l)
        localStorage.setItem('carddesk.theme', th)
      },
      { l: locale, th: theme },
    )
    const prod = { ...productionProfile, hasPassword: true }
    await mockDesk({
      status: status({ profiles: [sandboxProfile, prod] }),
      lookups: { '1234': lookupOf('1234', cards1234), '100700': lookupOf('100700', cards100700) },
      requests: [erasure()],
    })
    await page.goto('/')

    // from the request to the cards: the context bar, "Revoke all" first
    await page.getByTestId('nav-requests').click()
    await page.getByTestId('request-row').first().getByRole('button').click()
    await page.getByTestId('request-lookup').click()
    await expect(page.getByTestId('request-context-bar')).toBeVisible()
    await expect(page.getByTestId('customer-heading')).toBeVisible()
    await snap(page, `request-context-${locale}-${theme}`)

    // the cards removed for the request (its ticket prefilled), then back to it
    await page.getByTestId('customer-revoke-all').click()
    const dialog = page.getByTestId('revoke-all-dialog')
    await expect(dialog.getByTestId('revoke-ticket')).toHaveValue('ZD-5812')
    await dialog.getByTestId('revoke-submit').click()
    await expect(dialog.getByTestId('revoke-all-result')).toBeVisible({ timeout: 10_000 })
    await dialog.getByTestId('revoke-close').click()

    // the erasure act's form, with Rust's first field error
    await page.getByTestId('request-context-back').click()
    await expect(page.getByTestId('request-removal')).toHaveCount(4)
    await page.getByTestId('request-make-erasure').click()
    const form = page.getByTestId('erasure-form')
    await form.getByTestId('erasure-add-signatory').click()
    await form.getByTestId('erasure-submit').click()
    await expect(form.getByTestId('erasure-field-error')).toHaveAttribute('data-for', 'operator_name')
    await form.scrollIntoViewIfNeeded()
    await form.screenshot({ path: `test-results/request-erasure-form-${locale}-${theme}.png` })

    // a production link: read-only until allowed
    await page.evaluate(() =>
      (window as unknown as { __DESK__: { state: { pushLink: (m: unknown) => boolean } } }).__DESK__.state.pushLink({
        link: { intent: { kind: 'lookup', customer: '100700', profile: 'p-prod', ticket: 'ZD-5813' }, profileName: 'Shop production', environment: 'production', readOnly: true },
      }),
    )
    await expect(page.getByTestId('link-readonly-banner')).toBeVisible()
    await page.getByRole('button', { name: locale === 'en' ? 'Find cards' : 'Найти карты' }).click()
    await expect(page.getByTestId('customer-heading')).toBeVisible()
    await expect(page.getByTestId('customer-revoke')).toBeDisabled()
    await snap(page, `request-readonly-${locale}-${theme}`)
    await expect(page.getByTestId('revoke-card').first()).toBeDisabled()
    await page.getByTestId('link-allow-changes').click()
    await expect(page.getByTestId('link-readonly-banner')).toHaveCount(0)
    await expect(page.getByTestId('customer-revoke')).toBeEnabled()
    await expect(page.getByTestId('revoke-card').first()).toBeEnabled()
  })
}

for (const { locale, theme } of [COMBOS[0], COMBOS[3]]) {
  test(`the access answer's form (${locale}, ${theme})`, async ({ page, mockDesk }) => {
    await page.addInitScript(
      ({ l, th }) => {
        localStorage.setItem('carddesk.locale', l)
        localStorage.setItem('carddesk.theme', th)
      },
      { l: locale, th: theme },
    )
    const access = aRequest({ kind: 'access152', ticket: 'ZD-5901', status: { state: 'in_progress' }, identityChecks: [identified] })
    await mockDesk({ status: status(), lookups: { '1234': lookupOf('1234', cards1234) }, requests: [access] })
    await page.goto('/')
    await page.getByTestId('nav-requests').click()
    await page.getByTestId('request-row').first().getByRole('button').click()
    await page.getByTestId('request-make-answer').click()
    const form = page.getByTestId('access-form')
    await expect(form.getByTestId('access-example')).toBeVisible()
    await form.getByTestId('access-operator_name').fill(locale === 'en' ? 'OOO Shop' : 'ООО «Ромашка»')
    await form.getByTestId('access-operator_address').fill(locale === 'en' ? 'Moscow, Tverskaya 1' : 'Москва, Тверская, 1')
    await form.scrollIntoViewIfNeeded()
    await form.screenshot({ path: `test-results/request-access-form-${locale}-${theme}.png` })
    await form.getByTestId('access-submit').click()
    await expect(page.getByTestId('request-document')).toHaveCount(1)
  })
}
