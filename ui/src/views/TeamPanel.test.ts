// Settings → Team (issue 17): off until set up, with what team mode does said first; the
// form's own rules and Rust's field errors beside their field, in English and Russian; Test
// connection's verdict in plain words; Save (the setup, then the password, which only goes in)
// and the status line that follows the shipping loop; turning team mode off asks first.
import { describe, expect, test } from 'vitest'
import { screen, waitFor, within } from '@testing-library/svelte'
import { renderApp } from '../test/render'
import { sandboxProfile, status, testProfile } from '../test/fixtures'
import type { Seed, TeamSeed } from '../test/fakeDesk'

const saved = { host: 'db.example.com', port: 5432, database: 'carddesk', user: 'anna', deskName: 'Anna’s laptop' }

async function openTeam(team: TeamSeed = {}, seed: Partial<Seed> = {}) {
  const r = await renderApp({ status: status({ profiles: [sandboxProfile, testProfile] }), lookups: {}, team, ...seed })
  await r.user.click(screen.getByRole('button', { name: 'Settings' }))
  await screen.findByRole('heading', { name: 'Settings', level: 1 })
  const panel = screen.getByTestId('team')
  return { ...r, panel }
}

async function fill(user: Awaited<ReturnType<typeof openTeam>>['user'], panel: HTMLElement, values: Partial<Record<string, string>>) {
  for (const [label, value] of Object.entries(values)) {
    const input = within(panel).getByLabelText(label)
    await user.clear(input)
    if (value) await user.type(input, value)
  }
}

describe('Settings → Team', () => {
  test('off by default: what team mode does, a status line that was there from the start, and a form opened on request', async () => {
    const { user, panel, calls } = await openTeam()
    const live = within(panel).getByTestId('team-status')
    expect(live).toHaveAttribute('role', 'status')
    await waitFor(() => expect(live).toHaveTextContent('Team mode is off: this desk keeps its log on this computer only.'))
    expect(panel).toHaveTextContent('The desk keeps writing its own log first: nothing waits on the network')
    expect(within(panel).getByTestId('team-chip')).toHaveTextContent('Off')
    expect(within(panel).queryByLabelText('Host')).not.toBeInTheDocument()

    await user.click(within(panel).getByRole('button', { name: 'Set up team mode' }))
    expect(within(panel).getByLabelText('Host')).toHaveFocus()
    expect(within(panel).getByLabelText('Port')).toHaveValue('5432')
    expect(within(panel).getByLabelText('Password')).toHaveValue('')
    expect(within(panel).getByLabelText('Password')).toHaveAttribute('type', 'password')
    expect(within(panel).queryByRole('button', { name: 'Turn off team mode' })).not.toBeInTheDocument()
    expect(within(panel).getByTestId('team-status')).toBe(live)
    expect(calls('save_team_setup')).toEqual([])
  })

  test('the form’s own rules and Rust’s field errors go beside their field, in English and in Russian', async () => {
    const { user, panel, calls, refuse } = await openTeam()
    await user.click(within(panel).getByRole('button', { name: 'Set up team mode' }))
    await fill(user, panel, { Host: 'db.example.com', Port: '70000', Database: 'carddesk', User: 'anna', 'Desk name': 'Back office 2' })
    await user.click(within(panel).getByRole('button', { name: 'Test connection' }))
    const port = within(panel).getByLabelText('Port')
    expect(port).toHaveAttribute('aria-invalid', 'true')
    expect(port).toHaveFocus()
    expect(panel.querySelector('#team-port-error')).toHaveTextContent('A number from 1 to 65535')
    expect(port.getAttribute('aria-describedby')).toContain('team-port-error')
    expect(calls('test_team')).toEqual([])
    await fill(user, panel, { Port: '5432' })
    expect(panel.querySelector('#team-port-error')).toBeNull()

    // Rust is the authority: what it refuses, naming the field, goes beside that field.
    refuse('test_team', {
      code: 'validation',
      message: 'database: must not begin or end with a space',
      ru: 'база данных: без пробелов в начале и в конце',
      field: 'database',
    })
    await user.click(within(panel).getByRole('button', { name: 'Test connection' }))
    const database = within(panel).getByLabelText('Database')
    await waitFor(() => expect(database).toHaveAttribute('aria-invalid', 'true'))
    expect(panel.querySelector('#team-database-error')).toHaveTextContent('database: must not begin or end with a space')
    expect(within(panel).getByTestId('team-error')).toHaveTextContent('Please correct the marked field: database: must not begin or end with a space')
    expect(panel.querySelector('#team-host-error')).toBeNull()

    await user.selectOptions(screen.getByTestId('language'), 'ru')
    await waitFor(() => expect(panel.querySelector('#team-database-error')).toHaveTextContent('база данных: без пробелов в начале и в конце'))
    await fill(user, panel, { 'Пользователь': '' })
    await user.click(within(panel).getByRole('button', { name: 'Проверить подключение' }))
    expect(panel.querySelector('#team-user-error')).toHaveTextContent('Не может быть пустым.')
    expect(within(panel).getByLabelText('Пользователь')).toHaveAttribute('aria-invalid', 'true')
  })

  test('Test connection tries what is typed and says what it found; an empty password means the stored one', async () => {
    const { user, panel, calls } = await openTeam({ setup: { ...saved, host: '127.0.0.1' }, passwordStored: true })
    await waitFor(() => expect(within(panel).getByLabelText('Host')).toHaveValue('127.0.0.1'))
    expect(within(panel).getByLabelText('Password')).toHaveValue('')
    expect(within(panel).getByTestId('team-password-state')).toHaveTextContent('A password is stored')
    const verdict = within(panel).getByTestId('team-verdict')
    expect(verdict).toHaveAttribute('role', 'status')
    expect(verdict).toBeEmptyDOMElement()

    await user.click(within(panel).getByRole('button', { name: 'Test connection' }))
    await waitFor(() => expect(verdict).toHaveTextContent('Connected to PostgreSQL 16.4'))
    expect(calls('test_team')).toEqual([{ setup: { ...saved, host: '127.0.0.1' }, password: null }])
    expect(verdict).toHaveTextContent('Logged in as anna · Roles: owner')
    expect(within(verdict).getByTestId('team-verdict-applied')).toHaveTextContent('Created the schema (V1__team_trail, V2__request_register)')
    expect(within(verdict).getByTestId('team-verdict-tls')).toHaveTextContent('On this machine, not encrypted')

    await fill(user, panel, { Host: 'pg.team.example', Password: 's3cret-Team-pw' })
    expect(verdict).toBeEmptyDOMElement() // an edit makes the verdict stale
    await user.click(within(panel).getByRole('button', { name: 'Test connection' }))
    await waitFor(() => expect(within(verdict).getByTestId('team-verdict-tls')).toHaveTextContent('Encrypted (TLS)'))
    expect(calls('test_team').at(-1)).toEqual({ setup: { ...saved, host: 'pg.team.example' }, password: 's3cret-Team-pw' })
    expect(verdict).toHaveTextContent('Schema: V1__team_trail, V2__request_register')
    expect(verdict).toHaveTextContent('Logged in as anna · Roles: carddesk_agent')
    expect(calls('save_team_setup')).toEqual([]) // a test saves nothing
  })

  test('a schema one version behind is brought up to date by a login that owns it, and the verdict says so', async () => {
    const { user, panel } = await openTeam({ setup: saved, passwordStored: true, migrations: ['V1__team_trail'] })
    await waitFor(() => expect(within(panel).getByLabelText('Host')).toHaveValue('db.example.com'))
    await user.click(within(panel).getByRole('button', { name: 'Test connection' }))
    const verdict = within(panel).getByTestId('team-verdict')
    await waitFor(() => expect(within(verdict).getByTestId('team-verdict-applied')).toHaveTextContent('Brought the schema up to date (V2__request_register)'))
  })

  test('a refused login is said as Rust says it, in the window’s language, not beside a field', async () => {
    const { user, panel } = await openTeam({ password: 'right-one' })
    await user.click(within(panel).getByRole('button', { name: 'Set up team mode' }))
    await fill(user, panel, { Host: 'db.example.com', Database: 'carddesk', User: 'anna', 'Desk name': 'Back office 2', Password: 'wrong-one' })
    await user.click(within(panel).getByRole('button', { name: 'Test connection' }))
    const error = await within(panel).findByTestId('team-error')
    expect(error).toHaveAttribute('role', 'alert')
    expect(error).toHaveTextContent('The test did not pass: PostgreSQL refused the login anna@db.example.com:5432/carddesk: password authentication failed')
    expect(panel.querySelectorAll('[aria-invalid="true"]')).toHaveLength(0)
    await user.selectOptions(screen.getByTestId('language'), 'ru')
    await waitFor(() => expect(within(panel).getByTestId('team-error')).toHaveTextContent('Проверка не прошла: База команды не приняла вход (проверьте пользователя и пароль)'))
  })

  test('Save sends the setup, then the password (which only goes in); the status line follows the trail: behind while the database is away, then caught up', async () => {
    const { user, panel, calls, desk } = await openTeam({ unreachable: true, localLast: 7 })
    await user.click(within(panel).getByRole('button', { name: 'Set up team mode' }))
    await fill(user, panel, { Host: ' db.example.com ', Database: 'carddesk', User: 'anna', 'Desk name': '  Anna’s laptop ', Password: 's3cret-Team-pw' })
    await user.click(within(panel).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(within(panel).getByTestId('team-saved')).toHaveTextContent('Team settings saved'))
    expect(calls('save_team_setup')).toEqual([{ setup: saved }])
    expect(calls('set_team_password')).toEqual([{ password: 's3cret-Team-pw' }])
    expect(desk.state.passwords['team']).toBe('s3cret-Team-pw')
    expect(within(panel).getByLabelText('Password')).toHaveValue('')
    expect(within(panel).getByLabelText('Host')).toHaveValue('db.example.com')
    expect(document.body.innerHTML).not.toContain('s3cret-Team-pw')

    const live = within(panel).getByTestId('team-status')
    await waitFor(() => expect(live).toHaveTextContent('Team trail behind by 7 entries'))
    expect(live).toHaveTextContent('could not reach PostgreSQL at anna@db.example.com:5432/carddesk')
    expect(within(panel).getByTestId('team-chip')).toHaveTextContent('Retrying')
    expect(within(panel).getByTestId('team-password-state')).toHaveTextContent('A password is stored')
    expect(within(panel).getByRole('button', { name: 'Turn off team mode' })).toBeInTheDocument()

    desk.state.team.unreachable = false // the database is back: the panel re-reads every few seconds
    await waitFor(() => expect(live).toHaveTextContent('Team trail up to date (7 entries)'), { timeout: 4000 })
    expect(within(panel).getByTestId('team-chip')).toHaveTextContent('Shipping')
    expect(within(panel).getByTestId('team-contact')).toHaveTextContent('Last heard from the team database')
    expect(within(panel).getByTestId('team-status')).toBe(live)
  })

  test('saved without a password: not shipping, and said so; removing a stored password says so too', async () => {
    const { user, panel, calls } = await openTeam({ setup: saved, passwordStored: true, localLast: 3, shippedThrough: 3 })
    const live = within(panel).getByTestId('team-status')
    await waitFor(() => expect(live).toHaveTextContent('Team trail up to date (3 entries)'))
    await user.click(within(panel).getByRole('button', { name: 'Remove password' }))
    await waitFor(() => expect(live).toHaveTextContent('Not shipping: no password stored'))
    expect(calls('clear_team_password')).toHaveLength(1)
    expect(within(panel).getByTestId('team-saved')).toHaveTextContent('Password removed: nothing is shipped until a new one is set')
    expect(within(panel).getByTestId('team-password-state')).toHaveTextContent('No password stored yet')
    expect(within(panel).getByTestId('team-chip')).toHaveTextContent('Not shipping')
  })

  test('Turn off team mode asks first; Cancel keeps it on, confirming turns it off and focus goes to Set up', async () => {
    const { user, panel, calls } = await openTeam({ setup: saved, passwordStored: true })
    const off = await within(panel).findByRole('button', { name: 'Turn off team mode' })
    await user.click(off)
    const dialog = await screen.findByTestId('team-off-dialog')
    expect(dialog).toHaveTextContent('This desk stops copying its entries to the team trail. Its own log stays as it is')
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(calls('save_team_setup')).toEqual([])
    expect(within(panel).getByLabelText('Host')).toHaveValue('db.example.com')

    await user.click(off)
    await user.click(within(await screen.findByTestId('team-off-dialog')).getByRole('button', { name: 'Turn off team mode' }))
    await waitFor(() => expect(within(panel).getByTestId('team-status')).toHaveTextContent('Team mode is off'))
    expect(calls('save_team_setup')).toEqual([{ setup: null }])
    expect(within(panel).getByTestId('team-saved')).toHaveTextContent('Team mode turned off')
    expect(within(panel).queryByLabelText('Host')).not.toBeInTheDocument()
    await waitFor(() => expect(within(panel).getByRole('button', { name: 'Set up team mode' })).toHaveFocus())
  })
})
