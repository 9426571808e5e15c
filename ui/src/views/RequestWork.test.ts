// A customer's request worked end to end over the fake desk, and links from tickets: a lookup
// link fills the search and sends nothing until Find cards; a production link opens read-only
// until "Allow changes"; a new-request link prefills the form; a bad link says why; a link
// arriving over an open dialog waits. From a request: removals carry its id and ticket and show
// in it; a refusal ends in its confirmation, an erasure in the act and the log export (Rust's
// field errors beside the fields first).
import { afterEach, describe, expect, test, vi } from 'vitest'
import { screen, waitFor, within } from '@testing-library/svelte'
import { renderApp } from '../test/render'
import { aRequest, cards1234, lookupOf, productionProfile, sandboxProfile, status, testProfile } from '../test/fixtures'
import type { Request } from '../lib/ipc'

afterEach(() => {
  vi.useRealTimers()
})

const searchField = () => screen.getByLabelText(/^(Customer number|Номер клиента)$/)
const identified = { asked: 'e-mail on file', matched: true, by: 'anna', at: '2026-12-01T09:40:00Z' }

async function openRequest(user: Awaited<ReturnType<typeof renderApp>>['user'], name: RegExp) {
  await user.click(screen.getByTestId('nav-requests'))
  await user.click(await screen.findByRole('button', { name }))
  return screen.findByTestId('request-detail')
}

describe('links from tickets', () => {
  test('a lookup link fills the search and keeps the ticket; nothing is looked up until Find cards', async () => {
    const { user, calls } = await renderApp({
      status: status(),
      lookups: { '1234': lookupOf('1234', cards1234) },
      links: [{ link: { intent: { kind: 'lookup', customer: '1234', ticket: 'ZD-5812' }, readOnly: false } }],
    })
    await waitFor(() => expect(searchField()).toHaveValue('1234'))
    await waitFor(() => expect(searchField()).toHaveFocus())
    await new Promise((r) => setTimeout(r, 50))
    expect(calls('lookup')).toEqual([])
    expect(screen.queryByTestId('link-readonly-banner')).toBeNull()

    await user.click(screen.getByRole('button', { name: 'Find cards' }))
    await screen.findByTestId('customer-heading')
    expect(calls('lookup')).toHaveLength(1)
    await user.click(screen.getByTestId('customer-revoke-all'))
    expect(within(screen.getByTestId('revoke-all-dialog')).getByTestId('revoke-ticket')).toHaveValue('ZD-5812')
  })

  test('a link to a production profile makes it active and opens read-only until "Allow changes"', async () => {
    const prod = { ...productionProfile, hasPassword: true }
    const { user, calls } = await renderApp({
      status: status({ profiles: [sandboxProfile, prod] }),
      lookups: { '1234': lookupOf('1234', cards1234) },
      links: [{ link: { intent: { kind: 'lookup', customer: '1234', profile: 'p-prod', ticket: 'ZD-1' }, profileName: 'Shop production', environment: 'production', readOnly: true } }],
    })
    const banner = await screen.findByTestId('link-readonly-banner')
    expect(banner).toHaveTextContent('Opened from a ticket link on the production profile Shop production — read-only until you confirm')
    expect(calls('activate_profile')).toEqual([{ id: 'p-prod' }])
    expect(calls('lookup')).toEqual([])
    await waitFor(() => expect(searchField()).toHaveValue('1234'))

    await user.click(screen.getByRole('button', { name: 'Find cards' }))
    await screen.findByTestId('customer-heading')
    const revoke = screen.getByTestId('customer-revoke')
    expect(revoke).toBeDisabled()
    expect(revoke).toHaveAccessibleDescription(/Revoke and Revoke all are disabled/)
    expect(screen.getByTestId('customer-revoke-all')).toBeDisabled()
    for (const b of screen.getAllByTestId('revoke-card')) expect(b).toBeDisabled()

    await user.click(within(screen.getByTestId('link-readonly-banner')).getByTestId('link-allow-changes'))
    expect(screen.queryByTestId('link-readonly-banner')).toBeNull()
    expect(screen.getByTestId('customer-revoke')).toBeEnabled()
    expect(screen.getByTestId('customer-revoke-all')).toBeEnabled()
    for (const b of screen.getAllByTestId('revoke-card')) expect(b).toBeEnabled()
  })

  test('a new-request link opens the form prefilled', async () => {
    const { desk } = await renderApp({ status: status(), lookups: {} })
    await waitFor(() => expect(desk.state.calls.some((c) => c.cmd === 'link_feed')).toBe(true))
    expect(
      desk.state.pushLink({ link: { intent: { kind: 'new_request', requestKind: 'erasure_gdpr', customer: '100025', ticket: 'ZD-7', received: '2026-12-04' }, readOnly: false } }),
    ).toBe(true)
    expect(await screen.findByTestId('request-kind-erasure_gdpr')).toBeChecked()
    expect(screen.getByLabelText('Customer number 1')).toHaveValue('100025')
    expect(screen.getByLabelText(/^Ticket/)).toHaveValue('ZD-7')
    expect(screen.getByTestId('request-date')).toHaveValue('4 Dec 2026')
  })

  test('a link Rust could not read shows why (in the window’s language), until dismissed', async () => {
    localStorage.setItem('carddesk.locale', 'ru')
    const { user } = await renderApp({
      status: status(),
      lookups: {},
      links: [{ error: { code: 'validation', message: 'customer: must not contain any of < > " = \' / ( ) ; #', ru: 'клиент: не должен содержать символов < > " = \' / ( ) ; #' } }],
    })
    const banner = await screen.findByTestId('link-error-banner')
    expect(banner).toHaveTextContent('Ссылку из тикета открыть не удалось:')
    expect(banner).toHaveTextContent('клиент: не должен содержать символов')
    await user.click(within(banner).getByRole('button', { name: 'Скрыть' }))
    expect(screen.queryByTestId('link-error-banner')).toBeNull()
  })

  test('a link over an open dialog waits behind a banner and opens on "Open"', async () => {
    const { user, desk } = await renderApp({ status: status(), lookups: { '1234': lookupOf('1234', cards1234) } })
    await user.type(searchField(), '1234{Enter}')
    await screen.findByTestId('customer-heading')
    await user.click(screen.getByTestId('customer-revoke-all'))
    await user.type(within(screen.getByTestId('revoke-all-dialog')).getByTestId('revoke-ticket'), 'SUP-1')
    desk.state.pushLink({ link: { intent: { kind: 'lookup', customer: '100700' }, readOnly: false } })
    await screen.findByTestId('link-waiting-banner')
    expect(within(screen.getByTestId('revoke-all-dialog')).getByTestId('revoke-ticket')).toHaveValue('SUP-1')
    await user.click(within(screen.getByTestId('revoke-all-dialog')).getByTestId('revoke-cancel'))
    await user.click(screen.getByTestId('link-waiting-open'))
    await waitFor(() => expect(searchField()).toHaveValue('100700'))
    expect(screen.queryByTestId('link-waiting-banner')).toBeNull()
  })
})

describe('working a request', () => {
  test('removals from a request’s context carry its id and ticket, and the request shows them', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
    const req = aRequest({ kind: 'erasure152', ticket: 'SUP-77', status: { state: 'in_progress' }, identityChecks: [identified] })
    const { user, calls, desk } = await renderApp(
      { status: status(), lookups: { '1234': lookupOf('1234', cards1234) }, requests: [req] },
      { user: { advanceTimers: vi.advanceTimersByTime } },
    )
    let detail = await openRequest(user, /^Open request: Erasure/)
    await user.click(within(detail).getByTestId('request-lookup'))
    await screen.findByTestId('customer-heading')
    const bar = screen.getByTestId('request-context-bar')
    expect(bar).toHaveTextContent('Working on request Erasure, consent withdrawn (152-FZ) · SUP-77 — removals are recorded for it')
    // the lookup itself names the request, and the view is logged under it
    const sent = calls('lookup').at(-1) as { request?: string }
    expect(sent.request).toBeTruthy()
    const view = desk.state.audit.filter((e) => e.action === 'viewed_customer').at(-1)
    expect(view?.request).toBe(sent.request)
    expect(view?.ticket).toBe('SUP-77')
    // for an erasure, "Revoke all" leads
    const actions = screen.getAllByRole('button').filter((b) => ['customer-revoke', 'customer-revoke-all'].includes(b.dataset.testid ?? ''))
    expect(actions.map((b) => b.dataset.testid)).toEqual(['customer-revoke-all', 'customer-revoke'])
    expect(actions[0]).toHaveClass('danger')

    await user.click(screen.getByTestId('customer-revoke-all'))
    const dialog = screen.getByTestId('revoke-all-dialog')
    expect(within(dialog).getByTestId('revoke-ticket')).toHaveValue('SUP-77')
    expect(within(dialog).getByTestId('revoke-reason')).toHaveValue('erasure_request')
    await user.click(within(dialog).getByTestId('revoke-submit'))
    await vi.advanceTimersByTimeAsync(5200)
    await waitFor(() => expect(calls('revoke_all_cards')).toHaveLength(1))
    expect(calls('revoke_all_cards')[0]).toMatchObject({ request: { customer: '1234', ticket: 'SUP-77', reason: 'erasure_request', request: req.id } })
    await within(dialog).findByTestId('revoke-all-result')
    await user.click(within(dialog).getByTestId('revoke-close'))

    await user.click(within(screen.getByTestId('request-context-bar')).getByTestId('request-context-back'))
    detail = await screen.findByTestId('request-detail')
    await waitFor(() => expect(within(detail).getAllByTestId('request-removal')).toHaveLength(cards1234.length))
    expect(within(detail).getAllByTestId('request-removal')[0]).toHaveTextContent('Removed')
  })

  test('a request about all profiles looks the customer up in each, and every view is logged under it', async () => {
    const req = aRequest({ kind: 'erasure152', ticket: 'SUP-80', subjects: [{ customerNumber: '1234', profile: 'all_profiles' }], identityChecks: [identified] })
    const { user, calls, desk } = await renderApp({
      status: status({ profiles: [sandboxProfile, testProfile] }),
      lookups: { '1234': lookupOf('1234', cards1234) },
      requests: [req],
    })
    const detail = await openRequest(user, /^Open request: Erasure/)
    await user.click(within(detail).getByTestId('request-lookup'))
    const sections = await screen.findAllByTestId('profile-result')
    expect(sections.map((s) => s.dataset.profile)).toEqual(['sandbox', 'p-test'])
    expect(calls('lookup_all')).toEqual([{ customer: '1234', request: req.id }])
    expect(calls('lookup')).toEqual([])
    const views = desk.state.audit.filter((e) => e.action === 'viewed_customer')
    expect(views.map((e) => [e.profileId, e.request, e.ticket])).toEqual([
      ['sandbox', req.id, 'SUP-80'],
      ['p-test', req.id, 'SUP-80'],
    ])
  })

  test('a request on a profile without a password: Look up says so and the request stays', async () => {
    const locked = { ...testProfile, hasPassword: false }
    const req = aRequest({ kind: 'access152', ticket: 'SUP-81', subjects: [{ customerNumber: '1234', profile: { profile: locked.id } }] })
    const { user, calls } = await renderApp({
      status: status({ profiles: [sandboxProfile, locked] }),
      lookups: { '1234': lookupOf('1234', cards1234) },
      requests: [req],
    })
    const detail = await openRequest(user, /^Open request: Access/)
    await user.click(within(detail).getByTestId('request-lookup'))
    const error = await screen.findByTestId('request-lookup-error')
    expect(error).toHaveTextContent('This profile has no password. Add it in Settings')
    expect(calls('lookup')).toHaveLength(1)
    // nothing left the request: it is still open here and still in the register
    expect(screen.queryByTestId('customer-heading')).toBeNull()
    expect(screen.getByTestId('request-detail')).toHaveTextContent('SUP-81')
    await user.click(screen.getByTestId('request-back'))
    const rows = await screen.findAllByTestId('request-row')
    expect(rows.map((r) => r.dataset.id)).toContain(req.id)
  })

  test('a removal for a request Rust refuses (no identity check) sends nothing and says why', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
    const req = aRequest({ kind: 'card_refusal', ticket: 'SUP-9' })
    const { user, calls, desk } = await renderApp(
      { status: status(), lookups: { '1234': lookupOf('1234', cards1234) }, requests: [req] },
      { user: { advanceTimers: vi.advanceTimersByTime } },
    )
    const detail = await openRequest(user, /^Open request: Refusal/)
    await user.click(within(detail).getByTestId('request-lookup'))
    await screen.findByTestId('customer-heading')
    await user.click(screen.getByTestId('customer-revoke-all'))
    const dialog = screen.getByTestId('revoke-all-dialog')
    expect(within(dialog).getByTestId('revoke-reason')).toHaveValue('customer_request')
    await user.click(within(dialog).getByTestId('revoke-submit'))
    await vi.advanceTimersByTimeAsync(5200)
    await within(dialog).findByText(/record an identity check that matched/)
    expect(calls('revoke_all_cards')).toHaveLength(1)
    expect(desk.state.audit.filter((e) => e.action === 'revoke_intent')).toEqual([])
  })

  test('a refusal: the confirmation is refused while cards remain, then saved, listed and toasted', async () => {
    const req: Request = aRequest({ kind: 'card_refusal', ticket: 'SUP-12', status: { state: 'in_progress' }, identityChecks: [identified] })
    const { user, desk } = await renderApp({ status: status(), lookups: { '1234': lookupOf('1234', cards1234) }, requests: [req] })
    const detail = await openRequest(user, /^Open request: Refusal/)
    expect(within(detail).getByTestId('request-documents')).toHaveTextContent('No documents yet.')
    await user.click(within(detail).getByTestId('request-save-confirmation'))
    expect(await within(detail).findByTestId('request-docs-error')).toHaveTextContent(`customer 1234 still holds ${cards1234.length} saved card(s)`)

    desk.state.lookups['1234']!.cards = []
    await user.click(within(detail).getByTestId('request-save-confirmation'))
    const toast = await screen.findByTestId('toast')
    expect(toast).toHaveTextContent('Saved confirmation-376fz-SUP-12.pdf')
    expect(toast).toHaveTextContent('/home/anna/Documents/confirmation-376fz-SUP-12.pdf')
    const doc = within(detail).getByTestId('request-document')
    expect(doc).toHaveTextContent('confirmation-376fz-SUP-12.pdf')
    expect(doc).toHaveTextContent('Confirmation (376-FZ)')
    const sha = desk.state.requests[0]!.events.flatMap((e) => (e.what.type === 'document_produced' ? [e.what.sha256] : []))[0]!
    expect(doc).toHaveTextContent(`SHA-256 ${sha.slice(0, 12)}…`)
    expect(within(detail).queryByTestId('request-docs-error')).toBeNull()
    expect(within(detail).getByTestId('request-open-items')).toHaveTextContent('Nothing open')
  })

  test('an erasure: Rust’s field errors beside the fields, then the act and the log export (three files)', async () => {
    const req = aRequest({
      kind: 'erasure152',
      ticket: 'SUP-31',
      status: { state: 'in_progress' },
      identityChecks: [identified],
      events: [
        { at: '2026-12-01T09:30:00Z', by: 'anna', what: { type: 'created' } },
        { at: '2026-12-01T09:43:00Z', by: 'anna', what: { type: 'removal_linked', audit: { seq: 4, hash: 'a'.repeat(64) }, customer: '1234', result: 'removed', settles: null } },
      ],
    })
    const { user, calls } = await renderApp({ status: status(), lookups: {}, requests: [req] })
    const detail = await openRequest(user, /^Open request: Erasure/)
    await user.click(within(detail).getByTestId('request-make-erasure'))
    const form = await within(detail).findByTestId('erasure-form')
    expect(within(form).getByLabelText(/^Information system/)).toHaveValue('Card Desk / IPS Assist One Click')
    await user.click(within(form).getByTestId('erasure-submit'))
    let error = await within(form).findByTestId('erasure-field-error')
    expect(error).toHaveAttribute('data-for', 'operator_name')
    expect(error).toHaveTextContent('operator name: must not be blank')
    expect(within(form).getByTestId('erasure-operator_name')).toHaveAttribute('aria-invalid', 'true')
    await waitFor(() => expect(within(form).getByTestId('erasure-operator_name')).toHaveFocus())

    await user.type(within(form).getByTestId('erasure-operator_name'), 'OOO Shop')
    await user.type(within(form).getByTestId('erasure-operator_address'), 'Moscow, Tverskaya 1')
    await user.type(within(form).getByTestId('erasure-processor_name'), 'IPS Assist')
    await user.click(within(form).getByTestId('erasure-submit'))
    error = await within(form).findByTestId('erasure-field-error')
    await waitFor(() => expect(within(form).getByTestId('erasure-field-error')).toHaveAttribute('data-for', 'processor_address'))
    await user.type(within(form).getByTestId('erasure-processor_address'), 'Moscow, Lenina 5')
    await user.click(within(form).getByTestId('erasure-submit'))
    await waitFor(() => expect(within(form).getByTestId('erasure-field-error')).toHaveAttribute('data-for', 'destroyed_by[0].name'))
    await user.type(within(form).getByTestId('erasure-destroyed_by[0].name'), 'Anna Petrova')
    await user.type(within(form).getByTestId('erasure-destroyed_by[0].position'), 'Support lead')
    await user.click(within(form).getByTestId('erasure-submit'))

    const toast = await screen.findByTestId('toast')
    expect(toast).toHaveTextContent('Saved act-of-destruction-SUP-31.pdf, event-log-SUP-31.pdf, event-log-SUP-31.csv')
    expect(toast).toHaveTextContent('/home/anna/Documents')
    expect(within(detail).queryByTestId('erasure-form')).toBeNull()
    const docs = within(detail).getAllByTestId('request-document')
    expect(docs.map((d) => d.dataset.kind)).toEqual(['destruction_act', 'log_export', 'log_export'])
    expect(within(detail).getByTestId('request-open-items')).toHaveTextContent('Nothing open')
    expect(calls('request_erasure_documents').at(-1)).toMatchObject({
      details: { operatorName: 'OOO Shop', processorName: 'IPS Assist', processorAddress: 'Moscow, Lenina 5', informationSystem: 'Card Desk / IPS Assist One Click', destroyedBy: [{ name: 'Anna Petrova', position: 'Support lead' }] },
    })
    // nothing is kept in this window: the operator's details live in Settings → Documents
    expect(localStorage.getItem('carddesk.erasureAct')).toBeNull()
  })

  test('an access request: example wording said to be an example, Rust’s field error beside it, then the answer saved and the wording remembered', async () => {
    const withOperator = status()
    withOperator.settings.documents = { ...withOperator.settings.documents, operatorName: 'OOO Shop', operatorAddress: 'Moscow, Tverskaya 1' }
    const req = aRequest({ kind: 'access152', ticket: 'SUP-41', status: { state: 'in_progress' }, identityChecks: [identified] })
    const { user, calls } = await renderApp({ status: withOperator, lookups: { '1234': lookupOf('1234', cards1234) }, requests: [req] })
    const detail = await openRequest(user, /^Open request: Access/)
    await user.click(within(detail).getByTestId('request-make-answer'))
    const form = await within(detail).findByTestId('access-form')
    // the operator comes from Settings → Documents, said so; the paragraphs start as marked examples
    expect(within(form).getByTestId('access-operator_name')).toHaveValue('OOO Shop')
    expect(within(form).getAllByTestId('from-settings').map((n) => n.dataset.state)).toEqual(['settings'])
    expect(within(form).getByTestId('access-example')).toHaveTextContent('Example wording')
    expect(within(form).getByTestId('access-rights')).toHaveValue(
      'You may ask us to correct, block or destroy your data and withdraw your consent at any time. You may complain to Roskomnadzor (rkn.gov.ru) or to a court.',
    )

    await user.clear(within(form).getByTestId('access-rights'))
    await user.click(within(form).getByTestId('access-submit'))
    const error = await within(form).findByTestId('access-field-error')
    expect(error).toHaveAttribute('data-for', 'rights')
    expect(error).toHaveTextContent('rights: must be 1–2000 characters')
    await waitFor(() => expect(within(form).getByTestId('access-rights')).toHaveFocus())

    await user.type(within(form).getByTestId('access-rights'), 'Ask us, or complain to Roskomnadzor.')
    expect(within(form).getByTestId('access-example')).toBeInTheDocument() // other paragraphs are still examples
    await user.click(within(form).getByTestId('access-submit'))
    const toast = await screen.findByTestId('toast')
    expect(toast).toHaveTextContent('answer.pdf')
    expect(within(detail).queryByTestId('access-form')).toBeNull()
    expect(within(detail).getAllByTestId('request-document').map((d) => d.dataset.kind)).toEqual(['answer'])
    expect(calls('request_access_answer').at(-1)).toMatchObject({
      details: { operatorName: 'OOO Shop', operatorAddress: 'Moscow, Tverskaya 1', processorName: '', rights: 'Ask us, or complain to Roskomnadzor.', crossBorder: 'None.' },
    })
    expect(JSON.parse(localStorage.getItem('carddesk.accessAnswer.en')!)).toMatchObject({ rights: 'Ask us, or complain to Roskomnadzor.' })
  })

  test('an erasure starts from Settings → Documents, says so, keeps a change to this act, and links to Settings', async () => {
    const withDocuments = status()
    withDocuments.settings.documents = {
      operatorName: 'OOO Romashka',
      operatorAddress: 'Moscow, Tverskaya 1',
      processorName: 'IPS Assist',
      processorAddress: 'Moscow, Lenina 5',
      informationSystem: 'Card Desk',
    }
    const req = aRequest({
      kind: 'erasure152',
      ticket: 'SUP-32',
      status: { state: 'in_progress' },
      identityChecks: [identified],
      events: [
        { at: '2026-12-01T09:30:00Z', by: 'anna', what: { type: 'created' } },
        { at: '2026-12-01T09:43:00Z', by: 'anna', what: { type: 'removal_linked', audit: { seq: 4, hash: 'a'.repeat(64) }, customer: '1234', result: 'removed', settles: null } },
      ],
    })
    const { user, calls } = await renderApp({ status: withDocuments, lookups: {}, requests: [req] })
    let detail = await openRequest(user, /^Open request: Erasure/)
    await user.click(within(detail).getByTestId('request-make-erasure'))
    let form = await within(detail).findByTestId('erasure-form')
    expect(within(form).getByTestId('erasure-operator_name')).toHaveValue('OOO Romashka')
    expect(within(form).getByTestId('erasure-operator_address')).toHaveValue('Moscow, Tverskaya 1')
    expect(within(form).getByTestId('erasure-processor_name')).toHaveValue('IPS Assist')
    expect(within(form).getByTestId('erasure-information_system')).toHaveValue('Card Desk')
    const sources = () => within(form).getAllByTestId('from-settings').map((n) => n.dataset.state)
    expect(sources()).toEqual(['settings', 'settings', 'settings'])
    expect(within(form).getAllByTestId('from-settings')[0]).toHaveTextContent('from Settings · Change in Settings')

    // a processor left out of this act only: said so, and Settings' can be taken back
    await user.clear(within(form).getByTestId('erasure-processor_name'))
    await user.clear(within(form).getByTestId('erasure-processor_address'))
    expect(sources()).toEqual(['settings', 'changed', 'settings'])
    expect(within(form).getAllByTestId('from-settings')[1]).toHaveTextContent('changed for this document only')
    await user.click(within(form).getByTestId('from-settings-reset'))
    expect(within(form).getByTestId('erasure-processor_name')).toHaveValue('IPS Assist')
    await user.clear(within(form).getByTestId('erasure-processor_name'))
    await user.clear(within(form).getByTestId('erasure-processor_address'))

    await user.type(within(form).getByTestId('erasure-destroyed_by[0].name'), 'Anna Petrova')
    await user.type(within(form).getByTestId('erasure-destroyed_by[0].position'), 'Support lead')
    await user.click(within(form).getByTestId('erasure-submit'))
    await screen.findByTestId('toast')
    expect(calls('request_erasure_documents').at(-1)).toMatchObject({
      details: { operatorName: 'OOO Romashka', operatorAddress: 'Moscow, Tverskaya 1', processorName: '', processorAddress: '', informationSystem: 'Card Desk' },
    })

    // "Change in Settings" opens Settings at Documents
    detail = screen.getByTestId('request-detail')
    await user.click(within(detail).getByTestId('request-make-erasure'))
    form = await within(detail).findByTestId('erasure-form')
    await user.click(within(form).getAllByTestId('from-settings-link')[0]!)
    const panel = await screen.findByTestId('documents-settings')
    await waitFor(() => expect(within(panel).getByRole('heading', { name: 'Documents' })).toHaveFocus())
    expect(within(panel).getByTestId('docs-operator_name')).toHaveValue('OOO Romashka')
  })

})
