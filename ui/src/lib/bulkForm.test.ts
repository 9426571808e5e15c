// The bulk forms' own rules and helpers: the mapping prefilled from Rust's suggestion, its
// checks (customer required, one field per column, the defaults), the run options as typed,
// the production confirmation, ETA and rate formats, a job's file name.
import { describe, expect, test } from 'vitest'
import type { CsvPreview, JobView } from './ipc'
import { columnMap, confirmationProblem, fileName, formatEta, formatRate, mappingForm, parseRun, runForm, validateMapping } from './bulkForm'

const preview: CsvPreview = {
  source: 'file-0a1b2c3d',
  fileName: 'a.csv',
  headers: ['Customer No', 'Card', 'Ticket'],
  delimiter: ',',
  suggested: { customer: 'Customer No', last4: 'Card', expiry: null, token: 'gone', ticket: 'Ticket', reason: null, note: null },
  sample: [],
}

describe('mapping', () => {
  test('prefilled from the suggestion; a suggested column the file lacks is left out', () => {
    const form = mappingForm(preview)
    expect(form.map).toEqual({ customer: 'Customer No', last4: 'Card', expiry: '', token: '', ticket: 'Ticket', reason: '', note: '' })
    expect(columnMap(form)).toEqual({ customer: 'Customer No', last4: 'Card', expiry: null, token: null, ticket: 'Ticket', reason: null, note: null })
    expect(validateMapping(form, true)).toEqual([])
  })

  test('customer required; a column feeds one field; ticket and note defaults follow the settings', () => {
    const form = mappingForm(preview)
    form.map.customer = ''
    form.map.note = 'Card'
    form.map.ticket = ''
    form.reason = 'other'
    expect(validateMapping(form, true)).toEqual([
      { field: 'customer', rule: 'customer.required' },
      { field: 'note', rule: 'column.taken', other: 'last4', column: 'Card' },
      { field: 'defaultTicket', rule: 'ticket.required' },
    ])
    form.map.note = ''
    expect(validateMapping(form, false)).toEqual([
      { field: 'customer', rule: 'customer.required' },
      { field: 'defaultNote', rule: 'note.required' },
    ])
    form.note = 'x'.repeat(501)
    form.ticket = 'T'.repeat(65)
    expect(validateMapping(form, true).map((p) => p.rule)).toEqual(['customer.required', 'ticket.length', 'note.length'])
  })
})

describe('run options', () => {
  test.each([
    [{ concurrency: '4', rate: '20' }, { concurrency: 4, rate: 20 }, []],
    [{ concurrency: ' 16 ', rate: '' }, { concurrency: 16, rate: null }, []],
    [{ concurrency: '1', rate: '0,5' }, { concurrency: 1, rate: 0.5 }, []],
    [{ concurrency: '1', rate: '0' }, null, ['rate']],
    [{ concurrency: '0', rate: '20' }, null, ['concurrency']],
    [{ concurrency: '17', rate: '1001' }, null, ['concurrency', 'rate']],
    [{ concurrency: '2.5', rate: 'fast' }, null, ['concurrency', 'rate']],
  ])('%j → %j', (typed, options, fields) => {
    const r = parseRun({ ...runForm(), ...typed })
    expect(r.options).toEqual(options)
    expect(r.problems.map((p) => p.field)).toEqual(fields)
  })

  test('the production confirmation is the number of cards the run will remove', () => {
    const job = { environment: 'production', summary: { cards: 15, toRemove: 12 } } as JobView
    expect(confirmationProblem(job, '')).toEqual({ field: 'confirmation', rule: 'confirmation.required' })
    expect(confirmationProblem(job, '13')).toEqual({ field: 'confirmation', rule: 'confirmation.mismatch' })
    expect(confirmationProblem(job, ' 12 ')).toBeNull()
    expect(confirmationProblem({ ...job, environment: 'test' }, '')).toBeNull()
  })
})

test('ETA mm:ss or h:mm:ss, rate, file name', () => {
  expect(formatEta(null)).toBe('—')
  expect(formatEta(0)).toBe('00:00')
  expect(formatEta(83.4)).toBe('01:23')
  expect(formatEta(3599.6)).toBe('1:00:00')
  expect(formatEta(3 * 3600 + 5 * 60 + 9)).toBe('3:05:09')
  expect(formatRate(3.333)).toBe('3.3')
  expect(formatRate(18.6)).toBe('19')
  expect(fileName('/home/anna/a.csv')).toBe('a.csv')
  expect(fileName('C:\\Users\\anna\\b.csv')).toBe('b.csv')
})
