// The search view: the customer number is checked before anything is sent, a lookup opens the
// customer, errors say what to do (credentials_missing → Settings, transport → Retry), the
// recent list filters as you type, and "Search all profiles" shows a section per profile.
// "Looking up…" goes into a live region that is there (empty) before the search.
import { describe, expect, test } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/svelte'
import { mockIPC } from '@tauri-apps/api/mocks'
import App from '../App.svelte'
import { askEarly } from '../lib/earlyAsk'
import { fakeDesk } from '../test/fakeDesk'
import { renderApp, search } from '../test/render'
import { cards1234, lookupOf, productionProfile, recent, sandboxProfile, status, testProfile } from '../test/fixtures'

describe('customer number validation', () => {
  test.each([
    ['', 'Customer number: required — 1–32 characters, none of < > " = \' / ( ) ; #.'],
    ['12<3>4', 'Customer number: none of < > " = \' / ( ) ; # — found < >.'],
    ["O'Brien;", "Customer number: none of < > \" = ' / ( ) ; # — found ' ;."],
    ['A'.repeat(33), 'Customer number: 1–32 characters (this one has 33).'],
  ])('%j is refused with a message naming the field and the rule, and nothing is sent', async (value, message) => {
    const { user, calls } = await renderApp({ status: status(), lookups: {} })
    const input = screen.getByLabelText('Customer number')
    if (value) await user.type(input, value)
    await user.keyboard('{Enter}')
    expect(screen.getByText((_, el) => el?.id === 'customer-help' && el.textContent?.includes(message) === true)).toBeInTheDocument()
    expect(input).toHaveAttribute('aria-invalid', 'true')
    expect(input).toHaveFocus()
    expect(calls('lookup')).toEqual([])
  })

  test('32 characters, Cyrillic and dashes are fine, and the message clears as the number is fixed', async () => {
    const { user, calls } = await renderApp({ status: status(), lookups: {} })
    const input = screen.getByLabelText('Customer number')
    await user.type(input, 'КЛ-000731;{Enter}')
    expect(screen.getByText(/found ;/)).toBeInTheDocument()
    await user.type(input, '{Backspace}')
    expect(screen.queryByText(/found ;/)).not.toBeInTheDocument()
    expect(input).not.toHaveAttribute('aria-invalid')
    await user.keyboard('{Enter}')
    expect(await screen.findByTestId('customer-heading')).toHaveTextContent('КЛ-000731')
    expect(calls('lookup')).toEqual([{ customer: 'КЛ-000731', want: 'typed' }])
  })
})

describe('lookup', () => {
  test('a customer opens with their cards: masked number, brand, bank, expiry, badges', async () => {
    const { user } = await renderApp({ status: status(), lookups: { '1234': lookupOf('1234', cards1234) } })
    await search(user, '  1234  ')
    expect(await screen.findByTestId('card-count')).toHaveTextContent('3 saved cards')
    // Active cards first, soonest expiry first; the expired MasterCard last.
    expect(screen.getAllByTestId('masked').map((e) => e.textContent)).toEqual(['2202 20•• •••• 4417', '4123 62•• •••• 0028', '5186 15•• •••• 1030'])
    const [mir, visa, mc] = screen.getAllByTestId('card')
    expect(visa).toHaveAccessibleName('VISA, 4123 62•• •••• 0028, Bank not reported, valid thru 12/2031')
    expect(visa).toHaveTextContent('Bank not reported')
    expect(within(mc!).getByTestId('badge-expired')).toHaveTextContent('expired')
    expect(within(mc!).queryByTestId('badge-inactive')).not.toBeInTheDocument() // expired says it all
    expect(mir).toHaveTextContent('Сбербанк')
    expect(mir).toHaveTextContent('needs CVC')
    expect(screen.getByTestId('as-of')).toHaveTextContent(/^as of 27 Nov 2026, \d\d:\d\d$/)
  })

  test('credentials_missing: says the profile has no password and leads to its password field', async () => {
    const noPassword = { ...testProfile, hasPassword: false }
    const { user } = await renderApp({ status: status({ activeProfileId: 'p-test', profiles: [sandboxProfile, noPassword] }), lookups: {} })
    await search(user, '1234')
    const error = await screen.findByTestId('error')
    expect(error).toHaveAttribute('data-code', 'credentials_missing')
    expect(error).toHaveTextContent('This profile has no password. Add it in Settings')
    expect(within(error).queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument()
    await user.click(within(error).getByRole('button', { name: 'Add password in Settings' }))
    const form = await screen.findByTestId('profile-form')
    expect(form).toHaveTextContent('Edit “Shop test”')
    expect(within(form).getByLabelText('Password')).toHaveFocus()
  })

  test('transport: says the gateway could not be reached, and Retry asks again', async () => {
    const seed = {
      status: status(),
      lookups: { '1234': lookupOf('1234', cards1234) },
      errors: { '1234': { code: 'transport' as const, message: 'connection refused (127.0.0.1:41234)' } },
    }
    const { user, calls } = await renderApp(seed)
    await search(user, '1234')
    const error = await screen.findByTestId('error')
    expect(error).toHaveTextContent('The gateway could not be reached. Check the base URL or your connection')
    expect(error).toHaveTextContent('connection refused (127.0.0.1:41234)')
    delete (seed.errors as Record<string, unknown>)['1234']
    await user.click(within(error).getByRole('button', { name: 'Retry' }))
    expect(await screen.findByTestId('card-count')).toHaveTextContent('3 saved cards')
    expect(calls('lookup')).toHaveLength(2)
  })

  test('an untrusted certificate is named as such, not as an unreachable gateway, and warns off production', async () => {
    const { user } = await renderApp({
      status: status(),
      lookups: {},
      errors: {
        '1234': {
          code: 'untrusted_certificate',
          message: "transport error: the server's certificate is not trusted (possible interception) — do not proceed on production: invalid peer certificate: UnknownIssuer",
        },
      },
    })
    await search(user, '1234')
    const error = await screen.findByTestId('error')
    expect(error).toHaveTextContent("The server's certificate is not trusted")
    expect(error).toHaveTextContent('Do not proceed on production')
    expect(error).not.toHaveTextContent('could not be reached')
    expect(within(error).queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument()
  })

  test('a gateway fault shows its decoded text', async () => {
    await renderApp({
      status: status(),
      lookups: {},
      errors: { '777': { code: 'gateway_fault', message: '7/141 Authentication error (Login and/or Password)' } },
    }).then(({ user }) => search(user, '777'))
    const error = await screen.findByTestId('error')
    expect(error).toHaveTextContent('The gateway refused the request')
    expect(error).toHaveTextContent('7/141 Authentication error')
  })
})

describe('recent customers', () => {
  test('a window whose page carried its first view draws it in its first render, asking Rust nothing', () => {
    const desk = fakeDesk({ status: status(), lookups: {}, recent })
    const asked: string[] = []
    mockIPC((cmd, args) => {
      asked.push(cmd)
      return desk(cmd, (args ?? {}) as Record<string, unknown>)
    })
    const block = document.createElement('script')
    block.type = 'application/json'
    block.id = 'carddesk-first'
    block.textContent = JSON.stringify({ status: status(), recent })
    document.head.append(block)
    askEarly()
    render(App)
    // no awaiting: what the first render drew
    expect(screen.getByTestId('env-banner')).toHaveTextContent('Sandbox')
    expect(screen.queryByText('Loading profiles…')).toBeNull()
    expect(screen.getAllByTestId('recent-customer').map((e) => e.textContent)).toEqual(['100700', '1234', 'КЛ-000731', '100025'])
    expect(asked.filter((c) => c === 'desk_status' || c === 'recent_customers')).toEqual([])
  })

  test('a history of 50 customers is listed whole once the first view is painted', async () => {
    const long = Array.from({ length: 50 }, (_, i) => ({ customer: `C${100 + i}`, lastLookup: Date.parse('2026-11-27T09:00:00Z') - i * 60_000, cardCount: 1 }))
    await renderApp({ status: status(), lookups: {}, recent: long })
    const list = await screen.findByTestId('recent-list')
    await waitFor(() => expect(within(list).getAllByTestId('recent-customer')).toHaveLength(50))
    expect(within(list).getAllByTestId('recent-customer').at(-1)).toHaveTextContent('C149')
  })

  test('listed newest first with card counts; typing filters them (via recent_customers), click opens', async () => {
    const { user, calls } = await renderApp({ status: status(), lookups: { '100700': lookupOf('100700', cards1234) }, recent })
    const list = await screen.findByTestId('recent-list')
    expect(within(list).getAllByTestId('recent-customer').map((e) => e.textContent)).toEqual(['100700', '1234', 'КЛ-000731', '100025'])
    expect(within(list).getByRole('button', { name: 'Open customer 1234' })).toHaveTextContent('3 saved cards')
    await user.type(screen.getByLabelText('Customer number'), '100')
    await waitFor(() => expect(within(screen.getByTestId('recent-list')).getAllByTestId('recent-customer').map((e) => e.textContent)).toEqual(['100700', '100025']))
    expect(calls('recent_customers').at(-1)).toEqual({ query: '100' })
    // debounced: not one call per keystroke
    expect(calls('recent_customers').length).toBeLessThan(4)
    await user.type(screen.getByLabelText('Customer number'), '9')
    expect(await screen.findByTestId('recent-nomatch')).toHaveTextContent('No recent customer matches “1009”. Press Enter to look it up.')
    await user.clear(screen.getByLabelText('Customer number'))
    await user.click(await screen.findByRole('button', { name: 'Open customer 100700' }))
    expect(await screen.findByTestId('customer-heading')).toHaveTextContent('100700')
  })

  test('ArrowDown moves from the field into the list, Enter opens the focused customer', async () => {
    const { user, calls } = await renderApp({ status: status(), lookups: {}, recent })
    await screen.findByTestId('recent-list')
    screen.getByLabelText('Customer number').focus()
    await user.keyboard('{ArrowDown}{ArrowDown}')
    expect(screen.getByRole('button', { name: 'Open customer 1234' })).toHaveFocus()
    await user.keyboard('{ArrowUp}{ArrowUp}')
    expect(screen.getByLabelText('Customer number')).toHaveFocus()
    await user.keyboard('{ArrowDown}{Enter}')
    await screen.findByTestId('customer-heading')
    expect(calls('lookup')).toEqual([{ customer: '100700', want: 'fresh' }])
  })

  test('a lookup adds the customer to the recent list', async () => {
    const { user } = await renderApp({ status: status(), lookups: { '1234': lookupOf('1234', cards1234) } })
    expect(await screen.findByTestId('recent-empty')).toBeInTheDocument()
    await search(user, '1234')
    await screen.findByTestId('customer-heading')
    await user.keyboard('{Escape}')
    await user.clear(await screen.findByLabelText('Customer number'))
    expect(await screen.findByRole('button', { name: 'Open customer 1234' })).toHaveTextContent('3 saved cards')
  })
})

describe('search all profiles', () => {
  test('one section per profile, with its cards or its error; another profile can be switched to', async () => {
    const { user, calls } = await renderApp({
      status: status({ profiles: [sandboxProfile, testProfile, productionProfile] }),
      lookups: { '1234': lookupOf('1234', cards1234) },
      byProfile: { 'p-test': { '1234': { error: { code: 'gateway_fault', message: '14/200 Access denied' } } } },
    })
    await user.click(screen.getByLabelText('Search all profiles (3)'))
    await search(user, '1234')
    const sections = await screen.findAllByTestId('profile-result')
    expect(sections.map((s) => s.dataset.profile)).toEqual(['sandbox', 'p-test', 'p-prod'])
    expect(sections[0]).toHaveTextContent('3 saved cards')
    expect(within(sections[0]!).getAllByTestId('card-row')).toHaveLength(3)
    expect(sections[1]).toHaveTextContent('The gateway refused the request')
    expect(sections[1]).toHaveTextContent('14/200 Access denied')
    expect(sections[2]).toHaveTextContent('This profile has no password. Add it in Settings')
    expect(screen.getByTestId('all-results')).toHaveTextContent('cards found in 1 of 3 profiles')
    expect(calls('lookup_all')).toEqual([{ customer: '1234' }])
    expect(calls('lookup')).toEqual([])

    await user.click(within(sections[0]!).getByRole('button', { name: 'Open customer' }))
    expect(await screen.findByTestId('customer-heading')).toHaveTextContent('1234')
  })

  test('"Use this profile and open" activates that profile first', async () => {
    const { user, calls } = await renderApp({
      status: status({ profiles: [sandboxProfile, testProfile] }),
      lookups: { '1234': lookupOf('1234', cards1234) },
    })
    await user.click(screen.getByLabelText('Search all profiles (2)'))
    await search(user, '1234')
    const sections = await screen.findAllByTestId('profile-result')
    await user.click(within(sections[1]!).getByRole('button', { name: 'Use this profile and open' }))
    expect(await screen.findByTestId('customer-heading')).toHaveTextContent('1234')
    expect(calls('activate_profile')).toEqual([{ id: 'p-test' }])
    expect(screen.getByTestId('env-banner')).toHaveAttribute('data-env', 'test')
  })
})

describe('heard as it changes (issue 19)', () => {
  test('"Looking up…" is said in a live region that is there, empty, before the search', async () => {
    const { user, hold } = await renderApp({ status: status(), lookups: { '1234': lookupOf('1234', cards1234) } })
    const live = screen.getByTestId('search-status')
    expect(live).toHaveAttribute('role', 'status')
    expect(live).toBeEmptyDOMElement()
    const release = hold('lookup')
    await search(user, '1234')
    expect(screen.getByTestId('search-status')).toBe(live)
    expect(live).toHaveTextContent('Looking up 1234 in Sandbox…')
    release()
    expect(await screen.findByTestId('customer-heading')).toHaveTextContent('1234')
  })
})
