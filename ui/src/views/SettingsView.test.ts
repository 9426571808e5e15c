// Settings: the profile form's own rules and the backend's field-naming messages, saving, the
// password that only ever goes in (never echoed back into a field), connection verdicts in plain
// words, activating and deleting profiles, app settings, clearing the cache. "Saved" messages go
// into live regions that are there (empty) before.
import { describe, expect, test } from 'vitest'
import { screen, waitFor, within } from '@testing-library/svelte'
import { renderApp } from '../test/render'
import { productionProfile, sandboxProfile, status, testProfile } from '../test/fixtures'
import type { Seed } from '../test/fakeDesk'

async function openSettings(seed: Partial<Seed> = {}) {
  const r = await renderApp({ status: status({ profiles: [sandboxProfile, testProfile] }), lookups: {}, ...seed })
  await r.user.click(screen.getByRole('button', { name: 'Settings' }))
  await screen.findByRole('heading', { name: 'Settings', level: 1 })
  return r
}

describe('profiles list', () => {
  test('the built-in sandbox is marked and cannot be edited or deleted; others can', async () => {
    await openSettings()
    const [sandbox, shop] = screen.getAllByTestId('profile-row')
    expect(sandbox).toHaveTextContent('built-in')
    expect(sandbox).toHaveTextContent('active')
    expect(sandbox).toHaveTextContent('Built in, not editable')
    expect(within(sandbox!).queryByRole('button', { name: /Edit|Delete/ })).not.toBeInTheDocument()
    expect(within(shop!).getByRole('button', { name: 'Edit profile Shop test' })).toBeInTheDocument()
    expect(within(shop!).getByRole('button', { name: 'Delete profile Shop test' })).toBeInTheDocument()
    expect(shop).toHaveTextContent('password set')
  })

  test('when the keyring cannot be asked, the password status is unknown, not "no password"', async () => {
    await openSettings({ status: status({ profiles: [sandboxProfile, { ...testProfile, hasPassword: false, passwordUnknown: true }] }) })
    const shop = screen.getAllByTestId('profile-row')[1]
    expect(shop).toHaveTextContent('password status unknown (keyring unavailable)')
    expect(shop).not.toHaveTextContent('no password')
  })

  test('Test connection shows the verdict in plain words with the gateway’s message', async () => {
    const { user } = await openSettings({
      status: status({ profiles: [sandboxProfile, testProfile, productionProfile] }),
      connection: { 'p-test': { verdict: 'no_access', message: '19/350 No access to the web service' } },
    })
    await user.click(screen.getByRole('button', { name: 'Test connection of Shop test' }))
    const verdict = await within(screen.getAllByTestId('profile-row')[1]!).findByTestId('verdict')
    expect(verdict).toHaveAttribute('data-verdict', 'no_access')
    expect(verdict).toHaveTextContent('this merchant has no access to saved cards')
    expect(verdict).toHaveTextContent('19/350 No access to the web service')
    await user.click(screen.getByRole('button', { name: 'Test connection of Shop production' }))
    const none = await within(screen.getAllByTestId('profile-row')[2]!).findByTestId('verdict')
    expect(none).toHaveTextContent('This profile has no password. Add it to test the connection.')
    await user.click(within(none).getByRole('button', { name: 'Add password' }))
    expect(within(screen.getByTestId('profile-form')).getByLabelText('Password')).toHaveFocus()
  })

  test('Use this profile activates it and the environment banner follows', async () => {
    const { user, calls } = await openSettings()
    await user.click(screen.getByRole('button', { name: 'Use profile Shop test' }))
    await waitFor(() => expect(screen.getByTestId('env-banner')).toHaveAttribute('data-env', 'test'))
    expect(screen.getByTestId('env-banner')).toHaveTextContent('Shop test')
    expect(screen.getByTestId('settings-message')).toHaveTextContent('“Shop test” is now the active profile.')
    expect(calls('activate_profile')).toEqual([{ id: 'p-test' }])
  })

  test('Delete asks first; Cancel keeps the profile, Delete removes it', async () => {
    const { user, calls } = await openSettings()
    await user.click(screen.getByRole('button', { name: 'Delete profile Shop test' }))
    const dialog = screen.getByTestId('delete-dialog')
    expect(dialog).toHaveTextContent('Delete profile “Shop test”?')
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(calls('delete_profile')).toEqual([])
    await user.click(screen.getByRole('button', { name: 'Delete profile Shop test' }))
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }))
    await waitFor(() => expect(screen.getAllByTestId('profile-row')).toHaveLength(1))
    expect(calls('delete_profile')).toEqual([{ id: 'p-test' }])
  })
})

describe('profile form', () => {
  test('obvious mistakes are caught in the UI, next to their fields, before anything is sent', async () => {
    const { user, calls } = await openSettings()
    await user.click(screen.getByRole('button', { name: 'Add profile' }))
    const form = screen.getByTestId('profile-form')
    const field = (label: string) => within(form).getByLabelText(label)
    expect(field('Name')).toHaveFocus()
    await user.click(within(form).getByRole('button', { name: 'Save profile' }))
    expect(form).toHaveTextContent('Name: required, 1–60 characters.')
    expect(form).toHaveTextContent('Merchant id: digits only, 1–15 of them.')
    expect(form).toHaveTextContent('Login: required, at most 20 characters.')
    expect(field('Name')).toHaveAttribute('aria-invalid', 'true')
    expect(field('Name')).toHaveAccessibleDescription('Name: required, 1–60 characters.')
    expect(field('Name')).toHaveFocus()

    await user.type(field('Merchant id'), '12ab')
    await user.type(field('Login'), 'L'.repeat(21))
    await user.type(field('Password'), 'p'.repeat(31))
    expect(form).toHaveTextContent('Merchant id: digits only, 1–15 of them.')
    expect(form).toHaveTextContent('Login: required, at most 20 characters.')
    expect(form).toHaveTextContent('Password: at most 30 characters.')
    await user.selectOptions(field('Gateway host'), 'custom')
    await user.clear(field('Base URL'))
    await user.type(field('Base URL'), 'http://payments.example.ru')
    expect(form).toHaveTextContent('Base URL: must start with https://')
    expect(calls('save_profile')).toEqual([])
  })

  test('in Russian, the backend’s field message beside the field is Russian too', async () => {
    const { user } = await openSettings()
    await user.selectOptions(screen.getByTestId('language'), 'ru')
    await user.click(await screen.findByRole('button', { name: 'Добавить профиль' }))
    const form = screen.getByTestId('profile-form')
    const field = (label: string) => within(form).getByLabelText(label)
    await user.type(field('Название'), 'Shop TEST') // taken (case-insensitive): only the backend knows
    await user.type(field('Номер мерчанта'), '452739')
    await user.type(field('Логин'), 'SHOP_API')
    await user.click(within(form).getByRole('button', { name: 'Сохранить профиль' }))
    const summary = await within(form).findByTestId('form-error')
    expect(summary).toHaveTextContent('Исправьте отмеченное поле: название: должно быть своим (такое название уже у другого профиля)')
    expect(field('Название')).toHaveAttribute('aria-invalid', 'true')
    expect(field('Название')).toHaveAccessibleDescription('название: должно быть своим (такое название уже у другого профиля)')
    // back in English, the same complaint reads in English
    await user.selectOptions(screen.getByTestId('language'), 'en')
    expect(await within(form).findByText(/name: must be unique \(another profile has this name\)/, { selector: '[data-testid="form-error"] span' })).toBeInTheDocument()
  })

  test('choosing a preset suggests its environment; Custom reveals the URL field', async () => {
    const { user } = await openSettings()
    await user.click(screen.getByRole('button', { name: 'Add profile' }))
    const form = screen.getByTestId('profile-form')
    expect(within(form).queryByLabelText('Base URL')).not.toBeInTheDocument()
    await user.selectOptions(within(form).getByLabelText('Gateway host'), 'https://payments.paysec.by')
    expect(within(form).getByLabelText('Environment')).toHaveValue('production')
    expect(form).toHaveTextContent('Production: lookups and removals affect real customers.')
    await user.selectOptions(within(form).getByLabelText('Gateway host'), 'https://test.paysec.by')
    expect(within(form).getByLabelText('Environment')).toHaveValue('test')
    await user.selectOptions(within(form).getByLabelText('Gateway host'), 'custom')
    expect(within(form).getByLabelText('Base URL')).toHaveValue('https://test.paysec.by')
  })

  test('saves a new profile with its password; the backend’s field message shows beside that field', async () => {
    const { user, calls, desk } = await openSettings()
    await user.click(screen.getByRole('button', { name: 'Add profile' }))
    const form = screen.getByTestId('profile-form')
    const field = (label: string) => within(form).getByLabelText(label)
    await user.type(field('Name'), 'Shop TEST') // taken (case-insensitive): only the backend knows
    await user.type(field('Merchant id'), '452739')
    await user.type(field('Login'), 'SHOP_API')
    await user.type(field('Password'), 'Pa55word!')
    await user.click(within(form).getByRole('button', { name: 'Save profile' }))
    expect(await within(form).findByTestId('form-error')).toHaveTextContent('name: must be unique (another profile has this name)')
    expect(field('Name')).toHaveAttribute('aria-invalid', 'true')
    expect(field('Name')).toHaveAccessibleDescription('name: must be unique (another profile has this name)')
    await waitFor(() => expect(field('Name')).toHaveFocus())

    await user.clear(field('Name'))
    // editing the field clears the backend's complaint (an empty name is then the UI's own)
    expect(within(form).queryByTestId('form-error')).not.toBeInTheDocument()
    expect(field('Name')).toHaveAccessibleDescription('Name: required, 1–60 characters.')
    await user.type(field('Name'), 'Shop production')
    await user.click(within(form).getByRole('button', { name: 'Save profile' }))
    expect(await screen.findByTestId('settings-message')).toHaveTextContent('Profile “Shop production” added.')
    expect(screen.queryByTestId('profile-form')).not.toBeInTheDocument()
    const saved = calls('save_profile').at(-1) as { id: null; draft: Record<string, string>; password: string }
    expect(saved).toEqual({
      id: null,
      draft: {
        name: 'Shop production',
        environment: 'test',
        baseUrl: 'https://test.paysecure.ru',
        merchantId: '452739',
        login: 'SHOP_API',
        language: 'RU',
        colour: '#2563eb',
      },
      password: 'Pa55word!',
    })
    expect(Object.values(desk.state.passwords)).toEqual(['Pa55word!'])
    expect(screen.getAllByTestId('profile-row')[2]).toHaveTextContent('password set')
    // focus is on the new profile's Edit button, not lost with the form; the news is in a live region
    await waitFor(() => expect(screen.getByRole('button', { name: 'Edit profile Shop production' })).toHaveFocus())
    expect(screen.getByTestId('settings-message').closest('[role="status"]')).toBe(screen.getByTestId('settings-live'))
  })

  test('cancelling a form leaves focus on the button that opened it', async () => {
    const { user } = await openSettings()
    await user.click(screen.getByRole('button', { name: 'Edit profile Shop test' }))
    await user.click(within(screen.getByTestId('profile-form')).getByRole('button', { name: 'Cancel' }))
    await waitFor(() => expect(screen.getByRole('button', { name: 'Edit profile Shop test' })).toHaveFocus())
    await user.click(screen.getByRole('button', { name: 'Add profile' }))
    await user.click(within(screen.getByTestId('profile-form')).getByRole('button', { name: 'Cancel' }))
    await waitFor(() => expect(screen.getByRole('button', { name: 'Add profile' })).toHaveFocus())
  })

  test('the password is never echoed back: editing starts empty, an empty field keeps it, it is nowhere in the page', async () => {
    const { user, calls } = await openSettings()
    await user.click(screen.getByRole('button', { name: 'Edit profile Shop test' }))
    let form = screen.getByTestId('profile-form')
    const password = within(form).getByLabelText('Password')
    expect(password).toHaveAttribute('type', 'password')
    expect(password).toHaveAttribute('autocomplete', 'off')
    expect(password).toHaveValue('')
    expect(form).toHaveTextContent('Leave empty to keep the current password.')
    expect(within(form).getByLabelText('Name')).toHaveValue('Shop test')

    await user.click(within(form).getByRole('button', { name: 'Save profile' }))
    await screen.findByTestId('settings-message')
    expect((calls('save_profile').at(-1) as { password: unknown }).password).toBeNull()

    await user.click(screen.getByRole('button', { name: 'Edit profile Shop test' }))
    form = screen.getByTestId('profile-form')
    await user.type(within(form).getByLabelText('Password'), 'N3w-secret')
    await user.click(within(form).getByRole('button', { name: 'Save profile' }))
    await screen.findByText('Profile “Shop test” saved.')
    expect((calls('save_profile').at(-1) as { password: unknown }).password).toBe('N3w-secret')

    await user.click(screen.getByRole('button', { name: 'Edit profile Shop test' }))
    expect(within(screen.getByTestId('profile-form')).getByLabelText('Password')).toHaveValue('')
    expect(document.body.innerHTML).not.toContain('N3w-secret')
    for (const input of document.querySelectorAll('input')) expect(input.value).not.toBe('N3w-secret')
  })

  test('Remove password is a separate, confirmed action', async () => {
    const { user, calls } = await openSettings()
    await user.click(screen.getByRole('button', { name: 'Edit profile Shop test' }))
    await user.click(within(screen.getByTestId('profile-form')).getByRole('button', { name: 'Remove password' }))
    const dialog = screen.getByTestId('remove-password-dialog')
    expect(dialog).toHaveTextContent('Remove the password of “Shop test”?')
    await user.click(within(dialog).getByRole('button', { name: 'Remove password' }))
    await waitFor(() => expect(calls('clear_password')).toEqual([{ id: 'p-test' }]))
    expect(await screen.findByTestId('settings-message')).toHaveTextContent('The password of “Shop test” was removed.')
    expect(screen.getAllByTestId('profile-row')[1]).toHaveTextContent('no password')
    expect(screen.getByTestId('profile-form')).toHaveTextContent('No password is set yet')
  })
})

describe('app settings', () => {
  test('freshness and recording lookups are saved with save_settings; bad freshness is refused', async () => {
    const { user, calls } = await openSettings()
    const freshness = screen.getByLabelText('Keep card lists fresh for')
    expect(freshness).toHaveValue('15')
    await user.clear(freshness)
    await user.type(freshness, '20000')
    expect(screen.getByText('Freshness: a whole number of minutes from 0 to 10080 (one week).')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(calls('save_settings')).toEqual([])
    await user.clear(freshness)
    await user.type(freshness, '0')
    // A search typed again: seconds, 0 to a day.
    const typed = screen.getByLabelText('A search typed again asks the gateway after')
    expect(typed).toHaveValue('60')
    await user.clear(typed)
    await user.type(typed, '90000')
    expect(screen.getByText('Typed search: a whole number of seconds from 0 to 86400 (one day).')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(calls('save_settings')).toEqual([])
    await user.clear(typed)
    await user.type(typed, '30')
    await user.click(screen.getByLabelText('Remember looked-up customers'))
    await user.type(screen.getByLabelText('Operator name in the audit log'), '  Anna Petrova  ')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText('Settings saved')).toBeInTheDocument()
    // saved whole: the audit settings travel along unchanged unless changed here
    expect(calls('save_settings')).toEqual([
      {
        settings: {
          freshnessMinutes: 0, typedSearchSeconds: 30, recordLookups: false, requireTicket: true, recordViews: true, operatorName: 'Anna Petrova', webhookUrl: '',
          documents: { operatorName: '', operatorAddress: '', processorName: '', processorAddress: '', informationSystem: '' },
        },
      },
    ])
    expect(screen.getByLabelText('Operator name in the audit log')).toHaveValue('Anna Petrova')
  })

  test('"Settings saved" is said in a live region that is there, empty, before Save, and stays there when an edit clears it', async () => {
    const { user } = await openSettings()
    const live = screen.getByTestId('settings-saved')
    expect(live).toHaveAttribute('role', 'status')
    expect(live).toBeEmptyDOMElement()
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    await waitFor(() => expect(live).toHaveTextContent('Settings saved'))
    expect(screen.getByTestId('settings-saved')).toBe(live)
    await user.type(screen.getByLabelText('Operator name in the audit log'), 'A')
    expect(screen.getByTestId('settings-saved')).toBe(live)
    expect(live).toBeEmptyDOMElement()
  })

  test('Clear cache asks first and says profiles and the audit log are untouched', async () => {
    const { user, calls } = await openSettings()
    expect(screen.getByText(/^Removes cached card lists/)).toHaveTextContent('Profiles, passwords and the audit log are untouched.')
    await user.click(screen.getByRole('button', { name: 'Clear cache' }))
    const dialog = screen.getByTestId('clear-cache-dialog')
    expect(dialog).toHaveTextContent('Profiles, passwords and the audit log are untouched.')
    await user.click(within(dialog).getByRole('button', { name: 'Clear cache' }))
    expect(await screen.findByTestId('settings-message')).toHaveTextContent('The cache was cleared.')
    expect(calls('clear_cache')).toHaveLength(1)
  })

  test('language and theme can also be chosen here', async () => {
    const { user } = await openSettings()
    await user.selectOptions(screen.getByTestId('theme'), 'dark')
    expect(document.documentElement.dataset.theme).toBe('dark')
    await user.selectOptions(screen.getByTestId('language'), 'ru')
    expect(await screen.findByRole('heading', { name: 'Настройки', level: 1 })).toBeInTheDocument()
    expect(screen.getByLabelText('Считать списки карт свежими')).toBeInTheDocument()
    expect(screen.getByText('минут')).toBeInTheDocument() // 15 минут
  })
})

describe('about', () => {
  test('About names the version, the build, where the data lives and what the app ships under which licence', async () => {
    const { user } = await openSettings()
    const about = await screen.findByTestId('about')
    await waitFor(() => expect(within(about).getByTestId('about-version')).toHaveTextContent('0.1.0'))
    expect(within(about).getByTestId('about-build')).toHaveTextContent('6ea90c7a1b2c')
    expect(within(about).getByTestId('about-data')).toHaveTextContent('/home/anna/.local/share/ru.carddesk.app')
    expect(about).toHaveTextContent('/home/anna/.local/share/ru.carddesk.app/audit/audit.jsonl')
    const licenses = within(about).getByTestId('about-licenses')
    expect(licenses).toHaveTextContent('Third-party components: 3, under 3 licences')
    await user.click(within(licenses).getByText(/Third-party components/))
    expect(licenses).toHaveTextContent('pdfjs-dist 5.6.205')
    expect(licenses).toHaveTextContent('Apache-2.0 OR MIT')
  })
})

describe('updates', () => {
  const offer = { kind: 'available', current: '0.1.0', version: '0.2.0', notes: 'Customer requests.', published: '2026-12-01T10:00:00Z' } as const

  test('a newer version is offered on start in a banner, and nothing installs until Install is chosen', async () => {
    const r = await renderApp({
      status: status({ profiles: [sandboxProfile] }),
      lookups: {},
      update: { check: offer, install: { kind: 'installed', version: '0.2.0' } },
    })
    const banner = await screen.findByTestId('update-banner')
    expect(banner).toHaveTextContent('Card Desk 0.2.0 is available')
    expect(r.calls('update_install')).toHaveLength(0)
    await r.user.click(within(banner).getByTestId('update-banner-open'))
    const panel = await screen.findByTestId('updates')
    expect(panel).toHaveTextContent('Card Desk 0.2.0 is available')
    expect(panel).toHaveTextContent('Customer requests.')
    expect(panel).toHaveTextContent('Nothing is downloaded until you choose Install')
    expect(screen.queryByTestId('update-banner')).not.toBeInTheDocument()
    expect(r.calls('update_install')).toHaveLength(0)
    await r.user.click(within(panel).getByRole('button', { name: 'Install 0.2.0' }))
    expect(await within(panel).findByTestId('update-installed')).toHaveTextContent('Card Desk 0.2.0 is installed. Restart to use it.')
    await r.user.click(within(panel).getByRole('button', { name: 'Restart now' }))
    expect(r.calls('update_install')).toHaveLength(1)
    expect(r.calls('restart')).toHaveLength(1)
  })

  test('a package that fails its signature check is refused in words, and nothing is installed', async () => {
    const { user } = await openSettings({
      update: { check: offer, install: { kind: 'refused', version: '0.2.0', detail: 'The signature was created with a different key than the one provided' } },
    })
    const panel = await screen.findByTestId('updates')
    await user.click(await within(panel).findByRole('button', { name: 'Install 0.2.0' }))
    const refused = await within(panel).findByTestId('update-refused')
    expect(refused).toHaveTextContent('The update to 0.2.0 was refused: its signature does not match Card Desk’s update key, so it may have been tampered with. Nothing was installed.')
    expect(refused).toHaveTextContent('created with a different key')
    expect(within(panel).queryByRole('button', { name: 'Restart now' })).not.toBeInTheDocument()
  })

  test('a failed check is quiet: no banner, and Settings says it could not check only there', async () => {
    const { user } = await openSettings({ update: { check: { kind: 'couldNotCheck', current: '0.1.0', why: 'unreachable', detail: 'error sending request' } } })
    expect(screen.queryByTestId('update-banner')).not.toBeInTheDocument()
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    const panel = await screen.findByTestId('updates')
    await user.click(within(panel).getByRole('button', { name: 'Check for updates' }))
    await waitFor(() => expect(within(panel).getByTestId('update-result')).toHaveTextContent('Could not check for updates. The update server could not be reached (no network, or the server is down).'))
  })

  test('the newest version says so', async () => {
    const { user } = await openSettings()
    const panel = await screen.findByTestId('updates')
    await user.click(within(panel).getByRole('button', { name: 'Check for updates' }))
    await waitFor(() => expect(within(panel).getByTestId('update-result')).toHaveTextContent('This is the latest version.'))
  })
})

describe('ticket write-back', () => {
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
  const behind = { ...failed, id: '4a2c1e0a-6b7d-4c8e-9f10-1a2b3c4d5e6f', kind: 'status_changed' as const, state: 'behind' as const, attempts: 0, lastAttempt: null }
  const otherFailed = { ...failed, id: '5b2c1e0a-6b7d-4c8e-9f10-1a2b3c4d5e6f', requestId: '6f0c3f9e-2b1a-4c55-9d0e-8f1a2b3c4d5e', lastAttempt: { at: '2026-12-01T10:06:00Z', status: null, error: 'redirected (302): set the URL it points to' } }

  test('an address the rule refuses is named by field; a good one is saved, the secret only goes in', async () => {
    const { user, desk, calls } = await openSettings()
    const panel = screen.getByTestId('webhook')
    expect(within(panel).getByTestId('webhook-delivering')).toHaveTextContent('Write-back is off')

    const address = within(panel).getByLabelText('Webhook address')
    await user.type(address, 'http://tickets.example.com/hook')
    await user.click(within(panel).getByTestId('webhook-url-save'))
    expect(await within(panel).findByRole('alert')).toHaveTextContent('webhook URL: must be a full https:// address')
    expect(address).toHaveAttribute('aria-invalid', 'true')

    await user.clear(address)
    await user.type(address, 'https://helpdesk.example.com/hooks/card-desk')
    await user.click(within(panel).getByTestId('webhook-url-save'))
    expect(await within(panel).findByText('Address saved')).toBeInTheDocument()
    // Saved whole: the other settings go back as they were.
    expect(calls('save_settings').at(-1)).toEqual({ settings: { ...status().settings, webhookUrl: 'https://helpdesk.example.com/hooks/card-desk' } })
    await waitFor(() => expect(within(panel).getByTestId('webhook-secret-state')).toHaveTextContent('No secret yet: events wait until one is set'))

    const secret = within(panel).getByLabelText('Signing secret')
    await user.type(secret, 'too-short')
    await user.click(within(panel).getByTestId('webhook-secret-save'))
    expect(await within(panel).findByText(/webhook secret: must be at least 16 characters/)).toBeInTheDocument()
    await user.clear(secret)
    await user.type(secret, 'whsec_Known-Secret-0123456789')
    await user.click(within(panel).getByTestId('webhook-secret-save'))
    expect(await within(panel).findByText('Secret saved in the keyring')).toBeInTheDocument()
    expect(secret).toHaveValue('')
    expect(desk.state.passwords['webhook']).toBe('whsec_Known-Secret-0123456789')
    await waitFor(() => expect(within(panel).getByTestId('webhook-delivering')).toHaveTextContent('Sending'))
    expect(within(panel).getByTestId('webhook-secret-state')).toHaveTextContent('A secret is stored')
    expect(document.body.innerHTML).not.toContain('whsec_Known-Secret-0123456789')
  })

  test('"Address saved", "Secret saved" and "Secret removed" are said in live regions that are there, empty, before', async () => {
    const { user } = await openSettings()
    const panel = screen.getByTestId('webhook')
    const urlLive = within(panel).getByTestId('webhook-url-saved')
    const secretLive = within(panel).getByTestId('webhook-secret-saved')
    for (const live of [urlLive, secretLive]) {
      expect(live).toHaveAttribute('role', 'status')
      expect(live).toBeEmptyDOMElement()
    }
    await user.type(within(panel).getByLabelText('Webhook address'), 'https://helpdesk.example.com/hooks/card-desk')
    await user.click(within(panel).getByTestId('webhook-url-save'))
    await waitFor(() => expect(urlLive).toHaveTextContent('Address saved'))
    expect(within(panel).getByTestId('webhook-url-saved')).toBe(urlLive)

    await user.type(within(panel).getByLabelText('Signing secret'), 'whsec_Known-Secret-0123456789')
    await user.click(within(panel).getByTestId('webhook-secret-save'))
    await waitFor(() => expect(secretLive).toHaveTextContent('Secret saved in the keyring'))
    expect(within(panel).getByTestId('webhook-secret-saved')).toBe(secretLive)
    await user.click(await within(panel).findByTestId('webhook-secret-remove'))
    await waitFor(() => expect(secretLive).toHaveTextContent('Secret removed: nothing is sent until a new one is set'))
    expect(within(panel).getByTestId('webhook-secret-saved')).toBe(secretLive)
  })

  test('a failed event shows why and can be sent again or discarded, after a confirmation', async () => {
    const { user, desk } = await openSettings({
      writeBack: {
        url: 'https://helpdesk.example.com/hooks/card-desk',
        secretStored: true,
        delivering: true,
        pending: [failed, behind, otherFailed],
        history: { deliveredTotal: 12, discardedTotal: 0, recent: [] },
        problem: null,
      },
    })
    const panel = screen.getByTestId('webhook')
    const events = await within(panel).findAllByTestId('webhook-event')
    expect(events).toHaveLength(3)
    expect(events[0]).toHaveTextContent('Card removed')
    expect(events[0]).toHaveTextContent('Failed')
    expect(events[0]).toHaveTextContent('3 attempts')
    expect(events[0]).toHaveTextContent('the receiver answered 401')
    expect(events[1]).toHaveTextContent('Behind an earlier event')
    expect(within(events[1]!).queryByTestId('webhook-retry')).not.toBeInTheDocument()
    expect(events[2]).toHaveTextContent('redirected (302): set the URL it points to')
    expect(within(panel).getByTestId('webhook-totals')).toHaveTextContent('3 events waiting · 12 events delivered')

    await user.click(within(events[0]!).getByTestId('webhook-retry'))
    await waitFor(() => expect(within(panel).getAllByTestId('webhook-event')[0]).toHaveAttribute('data-state', 'waiting'))
    expect(desk.state.writeBack.pending[0]!.state).toBe('waiting')

    await user.click(within(within(panel).getAllByTestId('webhook-event')[2]!).getByTestId('webhook-discard'))
    const dialog = await screen.findByTestId('webhook-discard-dialog')
    expect(dialog).toHaveTextContent('The ticket will not hear of this change from Card Desk.')
    await user.click(within(dialog).getByRole('button', { name: 'Discard' }))
    await waitFor(() => expect(within(panel).getAllByTestId('webhook-event')).toHaveLength(2))
    expect(within(panel).getByTestId('webhook-totals')).toHaveTextContent('2 events waiting · 12 events delivered · 1 discarded')
  })
})
