// One way to write a date per language, and the days an agent may type into a date filter.
import { afterEach, expect, test } from 'vitest'
import { i18n } from './i18n.svelte'
import { dateOnly, dateTime, dayText, parseDay } from './format'

afterEach(() => {
  i18n.locale = 'en'
})

test('a date reads the same in tables, stamps and filters: day, month name, year', () => {
  const at = new Date(2026, 11, 6, 17, 1).toISOString()
  i18n.locale = 'en'
  expect(dateOnly(at)).toBe('6 Dec 2026')
  expect(dayText('2026-12-06')).toBe('6 Dec 2026')
  expect(dateTime(at)).toMatch(/^6 Dec 2026, 17:01$/)
  i18n.locale = 'ru'
  expect(dateOnly(at)).toBe('6 дек. 2026 г.')
  expect(dayText('2026-12-06')).toBe('6 дек. 2026 г.')
})

test.each([
  ['6 Dec 2026', '2026-12-06'],
  ['06 december 2026', '2026-12-06'],
  ['6 дек. 2026 г.', '2026-12-06'],
  ['6 декабря 2026', '2026-12-06'],
  ['1 мая 2027', '2027-05-01'],
  ['06.12.2026', '2026-12-06'],
  ['2026-12-06', '2026-12-06'],
  [' 2026-2-3 ', '2026-02-03'],
])('%j is the day %s', (text, day) => {
  expect(parseDay(text)).toBe(day)
})

test.each(['06/12/2026', '31 Feb 2026', '2026-13-01', 'yesterday', '6 Smarch 2026', ''])('%j is not a day', (text) => {
  expect(parseDay(text)).toBeNull()
})
