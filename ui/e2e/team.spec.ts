// Settings → Team (issue 17) in Chromium with the fake desk behind the IPC: team mode off with
// what it does, the form set up with a port and a database name the UI refuses (each beside
// its field; Rust's own field errors take the same place, see src/views/TeamPanel.test.ts),
// Test connection's verdict, Save with the password (which never reaches the page again), the
// status line while the team database is away ("behind by N") and after it is back, and
// turning team mode off, which asks first. Walked in English light
// and Russian dark, at the app's default window and its smallest (820×560); screenshots under
// test-results/team-*.png for a person to look at, and nothing may stick out sideways.
import { test, expect, snap } from './fixtures'
import type { Locator, Page } from '@playwright/test'
import { sandboxProfile, status, testProfile } from '../src/test/fixtures'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

const WORDS = {
  en: {
    settings: 'Settings',
    setUp: 'Set up team mode',
    host: 'Host',
    port: 'Port',
    database: 'Database',
    user: 'User',
    deskName: 'Desk name',
    password: 'Password',
    test: 'Test connection',
    save: 'Save',
    turnOff: 'Turn off team mode',
    off: 'Team mode is off',
    portRule: 'A number from 1 to 65535',
    databaseRule: 'At most 63 bytes',
    verdict: 'Connected to PostgreSQL 16.4',
    created: 'Created the schema (V1__team_trail, V2__request_register)',
    tls: 'Encrypted (TLS)',
    behind: 'Team trail behind by 7 entries',
    unreachable: 'could not reach PostgreSQL',
    upToDate: 'Team trail up to date (7 entries)',
    dialog: 'Turn off team mode?',
    cancel: 'Cancel',
  },
  ru: {
    settings: 'Настройки',
    setUp: 'Настроить командный режим',
    host: 'Сервер',
    port: 'Порт',
    database: 'База данных',
    user: 'Пользователь',
    deskName: 'Название рабочего места',
    password: 'Пароль',
    test: 'Проверить подключение',
    save: 'Сохранить',
    turnOff: 'Выключить командный режим',
    off: 'Командный режим выключен',
    portRule: 'Число от 1 до 65535',
    databaseRule: 'Не длиннее 63 байт',
    verdict: 'Подключено к PostgreSQL 16.4',
    created: 'Схема создана (V1__team_trail, V2__request_register)',
    tls: 'Зашифровано (TLS)',
    behind: 'Общий журнал отстаёт на 7 записей',
    unreachable: 'Не удалось связаться с базой команды',
    upToDate: 'Общий журнал в актуальном состоянии (7 записей)',
    dialog: 'Выключить командный режим?',
    cancel: 'Отмена',
  },
} as const

const WINDOWS = [
  { name: 'normal', width: 1180, height: 780 },
  { name: 'small', width: 820, height: 560 },
] as const
const LOOKS = [
  { locale: 'en', theme: 'light' },
  { locale: 'ru', theme: 'dark' },
] as const

/** The page scrolled so that `target` is in view, then a screenshot of the window. */
async function shot(page: Page, target: Locator, name: string) {
  await target.evaluate((el) => el.scrollIntoView({ block: 'center' }))
  await snap(page, name)
}

async function noSidewaysScroll(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
}

for (const size of WINDOWS) {
  for (const { locale, theme } of LOOKS) {
    const w = WORDS[locale]
    const tag = `${locale}-${theme}-${size.name}`

    test(`team mode walk-through, ${locale} ${theme}, ${size.width}×${size.height}`, async ({ page, mockDesk }) => {
      await page.setViewportSize({ width: size.width, height: size.height })
      await page.addInitScript(
        ({ l, th }) => {
          localStorage.setItem('carddesk.locale', l)
          localStorage.setItem('carddesk.theme', th)
        },
        { l: locale, th: theme },
      )
      await mockDesk({
        status: status({ profiles: [sandboxProfile, testProfile] }),
        lookups: {},
        team: { unreachable: true, localLast: 7 },
      })
      await page.goto('/')
      await page.getByTestId('nav-settings').click()
      await expect(page.getByRole('heading', { name: w.settings, level: 1 })).toBeVisible()
      const panel = page.getByTestId('team')
      const status_ = panel.getByTestId('team-status')

      // off: what team mode does, and the way in
      await expect(status_).toContainText(w.off)
      await shot(page, panel, `team-off-${tag}`)

      await panel.getByRole('button', { name: w.setUp }).click()
      await expect(panel.getByLabel(w.host, { exact: true })).toBeFocused()
      await expect(panel.getByLabel(w.port, { exact: true })).toHaveValue('5432')
      await panel.getByLabel(w.host, { exact: true }).fill('db.example.com')
      await panel.getByLabel(w.port, { exact: true }).fill('70000')
      await panel.getByLabel(w.database, { exact: true }).fill('d'.repeat(64))
      await panel.getByLabel(w.user, { exact: true }).fill('anna')
      await panel.getByLabel(w.deskName, { exact: true }).fill('Anna’s laptop')
      await panel.getByRole('button', { name: w.test }).click()
      // each mistake beside its field, the first one focused, nothing sent
      await expect(panel.locator('#team-port-error')).toContainText(w.portRule)
      await expect(panel.locator('#team-database-error')).toContainText(w.databaseRule)
      await expect(panel.getByLabel(w.database, { exact: true })).toHaveAttribute('aria-invalid', 'true')
      await expect(panel.getByLabel(w.port, { exact: true })).toBeFocused()
      await shot(page, panel.locator('#team-port-error'), `team-field-errors-${tag}`)
      await noSidewaysScroll(page, size.width)
      await panel.getByLabel(w.port, { exact: true }).fill('5432')
      await panel.getByLabel(w.database, { exact: true }).fill('carddesk')

      // Test connection with what is typed
      await panel.getByLabel(w.password, { exact: true }).fill('s3cret-Team-pw')
      // the database is away: the test says so in the window's language, not beside a field
      await panel.getByRole('button', { name: w.test }).click()
      await expect(panel.getByTestId('team-error')).toContainText(w.unreachable)
      await expect(panel.locator('[aria-invalid="true"]')).toHaveCount(0)
      await shot(page, panel.getByTestId('team-error'), `team-test-failed-${tag}`)
      await page.evaluate(() => ((window as unknown as { __DESK__: { state: { team: { unreachable: boolean } } } }).__DESK__.state.team.unreachable = false))
      await panel.getByRole('button', { name: w.test }).click()
      const verdict = panel.getByTestId('team-verdict')
      await expect(verdict).toContainText(w.verdict)
      await expect(verdict).toContainText(w.created)
      await expect(verdict).toContainText(w.tls)
      await shot(page, verdict, `team-verdict-${tag}`)
      await noSidewaysScroll(page, size.width)

      // saved while the database has gone away again: behind by 7, and why
      await page.evaluate(() => ((window as unknown as { __DESK__: { state: { team: { unreachable: boolean } } } }).__DESK__.state.team.unreachable = true))
      await panel.getByRole('button', { name: w.save, exact: true }).click()
      await expect(status_).toContainText(w.behind)
      await expect(status_).toContainText(w.unreachable)
      await expect(panel.getByLabel(w.password, { exact: true })).toHaveValue('')
      expect(await page.content()).not.toContain('s3cret-Team-pw')
      await shot(page, panel.getByTestId('team-chip'), `team-behind-${tag}`)
      await expect(panel.getByTestId('team-saved')).not.toBeEmpty()
      await shot(page, panel.getByTestId('team-saved'), `team-saved-${tag}`)
      await noSidewaysScroll(page, size.width)

      // back: the status line catches up on its own
      await page.evaluate(() => ((window as unknown as { __DESK__: { state: { team: { unreachable: boolean } } } }).__DESK__.state.team.unreachable = false))
      await expect(status_).toContainText(w.upToDate, { timeout: 6000 })
      await shot(page, panel.getByTestId('team-chip'), `team-up-to-date-${tag}`)

      // turning off asks first
      await panel.getByRole('button', { name: w.turnOff }).click()
      const dialog = page.getByTestId('team-off-dialog')
      await expect(dialog.getByRole('heading', { name: w.dialog })).toBeVisible()
      await snap(page, `team-turn-off-${tag}`)
      await dialog.getByRole('button', { name: w.turnOff }).click()
      await expect(status_).toContainText(w.off)
      await expect(panel.getByRole('button', { name: w.setUp })).toBeFocused()
      await noSidewaysScroll(page, size.width)
    })
  }
}
