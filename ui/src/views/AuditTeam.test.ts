// The audit view's "Whole team" (issue 17) over the fake desk: the switch only while team mode
// is on (and reached by keyboard), team_audit asked with the view's filters but never the
// profile (its select off, saying why), the Desk column, an unreadable line said plainly with
// the command that checks it, an entry's details naming its desk, a count that stops at
// 10,000 ("10,000+") with paging past it, no Export/Verify but the CLI command, the empty state,
// and the team database's refusals in the window's language.
import { describe, expect, test } from 'vitest'
import { screen, waitFor, within } from '@testing-library/svelte'
import { renderApp } from '../test/render'
import { auditEntry, auditSample, productionProfile, sandboxProfile, status } from '../test/fixtures'
import type { Seed, TeamSeed } from '../test/fakeDesk'
import type { TeamAuditEntry } from '../lib/ipc'

const prod = { ...productionProfile, hasPassword: true }
const teamOn: TeamSeed = {
  setup: { host: 'db.example.com', port: 5432, database: 'carddesk', user: 'anna', deskName: 'Anna’s laptop' },
  passwordStored: true,
}

async function openAudit(seed: Partial<Seed> = {}) {
  const r = await renderApp({ status: status({ profiles: [sandboxProfile, prod] }), lookups: {}, audit: auditSample, team: teamOn, ...seed })
  await r.user.click(screen.getByTestId('nav-audit'))
  await screen.findByTestId('audit-view')
  const rows = () => screen.queryAllByTestId('audit-row')
  const lastTeamQuery = () => (r.calls('team_audit').at(-1) as { query: Record<string, unknown> }).query
  return { ...r, rows, lastTeamQuery }
}

async function wholeTeam(r: Awaited<ReturnType<typeof openAudit>>) {
  await waitFor(() => expect(r.rows().length).toBeGreaterThan(0))
  await r.user.click(await screen.findByTestId('audit-scope-team'))
  await waitFor(() => expect(r.rows().some((row) => row.dataset.desk !== undefined)).toBe(true))
}

describe('the switch', () => {
  test('is not there while team mode is off, and nothing asks for the team trail', async () => {
    const { rows, calls } = await openAudit({ team: undefined })
    await waitFor(() => expect(rows()).toHaveLength(13))
    await waitFor(() => expect(calls('team_view').length).toBeGreaterThan(0))
    expect(screen.queryByTestId('audit-scope')).not.toBeInTheDocument()
    expect(calls('team_audit')).toEqual([])
  })

  test('is a group of two pressed-state buttons while team mode is on, reached and worked by keyboard', async () => {
    const { user, rows, calls } = await openAudit()
    await waitFor(() => expect(rows()).toHaveLength(13))
    const group = await screen.findByRole('group', { name: 'Whose entries' })
    const desk = within(group).getByRole('button', { name: 'This desk' })
    const team = within(group).getByRole('button', { name: 'Whole team' })
    expect(desk).toHaveAttribute('aria-pressed', 'true')
    expect(team).toHaveAttribute('aria-pressed', 'false')
    desk.focus()
    await user.tab()
    expect(team).toHaveFocus()
    await user.keyboard('{Enter}')
    expect(team).toHaveAttribute('aria-pressed', 'true')
    await waitFor(() => expect(calls('team_audit')).toHaveLength(1))
    expect(calls('team_audit')[0]).toEqual({
      query: { from: null, to: null, profileId: null, customer: null, operator: null, outcome: null, action: null, offset: 0, limit: 50 },
    })
    await user.keyboard('{Shift>}{Tab}{/Shift}{Enter}')
    expect(desk).toHaveAttribute('aria-pressed', 'true')
    await waitFor(() => expect(rows()).toHaveLength(13))
    expect(rows().every((r) => r.dataset.desk === undefined)).toBe(true)
  })
})

describe('the whole team', () => {
  test('a Desk column with each desk’s name; an unreadable line said plainly; no Export or Verify but the command', async () => {
    const r = await openAudit()
    await wholeTeam(r)
    const { rows } = r
    expect(rows()).toHaveLength(6)
    const headers = within(screen.getByTestId('audit-table')).getAllByRole('columnheader').map((h) => h.textContent?.trim())
    expect(headers.slice(0, 3)).toEqual(['Time', 'Desk', 'Operator'])
    expect(rows().map((row) => within(row).queryByTestId('audit-desk')?.textContent ?? row.querySelector('.desk')?.textContent)).toEqual([
      'Boris — front desk', 'Boris — front desk', 'Anna’s laptop', 'Boris — front desk', 'Anna’s laptop', 'Boris — front desk',
    ])
    const broken = rows()[3]!
    expect(broken).toHaveAttribute('data-unreadable', 'true')
    expect(within(broken).getByTestId('audit-unreadable')).toHaveTextContent(
      'Entry #40 of Boris — front desk: not readable — run carddesk audit verify --team',
    )
    expect(within(broken).queryByTestId('audit-row-toggle')).not.toBeInTheDocument()
    expect(screen.getByTestId('audit-showing')).toHaveTextContent('Showing 1–6 of 6 entries')
    expect(screen.queryByTestId('audit-verify')).not.toBeInTheDocument()
    expect(screen.queryByTestId('audit-export-csv')).not.toBeInTheDocument()
    expect(screen.queryByTestId('audit-export-json')).not.toBeInTheDocument()
    expect(screen.getByTestId('audit-team-note')).toHaveTextContent('Every desk’s chain in the team trail is verified with carddesk audit verify --team')
  })

  test('a readable entry’s details name its desk; "Check again" only on this desk’s own entries', async () => {
    const unknown = (deskId: string, deskName: string, seq: number): TeamAuditEntry => ({
      deskId,
      deskName,
      seq,
      entry: auditEntry({ seq, action: 'revoke_outcome', outcome: 'unknown', intentSeq: seq - 1 }),
    })
    const r = await openAudit({
      teamTrail: {
        entries: [unknown('5b2d9c14-8e0f-4a31-b7c6-2d9e4f1a3b58', 'Boris — front desk', 9), unknown('0f8e2a51-3c47-4d0b-9a6e-5b1c7d2e4f60', 'Anna’s laptop', 10)],
      },
    })
    await wholeTeam(r)
    const [boris, mine] = r.rows()
    await r.user.click(within(boris!).getByRole('button', { name: 'Details of entry #9 of Boris — front desk' }))
    const details = screen.getByTestId('audit-details')
    expect(within(details).getByTestId('audit-detail-desk')).toHaveTextContent('Boris — front desk')
    expect(details).toHaveTextContent('Desk id5b2d9c14-8e0f-4a31-b7c6-2d9e4f1a3b58')
    expect(details).toHaveTextContent(`Hash${auditEntry({ seq: 9 }).hash}`)
    expect(within(details).queryByTestId('audit-check-again')).not.toBeInTheDocument()
    await r.user.click(within(boris!).getByTestId('audit-row-toggle'))
    await r.user.click(within(mine!).getByTestId('audit-row-toggle'))
    expect(within(screen.getByTestId('audit-details')).getByTestId('audit-check-again')).toBeInTheDocument()
  })

  test('the filters go to team_audit, all but the profile: off, saying why, and kept for this desk', async () => {
    const r = await openAudit()
    const { user, rows, calls, lastTeamQuery } = r
    await waitFor(() => expect(rows()).toHaveLength(13))
    await user.selectOptions(screen.getByTestId('audit-profile'), 'p-prod')
    await waitFor(() => expect((calls('audit_query').at(-1) as { query: { profileId: string } }).query.profileId).toBe('p-prod'))
    await user.click(await screen.findByTestId('audit-scope-team'))
    await waitFor(() => expect(calls('team_audit')).toHaveLength(1))
    const profile = screen.getByTestId('audit-profile')
    expect(profile).toBeDisabled()
    expect(profile).toHaveValue('')
    expect(profile).toHaveAccessibleDescription(
      'The team trail is not indexed by profile: filter by customer, operator, action, outcome or time.',
    )
    expect(screen.getByTestId('audit-profile-note')).toHaveTextContent('Not for the whole team')
    expect(lastTeamQuery().profileId).toBeNull()
    // the profile alone does not count as a filter here
    expect(screen.getByTestId('audit-clear')).toBeDisabled()

    await user.selectOptions(screen.getByTestId('audit-outcome'), 'removed')
    await waitFor(() => expect(lastTeamQuery()).toMatchObject({ outcome: 'removed', profileId: null, offset: 0 }))
    await waitFor(() => expect(rows()).toHaveLength(1))
    await user.type(screen.getByTestId('audit-operator'), 'nobody')
    await waitFor(() => expect(lastTeamQuery()).toMatchObject({ operator: 'nobody', outcome: 'removed' }))
    expect(await screen.findByTestId('audit-empty')).toHaveTextContent('No entries from the team match these filters.')

    await user.click(screen.getByTestId('audit-scope-desk'))
    expect(screen.getByTestId('audit-profile')).toBeEnabled()
    expect(screen.getByTestId('audit-profile')).toHaveValue('p-prod')
    await waitFor(() => expect((calls('audit_query').at(-1) as { query: Record<string, unknown> }).query).toMatchObject({ profileId: 'p-prod', operator: 'nobody' }))
  })

  test('a count that stops at 10,000 reads "10,000+", and paging goes on past full pages', async () => {
    const many: TeamAuditEntry[] = Array.from({ length: 120 }, (_, i) => ({
      deskId: i % 2 ? '5b2d9c14-8e0f-4a31-b7c6-2d9e4f1a3b58' : '0f8e2a51-3c47-4d0b-9a6e-5b1c7d2e4f60',
      deskName: i % 2 ? 'Boris — front desk' : 'Anna’s laptop',
      seq: 500 - i,
      entry: auditEntry({ seq: 500 - i }),
    }))
    const r = await openAudit({ teamTrail: { entries: many, counted: { total: 10_000, capped: true } } })
    await wholeTeam(r)
    expect(r.rows()).toHaveLength(50)
    const showing = screen.getByTestId('audit-showing')
    expect(showing).toHaveTextContent('Showing 1–50 of 10,000+ entries')
    expect(screen.getByTestId('audit-capped')).toHaveTextContent('More than 10,000 entries match: the count stops there.')
    expect(screen.getByTestId('audit-newer')).toBeDisabled()
    await r.user.click(screen.getByTestId('audit-older'))
    await waitFor(() => expect(r.lastTeamQuery().offset).toBe(50))
    await waitFor(() => expect(showing).toHaveTextContent('Showing 51–100 of 10,000+ entries'))
    await r.user.click(screen.getByTestId('audit-older'))
    await waitFor(() => expect(r.rows()).toHaveLength(20))
    // a page that comes back short is the last one
    expect(screen.getByTestId('audit-older')).toBeDisabled()

    await r.user.click(screen.getByRole('button', { name: 'RU' }))
    await waitFor(() => expect(showing).toHaveTextContent('Показаны 101–120 из 10 000+ записей'))
  })

  test('an empty team trail says where entries come from', async () => {
    const r = await openAudit({ teamTrail: { entries: [] } })
    await waitFor(() => expect(r.rows()).toHaveLength(13))
    await r.user.click(await screen.findByTestId('audit-scope-team'))
    expect(await screen.findByTestId('audit-empty')).toHaveTextContent('No entries in the team trail yet')
  })
})

describe('the team database refuses', () => {
  test('away: said in Russian with its own words, retried once it is back', async () => {
    const r = await openAudit({ team: { ...teamOn, unreachable: true } })
    await waitFor(() => expect(r.rows()).toHaveLength(13))
    await r.user.click(screen.getByRole('button', { name: 'RU' }))
    await r.user.click(await screen.findByRole('button', { name: 'Вся команда' }))
    const error = await screen.findByTestId('audit-team-error')
    expect(error).toHaveAttribute('data-code', 'transport')
    expect(error).toHaveAttribute('role', 'alert')
    expect(error).toHaveTextContent('База команды недоступна')
    expect(screen.getByTestId('audit-team-error-message')).toHaveTextContent(
      'Не удалось связаться с базой команды: could not reach PostgreSQL at anna@db.example.com:5432/carddesk',
    )
    r.desk.state.team.unreachable = false
    await r.user.click(within(error).getByRole('button', { name: 'Повторить' }))
    await waitFor(() => expect(r.rows()).toHaveLength(6))
    expect(screen.queryByTestId('audit-team-error')).not.toBeInTheDocument()
  })

  test('no password, and team mode turned off elsewhere: each says what to do, with the way to Settings', async () => {
    const r = await openAudit({ team: { ...teamOn, passwordStored: false } })
    await waitFor(() => expect(r.rows()).toHaveLength(13))
    await r.user.click(await screen.findByTestId('audit-scope-team'))
    const error = await screen.findByTestId('audit-team-error')
    expect(error).toHaveAttribute('data-code', 'credentials_missing')
    expect(error).toHaveTextContent('No password for the team database')
    expect(error).toHaveTextContent('no password is stored for the team database')
    expect(within(error).getByRole('button', { name: /Settings/ })).toBeInTheDocument()

    r.desk.state.team.passwordStored = true
    r.desk.state.team.setup = null
    await r.user.click(within(error).getByRole('button', { name: 'Retry' }))
    await waitFor(() => expect(screen.getByTestId('audit-team-error')).toHaveAttribute('data-code', 'not_found'))
    expect(screen.getByTestId('audit-team-error')).toHaveTextContent('Team mode is off')
    await r.user.click(within(screen.getByTestId('audit-team-error')).getByRole('button', { name: /Settings/ }))
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument()
  })

  test('a profile filter, were one sent, is Rust’s field error shown as it says', async () => {
    const r = await openAudit()
    await waitFor(() => expect(r.rows()).toHaveLength(13))
    r.refuse('team_audit', {
      code: 'validation',
      message: "profile: cannot filter the whole team's trail: filter by customer, operator, action, outcome or time",
      ru: 'профиль: не фильтрует общий журнал команды: фильтруйте по клиенту, сотруднику, действию, итогу или времени',
      field: 'profileId',
    })
    await r.user.click(screen.getByRole('button', { name: 'RU' }))
    await r.user.click(await screen.findByTestId('audit-scope-team'))
    const error = await screen.findByTestId('audit-team-error')
    expect(error).toHaveAttribute('data-code', 'validation')
    expect(error).toHaveTextContent('Не удалось прочитать общий журнал')
    expect(error).toHaveTextContent('профиль: не фильтрует общий журнал команды')
  })
})
