// The Russian UI's words for the bulk engine's English problems and messages: each fixed
// phrase the engine writes, numbers and tails kept, unknown text shown as written, and
// English left alone.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { bulkText } from './bulkText'

const ru = (s: string) => bulkText(s, 'ru')

describe('bulkText', () => {
  test('English is shown as written', () => {
    expect(bulkText('row 7, customer number: required', 'en')).toBe('row 7, customer number: required')
  })

  test('problem lines name the row, the field and the rule in Russian', () => {
    expect(ru('row 7, customer number: required')).toBe('строка 7, номер клиента: обязательное поле')
    expect(ru('row 12, customer number: must be 1–32 characters')).toBe('строка 12, номер клиента: должен содержать от 1 до 32 символов')
    expect(ru('row 3, last4: must be exactly 4 digits')).toBe('строка 3, последние 4 цифры: должно быть ровно 4 цифры')
    expect(ru('row 4, ticket: must be at most 64 characters')).toBe('строка 4, номер обращения: не длиннее 64 символов')
    expect(ru('row 5, card token: must be 8-4-4-4-12 hexadecimal digits, e.g. 49D902C6-1CCF-4605-9228-11D0E8115C77')).toBe(
      'строка 5, токен карты: должен состоять из 8-4-4-4-12 шестнадцатеричных цифр, например 49D902C6-1CCF-4605-9228-11D0E8115C77',
    )
    expect(ru('row 9: duplicate of row 3')).toBe('строка 9: повтор строки 3')
    expect(ru('row 2: unreadable CSV: found record with 3 fields')).toBe('строка 2: CSV не читается: found record with 3 fields')
  })

  test('an invalid row’s joined problems are split only between problems', () => {
    // The forbidden-characters rule contains “;”: it must not be split inside.
    const joined = 'row 6, customer number: must not contain any of < > " = \' / ( ) ; #; row 6, expiry: must be a month and year such as 12/2027, 12/27 or 12.2027'
    expect(ru(joined)).toBe(
      'строка 6, номер клиента: не должен содержать символов < > " = \' / ( ) ; #; строка 6, срок действия: нужны месяц и год, например 12/2027, 12/27 или 12.2027',
    )
  })

  test('plan and run messages and card notes', () => {
    expect(ru('the customer has no saved cards')).toBe('у клиента нет сохранённых карт')
    expect(ru('3 cards match; held for a person to choose')).toBe('подходящих карт: 3; строка ждёт решения человека')
    expect(ru('the card list could not be read: the gateway did not answer')).toBe(
      'не удалось прочитать список карт: the gateway did not answer',
    )
    expect(ru('no longer listed when its turn came; nothing was sent')).toBe('к её очереди карты уже не было в списке; ничего не отправлено')
    expect(ru('interrupted: resume the job to re-check this row')).toBe('прервано: продолжите задание, чтобы перепроверить эту строку')
  })

  test('text it does not know is shown as written', () => {
    expect(ru('108')).toBe('108')
    expect(ru('row 4, colour: is odd')).toBe('строка 4, colour: is odd')
  })
})

describe('every fixed phrase the bulk engine writes into a row or a card', () => {
  // Read from the engine's source, so a phrase added there without its Russian form fails
  // here: each literal set as a row's message or a card's fault (bulk/run.rs), placeholders
  // filled with sample values, must read differently in Russian.
  const source = readFileSync(resolve(process.cwd(), '../src-tauri/desk/src/bulk/run.rs'), 'utf8')
  const literal = /(?:\.(?:fault|message)\s*=\s*|\(\s*RowState::\w+,\s*)Some\(\s*(?:format!\(\s*)?"((?:[^"\\]|\\[\s\S])*)"/g
  const SAMPLES: Record<string, string> = { e: 'the gateway did not answer', why: '17/3' }
  const phrases = [...source.matchAll(literal)].map((m) =>
    m[1]!
      .replace(/\\\n\s*/g, '')
      .replace(/\{(\w*)\}/g, (_, name: string) => SAMPLES[name] ?? '3'),
  )

  test('are found in the source', () => {
    expect(phrases.length).toBeGreaterThanOrEqual(12)
    expect(phrases).toContain('the customer has no saved cards')
  })

  test.each(phrases)('has a Russian form: %s', (phrase) => {
    const ru = bulkText(phrase, 'ru')
    expect(ru).not.toBe(phrase)
    expect(ru).toMatch(/[а-яё]/i)
  })
})
