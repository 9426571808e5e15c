// The fake desk's answers have the shape of the real desk's: the files in golden/ are what Rust
// answered for the same questions (src-tauri/desk/tests/golden.rs writes them and fails when
// they drift). A field Rust adds, renames or drops fails here, until the fake says it too.
import { expect, test, vi } from 'vitest'
import { fakeDesk } from './fakeDesk'
import { fakeBulk } from './fakeBulk'
import { cards1234, lookupOf, status } from './fixtures'
import type { JobView, PendingEvent, RequestDraft, RequestFilter, RequestView, RunOptions } from '../lib/ipc'
import statusGolden from './golden/status.json'
import lookupGolden from './golden/lookup.json'
import revocationGolden from './golden/revocation.json'
import revokeAllGolden from './golden/revoke_all.json'
import auditPageGolden from './golden/audit_page.json'
import connectionCheckGolden from './golden/connection_check.json'
import jobViewGolden from './golden/job_view.json'
import rowPageGolden from './golden/row_page.json'
import requestGolden from './golden/request.json'
import requestListGolden from './golden/request_list.json'
import writeBackGolden from './golden/write_back.json'

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

/** Paths whose keys are data (a count per state or class), not fields: only their values' shape is compared. */
const MAPS = new Set(['$.summary.states', '$.summary.classes'])

/** Like `shape`, but a side with no example (an empty list, a null) matches any shape. `optional`:
 *  fields Rust itself leaves out at times (`skip_serializing_if`) that the fake may lack. */
function expectSameShape(fake: unknown, real: unknown, path = '$', optional: string[] = []) {
  if (real === null || fake === null || (Array.isArray(real) && real.length === 0) || (Array.isArray(fake) && fake.length === 0)) return
  if (Array.isArray(real)) {
    expect(Array.isArray(fake), `${path} is a list`).toBe(true)
    expectSameShape((fake as unknown[])[0], real[0], `${path}[0]`, optional)
    return
  }
  if (real && typeof real === 'object') {
    expect(fake && typeof fake === 'object', `${path} is an object`).toBeTruthy()
    const f = fake as Record<string, unknown>
    const r = real as Record<string, unknown>
    if (MAPS.has(path)) {
      const example = Object.values(r)[0]
      for (const k of Object.keys(f)) expectSameShape(f[k], example ?? null, `${path}.${k}`, optional)
      return
    }
    const skip = (k: string) => optional.includes(`${path}.${k}`) && !(k in f)
    expect(Object.keys(f).sort(), `${path} has the same fields`).toEqual(Object.keys(r).filter((k) => !skip(k)).sort())
    for (const k of Object.keys(r)) if (!skip(k)) expectSameShape(f[k], r[k], `${path}.${k}`, optional)
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

test('a connection check has the fields Rust sends', () => {
  expectSameShape(desk()('test_connection', { id: 'sandbox' }), connectionCheckGolden)
})

test('an audit page has the fields Rust sends', () => {
  // As golden.rs: a revocation and a revoke-all, then the first page (newest first).
  const d = desk()
  d('revoke_card', {
    request: { profileId: 'sandbox', customer: '1234', token: cards1234[0]!.token, last4Confirmation: '0028', reason: 'customer_request', note: null, ticket: 'SUP-1001', customerConfirmation: null, utcOffsetMinutes: 180 },
  })
  d('revoke_all_cards', { request: { profileId: 'sandbox', customer: '100301', reason: 'erasure_request', note: null, ticket: 'DPO-42', customerConfirmation: null, utcOffsetMinutes: 180 } })
  const page = d('audit_query', { query: { profileId: null, from: null, to: null, customer: null, operator: null, outcome: null, action: null, offset: 0, limit: 0 } })
  // The fake's entries carry no `mac` (Rust writes it only under the log's keyring key; absent
  // on lines written without it): the fake's audit writer is left as it is.
  expectSameShape(page, auditPageGolden, '$', ['$.entries[0].mac'])
})

test("a bulk job and its rows after a dry run have the fields Rust sends", async () => {
  // The dry run's progress goes to a Tauri channel: one the fake sees as open, whose messages go nowhere.
  vi.stubGlobal('__TAURI_INTERNALS__', { callbacks: new Map([[1, () => {}]]), runCallback: () => {} })
  const bulk = fakeBulk({ stepMs: 1, chunk: 20 }, desk())
  const preview = bulk('bulk_pick_csv', {}) as { source: string }
  const draft = { source: preview.source, map: { customer: 'customer', last4: 'last4', ticket: 'ticket', expiry: null, token: null, reason: null, note: null }, erasure: false, ticket: null, reason: 'customer_request', note: null }
  const job = bulk('bulk_create', { draft }) as JobView
  // As the window sends them (no patienceSecs).
  const options: RunOptions = { concurrency: 2, rate: null }
  const planned = await (bulk('bulk_plan', { id: job.id, options, onProgress: { id: 1 } }) as Promise<JobView>)
  expectSameShape(planned, jobViewGolden)
  expectSameShape(bulk('bulk_rows', { id: job.id, filter: null, offset: 0, limit: 50 }), rowPageGolden)
})

test('a request and the request list have the fields Rust sends', () => {
  // As golden.rs: two erasure requests opened five days apart, an identity check on the first
  // (which leads the list: its last day is the earlier).
  const d = desk()
  const draft = (customer: string, ticket: string, daysAgo: number): RequestDraft => ({
    kind: 'erasure152',
    received: { precision: 'instant', at: new Date(Date.now() - (1 + 24 * daysAgo) * 3_600_000).toISOString(), offset: 0 },
    channel: 'ticket',
    ticket,
    subjects: [{ customerNumber: customer, profile: { profile: 'sandbox' } }],
    assignee: null,
  })
  const first = d('request_new', { draft: draft('1234', 'DPO-7', 5), utcOffsetMinutes: 180 }) as RequestView
  d('request_new', { draft: draft('100301', 'DPO-8', 0), utcOffsetMinutes: 180 })
  d('request_act', { id: first.request.id, version: first.request.version, action: { action: 'identity_check', asked: 'last 4 and expiry', matched: true }, utcOffsetMinutes: 180 })
  expectSameShape(d('request', { id: first.request.id, utcOffsetMinutes: 180 }), requestGolden)
  const filter: RequestFilter = { statuses: [], openOnly: false, kind: null, assignee: null, customerNumber: null, dueBy: null }
  expectSameShape(d('requests', { filter, utcOffsetMinutes: 180 }), requestListGolden)
})

test('the write-back view has the fields Rust sends', () => {
  // As golden.rs: a webhook and its secret set, one event waiting after a refusal and one that
  // left the outbox (here discarded; Rust's was delivered). The waiting events are the seed's.
  const waiting = (id: string): PendingEvent => ({
    id,
    kind: 'status_changed',
    requestId: '3ad600e1-2375-4c60-8416-eaf9198b2c24',
    occurredAt: '2026-12-07T14:06:06.265Z',
    state: 'waiting',
    attempts: 1,
    nextAttemptAt: '2026-12-07T14:06:10.687Z',
    lastAttempt: { at: '2026-12-07T14:06:06.266Z', status: 500, error: 'the receiver answered HTTP 500' },
  })
  const d = fakeDesk({
    status: status(),
    lookups: {},
    writeBack: { url: '', secretStored: false, delivering: false, pending: [waiting('525826fa-c6b6-4ad5-b281-e908dc1800db'), waiting('01bd8f3e-73d4-4591-b54c-6aa8e0511127')], history: { deliveredTotal: 0, discardedTotal: 0, recent: [] }, problem: null },
  })
  d('save_settings', { settings: { ...status().settings, webhookUrl: 'http://127.0.0.1:41615/hooks/card-desk' } })
  d('set_webhook_secret', { secret: 'whsec_Golden-Secret-0123456789' })
  d('write_back_discard', { id: '01bd8f3e-73d4-4591-b54c-6aa8e0511127' })
  expectSameShape(d('write_back', {}), writeBackGolden)
})

test('the shape helper sees a missing field', () => {
  expect(shape({ a: 1, b: { c: [1] } })).toEqual({ a: 'leaf', b: { c: ['leaf'] } })
  expect(() => expectSameShape({ a: 1 }, { a: 1, b: 2 })).toThrow()
  expect(() => expectSameShape({ a: 1, b: 2 }, { a: 1 })).toThrow()
  // A map's keys are data; a field left optional may be missing, but not a different one.
  expect(() => expectSameShape({ summary: { states: { held: 1 } } }, { summary: { states: { planned: 1 } } })).not.toThrow()
  expect(() => expectSameShape({ a: 1 }, { a: 1, mac: 'k' }, '$', ['$.mac'])).not.toThrow()
  expect(() => expectSameShape({ a: 1 }, { a: 1, b: 2 }, '$', ['$.mac'])).toThrow()
})
