// Issue 16 review: a request form filled in English (by a ticket link, before the agent
// switched the window to Russian) kept "7 Dec 2026" in the Russian form, under a hint that
// gave another day as its example. The received day follows the window's language live, and
// the hint's example is the field's own day, written by the same local-day functions.
import { afterEach, describe, expect, test } from 'vitest'
import { screen, waitFor, within } from '@testing-library/svelte'
import { renderApp } from '../test/render'
import { status } from '../test/fixtures'
import { dayText, retellDay } from '../lib/format'
import { i18n } from '../lib/i18n.svelte'
import { localDay, requestForm } from '../lib/requestForm'

const zone = process.env.TZ

afterEach(() => {
  i18n.locale = 'en'
  if (zone === undefined) delete process.env.TZ
  else process.env.TZ = zone
})

describe('the received day in the new-request form', () => {
  test('filled in English, shown in Russian once the window switches, and the hint names the same day', async () => {
    const { user } = await renderApp({ status: status(), lookups: {} })
    await user.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('button', { name: /^Requests/ }))
    await user.click(await screen.findByTestId('request-new'))
    const field = await screen.findByTestId<HTMLInputElement>('request-date')
    const today = localDay(new Date())
    const [y, m, d] = today.split('-')
    const english = field.value
    expect(english).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/)
    expect(screen.getByTestId('request-date-hint')).toHaveTextContent(`A day such as ${english} or ${d}.${m}.${y}.`)

    await user.click(screen.getByTestId('lang-ru'))
    await waitFor(() => expect(field.value).not.toBe(english))
    expect(field.value).toMatch(/^\d{1,2}\s[а-я]+\.?\s\d{4}\sг\.$/)
    expect(field.value).toBe(dayText(today))
    expect(screen.getByTestId('request-date-hint').textContent).toBe(`Например, ${field.value} или ${d}.${m}.${y}.`)

    // and back: the field never keeps the other language's month
    await user.click(screen.getByTestId('lang-en'))
    await waitFor(() => expect(field.value).toBe(english))

    // a day the agent typed follows too; a text that is no day is left for its rule to name
    await user.clear(field)
    await user.type(field, '06.12.2026')
    await user.tab()
    expect(field.value).toBe('6 Dec 2026')
    expect(screen.getByTestId('request-date-hint')).toHaveTextContent('A day such as 6 Dec 2026 or 06.12.2026.')
    await user.click(screen.getByTestId('lang-ru'))
    await waitFor(() => expect(field.value.replace(/\s/g, ' ')).toBe('6 дек. 2026 г.'))
    expect(screen.getByTestId('request-date-hint').textContent!.replace(/\s/g, ' ')).toBe('Например, 6 дек. 2026 г. или 06.12.2026.')
    await user.clear(field)
    await user.type(field, 'yesterday')
    await user.click(screen.getByTestId('lang-en'))
    expect(field.value).toBe('yesterday')
  })

  test('a link received just after midnight in Moscow (still the day before in UTC) gives one day to the field and the hint', () => {
    process.env.TZ = 'Europe/Moscow'
    // 6 Dec 22:30 UTC is 7 Dec 01:30 in Moscow: the agent's day is the 7th, in the field and the hint
    const form = requestForm('sandbox', { received: '2026-12-06T22:30:00Z' })
    expect(form.date).toBe('7 Dec 2026')
    expect(form.time).toBe('01:30')
    i18n.locale = 'ru'
    expect(retellDay(form.date).replace(/\s/g, ' ')).toBe('7 дек. 2026 г.')
    process.env.TZ = 'America/New_York'
    // the same instant is 6 Dec 17:30 in New York
    i18n.locale = 'en'
    expect(requestForm('sandbox', { received: '2026-12-06T22:30:00Z' }).date).toBe('6 Dec 2026')
  })
})
