// Team mode, live (issue 17), in Chromium with the fake desk behind the IPC: the shared request
// register says who handles each request and follows a colleague within 5 s (Playwright's
// clock jumps them), the open request says a colleague changed it while the note being typed
// stays; a revoke-all and a production bulk run held for approval go on by themselves once a
// supervisor approves ("Approved by …" beside the result), or say the rejection and its note.
// Each new state is scanned with axe (WCAG 2.2 AA) and nothing may stick out sideways. EN light
// and RU dark at the smallest window (820×560) and a common one (1280×800); screenshots under
// test-results/team-live-*.png for a person to look at.
import AxeBuilder from '@axe-core/playwright'
import { test, expect, snap } from './fixtures'
import type { Locator, Page } from '@playwright/test'
import { aRequest, cards1234, lookupOf, productionProfile, sandboxProfile, status } from '../src/test/fixtures'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

const WORDS = {
  en: { handled: 'Being handled by Vera Sokolova', notTaken: 'Not taken yet', boris: 'Being handled by Boris Petrov', updated: 'Updated by a colleague just now', approved: 'Approved by Olga Lead: “Erasure SUP-1190: identity checked by phone”', rejected: 'Rejected by Olga Lead: “Dry run shows 52 rows held: check them first”', bulkApproved: 'Approved by Olga Lead: “Dry run checked”', openJob: 'Open job requests-oct.csv', run: 'Run — remove 7 cards' },
  ru: { handled: 'В работе у Vera Sokolova', notTaken: 'Никто не взял', boris: 'В работе у Boris Petrov', updated: 'Только что обновлено коллегой', approved: 'Одобрил(а) Olga Lead: «Erasure SUP-1190: identity checked by phone»', rejected: 'Отклонил(а) Olga Lead: «Dry run shows 52 rows held: check them first»', bulkApproved: 'Одобрил(а) Olga Lead: «Dry run checked»', openJob: 'Открыть задание requests-oct.csv', run: 'Запустить — удалить 7 карт' },
} as const

const WINDOWS = [
  { name: 'small', width: 820, height: 560 },
  { name: 'wide', width: 1280, height: 800 },
] as const
const LOOKS = [
  { locale: 'en', theme: 'light' },
  { locale: 'ru', theme: 'dark' },
] as const

const team = { setup: { host: 'db.example.com', port: 5432, database: 'carddesk', user: 'anna', deskName: 'Anna’s laptop' }, passwordStored: true, supervisor: false }
const identified = { asked: 'e-mail on file', matched: true, by: 'anna', at: '2026-12-01T09:40:00Z' }
const prod = { ...productionProfile, hasPassword: true }

type Desk = { state: { colleague: { takeRequest: (id: string, who: string) => void; decide: (a: string, s: string, ok: boolean, note: string) => void } } }
const colleagueTakes = (page: Page, id: string, who: string) =>
  page.evaluate(([i, w]) => (window as unknown as { __DESK__: Desk }).__DESK__.state.colleague.takeRequest(i!, w!), [id, who])
const supervisorDecides = (page: Page, action: string, subject: string, ok: boolean, note: string) =>
  page.evaluate(([a, s, o, n]) => (window as unknown as { __DESK__: Desk }).__DESK__.state.colleague.decide(a as string, s as string, o as boolean, n as string), [action, subject, ok, note] as const)

async function shot(page: Page, target: Locator, name: string) {
  await target.evaluate((el) => {
    el.scrollIntoView({ block: 'start' })
    window.scrollBy(0, -64)
  })
  await snap(page, name)
}

async function noSidewaysScroll(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
}

async function scan(page: Page, state: string) {
  await page.evaluate(() => {
    const main = document.querySelector<HTMLElement>('main#main')
    if (main) main.style.backgroundColor = 'var(--bg)'
  })
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze()
  expect.soft(violations.map((v) => ({ state, rule: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }))).toEqual([])
}

async function prepare(page: Page, size: { width: number; height: number }, locale: string, theme: string) {
  await page.setViewportSize({ width: size.width, height: size.height })
  await page.addInitScript(
    ({ l, th }) => {
      localStorage.setItem('carddesk.locale', l)
      localStorage.setItem('carddesk.theme', th)
    },
    { l: locale, th: theme },
  )
}

for (const size of WINDOWS) {
  for (const { locale, theme } of LOOKS) {
    const w = WORDS[locale]
    const tag = `${locale}-${theme}-${size.name}`

    test(`the shared register, live, ${locale} ${theme}, ${size.width}×${size.height}`, async ({ page, mockDesk }) => {
      await prepare(page, size, locale, theme)
      const taken = aRequest({ kind: 'erasure152', ticket: 'SUP-1182', assignee: 'Vera Sokolova', status: { state: 'in_progress' }, identityChecks: [identified] })
      const fresh = aRequest({ ticket: 'SUP-1190', subjects: [{ customerNumber: '5678', profile: { profile: 'sandbox' } }] })
      const other = aRequest({ kind: 'erasure_gdpr', ticket: 'GDPR-114', assignee: 'Anna Ivanova', status: { state: 'in_progress' }, identityChecks: [identified] })
      await mockDesk({ status: status(), lookups: {}, team, requests: [taken, fresh, other] })
      await page.clock.install()
      await page.goto('/')
      await page.getByTestId('nav-requests').click()
      const row = (id: string) => page.locator(`[data-testid="request-row"][data-id="${id}"]`)
      await expect(row(taken.id)).toContainText(w.handled)
      await expect(row(fresh.id)).toContainText(w.notTaken)
      await shot(page, page.getByTestId('request-table'), `team-live-list-${tag}`)
      await noSidewaysScroll(page, size.width)

      await colleagueTakes(page, fresh.id, 'Boris Petrov')
      await page.clock.fastForward(5200)
      await expect(row(fresh.id)).toContainText(w.boris)
      await scan(page, 'requests, team: who handles each')

      // the open request: a note being typed stays while a colleague's change comes in
      await row(taken.id).getByRole('button').click()
      const detail = page.getByTestId('request-detail')
      await expect(detail.getByTestId('request-title').locator('..')).toContainText(w.handled)
      await detail.getByTestId('request-note-text').fill('Called the customer back')
      await colleagueTakes(page, taken.id, 'Boris Petrov')
      await page.clock.fastForward(5200)
      await expect(page.getByTestId('request-team-live')).toContainText(w.updated)
      await expect(detail.getByTestId('request-title').locator('..')).toContainText(w.boris)
      await expect(detail.getByTestId('request-note-text')).toHaveValue('Called the customer back')
      await shot(page, page.getByTestId('request-team-live'), `team-live-detail-${tag}`)
      await noSidewaysScroll(page, size.width)
      await scan(page, 'a request, team: changed by a colleague')
    })

    test(`revoke-all held, then approved or rejected, ${locale} ${theme}, ${size.width}×${size.height}`, async ({ page, mockDesk }) => {
      await prepare(page, size, locale, theme)
      await mockDesk({
        status: status({ activeProfileId: 'p-prod', profiles: [sandboxProfile, prod] }),
        lookups: { '1234': lookupOf('1234', cards1234, { profileId: 'p-prod', profileName: prod.name, environment: 'production' }) },
        team,
      })
      await page.clock.install()
      await page.goto('/')
      await page.locator('#customer').fill('1234')
      await page.keyboard.press('Enter')
      await expect(page.getByTestId('customer-heading')).toContainText('1234')
      await page.getByTestId('customer-revoke-all').click()
      const dialog = page.getByTestId('revoke-all-dialog')
      await dialog.getByTestId('revoke-ticket').fill('GDPR-114')
      await dialog.getByTestId('revoke-confirm-customer').fill('1234')
      await dialog.getByTestId('revoke-confirm-customer').press('Enter')
      await page.clock.fastForward(5_200)
      await expect(dialog.getByTestId('approval-wait')).toHaveAttribute('data-state', 'waiting')
      await snap(page, `team-live-held-${tag}`)

      await supervisorDecides(page, 'revoke_all', '1234', true, 'Erasure SUP-1190: identity checked by phone')
      await page.clock.fastForward(5_200)
      // no second click: the removal goes on by itself, on Olga's approval
      await page.clock.fastForward(3_000)
      await expect(dialog.getByTestId('revoke-all-result')).toBeVisible()
      await expect(dialog.getByTestId('approval-used')).toContainText(w.approved)
      await snap(page, `team-live-approved-${tag}`)
      await noSidewaysScroll(page, size.width)
      await scan(page, 'revoke-all: approved')
    })

    test(`a production bulk run held, then rejected, then approved, ${locale} ${theme}, ${size.width}×${size.height}`, async ({ page, mockDesk }) => {
      await prepare(page, size, locale, theme)
      await mockDesk({
        status: status({ activeProfileId: 'p-prod', profiles: [sandboxProfile, prod] }),
        lookups: {},
        team,
        bulk: { jobs: [{ id: 'job-planned', source: '/home/anna/requests-oct.csv', created: '2026-11-20T09:30:00Z', rows: 14, stage: 'planned', profileId: 'p-prod' }] },
      })
      await page.clock.install()
      await page.goto('/')
      await page.getByTestId('nav-bulk').click()
      await page.getByRole('button', { name: w.openJob }).click()
      await page.getByTestId('bulk-confirm').fill('7')
      await page.getByRole('button', { name: w.run }).click()
      const held = page.getByTestId('bulk-pass-error')
      await expect(held.getByTestId('approval-wait')).toHaveAttribute('data-state', 'waiting')

      await supervisorDecides(page, 'bulk_run', 'job-planned', false, 'Dry run shows 52 rows held: check them first')
      await page.clock.fastForward(5_200)
      await expect(held.getByTestId('approval-wait-live')).toContainText(w.rejected)
      await shot(page, held, `team-live-bulk-rejected-${tag}`)
      await scan(page, 'bulk: rejected')

      // asked again, and approved
      await page.getByRole('button', { name: w.run }).click()
      await expect(held.getByTestId('approval-wait')).toHaveAttribute('data-state', 'waiting')
      await supervisorDecides(page, 'bulk_run', 'job-planned', true, 'Dry run checked')
      await page.clock.fastForward(5_200)
      // no second click: the run goes on by itself, on Olga's approval, to the end
      await expect(page.getByTestId('approval-used')).toContainText(w.bulkApproved)
      await page.clock.fastForward(3_000)
      await expect(page.getByTestId('bulk-job-detail')).toHaveAttribute('data-phase', 'finished')
      await shot(page, page.getByTestId('approval-used'), `team-live-bulk-approved-${tag}`)
      await noSidewaysScroll(page, size.width)
      await scan(page, 'bulk: approved')
    })
  }
}
