// Settings: the profile form's own rules and the backend's field-naming messages, saving, the
// password that only ever goes in (never echoed back into a field), connection verdicts in plain
// words, activating and deleting profiles, app settings, clearing the cache.
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
    await user.click(screen.getByLabelText('Remember looked-up customers'))
    await user.type(screen.getByLabelText('Operator name in the audit log'), '  Anna Petrova  ')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText('Settings saved')).toBeInTheDocument()
    // saved whole: the audit settings travel along unchanged unless changed here
    expect(calls('save_settings')).toEqual([
      { settings: { freshnessMinutes: 0, recordLookups: false, requireTicket: true, recordViews: true, operatorName: 'Anna Petrova' } },
    ])
    expect(screen.getByLabelText('Operator name in the audit log')).toHaveValue('Anna Petrova')
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
