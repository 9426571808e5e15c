// The customer view: "as of", stale and offline states, refresh, forget (with a confirmation),
// and the card tiles composed from card art — combined, background with logos, generated —
// falling back when art fails, PDFs drawn into a canvas (pdf.js mocked), terms shown as text.
// The offline notice and "Customer forgotten" go into live regions that were there, empty, before.
import { describe, expect, test, vi } from 'vitest'
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { renderApp, search } from '../test/render'
import { art, card, cards100500, cards100700, cards1234, lookupOf, many, plainCards, status } from '../test/fixtures'
import { renderPdf } from '../lib/pdf'

async function openCustomer(cards = cards1234, over = {}, seed = {}) {
  const r = await renderApp({ status: status(), lookups: { '1234': lookupOf('1234', cards, over) }, ...seed })
  await search(r.user, '1234')
  await screen.findByTestId('customer-heading')
  return r
}

describe('customer header', () => {
  test('customer number, profile, "as of" in the UI language; fresh data has no stale or offline marks', async () => {
    const { user } = await openCustomer()
    expect(screen.getByTestId('customer-heading')).toHaveTextContent('Customer 1234')
    expect(screen.getByTestId('customer-view')).toHaveTextContent('Sandbox')
    expect(screen.getByTestId('as-of')).toHaveTextContent(/^as of 27 Nov 2026, \d\d:\d\d$/)
    expect(screen.queryByTestId('stale-badge')).not.toBeInTheDocument()
    expect(screen.queryByTestId('offline-banner')).not.toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'RU' }))
    expect(screen.getByTestId('as-of')).toHaveTextContent(/^на 27 нояб\. 2026 г\., \d\d:\d\d$/)
  })

  test('stale cached data gets a stale badge; offline data an OFFLINE banner with the reason', async () => {
    await openCustomer(cards1234, {
      source: 'cache',
      stale: true,
      offlineReason: 'transport: connection refused',
      fetchedAt: '2026-11-25T08:15:00Z',
    })
    expect(screen.getByTestId('stale-badge')).toHaveTextContent('stale')
    expect(screen.getByTestId('stale-badge')).toHaveAttribute('title', expect.stringContaining('15 minutes'))
    expect(screen.getByTestId('offline-badge')).toHaveTextContent('offline')
    const banner = screen.getByTestId('offline-banner')
    expect(banner).toHaveTextContent('Showing cached data: the gateway could not be reached')
    expect(banner).toHaveTextContent('transport: connection refused')
    // Revoking needs the gateway: every Revoke is off, and says why (not a countdown that fails).
    expect(banner).toHaveTextContent('Revoking needs the gateway, which could not be reached just now.')
    for (const button of [screen.getByTestId('customer-revoke'), screen.getByTestId('customer-revoke-all'), ...screen.getAllByTestId('revoke-card')]) {
      expect(button).toBeDisabled()
      expect(button).toHaveAccessibleDescription('Revoking needs the gateway, which could not be reached just now. Refresh to try again.')
    }
  })

  test('a list from the cache says how old it is; R asks the gateway again', async () => {
    const fetchedAt = new Date(Date.now() - 12 * 60_000 - 5_000).toISOString()
    const { user, calls } = await openCustomer(cards1234, { source: 'cache', fetchedAt }, {
      refreshed: { '1234': lookupOf('1234', cards1234.slice(0, 2)) },
    })
    expect(screen.getByTestId('cache-age')).toHaveTextContent('From the cache, fetched 12 minutes ago')
    expect(screen.getByRole('button', { name: 'Refresh' })).toHaveAttribute('aria-keyshortcuts', 'R')
    await user.keyboard('r')
    await waitFor(() => expect(screen.getByTestId('card-count')).toHaveTextContent('2 saved cards'))
    expect(calls('lookup').at(-1)).toEqual({ customer: '1234', want: 'live' })
    expect(screen.queryByTestId('cache-age')).not.toBeInTheDocument()
  })

  test('among many cards: a filter by last 4, brand, bank or expiry; active first; a dense list', async () => {
    const cards = [
      ...many(8),
      card({ token: 'T-X', last4: '9999', masked: '4000 00•• •••• 9999', bank: 'Точка', expiry: { month: 3, year: 2027 }, expiryText: '03/2027' }),
    ]
    const { user } = await openCustomer(cards)
    const filter = screen.getByLabelText('Find a card')
    await user.type(filter, 'точка')
    await waitFor(() => expect(screen.getAllByTestId('masked').map((e) => e.textContent)).toEqual(['4000 00•• •••• 9999']))
    expect(screen.getByTestId('card-filter-shown')).toHaveTextContent('Showing 1 of 9')
    await user.clear(filter)
    await user.type(filter, 'nothing like it')
    expect(await screen.findByTestId('card-filter-none')).toHaveTextContent('No card matches “nothing like it”.')
    await user.click(screen.getByRole('button', { name: 'Show all cards' }))
    expect(screen.getAllByTestId('masked')).toHaveLength(9)
    await user.click(screen.getByTestId('layout-dense'))
    expect(screen.getByTestId('card-list')).toHaveAttribute('data-layout', 'dense')
    expect(localStorage.getItem('carddesk.cardLayout')).toBe('dense')
  })

  test('Refresh asks the gateway again (want: live) and shows the new answer', async () => {
    const { user, calls } = await openCustomer(cards1234, { stale: true, source: 'cache' }, {
      refreshed: { '1234': lookupOf('1234', cards1234.slice(0, 1)) },
    })
    await user.click(screen.getByRole('button', { name: 'Refresh' }))
    await waitFor(() => expect(screen.getByTestId('card-count')).toHaveTextContent('1 saved card'))
    expect(screen.queryByTestId('stale-badge')).not.toBeInTheDocument()
    expect(calls('lookup')).toEqual([{ customer: '1234', want: 'typed' }, { customer: '1234', want: 'live' }])
  })

  test('Forget this customer: confirm, forget_customer, back to the search with a note', async () => {
    const { user, calls } = await openCustomer()
    await user.click(screen.getByRole('button', { name: 'Forget this customer' }))
    const dialog = screen.getByTestId('forget-dialog')
    expect(dialog).toHaveTextContent('Forget customer 1234?')
    expect(dialog).toHaveTextContent('Their cards at the gateway are not touched')
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(calls('forget_customer')).toEqual([])
    await user.click(screen.getByRole('button', { name: 'Forget this customer' }))
    await user.click(within(dialog).getByRole('button', { name: 'Forget customer' }))
    expect(await screen.findByTestId('flash')).toHaveTextContent('Customer 1234 was forgotten')
    expect(calls('forget_customer')).toEqual([{ customer: '1234' }])
    expect(screen.getByLabelText('Customer number')).toHaveValue('')
  })

  test('"Customer forgotten" is said in the shell\'s live region, there and empty before Forget, as the search opens', async () => {
    const { user } = await openCustomer()
    const live = screen.getByTestId('flash-live')
    expect(live).toHaveAttribute('role', 'status')
    expect(live).toHaveTextContent(/^$/)
    await user.click(screen.getByRole('button', { name: 'Forget this customer' }))
    await user.click(within(screen.getByTestId('forget-dialog')).getByRole('button', { name: 'Forget customer' }))
    expect(await screen.findByTestId('flash')).toHaveTextContent('Customer 1234 was forgotten')
    expect(screen.getByTestId('flash-live')).toBe(live)
    expect(live).toHaveTextContent('Customer 1234 was forgotten: nothing about them is left in the cache.')
  })

  test('a refresh that finds the gateway gone: the offline notice comes into a live region that was there, empty, before', async () => {
    const { user } = await openCustomer(cards1234, {}, {
      refreshed: { '1234': lookupOf('1234', cards1234, { source: 'cache', stale: true, offlineReason: 'transport: connection refused' }) },
    })
    const live = screen.getByTestId('offline-live')
    expect(live).toHaveAttribute('role', 'status')
    expect(live).toBeEmptyDOMElement()
    await user.click(screen.getByRole('button', { name: 'Refresh' }))
    await waitFor(() => expect(within(live).getByTestId('offline-banner')).toBeInTheDocument())
    expect(screen.getByTestId('offline-live')).toBe(live)
    expect(live).toHaveTextContent('Showing cached data: the gateway could not be reached')
    expect(live).toHaveTextContent('transport: connection refused')
  })

  test('no cards: says so and what to do', async () => {
    await openCustomer([])
    expect(screen.getByTestId('card-count')).toHaveTextContent('0 saved cards')
    expect(screen.getByTestId('no-cards')).toHaveTextContent('This customer has no saved cards in this profile.')
    expect(screen.getByTestId('no-cards')).toHaveTextContent('search all profiles')
  })
})

describe('card tiles', () => {
  const face = (tile: HTMLElement) => tile.querySelector<HTMLElement>('[data-art]')!

  test('combined art fills the card; background art carries the logos; otherwise a generated tile', async () => {
    await openCustomer([...cards100700.slice(0, 1), cards100500[0]!, plainCards[0]!])
    const [combined, background, generated] = screen.getAllByTestId('card')
    expect(face(combined!)).toHaveAttribute('data-art', 'combined')
    expect(within(combined!).getAllByRole('img')).toHaveLength(1) // the logos are part of the combined image
    expect(within(combined!).getByRole('img', { name: 'Альфа-Банк Gold' })).toHaveAttribute('src', 'cardart://localhost/sandbox.alfa-combined.png')

    expect(face(background!)).toHaveAttribute('data-art', 'background')
    expect(within(background!).getAllByRole('img', { name: 'VISA' })).toHaveLength(2) // the background and the PDF logo
    expect(background!.querySelector('img')).toHaveAttribute('src', 'cardart://localhost/sandbox.visa-background.png')
    const pdf = background!.querySelector('canvas')!
    await waitFor(() => expect(pdf).toHaveAttribute('data-status', 'ok'))
    expect(vi.mocked(renderPdf)).toHaveBeenCalledWith('cardart://localhost/sandbox.visa-logo.pdf', pdf, expect.any(Number))

    expect(face(generated!)).toHaveAttribute('data-art', 'generated')
    expect(face(generated!)).toHaveClass('look-visa')
    expect(generated!.querySelector('img')).toBeNull()
    expect(within(generated!).getAllByText('Газпромбанк')).toHaveLength(2) // on the card and under it
  })

  test('art that fails to load drops out: combined → background → generated, no broken image left', async () => {
    const c = card({
      brand: 'MIR',
      bank: 'ВТБ',
      art: { combined: art('gone-1.png'), background: art('gone-2.png'), issuerLogo: art('gone-3.png') },
    })
    await openCustomer([c])
    const tile = screen.getByTestId('card')
    expect(face(tile)).toHaveAttribute('data-art', 'combined')
    await fireEvent.error(within(tile).getByRole('img'))
    expect(face(tile)).toHaveAttribute('data-art', 'background')
    for (const img of within(tile).getAllByRole('img')) await fireEvent.error(img)
    expect(face(tile)).toHaveAttribute('data-art', 'generated')
    expect(tile.querySelector('img')).toBeNull()
    expect(face(tile)).toHaveTextContent('ВТБ')
    expect(face(tile)).toHaveTextContent('МИР')
  })

  test('a PDF that cannot be drawn is marked data-status="error" and the generated part takes its place', async () => {
    vi.mocked(renderPdf).mockRejectedValueOnce(new Error('Invalid PDF structure'))
    const c = card({ brand: 'VISA', art: { brandLogo: art('broken.pdf', 'pdf', 'application/pdf') } })
    await openCustomer([c])
    const tile = screen.getByTestId('card')
    await waitFor(() => expect(tile.querySelector('canvas')).toBeNull())
    expect(face(tile)).toHaveTextContent('VISA') // the wordmark is back
  })

  test('expiry badges: expired (red, alone), expires soon (amber); inactive and needs CVC', async () => {
    await openCustomer([...plainCards, card({ token: 'P5', masked: '4000 12•• •••• 5555', active: false })])
    const tile = (token: string) => screen.getAllByTestId('card').find((t) => t.dataset.token === token)!
    expect(within(tile('P3')).getByTestId('badge-soon')).toHaveTextContent('expires soon')
    expect(within(tile('P3')).getByTestId('badge-soon')).toHaveClass('warn')
    expect(within(tile('P4')).getByTestId('badge-expired')).toHaveClass('danger')
    // An expired card says "expired" and nothing that contradicts it ("active" or "inactive").
    expect(within(tile('P4')).queryByTestId('badge-inactive')).not.toBeInTheDocument()
    expect(tile('P4')).not.toHaveTextContent(/\bactive\b/)
    expect(within(tile('P5')).getByTestId('badge-inactive')).toBeInTheDocument()
    expect(tile('P2')).toHaveTextContent('needs CVC')
    expect(tile('P4')).toHaveTextContent('Bank not reported')
  })

  test('the list layout uses the cards’ icons and is remembered', async () => {
    const { user } = await openCustomer()
    await user.click(screen.getByRole('button', { name: 'List' }))
    const rows = screen.getAllByTestId('card-row')
    expect(rows).toHaveLength(3)
    const visa = rows.find((r) => r.dataset.token === cards1234[0]!.token)!
    expect(within(visa).getByRole('img', { name: 'VISA' })).toHaveAttribute('src', 'cardart://localhost/sandbox.visa-icon.png')
    expect(screen.getByRole('button', { name: 'List' })).toHaveAttribute('aria-pressed', 'true')
    expect(localStorage.getItem('carddesk.cardLayout')).toBe('list')
  })
})

describe('terms', () => {
  test('plain-text terms open in a dialog as text', async () => {
    const fetch = vi.fn(async () => new Response('1. The card was saved with your consent.\n2. <b>not bold</b>'))
    vi.stubGlobal('fetch', fetch)
    const { user } = await openCustomer(cards100700)
    await user.click(screen.getByRole('button', { name: 'Terms and conditions of card 4154 28•• •••• 7731' }))
    const dialog = screen.getByTestId('terms-dialog')
    const text = await within(dialog).findByTestId('terms-text')
    expect(text.tagName).toBe('PRE')
    expect(text.textContent).toBe('1. The card was saved with your consent.\n2. <b>not bold</b>')
    expect(text.querySelector('b')).toBeNull()
    expect(fetch).toHaveBeenCalledWith('cardart://localhost/sandbox.terms-ru.txt')
    expect(within(dialog).queryByTestId('terms-html-note')).not.toBeInTheDocument()
  })

  test('HTML terms are shown as escaped text with a note, never rendered', async () => {
    const html = '<h1>Terms</h1><script>document.title = "rendered!"</script><img src=x onerror="alert(1)">'
    vi.stubGlobal('fetch', vi.fn(async () => new Response(html, { headers: { 'content-type': 'text/html' } })))
    const { user } = await openCustomer(cards100700)
    await user.click(screen.getByRole('button', { name: 'Terms and conditions of card 5536 91•• •••• 2209' }))
    const dialog = screen.getByTestId('terms-dialog')
    expect(await within(dialog).findByTestId('terms-text')).toHaveTextContent(html)
    expect(within(dialog).getByTestId('terms-html-note')).toHaveTextContent('formatting is not shown')
    expect(dialog.querySelector('h1, script, img')).toBeNull()
  })

  test('terms that cannot be fetched say so', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('', { status: 502 })))
    const { user } = await openCustomer(cards100700)
    await user.click(screen.getByRole('button', { name: 'Terms and conditions of card 4154 28•• •••• 7731' }))
    expect(await within(screen.getByTestId('terms-dialog')).findByRole('alert')).toHaveTextContent('The terms could not be loaded')
  })
})
