// The audit view's "Whole team" (issue 17) in Chromium with the fake desk behind the IPC: the
// "This desk / Whole team" switch reached by keyboard, the team trail with its Desk column and a
// line that does not read back, an entry's details naming its desk, the profile filter off with
// why, a filter no team entry matches, the team database away (said in the window's language,
// then back), and a count that stops at 10,000. Walked in English light and Russian dark at the
// smallest window (820×560) and a wide one (1280×800); screenshots under
// test-results/audit-team-*.png for a person to look at, and nothing may stick out sideways.
import { test, expect, snap } from './fixtures'
import type { Locator, Page } from '@playwright/test'
import { auditEntry, auditSample, productionProfile, sandboxProfile, status } from '../src/test/fixtures'
import type { TeamSeed } from '../src/test/fakeDesk'
import type { TeamAuditEntry } from '../src/lib/ipc'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

const WORDS = {
  en: {
    team: 'Whole team',
    desk: 'This desk',
    deskCol: 'Desk',
    unreadable: 'Entry #40 of Boris — front desk: not readable — run carddesk audit verify --team',
    details: 'Details of entry #42 of Boris — front desk',
    profileNote: 'Not for the whole team',
    noMatch: 'No entries from the team match these filters.',
    away: 'The team database cannot be reached',
    awayMessage: 'could not reach PostgreSQL',
    retry: 'Retry',
    showing: 'Showing 1–6 of 6 entries',
    capped: 'Showing 1–50 of 10,000+ entries',
  },
  ru: {
    team: 'Вся команда',
    desk: 'Это рабочее место',
    deskCol: 'Рабочее место',
    unreadable: 'Запись №40 рабочего места «Boris — front desk» не читается — выполните carddesk audit verify --team',
    details: 'Подробности записи №42 рабочего места «Boris — front desk»',
    profileNote: 'Не для всей команды',
    noMatch: 'Нет записей команды, подходящих под эти фильтры.',
    away: 'База команды недоступна',
    awayMessage: 'Не удалось связаться с базой команды',
    retry: 'Повторить',
    showing: 'Показаны 1–6 из 6 записей',
    capped: 'Показаны 1–50 из 10 000+ записей',
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

const prod = { ...productionProfile, hasPassword: true }
const teamOn: TeamSeed = {
  setup: { host: 'db.example.com', port: 5432, database: 'carddesk', user: 'anna', deskName: 'Anna’s laptop' },
  passwordStored: true,
}

/** The page scrolled so that `target` is in view, then a screenshot of the window. */
async function shot(page: Page, target: Locator, name: string) {
  await target.evaluate((el) => el.scrollIntoView({ block: 'center' }))
  await snap(page, name)
}

async function noSidewaysScroll(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
}

async function setLook(page: Page, locale: string, theme: string) {
  await page.addInitScript(
    ({ l, th }) => {
      localStorage.setItem('carddesk.locale', l)
      localStorage.setItem('carddesk.theme', th)
    },
    { l: locale, th: theme },
  )
}

const setUnreachable = (page: Page, away: boolean) =>
  page.evaluate((a) => ((window as unknown as { __DESK__: { state: { team: { unreachable: boolean } } } }).__DESK__.state.team.unreachable = a), away)

for (const size of WINDOWS) {
  for (const { locale, theme } of LOOKS) {
    const w = WORDS[locale]
    const tag = `${locale}-${theme}-${size.name}`

    test(`whole team walk-through, ${locale} ${theme}, ${size.width}×${size.height}`, async ({ page, mockDesk }) => {
      await page.setViewportSize({ width: size.width, height: size.height })
      await setLook(page, locale, theme)
      await mockDesk({ status: status({ profiles: [sandboxProfile, prod] }), lookups: {}, audit: auditSample, team: teamOn })
      await page.goto('/')
      await page.getByTestId('nav-audit').click()
      const rows = page.getByTestId('audit-row')
      await expect(rows).toHaveCount(13)

      // the switch, by keyboard
      const desk = page.getByRole('button', { name: w.desk, exact: true })
      const team = page.getByRole('button', { name: w.team, exact: true })
      await expect(desk).toHaveAttribute('aria-pressed', 'true')
      await snap(page, `audit-team-switch-${tag}`)
      await desk.focus()
      await page.keyboard.press('Tab')
      await expect(team).toBeFocused()
      await page.keyboard.press('Space')
      await expect(team).toHaveAttribute('aria-pressed', 'true')

      // the team trail: every desk, one line unreadable, no Export/Verify but the command
      await expect(rows).toHaveCount(6)
      await expect(page.getByTestId('audit-showing')).toHaveText(w.showing)
      await expect(page.getByRole('columnheader', { name: w.deskCol })).toBeVisible()
      await expect(page.getByTestId('audit-unreadable')).toHaveText(w.unreadable)
      await expect(page.getByTestId('audit-verify')).toHaveCount(0)
      await expect(page.getByTestId('audit-export-csv')).toHaveCount(0)
      await expect(page.getByTestId('audit-team-note')).toContainText('carddesk audit verify --team')
      await expect(page.getByTestId('audit-profile')).toBeDisabled()
      await expect(page.getByTestId('audit-profile-note')).toHaveText(w.profileNote)
      await snap(page, `audit-team-${tag}`)
      await snap(page, `audit-team-full-${tag}`, true)
      await shot(page, page.locator('[data-testid=audit-row][data-unreadable]'), `audit-team-unreadable-${tag}`)
      await noSidewaysScroll(page, size.width)

      // a readable entry's details name its desk
      await page.getByRole('button', { name: w.details }).click()
      const details = page.getByTestId('audit-details')
      await expect(details.getByTestId('audit-detail-desk')).toHaveText('Boris — front desk')
      await shot(page, details, `audit-team-details-${tag}`)
      await noSidewaysScroll(page, size.width)

      // filters no team entry matches
      await page.getByTestId('audit-outcome').selectOption('removed')
      await expect(rows).toHaveCount(1)
      await page.getByTestId('audit-operator').fill('nobody')
      await expect(page.getByTestId('audit-empty')).toContainText(w.noMatch)
      await shot(page, page.getByTestId('audit-empty'), `audit-team-no-match-${tag}`)
      await page.getByTestId('audit-clear').click()
      await expect(rows).toHaveCount(6)

      // the team database away, then back
      await setUnreachable(page, true)
      await desk.click()
      await expect(rows).toHaveCount(13)
      await team.click()
      const error = page.getByTestId('audit-team-error')
      await expect(error).toContainText(w.away)
      await expect(error).toContainText(w.awayMessage)
      await shot(page, error, `audit-team-away-${tag}`)
      await noSidewaysScroll(page, size.width)
      await setUnreachable(page, false)
      await error.getByRole('button', { name: w.retry }).click()
      await expect(rows).toHaveCount(6)
    })

    test(`a count that stops at 10,000, ${locale} ${theme}, ${size.width}×${size.height}`, async ({ page, mockDesk }) => {
      await page.setViewportSize({ width: size.width, height: size.height })
      await setLook(page, locale, theme)
      const entries: TeamAuditEntry[] = Array.from({ length: 60 }, (_, i) => ({
        deskId: i % 3 ? '5b2d9c14-8e0f-4a31-b7c6-2d9e4f1a3b58' : '0f8e2a51-3c47-4d0b-9a6e-5b1c7d2e4f60',
        deskName: i % 3 ? 'Boris — front desk' : 'Anna’s laptop',
        seq: 9000 - i,
        entry: auditEntry({ seq: 9000 - i, customer: String(100700 + i) }),
      }))
      await mockDesk({
        status: status({ profiles: [sandboxProfile, prod] }),
        lookups: {},
        audit: auditSample,
        team: teamOn,
        teamTrail: { entries, counted: { total: 10_000, capped: true } },
      })
      await page.goto('/')
      await page.getByTestId('nav-audit').click()
      await page.getByRole('button', { name: w.team, exact: true }).click()
      await expect(page.getByTestId('audit-row')).toHaveCount(50)
      await expect(page.getByTestId('audit-showing')).toHaveText(w.capped)
      await expect(page.getByTestId('audit-older')).toBeEnabled()
      await shot(page, page.getByTestId('audit-showing'), `audit-team-capped-${tag}`)
      await noSidewaysScroll(page, size.width)
    })
  }
}
