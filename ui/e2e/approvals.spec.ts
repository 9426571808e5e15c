// Four-eyes (issue 17) in Chromium with the fake desk behind the IPC: Settings → Team →
// Approvals as a supervisor (what waits, with the masked cards and the dry run's counts; Approve
// asks for a note, refuses an empty one beside the field, then decides and says so; the
// decision among the recent ones; the policy saved), the same as an agent (read-only, a line
// saying only a supervisor decides), and the agent's revoke-all on production held for approval
// in the dialog (waiting, not failed). Walked in English light and Russian dark at the smallest
// window (820×560) and a common one (1280×800); screenshots under test-results/approvals-*.png
// for a person to look at, and nothing may stick out sideways.
import { test, expect, snap } from './fixtures'
import type { Locator, Page } from '@playwright/test'
import { cards1234, lookupOf, productionProfile, sandboxProfile, status, testProfile } from '../src/test/fixtures'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

const WORDS = {
  en: {
    settings: 'Settings',
    approve: 'Approve: Remove all cards of customer 1234',
    confirm: 'Approve with this note',
    note: 'Note',
    noteRequired: 'Write a note: say why.',
    approved: 'Approved: Remove all cards of customer 1234.',
    used: 'Approved',
    limitLabel: 'More than (cards)',
    over: 'Any run above a number of cards, in any environment',
    save: 'Save policy',
    saved: 'Policy saved.',
    agent: 'Only a supervisor decides.',
    waitingTitle: 'Waiting for a supervisor’s approval',
  },
  ru: {
    settings: 'Настройки',
    approve: 'Одобрить: Удалить все карты клиента 1234',
    confirm: 'Одобрить с этим комментарием',
    note: 'Комментарий',
    noteRequired: 'Напишите комментарий: объясните решение.',
    approved: 'Одобрено: Удалить все карты клиента 1234.',
    used: 'Одобрено',
    limitLabel: 'Больше чем (карт)',
    over: 'Любому запуску больше заданного числа карт, в любой среде',
    save: 'Сохранить правило',
    saved: 'Правило сохранено.',
    agent: 'Решает только руководитель.',
    waitingTitle: 'Ждёт одобрения руководителя',
  },
} as const

const WINDOWS = [
  { name: 'small', width: 820, height: 560 },
  { name: 'wide', width: 1280, height: 800 },
] as const
const LOOKS = [
  { locale: 'en', theme: 'light' },
  { locale: 'ru', theme: 'dark' },
] as const

const team = { setup: { host: 'db.example.com', port: 5432, database: 'carddesk', user: 'anna', deskName: 'Anna’s laptop' }, passwordStored: true }

/** The page scrolled so that `target` is near the top (clear of the environment banner), then a screenshot of the window. */
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

    test(`approvals as a supervisor, then as an agent, ${locale} ${theme}, ${size.width}×${size.height}`, async ({ page, mockDesk }) => {
      await prepare(page, size, locale, theme)
      await mockDesk({ status: status({ profiles: [sandboxProfile, testProfile] }), lookups: {}, team })
      await page.goto('/')
      await page.getByTestId('nav-settings').click()
      await expect(page.getByRole('heading', { name: w.settings, level: 1 })).toBeVisible()
      const panel = page.getByTestId('approvals')
      await expect(panel.getByTestId('approvals-count')).toHaveText('2')
      await shot(page, panel, `approvals-waiting-${tag}`)
      await shot(page, panel.locator('[data-action="bulk_run"]'), `approvals-bulk-${tag}`)
      await noSidewaysScroll(page, size.width)

      // Approve asks for a note; an empty one is refused beside the field
      await panel.getByRole('button', { name: w.approve }).click()
      const note = panel.getByLabel(w.note, { exact: true })
      await expect(note).toBeFocused()
      await panel.getByRole('button', { name: w.confirm }).click()
      await expect(panel.locator('#approval-note-error')).toHaveText(w.noteRequired)
      await expect(note).toHaveAttribute('aria-invalid', 'true')
      await shot(page, panel.getByTestId('approval-form'), `approvals-note-${tag}`)
      await noSidewaysScroll(page, size.width)
      await note.fill('Erasure request SUP-1190: identity checked by phone')
      await panel.getByRole('button', { name: w.confirm }).click()
      await expect(panel.getByTestId('approvals-live')).toContainText(w.approved)
      await expect(panel.getByTestId('approvals-count')).toHaveText('1')
      await expect(panel.getByTestId('approval-decided').first()).toContainText('SUP-1190')
      await shot(page, panel.getByTestId('approvals-decided'), `approvals-decided-${tag}`)

      // the policy: a limit by size, saved
      await panel.getByLabel(w.over, { exact: true }).check()
      await panel.getByLabel(w.limitLabel, { exact: true }).fill('500')
      await panel.getByRole('button', { name: w.save }).click()
      await expect(panel.getByTestId('approvals-policy-live')).toContainText(w.saved)
      await shot(page, panel.getByTestId('approvals-policy'), `approvals-policy-${tag}`)
      await noSidewaysScroll(page, size.width)

      // the same desk as an agent: read-only, said so (the panel re-reads every 5 s)
      await page.evaluate(() => ((window as unknown as { __DESK__: { state: { team: { supervisor: boolean } } } }).__DESK__.state.team.supervisor = false))
      await expect(panel.getByTestId('approvals-role')).toContainText(w.agent, { timeout: 8000 })
      await expect(panel.getByTestId('approval-approve')).toHaveCount(0)
      await expect(panel.getByLabel(w.over, { exact: true })).toBeDisabled()
      await shot(page, panel, `approvals-agent-${tag}`)
      await noSidewaysScroll(page, size.width)
    })

    test(`an agent's revoke-all on production waits for approval, ${locale} ${theme}, ${size.width}×${size.height}`, async ({ page, mockDesk }) => {
      await prepare(page, size, locale, theme)
      const prod = { ...productionProfile, hasPassword: true }
      await mockDesk({
        status: status({ activeProfileId: 'p-prod', profiles: [sandboxProfile, prod] }),
        lookups: { '1234': lookupOf('1234', cards1234, { profileId: 'p-prod', profileName: prod.name, environment: 'production' }) },
        team: { ...team, supervisor: false },
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
      await expect(dialog.getByTestId('revoke-countdown')).toBeVisible()
      await page.clock.fastForward(5_200)
      const error = dialog.getByTestId('error')
      await expect(error).toHaveAttribute('data-code', 'awaiting_approval')
      await expect(error).toContainText(w.waitingTitle)
      await expect(dialog.locator('[data-failure]')).toBeFocused()
      await snap(page, `approvals-awaiting-${tag}`)
      await noSidewaysScroll(page, size.width)
    })
  }
}
