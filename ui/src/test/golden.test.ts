// The fake desk's answers have the shape of the real desk's: the files in golden/ are what Rust
// answered for the same questions (src-tauri/desk/tests/golden.rs writes them and fails when
// they drift). A field Rust adds, renames or drops fails here, until the fake says it too.
import { expect, test } from 'vitest'
import { fakeDesk } from './fakeDesk'
import { cards1234, lookupOf, status } from './fixtures'
import statusGolden from './golden/status.json'
import lookupGolden from './golden/lookup.json'
import revocationGolden from './golden/revocation.json'
import revokeAllGolden from './golden/revoke_all.json'

/** Object keys all the way down (arrays by their first item); leaves are just "leaf". */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length > 0 ? [shape(v[0])] : []
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, shape((v as Record<string, unknown>)[k])]),
    )
  return 'leaf'
}

/** Like `shape`, but a side with no example (an empty list, a null) matches any shape. */
function expectSameShape(fake: unknown, real: unknown, path = '$') {
  if (real === null || fake === null || (Array.isArray(real) && real.length === 0) || (Array.isArray(fake) && fake.length === 0)) return
  if (Array.isArray(real)) {
    expect(Array.isArray(fake), `${path} is a list`).toBe(true)
    expectSameShape((fake as unknown[])[0], real[0], `${path}[0]`)
    return
  }
  if (real && typeof real === 'object') {
    expect(fake && typeof fake === 'object', `${path} is an object`).toBeTruthy()
    expect(Object.keys(fake as object).sort(), `${path} has the same fields`).toEqual(Object.keys(real).sort())
    for (const k of Object.keys(real)) expectSameShape((fake as Record<string, unknown>)[k], (real as Record<string, unknown>)[k], `${path}.${k}`)
  }
}

const desk = () => fakeDesk({ status: status(), lookups: { '1234': lookupOf('1234', cards1234), '100301': lookupOf('100301', cards1234.slice(0, 2)) } })

test('desk_status has the fields Rust sends', () => {
  expectSameShape(desk()('desk_status', {}), statusGolden)
})

test('lookup has the fields Rust sends', () => {
  expectSameShape(desk()('lookup', { customer: '1234', want: 'fresh' }), lookupGolden)
})

test('a revocation has the fields Rust sends', () => {
  const request = {
    profileId: 'sandbox',
    customer: '1234',
    token: cards1234[0]!.token,
    last4Confirmation: '0028',
    reason: 'customer_request',
    note: null,
    ticket: 'SUP-1001',
    customerConfirmation: null,
    utcOffsetMinutes: 180,
  }
  expectSameShape(desk()('revoke_card', { request }), revocationGolden)
})

test('revoke-all has the fields Rust sends', () => {
  const request = { profileId: 'sandbox', customer: '100301', reason: 'erasure_request', note: null, ticket: 'DPO-42', customerConfirmation: null, utcOffsetMinutes: 180 }
  expectSameShape(desk()('revoke_all_cards', { request }), revokeAllGolden)
})

test('the shape helper sees a missing field', () => {
  expect(shape({ a: 1, b: { c: [1] } })).toEqual({ a: 'leaf', b: { c: ['leaf'] } })
  expect(() => expectSameShape({ a: 1 }, { a: 1, b: 2 })).toThrow()
})
