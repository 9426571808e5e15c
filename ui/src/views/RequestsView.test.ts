// The customer requests as an agent meets them, over the fake register: the list by deadline
// with what is due today or overdue marked and counted in the navigation, a new request checked
// field by field (English and Russian), identity before "Start work", closing with open items,
// a colleague's change in between (conflict → Reload), the one extension of a 152-FZ term and
// the assignee set and cleared, and the empty register. "Fix N fields"
// and "Loading…" go into live regions that are there (empty) before.
import { describe, expect, test } from 'vitest'
import { screen, waitFor, within } from '@testing-library/svelte'
import { renderApp } from '../test/render'
import { aRequest, dayFromToday, status } from '../test/fixtures'

async function openRequests(user: Awaited<ReturnType<typeof renderApp>>['user']) {
  await user.click(within(screen.getByRole('navigation', { name: /Main|Главное/ })).getByRole('button', { name: /^(Requests|Обращения)/ }))
  await screen.findByTestId('requests-view')
}

describe('the register', () => {
  test('sorted by deadline, overdue and due today marked, counted in the header and the navigation badge', async () => {
    const seed = {
      status: status(),
      lookups: {},
      requests: [
        aRequest({ kind: 'card_refusal', ticket: 'SUP-R' }),
        aRequest({ due: dayFromToday(6), ticket: 'SUP-U' }),
        aRequest({ due: dayFromToday(-2), ticket: 'SUP-O' }),
        aRequest({ kind: 'erasure152', due: dayFromToday(0), ticket: 'SUP-T' }),
        aRequest({ due: dayFromToday(-9), ticket: 'SUP-C', status: { state: 'closed' } }),
      ],
    }
    const { user } = await renderApp(seed)
    // asked at start, before the view is opened
    const badge = await screen.findByTestId('nav-requests-attention')
    expect(badge).toHaveTextContent('2')
    expect(badge).toHaveAccessibleName('2 requests due today or overdue')
    const nav = screen.getByRole('navigation', { name: 'Main' })
    expect(within(nav).getByRole('button', { name: /^Requests/ })).toHaveAttribute('aria-keyshortcuts', 'Control+E')

    await openRequests(user)
    const rows = await screen.findAllByTestId('request-row')
    expect(rows.map((r) => within(r).getByText(/^SUP-/).textContent)).toEqual(['SUP-O', 'SUP-T', 'SUP-U', 'SUP-R'])
    expect(rows.map((r) => r.dataset.due)).toEqual(['overdue', 'due_today', 'upcoming', 'no_deadline'])
    expect(within(rows[0]!).getByTestId('request-due')).toHaveTextContent('Overdue')
    expect(within(rows[1]!).getByTestId('request-due')).toHaveTextContent('Due today')
    expect(within(rows[1]!).getByRole('button')).toHaveAccessibleName('Open request: Erasure, consent withdrawn (152-FZ), 1234')
    expect(within(rows[3]!).getByTestId('request-due')).toHaveTextContent('No statutory deadline')
    expect(within(rows[3]!).getByTestId('request-due')).toHaveTextContent('before the next scheduled debit')
    expect(within(rows[3]!).getByText('Refusal of saved cards (376-FZ)')).toBeInTheDocument()
    expect(screen.getByTestId('request-count-overdue')).toHaveTextContent('1')
    expect(screen.getByTestId('request-count-dueToday')).toHaveTextContent('1')
    expect(screen.getByTestId('request-count-open')).toHaveTextContent('4')

    // the closed one shows once "open only" is off
    await user.click(screen.getByTestId('request-filter-open'))
    await waitFor(() => expect(screen.getAllByTestId('request-row')).toHaveLength(5))
    await user.selectOptions(screen.getByTestId('request-filter-status'), 'closed')
    await waitFor(() => expect(screen.getAllByTestId('request-row')).toHaveLength(1))
    expect(screen.getByTestId('request-row')).toHaveTextContent('SUP-C')
  })

  test('empty: what a request is, and the way to record one', async () => {
    const { user } = await renderApp({ status: status(), lookups: {} })
    expect(screen.queryByTestId('nav-requests-attention')).toBeNull()
    await openRequests(user)
    const empty = await screen.findByTestId('requests-empty')
    expect(within(empty).getByRole('heading', { name: 'No customer requests yet' })).toBeInTheDocument()
    expect(empty).toHaveTextContent('to stop using their saved cards, to see the personal data you hold, or to erase it')
    expect(empty).toHaveTextContent('Refusal of saved cards (376-FZ)')
    await user.click(within(empty).getByRole('button', { name: 'New request' }))
    expect(await screen.findByTestId('request-form')).toBeInTheDocument()
  })
})

describe('a new request', () => {
  test('checked field by field before anything is sent, then opened and shown (English)', async () => {
    const { user, calls } = await renderApp({ status: status(), lookups: {} })
    await openRequests(user)
    await user.click(await screen.findByTestId('request-new'))
    const form = await screen.findByTestId('request-form')
    await waitFor(() => expect(screen.getByRole('heading', { name: 'New customer request' })).toHaveFocus())
    // the active profile by default; the time is now
    expect(screen.getByLabelText('Profile of customer 1')).toHaveValue('sandbox')
    expect(screen.getByTestId('request-time')).not.toHaveValue('')

    await user.click(screen.getByTestId('request-kind-erasure152'))
    await user.type(screen.getByLabelText(/^Ticket/), 'T'.repeat(65))
    await user.click(screen.getByTestId('request-add-customer'))
    await user.type(screen.getByLabelText('Customer number 2'), "O'Brien;")
    await user.click(screen.getByTestId('request-submit'))

    const errors = within(form).getAllByTestId('request-field-error')
    expect(errors.map((e) => e.textContent)).toEqual([
      'Ticket: at most 64 characters.',
      'Customer number 1: required — type the number the customer gave.',
      "Customer number 2: must not contain ' ; — the gateway strips these and could address another customer.",
    ])
    expect(screen.getByTestId('request-form-fix')).toHaveTextContent('Fix 3 fields to open the request.')
    expect(screen.getByLabelText(/^Ticket/)).toHaveFocus()
    expect(calls('request_new')).toHaveLength(0)

    await user.clear(screen.getByLabelText(/^Ticket/))
    await user.type(screen.getByLabelText(/^Ticket/), 'SUP-4812')
    await user.type(screen.getByLabelText('Customer number 1'), '1234')
    await user.click(screen.getByRole('button', { name: 'Remove customer 2' }))
    await user.clear(screen.getByTestId('request-time'))
    await user.click(screen.getByTestId('request-submit'))

    const detail = await screen.findByTestId('request-detail')
    expect(within(detail).getByTestId('request-title')).toHaveTextContent('Erasure, consent withdrawn (152-FZ)')
    expect(detail).toHaveTextContent('SUP-4812')
    expect(detail).toHaveTextContent('(day only)')
    expect(detail).toHaveTextContent('30 days from the day after receipt')
    const [sent] = calls('request_new') as Array<{ draft: Record<string, unknown> }>
    expect(sent!.draft).toMatchObject({
      kind: 'erasure152',
      received: { precision: 'day' },
      channel: 'ticket',
      ticket: 'SUP-4812',
      subjects: [{ customerNumber: '1234', profile: { profile: 'sandbox' } }],
      assignee: null,
    })
    expect(within(detail).getByTestId('request-event')).toHaveTextContent('Request opened')
  })

  test('in Russian, a customer number that is too long, on all profiles, with a time (Russian)', async () => {
    localStorage.setItem('carddesk.locale', 'ru')
    const { user, calls } = await renderApp({ status: status(), lookups: {} })
    await openRequests(user)
    await user.click(await screen.findByTestId('request-new'))
    await user.type(screen.getByLabelText('Номер клиента 1'), 'Ж'.repeat(33))
    await user.selectOptions(screen.getByLabelText('Профиль клиента 1'), '*')
    await user.click(screen.getByTestId('request-submit'))
    expect(screen.getByTestId('request-field-error')).toHaveTextContent('Номер клиента 1: не длиннее 32 символов (сейчас 33).')
    expect(screen.getByTestId('request-form-fix')).toHaveTextContent('Исправьте 1 поле, чтобы открыть обращение.')
    await user.clear(screen.getByLabelText('Номер клиента 1'))
    await user.type(screen.getByLabelText('Номер клиента 1'), 'КЛ-000731')
    await user.click(screen.getByTestId('request-submit'))
    const detail = await screen.findByTestId('request-detail')
    expect(within(detail).getByTestId('request-title')).toHaveTextContent('Отказ от сохранённых карт (376-ФЗ)')
    expect(within(detail).getByTestId('request-no-deadline')).toHaveTextContent('Срока для отказа от сохранённых карт закон не устанавливает')
    expect(detail).toHaveTextContent('все профили')
    const [sent] = calls('request_new') as Array<{ draft: { received: { precision: string; offset?: number } ; subjects: unknown } }>
    expect(sent!.draft.received).toMatchObject({ precision: 'instant', offset: 0 - new Date().getTimezoneOffset() })
    expect(sent!.draft.subjects).toEqual([{ customerNumber: 'КЛ-000731', profile: 'all_profiles' }])
  })

  test('a prefill fills the form (the deep link will use it)', async () => {
    const { requests } = await import('../lib/requests.svelte')
    const { user } = await renderApp({ status: status(), lookups: {} })
    requests.openNewRequest('sandbox', { kind: 'access_gdpr', customer: '100025', ticket: 'SUP-9', received: '2026-12-04' })
    await openRequests(user)
    expect(await screen.findByTestId('request-kind-access_gdpr')).toBeChecked()
    expect(screen.getByLabelText('Customer number 1')).toHaveValue('100025')
    expect(screen.getByLabelText(/^Ticket/)).toHaveValue('SUP-9')
    expect(screen.getByTestId('request-date')).toHaveValue('4 Dec 2026')
    expect(screen.getByTestId('request-time')).toHaveValue('')
  })
})

describe('working on a request', () => {
  test('"Start work" waits for an identity check that matched; a failed check is kept too', async () => {
    const { user, calls } = await renderApp({ status: status(), lookups: {}, requests: [aRequest({ ticket: 'SUP-1' })] })
    await openRequests(user)
    await user.click(await screen.findByRole('button', { name: /^Open request: Access to personal data \(152-FZ\)/ }))
    const detail = await screen.findByTestId('request-detail')
    expect(within(detail).getByTestId('request-identity-blocked')).toHaveTextContent('“Start work” and removals for this request are blocked')
    const start = within(detail).getByTestId('request-to-in_progress')
    expect(start).toBeDisabled()
    expect(start).toHaveAccessibleDescription('Record an identity check that matched first.')

    await user.type(within(detail).getByLabelText('What was asked or compared'), 'date of birth')
    await user.click(within(detail).getByTestId('request-identity-matched'))
    await user.click(within(detail).getByTestId('request-identity-record'))
    await waitFor(() => expect(within(detail).getAllByTestId('request-identity-check')).toHaveLength(1))
    expect(within(detail).getByTestId('request-identity-check')).toHaveTextContent('Did not match')
    expect(within(detail).getByTestId('request-to-in_progress')).toBeDisabled()

    await user.type(within(detail).getByLabelText('What was asked or compared'), 'e-mail on file and last 4 of the card')
    await user.click(within(detail).getByTestId('request-identity-record'))
    await waitFor(() => expect(within(detail).queryByTestId('request-identity-blocked')).toBeNull())
    await user.click(within(detail).getByTestId('request-to-in_progress'))
    await waitFor(() => expect(within(detail).getByTestId('request-status-now')).toHaveTextContent('In progress'))
    const events = within(detail).getAllByTestId('request-event').map((e) => e.textContent)
    expect(events[0]).toContain('Status: New → In progress')
    expect(events[1]).toContain('Identity check: matched')
    expect(events[2]).toContain('Identity check: did not match')
    expect(calls('request_act').map((a) => (a as { version: number }).version)).toEqual([0, 1, 2])
  })

  test('the term of a 152-FZ access request is extended once, on a reasoned notice; a blank reason is named and nothing is sent', async () => {
    const req = aRequest({ ticket: 'SUP-X', received: { precision: 'day', date: dayFromToday(0) } })
    const { user, calls } = await renderApp({ status: status(), lookups: {}, requests: [req] })
    await openRequests(user)
    await user.click(await screen.findByRole('button', { name: /^Open request: Access to personal data \(152-FZ\)/ }))
    const detail = await screen.findByTestId('request-detail')
    const panel = within(detail).getByTestId('request-extension')
    expect(panel).toHaveTextContent('Once, by 5 working days, after a reasoned notice')
    // what the legal reference could not verify is said, not hidden
    expect(within(panel).getByTestId('request-ext-caution')).toHaveTextContent('Not verified: the extension by 5 working days is read in secondary sources')

    await user.click(within(panel).getByTestId('request-extend'))
    expect(within(panel).getByTestId('request-ext-reason')).toHaveAttribute('aria-invalid', 'true')
    expect(panel).toHaveTextContent('Reason given in the notice')
    expect(calls('request_act')).toEqual([])

    await user.type(within(panel).getByTestId('request-ext-reason'), 'the processor holds the history')
    await user.click(within(panel).getByTestId('request-extend'))
    await within(panel).findByTestId('request-extended')
    expect(calls('request_act')).toHaveLength(1)
    expect(calls('request_act')[0]).toMatchObject({ id: req.id, version: 0, action: { action: 'extend', noticeSentOn: dayFromToday(0), reason: 'the processor holds the history' } })
    expect(within(panel).getByTestId('request-extended')).toHaveTextContent(/^Extended on a notice sent .+; the original last day was .+\.$/)
    expect(panel).toHaveTextContent('the processor holds the history')
    // the form is gone: the law allows one extension; the basis now says 15 working days
    expect(within(panel).queryByTestId('request-extend')).toBeNull()
    expect(detail).toHaveTextContent('15 working days: extended by 5 after a reasoned notice')
    expect(within(detail).getByTestId('request-caution')).toHaveTextContent('Not verified: the extension by 5 working days')
    expect(within(detail).getAllByTestId('request-event')[0]).toHaveTextContent(/Term extended to .+ \(notice sent .+\)/)
  })

  test('what the law reference marks as not verified is said beside the basis: 30 days as calendar days, the recurring series, the act’s signature', async () => {
    const erasure = aRequest({ kind: 'erasure152', ticket: 'SUP-D' })
    const refusal = aRequest({ kind: 'card_refusal', ticket: 'SUP-F' })
    const { user } = await renderApp({ status: status(), lookups: {}, requests: [erasure, refusal] })
    await openRequests(user)
    await user.click(await screen.findByRole('button', { name: /^Open request: Erasure/ }))
    let detail = await screen.findByTestId('request-detail')
    expect(within(detail).getByTestId('request-caution')).toHaveTextContent('Not verified: the law says “30 days” without “working”; they are counted here as calendar days')
    expect(within(detail).getByTestId('request-act-caution')).toHaveTextContent('whether Order 179 requires a qualified one was not checked')
    await user.click(screen.getByTestId('request-back'))
    await user.click(await screen.findByRole('button', { name: /^Open request: Refusal/ }))
    detail = await screen.findByTestId('request-detail')
    expect(within(detail).getByTestId('request-caution')).toHaveTextContent('removing the saved cards may not stop a recurring series')
  })

  test('the assignee is set and cleared from the request, each change sent once and shown in its history', async () => {
    const req = aRequest({ ticket: 'SUP-A' })
    const { user, calls } = await renderApp({ status: status(), lookups: {}, requests: [req] })
    await openRequests(user)
    await user.click(await screen.findByRole('button', { name: /^Open request: Access to personal data \(152-FZ\)/ }))
    const detail = await screen.findByTestId('request-detail')
    const field = within(detail).getByTestId('request-assignee-edit')
    const save = within(detail).getByTestId('request-assign')
    expect(field).toHaveValue('')
    expect(save).toBeDisabled()

    await user.type(field, 'Anna Ivanova')
    await user.click(save)
    await waitFor(() => expect(within(detail).getAllByTestId('request-event')[0]).toHaveTextContent('Assigned to Anna Ivanova'))
    expect(calls('request_act')).toEqual([expect.objectContaining({ action: { action: 'assign', assignee: 'Anna Ivanova' } })])
    expect(within(detail).getByTestId('request-assignee-edit')).toHaveValue('Anna Ivanova')
    expect(within(detail).getByTestId('request-assign')).toBeDisabled()

    await user.clear(within(detail).getByTestId('request-assignee-edit'))
    await user.click(within(detail).getByTestId('request-assign'))
    await waitFor(() => expect(within(detail).getAllByTestId('request-event')[0]).toHaveTextContent('Assignee removed'))
    expect(calls('request_act')).toHaveLength(2)
    expect(calls('request_act')[1]).toMatchObject({ version: 1, action: { action: 'assign', assignee: null } })
    expect(detail).toHaveTextContent('Nobody yet')
  })

  test('closing with open items asks first, lists them, and closes on the record', async () => {
    const answered = aRequest({
      kind: 'card_refusal',
      status: { state: 'answered' },
      identityChecks: [{ asked: 'phone on file', matched: true, by: 'anna', at: '2026-12-01T09:40:00Z' }],
    })
    const { user, calls } = await renderApp({ status: status(), lookups: {}, requests: [answered] })
    await openRequests(user)
    await user.click(screen.getByTestId('request-filter-open'))
    await user.click(await screen.findByRole('button', { name: /^Open request: Refusal of saved cards/ }))
    const detail = await screen.findByTestId('request-detail')
    expect(within(detail).getByTestId('request-open-item')).toHaveTextContent('The confirmation sent to the customer is not recorded')
    await user.click(within(detail).getByTestId('request-to-closed'))
    const dialog = await screen.findByTestId('request-close-dialog')
    expect(dialog).toHaveTextContent('Close with open items?')
    expect(within(dialog).getByRole('listitem')).toHaveTextContent('The confirmation sent to the customer is not recorded')
    expect(calls('request_act')).toHaveLength(0)
    await user.click(within(dialog).getByRole('button', { name: 'Close anyway' }))
    await waitFor(() => expect(within(detail).getByTestId('request-status-now')).toHaveTextContent('Closed'))
    expect(calls('request_act')).toEqual([expect.objectContaining({ action: { action: 'status', to: { state: 'closed' }, force: true } })])
    expect(within(detail).getAllByTestId('request-event')[0]).toHaveTextContent(
      'Status: Answered → Closed. Closed with open items: The confirmation sent to the customer is not recorded',
    )
    expect(within(detail).getByTestId('request-status-actions')).toHaveTextContent('its status cannot change any more')
  })

  test('a change made meanwhile elsewhere: the conflict is explained and Reload shows the request as it is now', async () => {
    const { user, desk } = await renderApp({ status: status(), lookups: {}, requests: [aRequest()] })
    await openRequests(user)
    await user.click(await screen.findByRole('button', { name: /^Open request/ }))
    const detail = await screen.findByTestId('request-detail')
    // a colleague adds a note in their window
    const stored = desk.state.requests[0]!
    stored.notes.push({ text: 'Customer phoned again', by: 'boris', at: '2026-12-02T10:00:00Z' })
    stored.events.push({ at: '2026-12-02T10:00:00Z', by: 'boris', what: { type: 'note_added' } })
    stored.version = 1

    await user.type(within(detail).getByLabelText('New note'), 'Sent the form')
    await user.click(within(detail).getByTestId('request-note-add'))
    const error = await within(detail).findByTestId('request-act-error')
    expect(error).toHaveTextContent('Someone else changed this first')
    expect(error).toHaveTextContent('reload it and make your change again')
    expect(within(detail).queryByText('Customer phoned again')).toBeNull()

    await user.click(within(error).getByRole('button', { name: 'Reload the request' }))
    await waitFor(() => expect(within(detail).getByText('Customer phoned again')).toBeInTheDocument())
    expect(within(detail).queryByTestId('request-act-error')).toBeNull()
    // the typed note is still there to send again, now to version 1
    expect(within(detail).getByLabelText('New note')).toHaveValue('Sent the form')
    await user.click(within(detail).getByTestId('request-note-add'))
    await waitFor(() => expect(within(detail).getAllByTestId('request-note')).toHaveLength(2))
  })
})

describe('heard as it changes (issue 19)', () => {
  test('"Fix N fields" is said in a live region beside the buttons that is there, empty, before Open request is pressed', async () => {
    const { user } = await renderApp({ status: status(), lookups: {} })
    await openRequests(user)
    await user.click(await screen.findByTestId('request-new'))
    const live = screen.getByTestId('request-form-fix')
    expect(live).toHaveAttribute('role', 'status')
    expect(live).toBeEmptyDOMElement()
    await user.click(screen.getByTestId('request-submit'))
    expect(screen.getByTestId('request-form-fix')).toBe(live)
    expect(live).toHaveTextContent('Fix 1 field to open the request.')
  })

  test('"Loading the register…" is said in a live region that was there, empty, while a ticket link’s form was open', async () => {
    const { user, hold } = await renderApp({
      status: status(),
      lookups: {},
      requests: [aRequest()],
      links: [{ link: { intent: { kind: 'new_request', requestKind: 'erasure_gdpr', customer: '100025' }, readOnly: false } }],
    })
    await screen.findByTestId('request-form')
    const live = screen.getByTestId('requests-loading')
    expect(live).toHaveAttribute('role', 'status')
    expect(live).toBeEmptyDOMElement()
    const release = hold('requests')
    await user.click(screen.getByTestId('request-back'))
    expect(screen.getByTestId('requests-loading')).toBe(live)
    expect(live).toHaveTextContent('Loading the register…')
    release()
    expect(await screen.findAllByTestId('request-row')).toHaveLength(1)
    expect(live).toBeEmptyDOMElement()
  })
})
