// Team mode, live (issue 17): the request register is the whole desk's, so in team mode the
// Requests view reads the list and the open request again every 5 s while the window is
// visible, says who handles each request ("Being handled by …", "Not taken yet"), and says
// politely when a colleague changed the open request, with what the agent typed left alone; the
// single desk does none of it. An action held for a supervisor's approval (revoke-all, a bulk
// run) is watched until decided: approved, it goes on by itself (once, no second click) and says
// by whom with their note; rejected, the note is said and nothing is sent; the watching stops
// when the dialog closes or a field is edited, and then nothing goes by itself.
import { afterEach, describe, expect, test, vi } from 'vitest'
import { screen, waitFor, within } from '@testing-library/svelte'
import { renderApp, search } from '../test/render'
import { aRequest, cards1234, lookupOf, productionProfile, sandboxProfile, status } from '../test/fixtures'
import type { Seed } from '../test/fakeDesk'

const team = { setup: { host: 'db.example.com', port: 5432, database: 'carddesk', user: 'anna', deskName: 'Anna’s laptop' }, passwordStored: true, supervisor: false }
const identified = { asked: 'e-mail on file', matched: true, by: 'anna', at: '2026-12-01T09:40:00Z' }

function clock() {
  vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
  return { user: { advanceTimers: vi.advanceTimersByTime } }
}

let hidden = false
Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') })

afterEach(() => {
  vi.useRealTimers()
  hidden = false
})

function register() {
  const taken = aRequest({ kind: 'erasure152', ticket: 'SUP-1', assignee: 'Vera Sokolova', status: { state: 'in_progress' }, identityChecks: [identified] })
  const fresh = aRequest({ ticket: 'SUP-2', subjects: [{ customerNumber: '5678', profile: { profile: 'sandbox' } }] })
  return { taken, fresh }
}

/** A production profile's planned job of 7 cards, run with the count typed: held for approval. */
async function heldProductionRun() {
  const prod = { ...productionProfile, hasPassword: true }
  const r = await renderApp(
    {
      status: status({ activeProfileId: 'p-prod', profiles: [sandboxProfile, prod] }),
      lookups: {},
      team,
      bulk: { jobs: [{ id: 'job-planned', source: '/home/anna/requests-oct.csv', created: '2026-11-20T09:30:00Z', rows: 14, stage: 'planned', profileId: 'p-prod' }] },
    },
    clock(),
  )
  await r.user.click(screen.getByTestId('nav-bulk'))
  await r.user.click(await screen.findByRole('button', { name: 'Open job requests-oct.csv' }))
  await r.user.type(await screen.findByTestId('bulk-confirm'), '7')
  await r.user.click(screen.getByRole('button', { name: 'Run — remove 7 cards' }))
  const held = await screen.findByTestId('bulk-pass-error')
  return { r, held }
}

async function requestsIn(seed: Partial<Seed>, locale: 'en' | 'ru' = 'en') {
  if (locale === 'ru') localStorage.setItem('carddesk.locale', 'ru')
  const r = await renderApp({ status: status(), lookups: {}, ...seed }, clock())
  await r.user.click(screen.getByTestId('nav-requests'))
  await screen.findByTestId('request-table')
  const row = (id: string) => screen.getAllByTestId('request-row').find((el) => el.dataset.id === id)!
  return { ...r, row }
}

describe('the shared register, live', () => {
  test('each row says who handles it; a colleague taking one shows within 5 s', async () => {
    const { taken, fresh } = register()
    const { desk, row, calls } = await requestsIn({ team, requests: [taken, fresh] })
    await waitFor(() => expect(row(taken.id)).toHaveTextContent('Being handled by Vera Sokolova'))
    expect(row(fresh.id)).toHaveTextContent('Not taken yet')
    const before = calls('requests').length

    desk.state.colleague.takeRequest(fresh.id, 'Boris Petrov')
    await vi.advanceTimersByTimeAsync(5100)
    await waitFor(() => expect(row(fresh.id)).toHaveTextContent('Being handled by Boris Petrov'))
    expect(within(row(fresh.id)).getByTestId('request-status')).toHaveTextContent('In progress')
    expect(calls('requests').length).toBeGreaterThan(before)
  })

  test('nothing is read while the window is hidden; coming back reads at once', async () => {
    const { taken, fresh } = register()
    const { desk, row, calls } = await requestsIn({ team, requests: [taken, fresh] })
    await waitFor(() => expect(row(fresh.id)).toHaveTextContent('Not taken yet'))
    hidden = true
    const before = calls('requests').length
    desk.state.colleague.takeRequest(fresh.id, 'Boris Petrov')
    await vi.advanceTimersByTimeAsync(15_000)
    expect(calls('requests').length).toBe(before)
    hidden = false
    document.dispatchEvent(new Event('visibilitychange'))
    await waitFor(() => expect(row(fresh.id)).toHaveTextContent('Being handled by Boris Petrov'))
  })

  test('the open request: a colleague’s change is shown and said, and what the agent typed stays', async () => {
    const { taken, fresh } = register()
    const { desk, user, calls, row } = await requestsIn({ team, requests: [taken, fresh] })
    await user.click(within(row(fresh.id)).getByRole('button'))
    const detail = await screen.findByTestId('request-detail')
    const head = within(detail).getByTestId('request-title').parentElement!
    await waitFor(() => expect(head).toHaveTextContent('Not taken yet'))
    const live = screen.getByTestId('request-team-live')
    expect(live).toHaveAttribute('role', 'status')
    expect(live).toBeEmptyDOMElement()

    await user.type(within(detail).getByTestId('request-note-text'), 'Called the customer back')
    await user.type(within(detail).getByTestId('request-assignee-edit'), 'Anna')
    desk.state.colleague.takeRequest(fresh.id, 'Boris Petrov')
    await vi.advanceTimersByTimeAsync(5100)
    await waitFor(() => expect(head).toHaveTextContent('Being handled by Boris Petrov'))
    expect(live).toHaveTextContent('Updated by a colleague just now')
    expect(within(detail).getByTestId('request-note-text')).toHaveValue('Called the customer back')
    expect(within(detail).getByTestId('request-assignee-edit')).toHaveValue('Anna')
    expect(detail).toHaveAttribute('data-version', '1')

    // nothing changed since: the request is not replaced, the note stays; the agent's own change goes through
    await vi.advanceTimersByTimeAsync(5100)
    expect(calls('request').length).toBeGreaterThanOrEqual(3)
    await user.click(within(detail).getByTestId('request-note-add'))
    await waitFor(() => expect(within(detail).getAllByTestId('request-note')[0]).toHaveTextContent('Called the customer back'))
    expect(screen.queryByTestId('request-act-error')).not.toBeInTheDocument()
    expect(live).toBeEmptyDOMElement()
  })

  test('an untouched assignee field follows the register', async () => {
    const { fresh } = register()
    const { desk, user, row } = await requestsIn({ team, requests: [fresh] })
    await user.click(within(row(fresh.id)).getByRole('button'))
    const detail = await screen.findByTestId('request-detail')
    desk.state.colleague.takeRequest(fresh.id, 'Boris Petrov')
    await vi.advanceTimersByTimeAsync(5100)
    await waitFor(() => expect(within(detail).getByTestId('request-assignee-edit')).toHaveValue('Boris Petrov'))
  })

  test('Russian: who handles it, and a colleague’s change', async () => {
    const { taken, fresh } = register()
    const { desk, user, row } = await requestsIn({ team, requests: [taken, fresh] }, 'ru')
    await waitFor(() => expect(row(taken.id)).toHaveTextContent('В работе у Vera Sokolova'))
    expect(row(fresh.id)).toHaveTextContent('Никто не взял')
    await user.click(within(row(fresh.id)).getByRole('button'))
    await screen.findByTestId('request-detail')
    desk.state.colleague.takeRequest(fresh.id, 'Boris Petrov')
    await vi.advanceTimersByTimeAsync(5100)
    await waitFor(() => expect(screen.getByTestId('request-team-live')).toHaveTextContent('Только что обновлено коллегой'))
  })

  test('a single desk: no names, no notes, no re-reading', async () => {
    const { taken, fresh } = register()
    const { desk, row, calls } = await requestsIn({ requests: [taken, fresh] })
    const before = calls('requests').length
    desk.state.colleague.takeRequest(fresh.id, 'Boris Petrov')
    await vi.advanceTimersByTimeAsync(15_000)
    expect(calls('requests').length).toBe(before)
    expect(row(fresh.id)).not.toHaveTextContent('Not taken yet')
    expect(screen.queryByTestId('request-handled-by')).not.toBeInTheDocument()
  })
})

describe('an action held for approval, watched', () => {
  async function heldRevokeAll(locale: 'en' | 'ru' = 'en') {
    if (locale === 'ru') localStorage.setItem('carddesk.locale', 'ru')
    const prod = { ...productionProfile, hasPassword: true }
    const r = await renderApp(
      {
        status: status({ activeProfileId: 'p-prod', profiles: [sandboxProfile, prod] }),
        lookups: { '1234': lookupOf('1234', cards1234, { profileId: 'p-prod', profileName: prod.name, environment: 'production' }) },
        team,
      },
      clock(),
    )
    await search(r.user, '1234')
    await screen.findByTestId('customer-heading')
    await r.user.click(screen.getByTestId('customer-revoke-all'))
    const dialog = screen.getByTestId('revoke-all-dialog')
    await r.user.type(within(dialog).getByTestId('revoke-ticket'), 'GDPR-114')
    await r.user.type(within(dialog).getByTestId('revoke-confirm-customer'), '1234{Enter}')
    await vi.advanceTimersByTimeAsync(5200)
    await within(dialog).findByTestId('approval-wait')
    return { ...r, dialog }
  }

  test('revoke-all: approved by a supervisor with a note — it goes on by itself, once, and says whose approval', async () => {
    const { dialog, desk, calls } = await heldRevokeAll()
    expect(within(dialog).getByTestId('error')).toHaveAttribute('data-code', 'awaiting_approval')
    expect(dialog).toHaveTextContent('Once a supervisor approves, it goes ahead by itself while this window stays open.')
    const live = within(dialog).getByTestId('approval-wait-live')
    expect(live).toHaveAttribute('role', 'status')
    expect(live).toBeEmptyDOMElement()
    await vi.advanceTimersByTimeAsync(5100)
    expect(live).toBeEmptyDOMElement()
    expect(calls('revoke_all_cards')).toHaveLength(1)

    desk.state.colleague.decide('revoke_all', '1234', true, 'Erasure SUP-1190: identity checked')
    await vi.advanceTimersByTimeAsync(5100)
    // no second click: the held removal is asked for again, the approval used once
    const result = await within(dialog).findByTestId('revoke-all-result')
    expect(within(result).getByTestId('approval-used')).toHaveTextContent('Approved by Olga Lead: “Erasure SUP-1190: identity checked”')
    expect(within(dialog).getByTestId('revoke-all-summary')).toHaveTextContent('3 of 3 cards are gone')
    expect(calls('revoke_all_cards')).toHaveLength(2)
    expect(desk.state.team.approvals[0]).toMatchObject({ subject: '1234', state: 'used' })
    const asked = calls('team_approvals').length
    await vi.advanceTimersByTimeAsync(15_000)
    expect(calls('team_approvals').length).toBe(asked)
    expect(calls('revoke_all_cards')).toHaveLength(2)
  })

  test('revoke-all: a field edited while it waits — the approval then sends nothing by itself', async () => {
    const { dialog, desk, user, calls } = await heldRevokeAll()
    await user.type(within(dialog).getByTestId('revoke-ticket'), '-2')
    expect(within(dialog).queryByTestId('approval-wait')).not.toBeInTheDocument()
    desk.state.colleague.decide('revoke_all', '1234', true, 'ok')
    await vi.advanceTimersByTimeAsync(15_000)
    expect(calls('revoke_all_cards')).toHaveLength(1)
    expect(within(dialog).queryByTestId('revoke-all-result')).not.toBeInTheDocument()
  })

  test('revoke-all: rejected — said with the note; the watching stops when the dialog closes', async () => {
    const { dialog, desk, user, calls } = await heldRevokeAll()
    await user.click(screen.getByTestId('revoke-cancel'))
    await waitFor(() => expect(dialog).not.toBeInTheDocument())
    const asked = calls('team_approvals').length
    await vi.advanceTimersByTimeAsync(15_000)
    expect(calls('team_approvals').length).toBe(asked)

    // again, and this time a supervisor rejects
    await user.click(screen.getByTestId('customer-revoke-all'))
    const again = screen.getByTestId('revoke-all-dialog')
    await user.type(within(again).getByTestId('revoke-ticket'), 'GDPR-114')
    await user.type(within(again).getByTestId('revoke-confirm-customer'), '1234{Enter}')
    await vi.advanceTimersByTimeAsync(5200)
    await within(again).findByTestId('approval-wait')
    desk.state.colleague.decide('revoke_all', '1234', false, 'No identity check on file')
    await vi.advanceTimersByTimeAsync(5100)
    await waitFor(() => expect(within(again).getByTestId('approval-wait-live')).toHaveTextContent('Rejected by Olga Lead: “No identity check on file”'))
    expect(again).toHaveTextContent('Nothing was sent. Starting it again asks for a new approval.')
    await vi.advanceTimersByTimeAsync(15_000)
    expect(calls('revoke_all_cards')).toHaveLength(2)
    expect(within(again).queryByTestId('revoke-all-result')).not.toBeInTheDocument()
  })

  test('a colleague’s approval of the same customer is not this desk’s', async () => {
    const { dialog, desk } = await heldRevokeAll()
    // Boris's own request for customer 1234 (another desk) is decided: still waiting here
    Object.assign(desk.state.team.approvals.find((a) => a.requestedBy === 'boris')!, { state: 'approved', decidedAs: 'Olga Lead', note: 'ok' })
    await vi.advanceTimersByTimeAsync(5100)
    expect(within(dialog).getByTestId('approval-wait')).toHaveAttribute('data-state', 'waiting')
  })

  test('Russian: held as a sentence, then approved and gone ahead, in Russian', async () => {
    const { dialog, desk } = await heldRevokeAll('ru')
    expect(within(dialog).getByTestId('error-said')).toHaveTextContent(/^Для этого действия/)
    expect(dialog).toHaveTextContent('Как только руководитель одобрит, действие выполнится само, пока это окно открыто.')
    desk.state.colleague.decide('revoke_all', '1234', true, 'Личность проверена')
    await vi.advanceTimersByTimeAsync(5100)
    const result = await within(dialog).findByTestId('revoke-all-result')
    expect(within(result).getByTestId('approval-used')).toHaveTextContent('Одобрил(а) Olga Lead: «Личность проверена»')
  })

  test('a production bulk run: held above the job, then approved — it runs by itself, with progress', async () => {
    const { r, held } = await heldProductionRun()
    expect(within(held).getByTestId('error')).toHaveAttribute('data-code', 'awaiting_approval')
    expect(r.desk.state.team.approvals[0]).toMatchObject({ action: 'bulk_run', subject: 'job-planned', cards: 7, state: 'waiting' })

    r.desk.state.colleague.decide('bulk_run', 'job-planned', true, 'Dry run checked')
    await vi.advanceTimersByTimeAsync(5100)
    // no second click: the same run (options, typed confirmation) is asked for again
    await waitFor(() => expect(screen.getByTestId('approval-used')).toHaveTextContent('Approved by Olga Lead: “Dry run checked”'))
    expect(r.calls('bulk_run')).toHaveLength(2)
    const asked = (i: number) => ({ ...(r.calls('bulk_run')[i] as Record<string, unknown>), onProgress: null })
    expect(asked(1)).toEqual(asked(0))
    expect(asked(1)).toMatchObject({ id: 'job-planned', confirmation: '7' })
    await vi.advanceTimersByTimeAsync(3000)
    await waitFor(() => expect(screen.getByTestId('bulk-job-detail')).toHaveAttribute('data-phase', 'finished'))
    expect(screen.getByTestId('approval-used')).toHaveTextContent('Approved by Olga Lead: “Dry run checked”')
    expect(r.desk.state.team.approvals[0]).toMatchObject({ subject: 'job-planned', state: 'used' })
    await vi.advanceTimersByTimeAsync(15_000)
    expect(r.calls('bulk_run')).toHaveLength(2)
  })

  test('a bulk run rejected: the note is said, nothing runs by itself', async () => {
    const { r, held } = await heldProductionRun()
    r.desk.state.colleague.decide('bulk_run', 'job-planned', false, 'Wrong merchant in the file')
    await vi.advanceTimersByTimeAsync(5100)
    await waitFor(() => expect(within(held).getByTestId('approval-wait-live')).toHaveTextContent('Rejected by Olga Lead: “Wrong merchant in the file”'))
    await vi.advanceTimersByTimeAsync(15_000)
    expect(r.calls('bulk_run')).toHaveLength(1)
    expect(screen.getByTestId('bulk-job-detail')).toHaveAttribute('data-phase', 'planned')
    expect(screen.queryByTestId('approval-used')).not.toBeInTheDocument()
  })
})
