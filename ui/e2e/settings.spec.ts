// Settings in Chromium with the fake desk behind the IPC: adding a profile (client-side rules,
// the backend's field-naming validation message, presets suggesting the environment), the
// password that only goes in, testing the connection, switching the active profile (the banner
// follows), deleting with a confirmation, app settings and clearing the cache, the ticket
// write-back's address, secret and outbox.
import { test, expect, ipcCalls, snap } from './fixtures'
import type { Page } from '@playwright/test'
import { productionProfile, sandboxProfile, status, testProfile } from '../src/test/fixtures'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

async function openSettings(page: Page) {
  await page.goto('/')
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible()
}

const desk = (page: Page) =>
  page.evaluate(() => (window as unknown as { __DESK__: { state: { passwords: Record<string, string>; status: { activeProfileId: string } } } }).__DESK__.state)

test('add a profile: rules next to the fields, a backend message beside its field, then saved', async ({ page, mockDesk }) => {
  await mockDesk({ status: status({ profiles: [sandboxProfile, testProfile] }), lookups: {} })
  await openSettings(page)
  await expect(page.getByTestId('profile-row')).toHaveCount(2)
  await expect(page.getByTestId('profile-row').first()).toContainText('built-in')
  await expect(page.getByTestId('profile-row').first().getByRole('button', { name: /Edit/ })).toHaveCount(0)
  await snap(page, 'settings', true)

  await page.getByRole('button', { name: 'Add profile' }).click()
  const form = page.getByTestId('profile-form')
  await expect(form.getByLabel('Name')).toBeFocused()
  // a preset suggests its environment
  await form.getByLabel('Gateway host').selectOption('https://payments.paysecure.ru')
  await expect(form.getByLabel('Environment')).toHaveValue('production')
  await expect(form).toContainText('Production: lookups and removals affect real customers.')
  await form.getByLabel('Gateway host').selectOption('custom')
  await expect(form.getByLabel('Base URL')).toHaveValue('https://payments.paysecure.ru')
  await form.getByLabel('Base URL').fill('http://payments.example.ru')
  await form.getByLabel('Merchant id').fill('45a2739')
  await form.getByLabel('Login').fill('A_LOGIN_THAT_IS_TOO_LONG_X')
  await form.getByLabel('Password', { exact: true }).fill('x'.repeat(31))
  await form.getByRole('button', { name: 'Save profile' }).click()
  await expect(form).toContainText('Name: required, 1–60 characters.')
  await expect(form).toContainText('Base URL: must start with https://')
  await expect(form).toContainText('Merchant id: digits only, 1–15 of them.')
  await expect(form).toContainText('Login: required, at most 20 characters.')
  await expect(form).toContainText('Password: at most 30 characters.')
  await expect(form.getByLabel('Name')).toBeFocused()
  await snap(page, 'settings-form-errors', true)
  expect((await ipcCalls(page)).map((c) => c.cmd)).not.toContain('save_profile')

  // fixed locally; the backend still refuses the name (another profile has it) and says which field
  await form.getByLabel('Name').fill('shop TEST')
  await form.getByLabel('Base URL').fill('https://payments123.paysecure.ru')
  await form.getByLabel('Merchant id').fill('452739')
  await form.getByLabel('Login').fill('SHOP_API')
  await form.getByLabel('Password', { exact: true }).fill('S3cret-pass')
  await form.getByRole('button', { name: 'Save profile' }).click()
  await expect(page.getByTestId('form-error')).toContainText('name: must be unique')
  await expect(form.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true')
  await expect(form.locator('#pf-name-error')).toHaveText('name: must be unique (another profile has this name)')

  await form.getByLabel('Name').fill('Shop production 2')
  await form.getByRole('button', { name: 'Save profile' }).click()
  await expect(page.getByTestId('settings-message')).toHaveText('Profile “Shop production 2” added.')
  await expect(page.getByTestId('profile-row')).toHaveCount(3)
  await expect(page.getByTestId('profile-row').nth(2)).toContainText('password set')
  expect(Object.values((await desk(page)).passwords)).toEqual(['S3cret-pass'])

  // editing: the password field starts empty and says how to keep the current one
  await page.getByRole('button', { name: 'Edit profile Shop production 2' }).click()
  await expect(form.getByLabel('Password', { exact: true })).toHaveValue('')
  await expect(form).toContainText('Leave empty to keep the current password.')
  await form.getByRole('button', { name: 'Save profile' }).click()
  await expect(page.getByTestId('settings-message')).toHaveText('Profile “Shop production 2” saved.')
  const saves = (await ipcCalls(page)).filter((c) => c.cmd === 'save_profile').map((c) => c.args.password)
  expect(saves.at(-1)).toBeNull() // empty field: the password is kept, not replaced
})

test('test connection, use a profile (the banner follows), remove a password, delete', async ({ page, mockDesk }) => {
  await mockDesk({
    status: status({ profiles: [sandboxProfile, testProfile, productionProfile] }),
    lookups: {},
    connection: { 'p-test': { verdict: 'bad_credentials', message: '7/141 Authentication error (Login and/or Password)' } },
  })
  await openSettings(page)
  await page.getByRole('button', { name: 'Test connection of Sandbox' }).click()
  await expect(page.getByTestId('profile-row').nth(0).getByTestId('verdict')).toContainText('Connected: the gateway accepted the credentials.')
  await page.getByRole('button', { name: 'Test connection of Shop test' }).click()
  await expect(page.getByTestId('profile-row').nth(1).getByTestId('verdict')).toContainText('The gateway refused the login or password.')
  await expect(page.getByTestId('profile-row').nth(1).getByTestId('verdict')).toContainText('7/141')
  await page.getByRole('button', { name: 'Test connection of Shop production' }).click()
  await expect(page.getByTestId('profile-row').nth(2).getByTestId('verdict')).toHaveAttribute('data-verdict', 'no_password')
  await snap(page, 'settings-verdicts', true)

  await page.getByRole('button', { name: 'Use profile Shop test' }).click()
  await expect(page.getByTestId('env-banner')).toHaveAttribute('data-env', 'test')
  await expect(page.getByTestId('env-banner')).toContainText('Shop test')
  await expect(page.getByTestId('env-banner')).toHaveCSS('background-color', 'rgb(180, 83, 9)')

  await page.getByRole('button', { name: 'Edit profile Shop test' }).click()
  await page.getByRole('button', { name: 'Remove password' }).click()
  const remove = page.getByTestId('remove-password-dialog')
  await expect(remove).toBeVisible()
  await remove.getByRole('button', { name: 'Remove password' }).click()
  await expect(page.getByTestId('settings-message')).toContainText('was removed')
  await expect(page.getByTestId('profile-row').nth(1)).toContainText('no password')

  await page.getByRole('button', { name: 'Delete profile Shop production' }).click()
  const del = page.getByTestId('delete-dialog')
  await expect(del.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(del).toBeHidden()
  await expect(page.getByTestId('profile-row')).toHaveCount(3)
  await page.getByRole('button', { name: 'Delete profile Shop production' }).click()
  await del.getByRole('button', { name: 'Delete' }).click()
  await expect(page.getByTestId('profile-row')).toHaveCount(2)
  expect((await ipcCalls(page)).filter((c) => c.cmd === 'delete_profile')).toEqual([{ cmd: 'delete_profile', args: { id: 'p-prod' } }])
})

test('app settings and clearing the cache', async ({ page, mockDesk }) => {
  await mockDesk({ status: status(), lookups: {} })
  await openSettings(page)
  await page.getByLabel('Keep card lists fresh for').fill('99999')
  await expect(page.getByText('Freshness: a whole number of minutes from 0 to 10080')).toBeVisible()
  await page.getByLabel('Keep card lists fresh for').fill('60')
  await page.getByLabel('Remember looked-up customers').uncheck()
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByText('Settings saved')).toBeVisible()
  expect((await ipcCalls(page)).filter((c) => c.cmd === 'save_settings')).toEqual([
    {
      cmd: 'save_settings',
      args: {
        settings: {
          freshnessMinutes: 60, typedSearchSeconds: 60, recordLookups: false, requireTicket: true, recordViews: true, operatorName: '', webhookUrl: '',
          documents: { operatorName: '', operatorAddress: '', processorName: '', processorAddress: '', informationSystem: '' },
        },
      },
    },
  ])

  await page.getByRole('button', { name: 'Clear cache' }).click()
  const dialog = page.getByTestId('clear-cache-dialog')
  await expect(dialog).toContainText('Profiles, passwords and the audit log are untouched.')
  await snap(page, 'settings-clear-cache')
  await dialog.getByRole('button', { name: 'Clear cache' }).click()
  await expect(page.getByTestId('settings-message')).toContainText('The cache was cleared')
  expect((await ipcCalls(page)).map((c) => c.cmd)).toContain('clear_cache')

  // dark and Russian from the Appearance section
  await page.getByRole('combobox', { name: 'Language' }).selectOption('ru')
  await page.getByRole('combobox', { name: 'Тема' }).selectOption('dark')
  await expect(page.getByRole('heading', { name: 'Настройки', level: 1 })).toBeVisible()
  await snap(page, 'settings-ru-dark', true)
})

test('ticket write-back: the address, the secret that only goes in, a failed event sent again', async ({ page, mockDesk }) => {
  const failed = {
    id: '3f2c1e0a-6b7d-4c8e-9f10-1a2b3c4d5e6f',
    kind: 'card_removed' as const,
    requestId: '5f0c3f9e-2b1a-4c55-9d0e-8f1a2b3c4d5e',
    occurredAt: '2026-12-01T10:00:00Z',
    state: 'failed' as const,
    attempts: 3,
    nextAttemptAt: null,
    lastAttempt: { at: '2026-12-01T10:05:00Z', status: 401, error: null },
  }
  const waiting = {
    ...failed,
    id: '4a2c1e0a-6b7d-4c8e-9f10-1a2b3c4d5e6f',
    kind: 'status_changed' as const,
    requestId: '7a0c3f9e-2b1a-4c55-9d0e-8f1a2b3c4d5e',
    state: 'waiting' as const,
    attempts: 2,
    nextAttemptAt: '2026-12-01T10:09:00Z',
    lastAttempt: { at: '2026-12-01T10:08:00Z', status: null, error: 'could not connect: Connection refused (os error 111)' },
  }
  await mockDesk({
    status: status(),
    lookups: {},
    writeBack: {
      url: '',
      secretStored: false,
      delivering: false,
      pending: [failed, waiting],
      history: { deliveredTotal: 41, discardedTotal: 0, recent: [] },
      problem: null,
    },
  })
  await openSettings(page)
  const panel = page.getByTestId('webhook')
  await panel.getByLabel('Webhook address').fill('https://helpdesk.example.com/hooks/card-desk')
  await panel.getByRole('button', { name: 'Save address' }).click()
  await expect(panel.getByText('Address saved')).toBeVisible()
  await expect(panel.getByTestId('webhook-secret-state')).toContainText('No secret yet')
  await panel.getByLabel('Signing secret').fill('whsec_Known-Secret-0123456789')
  await panel.getByRole('button', { name: 'Save secret' }).click()
  await expect(panel.getByText('Secret saved in the keyring')).toBeVisible()
  await expect(panel.getByTestId('webhook-delivering')).toHaveText('Sending')
  expect((await desk(page)).passwords['webhook']).toBe('whsec_Known-Secret-0123456789')
  expect(await page.content()).not.toContain('whsec_Known-Secret-0123456789')
  await expect(panel.getByTestId('webhook-event')).toHaveCount(2)
  await panel.scrollIntoViewIfNeeded()
  await snap(page, 'settings-webhook')

  await panel.getByTestId('webhook-retry').click()
  await expect(panel.getByTestId('webhook-event').first()).toHaveAttribute('data-state', 'waiting')

  await page.getByRole('combobox', { name: 'Language' }).selectOption('ru')
  await page.getByRole('combobox', { name: 'Тема' }).selectOption('dark')
  await expect(panel.getByRole('heading', { name: 'Обратная связь с тикетами' })).toBeVisible()
  await panel.scrollIntoViewIfNeeded()
  await snap(page, 'settings-webhook-ru-dark')
})
