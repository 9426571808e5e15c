// Test data shaped exactly like what Rust sends (the bindings' types), shared by the Vitest
// component tests and the Playwright specs. Art keys are "sandbox.<file>", so the browser specs
// can serve the sandbox's own media files for them.
import type {
  ArtRef,
  AuditEntry,
  CardArt,
  CardView,
  DeskStatus,
  Lookup,
  PresetView,
  ProfileView,
  RecentCustomer,
  Request,
} from '../lib/ipc'

export const presets: PresetView[] = [
  { baseUrl: 'https://test.paysecure.ru', label: 'Assist test (RU)', environment: 'test' },
  { baseUrl: 'https://payments.demo.paysecure.ru', label: 'Assist demo (RU)', environment: 'test' },
  { baseUrl: 'https://payments.paysecure.ru', label: 'Assist production (RU)', environment: 'production' },
  { baseUrl: 'https://test.paysec.by', label: 'Assist test (BY)', environment: 'test' },
  { baseUrl: 'https://payments.paysec.by', label: 'Assist production (BY)', environment: 'production' },
]

export const sandboxProfile: ProfileView = {
  id: 'sandbox',
  name: 'Sandbox',
  environment: 'sandbox',
  baseUrl: 'http://127.0.0.1:41234',
  merchantId: '452739',
  login: 'LOGIN',
  language: 'EN',
  colour: '#0f766e',
  builtIn: true,
  hasPassword: true,
  passwordUnknown: false,
}

export const testProfile: ProfileView = {
  id: 'p-test',
  name: 'Shop test',
  environment: 'test',
  baseUrl: 'https://test.paysecure.ru',
  merchantId: '700001',
  login: 'TRAVEL_API',
  language: 'RU',
  colour: '#b45309',
  builtIn: false,
  hasPassword: true,
  passwordUnknown: false,
}

export const productionProfile: ProfileView = {
  id: 'p-prod',
  name: 'Shop production',
  environment: 'production',
  baseUrl: 'https://payments.paysecure.ru',
  merchantId: '452739',
  login: 'SHOP_API',
  language: 'RU',
  colour: '#b91c1c',
  builtIn: false,
  hasPassword: false,
  passwordUnknown: false,
}

export function status(over: Partial<DeskStatus> = {}): DeskStatus {
  return {
    version: '0.1.0',
    secretStore: { kind: 'keyring', reason: null },
    auditProblem: null,
    recovering: false,
    checking: false,
    notices: [],
    activeProfileId: 'sandbox',
    profiles: [sandboxProfile],
    settings: { freshnessMinutes: 15, typedSearchSeconds: 60, recordLookups: true, requireTicket: true, recordViews: true, operatorName: '', webhookUrl: '',
      documents: { operatorName: '', operatorAddress: '', processorName: '', processorAddress: '', informationSystem: '' } },
    presets,
    ...over,
  }
}

const NO_ART: CardArt = { combined: null, background: null, brandLogo: null, issuerLogo: null, coBrandLogo: null, icon: null, terms: null }

export function art(file: string, format: ArtRef['format'] = 'image', mediaType = 'image/png', alt: string | null = null): ArtRef {
  return { key: `sandbox.${file}`, format, mediaType, alt, width: null, height: null }
}

export function card(over: Partial<Omit<CardView, 'art'>> & { art?: Partial<CardArt> } = {}): CardView {
  const { art: a, ...rest } = over
  return {
    token: '49D902C6-1CCF-4605-9228-11D0E8115C77',
    bin: '412362',
    last4: '0028',
    masked: '4123 62•• •••• 0028',
    brand: 'VISA',
    bank: '',
    expiry: { month: 12, year: 2031 },
    expiryText: '12/2031',
    active: true,
    needCvc: false,
    expired: false,
    expiresSoon: false,
    ...rest,
    art: { ...NO_ART, ...a },
  }
}

/** Customer 1234 of the sandbox: a background VISA, a combined MasterCard with a PDF logo, a MIR. */
export const cards1234: CardView[] = [
  card({
    art: { icon: art('visa-icon.png', 'image', 'image/png', 'VISA'), background: art('visa-background.png', 'image', 'image/png', 'VISA') },
  }),
  card({
    token: '4D7F0B0D-B701-47B0-779A-BB0CB5F25A14',
    bin: '518615',
    last4: '1030',
    masked: '5186 15•• •••• 1030',
    brand: 'MasterCard',
    expiry: { month: 12, year: 2025 },
    expiryText: '12/2025',
    expired: true,
    active: false,
    art: {
      brandLogo: art('mc-logo.pdf', 'pdf', 'image/pdf'),
      icon: art('mc-icon.png'),
      combined: art('mc-background.png'),
      issuerLogo: art('bankusa-logo.png'),
    },
  }),
  card({
    token: '54F5A3DE-4B47-4B40-03B5-7FF992D6B401',
    bin: '220220',
    last4: '4417',
    masked: '2202 20•• •••• 4417',
    brand: 'MIR',
    bank: 'Сбербанк',
    expiry: { month: 9, year: 2027 },
    expiryText: '09/2027',
    needCvc: true,
    art: { icon: art('mir-icon.png'), combined: art('sber-combined.png') },
  }),
]

/** Customer 100700: every art type, terms as plain text and as HTML. */
export const cards100700: CardView[] = [
  card({
    token: 'A7000001-0000-4000-8000-000000000001',
    bin: '415428',
    last4: '7731',
    masked: '4154 28•• •••• 7731',
    brand: 'VISA',
    bank: 'Альфа-Банк',
    expiry: { month: 3, year: 2029 },
    expiryText: '03/2029',
    art: {
      brandLogo: art('visa-logo.png'),
      issuerLogo: art('alfa-logo.png', 'image', 'image/png', 'Альфа-Банк'),
      coBrandLogo: art('cobrand-miles.png'),
      combined: art('alfa-combined.png', 'image', 'image/png', 'Альфа-Банк Gold'),
      background: art('visa-background.png'),
      icon: art('visa-icon.png'),
      terms: art('terms-ru.txt', 'text', 'text/plain'),
    },
  }),
  card({
    token: 'A7000001-0000-4000-8000-000000000002',
    bin: '553691',
    last4: '2209',
    masked: '5536 91•• •••• 2209',
    brand: 'MasterCard',
    bank: 'Т-Банк',
    expiry: { month: 11, year: 2028 },
    expiryText: '11/2028',
    needCvc: true,
    art: { icon: art('mc-icon.png'), combined: art('tbank-combined.png'), terms: art('terms.html', 'html', 'text/html') },
  }),
]

/** Customer 100500: PDF brand logos over a background and over a combined image. */
export const cards100500: CardView[] = [
  card({
    token: 'A5000001-0000-4000-8000-000000000001',
    bin: '437772',
    last4: '5512',
    masked: '4377 72•• •••• 5512',
    brand: 'VISA',
    bank: 'Т-Банк',
    expiry: { month: 7, year: 2029 },
    expiryText: '07/2029',
    art: { brandLogo: art('visa-logo.pdf', 'pdf', 'image/pdf'), background: art('visa-background.png') },
  }),
  card({
    token: 'A5000001-0000-4000-8000-000000000002',
    bin: '546938',
    last4: '0417',
    masked: '5469 38•• •••• 0417',
    brand: 'MasterCard',
    bank: 'ВТБ',
    expiry: { month: 4, year: 2028 },
    expiryText: '04/2028',
    art: { brandLogo: art('mc-logo.pdf', 'pdf', 'application/pdf'), combined: art('vtb-combined.png') },
  }),
]

/** Generated tiles only (no art at all), every look and state. */
export const plainCards: CardView[] = [
  card({ token: 'P1', brand: 'VISA', bank: 'Газпромбанк', masked: '4276 38•• •••• 1201', expiryText: '02/2030' }),
  card({ token: 'P2', brand: 'MasterCard', bank: 'Альфа-Банк', masked: '5486 73•• •••• 9921', expiryText: '10/2028', needCvc: true }),
  card({ token: 'P3', brand: 'MIR', bank: 'ВТБ', masked: '2200 70•• •••• 4417', expiryText: '12/2026', expiresSoon: true }),
  card({ token: 'P4', brand: 'UnionPay', bank: '', masked: '6250 94•• •••• 0005', expiryText: '01/2024', expired: true, active: false }),
]

export function many(n: number): CardView[] {
  const brands = ['VISA', 'MasterCard', 'MIR'] as const
  const banks = ['Сбербанк', 'ВТБ', 'Т-Банк', 'Альфа-Банк', 'Газпромбанк', '']
  return Array.from({ length: n }, (_, i) => {
    const brand = brands[i % 3] ?? 'VISA'
    const last4 = String(1000 + i * 37).slice(-4)
    const bin = brand === 'VISA' ? '427601' : brand === 'MIR' ? '220015' : '546901'
    return card({
      token: `GEN-${i}`,
      brand,
      bank: banks[i % banks.length] ?? '',
      bin,
      last4,
      masked: `${bin.slice(0, 4)} ${bin.slice(4)}•• •••• ${last4}`,
      expiryText: `${String((i % 12) + 1).padStart(2, '0')}/20${27 + (i % 5)}`,
      needCvc: i % 4 === 0,
    })
  })
}

export function lookupOf(customer: string, cards: CardView[], over: Partial<Lookup> = {}): Lookup {
  return {
    profileId: 'sandbox',
    profileName: 'Sandbox',
    environment: 'sandbox',
    customer,
    cards,
    fetchedAt: '2026-11-27T10:00:00Z',
    source: 'live',
    stale: false,
    offlineReason: null,
    ...over,
  }
}

export const recent: RecentCustomer[] = [
  { customer: '100700', lastLookup: Date.parse('2026-11-27T09:58:00Z'), cardCount: 2 },
  { customer: '1234', lastLookup: Date.parse('2026-11-27T09:40:00Z'), cardCount: 3 },
  { customer: 'КЛ-000731', lastLookup: Date.parse('2026-11-26T15:10:00Z'), cardCount: 2 },
  { customer: '100025', lastLookup: Date.parse('2026-11-20T08:00:00Z'), cardCount: 25 },
]

/** A 64-hex-digit stand-in for a BLAKE3 hash, different for every n. */
export function fakeHash(n: number): string {
  let out = ''
  let x = (n * 2654435761) >>> 0
  while (out.length < 64) {
    x = (Math.imul(x ^ (x >>> 15), 2246822507) + 0x9e3779b9) >>> 0
    out += x.toString(16).padStart(8, '0')
  }
  return out.slice(0, 64)
}

const sandboxRef = { profileId: 'sandbox', profileName: 'Sandbox', environment: 'sandbox' as const, merchantId: '452739' }
const prodRef = { profileId: 'p-prod', profileName: 'Shop production', environment: 'production' as const, merchantId: '452739' }

export function auditEntry(over: Partial<AuditEntry> & { seq: number }): AuditEntry {
  return {
    time: new Date(Date.parse('2026-11-20T09:00:00.000Z') + over.seq * 37 * 60_000).toISOString(),
    operator: { osUser: 'anna', displayName: 'Anna Petrova' },
    action: 'viewed_customer',
    ...sandboxRef,
    customer: '1234',
    card: null,
    tokenFingerprint: null,
    reason: null,
    note: null,
    ticket: null,
    outcome: null,
    readBack: null,
    gatewayMessage: null,
    faultCodes: null,
    detail: null,
    intentSeq: null,
    repair: null,
    prev: over.seq === 1 ? '0'.repeat(64) : fakeHash(over.seq - 1),
    hash: fakeHash(over.seq),
    ...over,
  }
}

const visa0028 = { brand: 'VISA', bin: '412362', last4: '0028', expiry: '12/2031' }
const mc2209 = { brand: 'MasterCard', bin: '553691', last4: '2209', expiry: '11/2028' }
const mir4417 = { brand: 'MIR', bin: '220220', last4: '4417', expiry: '09/2027' }
const visa1201 = { brand: 'VISA', bin: '427638', last4: '1201', expiry: '02/2030' }

/** A realistic log, oldest first: views, every outcome, a crash repaired and an intent recovered. */
export const auditSample: AuditEntry[] = [
  auditEntry({ seq: 1, detail: '3 cards shown, fetched from the gateway' }),
  auditEntry({ seq: 2, action: 'revoke_intent', card: visa0028, tokenFingerprint: '3f2a9c1d7b4e', reason: 'customer_request', ticket: 'SUP-48213' }),
  auditEntry({
    seq: 3, action: 'revoke_outcome', card: visa0028, tokenFingerprint: '3f2a9c1d7b4e', reason: 'customer_request', ticket: 'SUP-48213',
    outcome: 'removed', readBack: 'absent', gatewayMessage: 'Token <token 3f2a9c1d7b4e> is removed', intentSeq: 2,
  }),
  auditEntry({ seq: 4, ...prodRef, customer: '100700', detail: '2 cards shown, fetched from the gateway' }),
  auditEntry({ seq: 5, ...prodRef, customer: '100700', action: 'revoke_intent', card: mc2209, tokenFingerprint: '9b01e7aa42c3', reason: 'lost_or_stolen', ticket: 'SUP-48250' }),
  auditEntry({
    seq: 6, ...prodRef, customer: '100700', action: 'revoke_outcome', card: mc2209, tokenFingerprint: '9b01e7aa42c3', reason: 'lost_or_stolen', ticket: 'SUP-48250',
    outcome: 'not_removed', readBack: 'listed', faultCodes: '7/141',
    detail: 'gateway fault 7/141: authorization — operation not permitted for this merchant (Операция не разрешена для данного мерчанта)', intentSeq: 5,
  }),
  auditEntry({ seq: 7, customer: 'КЛ-000731', action: 'revoke_intent', card: mir4417, tokenFingerprint: '51c0d2e9f8a1', reason: 'erasure_request', ticket: 'CRM-77' }),
  auditEntry({
    seq: 8, customer: 'КЛ-000731', action: 'revoke_outcome', card: mir4417, tokenFingerprint: '51c0d2e9f8a1', reason: 'erasure_request', ticket: 'CRM-77',
    outcome: 'already_removed', readBack: 'absent', faultCodes: '10/203', detail: 'gateway fault 10/203: data error — card token not found', intentSeq: 7,
  }),
  auditEntry({
    seq: 9, operator: { osUser: 'boris', displayName: 'boris' }, customer: '100025', action: 'revoke_intent', card: visa1201, tokenFingerprint: 'c47d1e0b9a22',
    reason: 'other', note: 'Duplicate customer account merged in the CRM', ticket: null,
  }),
  auditEntry({
    seq: 10, operator: { osUser: 'boris', displayName: 'boris' }, customer: '100025', action: 'revoke_outcome', card: visa1201, tokenFingerprint: 'c47d1e0b9a22',
    reason: 'other', note: 'Duplicate customer account merged in the CRM', outcome: 'unknown', readBack: 'failed',
    detail: 'reply lost: transport: operation timed out; re-check failed: transport: connection refused; read-back failed: transport: connection refused', intentSeq: 9,
  }),
  auditEntry({ seq: 11, customer: '1234', action: 'revoke_intent', card: mir4417, tokenFingerprint: '77aa01c3e5d9', reason: 'suspected_fraud', ticket: 'SUP-48301' }),
  auditEntry({
    seq: 12, action: 'log_repaired', profileId: null, profileName: null, environment: null, merchantId: null, customer: null,
    operator: { osUser: 'anna', displayName: 'Anna Petrova' }, detail: 'a write cut short by a crash was found at the end of the log',
    repair: { offset: 5120, length: 211, fragmentHash: fakeHash(999) },
  }),
  auditEntry({
    seq: 13, customer: '1234', action: 'recovered_outcome', card: mir4417, tokenFingerprint: '77aa01c3e5d9', reason: 'suspected_fraud', ticket: 'SUP-48301',
    outcome: 'removed_confirmed_by_recheck', readBack: 'absent', detail: 'settled at start-up: the card list no longer holds the token', intentSeq: 11,
  }),
]

/** n view entries, oldest first, one every 10 minutes (for paging). */
export function auditMany(n: number): AuditEntry[] {
  return Array.from({ length: n }, (_, i) =>
    auditEntry({
      seq: i + 1,
      time: new Date(Date.parse('2026-11-01T08:00:00.000Z') + i * 10 * 60_000).toISOString(),
      customer: String(100000 + i),
      detail: `${i % 4} cards shown, fetched from the gateway`,
    }),
  )
}

/** The agent's date `n` days from today, `YYYY-MM-DD` (the fake register's days are UTC+offset). */
export function dayFromToday(n: number): string {
  const d = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000 + n * 86_400_000)
  return d.toISOString().slice(0, 10)
}

let requestSeq = 0
/** A request as the register stores it: a 152-FZ access request received today, new, by default. */
export function aRequest(over: Partial<Request> & { due?: string | null } = {}): Request {
  const { due, ...rest } = over
  requestSeq += 1
  const id = `00000000-0000-4000-8000-${String(requestSeq).padStart(12, '0')}`
  const at = '2026-12-01T09:30:00.000Z'
  const kind = rest.kind ?? 'access152'
  const deadline: Request['deadline'] =
    due === null || kind === 'card_refusal'
      ? null
      : {
          due: due ?? dayFromToday(10),
          basis: kind === 'access152' ? 'fz152_access_10_working_days' : kind === 'erasure152' ? 'fz152_erasure_30_days' : 'gdpr_one_month',
          rolledFrom: null,
          provisional: false,
          beyondCalendar: false,
          calendarVersion: kind.endsWith('gdpr') ? null : 'ru-pc-2026-12-01+sha256:3f1a9c0de2b47a51',
        }
  return {
    id,
    version: 0,
    kind,
    received: { precision: 'instant', at, offset: 180 },
    channel: 'email',
    ticket: `SUP-${4400 + requestSeq}`,
    subjects: [{ customerNumber: '1234', profile: { profile: 'sandbox' } }],
    identityChecks: [],
    assignee: null,
    status: { state: 'new' },
    notes: [],
    extension: null,
    deadline,
    events: [{ at, by: 'anna', what: { type: 'created' } }],
    createdAt: at,
    updatedAt: at,
    ...rest,
  }
}
