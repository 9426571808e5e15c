// The shell over the fake desk (Tauri's IPC mocked underneath ui/src/lib/ipc.ts): the
// environment banner, the first-run and memory-store banners, keyboard (Ctrl/Cmd+K, Esc),
// language and theme switched at run time and remembered.
import { describe, expect, test } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import { mockIPC } from '@tauri-apps/api/mocks'
import App from './App.svelte'
import { fakeDesk } from './test/fakeDesk'
import { renderApp, search } from './test/render'
import { lazyViews } from './lib/lazyViews.svelte'
import { cards100700, cards1234, lookupOf, many, productionProfile, recent, sandboxProfile, status, testProfile } from './test/fixtures'

describe('App shell', () => {
  test('the environment banner names the active profile and merchant; production is marked', async () => {
    await renderApp({ status: status({ activeProfileId: 'p-prod', profiles: [sandboxProfile, productionProfile] }), lookups: {} })
    const banner = screen.getByTestId('env-banner')
    expect(banner).toHaveAttribute('data-env', 'production')
    expect(banner).toHaveTextContent('Shop production')
    expect(banner).toHaveTextContent('Merchant 452739')
    expect(banner).toHaveTextContent('Production — real customers and real cards')
    expect(screen.queryByTestId('first-run')).not.toBeInTheDocument()
  })

  test('first run on the sandbox: a dismissible demo banner with demo customers and a way to Settings', async () => {
    const { user, calls } = await renderApp({ status: status(), lookups: { '100025': lookupOf('100025', many(25)) } })
    const banner = screen.getByTestId('first-run')
    expect(banner).toHaveTextContent('demo data on the built-in sandbox')
    for (const c of ['1234', '100025', '100700', '100500', '100000', 'КЛ-000731'])
      expect(within(banner).getByRole('button', { name: new RegExp(`Open demo customer ${c} `) })).toBeInTheDocument()
    await user.click(within(banner).getByRole('button', { name: /Open demo customer 100025/ }))
    expect(await screen.findByTestId('card-count')).toHaveTextContent('25 saved cards')
    expect(calls('lookup')).toEqual([{ customer: '100025', want: 'fresh' }])

    await user.keyboard('{Escape}')
    await user.click(await screen.findByRole('button', { name: 'Dismiss' }))
    expect(screen.queryByTestId('first-run')).not.toBeInTheDocument()
    expect(localStorage.getItem('carddesk.firstRunDismissed')).toBe('1')
  })

  test('the first-run banner leads to a new profile in Settings', async () => {
    const { user } = await renderApp({ status: status(), lookups: {} })
    await user.click(screen.getByRole('button', { name: 'Add a real profile in Settings' }))
    const form = await screen.findByTestId('profile-form')
    expect(within(form).getByLabelText('Name')).toHaveFocus()
  })

  test('without a Secret Service, a banner says passwords are kept in memory for this session only', async () => {
    await renderApp({
      status: status({ secretStore: { kind: 'memory', reason: 'org.freedesktop.secrets was not provided by any .service files' } }),
      lookups: {},
    })
    const banner = screen.getByTestId('memory-banner')
    expect(banner).toHaveTextContent('Passwords are kept for this session only')
    expect(banner).toHaveTextContent('held in memory for this session only and never written anywhere')
    expect(banner).toHaveTextContent('Reason: org.freedesktop.secrets was not provided by any .service files')
  })

  test('an unusable audit log is announced at start: revocations are blocked, lookups work', async () => {
    await renderApp({
      status: status({
        auditProblem: { code: 'audit_log', message: 'audit log: entry 7 (line 7) was edited; move the file aside' },
      }),
      lookups: {},
    })
    const banner = screen.getByTestId('audit-problem')
    expect(banner).toHaveTextContent('The audit log cannot be used')
    expect(banner).toHaveTextContent('Revocations are blocked until it is fixed')
    expect(banner).toHaveTextContent('entry 7 (line 7) was edited')
  })

  test('removals a previous session left open are checked in the background, with a banner until done', async () => {
    const r = await renderApp({ status: status({ recovering: true }), lookups: {} })
    const banner = screen.getByTestId('recovering-banner')
    expect(banner).toHaveTextContent('Checking removals left open')
    expect(banner).toHaveTextContent('nothing is sent to the gateway’s removal service')
    // The search is usable meanwhile.
    expect(document.getElementById('customer')).toBeEnabled()
    r.desk.state.status.recovering = false
    await waitFor(() => expect(screen.queryByTestId('recovering-banner')).not.toBeInTheDocument(), { timeout: 4000 })
  })

  test('start-up notices: a banner each, naming the saved file or the broken line, in English and Russian, dismissible', async () => {
    const r = await renderApp({
      status: status({
        notices: [
          { kind: 'profiles_set_aside', params: { saved: '/home/a/.config/ru.carddesk.app/profiles.json.broken-20261206T101500Z', dir: '/home/a/.config/ru.carddesk.app' } },
          { kind: 'audit_chain_broken', params: { line: '3', problem: 'line 3 is not an audit entry', path: '/home/a/audit.jsonl' } },
        ],
      }),
      lookups: {},
    })
    const profiles = screen.getByTestId('notice-profiles_set_aside')
    expect(profiles).toHaveTextContent('Your profiles file was damaged and has been set aside')
    expect(profiles).toHaveTextContent('profiles.json.broken-20261206T101500Z')
    expect(profiles).toHaveTextContent('passwords are still in the system keyring')
    const audit = screen.getByTestId('notice-audit_chain_broken')
    expect(audit).toHaveAttribute('role', 'alert')
    expect(audit).toHaveTextContent('The audit log is damaged at line 3')
    expect(audit).toHaveTextContent('line 3 is not an audit entry')
    await r.user.click(screen.getByTestId('lang-ru'))
    expect(screen.getByTestId('notice-audit_chain_broken')).toHaveTextContent('Журнал аудита повреждён в строке 3')
    expect(screen.getByTestId('notice-profiles_set_aside')).toHaveTextContent('Файл профилей повреждён')
    await r.user.click(within(screen.getByTestId('notice-profiles_set_aside')).getByRole('button'))
    expect(screen.queryByTestId('notice-profiles_set_aside')).not.toBeInTheDocument()
    expect(screen.getByTestId('notice-audit_chain_broken')).toBeInTheDocument()
  })

  test('a rebuilt cache is said', async () => {
    await renderApp({ status: status({ notices: [{ kind: 'cache_damaged', params: {} }] }), lookups: {} })
    expect(screen.getByTestId('notice-cache_damaged')).toHaveTextContent('The cache was rebuilt')
  })

  test('with a usable audit log there is no audit banner', async () => {
    await renderApp({ status: status(), lookups: {} })
    expect(screen.queryByTestId('audit-problem')).not.toBeInTheDocument()
  })

  test('with the OS keyring there is no memory banner', async () => {
    await renderApp({ status: status(), lookups: {} })
    expect(screen.queryByTestId('memory-banner')).not.toBeInTheDocument()
  })

  test('a failing start-up says so and can be retried', async () => {
    let fail = true
    const desk = fakeDesk({ status: status(), lookups: {} })
    mockIPC((cmd, args) => {
      if (cmd === 'desk_status' && fail) throw { code: 'internal', message: 'the profiles file is not valid: unknown version 9' }
      return desk(cmd, (args ?? {}) as Record<string, unknown>)
    })
    render(App)
    const error = await screen.findByTestId('error')
    expect(error).toHaveTextContent('Something went wrong inside Card Desk')
    expect(error).toHaveTextContent('unknown version 9')
    fail = false
    await fireEvent.click(within(error).getByRole('button', { name: 'Retry' }))
    expect(await screen.findByTestId('env-banner')).toHaveTextContent('Sandbox')
  })
})

describe('keyboard', () => {
  test('Ctrl+K and Cmd+K focus the search field from anywhere, even from Settings', async () => {
    const { user } = await renderApp({ status: status(), lookups: {} })
    await user.click(screen.getByRole('button', { name: 'Settings' }))
    expect(await screen.findByRole('heading', { name: 'Settings', level: 1 })).toBeInTheDocument()
    await user.keyboard('{Control>}k{/Control}')
    await waitFor(() => expect(screen.getByLabelText('Customer number')).toHaveFocus())
    screen.getByLabelText('Customer number').blur()
    await user.keyboard('{Meta>}k{/Meta}')
    await waitFor(() => expect(screen.getByLabelText('Customer number')).toHaveFocus())
  })

  test('each view names the window and takes focus on its heading; shortcuts are announced, their key caps kept out of names', async () => {
    const { user } = await renderApp({ status: status(), lookups: { '1234': lookupOf('1234', cards1234) } })
    expect(document.title).toBe('Search — Card Desk')
    const nav = screen.getByRole('navigation', { name: 'Main' })
    expect(within(nav).getByRole('button', { name: 'Search' })).toHaveAttribute('aria-keyshortcuts', 'Control+K')
    expect(within(nav).getByRole('button', { name: 'Bulk jobs' })).toHaveAttribute('aria-keyshortcuts', 'Control+B')
    for (const [name, heading, title] of [
      ['Audit log', 'Audit log', 'Audit log — Card Desk'],
      ['Bulk jobs', 'Bulk jobs', 'Bulk jobs — Card Desk'],
      ['Settings', 'Settings', 'Settings — Card Desk'],
      ['Search', 'Find a customer', 'Search — Card Desk'],
    ] as const) {
      await user.click(within(nav).getByRole('button', { name }))
      await waitFor(() => expect(screen.getByRole('heading', { level: 1, name: heading })).toHaveFocus())
      expect(document.title).toBe(title)
    }
    await search(user, '1234')
    await waitFor(() => expect(screen.getByTestId('customer-heading')).toHaveFocus())
    expect(document.title).toBe('Customer 1234 — Card Desk')
    const back = within(screen.getByTestId('customer-view')).getByRole('button', { name: 'Search' }) // not "Search Esc"
    expect(back).toHaveAttribute('aria-keyshortcuts', 'Escape')
  })

  test('a view opened before its part of the app has loaded appears whole, named, with focus on its heading; the other views are then fetched in the background', async () => {
    lazyViews.reset()
    const { user } = await renderApp({ status: status(), lookups: { '1234': lookupOf('1234', cards1234) } })
    const nav = screen.getByRole('navigation', { name: 'Main' })
    await user.click(within(nav).getByRole('button', { name: 'Audit log' }))
    await waitFor(() => expect(screen.getByRole('heading', { level: 1, name: 'Audit log' })).toHaveFocus())
    expect(document.title).toBe('Audit log — Card Desk')
    expect(screen.queryByTestId('view-loading')).toBeNull()
    // Once the search view has been painted, every other view is fetched in the background.
    await waitFor(() => expect(Object.keys(lazyViews.loaded).sort()).toEqual(['audit', 'bulk', 'customer', 'requests', 'settings']))
  })

  test('Enter submits; Esc goes back from a customer to the search, which keeps its text', async () => {
    const { user } = await renderApp({ status: status(), lookups: { '1234': lookupOf('1234', cards1234) } })
    await search(user, '1234')
    expect(await screen.findByTestId('customer-heading')).toHaveTextContent('Customer 1234')
    await user.keyboard('{Escape}')
    const input = await screen.findByLabelText('Customer number')
    await waitFor(() => expect(input).toHaveFocus())
    expect(input).toHaveValue('1234')
  })

  test('Esc in a dialog closes the dialog only', async () => {
    const { user } = await renderApp({ status: status(), lookups: { '1234': lookupOf('1234', cards1234) } })
    await search(user, '1234')
    await user.click(await screen.findByRole('button', { name: 'Forget this customer' }))
    const dialog = screen.getByTestId('forget-dialog')
    await waitFor(() => expect(dialog).toHaveAttribute('open'))
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus())
    await user.keyboard('{Escape}')
    await waitFor(() => expect(dialog).not.toHaveAttribute('open'))
    expect(screen.getByTestId('customer-view')).toBeInTheDocument()
    await user.keyboard('{Escape}')
    expect(await screen.findByLabelText('Customer number')).toBeInTheDocument()
  })
})

describe('language and theme', () => {
  test('switches to Russian at run time, with Russian plurals, and remembers it', async () => {
    const lookups = {
      '1': lookupOf('1', many(1)),
      '3': lookupOf('3', many(3)),
      '5': lookupOf('5', many(5)),
      '21': lookupOf('21', many(21)),
    }
    const { user, unmount, calls } = await renderApp({ status: status(), lookups, recent })
    expect(calls('set_language')).toEqual([{ language: 'en' }])
    await user.click(screen.getByRole('button', { name: 'RU' }))
    expect(await screen.findByLabelText('Номер клиента')).toBeInTheDocument()
    expect(document.documentElement.lang).toBe('ru')
    // Rust is told, so a job's desktop notification reads in Russian too.
    expect(calls('set_language')).toEqual([{ language: 'en' }, { language: 'ru' }])
    expect(screen.getByTestId('env-banner')).toHaveTextContent('Мерчант 452739')
    // the recent list counts in Russian too
    expect(await screen.findByRole('button', { name: 'Открыть клиента 100025' })).toHaveTextContent('25 сохранённых карт')

    const expected: Record<string, string> = {
      '1': '1 сохранённая карта',
      '3': '3 сохранённые карты',
      '5': '5 сохранённых карт',
      '21': '21 сохранённая карта',
    }
    for (const [customer, text] of Object.entries(expected)) {
      await search(user, customer)
      expect(await screen.findByTestId('card-count')).toHaveTextContent(text)
      await user.keyboard('{Escape}')
      await screen.findByLabelText('Номер клиента')
    }
    expect(localStorage.getItem('carddesk.locale')).toBe('ru')
    unmount()
    await renderApp({ status: status(), lookups })
    expect(screen.getByLabelText('Номер клиента')).toBeInTheDocument()
  })

  test('theme: dark and light set data-theme, system follows the OS; the choice is remembered', async () => {
    const { user } = await renderApp({ status: status(), lookups: {} })
    const group = screen.getByRole('group', { name: 'Theme' })
    await user.click(within(group).getByRole('button', { name: 'Dark' }))
    expect(document.documentElement.dataset.theme).toBe('dark')
    expect(localStorage.getItem('carddesk.theme')).toBe('dark')
    await user.click(within(group).getByRole('button', { name: 'Light' }))
    expect(document.documentElement.dataset.theme).toBe('light')
    await user.click(within(group).getByRole('button', { name: 'System' }))
    expect(document.documentElement.dataset.theme).toBeUndefined()
  })
})

describe('accessibility', () => {
  function expectNamedControls() {
    const controls = document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], [role="button"], [role="img"], img')
    expect(controls.length).toBeGreaterThan(5)
    for (const el of controls) {
      if (el.closest('dialog:not([open])')) continue
      expect(el, el.outerHTML.slice(0, 120)).toHaveAccessibleName()
    }
  }

  test('every control has an accessible name: search, customer (grid and list), settings with the form open', async () => {
    const { user } = await renderApp({
      status: status({ profiles: [sandboxProfile, testProfile], secretStore: { kind: 'memory', reason: 'no D-Bus' } }),
      lookups: { '100700': lookupOf('100700', cards100700) },
      recent,
    })
    await screen.findByTestId('recent-list')
    expectNamedControls()
    await search(user, '100700')
    await screen.findByTestId('card-grid')
    expectNamedControls()
    await user.click(screen.getByRole('button', { name: 'List' }))
    expectNamedControls()
    await user.click(screen.getByRole('button', { name: 'Settings' }))
    await user.click(await screen.findByRole('button', { name: 'Edit profile Shop test' }))
    expectNamedControls()
  })
})
