// The audit log view over the fake desk: entries newest first with local times (UTC in the
// tooltip), row details, filters sent to audit_query, paging by 50, Verify (intact, broken,
// open intents), Export (done with a count, cancelled silently, failed with the reason), the
// empty state, and Russian plurals. "Reading the audit log…" goes into a live region that is
// there (empty) before.
import { describe, expect, test } from 'vitest'
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte'
import { renderApp, search } from '../test/render'
import { auditEntry, auditMany, auditSample, cards1234, lookupOf, many, productionProfile, sandboxProfile, status } from '../test/fixtures'
import type { Seed } from '../test/fakeDesk'

const prod = { ...productionProfile, hasPassword: true }

async function openAudit(seed: Partial<Seed> = {}) {
  const r = await renderApp({ status: status({ profiles: [sandboxProfile, prod] }), lookups: {}, audit: auditSample, ...seed })
  await r.user.click(screen.getByTestId('nav-audit'))
  await screen.findByTestId('audit-view')
  const rows = () => screen.queryAllByTestId('audit-row')
  const lastQuery = () => r.calls('audit_query').at(-1) as { query: Record<string, unknown> }
  return { ...r, rows, lastQuery }
}

describe('the table', () => {
  test('newest first, with every column; times local with the UTC time in the tooltip', async () => {
    const { rows, calls } = await openAudit()
    await waitFor(() => expect(rows()).toHaveLength(13))
    expect(screen.getByRole('button', { name: 'Audit log' })).toHaveAttribute('aria-current', 'page')
    expect(calls('audit_query')[0]).toEqual({
      query: { from: null, to: null, profileId: null, customer: null, operator: null, outcome: null, action: null, offset: 0, limit: 50 },
    })
    expect(rows().map((r) => r.dataset.seq)).toEqual(['13', '12', '11', '10', '9', '8', '7', '6', '5', '4', '3', '2', '1'])
    expect(rows().map((r) => r.dataset.action)).toEqual([
      'recovered_outcome', 'log_repaired', 'revoke_intent', 'revoke_outcome', 'revoke_intent', 'revoke_outcome', 'revoke_intent',
      'revoke_outcome', 'revoke_intent', 'viewed_customer', 'revoke_outcome', 'revoke_intent', 'viewed_customer',
    ])
    const notRemoved = rows().find((r) => r.dataset.seq === '6')!
    expect(notRemoved).toHaveAttribute('data-outcome', 'not_removed')
    expect(notRemoved).toHaveTextContent('Anna Petrova')
    expect(notRemoved).toHaveTextContent('Shop production')
    expect(within(notRemoved).getByText('Production')).toHaveClass('env-production')
    expect(notRemoved).toHaveTextContent('100700')
    expect(notRemoved).toHaveTextContent('553691··2209')
    expect(notRemoved).toHaveTextContent('MasterCard · 11/2028')
    expect(notRemoved).toHaveTextContent('Revocation outcome')
    expect(notRemoved).toHaveTextContent('Card lost or stolen')
    expect(notRemoved).toHaveTextContent('SUP-48250')
    expect(within(notRemoved).getByText('Not removed')).toHaveClass('tone-danger')
    expect(notRemoved).toHaveTextContent('7/141')
    expect(notRemoved).toHaveTextContent('operation not permitted')
    const time = notRemoved.querySelector('time')!
    expect(time).toHaveAttribute('datetime', auditSample[5]!.time)
    expect(time).toHaveAttribute('title', '2026-11-20 12:42:00.000 UTC')
    const local = new Date(auditSample[5]!.time)
    expect(time).toHaveTextContent(new Intl.DateTimeFormat('en-GB', { timeStyle: 'medium' }).format(local))
    expect(rows().find((r) => r.dataset.seq === '4')).toHaveAttribute('data-outcome', '')
    expect(screen.getByTestId('audit-showing')).toHaveTextContent('Showing 1–13 of 13 entries')
  })

  test('the table is named, so a screen reader can find it among the tables on the page', async () => {
    const { rows } = await openAudit()
    await waitFor(() => expect(rows()).toHaveLength(13))
    expect(screen.getByRole('table', { name: 'Audit log entries' })).toContainElement(rows()[0]!)
  })

  test('row details: hash, previous hash, the intent it settles, the token fingerprint', async () => {
    const { user, rows } = await openAudit()
    await waitFor(() => expect(rows()).toHaveLength(13))
    const toggle = within(rows().find((r) => r.dataset.seq === '6')!).getByRole('button', { name: 'Details of entry #6' })
    expect(toggle).toHaveAttribute('aria-expanded', 'false')
    await user.click(toggle)
    expect(toggle).toHaveAttribute('aria-expanded', 'true')
    const details = screen.getByTestId('audit-details')
    expect(details).toHaveTextContent(`Hash${auditSample[5]!.hash}`)
    expect(details).toHaveTextContent(`Previous entry’s hash${auditSample[4]!.hash}`)
    expect(details).toHaveTextContent('Settles intent#5')
    expect(details).toHaveTextContent('Token fingerprint9b01e7aa42c3')
    expect(details).toHaveTextContent('Card list afterwardscard still listed')
    expect(details).toHaveTextContent('Merchant id452739')
    await user.click(toggle)
    expect(screen.queryByTestId('audit-details')).not.toBeInTheDocument()
  })

  test('an empty log says what will appear there; a filter that matches nothing offers to clear it', async () => {
    const { user } = await openAudit({ audit: [] })
    expect(await screen.findByTestId('audit-empty')).toHaveTextContent('No entries yet — revocations and looked-up customers are recorded here.')
    await user.type(screen.getByLabelText('Customer'), 'zz')
    await waitFor(() => expect(screen.getByTestId('audit-empty')).toHaveTextContent('No entries match these filters.'))
    await user.click(within(screen.getByTestId('audit-empty')).getByRole('button', { name: 'Clear filters' }))
    await waitFor(() => expect(screen.getByTestId('audit-empty')).toHaveTextContent('No entries yet'))
    expect(screen.getByLabelText('Customer')).toHaveValue('')
  })

  test('a revocation and a lookup made in this session are there', async () => {
    const r = await renderApp({ status: status(), lookups: { '1234': lookupOf('1234', cards1234) } })
    await search(r.user, '1234')
    await screen.findByTestId('customer-heading')
    await r.user.click(screen.getByTestId('nav-audit'))
    const row = await screen.findByTestId('audit-row')
    expect(row).toHaveAttribute('data-action', 'viewed_customer')
    expect(row).toHaveTextContent('3 cards shown, fetched from the gateway')
  })
})

describe('entries another process appends', () => {
  test('show without reopening the view: the log size is polled and the page reloads quietly', async () => {
    const { rows, desk } = await openAudit()
    await waitFor(() => expect(rows()).toHaveLength(13))
    // carddesk revoke, run beside the app, appends to the same file.
    const last = desk.state.audit[desk.state.audit.length - 1]!
    desk.state.audit.push({ ...last, seq: 14, action: 'viewed_customer', customer: '777001', intentSeq: null, outcome: null })
    await waitFor(() => expect(rows()).toHaveLength(14), { timeout: 6000 })
    expect(rows()[0]).toHaveTextContent('777001')
  }, 10000)
})

describe('filters and paging', () => {
  test('each filter goes to audit_query and starts again at the first page', async () => {
    const { user, rows, lastQuery } = await openAudit()
    await waitFor(() => expect(rows()).toHaveLength(13))

    await user.selectOptions(screen.getByLabelText('Outcome'), 'already_removed')
    await waitFor(() => expect(rows()).toHaveLength(1))
    expect(lastQuery().query).toMatchObject({ outcome: 'already_removed', offset: 0 })
    expect(rows()[0]).toHaveAttribute('data-outcome', 'already_removed')

    await user.selectOptions(screen.getByLabelText('Outcome'), '')
    await user.selectOptions(screen.getByLabelText('Action'), 'revoke_intent')
    await waitFor(() => expect(rows()).toHaveLength(5))
    expect(lastQuery().query).toMatchObject({ outcome: null, action: 'revoke_intent' })

    await user.selectOptions(screen.getByLabelText('Profile'), 'p-prod')
    await waitFor(() => expect(rows()).toHaveLength(1))
    expect(lastQuery().query).toMatchObject({ profileId: 'p-prod', action: 'revoke_intent' })

    await user.click(screen.getByRole('button', { name: 'Clear filters' }))
    await user.type(screen.getByLabelText('Operator'), 'BOR')
    await waitFor(() => expect(rows()).toHaveLength(2))
    expect(lastQuery().query).toMatchObject({ operator: 'BOR', profileId: null, action: null })

    await user.clear(screen.getByLabelText('Operator'))
    await user.type(screen.getByLabelText('Customer'), 'кл-')
    await waitFor(() => expect(lastQuery().query).toMatchObject({ operator: null, customer: 'кл-' }))
    await waitFor(() => expect(rows().map((r) => r.dataset.seq)).toEqual(['8', '7']))
    expect(rows().every((r) => r.textContent?.includes('КЛ-000731'))).toBe(true)
  })

  test('dates are local days: From is the start of its day, To the end of its day; To before From is refused', async () => {
    const { rows, lastQuery, calls } = await openAudit()
    await waitFor(() => expect(rows()).toHaveLength(13))
    const from = screen.getByLabelText('From')
    const to = screen.getByLabelText('To')
    await fireEvent.input(from, { target: { value: '2026-11-20' } })
    await fireEvent.change(from)
    await waitFor(() => expect(lastQuery().query.from).toBe(new Date(2026, 10, 20, 0, 0, 0, 0).toISOString()))
    await fireEvent.input(to, { target: { value: '2026-11-20' } })
    await fireEvent.change(to)
    await waitFor(() => expect(lastQuery().query.to).toBe(new Date(2026, 10, 20, 23, 59, 59, 999).toISOString()))

    const asked = calls('audit_query').length
    await fireEvent.input(to, { target: { value: '2026-11-19' } })
    await fireEvent.change(to)
    expect(await screen.findByRole('alert')).toHaveTextContent('To: must be the same day as From or later.')
    expect(to).toHaveAttribute('aria-invalid', 'true')
    await new Promise((r) => setTimeout(r, 300))
    expect(calls('audit_query')).toHaveLength(asked)
  })

  test('a day is typed the way the app writes it (or 20.11.2026), written back that way; empty means any day', async () => {
    const { user, lastQuery } = await openAudit()
    const from = screen.getByLabelText('From')
    // Empty says "any day", not a date in grey that looks like a filter.
    expect(from).toHaveValue('')
    expect(from).toHaveAttribute('placeholder', 'any day')
    await user.type(from, '20.11.2026')
    await user.tab()
    expect(from).toHaveValue('20 Nov 2026')
    await waitFor(() => expect(lastQuery().query.from).toBe(new Date(2026, 10, 20).toISOString()))
    await user.clear(from)
    await user.type(from, '20/11/2026')
    expect(await screen.findByRole('alert')).toHaveTextContent('From: a day such as 6 Dec 2026 or 06.12.2026.')
    expect(from).toHaveAttribute('aria-invalid', 'true')
    await user.click(screen.getByRole('button', { name: 'RU' }))
    await user.clear(from)
    await user.type(from, '20 нояб. 2026')
    await user.tab()
    expect(from).toHaveValue('20 нояб. 2026 г.')
    // The table's dates read the same way.
    expect(screen.getAllByTestId('audit-row')[0]!.querySelector('time')).toHaveTextContent(/нояб\. 2026 г\./)
  })

  test('pages of 50, newest first: showing X–Y of N, Older and Newer', async () => {
    const { user, rows, lastQuery } = await openAudit({ audit: auditMany(120) })
    await waitFor(() => expect(rows()).toHaveLength(50))
    expect(rows()[0]).toHaveAttribute('data-seq', '120')
    expect(screen.getByTestId('audit-showing')).toHaveTextContent('Showing 1–50 of 120 entries')
    expect(screen.getByTestId('audit-newer')).toBeDisabled()
    await user.click(screen.getByTestId('audit-older'))
    await waitFor(() => expect(screen.getByTestId('audit-showing')).toHaveTextContent('Showing 51–100 of 120 entries'))
    expect(lastQuery().query).toMatchObject({ offset: 50, limit: 50 })
    expect(rows()[0]).toHaveAttribute('data-seq', '70')
    await user.click(screen.getByTestId('audit-older'))
    await waitFor(() => expect(rows()).toHaveLength(20))
    expect(screen.getByTestId('audit-showing')).toHaveTextContent('Showing 101–120 of 120 entries')
    expect(screen.getByTestId('audit-older')).toBeDisabled()
    expect(rows().at(-1)).toHaveAttribute('data-seq', '1')
    await user.click(screen.getByTestId('audit-newer'))
    await waitFor(() => expect(rows()[0]).toHaveAttribute('data-seq', '70'))
    // a filter starts again at the first page
    await user.selectOptions(screen.getByLabelText('Action'), 'viewed_customer')
    await waitFor(() => expect(lastQuery().query).toMatchObject({ offset: 0, action: 'viewed_customer' }))
  })

  test('a failing query is explained and can be retried', async () => {
    const r = await openAudit()
    await waitFor(() => expect(r.rows()).toHaveLength(13))
    const original = r.desk.state.audit
    Object.defineProperty(r.desk.state, 'audit', {
      configurable: true,
      get: () => {
        throw { code: 'audit_log', message: 'the audit log could not be read: permission denied' }
      },
    })
    await r.user.selectOptions(screen.getByLabelText('Outcome'), 'removed')
    const error = await screen.findByTestId('error')
    expect(error).toHaveTextContent('permission denied')
    Object.defineProperty(r.desk.state, 'audit', { configurable: true, writable: true, value: original })
    await r.user.click(within(error).getByRole('button', { name: 'Retry' }))
    await waitFor(() => expect(r.rows()).toHaveLength(1))
  })
})

describe('verify and export', () => {
  test('Verify: "Chain intact: N entries" in green; intents without an outcome are mentioned', async () => {
    const log = [...auditSample, auditEntry({ seq: 14, action: 'revoke_intent', customer: '100700', reason: 'duplicate', ticket: 'SUP-1' })]
    const { user } = await openAudit({ audit: log })
    await user.click(screen.getByTestId('audit-verify'))
    const verdict = await screen.findByTestId('audit-verify-result')
    expect(verdict).toHaveAttribute('data-ok', 'true')
    expect(verdict).toHaveClass('ok')
    expect(verdict).toHaveTextContent('Chain intact: 14 entries')
    expect(verdict).toHaveTextContent('1 revocation has no outcome yet (#14)')
  })

  test('Verify: a broken chain names the first broken entry (line, seq, problem) in red', async () => {
    const { user } = await openAudit({
      verify: {
        entries: 13,
        ok: false,
        firstBroken: { line: 9, offset: 4100, seq: 10, expectedSeq: 9, problem: 'missing', message: 'line 9: seq 10 follows seq 8: entry 9 is missing' },
        repaired: [],
        openIntents: [],
        lastHash: '',
        clockWarnings: [],
      },
    })
    await user.click(screen.getByTestId('audit-verify'))
    const verdict = await screen.findByTestId('audit-verify-result')
    expect(verdict).toHaveAttribute('data-ok', 'false')
    expect(verdict).toHaveClass('bad')
    expect(verdict).toHaveAttribute('role', 'alert')
    expect(verdict).toHaveTextContent('Chain broken at line 9 (entry #10): entries are missing here (expected #9)')
    expect(verdict).toHaveTextContent('line 9: seq 10 follows seq 8: entry 9 is missing')
    expect(verdict).toHaveTextContent('Entries from this line on cannot be trusted.')
  })

  test('Verify: a log cut before the keyring’s high-water mark names the break, and the checked MAC raises no note', async () => {
    const { user } = await openAudit({
      verify: {
        entries: 3,
        ok: false,
        firstBroken: { line: 4, offset: 1800, seq: null, expectedSeq: 4, problem: 'cut', message: 'the log ends at entry 3, but the keyring’s high-water mark says entry 5 was written' },
        repaired: [],
        openIntents: [],
        lastHash: '',
        clockWarnings: [],
        keyed: { macChecked: true, macsValid: 3, mark: { seq: 5, hash: 'ab' }, markChecked: true, lastSeq: 3, authenticatedThrough: 3, notes: [] },
      },
    })
    await user.click(screen.getByTestId('audit-verify'))
    const verdict = await screen.findByTestId('audit-verify-result')
    expect(verdict).toHaveAttribute('data-ok', 'false')
    expect(verdict).toHaveTextContent('entries were cut off the end, or the log was deleted (expected #4)')
    expect(screen.queryByTestId('audit-verify-mac-unchecked')).toBeNull()
  })

  test('Verify: without the keyring an intact chain still says the MAC and the mark were not checked', async () => {
    const note = 'MAC not checked (keyring unavailable: no Secret Service (D-Bus) is running)'
    const { user } = await openAudit({
      verify: {
        entries: 2,
        ok: true,
        firstBroken: null,
        repaired: [],
        openIntents: [],
        lastHash: '',
        clockWarnings: [],
        keyed: { macChecked: false, macsValid: 0, mark: null, markChecked: false, lastSeq: 2, authenticatedThrough: 0, notes: [note] },
      },
    })
    await user.click(screen.getByTestId('audit-verify'))
    const verdict = await screen.findByTestId('audit-verify-result')
    expect(verdict).toHaveAttribute('data-ok', 'true')
    expect(screen.getByTestId('audit-verify-mac-unchecked')).toHaveTextContent('MAC not checked')
    expect(screen.getByTestId('audit-verify-mark-unchecked')).toHaveTextContent('High-water mark not checked')
    expect(verdict).toHaveTextContent(note)
  })

  test('Export CSV / JSON: Rust asks where (the webview names no path); a toast says how many and where, with Open folder', async () => {
    const { user, calls, desk } = await openAudit()
    await user.click(screen.getByTestId('audit-export-csv'))
    expect(await screen.findByTestId('toast-text')).toHaveTextContent('Exported 13 entries')
    expect(screen.getByTestId('toast-path')).toHaveTextContent('/home/anna/Documents/carddesk-audit-2026-12-06.csv')
    await user.click(screen.getByTestId('audit-export-json'))
    await waitFor(() => expect(calls('audit_export')).toHaveLength(2))
    expect(calls('audit_export')).toEqual([
      { format: 'csv', filters: null },
      { format: 'json', filters: null },
    ])
    await waitFor(() => expect(screen.getByTestId('toast-path')).toHaveTextContent('carddesk-audit-2026-12-06.json'))
    // Open folder: Rust shows the file it wrote; the window sends no path.
    await user.click(screen.getByRole('button', { name: 'Open folder' }))
    await waitFor(() => expect(desk.state.revealed).toEqual(['/home/anna/Documents/carddesk-audit-2026-12-06.json']))
    expect(calls('reveal_export')).toEqual([{}])
    desk.state.audit = desk.state.audit.slice(0, 1)
    await user.click(screen.getByTestId('audit-export-json'))
    await waitFor(() => expect(screen.getByTestId('toast-text')).toHaveTextContent('Exported 1 entry'))
    // Going to another view takes the toast away.
    await user.click(screen.getByTestId('nav-search'))
    await waitFor(() => expect(screen.queryByTestId('toast')).not.toBeInTheDocument())
  })

  test('filtered, Export writes what is shown (all pages of it), and says so on the button; "Everything" exports the whole log', async () => {
    const { user, calls } = await openAudit()
    await waitFor(() => expect(screen.queryAllByTestId('audit-row')).toHaveLength(13))
    expect(screen.queryByTestId('audit-export-scope')).not.toBeInTheDocument()
    expect(screen.getByTestId('audit-export-csv')).toHaveTextContent('Export CSV')
    await user.type(screen.getByLabelText('Operator'), 'BOR')
    await waitFor(() => expect(screen.queryAllByTestId('audit-row')).toHaveLength(2))
    expect(screen.getByTestId('audit-export-csv')).toHaveTextContent('Export 2 entries as CSV')
    expect(screen.getByTestId('audit-export-shown')).toBeChecked()
    await user.click(screen.getByTestId('audit-export-csv'))
    expect(await screen.findByTestId('toast-text')).toHaveTextContent('Exported 2 entries')
    expect(calls('audit_export')[0]).toEqual({
      format: 'csv',
      filters: { from: null, to: null, profileId: null, customer: null, operator: 'BOR', outcome: null, action: null, offset: 0, limit: 50 },
    })
    await user.click(screen.getByTestId('audit-export-all'))
    expect(screen.getByTestId('audit-export-json')).toHaveTextContent('Export everything as JSON')
    await user.click(screen.getByTestId('audit-export-json'))
    await waitFor(() => expect(screen.getByTestId('toast-text')).toHaveTextContent('Exported 13 entries'))
    expect(calls('audit_export')[1]).toEqual({ format: 'json', filters: null })
  })

  test('a view entry reads in the window language from what was shown', async () => {
    const { user } = await renderApp({ status: status(), lookups: { '100025': lookupOf('100025', many(3)) } })
    await search(user, '100025')
    await screen.findByTestId('card-count')
    await user.click(screen.getByTestId('nav-audit'))
    expect(await screen.findByTestId('audit-shown')).toHaveTextContent('3 cards shown, fetched from the gateway')
    await user.click(screen.getByRole('button', { name: 'RU' }))
    await waitFor(() => expect(screen.getByTestId('audit-shown')).toHaveTextContent('Показаны 3 карты, получены от шлюза'))
  })

  test('Export cancelled: nothing shown; failed: the reason', async () => {
    const { user, calls } = await openAudit({ exportAnswer: 'cancel' })
    await user.click(screen.getByTestId('audit-export-csv'))
    await waitFor(() => expect(calls('audit_export')).toHaveLength(1))
    await waitFor(() => expect(screen.getByTestId('audit-export-csv')).toBeEnabled())
    expect(screen.queryByTestId('toast')).not.toBeInTheDocument()
    expect(screen.queryByTestId('audit-export-error')).not.toBeInTheDocument()
  })

  test('Export failed: the reason is shown', async () => {
    const { user } = await openAudit({ exportAnswer: { code: 'internal', message: 'could not create /home/anna/audit.csv: permission denied' } })
    await user.click(screen.getByTestId('audit-export-json'))
    expect(await screen.findByTestId('audit-export-error')).toHaveTextContent('could not create /home/anna/audit.csv: permission denied')
    expect(screen.queryByTestId('toast')).not.toBeInTheDocument()
  })

  test('Russian: headings, outcomes and plurals', async () => {
    const { user, rows } = await openAudit()
    await user.click(screen.getByRole('button', { name: 'RU' }))
    await waitFor(() => expect(rows()).toHaveLength(13))
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Журнал аудита')
    expect(screen.getByTestId('audit-showing')).toHaveTextContent('Показаны 1–13 из 13 записей')
    expect(within(rows().find((r) => r.dataset.seq === '8')!).getByText('Уже была удалена')).toBeInTheDocument()
    await user.click(screen.getByTestId('audit-verify'))
    expect(await screen.findByTestId('audit-verify-result')).toHaveTextContent('Цепочка цела: 13 записей')
    await user.click(screen.getByTestId('audit-export-csv'))
    expect(await screen.findByTestId('toast-text')).toHaveTextContent('Выгружено 13 записей')
  })
})

describe('an unknown outcome', () => {
  test('its details offer "Check again", which settles the intent with an entry linked to it', async () => {
    const { user, rows, calls } = await openAudit()
    await waitFor(() => expect(rows()).toHaveLength(13))
    const unknown = rows().find((r) => r.dataset.seq === '10')!
    expect(unknown).toHaveAttribute('data-outcome', 'unknown')
    // Only the unknown outcome offers it.
    await user.click(within(rows().find((r) => r.dataset.seq === '6')!).getByTestId('audit-row-toggle'))
    expect(screen.queryByTestId('audit-check-again')).not.toBeInTheDocument()
    await user.click(within(unknown).getByTestId('audit-row-toggle'))
    await user.click(await screen.findByTestId('audit-check-again'))
    await waitFor(() => expect(screen.getByTestId('audit-check-result')).toHaveTextContent('Checked again: Removed — confirmed by re-check'))
    expect(calls('check_removal')).toEqual([{ intentSeq: 9 }])
    await waitFor(() => expect(rows()).toHaveLength(14))
    const settled = rows()[0]!
    expect(settled).toHaveAttribute('data-action', 'recovered_outcome')
    expect(settled).toHaveAttribute('data-outcome', 'removed_confirmed_by_recheck')
    expect(screen.getByTestId('audit-check-result')).toHaveTextContent('Checked again')
  })

  test('one that cannot be settled yet says why', async () => {
    const { user, rows } = await openAudit({ checkAgain: { leftOpen: 'its removal is still in progress (carddesk revoke, pid 4711, since 15:43:07 UTC)' } })
    await waitFor(() => expect(rows()).toHaveLength(13))
    await user.click(within(rows().find((r) => r.dataset.seq === '10')!).getByTestId('audit-row-toggle'))
    await user.click(await screen.findByTestId('audit-check-again'))
    await waitFor(() => expect(screen.getByTestId('audit-check-result')).toHaveTextContent('Still unknown: its removal is still in progress (carddesk revoke, pid 4711'))
    expect(rows()).toHaveLength(13)
  })
})

describe('heard as it changes (issue 19)', () => {
  test('"Reading the audit log…" is said in a live region that was there, empty, while the failed read was shown', async () => {
    const r = await renderApp({ status: status({ profiles: [sandboxProfile, prod] }), lookups: {}, audit: auditSample })
    const allow = r.refuse('audit_query', { code: 'audit_log', message: 'the audit log could not be read: permission denied' })
    await r.user.click(screen.getByTestId('nav-audit'))
    const error = await screen.findByTestId('error')
    const live = screen.getByTestId('audit-loading')
    expect(live).toHaveAttribute('role', 'status')
    expect(live).toBeEmptyDOMElement()
    allow()
    const release = r.hold('audit_query')
    await r.user.click(within(error).getByRole('button', { name: 'Retry' }))
    expect(screen.getByTestId('audit-loading')).toBe(live)
    expect(live).toHaveTextContent('Reading the audit log…')
    release()
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(13))
    expect(live).toBeEmptyDOMElement()
  })
})
