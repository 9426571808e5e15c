// Revoking cards from the customer view, over the fake desk (Tauri's IPC mocked underneath
// ui/src/lib/ipc.ts) with fake timers, so the five-second countdown is exact: the typed last 4
// digits confirm (from a tile) or find (from the header) the card; ambiguity is resolved by
// picking; ticket, note and production confirmation rules; nothing is sent before the countdown
// ends, and nothing at all after Undo or Esc; the result, the reply and the refreshed grid;
// revoke-all with a result per card; both dialogs are the same width.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { renderApp, search } from '../test/render'
import { card, cards1234, lookupOf, productionProfile, sandboxProfile, status } from '../test/fixtures'
import type { Seed } from '../test/fakeDesk'

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
})

const twins = [
  card({ token: 'T-0028-A', bank: 'Сбербанк', masked: '4276 38•• •••• 0028', bin: '427638', last4: '0028', expiryText: '05/2027' }),
  card({ token: 'T-0028-B', brand: 'MIR', bank: 'ВТБ', masked: '2200 70•• •••• 0028', bin: '220070', last4: '0028', expiryText: '11/2029' }),
  card({ token: 'T-7731', brand: 'MasterCard', bank: 'Альфа-Банк', masked: '5486 73•• •••• 7731', bin: '548673', last4: '7731', expiryText: '10/2028' }),
]

async function openCustomer(seed: Partial<Seed> = {}, customer = '1234', cards = cards1234) {
  const r = await renderApp(
    { status: status(), lookups: { [customer]: lookupOf(customer, cards) }, ...seed },
    { user: { advanceTimers: vi.advanceTimersByTime } },
  )
  await search(r.user, customer)
  await screen.findByTestId('customer-heading')
  const dialog = () => screen.getByTestId('revoke-dialog')
  const field = (id: string) => within(dialog()).getByTestId(id)
  const errors = () => within(dialog()).queryAllByTestId('revoke-error').map((e) => e.textContent?.trim())
  return { ...r, dialog, field, errors }
}

/** The Revoke button of the card ending in `last4` (the view orders cards: active first). */
const revokeOn = (last4: string) => screen.getByRole('button', { name: new RegExp(`^Revoke card .*${last4}$`) })

/** Lets the countdown run for `ms` milliseconds. */
const wait = (ms: number) => vi.advanceTimersByTimeAsync(ms)

describe('revoke from a tile', () => {
  test('every tile and list row has one Revoke button; the header has Revoke a card… and Revoke all cards…', async () => {
    const { user } = await openCustomer()
    expect(screen.getAllByTestId('revoke-card')).toHaveLength(3)
    const visa = screen.getAllByTestId('card').find((c) => c.dataset.token === cards1234[0]!.token)!
    expect(within(visa).getByTestId('revoke-card')).toHaveAccessibleName('Revoke card 4123 62•• •••• 0028')
    expect(screen.getByTestId('customer-revoke')).toHaveTextContent('Revoke a card…')
    expect(screen.getByTestId('customer-revoke-all')).toHaveTextContent('Revoke all cards…')
    await user.click(screen.getByRole('button', { name: 'List' }))
    expect(screen.getAllByTestId('card-row').map((r) => within(r).getAllByTestId('revoke-card').length)).toEqual([1, 1, 1])
  })

  test('no cards: the revoke actions stay in place, disabled, and say why; Refresh and Forget do not move', async () => {
    await openCustomer({}, '1234', [])
    for (const id of ['customer-revoke', 'customer-revoke-all']) {
      expect(screen.getByTestId(id)).toBeDisabled()
      expect(screen.getByTestId(id)).toHaveAccessibleDescription('This customer has no saved cards to revoke.')
    }
    const order = [...screen.getByTestId('customer-view').querySelectorAll('.actions button')].map((b) => b.textContent?.trim())
    expect(order).toEqual(['Refresh R', 'Revoke a card…', 'Revoke all cards…', 'Forget this customer'])
  })

  test('the right last 4: nothing is sent during the five seconds, then one revoke_card; the result, the reply, and the grid refreshed', async () => {
    const { user, field, dialog, calls } = await openCustomer()
    await user.click(revokeOn('0028'))
    expect(dialog()).toHaveAttribute('open')
    expect(within(dialog()).getByTestId('card')).toHaveAttribute('data-token', '49D902C6-1CCF-4605-9228-11D0E8115C77')
    expect(field('revoke-last4')).toHaveFocus()
    await user.type(field('revoke-last4'), '0028')
    expect(dialog()).toHaveTextContent('Matches this card')
    await user.type(field('revoke-ticket'), 'SUP-48213{Enter}')

    const countdown = field('revoke-countdown')
    expect(countdown).toHaveTextContent('Removing in 5 seconds')
    expect(field('revoke-undo')).toHaveFocus()
    await wait(1000)
    expect(countdown).toHaveTextContent('Removing in 4 seconds')
    await wait(3800)
    expect(countdown).toHaveTextContent('Removing in 1 second')
    expect(calls('revoke_card')).toEqual([])
    await wait(300)
    await waitFor(() => expect(calls('revoke_card')).toHaveLength(1))
    expect(calls('revoke_card')[0]).toEqual({
      request: {
        profileId: 'sandbox',
        customer: '1234',
        token: '49D902C6-1CCF-4605-9228-11D0E8115C77',
        last4Confirmation: '0028',
        reason: 'customer_request',
        note: null,
        ticket: 'SUP-48213',
        customerConfirmation: null,
        // For the reply's date: the agent's own, not UTC.
        utcOffsetMinutes: 0 - new Date().getTimezoneOffset(),
      },
    })

    const result = await within(dialog()).findByTestId('revoke-result')
    expect(result).toHaveAttribute('data-outcome', 'removed')
    expect(within(result).getByTestId('revoke-outcome')).toHaveTextContent('Removed')
    expect(result).toHaveTextContent('The gateway confirmed the removal.')
    expect(result).toHaveTextContent('4123 62•• •••• 0028')
    expect(within(result).getByTestId('revoke-audit-seq')).toHaveTextContent(/^#\d+ \(intent #\d+\)$/)
    expect(result.querySelector('time')).toHaveAttribute('title', expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC$/))
    const reply = within(result).getByTestId('revoke-reply')
    // A letter's date: the day, unbroken, no UTC time.
    expect(reply.textContent).toMatch(/^Your saved card 4123\u00a062••\u00a0••••\u00a00028 was removed from our payment system on \d{1,2}\u00a0[A-Z][a-z]+\u00a0\d{4}\. .* Reference: SUP-48213\.$/)
    expect(reply).not.toHaveTextContent('UTC')
    await user.click(within(result).getByTestId('revoke-copy'))
    expect(await navigator.clipboard.readText()).toBe(reply.textContent)
    expect(result).toHaveTextContent('Copied')
    await user.click(within(result).getByRole('button', { name: 'RU' }))
    expect(reply).toHaveTextContent(/^Ваша сохранённая карта 4123 62•• •••• 0028 удалена/)
    expect(reply).toHaveAttribute('lang', 'ru')

    const lookups = calls('lookup').length
    await user.click(field('revoke-close'))
    await waitFor(() => expect(screen.getByTestId('card-count')).toHaveTextContent('2 saved cards'))
    expect(screen.queryByTestId('revoke-dialog')).not.toBeInTheDocument()
    expect(calls('lookup').slice(lookups)).toEqual([{ customer: '1234', want: 'fresh' }])

    // Back at the search, the recent list counts the cards left.
    await user.keyboard('{Escape}')
    const recent = await screen.findByRole('button', { name: 'Open customer 1234' })
    expect(recent).toHaveTextContent('2 saved cards')
  })

  test('wrong last 4 digits are refused on the spot, naming the field; nothing counts down, nothing is sent', async () => {
    const { user, field, errors, calls } = await openCustomer()
    await user.click(revokeOn('0028'))
    await user.type(field('revoke-last4'), '9999')
    expect(errors()).toEqual(['Last 4 digits: they do not match this card. Ask the customer to read them again.'])
    expect(field('revoke-last4')).toHaveAttribute('aria-invalid', 'true')
    await user.clear(field('revoke-last4'))
    await user.type(field('revoke-last4'), '4417') // another card of this customer
    expect(errors()[0]).toMatch(/^Last 4 digits: they do not match this card, but another card of this customer/)
    await user.type(field('revoke-ticket'), 'SUP-1')
    await user.click(field('revoke-submit'))
    expect(screen.queryByTestId('revoke-countdown')).not.toBeInTheDocument()
    await user.clear(field('revoke-last4'))
    await user.type(field('revoke-last4'), '12')
    await user.click(field('revoke-submit'))
    expect(errors()).toEqual(['Last 4 digits: type the 4 digits the customer reads out.'])
    await wait(6000)
    expect(calls('revoke_card')).toEqual([])
  })

  test('Undo within the countdown sends nothing; Esc undoes too; the form keeps what was typed', async () => {
    const { user, field, dialog, calls } = await openCustomer()
    await user.click(revokeOn('4417'))
    await user.type(field('revoke-last4'), '4417')
    await user.type(field('revoke-ticket'), 'SUP-2{Enter}')
    await wait(4000)
    await user.click(field('revoke-undo'))
    expect(within(dialog()).queryByTestId('revoke-countdown')).not.toBeInTheDocument()
    expect(field('revoke-undone')).toHaveTextContent('Undone — nothing was sent to the gateway.')
    expect(field('revoke-last4')).toHaveValue('4417')
    expect(field('revoke-ticket')).toHaveValue('SUP-2')
    expect(field('revoke-last4')).toHaveFocus()
    await wait(6000)
    expect(calls('revoke_card')).toEqual([])

    await user.click(field('revoke-submit'))
    expect(field('revoke-countdown')).toBeInTheDocument()
    await wait(2500)
    await user.keyboard('{Escape}')
    expect(within(dialog()).queryByTestId('revoke-countdown')).not.toBeInTheDocument()
    expect(dialog()).toHaveAttribute('open') // Esc undid; it did not close the dialog
    await wait(6000)
    expect(calls('revoke_card')).toEqual([])

    // a second Esc closes the dialog; nothing was sent, so the view is not reloaded
    const lookups = calls('lookup').length
    await user.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByTestId('revoke-dialog')).not.toBeInTheDocument())
    expect(screen.getByTestId('customer-view')).toBeInTheDocument()
    expect(calls('lookup')).toHaveLength(lookups)
  })

  test('an Esc sent to the document (focus outside the dialog) still undoes, then closes', async () => {
    const { user, field, dialog, calls } = await openCustomer()
    await user.click(revokeOn('0028'))
    await user.type(field('revoke-last4'), '0028')
    await user.type(field('revoke-ticket'), 'SUP-2{Enter}')
    await fireEvent.keyDown(document, { key: 'Escape' })
    expect(within(dialog()).queryByTestId('revoke-countdown')).not.toBeInTheDocument()
    await fireEvent.keyDown(document, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByTestId('revoke-dialog')).not.toBeInTheDocument())
    expect(screen.getByTestId('customer-view')).toBeInTheDocument() // only the dialog closed
    await wait(6000)
    expect(calls('revoke_card')).toEqual([])
  })

  test('a ticket is required by default; the Settings switch relaxes it and no ticket is sent', async () => {
    const { user, field, errors, calls } = await openCustomer()
    await user.click(revokeOn('0028'))
    expect(within(screen.getByTestId('revoke-dialog')).getByText('required')).toBeInTheDocument()
    await user.type(field('revoke-last4'), '0028{Enter}')
    expect(errors()).toEqual(['Ticket reference: required (Settings: “Require a ticket reference to revoke a card”).'])
    expect(field('revoke-ticket')).toHaveFocus()
    expect(screen.queryByTestId('revoke-countdown')).not.toBeInTheDocument()
    await user.keyboard('{Escape}')

    // Settings → "Require a ticket reference to revoke a card" off
    await user.click(screen.getByTestId('nav-settings'))
    await user.click(screen.getByLabelText('Require a ticket reference to revoke a card'))
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    await screen.findByText('Settings saved')
    expect(calls('save_settings').at(-1)).toMatchObject({ settings: { requireTicket: false } })
    await user.click(screen.getByTestId('nav-search'))
    await search(user, '1234')
    await screen.findByTestId('customer-heading')

    await user.click(revokeOn('0028'))
    expect(within(screen.getByTestId('revoke-dialog')).getByText('optional (Settings)')).toBeInTheDocument()
    await user.type(field('revoke-last4'), '0028{Enter}')
    expect(errors()).toEqual([])
    await wait(5200)
    await waitFor(() => expect(calls('revoke_card')).toHaveLength(1))
    expect(calls('revoke_card')[0]).toMatchObject({ request: { ticket: null } })
    expect(await screen.findByTestId('revoke-reply')).toHaveTextContent(/Reference: audit #\d+\.$/)
  })

  test('the reason "other" needs a note', async () => {
    const { user, field, errors, calls } = await openCustomer()
    await user.click(revokeOn('1030'))
    await user.type(field('revoke-last4'), '1030')
    await user.selectOptions(field('revoke-reason'), 'other')
    expect(screen.getByText('required for “Other”')).toBeInTheDocument()
    await user.type(field('revoke-ticket'), 'SUP-3{Enter}')
    expect(errors()).toEqual(['Note: required when the reason is “Other” — say why the card is removed.'])
    expect(field('revoke-note')).toHaveFocus()
    await user.type(field('revoke-note'), 'Card replaced by the bank')
    expect(errors()).toEqual([])
    await user.click(field('revoke-submit'))
    await wait(5200)
    await waitFor(() => expect(calls('revoke_card')).toHaveLength(1))
    expect(calls('revoke_card')[0]).toMatchObject({ request: { reason: 'other', note: 'Card replaced by the bank' } })
  })

  test('a refusal from Rust (the card is gone meanwhile) is shown in the dialog and the view is refreshed on closing', async () => {
    const { user, field, desk, calls } = await openCustomer()
    await user.click(revokeOn('0028'))
    desk.state.lookups['1234']!.cards.shift() // someone else removed it
    await user.type(field('revoke-last4'), '0028')
    await user.type(field('revoke-ticket'), 'SUP-4{Enter}')
    await wait(5200)
    const refusal = await within(screen.getByTestId('revoke-dialog')).findByText(/card token: not among the cards customer 1234 has now/)
    expect(refusal.closest('[data-testid="revoke-error"]')).toHaveTextContent('Card Desk did not send the removal:')
    const lookups = calls('lookup').length
    await user.click(field('revoke-cancel'))
    await waitFor(() => expect(screen.getByTestId('card-count')).toHaveTextContent('2 saved cards'))
    expect(calls('lookup')).toHaveLength(lookups + 1)
  })

  test('a failure that is not about the input is explained, and the agent can try again', async () => {
    const { user, field } = await openCustomer({
      revoke: { '49D902C6-1CCF-4605-9228-11D0E8115C77': { error: { code: 'audit_log', message: 'the audit log could not be written: disk full' } } },
    })
    await user.click(revokeOn('0028'))
    await user.type(field('revoke-last4'), '0028')
    await user.type(field('revoke-ticket'), 'SUP-5{Enter}')
    await wait(5200)
    const error = await within(screen.getByTestId('revoke-dialog')).findByTestId('error')
    expect(error).toHaveTextContent('The audit log could not be written')
    expect(error).toHaveTextContent('disk full')
    expect(field('revoke-submit')).toBeEnabled()
  })
})

describe('outcomes', () => {
  test.each([
    ['removed_confirmed_by_recheck', 'Removed — confirmed by re-check', 'tone-ok', 'Your saved card 4123 62•• •••• 0028 was removed'],
    ['not_removed', 'Not removed', 'tone-danger', 'We could not remove your saved card 4123 62•• •••• 0028 yet'],
    ['unknown', 'Unknown — check again', 'tone-warn', 'Your request to remove the saved card 4123 62•• •••• 0028 is being processed'],
    ['already_removed', 'Already removed', 'tone-info', 'Your saved card 4123 62•• •••• 0028 is no longer stored'],
  ] as const)('%s: "%s" in its colour, with the fault and a fitting reply', async (outcome, label, tone, reply) => {
    const fault = outcome === 'not_removed' ? { faultCodes: '7/141', detail: 'gateway fault 7/141: operation not permitted' } : {}
    const { user, field } = await openCustomer({ revoke: { '49D902C6-1CCF-4605-9228-11D0E8115C77': { outcome, ...fault } } })
    await user.click(revokeOn('0028'))
    await user.type(field('revoke-last4'), '0028')
    await user.type(field('revoke-ticket'), 'SUP-6{Enter}')
    await wait(5200)
    const result = await within(screen.getByTestId('revoke-dialog')).findByTestId('revoke-result')
    expect(result).toHaveAttribute('data-outcome', outcome)
    expect(within(result).getByTestId('revoke-outcome')).toHaveTextContent(label)
    expect(within(result).getByRole('heading', { name: label })).toHaveFocus()
    expect(within(result).getByTestId('revoke-outcome').closest('.verdict')).toHaveClass(tone)
    expect(within(result).getByTestId('revoke-reply')).toHaveTextContent(reply)
    if (outcome === 'not_removed') expect(within(result).getByTestId('revoke-fault')).toHaveTextContent('fault 7/141 gateway fault 7/141: operation not permitted')
    await user.click(field('revoke-close'))
    const left = outcome === 'not_removed' || outcome === 'unknown' ? '3 saved cards' : '2 saved cards'
    await waitFor(() => expect(screen.getByTestId('card-count')).toHaveTextContent(left))
  })
})

describe('an unknown outcome', () => {
  test('offers "Check again", which settles it from a fresh list without sending a removal', async () => {
    const { user, field, calls } = await openCustomer({ revoke: { '49D902C6-1CCF-4605-9228-11D0E8115C77': { outcome: 'unknown', detail: 'reply lost: timed out; a re-check still listed the card' } } })
    await user.click(revokeOn('0028'))
    await user.type(field('revoke-last4'), '0028')
    await user.type(field('revoke-ticket'), 'SUP-8{Enter}')
    await wait(5200)
    const result = await within(screen.getByTestId('revoke-dialog')).findByTestId('revoke-result')
    expect(within(result).getByTestId('revoke-outcome')).toHaveTextContent('Unknown — check again')
    expect(result).toHaveTextContent('The gateway may still be working on it')
    expect(result).not.toHaveTextContent('still stored')
    await user.click(within(result).getByTestId('revoke-check-again'))
    await wait(5200)
    const checked = within(result).getByTestId('revoke-check-result') // a live region, there all along
    await waitFor(() => expect(checked).toHaveTextContent('Checked again: Removed — confirmed by re-check'))
    expect(checked).toHaveAttribute('data-settled', 'removed_confirmed_by_recheck')
    expect(within(result).queryByTestId('revoke-check-again')).toBeNull()
    expect(calls('revoke_card')).toHaveLength(1)
    // Entry 1 is the lookup, 2 the intent.
    expect(calls('check_removal')).toEqual([{ intentSeq: 2 }])
    await user.click(field('revoke-close'))
    await waitFor(() => expect(screen.getByTestId('card-count')).toHaveTextContent('2 saved cards'))
  })

  test('"Check again" too soon says why the outcome is still open', async () => {
    const { user, field } = await openCustomer({
      revoke: { '49D902C6-1CCF-4605-9228-11D0E8115C77': { outcome: 'unknown' } },
      checkAgain: { leftOpen: 'the card is still listed, but its removal may have been sent only moments ago' },
    })
    await user.click(revokeOn('0028'))
    await user.type(field('revoke-last4'), '0028')
    await user.type(field('revoke-ticket'), 'SUP-9{Enter}')
    await wait(5200)
    const result = await within(screen.getByTestId('revoke-dialog')).findByTestId('revoke-result')
    await user.click(within(result).getByTestId('revoke-check-again'))
    await wait(5200)
    const checked = within(result).getByTestId('revoke-check-result') // a live region, there all along
    await waitFor(() => expect(checked).toHaveTextContent('Still unknown: the card is still listed'))
    expect(within(result).getByTestId('revoke-check-again')).toBeEnabled()
  })
})

describe('revoke from the customer header', () => {
  test('the typed last 4 find the card: none is said so; one is selected; several are shown side by side and one must be picked', async () => {
    const { user, field, errors, calls } = await openCustomer({}, '77', twins)
    await user.click(screen.getByTestId('customer-revoke'))
    expect(screen.getByTestId('revoke-card-shown')).toHaveTextContent('The card appears here once the 4 digits match')
    await user.type(field('revoke-last4'), '5555')
    expect(errors()).toEqual(['Last 4 digits: no card of this customer ends in 5555. Ask the customer to read them again.'])
    await user.clear(field('revoke-last4'))
    await user.type(field('revoke-last4'), '7731')
    expect(errors()).toEqual([])
    expect(within(screen.getByTestId('revoke-card-shown')).getByTestId('card')).toHaveAttribute('data-token', 'T-7731')

    await user.clear(field('revoke-last4'))
    await user.type(field('revoke-last4'), '0028')
    const candidates = screen.getAllByTestId('revoke-candidate')
    expect(candidates.map((c) => c.dataset.token)).toEqual(['T-0028-A', 'T-0028-B'])
    expect(candidates[0]).toHaveAccessibleName('4276 38•• •••• 0028, VISA, Сбербанк, valid thru 05/2027')
    expect(candidates[1]).toHaveAccessibleName('2200 70•• •••• 0028, MIR, ВТБ, valid thru 11/2029')
    expect(screen.getByRole('radiogroup', { name: 'Cards ending in 0028' })).toBeInTheDocument()
    await user.type(field('revoke-ticket'), 'SUP-7{Enter}')
    expect(errors()).toEqual(['Card: several cards end in 0028 — pick the one the customer means.'])
    expect(candidates[0]).toHaveFocus()
    expect(screen.queryByTestId('revoke-countdown')).not.toBeInTheDocument()

    // arrow keys move the choice; a click picks
    await user.keyboard('{ArrowRight}')
    expect(screen.getAllByTestId('revoke-candidate')[1]).toHaveAttribute('aria-checked', 'true')
    await user.click(screen.getAllByTestId('revoke-candidate')[0]!)
    expect(screen.getAllByTestId('revoke-candidate')[0]).toHaveAttribute('aria-checked', 'true')
    expect(screen.getAllByTestId('revoke-candidate')[1]).toHaveAttribute('aria-checked', 'false')
    expect(errors()).toEqual([])
    await user.click(field('revoke-submit'))
    expect(field('revoke-countdown')).toHaveTextContent('Card 4276 38•• •••• 0028 of customer 77 will be removed')
    await wait(5200)
    await waitFor(() => expect(calls('revoke_card')).toHaveLength(1))
    expect(calls('revoke_card')[0]).toMatchObject({ request: { token: 'T-0028-A', last4Confirmation: '0028' } })
  })

  test('a production profile needs the customer number typed again, exactly', async () => {
    const prod = { ...productionProfile, hasPassword: true }
    const { user, field, errors, calls } = await openCustomer(
      {
        status: status({ activeProfileId: 'p-prod', profiles: [sandboxProfile, prod] }),
        lookups: { 'CRM-100234': lookupOf('CRM-100234', twins, { profileId: 'p-prod', profileName: prod.name, environment: 'production' }) },
      },
      'CRM-100234',
      twins,
    )
    await user.click(screen.getByTestId('customer-revoke'))
    expect(screen.getByTestId('revoke-dialog')).toHaveTextContent('Production profile: real customer, real card.')
    await user.type(field('revoke-last4'), '7731')
    await user.type(field('revoke-ticket'), 'SUP-8{Enter}')
    expect(errors()).toEqual(['Customer number again: required in a production profile — type the customer number.'])
    expect(field('revoke-confirm-customer')).toHaveFocus()
    await user.type(field('revoke-confirm-customer'), 'CRM-100243')
    expect(errors()).toEqual(['Customer number again: does not match customer CRM-100234.'])
    await user.clear(field('revoke-confirm-customer'))
    await user.type(field('revoke-confirm-customer'), 'CRM-100234{Enter}')
    expect(errors()).toEqual([])
    await wait(5200)
    await waitFor(() => expect(calls('revoke_card')).toHaveLength(1))
    expect(calls('revoke_card')[0]).toMatchObject({ request: { profileId: 'p-prod', customerConfirmation: 'CRM-100234', token: 'T-7731' } })
  })

  test('Russian: the countdown and the errors in Russian, with plurals', async () => {
    const { user, field, errors } = await openCustomer()
    await user.click(screen.getByRole('button', { name: 'RU' }))
    await user.click(screen.getByTestId('customer-revoke'))
    await user.type(field('revoke-last4'), '4417{Enter}')
    expect(errors()).toEqual(['Номер обращения: обязателен (настройки: «Требовать номер обращения для удаления карты»).'])
    await user.type(field('revoke-ticket'), 'SUP-9{Enter}')
    expect(field('revoke-countdown')).toHaveTextContent('Удаление через 5 секунд')
    await wait(1000)
    expect(field('revoke-countdown')).toHaveTextContent('Удаление через 4 секунды')
    await wait(3000)
    expect(field('revoke-countdown')).toHaveTextContent('Удаление через 1 секунду')
    expect(field('revoke-undo')).toHaveTextContent('Отменить')
  })
})

describe('revoke all cards of a customer', () => {
  test('erasure preset, the cards listed, countdown with Undo, then a result per card', async () => {
    const { user, calls } = await openCustomer({
      revoke: {
        '4D7F0B0D-B701-47B0-779A-BB0CB5F25A14': { outcome: 'already_removed', faultCodes: '10/203', detail: 'gateway fault 10/203: card token not found' },
        '54F5A3DE-4B47-4B40-03B5-7FF992D6B401': { error: { code: 'transport', message: 'could not fetch the customer’s current cards: connection refused' } },
      },
    })
    await user.click(screen.getByTestId('customer-revoke-all'))
    const dialog = screen.getByTestId('revoke-all-dialog')
    const field = (id: string) => within(dialog).getByTestId(id)
    expect(dialog).toHaveTextContent('Revoke all cards of customer 1234')
    expect(field('revoke-reason')).toHaveValue('erasure_request')
    expect(within(dialog).getAllByTestId('card-row')).toHaveLength(3)
    expect(field('revoke-submit')).toHaveTextContent('Revoke all 3 cards')

    await user.click(field('revoke-submit'))
    expect(within(dialog).getAllByTestId('revoke-error').map((e) => e.textContent?.trim())).toEqual([
      'Ticket reference: required (Settings: “Require a ticket reference to revoke a card”).',
    ])
    await user.type(field('revoke-ticket'), 'GDPR-114{Enter}')
    expect(field('revoke-countdown')).toHaveTextContent('All 3 cards of customer 1234 will be removed at the gateway.')
    await wait(3000)
    await user.click(field('revoke-undo'))
    await wait(6000)
    expect(calls('revoke_all_cards')).toEqual([])

    await user.click(field('revoke-submit'))
    await wait(5200)
    await waitFor(() => expect(calls('revoke_all_cards')).toHaveLength(1))
    expect(calls('revoke_all_cards')[0]).toEqual({
      request: {
        profileId: 'sandbox',
        customer: '1234',
        reason: 'erasure_request',
        note: null,
        ticket: 'GDPR-114',
        customerConfirmation: null,
        utcOffsetMinutes: 0 - new Date().getTimezoneOffset(),
      },
    })
    await within(dialog).findByTestId('revoke-all-result')
    const rows = within(dialog).getAllByTestId('revoke-all-row')
    expect(rows.map((r) => r.dataset.outcome)).toEqual(['removed', 'already_removed', 'error'])
    expect(rows[0]).toHaveTextContent('4123 62•• •••• 0028')
    expect(rows[0]).toHaveTextContent('Removed')
    expect(rows[1]).toHaveTextContent('Already removed')
    expect(rows[1]).toHaveTextContent('10/203')
    expect(rows[2]).toHaveTextContent('not sent')
    expect(rows[2]).toHaveTextContent('connection refused')
    expect(field('revoke-all-summary')).toHaveTextContent('2 of 3 cards are gone')
    // One reply for the customer, as Rust wrote it, in either language, ready to copy.
    const reply = within(dialog).getByTestId('revoke-reply')
    expect(reply).toHaveTextContent('[fake reply] cards 4123 62•• •••• 0028, 5186 15•• •••• 1030, 2202 20•• •••• 4417. Reference: GDPR-114.')
    await user.click(within(dialog).getByTestId('reply-ru'))
    expect(reply).toHaveTextContent('Номер обращения: GDPR-114.')
    expect(reply).toHaveAttribute('lang', 'ru')
    await user.click(within(dialog).getByTestId('revoke-copy'))
    expect(await navigator.clipboard.readText()).toBe(reply.textContent)

    await user.click(field('revoke-close'))
    await waitFor(() => expect(screen.getByTestId('card-count')).toHaveTextContent('1 saved card'))
  })
})

describe('heard and focused (issue 19)', () => {
  test('one live region, there from the opening, says each step; focus is on the title while Rust works, on the verdict after, on the card count once the tile is gone', async () => {
    const { user, field, dialog } = await openCustomer({ revokeDelayMs: 3000 })
    await user.click(revokeOn('0028'))
    const live = field('revoke-live')
    expect(live).toHaveAttribute('role', 'status')
    expect(live).toHaveTextContent(/^$/)
    await user.type(field('revoke-last4'), '0028')
    await user.type(field('revoke-ticket'), 'SUP-1{Enter}')
    expect(field('revoke-live')).toBe(live)
    expect(live).toHaveTextContent('The removal is sent in 5 seconds. Press Undo or Escape to cancel.')
    // nothing inside the countdown or the working state is a live region of its own
    expect(within(field('revoke-countdown')).queryByRole('status')).toBeNull()
    await wait(5100)
    await waitFor(() => expect(field('revoke-working')).toBeInTheDocument())
    expect(within(field('revoke-working')).queryByRole('status')).toBeNull()
    expect(field('revoke-live')).toBe(live)
    expect(live).toHaveTextContent('Removing… reading the card list back…')
    await waitFor(() => expect(within(dialog()).getByRole('heading', { level: 2, name: 'Revoke a saved card' })).toHaveFocus())
    await wait(3100)
    const verdict = await within(dialog()).findByRole('heading', { level: 3, name: 'Removed' })
    await waitFor(() => expect(verdict).toHaveFocus())
    expect(field('revoke-live')).toBe(live)
    await user.click(field('revoke-close'))
    await waitFor(() => expect(screen.getByTestId('card-count')).toHaveTextContent('2 saved cards'))
    await waitFor(() => expect(screen.getByTestId('card-count')).toHaveFocus())
  })

  test('Undo is said in the same live region; Undo names Esc as its shortcut, not in its name', async () => {
    const { user, field } = await openCustomer()
    await user.click(revokeOn('0028'))
    const live = field('revoke-live')
    await user.type(field('revoke-last4'), '0028')
    await user.type(field('revoke-ticket'), 'SUP-1{Enter}')
    expect(field('revoke-undo')).toHaveAccessibleName('Undo')
    expect(field('revoke-undo')).toHaveAttribute('aria-keyshortcuts', 'Escape')
    await user.click(field('revoke-undo'))
    expect(field('revoke-live')).toBe(live)
    expect(live).toHaveTextContent('Undone — nothing was sent to the gateway.')
    expect(field('revoke-last4')).toHaveFocus()
  })

  test('a failed call puts focus on what went wrong, not on the page', async () => {
    const { user, field } = await openCustomer({
      revoke: { '49D902C6-1CCF-4605-9228-11D0E8115C77': { error: { code: 'audit_log', message: 'the audit log could not be written: disk full' } } },
    })
    await user.click(revokeOn('0028'))
    await user.type(field('revoke-last4'), '0028')
    await user.type(field('revoke-ticket'), 'SUP-5{Enter}')
    await wait(5200)
    const error = await within(screen.getByTestId('revoke-dialog')).findByTestId('error')
    await waitFor(() => expect(error.closest('[data-failure]')).toHaveFocus())
  })

  test('revoke-all opens on its first field, says its steps in one live region, and leaves focus on the card count', async () => {
    const { user } = await openCustomer()
    await user.click(screen.getByTestId('customer-revoke-all'))
    const dialog = screen.getByTestId('revoke-all-dialog')
    const field = (id: string) => within(dialog).getByTestId(id)
    expect(field('revoke-reason')).toHaveFocus()
    const live = field('revoke-live')
    await user.type(field('revoke-ticket'), 'GDPR-1{Enter}')
    expect(live).toHaveTextContent('The removal is sent in 5 seconds')
    await wait(5200)
    const tally = await within(dialog).findByTestId('revoke-all-summary')
    await waitFor(() => expect(tally).toHaveFocus())
    expect(field('revoke-live')).toBe(live)
    await user.click(field('revoke-close'))
    await waitFor(() => expect(screen.getByTestId('card-count')).toHaveTextContent('0 saved cards'))
    await waitFor(() => expect(screen.getByTestId('card-count')).toHaveFocus())
  })
})

describe('the two dialogs side by side', () => {
  test('the revoke dialog and the revoke-all dialog have the same width class', async () => {
    const { user, dialog, field } = await openCustomer()
    const sizeOf = (d: HTMLElement) => [...d.classList].filter((c) => c === 'wide' || c === 'xwide')
    await user.click(revokeOn('0028'))
    const one = sizeOf(dialog())
    await user.click(field('revoke-cancel'))
    await waitFor(() => expect(screen.queryByTestId('revoke-dialog')).toBeNull())
    await user.click(screen.getByTestId('customer-revoke-all'))
    const all = sizeOf(screen.getByTestId('revoke-all-dialog'))
    expect(one).toEqual(['xwide'])
    expect(all).toEqual(one)
  })
})
