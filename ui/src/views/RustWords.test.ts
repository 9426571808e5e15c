// Why: issue 19 item 11 — what Rust writes for people must follow the window's language. A
// removal that failed, a "Check again" that could not settle yet, and the audit entries about
// them arrive from Rust in English and in Russian (detail / detailRu, reason / reasonRu); the
// window shows the Russian words in Russian and the English ones in English, and an older
// entry written in English only still shows its English words. So does what "Test connection"
// found (message / ru).
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { screen, waitFor, within } from '@testing-library/svelte'
import { renderApp, search } from '../test/render'
import { auditEntry, cards1234, lookupOf, sandboxProfile, status, testProfile } from '../test/fixtures'
import type { Seed } from '../test/fakeDesk'

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
})

const VISA = '49D902C6-1CCF-4605-9228-11D0E8115C77'
const DETAIL = 'the gateway answered 10/203 Object missing (token): no such token'
const DETAIL_RU = 'шлюз ответил ошибкой 10/203 Объект не найден (токен): нет такого токена'

/** Revokes the VISA ending in 0028 of customer 1234 in a Russian window, and returns its result. */
async function revokeInRussian(seed: Partial<Seed>) {
  localStorage.setItem('carddesk.locale', 'ru')
  const r = await renderApp({ status: status(), lookups: { '1234': lookupOf('1234', cards1234) }, ...seed }, { user: { advanceTimers: vi.advanceTimersByTime } })
  await search(r.user, '1234')
  await screen.findByTestId('customer-heading')
  const visa = screen.getAllByTestId('card').find((c) => c.dataset.token === VISA)!
  await r.user.click(within(visa).getByTestId('revoke-card'))
  const dialog = screen.getByTestId('revoke-dialog')
  await r.user.type(within(dialog).getByTestId('revoke-last4'), '0028')
  await r.user.type(within(dialog).getByTestId('revoke-ticket'), 'SUP-11{Enter}')
  await vi.advanceTimersByTimeAsync(5200)
  const result = await within(dialog).findByTestId('revoke-result')
  return { ...r, result }
}

describe('a removal that failed, in a Russian window', () => {
  test('says what went wrong in Russian, and in English after switching to EN', async () => {
    const { user, result } = await revokeInRussian({ revoke: { [VISA]: { outcome: 'not_removed', faultCodes: '10/203', detail: DETAIL, detailRu: DETAIL_RU } } })
    const fault = within(result).getByTestId('revoke-fault')
    expect(fault).toHaveTextContent(DETAIL_RU)
    expect(fault).not.toHaveTextContent('Object missing')
    await user.click(screen.getByTestId('lang-en'))
    expect(fault).toHaveTextContent(DETAIL)
  })

  test('"Check again" that cannot settle yet says why in Russian', async () => {
    const { user, result } = await revokeInRussian({
      revoke: { [VISA]: { outcome: 'unknown' } },
      checkAgain: {
        leftOpen: 'the card is still listed, but its removal may have been sent only moments ago',
        leftOpenRu: 'карта ещё в списке, но её удаление могло быть отправлено только что',
      },
    })
    await user.click(within(result).getByTestId('revoke-check-again'))
    await vi.advanceTimersByTimeAsync(5200)
    const checked = within(result).getByTestId('revoke-check-result')
    await waitFor(() => expect(checked).toHaveTextContent('карта ещё в списке, но её удаление могло быть отправлено только что'))
    expect(checked).not.toHaveTextContent('still listed')
  })
})

describe('the audit log in a Russian window', () => {
  test('an entry shows its Russian detail; an older entry with English only keeps its English', async () => {
    localStorage.setItem('carddesk.locale', 'ru')
    const audit = [
      auditEntry({ seq: 1, action: 'revoke_outcome', customer: '1234', outcome: 'not_removed', faultCodes: '10/203', detail: DETAIL, detailRu: DETAIL_RU }),
      auditEntry({ seq: 2, action: 'recovered_outcome', customer: '1234', outcome: 'not_removed', detail: 'settled later: written before Russian was recorded' }),
    ]
    const { user } = await renderApp({ status: status(), lookups: {}, audit })
    await user.click(screen.getByTestId('nav-audit'))
    await waitFor(() => expect(screen.queryAllByTestId('audit-row')).toHaveLength(2))
    const row = (seq: string) => screen.getAllByTestId('audit-row').find((r) => r.dataset.seq === seq)!
    expect(row('1')).toHaveTextContent(DETAIL_RU)
    expect(row('2')).toHaveTextContent('settled later: written before Russian was recorded')
    await user.click(within(row('1')).getByTestId('audit-row-toggle'))
    expect(await screen.findByTestId('audit-details')).toHaveTextContent(DETAIL_RU)
    await user.click(screen.getByTestId('lang-en'))
    expect(row('1')).toHaveTextContent(DETAIL)
    expect(screen.getByTestId('audit-details')).toHaveTextContent(DETAIL)
  })
})

describe('Test connection in a Russian window', () => {
  test('shows what the gateway answered in Russian, and in English after switching to EN', async () => {
    localStorage.setItem('carddesk.locale', 'ru')
    const message = 'the gateway answered 19/350 Access denied (web service)'
    const ru = 'шлюз ответил ошибкой 19/350 Доступ запрещен (веб-сервис)'
    const { user } = await renderApp({
      status: status({ profiles: [sandboxProfile, testProfile] }),
      lookups: {},
      connection: { 'p-test': { verdict: 'no_access', message, ru } },
    })
    await user.click(screen.getByTestId('nav-settings'))
    await user.click(await screen.findByRole('button', { name: 'Проверить связь профиля Shop test' }))
    const verdict = await within(screen.getAllByTestId('profile-row')[1]!).findByTestId('verdict')
    expect(verdict).toHaveTextContent(ru)
    expect(verdict).not.toHaveTextContent('Access denied')
    await user.click(screen.getByTestId('lang-en'))
    expect(verdict).toHaveTextContent(message)
  })
})
