// Four-eyes (issue 17), Settings → Team → Approvals: shown only while team mode is on; what
// waits, with the customer's masked cards or the dry run's counts; Approve and Reject each ask
// for a note first (and Rust's note error goes beside it); an agent reads, never decides; the
// policy saved by a supervisor; and the agent's side: a revoke-all the policy names is held,
// said as waiting for a supervisor (not as a failure), in English and in Russian.
import { afterEach, describe, expect, test, vi } from 'vitest'
import { screen, waitFor, within } from '@testing-library/svelte'
import { renderApp, search } from '../test/render'
import { cards1234, lookupOf, productionProfile, sandboxProfile, status, testProfile } from '../test/fixtures'
import type { Seed, TeamSeed } from '../test/fakeDesk'

const saved = { host: 'db.example.com', port: 5432, database: 'carddesk', user: 'anna', deskName: 'Anna’s laptop' }
const REVOKE_ALL = '3f6c1e9a-2b7d-4c05-9e81-6a4d2f0b7c13'
const BULK_RUN = '9a0e4b72-61d3-4f8c-a5b9-0c2e7d3f1a64'

async function openApprovals(team: TeamSeed = {}, seed: Partial<Seed> = {}) {
  const r = await renderApp({ status: status({ profiles: [sandboxProfile, testProfile] }), lookups: {}, team: { setup: saved, passwordStored: true, ...team }, ...seed })
  await r.user.click(screen.getByRole('button', { name: 'Settings' }))
  await screen.findByRole('heading', { name: 'Settings', level: 1 })
  const panel = await screen.findByTestId('approvals')
  await within(panel).findByTestId('approvals-role')
  const item = (id: string) => panel.querySelector<HTMLElement>(`[data-approval="${id}"]`)!
  return { ...r, panel, item }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('Settings → Team → Approvals', () => {
  test('not there while team mode is off', async () => {
    await renderApp({ status: status(), lookups: {} })
    await screen.findByTestId('env-banner')
    screen.getByRole('button', { name: 'Settings' }).click()
    await screen.findByTestId('team')
    expect(screen.queryByTestId('approvals')).not.toBeInTheDocument()
  })

  test('what waits: the action in words, where, how many cards, who asked; the masked cards or the dry run’s counts', async () => {
    const { panel, item } = await openApprovals()
    expect(within(panel).getByTestId('approvals-role')).toHaveTextContent('You are a supervisor')
    expect(within(panel).getByTestId('approvals-count')).toHaveTextContent('2')
    const revokeAll = item(REVOKE_ALL)
    expect(revokeAll).toHaveTextContent('Remove all cards of customer 1234')
    expect(revokeAll).toHaveTextContent('Production')
    expect(revokeAll).toHaveTextContent('3 cards')
    expect(revokeAll).toHaveTextContent('Asked by Boris Petrov (boris)')
    expect(within(revokeAll).getByRole('list', { name: 'The customer’s cards' })).toHaveTextContent('4123 62•• •••• 0028')
    expect(within(revokeAll).getAllByRole('listitem')).toHaveLength(3)
    const bulk = item(BULK_RUN)
    expect(bulk).toHaveTextContent('Bulk run job-20261207-0915')
    expect(bulk).toHaveTextContent('1,240 cards')
    expect(bulk).toHaveTextContent('Cards to remove1,240')
    expect(bulk).toHaveTextContent('Held for review52')
    const decided = within(panel).getByTestId('approval-decided')
    expect(decided).toHaveTextContent('Approved, used')
    expect(decided).toHaveTextContent('Decided by Olga Lead (olga)')
    expect(decided).toHaveTextContent('“Erasure request SUP-1182: identity checked by phone.”')
  })

  test('Approve asks for a note first, then decides; the result is said in the live region and the request moves to the decided', async () => {
    const { user, panel, item, calls } = await openApprovals()
    const live = within(panel).getByTestId('approvals-live')
    expect(live).toHaveAttribute('role', 'status')
    await user.click(within(item(REVOKE_ALL)).getByRole('button', { name: 'Approve: Remove all cards of customer 1234' }))
    const note = within(panel).getByLabelText('Note')
    expect(note).toHaveFocus()
    await user.type(note, 'Erasure request SUP-1190, identity checked')
    await user.click(within(panel).getByRole('button', { name: 'Approve with this note' }))
    await waitFor(() => expect(live).toHaveTextContent('Approved: Remove all cards of customer 1234. It goes ahead on the agent’s desk while their window waits for it.'))
    expect(calls('decide_approval')).toEqual([{ id: REVOKE_ALL, approve: true, note: 'Erasure request SUP-1190, identity checked' }])
    expect(within(panel).getByTestId('approvals-count')).toHaveTextContent('1')
    expect(item(REVOKE_ALL)).toBeNull()
    const first = within(panel).getAllByTestId('approval-decided')[0]!
    expect(first).toHaveAttribute('data-state', 'approved')
    expect(first).toHaveTextContent('Remove all cards of customer 1234')
    expect(first).toHaveTextContent('“Erasure request SUP-1190, identity checked”')
    expect(within(panel).getByRole('heading', { name: /Waiting for a decision/ })).toHaveFocus()
  })

  test('Reject needs a note: nothing is sent without one, and Rust’s note error goes beside the field too', async () => {
    const { user, panel, item, calls, refuse } = await openApprovals()
    await user.click(within(item(BULK_RUN)).getByRole('button', { name: 'Reject: Bulk run job-20261207-0915' }))
    await user.click(within(panel).getByRole('button', { name: 'Reject with this note' }))
    const note = within(panel).getByLabelText('Note')
    expect(note).toHaveAttribute('aria-invalid', 'true')
    expect(note).toHaveFocus()
    expect(panel.querySelector('#approval-note-error')).toHaveTextContent('Write a note: say why.')
    expect(note.getAttribute('aria-describedby')).toContain('approval-note-error')
    expect(calls('decide_approval')).toEqual([])

    const allow = refuse('decide_approval', { code: 'validation', message: 'note: must be 1 to 500 characters: say why', ru: 'комментарий: от 1 до 500 символов: объясните решение', field: 'note' })
    await user.type(note, 'x')
    await user.click(within(panel).getByRole('button', { name: 'Reject with this note' }))
    await waitFor(() => expect(panel.querySelector('#approval-note-error')).toHaveTextContent('note: must be 1 to 500 characters: say why'))
    allow()

    await user.clear(note)
    await user.type(note, '52 rows held: check them first')
    await user.click(within(panel).getByRole('button', { name: 'Reject with this note' }))
    await waitFor(() => expect(within(panel).getByTestId('approvals-live')).toHaveTextContent('Rejected: Bulk run job-20261207-0915. The agent sees your note.'))
    expect(calls('decide_approval').at(-1)).toEqual({ id: BULK_RUN, approve: false, note: '52 rows held: check them first' })
    expect(within(panel).getAllByTestId('approval-decided')[0]).toHaveAttribute('data-state', 'rejected')
  })

  test('a decision the database refuses (one’s own request) is said, and nothing changes', async () => {
    const { user, panel, item, desk } = await openApprovals()
    desk.state.team.approvals[0]!.requestedBy = 'anna'
    await user.click(within(item(REVOKE_ALL)).getByTestId('approval-approve'))
    await user.type(within(panel).getByLabelText('Note'), 'fine')
    await user.click(within(panel).getByTestId('approval-confirm'))
    const error = await within(panel).findByTestId('approval-error')
    expect(error).toHaveAttribute('role', 'alert')
    expect(error).toHaveTextContent('Not decided: the team database refused: an approval is decided by another person than the one who asked')
    expect(item(REVOKE_ALL)).not.toBeNull()
  })

  test('an agent sees what waits and the policy, read-only, with a line saying only a supervisor decides', async () => {
    const { panel, item, calls } = await openApprovals({ supervisor: false })
    expect(within(panel).getByTestId('approvals-role')).toHaveTextContent('Only a supervisor decides. You see what waits and the policy, read-only.')
    expect(item(REVOKE_ALL)).toHaveTextContent('Remove all cards of customer 1234')
    expect(within(panel).queryByRole('button', { name: /Approve|Reject/ })).not.toBeInTheDocument()
    expect(within(panel).getByLabelText('Bulk runs on production')).toBeDisabled()
    expect(within(panel).getByLabelText('Removing all of a customer’s cards on production')).toBeDisabled()
    expect(within(panel).getByLabelText('Any run above a number of cards, in any environment')).toBeDisabled()
    expect(within(panel).queryByRole('button', { name: 'Save policy' })).not.toBeInTheDocument()
    expect(within(panel).getByTestId('approvals-set-by')).toHaveTextContent('Last set by Olga Lead. Only a supervisor changes the policy.')
    expect(calls('set_team_policy')).toEqual([])
  })

  test('a supervisor saves the policy: a limit that is not a number is refused first; what Rust saved is shown', async () => {
    const { user, panel, calls } = await openApprovals({}, { status: status({ profiles: [sandboxProfile, testProfile], settings: { ...status().settings, operatorName: 'Anna Ivanova' } }) })
    const bulk = within(panel).getByLabelText('Bulk runs on production')
    expect(bulk).toBeChecked()
    expect(within(panel).getByLabelText('Removing all of a customer’s cards on production')).toBeChecked()
    const over = within(panel).getByLabelText('Any run above a number of cards, in any environment')
    expect(over).not.toBeChecked()
    await user.click(bulk)
    await user.click(over)
    const limit = within(panel).getByLabelText('More than (cards)')
    await user.type(limit, '5x0')
    await user.click(within(panel).getByRole('button', { name: 'Save policy' }))
    expect(limit).toHaveAttribute('aria-invalid', 'true')
    expect(limit).toHaveFocus()
    expect(panel.querySelector('#approvals-over-n-error')).toHaveTextContent('A whole number, 0 or more.')
    expect(calls('set_team_policy')).toEqual([])

    await user.clear(limit)
    await user.type(limit, '500')
    await user.click(within(panel).getByRole('button', { name: 'Save policy' }))
    await waitFor(() => expect(within(panel).getByTestId('approvals-policy-live')).toHaveTextContent('Policy saved.'))
    expect(calls('set_team_policy')).toEqual([{ productionBulk: false, productionRevokeAll: true, cardsOver: 500 }])
    expect(within(panel).getByTestId('approvals-set-by')).toHaveTextContent('Last set by Anna Ivanova.')
    expect(bulk).not.toBeChecked()
    expect(limit).toHaveValue('500')
  })

  test('re-read every 5 s: a request from another desk appears without a reload', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setInterval', 'clearInterval'] })
    const { panel, desk } = await openApprovals()
    expect(within(panel).getByTestId('approvals-count')).toHaveTextContent('2')
    desk.state.team.approvals.unshift({ ...desk.state.team.approvals[0]!, id: 'new-one', subject: '5678', requestedAt: new Date().toISOString() })
    await vi.advanceTimersByTimeAsync(5100)
    await waitFor(() => expect(within(panel).getByTestId('approvals-count')).toHaveTextContent('3'))
    expect(panel).toHaveTextContent('Remove all cards of customer 5678')
  })
})

describe('the agent’s side: an action the policy names waits for a supervisor', () => {
  async function revokeAllOnProduction(locale: 'en' | 'ru') {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
    if (locale === 'ru') localStorage.setItem('carddesk.locale', 'ru')
    const prod = { ...productionProfile, hasPassword: true }
    const r = await renderApp(
      {
        status: status({ activeProfileId: 'p-prod', profiles: [sandboxProfile, prod] }),
        lookups: { '1234': lookupOf('1234', cards1234, { profileId: 'p-prod', profileName: prod.name, environment: 'production' }) },
        team: { setup: saved, passwordStored: true, supervisor: false },
      },
      { user: { advanceTimers: vi.advanceTimersByTime } },
    )
    await search(r.user, '1234')
    await screen.findByTestId('customer-heading')
    await r.user.click(screen.getByTestId('customer-revoke-all'))
    const dialog = screen.getByTestId('revoke-all-dialog')
    await r.user.type(within(dialog).getByTestId('revoke-ticket'), 'GDPR-114')
    await r.user.type(within(dialog).getByTestId('revoke-confirm-customer'), '1234{Enter}')
    await vi.advanceTimersByTimeAsync(5200)
    const error = await within(dialog).findByTestId('error')
    return { ...r, dialog, error }
  }

  test('English: held, not failed — what happened, that nothing was sent, where a supervisor decides', async () => {
    const { error, desk, calls } = await revokeAllOnProduction('en')
    expect(error).toHaveAttribute('data-code', 'awaiting_approval')
    expect(error).toHaveTextContent('Waiting for a supervisor’s approval')
    // Rust's words follow a colon elsewhere; alone here they are a sentence
    expect(within(error).getByTestId('error-said')).toHaveTextContent(/^This removal of all the customer's cards needs a second person's approval/)
    expect(error).toHaveTextContent('nothing was sent')
    expect(error).toHaveTextContent('A supervisor decides in Settings → Team → Approvals.')
    expect(error).not.toHaveTextContent(/gateway/i)
    expect(calls('revoke_all_cards')).toHaveLength(1)
    expect(desk.state.audit.filter((e) => e.action === 'revoke_intent')).toEqual([])
    expect(desk.state.team.approvals[0]).toMatchObject({ action: 'revoke_all', subject: '1234', cards: 3, state: 'waiting', requestedBy: 'anna' })
  })

  test('a bulk run held for approval says so above the job, as waiting, not as a failed run', async () => {
    const r = await renderApp({ status: status(), lookups: {}, bulk: { jobs: [{ id: 'job-planned', source: '/home/anna/requests-oct.csv', created: '2026-11-20T09:30:00Z', rows: 14, stage: 'planned' }] } })
    r.refuse('bulk_run', {
      code: 'awaiting_approval',
      message: "this bulk run needs a second person's approval (the team's four-eyes policy): approval was asked for; nothing was sent; it can go once a supervisor approves it",
      ru: 'для этого действия (массовый запуск) нужно одобрение второго лица (правило двух подписей команды): запрос на одобрение отправлен; ничего не отправлено; действие можно выполнить после одобрения руководителя',
    })
    await r.user.click(screen.getByTestId('nav-bulk'))
    await r.user.click(await screen.findByRole('button', { name: 'Open job requests-oct.csv' }))
    await r.user.click(await screen.findByRole('button', { name: 'Run — remove 7 cards' }))
    const held = within(await screen.findByTestId('bulk-pass-error')).getByTestId('error')
    expect(held).toHaveAttribute('data-code', 'awaiting_approval')
    expect(held).toHaveTextContent('Waiting for a supervisor’s approval')
    expect(held).toHaveTextContent("This bulk run needs a second person's approval")
    expect(held).toHaveTextContent('nothing was sent')
    expect(held).toHaveTextContent('A supervisor decides in Settings → Team → Approvals.')
    expect(screen.queryByTestId('bulk-result')).not.toBeInTheDocument()
  })

  test('Russian: the same in Russian', async () => {
    const { error } = await revokeAllOnProduction('ru')
    expect(error).toHaveTextContent('Ждёт одобрения руководителя')
    expect(error).toHaveTextContent('ничего не отправлено')
    expect(error).toHaveTextContent('Решение принимает руководитель в разделе Настройки → Команда → Одобрения.')
    expect(within(error).getByTestId('error-said')).toHaveTextContent(/^Для этого действия \(удаление всех карт клиента\) нужно одобрение второго лица/)
  })
})
