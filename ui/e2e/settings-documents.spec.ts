// Settings → Documents (issue 16) in Chromium with the fake desk behind the IPC, at the smallest
// window (820×560) in English light and Russian dark: the panel as it opens, Rust's rule beside
// the field it names, the details saved; then an erasure act's form starting from them ("from
// Settings", and "changed for this document only" once edited) and its link back to the panel.
// Screenshots under test-results/settings-documents-*.png for a person to look at; nothing may
// stick out sideways.
import { test, expect, snap } from './fixtures'
import type { Locator, Page } from '@playwright/test'
import { aRequest, sandboxProfile, status } from '../src/test/fixtures'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

const WORDS = {
  en: { settings: 'Settings', heading: 'Documents', rule: 'is needed when a processor is named', saved: 'Document details saved', from: 'from Settings', changed: 'changed for this document only' },
  ru: { settings: 'Настройки', heading: 'Документы', rule: 'нужен, если указан обработчик', saved: 'Реквизиты сохранены', from: 'из настроек', changed: 'изменено только для этого документа' },
} as const
const LOOKS = [
  { locale: 'en', theme: 'light' },
  { locale: 'ru', theme: 'dark' },
] as const
const SIZE = { width: 820, height: 560 }

const erasure = () =>
  aRequest({
    kind: 'erasure152',
    ticket: 'SUP-77',
    status: { state: 'in_progress' },
    identityChecks: [{ asked: 'e-mail on file', matched: true, by: 'anna', at: '2026-12-01T09:40:00Z' }],
    events: [
      { at: '2026-12-01T09:30:00Z', by: 'anna', what: { type: 'created' } },
      { at: '2026-12-01T09:43:00Z', by: 'anna', what: { type: 'removal_linked', audit: { seq: 4, hash: 'a'.repeat(64) }, customer: '1234', result: 'removed', settles: null } },
    ],
  })

/** The page scrolled so that `target` is near the top (clear of the environment banner), then a screenshot of the window. */
async function shot(page: Page, target: Locator, name: string) {
  await target.evaluate((el) => {
    el.scrollIntoView({ block: 'start' })
    window.scrollBy(0, -64)
  })
  await snap(page, name)
}

async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(SIZE.width)
}

for (const { locale, theme } of LOOKS) {
  const w = WORDS[locale]
  const tag = `${locale}-${theme}`

  test(`Settings → Documents and the act's form from them, ${locale} ${theme}, 820×560`, async ({ page, mockDesk }) => {
    await page.setViewportSize(SIZE)
    await page.addInitScript(
      ({ l, th }) => {
        localStorage.setItem('carddesk.locale', l)
        localStorage.setItem('carddesk.theme', th)
      },
      { l: locale, th: theme },
    )
    await mockDesk({ status: status({ profiles: [sandboxProfile] }), lookups: {}, requests: [erasure()] })
    await page.goto('/')
    await page.getByTestId('nav-settings').click()
    await expect(page.getByRole('heading', { name: w.settings, level: 1 })).toBeVisible()
    const panel = page.getByTestId('documents-settings')
    await expect(panel.getByRole('heading', { name: w.heading })).toBeVisible()
    await shot(page, panel, `settings-documents-empty-${tag}`)
    await noSidewaysScroll(page)

    // a processor without its address: Rust's rule beside the address, focus on it
    await panel.getByTestId('docs-operator_name').fill(locale === 'ru' ? 'ООО «Ромашка Подписки»' : 'Romashka Subscriptions LLC')
    await panel.getByTestId('docs-operator_address').fill(locale === 'ru' ? '125009, Москва, ул. Тверская, д. 1, офис 12' : '1 Tverskaya St, office 12, Moscow 125009')
    await panel.getByTestId('docs-processor_name').fill(locale === 'ru' ? 'ООО «Ассист»' : 'Assist LLC')
    await panel.getByTestId('docs-save').click()
    await expect(panel.getByTestId('docs-field-error')).toContainText(w.rule)
    await expect(panel.getByTestId('docs-processor_address')).toBeFocused()
    await shot(page, panel.locator('fieldset').nth(1), `settings-documents-error-${tag}`)
    await noSidewaysScroll(page)

    await panel.getByTestId('docs-processor_address').fill(locale === 'ru' ? '119048, Москва, ул. Усачёва, д. 2' : '2 Usacheva St, Moscow 119048')
    await panel.getByTestId('docs-information_system').fill('Card Desk / IPS Assist One Click')
    await panel.getByTestId('docs-save').click()
    await expect(panel.getByTestId('docs-saved')).toContainText(w.saved)
    await shot(page, panel.locator('fieldset').nth(1), `settings-documents-saved-${tag}`)
    await noSidewaysScroll(page)

    // the erasure act's form starts from them, says so, and says when one is changed here
    await page.getByTestId('nav-requests').click()
    await page.getByTestId('request-row').first().getByRole('button').click()
    await page.getByTestId('request-make-erasure').click()
    const form = page.getByTestId('erasure-form')
    await expect(form.getByTestId('from-settings').first()).toContainText(w.from)
    await shot(page, form, `settings-documents-form-${tag}`)
    await noSidewaysScroll(page)
    await form.getByTestId('erasure-operator_address').fill(locale === 'ru' ? 'Москва, ул. Ленина, д. 5' : '5 Lenina St, Moscow')
    await expect(form.getByTestId('from-settings').first()).toContainText(w.changed)
    await shot(page, form, `settings-documents-form-changed-${tag}`)
    await noSidewaysScroll(page)

    // and links back to the panel, its heading focused
    await form.getByTestId('from-settings-link').first().click()
    await expect(page.getByTestId('documents-settings').getByRole('heading', { name: w.heading })).toBeFocused()
    await snap(page, `settings-documents-linked-${tag}`)
  })
}
