// Unit tests of the UI's own rules: the customer-number check, the profile form's rules and the
// mapping of backend messages to fields, brands, the error guidance table, and the dictionary
// (every key in both languages, Russian plural forms wherever English has a plural).
import { describe, expect, test } from 'vitest'
import { customerNumberIssue } from './customer'
import { fieldOf, initialValues, validate, CUSTOM } from './profileForm'
import { brandLook } from './brand'
import { guidance } from './errors'
import { i18n, t } from './i18n.svelte'
import { en } from './i18n/en'
import { ru } from './i18n/ru'
import { card, presets, testProfile } from '../test/fixtures'
import { confirmLast4, fieldProblems, matchLast4, typedLast4, type Fields } from './revoke'
import { localDayBound } from './format'
import { formFieldOf, formProblems, nextStatuses, requestForm, toDraft } from './requestForm'

describe('customer number', () => {
  test.each([
    ['1234', null],
    ['  1234  ', null],
    ['КЛ-000731', null],
    ['ivan.petrov@example.ru', null],
    ['A'.repeat(32), null],
    ['', { kind: 'empty' }],
    ['   ', { kind: 'empty' }],
    ['A'.repeat(33), { kind: 'length', length: 33 }],
    ['Ж'.repeat(33), { kind: 'length', length: 33 }],
    ['12<3>4', { kind: 'forbidden', found: '< >' }],
    [`a"b=c'd/e(f)g;h#`, { kind: 'forbidden', found: `" = ' / ( ) ; #` }],
  ])('%j → %j', (value, issue) => {
    expect(customerNumberIssue(value)).toEqual(issue)
  })
})

describe('profile form rules', () => {
  const ok = { ...initialValues(null, presets), name: 'Shop', merchantId: '452739', login: 'LOGIN' }

  test('a new profile starts on the first preset and its environment', () => {
    expect(initialValues(null, presets)).toMatchObject({ preset: 'https://test.paysecure.ru', environment: 'test', language: 'RU', password: '' })
  })

  test('an existing profile on a preset host selects it; another host is Custom; the password is never prefilled', () => {
    expect(initialValues(testProfile, presets)).toMatchObject({ preset: 'https://test.paysecure.ru', customUrl: '', password: '' })
    const own = initialValues({ ...testProfile, baseUrl: 'https://payments123.paysecure.ru' }, presets)
    expect(own).toMatchObject({ preset: CUSTOM, customUrl: 'https://payments123.paysecure.ru' })
  })

  test.each([
    [{}, []],
    [{ name: ' ' }, ['name']],
    [{ name: 'x'.repeat(61) }, ['name']],
    [{ preset: CUSTOM, customUrl: '' }, ['baseUrl']],
    [{ preset: CUSTOM, customUrl: 'http://payments.example.ru' }, ['baseUrl']],
    [{ preset: CUSTOM, customUrl: 'http://127.0.0.1:8080' }, []],
    [{ preset: CUSTOM, customUrl: 'http://localhost:3000/assist' }, []],
    [{ merchantId: '45a' }, ['merchantId']],
    [{ merchantId: '1234567890123456' }, ['merchantId']],
    [{ login: '' }, ['login']],
    [{ login: 'L'.repeat(21) }, ['login']],
    [{ password: 'p'.repeat(30) }, []],
    [{ password: 'p'.repeat(31) }, ['password']],
    [{ colour: 'red' }, ['colour']],
  ])('%j → %j', (over, fields) => {
    expect(validate({ ...ok, ...over }).map((p) => p.field)).toEqual(fields)
  })

  test.each([
    ['merchant_id', 'merchantId'],
    ['base_url', 'baseUrl'],
    ['name', 'name'],
    ['password', 'password'],
    ['login', 'login'],
    ['colour', 'colour'],
    ['customer_number', null],
    [null, null],
  ])('a backend error about %j goes beside %j', (field, input) => {
    expect(fieldOf(field)).toBe(input)
  })
})

test.each([
  ['VISA', 'visa'],
  ['Visa Electron', 'visa'],
  ['MasterCard', 'mastercard'],
  ['MC', 'mastercard'],
  ['Maestro', 'mastercard'],
  ['MIR', 'mir'],
  ['Мир', 'mir'],
  ['UnionPay', 'other'],
  ['', 'other'],
])('brand %j looks like %j', (brand, look) => {
  expect(brandLook(brand)).toBe(look)
})

test('every error code has guidance; credentials_missing leads to Settings, transport offers Retry', () => {
  expect(guidance('credentials_missing').actions).toEqual(['settings'])
  expect(guidance('transport').actions).toContain('retry')
  i18n.locale = 'en'
  expect(t(guidance('credentials_missing').hint)).toBe('This profile has no password. Add it in Settings, then search again.')
  expect(t(guidance('transport').hint)).toContain('The gateway could not be reached. Check the base URL or your connection')
})

describe('revoke rules', () => {
  const ok: Fields = { reason: 'customer_request', note: '', ticket: 'SUP-1', confirmation: '' }
  const sandbox = { requireTicket: true, production: false, customer: '1234' }

  test.each([
    [{}, sandbox, []],
    [{ ticket: '  ' }, sandbox, ['ticket.required']],
    [{ ticket: '' }, { ...sandbox, requireTicket: false }, []],
    [{ ticket: 'T'.repeat(65) }, sandbox, ['ticket.length']],
    [{ ticket: 'SUP\t1' }, sandbox, ['ticket.length']],
    [{ reason: 'other' }, sandbox, ['note.required']],
    [{ reason: 'other', note: ' Card replaced ' }, sandbox, []],
    [{ note: 'n'.repeat(501) }, sandbox, ['note.length']],
    [{ note: 'two\nlines' }, sandbox, []],
    [{}, { ...sandbox, production: true }, ['confirm.required']],
    [{ confirmation: '1243' }, { ...sandbox, production: true }, ['confirm.mismatch']],
    [{ confirmation: ' 1234 ' }, { ...sandbox, production: true }, []],
    [{ reason: 'other', ticket: '', confirmation: 'x' }, { ...sandbox, production: true }, ['note.required', 'ticket.required', 'confirm.mismatch']],
  ] as const)('%j with %j → %j', (over, policy, rules) => {
    const f = { ...ok, ...over } as Fields
    expect(fieldProblems(f, policy).map((p) => p.rule)).toEqual(rules)
  })

  const cards = [
    card({ token: 'A', last4: '0028' }),
    card({ token: 'B', last4: '0028' }),
    card({ token: 'C', last4: '7731' }),
  ]

  test('the typed last 4: four digits, spaces ignored', () => {
    expect(typedLast4(' 00 28 ')).toBe('0028')
    expect(typedLast4('002')).toBeNull()
    expect(typedLast4('00a8')).toBeNull()
    expect(typedLast4('00288')).toBeNull()
  })

  test('the typed last 4 find none, one or several cards', () => {
    expect(matchLast4(cards, '12').kind).toBe('incomplete')
    expect(matchLast4(cards, '5555')).toEqual({ kind: 'none', last4: '5555' })
    expect(matchLast4(cards, '7731')).toMatchObject({ kind: 'one', card: { token: 'C' } })
    const several = matchLast4(cards, '0028')
    expect(several.kind === 'several' && several.cards.map((c) => c.token)).toEqual(['A', 'B'])
  })

  test('for a tile, the typed last 4 must be that card’s; another card’s is named as such', () => {
    expect(confirmLast4(cards[2]!, cards, '7731')).toBeNull()
    expect(confirmLast4(cards[2]!, cards, '77')).toEqual({ field: 'last4', rule: 'last4.format' })
    expect(confirmLast4(cards[2]!, cards, '0028')).toEqual({ field: 'last4', rule: 'last4.other' })
    expect(confirmLast4(cards[2]!, cards, '9999')).toEqual({ field: 'last4', rule: 'last4.mismatch' })
  })
})

test('a local calendar day as a UTC range for the audit query', () => {
  expect(localDayBound('2026-11-20', false)).toBe(new Date(2026, 10, 20).toISOString())
  expect(localDayBound('2026-11-20', true)).toBe(new Date(2026, 10, 20, 23, 59, 59, 999).toISOString())
  expect(localDayBound('20.11.2026', false)).toBeNull()
})

describe('dictionary', () => {
  test('Russian plurals of cards: 1, 2–4, 5–20, 21, 22, 25, 111', () => {
    i18n.locale = 'ru'
    const n = (k: number) => t('cards.count', { n: k })
    expect([1, 2, 4, 5, 11, 20, 21, 22, 25, 111].map(n)).toEqual([
      '1 сохранённая карта',
      '2 сохранённые карты',
      '4 сохранённые карты',
      '5 сохранённых карт',
      '11 сохранённых карт',
      '20 сохранённых карт',
      '21 сохранённая карта',
      '22 сохранённые карты',
      '25 сохранённых карт',
      '111 сохранённых карт',
    ])
    expect(t('customer.staleHint', { n: 1 })).toContain('1 минута')
    expect(t('customer.staleHint', { n: 3 })).toContain('3 минуты')
    expect(t('customer.staleHint', { n: 15 })).toContain('15 минут')
    i18n.locale = 'en'
    expect(t('cards.count', { n: 1 })).toBe('1 saved card')
    expect(t('cards.count', { n: 0 })).toBe('0 saved cards')
  })

  test('Russian plurals of the countdown, the audit log and revoke-all', () => {
    i18n.locale = 'ru'
    expect([1, 2, 5].map((n) => t('countdown.title', { n }))).toEqual(['Удаление через 1 секунду', 'Удаление через 2 секунды', 'Удаление через 5 секунд'])
    expect([1, 3, 11, 21].map((n) => t('audit.verifyOk', { n }))).toEqual([
      'Цепочка цела: 1 запись',
      'Цепочка цела: 3 записи',
      'Цепочка цела: 11 записей',
      'Цепочка цела: 21 запись',
    ])
    expect(t('audit.showing', { from: 1, to: 1, n: 1 })).toBe('Показаны 1–1 из 1 записи')
    expect(t('revokeAll.submit', { n: 3 })).toBe('Удалить все 3 карты')
    expect(t('revokeAll.submit', { n: 5 })).toBe('Удалить все 5 карт')
    expect(t('revokeAll.summary', { gone: 2, n: 3 })).toBe('Удалено 2 из 3 карт')
    i18n.locale = 'en'
    expect(t('audit.exported', { n: 1 })).toBe('Exported 1 entry')
    expect(t('revokeAll.submit', { n: 1 })).toBe('Revoke 1 card')
  })

  test('every plural message has Russian one, few and many forms', () => {
    const plural = Object.entries(en).filter(([, m]) => typeof m !== 'string')
    expect(plural.length).toBeGreaterThan(3)
    for (const [key] of plural) {
      const form = ru[key as keyof typeof ru]
      expect(typeof form, key).toBe('object')
      expect(Object.keys(form as object).sort(), key).toEqual(['few', 'many', 'one', 'other'])
    }
  })

  test('no message is left with an unfilled placeholder or an empty text in either language', async () => {
    const sources = [await import('./i18n/en?raw'), await import('./i18n/ru?raw')]
    const keys = sources.flatMap((s) => [...(s.default as string).matchAll(/^\s+'([\w.]+)':/gm)].map((m) => m[1]!))
    const unique = [...new Set(keys)]
    expect(keys.length).toBe(unique.length * 2) // every key once in en and once in ru
    for (const locale of ['en', 'ru'] as const) {
      i18n.locale = locale
      for (const key of unique) {
        const text = t(key as Parameters<typeof t>[0], { n: 2, id: 'X', name: 'X', customer: 'X', query: 'X', time: 'X', date: 'X', card: 'X', profile: 'X', found: 'X', reason: 'X', version: 'X', notice: 'X', login: 'X', type: 'X', total: 'X', note: 'X', last4: 'X', seq: 'X', intent: 'X', codes: 'X', gone: 'X', from: 'X', to: 'X', line: 'X', problem: 'X', list: 'X', expected: 'X', offset: 'X', length: 'X', hash: 'X', delimiter: 'X', value: 'X', field: 'X', column: 'X', other: 'X', done: 'X', failed: 'X', held: 'X', skipped: 'X', finished: 'X', rate: 'X', eta: 'X', state: 'X', none: 'X', noMatch: 'X', ambiguous: 'X', unfiltered: 'X', outcome: 'X', saved: 'X', path: 'X', pace: 'X', names: 'X', format: 'X', view: 'X', invalid: 'X', licenses: 'X', kind: 'X', ticket: 'X', status: 'X', example: 'X', numeric: 'X', subject: 'X', who: 'X', count: 'X', what: 'X', desk: 'X' })
        expect(text.trim(), `${locale} ${key}`).not.toBe('')
        expect(text, `${locale} ${key}`).not.toMatch(/\{\w+\}/)
      }
    }
    i18n.locale = 'en'
  })
})

describe('request form rules', () => {
  const now = new Date(2026, 11, 7, 12, 0)
  const ok = { ...requestForm('sandbox', { customer: '1234' }, now) }

  test('a day typed the app’s way or day-first; a time of day or none; not in the future', () => {
    expect(formProblems(ok, now)).toEqual([])
    expect(formProblems({ ...ok, date: '06.12.2026', time: '' }, now)).toEqual([])
    expect(formProblems({ ...ok, date: '12/06/2026' }, now).map((p) => p.rule)).toEqual(['date.format'])
    expect(formProblems({ ...ok, time: '25:00' }, now).map((p) => p.rule)).toEqual(['time.format'])
    expect(formProblems({ ...ok, date: '8 Dec 2026', time: '' }, now).map((p) => p.rule)).toEqual(['date.future'])
    expect(formProblems({ ...ok, ticket: 'T'.repeat(65) }, now).map((p) => p.rule)).toEqual(['ticket.length'])
    expect(formProblems({ ...ok, subjects: [ok.subjects[0]!, { customer: '1234', profile: 'sandbox' }] }, now).map((p) => p.rule)).toEqual(['duplicate'])
  })

  test('the draft: a day alone without a time, else the UTC instant with the offset; Rust’s fields map back', () => {
    expect(toDraft({ ...ok, date: '2026-12-06', time: '' }).received).toEqual({ precision: 'day', date: '2026-12-06' })
    const at = toDraft({ ...ok, date: '2026-12-06', time: '09:30' }).received
    expect(at).toEqual({ precision: 'instant', at: new Date(2026, 11, 6, 9, 30).toISOString(), offset: 0 - new Date(2026, 11, 6, 9, 30).getTimezoneOffset() })
    expect(toDraft({ ...ok, subjects: [{ customer: ' 77 ', profile: '*' }] }).subjects).toEqual([{ customerNumber: '77', profile: 'all_profiles' }])
    expect(formFieldOf('subjects[1].customer_number')).toBe('customer.1')
    expect(formFieldOf('received_at')).toBe('date')
    expect(formFieldOf('status')).toBeNull()
    expect(nextStatuses('new')).toEqual(['in_progress', 'refused'])
    expect(nextStatuses('refused')).toEqual([])
  })
})
