// A stand-in for the Rust side, answering IPC commands the way the desk does (validation
// messages that name the field, passwords that only go in, the recent list, profiles that can be
// added, edited, activated and deleted; the revoke workflow with its intent and outcome entries
// in a hash-chained audit log, replies for the customer, audit queries, verify and export; the
// customer-request register with its status rules, identity-before-start, open items by kind,
// versions and conflicts, and plausible deadlines computed simply; removals for a request checked
// and linked, its documents (the 376-FZ confirmation, the Order 179 act and log export) recorded
// with their SHA-256; links from tickets pushed through the `link_feed` channel). Used
// under mockIPC in Vitest and in Playwright, where it is sent to the page as source text: so it
// must stay self-contained — no imports at run time, no references to anything outside this
// function.
import type { BulkSeed } from './fakeBulk'
import type {
  AccessDetails,
  DocumentSettings,
  AuditEntry,
  AuditOutcome,
  AuditQuery,
  CardSummary,
  CardView,
  ConnectionCheck,
  DeskError,
  DeskStatus,
  Lookup,
  ProfileDraft,
  ProfileView,
  ReadBack,
  Request,
  RequestAction,
  RequestDraft,
  RequestFilter,
  RequestView,
  Deadline,
  DueState,
  OpenItem,
  DocumentKind,
  ErasureDetails,
  LinkMessage,
  ProducedDocument,
  StatusKind,
  RecentCustomer,
  Recovery,
  Revocation,
  RevokeAllItem,
  RevokeAllResult,
  RevokeAllRequest,
  RevokeRequest,
  TeamAuditEntry,
  TeamAuditPage,
  UpdateCheck,
  UpdateInstall,
  Verification,
  WriteBackView,
} from '../lib/ipc'
// Types only (the fake imports nothing at run time): its copy of a Rust rule is typed by the
// generated bindings, so `npm run check` fails when Rust's rule changes and the copy does not.
import type { CUSTOMER_FORBIDDEN_CHARS, CUSTOMER_MAX as RUST_CUSTOMER_MAX } from '../lib/bindings'
import type { Approval, FrameRoot, Policy, TeamCheck, TeamPolicyView, TeamSetup, TeamView } from '../lib/ipc'

/** What the fake's audit writer is given for a new entry (the rest it fills in). */
interface EntryDraftLike {
  action: AuditEntry['action']
  profile?: { id: string; name: string; environment: ProfileView['environment']; merchantId: string }
  customer?: string
  card?: CardSummary
  tokenFingerprint?: string
  reason?: AuditEntry['reason']
  note?: string | null
  ticket?: string | null
  outcome?: AuditOutcome
  readBack?: ReadBack
  gatewayMessage?: string | null
  faultCodes?: string | null
  detail?: string | null
  detailRu?: string
  intentSeq?: number
  shown?: AuditEntry['shown']
  /** The request the entry was made for. */
  request?: string
}

/** What revoking one card (by token) comes to in the fake: an outcome, or an error thrown. */
export type PlannedRevoke =
  | { outcome: AuditOutcome; faultCodes?: string; detail?: string; detailRu?: string; readBack?: ReadBack }
  | { error: DeskError }

export interface Seed {
  status: DeskStatus
  /** Card lists by customer number (of the active profile unless `byProfile` says otherwise). */
  lookups: Record<string, Lookup>
  /** lookup_all answers per profile id and customer: a Lookup or an error. */
  byProfile?: Record<string, Record<string, { lookup?: Lookup; error?: DeskError }>>
  /** Errors thrown by `lookup` for a customer. */
  errors?: Record<string, DeskError>
  /** What `lookup(customer, true)` returns (a refresh), when it differs. */
  refreshed?: Record<string, Lookup>
  recent?: RecentCustomer[]
  connection?: Record<string, ConnectionCheck>
  /** Entries already in the audit log, oldest first. */
  audit?: AuditEntry[]
  /** What revoking a card comes to, by token; by default it is removed. */
  revoke?: Record<string, PlannedRevoke>
  /** What "Check again" (check_removal) finds: a settled outcome (the default: removed,
   *  confirmed by re-check) or a reason the removal stays open. */
  checkAgain?: { outcome: AuditOutcome } | { leftOpen: string; leftOpenRu?: string }
  /** How long revoke_card and revoke_all_cards take, in ms (to see the "working" state). */
  revokeDelayMs?: number
  /** What audit_verify answers, instead of an intact chain of the log's entries. */
  verify?: Verification
  /** audit_export: 'cancel' (the save dialog was closed) or an error; else the entry count. */
  exportAnswer?: 'cancel' | DeskError
  /** The OS user written into new audit entries. */
  osUser?: string
  /** Bulk jobs (answered by fakeBulk, which wraps this fake). */
  bulk?: BulkSeed
  /** Requests already in the register (full records, as Rust stores them). */
  requests?: Request[]
  /** request_act answers `conflict` for these request ids, as if a colleague had just changed them. */
  requestConflicts?: string[]
  /** Links already waiting when the window subscribes to `link_feed` (as Rust holds them). */
  links?: LinkMessage[]
  /** request_confirmation / request_erasure_documents: 'cancel' (the dialog was closed). */
  documentAnswer?: 'cancel'
  /** What update_check answers (default: this is the latest version) and update_install. */
  update?: { check?: UpdateCheck; install?: UpdateInstall }
  /** The ticket write-back's outbox as Rust shows it (default: off, empty). */
  writeBack?: WriteBackView
  /** Team mode (Settings → Team) as Rust holds it, and what its database does (default: off). */
  team?: TeamSeed
  /** The whole team's audit trail (team_audit, while team mode is on), newest first (default: a
   *  few entries of this desk and a colleague's, one of whose lines does not read back);
   *  `counted`: what the trail's count says instead of the entries' number (e.g. capped). */
  teamTrail?: { entries?: TeamAuditEntry[]; counted?: { total: number; capped: boolean } }
}

export interface TeamSeed {
  setup?: TeamSetup | null
  passwordStored?: boolean
  /** The team trail has this desk's log through this entry (default: none of it). */
  shippedThrough?: number
  /** The highest entry of this desk's log (default: as many as the audit log has). */
  localLast?: number
  /** The database cannot be reached: nothing ships, tests fail, and the status says why. */
  unreachable?: boolean
  /** The password the database accepts (default: any). */
  password?: string
  /** Migrations the database has before any test (default: none, so a test creates the schema). */
  migrations?: string[]
  /** What test_team answers instead of a check of its own (a check, or an error it throws). */
  test?: TeamCheck | DeskError
  /** Four-eyes: this login may decide approvals and set the policy (default: true). */
  supervisor?: boolean
  /** The team's four-eyes policy (default: production bulk runs and revoke-all need a second person). */
  policy?: Partial<Policy>
  /** Approval requests, newest first (default: a waiting revoke-all of customer 1234 with three
   *  cards, a waiting production bulk run, and one decided yesterday). */
  approvals?: Approval[]
}

export interface FakeState {
  status: DeskStatus
  recent: RecentCustomer[]
  /** Card lists by customer number: revocations take cards out of them. */
  lookups: Record<string, Lookup>
  /** The audit log, oldest first. */
  audit: AuditEntry[]
  /** Passwords the UI sent, by profile id: tests check what went in, the UI never reads them. */
  passwords: Record<string, string>
  calls: Array<{ cmd: string; args: unknown }>
  /** Where the last export went, and what "Open folder" showed (`reveal_export`). */
  lastExport: string | null
  revealed: string[]
  /** The first frame the window last kept (`keep_first_frame`), for its next start. */
  keptFrame: { key: string; root: FrameRoot; markup: string } | null
  /** The window's language as last told to Rust (`set_language`). */
  language: 'en' | 'ru' | null
  /** The request register (its records change as the UI acts on them). */
  requests: Request[]
  /** Sends a link to the window's `link_feed` channel, as Rust does when one arrives
   * (returns false while the window has not subscribed). */
  pushLink: (message: LinkMessage) => boolean
  /** The ticket write-back (`write_back`); the secret itself is in `passwords['webhook']`. */
  writeBack: WriteBackView
  /** Team mode; the password itself is in `passwords['team']`. `unreachable` may be flipped by a test. */
  team: {
    setup: TeamSetup | null
    passwordStored: boolean
    shippedThrough: number
    lastContact: string | null
    unreachable: boolean
    migrations: string[]
    /** Four-eyes: whether this login is a supervisor (a test may flip it), the policy, the approvals (newest first). */
    supervisor: boolean
    policy: Policy
    approvals: Approval[]
  }
  /** Team mode, the rest of the desk (tests call it): a colleague takes a request of the shared
   * register (assigned to them, in progress: a new version), or a supervisor decides the newest
   * approval asked for an action and subject. */
  colleague: {
    takeRequest: (id: string, assignee: string) => void
    decide: (action: string, subject: string, approve: boolean, note: string) => void
  }
}

export type FakeHandler = ((cmd: string, args: Record<string, unknown>) => unknown) & { state: FakeState }

export function fakeDesk(seed: Seed): FakeHandler {
  const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T
  // (inside: the browser tests inject this function's source alone)
  /** A stand-in for first_frame.rs's key: 64 hex digits that change with the data. */
  const frameKey = (data: unknown): string => {
    const text = JSON.stringify(data)
    let out = ''
    for (let seed = 0; out.length < 64; seed++) {
      let h = 0x811c9dc5 ^ seed
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
      out += (h >>> 0).toString(16).padStart(8, '0')
    }
    return out
  }
  /** Four-eyes' default requests: two waiting on colleagues' desks, one decided yesterday. */
  const defaultApprovals = (): Approval[] => {
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()
    const asked = { desk: '5b2d9c14-8e0f-4a31-b7c6-2d9e4f1a3b58', merchantId: '45273901', decidedBy: null, decidedAs: null, decidedAt: null, note: null }
    return [
      {
        ...asked,
        id: '3f6c1e9a-2b7d-4c05-9e81-6a4d2f0b7c13',
        action: 'revoke_all',
        environment: 'production',
        subject: '1234',
        cards: 3,
        summary: { customer: '1234', cards: ['4123 62•• •••• 0028', '5186 15•• •••• 1030', '2202 20•• •••• 4417'] },
        requestedBy: 'boris',
        requestedAs: 'Boris Petrov',
        requestedAt: ago(12),
        state: 'waiting',
      },
      {
        ...asked,
        id: '9a0e4b72-61d3-4f8c-a5b9-0c2e7d3f1a64',
        desk: '0c7a3e58-1d92-4b6f-8e05-7f3a9b2c4d16',
        action: 'bulk_run',
        environment: 'production',
        subject: 'job-20261207-0915',
        cards: 1240,
        summary: {
          jobId: 'job-20261207-0915',
          rows: 1312,
          states: { planned: 1240, held: 52, skipped: 20 },
          classes: { exact: 1180, all: 60, ambiguous: 52, no_match: 12, invalid: 8 },
          cards: 1240,
          toRemove: 1240,
          problems: [],
          problemCount: 8,
          erasure: false,
        },
        requestedBy: 'vera',
        requestedAs: 'Vera Sokolova',
        requestedAt: ago(41),
        state: 'waiting',
      },
      {
        ...asked,
        id: 'c41d8f20-7e5a-4b93-8d16-3a0f9e2b6c75',
        action: 'revoke_all',
        environment: 'production',
        subject: 'C-7781',
        cards: 2,
        summary: { customer: 'C-7781', cards: ['4276 38•• •••• 5512', '2200 70•• •••• 9034'] },
        requestedBy: 'boris',
        requestedAs: 'Boris Petrov',
        requestedAt: ago(26 * 60),
        state: 'used',
        decidedBy: 'olga',
        decidedAs: 'Olga Lead',
        decidedAt: ago(25 * 60),
        note: 'Erasure request SUP-1182: identity checked by phone.',
      },
    ]
  }
  const state: FakeState = {
    status: clone(seed.status),
    recent: clone(seed.recent ?? []),
    lookups: clone(seed.lookups),
    audit: clone(seed.audit ?? []),
    passwords: {},
    calls: [],
    language: null,
    keptFrame: null,
    lastExport: null,
    revealed: [],
    requests: clone(seed.requests ?? []),
    pushLink: () => false,
    colleague: { takeRequest: (id, assignee) => colleagueTakes(id, assignee), decide: (...d) => colleagueDecides(...d) },
    writeBack: clone(
      seed.writeBack ?? {
        url: '',
        secretStored: false,
        delivering: false,
        pending: [],
        history: { deliveredTotal: 0, discardedTotal: 0, recent: [] },
        problem: null,
      },
    ),
    team: {
      setup: clone(seed.team?.setup ?? null),
      passwordStored: seed.team?.passwordStored ?? false,
      shippedThrough: seed.team?.shippedThrough ?? 0,
      lastContact: null,
      unreachable: seed.team?.unreachable ?? false,
      migrations: clone(seed.team?.migrations ?? []),
      supervisor: seed.team?.supervisor ?? true,
      policy: { productionBulk: true, productionRevokeAll: true, cardsOver: null, setBy: 'Olga Lead', ...clone(seed.team?.policy ?? {}) },
      approvals: clone(seed.team?.approvals ?? defaultApprovals()),
    },
  }
  /** Throws as Rust answers: `{code, message}`, `ru` when the text is given in both languages,
   * and `field` for a validation error about one. */
  const fail = (code: DeskError['code'], text: string | { en: string; ru: string }, field?: string): never => {
    const error: DeskError = typeof text === 'string' ? { code, message: text } : { code, message: text.en, ru: text.ru }
    throw field === undefined ? error : { ...error, field }
  }
  /** profiles.rs DocumentSettings::checked: trimmed, each 0–300 characters without control
   * characters; an address needs its name, a named processor its address. */
  const checkedDocuments = (raw: DocumentSettings | undefined): DocumentSettings => {
    const d: DocumentSettings = { operatorName: '', operatorAddress: '', processorName: '', processorAddress: '', informationSystem: '', ...raw }
    const words: Record<keyof DocumentSettings, [string, string, string]> = {
      operatorName: ['operator_name', 'operator’s name', 'наименование оператора'],
      operatorAddress: ['operator_address', 'operator’s address', 'адрес оператора'],
      processorName: ['processor_name', 'processor’s name', 'наименование обработчика'],
      processorAddress: ['processor_address', 'processor’s address', 'адрес обработчика'],
      informationSystem: ['information_system', 'information system', 'информационная система'],
    }
    const refuse = (key: keyof DocumentSettings, en: string, ru: string): never => {
      const [field, label, labelRu] = words[key]
      return fail('validation', { en: `${label}: ${en}`, ru: `${labelRu}: ${ru}` }, `documents.${field}`)
    }
    for (const key of Object.keys(words) as Array<keyof DocumentSettings>) {
      d[key] = String(d[key] ?? '').trim()
      if ([...d[key]].length > 300 || /[\u0000-\u001f\u007f]/.test(d[key]))
        refuse(key, 'must be at most 300 characters without control characters', 'не длиннее 300 символов, без управляющих символов')
    }
    if (!d.operatorName && d.operatorAddress) refuse('operatorName', 'is needed when the operator’s address is given', 'нужно, если указан адрес оператора')
    if (!d.processorName && d.processorAddress) refuse('processorName', 'is needed when the processor’s address is given', 'нужно, если указан адрес обработчика')
    if (d.processorName && !d.processorAddress) refuse('processorAddress', 'is needed when a processor is named', 'нужен, если указан обработчик')
    return d
  }
  // Rust's customer-number rule (assist::CustomerNumber), typed by the bindings.
  const CUSTOMER_MAX: typeof RUST_CUSTOMER_MAX = 32
  const FORBIDDEN: typeof CUSTOMER_FORBIDDEN_CHARS = ['<', '>', '"', '=', "'", '/', '(', ')', ';', '#']
  const FORBIDDEN_TEXT = FORBIDDEN.join(' ')
  const forbidden = (v: string) => [...v].some((c) => (FORBIDDEN as readonly string[]).includes(c))
  const checkCustomer = (c: string) => {
    const v = c.trim()
    if (v.length === 0 || [...v].length > CUSTOMER_MAX)
      fail(
        'validation',
        { en: `customer number: must be 1–${CUSTOMER_MAX} characters`, ru: `номер клиента: от 1 до ${CUSTOMER_MAX} символов` },
        'customer_number',
      )
    if (forbidden(v))
      fail(
        'validation',
        {
          en: `customer number: must not contain any of ${FORBIDDEN_TEXT}`,
          ru: `номер клиента: не должен содержать символов ${FORBIDDEN_TEXT}`,
        },
        'customer_number',
      )
    return v
  }
  const profile = (id: string) => state.status.profiles.find((p) => p.id === id) ?? fail('not_found', `profile ${id}: no such profile`)
  const validateDraft = (d: ProfileDraft, id: string | null) => {
    const name = d.name.trim()
    if (name.length < 1 || name.length > 60)
      fail('validation', { en: 'name: must be 1–60 characters', ru: 'название: от 1 до 60 символов' }, 'name')
    if (state.status.profiles.some((p) => p.id !== id && p.name.toLowerCase() === name.toLowerCase()))
      fail(
        'validation',
        {
          en: 'name: must be unique (another profile has this name)',
          ru: 'название: должно быть своим (такое название уже у другого профиля)',
        },
        'name',
      )
    if (!['sandbox', 'test', 'production'].includes(d.environment.toLowerCase()))
      fail('validation', { en: 'environment: must be sandbox, test or production', ru: 'среда: sandbox, test или production' }, 'environment')
    if (!/^https:\/\//.test(d.baseUrl) && !/^http:\/\/(127\.|localhost)/.test(d.baseUrl))
      fail(
        'validation',
        {
          en: 'base URL: must use https:// (http:// is allowed only for loopback)',
          ru: 'базовый URL: должен начинаться с https:// (http:// — только для этого компьютера)',
        },
        'base_url',
      )
    if (!/^\d{1,15}$/.test(d.merchantId) || Number(d.merchantId) > 2147483647)
      fail(
        'validation',
        {
          en: 'merchant id: must be 1–15 digits with a value of at most 2147483647',
          ru: 'номер мерчанта: от 1 до 15 цифр, не больше 2147483647',
        },
        'merchant_id',
      )
    if (d.login.length < 1 || d.login.length > 20)
      fail('validation', { en: 'login: must be 1–20 characters', ru: 'логин: от 1 до 20 символов' }, 'login')
    if (!/^(RU|EN)$/i.test(d.language)) fail('validation', { en: 'language: must be RU or EN', ru: 'язык шлюза: только RU или EN' }, 'language')
    if (!/^#[0-9a-f]{6}$/i.test(d.colour))
      fail(
        'validation',
        { en: 'colour: must be #rrggbb (a # and six hex digits)', ru: 'цвет: в виде #rrggbb (# и шесть шестнадцатеричных цифр)' },
        'colour',
      )
  }
  const remember = (l: Lookup) => {
    if (!state.status.settings.recordLookups) return
    state.recent = [{ customer: l.customer, lastLookup: Date.now(), cardCount: l.cards.length }, ...state.recent.filter((r) => r.customer !== l.customer)]
  }
  const active = () => profile(state.status.activeProfileId)
  const lookupIn = (p: ProfileView, customer: string): Lookup => {
    const found = state.lookups[customer]
    const base: Lookup = found
      ? clone(found)
      : { profileId: p.id, profileName: p.name, environment: p.environment, customer, cards: [], fetchedAt: new Date().toISOString(), source: 'live', stale: false, offlineReason: null }
    return { ...base, profileId: p.id, profileName: p.name, environment: p.environment, customer }
  }

  // The audit log: entries chained by a (fake, but deterministic) 64-hex-digit hash.
  const GENESIS = '0'.repeat(64)
  const hashOf = (text: string): string => {
    let out = ''
    for (let round = 0; round < 8; round++) {
      let h = 2166136261 ^ round
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0
      out += h.toString(16).padStart(8, '0')
    }
    return out
  }
  const fingerprint = (token: string) => hashOf(token.toUpperCase()).slice(0, 12)
  const append = (draft: EntryDraftLike): AuditEntry => {
    const last = state.audit[state.audit.length - 1]
    const settings = state.status.settings
    const osUser = seed.osUser ?? 'anna'
    const body: Omit<AuditEntry, 'hash'> = {
      seq: (last?.seq ?? 0) + 1,
      time: new Date().toISOString(),
      operator: { osUser, displayName: settings.operatorName.trim() || osUser },
      action: draft.action,
      profileId: draft.profile?.id ?? null,
      profileName: draft.profile?.name ?? null,
      environment: draft.profile?.environment ?? null,
      merchantId: draft.profile?.merchantId ?? null,
      customer: draft.customer ?? null,
      card: draft.card ?? null,
      tokenFingerprint: draft.tokenFingerprint ?? null,
      reason: draft.reason ?? null,
      note: draft.note ?? null,
      ticket: draft.ticket ?? null,
      outcome: draft.outcome ?? null,
      readBack: draft.readBack ?? null,
      gatewayMessage: draft.gatewayMessage ?? null,
      faultCodes: draft.faultCodes ?? null,
      detail: draft.detail ?? null,
      intentSeq: draft.intentSeq ?? null,
      repair: null,
      ...(draft.shown ? { shown: draft.shown } : {}),
      ...(draft.detailRu ? { detailRu: draft.detailRu } : {}),
      ...(draft.request ? { request: draft.request } : {}),
      prev: last?.hash ?? GENESIS,
    }
    const entry: AuditEntry = { ...body, hash: hashOf(JSON.stringify(body)) }
    state.audit.push(entry)
    return entry
  }
  const summary = (c: CardView): CardSummary => ({ brand: c.brand, bin: c.bin, last4: c.last4, expiry: c.expiryText })
  const optional = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null)
  /** The checks of revoke.rs that need no gateway, with its messages. */
  const checkRevoke = (r: RevokeRequest | RevokeAllRequest) => {
    const p = profile(r.profileId)
    const customer = checkCustomer(String(r.customer))
    const note = optional(r.note)
    if (note && [...note].length > 500) fail('validation', 'note: must be at most 500 characters')
    if (r.reason === 'other' && !note) fail('validation', 'note: required when the reason is other')
    const ticket = optional(r.ticket)
    if (ticket && [...ticket].length > 64) fail('validation', 'ticket: must be at most 64 characters')
    if (!ticket && state.status.settings.requireTicket) fail('validation', 'ticket: required (the setting "require a ticket" is on)')
    if (p.environment === 'production') {
      const c = optional(r.customerConfirmation)
      if (!c) fail('validation', 'customer confirmation: required for a production profile: type the customer number again')
      if (c !== customer) fail('validation', 'customer confirmation: does not match the customer number')
    }
    if (!p.builtIn && !p.hasPassword) fail('credentials_missing', `profile ${p.name}: no password is set; add it in Settings`)
    const offset = r.utcOffsetMinutes ?? 0
    if (offset < -720 || offset > 840) fail('validation', 'utc offset minutes: must be between -720 and 840 (UTC−12:00 to UTC+14:00)')
    return { p, customer, note, ticket, offset }
  }
  /** The letter's date at the agent's offset, as revoke/reply.rs writes it (no-break spaces). */
  const letterDate = (time: string, offsetMinutes: number): [string, string] => {
    const at = new Date(Date.parse(time) + offsetMinutes * 60_000)
    const en = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
    const ru = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря']
    const [d, m, y] = [at.getUTCDate(), at.getUTCMonth(), at.getUTCFullYear()]
    return [`${d}\u00a0${en[m]}\u00a0${y}`, `${d}\u00a0${ru[m]}\u00a0${y}\u00a0г.`]
  }
  const LABELS: Record<AuditOutcome, string> = {
    removed: 'removed',
    removed_confirmed_by_recheck: 'removed (confirmed by re-check)',
    not_removed: 'not removed',
    unknown: 'unknown — check again',
    already_removed: 'already removed',
  }
  const replies = (o: AuditOutcome, masked: string, [en, ru]: [string, string], ref: string): [string, string] => {
    if (o === 'removed' || o === 'removed_confirmed_by_recheck')
      return [
        `Your saved card ${masked} was removed from our payment system on ${en}. It can no longer be used for payments without entering the card details again. Reference: ${ref}.`,
        `Ваша сохранённая карта ${masked} удалена из нашей платёжной системы ${ru} Оплатить ею без повторного ввода данных карты больше нельзя. Номер обращения: ${ref}.`,
      ]
    if (o === 'already_removed')
      return [
        `Your saved card ${masked} is no longer stored in our payment system (checked on ${en}). Reference: ${ref}.`,
        `Ваша сохранённая карта ${masked} больше не хранится в нашей платёжной системе (проверено ${ru}). Номер обращения: ${ref}.`,
      ]
    if (o === 'not_removed')
      return [
        `We could not remove your saved card ${masked} yet. We are looking into it and will contact you again. Reference: ${ref}.`,
        `Нам пока не удалось удалить вашу сохранённую карту ${masked}. Мы разбираемся и свяжемся с вами. Номер обращения: ${ref}.`,
      ]
    return [
      `Your request to remove the saved card ${masked} is being processed; we will confirm once it is complete. Reference: ${ref}.`,
      `Ваш запрос на удаление сохранённой карты ${masked} обрабатывается; мы сообщим, когда он будет выполнен. Номер обращения: ${ref}.`,
    ]
  }
  /** Intent, the planned outcome (the card leaves the list when it is gone), outcome entry. */
  const execute = (
    checked: { p: ProfileView; customer: string; note: string | null; ticket: string | null; offset: number },
    card: CardView,
    reason: RevokeRequest['reason'],
  ): Revocation => {
    const { p, customer, note, ticket } = checked
    const planned = seed.revoke?.[card.token]
    const plan = planned && 'outcome' in planned ? planned : { outcome: 'removed' as AuditOutcome }
    const base = {
      profile: { id: p.id, name: p.name, environment: p.environment, merchantId: p.merchantId },
      customer,
      card: summary(card),
      tokenFingerprint: fingerprint(card.token),
      reason,
      note,
      ticket,
    }
    const intent = append({ ...base, action: 'revoke_intent' })
    const gone = plan.outcome === 'removed' || plan.outcome === 'removed_confirmed_by_recheck' || plan.outcome === 'already_removed'
    const list = state.lookups[customer]
    if (gone && list) {
      list.cards = list.cards.filter((c) => c.token !== card.token)
      list.fetchedAt = new Date().toISOString()
      list.source = 'live'
      list.stale = false
      list.offlineReason = null
      // As Rust does: the read-back's count reaches the recent list, its lookup time kept.
      const left = list.cards.length
      state.recent = state.recent.map((r) => (r.customer === customer ? { ...r, cardCount: left } : r))
    }
    const readBack: ReadBack = plan.readBack ?? (gone ? 'absent' : plan.outcome === 'unknown' ? 'failed' : 'listed')
    const entry = append({
      ...base,
      action: 'revoke_outcome',
      outcome: plan.outcome,
      readBack,
      gatewayMessage: plan.outcome === 'removed' ? `Token <token ${base.tokenFingerprint}> is removed` : null,
      faultCodes: plan.faultCodes ?? null,
      detail: plan.detail ?? null,
      ...(plan.detailRu ? { detailRu: plan.detailRu } : {}),
      intentSeq: intent.seq,
    })
    const masked = card.masked.replaceAll(' ', '\u00a0')
    const reference = ticket ?? `audit #${entry.seq}`
    const [replyEn, replyRu] = replies(plan.outcome, masked, letterDate(entry.time, checked.offset), reference)
    return {
      outcome: plan.outcome,
      label: LABELS[plan.outcome],
      explanation: `The outcome was ${LABELS[plan.outcome]}.`,
      customer,
      card: base.card,
      masked,
      tokenFingerprint: base.tokenFingerprint,
      time: entry.time,
      intentSeq: intent.seq,
      auditSeq: entry.seq,
      auditHash: entry.hash,
      readBack,
      gatewayMessage: entry.gatewayMessage,
      faultCodes: entry.faultCodes,
      detail: entry.detail,
      ...(entry.detailRu ? { detailRu: entry.detailRu } : {}),
      reference,
      replyEn,
      replyRu,
    }
  }
  /** desk.rs check_removal: an intent without a final outcome is re-checked, never resent. */
  const checkRemoval = (seq: number): Recovery => {
    const intent = state.audit.find((e) => e.seq === seq && e.action === 'revoke_intent')
    const outcomes = state.audit.filter((e) => e.intentSeq === seq)
    const last = outcomes[outcomes.length - 1]
    if (!intent || (last && last.outcome !== 'unknown'))
      fail('validation', `intent: ${seq} is not an open removal (it is settled already, or no such intent exists)`)
    const planned = seed.checkAgain ?? { outcome: 'removed_confirmed_by_recheck' as AuditOutcome }
    if ('leftOpen' in planned) return { recovered: [], leftOpen: [{ intentSeq: seq, profileId: intent!.profileId, customer: intent!.customer, reason: planned.leftOpen, reasonRu: planned.leftOpenRu ?? planned.leftOpen }] }
    const gone = planned.outcome !== 'not_removed'
    const list = state.lookups[intent!.customer ?? '']
    if (gone && list) list.cards = list.cards.filter((c) => fingerprint(c.token) !== intent!.tokenFingerprint)
    const entry = append({
      action: 'recovered_outcome',
      profile: { id: intent!.profileId ?? '', name: intent!.profileName ?? '', environment: intent!.environment ?? 'sandbox', merchantId: intent!.merchantId ?? '' },
      customer: intent!.customer ?? undefined,
      card: intent!.card ?? undefined,
      tokenFingerprint: intent!.tokenFingerprint ?? undefined,
      reason: intent!.reason ?? undefined,
      ticket: intent!.ticket,
      outcome: planned.outcome,
      readBack: gone ? 'absent' : 'listed',
      detail: `settled later: intent ${seq} had no final outcome; a re-check found the card ${gone ? 'gone' : 'still listed'}; no removal was sent during recovery`,
      detailRu: `итог записан позже: у намерения №${seq} не было окончательного итога; повторная проверка показала: ${gone ? 'карты в списке больше нет' : 'карта всё ещё в списке'}; при восстановлении удаление не отправлялось`,
      intentSeq: seq,
    })
    return { recovered: [entry], leftOpen: [] }
  }
  /** desk/register.rs check_request_removal: open, identified, about this customer — or nothing is sent. */
  const requestForRemoval = (id: string | undefined, customer: string): Request | null => {
    if (id === undefined || id === null) return null
    const r = findRequest(String(id))
    if (!isOpenStatus(r.status.state))
      fail('validation', { en: `request: it is ${r.status.state}; removals are made only for an open request`, ru: `обращение: оно в статусе ${r.status.state}; удалять карты можно только по открытому обращению` }, 'request')
    if (!r.identityChecks.some((c) => c.matched))
      fail('validation', { en: 'request: record an identity check that matched before removing cards for it', ru: 'обращение: сначала запишите проверку личности, которая совпала' }, 'request')
    if (!r.subjects.some((s) => s.customerNumber === customer))
      fail('validation', { en: `request: it does not name customer ${customer}`, ru: `обращение: клиент ${customer} в нём не указан` }, 'request')
    return r
  }
  /** link_request_removal: each outcome linked (seq and hash); a new request starts its work. */
  const linkRemovals = (r: Request, customer: string, done: Revocation[]) => {
    if (done.length === 0) return
    const at = new Date().toISOString()
    const by = operatorName()
    if (r.status.state === 'new') {
      r.status = { state: 'in_progress' }
      r.events.push({ at, by, what: { type: 'status_changed', from: 'new', to: 'in_progress', forced: false, open: [] } })
    }
    for (const d of done) {
      const result = d.outcome === 'not_removed' ? 'not_removed' : d.outcome === 'unknown' ? 'unknown' : 'removed'
      r.events.push({ at, by, what: { type: 'removal_linked', audit: { seq: d.auditSeq, hash: d.auditHash }, customer, result, settles: null } })
    }
    r.version += 1
    r.updatedAt = at
  }
  const revokeOne = (r: RevokeRequest): Revocation => {
    const checked = checkRevoke(r)
    const typed = String(r.last4Confirmation).trim()
    if (!/^\d{4}$/.test(typed)) fail('validation', "last 4 confirmation: must be the card's last 4 digits, as the customer reads them")
    const cards = state.lookups[checked.customer]?.cards ?? []
    const card = cards.find((c) => c.token.toUpperCase() === String(r.token).trim().toUpperCase())
    if (!card)
      return fail(
        'validation',
        `card token: not among the cards customer ${checked.customer} has now (the list was fetched just now); it may have been removed already — look the customer up again`,
      )
    if (card.last4 !== typed) fail('validation', "last 4 confirmation: does not match the card's last 4 digits")
    const planned = seed.revoke?.[card.token]
    const req = requestForRemoval(r.request, checked.customer)
    if (planned && 'error' in planned) throw clone(planned.error)
    const done = execute(checked, card, r.reason)
    if (req) linkRemovals(req, checked.customer, [done])
    return done
  }
  const revokeAll = (r: RevokeAllRequest): RevokeAllResult => {
    const checked = checkRevoke(r)
    const req = requestForRemoval(r.request, checked.customer)
    const cards = clone(state.lookups[checked.customer]?.cards ?? [])
    fourEyesRevokeAll(checked.p, checked.customer, cards)
    const items = cards.map((card) => {
      const item: RevokeAllItem = { card: summary(card), masked: card.masked, tokenFingerprint: fingerprint(card.token), revocation: null, error: null }
      const planned = seed.revoke?.[card.token]
      if (planned && 'error' in planned) item.error = clone(planned.error)
      else item.revocation = execute(checked, card, r.reason)
      return item
    })
    if (req) linkRemovals(req, checked.customer, items.flatMap((i) => (i.revocation ? [i.revocation] : [])))
    // The wording is Rust's (revoke/reply.rs, tested there); the fake only has to say which cards.
    const reference = checked.ticket ?? `audit #${items.find((i) => i.revocation)?.revocation?.auditSeq ?? 0}`
    const names = items.map((i) => i.masked).join(', ')
    return {
      items,
      reference,
      replyEn: `[fake reply] cards ${names}. Reference: ${reference}.`,
      replyRu: `[fake reply, RU] карты ${names}. Номер обращения: ${reference}.`,
    }
  }
  const later = <T,>(work: () => T): T | Promise<T> => {
    const ms = seed.revokeDelayMs ?? 0
    if (ms <= 0) return work()
    return new Promise<T>((resolve, reject) =>
      setTimeout(() => {
        try {
          resolve(work())
        } catch (e) {
          reject(e)
        }
      }, ms),
    )
  }
  const bound = (text: string | null, end: boolean): string | null => {
    const v = (text ?? '').trim()
    if (!v) return null
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return `${v}T${end ? '23:59:59.999' : '00:00:00.000'}Z`
    const d = new Date(v)
    return Number.isNaN(d.getTime()) ? fail('validation', `${end ? 'to' : 'from'}: must be an RFC 3339 time or a date YYYY-MM-DD`) : d.toISOString()
  }
  const queryAudit = (q: AuditQuery) => {
    const from = bound(q.from, false)
    const to = bound(q.to, true)
    const has = (hay: string | null | undefined, needle: string | null) => !needle?.trim() || (hay ?? '').toLowerCase().includes(needle.trim().toLowerCase())
    const matching = [...state.audit]
      .reverse()
      .filter((e) => (!from || e.time >= from) && (!to || e.time <= to))
      .filter((e) => !q.profileId || e.profileId === q.profileId)
      .filter((e) => !q.customer?.trim() || (e.customer !== null && has(e.customer, q.customer)))
      .filter((e) => has(e.operator.osUser, q.operator) || has(e.operator.displayName, q.operator))
      .filter((e) => !q.outcome || e.outcome === q.outcome)
      .filter((e) => !q.action || e.action === q.action)
    const limit = q.limit === 0 ? 50 : Math.min(q.limit, 1000)
    return { total: matching.length, offset: q.offset, entries: clone(matching.slice(q.offset, q.offset + limit)) }
  }

  // The whole team's trail (team_mode.rs team_audit_query, desk_team's trail page): read through
  // the team database, so refused as Rust refuses — team mode off (not_found), no password, the
  // database away; a profile filter is refused by name (the trail does not index it). Filtered
  // by the readable entries' fields; an unreadable line matches only when nothing filters.
  const TEAM_DESK = { self: '0f8e2a51-3c47-4d0b-9a6e-5b1c7d2e4f60', boris: '5b2d9c14-8e0f-4a31-b7c6-2d9e4f1a3b58' }
  const defaultTrail = (): TeamAuditEntry[] => {
    const here = state.team.setup?.deskName ?? 'This desk'
    const at = (minutes: number) => new Date(Date.parse('2026-12-07T09:00:00.000Z') + minutes * 60_000).toISOString()
    const entry = (seq: number, minutes: number, over: Partial<AuditEntry>): AuditEntry => ({
      seq,
      time: at(minutes),
      operator: { osUser: 'boris', displayName: 'Boris Petrov' },
      action: 'viewed_customer',
      profileId: 'p-prod',
      profileName: 'Shop production',
      environment: 'production',
      merchantId: '45273901',
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
      prev: hashOf(`trail ${over.operator?.osUser ?? 'boris'} ${seq - 1}`),
      hash: hashOf(`trail ${over.operator?.osUser ?? 'boris'} ${seq}`),
      ...over,
    })
    const mir = { brand: 'MIR', bin: '220220', last4: '4417', expiry: '09/2027' }
    const anna = { operator: { osUser: 'anna', displayName: 'Anna Petrova' }, profileId: 'sandbox', profileName: 'Sandbox', environment: 'sandbox' as const, merchantId: '452739' }
    const boris = (seq: number, e: AuditEntry | null): TeamAuditEntry => ({ deskName: 'Boris — front desk', deskId: TEAM_DESK.boris, seq, entry: e })
    const mine = (e: AuditEntry): TeamAuditEntry => ({ deskName: here, deskId: TEAM_DESK.self, seq: e.seq, entry: e })
    const removal = { card: mir, tokenFingerprint: '7c41d09e2b6a', reason: 'customer_request' as const, ticket: 'SUP-2' }
    return [
      boris(42, entry(42, 95, { ...removal, action: 'revoke_outcome', outcome: 'removed', readBack: 'absent', intentSeq: 41, gatewayMessage: 'Token <token 7c41d09e2b6a> is removed' })),
      boris(41, entry(41, 94, { ...removal, action: 'revoke_intent' })),
      mine(entry(7, 80, { ...anna, customer: '100700', detail: '2 cards shown, fetched from the gateway', shown: { from: 'gateway', cards: 2 } })),
      boris(40, null),
      mine(entry(6, 52, { ...anna, customer: '100700', action: 'revoke_outcome', outcome: 'not_removed', card: { brand: 'MasterCard', bin: '553691', last4: '2209', expiry: '11/2028' }, tokenFingerprint: '9b01e7aa42c3', reason: 'lost_or_stolen', ticket: 'SUP-48250', faultCodes: '7/141', gatewayMessage: 'operation not permitted', readBack: 'listed', intentSeq: 5 })),
      boris(39, entry(39, 31, { detail: '3 cards shown, fetched from the gateway', shown: { from: 'gateway', cards: 3 } })),
    ]
  }
  const teamAuditPage = (q: AuditQuery): TeamAuditPage => {
    if (q.profileId)
      fail(
        'validation',
        {
          en: "profile: cannot filter the whole team's trail: filter by customer, operator, action, outcome or time",
          ru: 'профиль: не фильтрует общий журнал команды: фильтруйте по клиенту, сотруднику, действию, итогу или времени',
        },
        'profileId',
      )
    const t = state.team
    if (!t.setup)
      fail('not_found', {
        en: 'team mode is off: set the team database in Settings → Team first',
        ru: 'Командный режим выключен: сначала укажите базу команды в Настройках → Команда',
      })
    if (!t.passwordStored) fail('credentials_missing', { en: 'no password is stored for the team database', ru: 'Пароль к базе команды не сохранён' })
    if (t.unreachable) throw teamUnreachable(t.setup!)
    const from = bound(q.from, false)
    const to = bound(q.to, true)
    const has = (hay: string | null | undefined, needle: string | null) => !needle?.trim() || (hay ?? '').toLowerCase().includes(needle.trim().toLowerCase())
    const filtering = Boolean(from || to || q.customer?.trim() || q.operator?.trim() || q.outcome || q.action)
    const matching = (seed.teamTrail?.entries ?? defaultTrail()).filter(({ entry: e }) =>
      e === null
        ? !filtering
        : (!from || e.time >= from) &&
          (!to || e.time <= to) &&
          (!q.customer?.trim() || (e.customer ?? '').toLowerCase() === q.customer.trim().toLowerCase()) &&
          (has(e.operator.osUser, q.operator) || has(e.operator.displayName, q.operator)) &&
          (!q.outcome || e.outcome === q.outcome) &&
          (!q.action || e.action === q.action),
    )
    const limit = q.limit === 0 ? 50 : Math.min(q.limit, 1000)
    const counted = seed.teamTrail?.counted ?? { total: matching.length, capped: false }
    return { total: counted.total, totalCapped: counted.capped, offset: q.offset, entries: clone(matching.slice(q.offset, q.offset + limit)) }
  }

  // The request register (requests/model/rules.rs and desk/register.rs, simply): deadlines are
  // plausible rather than legal (weekends off, no holidays), the rules and messages are Rust's.
  const isoDay = (d: Date) => d.toISOString().slice(0, 10)
  const dayPlus = (day: string, days: number) => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000))
  const weekend = (day: string) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())
  const workingDaysAfter = (day: string, n: number) => {
    let d = day
    for (let left = n; left > 0; ) {
      d = dayPlus(d, 1)
      if (!weekend(d)) left--
    }
    return d
  }
  const monthsAfter = (day: string, n: number) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number]
    const last = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate()
    return isoDay(new Date(Date.UTC(y, m - 1 + n, Math.min(d, last))))
  }
  const agentToday = (offset: number) => isoDay(new Date(Date.now() + offset * 60_000))
  const receivedDay = (r: Request['received']) => (r.precision === 'day' ? r.date : isoDay(new Date(Date.parse(r.at) + r.offset * 60_000)))
  const deadlineOf = (kind: Request['kind'], received: string, extended: boolean): Deadline | null => {
    const calendar = 'ru-pc-2026-12-01+sha256:fake0000fake0000'
    const mark = (due: string, basis: Deadline['basis'], rolledFrom: string | null, ru: boolean): Deadline => {
      const year = Number(due.slice(0, 4))
      return { due, basis, rolledFrom, provisional: ru && year >= 2027, beyondCalendar: ru && year >= 2028, calendarVersion: ru ? calendar : null }
    }
    switch (kind) {
      case 'card_refusal':
        return null
      case 'access152':
        return extended
          ? mark(workingDaysAfter(workingDaysAfter(received, 10), 5), 'fz152_access_15_working_days', null, true)
          : mark(workingDaysAfter(received, 10), 'fz152_access_10_working_days', null, true)
      case 'erasure152': {
        const day30 = dayPlus(received, 30)
        let due = day30
        while (weekend(due)) due = dayPlus(due, 1)
        return mark(due, 'fz152_erasure_30_days', due === day30 ? null : day30, true)
      }
      default:
        return extended ? mark(monthsAfter(monthsAfter(received, 1), 2), 'gdpr_three_months', null, false) : mark(monthsAfter(received, 1), 'gdpr_one_month', null, false)
    }
  }
  const isOpenStatus = (k: StatusKind) => k === 'new' || k === 'in_progress'
  const dueState = (r: Request, today: string): DueState => {
    if (!isOpenStatus(r.status.state)) return 'stopped'
    if (!r.deadline) return 'no_deadline'
    return r.deadline.due < today ? 'overdue' : r.deadline.due === today ? 'due_today' : 'upcoming'
  }
  const openItems = (r: Request): OpenItem[] => {
    const needed: DocumentKind[] =
      r.kind === 'card_refusal' ? ['confirmation'] : r.kind === 'erasure152' ? ['destruction_act', 'log_export'] : ['answer']
    if (r.extension) needed.push('extension_notice')
    const produced = r.events.flatMap((e) => (e.what.type === 'document_produced' ? [e.what.kind] : []))
    const items: OpenItem[] = needed.filter((k) => !produced.includes(k)).map((kind) => ({ item: 'missing_document', kind }))
    const links = r.events.flatMap((e) => (e.what.type === 'removal_linked' ? [e.what] : []))
    for (const l of links) if (l.result === 'unknown' && !links.some((o) => o.settles === l.audit.seq)) items.push({ item: 'unsettled_removal', seq: l.audit.seq })
    return items
  }
  const requestView = (r: Request, today: string): RequestView => ({
    request: clone(r),
    due: dueState(r, today),
    openItems: openItems(r),
    identityConfirmed: r.identityChecks.some((c) => c.matched),
  })
  const operatorName = () => state.status.settings.operatorName.trim() || (seed.osUser ?? 'anna')
  const invalid = (field: string, rule: string): never => fail('validation', `${field}: ${rule}`, field)
  const checkText = (field: string, text: unknown, max: number) => {
    const v = String(text ?? '').trim()
    if (!v) invalid(field, 'must not be blank')
    if ([...v].length > max) invalid(field, `must be at most ${max} characters`)
    return v
  }
  const newRequest = (d: RequestDraft, offset: number): RequestView => {
    const now = new Date()
    if (d.received.precision === 'instant') {
      if (Date.parse(d.received.at) > now.getTime() + 60_000) invalid('received_at', 'must not be in the future')
      if (d.received.at < '2000') invalid('received_at', 'must not be before 2000')
    } else if (d.received.date > agentToday(840)) invalid('received_at', 'must not be in the future')
    const ticket = typeof d.ticket === 'string' && d.ticket.trim() ? d.ticket.trim() : null
    if (ticket && [...ticket].length > 64) invalid('ticket', 'must be at most 64 characters')
    if (d.subjects.length === 0) invalid('subjects', 'must name at least one customer')
    const subjects = d.subjects.map((s, i) => {
      const v = String(s.customerNumber).trim()
      if (v.length === 0 || [...v].length > CUSTOMER_MAX) invalid(`subjects[${i}].customer_number`, `must be 1–${CUSTOMER_MAX} characters`)
      if (forbidden(v)) invalid(`subjects[${i}].customer_number`, `must not contain any of ${FORBIDDEN_TEXT}`)
      return { customerNumber: v, profile: s.profile }
    })
    subjects.forEach((s, i) => {
      if (subjects.findIndex((o) => o.customerNumber === s.customerNumber && JSON.stringify(o.profile) === JSON.stringify(s.profile)) !== i)
        invalid(`subjects[${i}]`, 'names the same customer and profile twice')
    })
    const at = now.toISOString()
    const by = operatorName()
    const r: Request = {
      id: `${hashOf(at + Math.random()).slice(0, 8)}-${hashOf(at).slice(8, 12)}-4${hashOf(by).slice(0, 3)}-a${hashOf(at + by).slice(0, 3)}-${hashOf(String(Math.random())).slice(0, 12)}`,
      version: 0,
      kind: d.kind,
      received: clone(d.received),
      channel: d.channel,
      ticket,
      subjects,
      identityChecks: [],
      assignee: typeof d.assignee === 'string' && d.assignee.trim() ? d.assignee.trim() : null,
      status: { state: 'new' },
      notes: [],
      extension: null,
      deadline: deadlineOf(d.kind, receivedDay(d.received), false),
      events: [{ at, by, what: { type: 'created' } }],
      createdAt: at,
      updatedAt: at,
    }
    state.requests.push(r)
    append({ action: 'request_event', customer: subjects.length === 1 ? subjects[0]!.customerNumber : undefined, ticket, detail: `request opened: ${d.kind}` })
    return requestView(r, agentToday(offset))
  }
  const findRequest = (id: string) => state.requests.find((r) => r.id === id) ?? fail('not_found', `request ${id} does not exist`)
  const actOn = (id: string, version: number, a: RequestAction, offset: number): RequestView => {
    const r = findRequest(id)
    if (seed.requestConflicts?.includes(id) || r.version !== version)
      fail(
        'conflict',
        `request ${id} was changed by someone else meanwhile (it is at version ${Math.max(r.version, version + 1)}, the change was made to version ${version}): reload it and make the change again`,
      )
    const at = new Date().toISOString()
    const by = operatorName()
    const final = () => {
      if (!isOpenStatus(r.status.state) && r.status.state !== 'answered') invalid(a.action === 'identity_check' ? 'identity_checks' : a.action, `cannot change a request that is ${r.status.state}`)
    }
    const events = r.events
    switch (a.action) {
      case 'identity_check': {
        final()
        const asked = checkText('asked', a.asked, 2000)
        r.identityChecks.push({ asked, matched: Boolean(a.matched), by, at })
        events.push({ at, by, what: { type: 'identity_checked', matched: Boolean(a.matched) } })
        break
      }
      case 'status': {
        const from = r.status.state
        const allowed: StatusKind[] = from === 'new' ? ['in_progress', 'refused'] : from === 'in_progress' ? ['answered', 'refused'] : from === 'answered' ? ['closed'] : []
        const to = a.to.state
        if (!allowed.includes(to)) invalid('status', `cannot go from ${from} to ${to} (next: ${allowed.length ? allowed.join(' or ') : 'none, it is final'})`)
        if (to === 'in_progress' && !r.identityChecks.some((c) => c.matched))
          invalid('identity_checks', 'starting work on a request needs at least one identity check that matched')
        let open: OpenItem[] = []
        if (to === 'closed') {
          open = openItems(r)
          if (open.length > 0 && !a.force)
            invalid('status', `the request still has open items (${open.length}); close with force to record them as left open`)
        }
        r.status = a.to.state === 'refused' ? { state: 'refused', reason: checkText('reason', a.to.reason, 2000) } : { state: to } as Request['status']
        events.push({ at, by, what: { type: 'status_changed', from, to, forced: open.length > 0, open } })
        break
      }
      case 'extend': {
        if (r.kind === 'card_refusal' || r.kind === 'erasure152') invalid('extension', `a ${r.kind} request has no extension in law`)
        if (r.extension) invalid('extension', 'the term was already extended')
        if (!isOpenStatus(r.status.state)) invalid('extension', 'only a request that is new or in progress can be extended')
        const reason = checkText('reason', a.reason, 2000)
        const notice = String(a.noticeSentOn).trim()
        if (!/^\d{4}-\d{2}-\d{2}$/.test(notice)) invalid('notice_sent_on', 'must be a date YYYY-MM-DD')
        const received = receivedDay(r.received)
        const original = deadlineOf(r.kind, received, false)!
        if (notice < received) invalid('notice_sent_on', 'must not be before the request was received')
        if (notice > agentToday(offset)) invalid('notice_sent_on', 'must not be in the future')
        if (notice > original.due) invalid('notice_sent_on', `the reasoned notice must be sent by the original last day, ${original.due}`)
        r.extension = { noticeSentOn: notice, reason, originalDue: original.due, by, at }
        r.deadline = deadlineOf(r.kind, received, true)
        events.push({ at, by, what: { type: 'extended', notice, due: r.deadline!.due } })
        break
      }
      case 'note': {
        const text = checkText('note', a.text, 4000)
        r.notes.push({ text, by, at })
        events.push({ at, by, what: { type: 'note_added' } })
        break
      }
      case 'assign': {
        if (!isOpenStatus(r.status.state) && r.status.state !== 'answered') invalid('assignee', `cannot change a request that is ${r.status.state}`)
        const assignee = typeof a.assignee === 'string' && a.assignee.trim() ? checkText('assignee', a.assignee, 100) : null
        r.assignee = assignee
        events.push({ at, by, what: { type: 'assigned', assignee } })
        break
      }
      default:
        invalid('action', 'unknown action')
    }
    r.version += 1
    r.updatedAt = at
    append({ action: 'request_event', ticket: r.ticket, detail: `request ${r.id}: ${a.action}` })
    return requestView(r, agentToday(offset))
  }
  /** desk/request_documents.rs parties_or_settings: a blank operator takes Settings → Documents'
   * (name and address), an absent (null) processor Settings' processor. */
  const fromSettings = (d: { operatorName: string; operatorAddress: string; processorName: string | null; processorAddress: string | null }) => {
    const doc = state.status.settings.documents
    const operator = d.operatorName.trim() || !doc ? { operatorName: d.operatorName, operatorAddress: d.operatorAddress } : { operatorName: doc.operatorName, operatorAddress: doc.operatorAddress }
    const processor = d.processorName === null && doc ? { processorName: doc.processorName, processorAddress: doc.processorAddress } : { processorName: d.processorName, processorAddress: d.processorAddress }
    return { ...operator, ...processor }
  }
  /** desk/register.rs documents: checked, "saved" under the agent's Documents, recorded with their SHA-256. */
  const record = (r: Request, docs: Array<{ kind: DocumentKind; name: string }>, offset: number): ProducedDocument[] => {
    const at = new Date().toISOString()
    const by = operatorName()
    const made = docs.map((d) => ({ ...d, sha256: hashOf(`${r.id}:${d.name}:${at}`) }))
    for (const d of made) r.events.push({ at, by, what: { type: 'document_produced', ...d } })
    r.version += 1
    r.updatedAt = at
    append({ action: 'request_event', ticket: r.ticket, detail: `request ${r.id}: ${docs.length} document(s) produced` })
    state.lastExport = `/home/anna/Documents/${made[made.length - 1]!.name}`
    const view = requestView(r, agentToday(offset))
    return made.map((d) => ({ ...d, path: `/home/anna/Documents/${d.name}`, request: clone(view) }))
  }
  const documentsFor = (id: string, version: number) => {
    const r = findRequest(id)
    if (r.version !== version)
      fail('conflict', `request ${id} was changed by someone else meanwhile (it is at version ${r.version}, the change was made to version ${version}): reload it and make the change again`)
    if (r.status.state === 'closed' || r.status.state === 'refused') invalid('request', `cannot change a request that is ${r.status.state}`)
    const holding = r.subjects.filter((s) => (state.lookups[s.customerNumber]?.cards.length ?? 0) > 0)
    if (holding.length > 0) {
      const c = holding[0]!.customerNumber
      const n = state.lookups[c]!.cards.length
      fail('validation', { en: `request: customer ${c} still holds ${n} saved card(s); remove them first`, ru: `обращение: у клиента ${c} ещё сохранено карт: ${n}; сначала удалите их` }, 'request')
    }
    return r
  }
  const stem = (r: Request) => (r.ticket ?? r.id.slice(0, 8)).replace(/[^\w-]+/g, '_')
  const confirmation = (id: string, version: number, offset: number): ProducedDocument | null => {
    const r = documentsFor(id, version)
    if (r.kind !== 'card_refusal') invalid('request', 'a confirmation is made for a refusal of saved cards only')
    if (seed.documentAnswer === 'cancel') return null
    return record(r, [{ kind: 'confirmation', name: `confirmation-376fz-${stem(r)}.pdf` }], offset)[0]!
  }
  /** desk/access_answer.rs: an access request, identified, one customer; cards may be held (they are listed). */
  const accessAnswer = (id: string, version: number, given: AccessDetails, offset: number): ProducedDocument | null => {
    const d = { ...given, ...fromSettings(given) }
    const r = findRequest(id)
    if (r.version !== version)
      fail('conflict', `request ${id} was changed by someone else meanwhile (it is at version ${r.version}, the change was made to version ${version}): reload it and make the change again`)
    if (r.kind !== 'access152' && r.kind !== 'access_gdpr') invalid('document', 'an answer about the data held is made for an access request')
    if (!r.identityChecks.some((c) => c.matched))
      fail('validation', { en: 'document: goes only to a person identified as the customer: record an identity check that matched first', ru: 'документ: направляется только тому, кто подтвердил, что он клиент: сначала запишите успешную проверку личности' }, 'document')
    const required: Array<[keyof AccessDetails, string, string, string]> = [
      ['operatorName', 'operator_name', 'operator', 'оператор'],
      ['operatorAddress', 'operator_address', 'operator’s address', 'адрес оператора'],
      ['purposes', 'purposes', 'purposes', 'цели'],
      ['legalGrounds', 'legal_grounds', 'legal grounds', 'правовые основания'],
      ['methods', 'methods', 'methods', 'способы обработки'],
      ['source', 'source', 'source', 'источник'],
      ['storage', 'storage', 'storage', 'сроки хранения'],
      ['rights', 'rights', 'rights', 'права'],
    ]
    for (const [key, field, en, ru] of required) {
      if (!String(d[key] ?? '').trim()) fail('validation', { en: `${en}: must be 1–2000 characters without control characters`, ru: `${ru}: от 1 до 2000 символов без управляющих символов` }, field)
    }
    if (seed.documentAnswer === 'cancel') return null
    return record(r, [{ kind: 'answer', name: `carddesk-${r.id.slice(0, 8)}-answer.pdf` }], offset)[0]!
  }
  const erasureDocuments = (id: string, version: number, given: ErasureDetails, offset: number): ProducedDocument[] | null => {
    const r = documentsFor(id, version)
    const d = { ...given, ...fromSettings(given) }
    if (!d.informationSystem.trim()) d.informationSystem = state.status.settings.documents?.informationSystem ?? ''
    if (r.kind !== 'erasure152' && r.kind !== 'erasure_gdpr') invalid('request', 'an act of destruction is made for an erasure request only')
    const words: Record<string, [string, string]> = {
      operator_name: ['operator name', 'наименование оператора'],
      operator_address: ['operator address', 'адрес оператора'],
      processor_name: ['processor name', 'наименование обработчика'],
      processor_address: ['processor address', 'адрес обработчика'],
      information_system: ['information system', 'информационная система'],
    }
    const blank = (field: string, v: unknown) => {
      if (!String(v ?? '').trim()) fail('validation', { en: `${words[field]![0]}: must not be blank`, ru: `${words[field]![1]}: не может быть пустым` }, field)
    }
    blank('operator_name', d.operatorName)
    blank('operator_address', d.operatorAddress)
    if (Boolean(d.processorName?.trim()) !== Boolean(d.processorAddress?.trim()))
      fail('validation', { en: 'processor address: give both the processor’s name and address, or neither', ru: 'адрес обработчика: укажите и наименование, и адрес обработчика — или ничего' }, d.processorName?.trim() ? 'processor_address' : 'processor_name')
    blank('information_system', d.informationSystem)
    if (!Array.isArray(d.destroyedBy) || d.destroyedBy.length === 0)
      fail('validation', { en: 'destroyed by: name at least one person', ru: 'уничтожили: укажите хотя бы одного человека' }, 'destroyed_by')
    d.destroyedBy.forEach((p, i) => {
      if (!String(p.name ?? '').trim()) fail('validation', { en: `destroyed by ${i + 1}, name: must not be blank`, ru: `уничтожил ${i + 1}, ФИО: не может быть пустым` }, `destroyed_by[${i}].name`)
      if (!String(p.position ?? '').trim()) fail('validation', { en: `destroyed by ${i + 1}, position: must not be blank`, ru: `уничтожил ${i + 1}, должность: не может быть пустой` }, `destroyed_by[${i}].position`)
    })
    if (!r.events.some((e) => e.what.type === 'removal_linked'))
      fail('validation', { en: 'request: nothing was removed for it yet; remove the customer’s cards first', ru: 'обращение: по нему ещё ничего не удалено; сначала удалите карты клиента' }, 'request')
    if (seed.documentAnswer === 'cancel') return null
    const s = stem(r)
    return record(r, [
      { kind: 'destruction_act', name: `act-of-destruction-${s}.pdf` },
      { kind: 'log_export', name: `event-log-${s}.pdf` },
      { kind: 'log_export', name: `event-log-${s}.csv` },
    ], offset)
  }
  const listRequests = (f: RequestFilter, offset: number) => {
    const today = agentToday(offset)
    const matches = (r: Request) =>
      (f.statuses.length === 0 || f.statuses.includes(r.status.state)) &&
      (!f.openOnly || isOpenStatus(r.status.state)) &&
      (!f.kind || f.kind === r.kind) &&
      (!f.assignee || r.assignee === f.assignee) &&
      (!f.customerNumber || r.subjects.some((s) => s.customerNumber === f.customerNumber)) &&
      (!f.dueBy || (r.deadline !== null && r.deadline.due <= f.dueBy))
    const order = (a: Request, b: Request) => {
      const [x, y] = [a.deadline?.due ?? null, b.deadline?.due ?? null]
      const byDue = x && y ? x.localeCompare(y) : x ? -1 : y ? 1 : 0
      return byDue || receivedDay(a.received).localeCompare(receivedDay(b.received)) || a.id.localeCompare(b.id)
    }
    const open = state.requests.filter((r) => isOpenStatus(r.status.state))
    const counts = {
      open: open.length,
      dueToday: open.filter((r) => dueState(r, today) === 'due_today').length,
      overdue: open.filter((r) => dueState(r, today) === 'overdue').length,
      noDeadline: open.filter((r) => r.deadline === null).length,
      provisional: open.filter((r) => r.deadline?.provisional || r.deadline?.beyondCalendar).length,
    }
    return { requests: state.requests.filter(matches).sort(order).map((r) => requestView(r, today)), counts, today }
  }

  // Team mode (team_mode.rs, desk_team::TeamSettings::check): the setup's rules with Rust's
  // words in both languages and the field they name; a shipping loop that catches up whenever
  // the window looks (team_view), unless the database is away; Test connection's verdict.
  const TEAM_MIGRATIONS = ['V1__team_trail', 'V2__request_register']
  const teamLoopback = (host: string) => host.startsWith('/') || /^(localhost|127(\.\d{1,3}){3}|::1)$/i.test(host)
  const teamTarget = (s: TeamSetup) => `${s.user}@${s.host.trim()}:${s.port}/${s.database}`
  const TEAM_LABELS: Record<string, [string, string]> = {
    host: ['host', 'адрес сервера'],
    port: ['port', 'порт'],
    database: ['database', 'база данных'],
    user: ['user', 'пользователь'],
    password: ['password', 'пароль'],
  }
  const teamInvalid = (field: string, en: string, ru: string): never =>
    fail('validation', { en: `${TEAM_LABELS[field]![0]}: ${en}`, ru: `${TEAM_LABELS[field]![1]}: ${ru}` }, field)
  const checkTeamSetup = (s: TeamSetup) => {
    const host = s.host.trim()
    if (host === '') teamInvalid('host', 'must not be empty', 'не может быть пустым')
    if (host.length > 253) teamInvalid('host', 'must be at most 253 characters', 'не длиннее 253 символов')
    // eslint-disable-next-line no-control-regex
    if (/[\s\u0000-\u001f]/.test(host)) teamInvalid('host', 'must not contain spaces or control characters', 'без пробелов и управляющих символов')
    if (!host.startsWith('/') && !/^[0-9a-f:.]+$/i.test(host) && !host.split('.').every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(l)))
      teamInvalid('host', 'must be a host name, an IP address, or a socket directory starting with /', 'имя сервера, IP-адрес или каталог сокета, начинающийся с /')
    if (!(s.port >= 1 && s.port <= 65535)) teamInvalid('port', 'must be between 1 and 65535', 'число от 1 до 65535')
    for (const field of ['database', 'user'] as const) {
      const v = s[field]
      if (v === '') teamInvalid(field, 'must not be empty', 'не может быть пустым')
      if (new TextEncoder().encode(v).length > 63) teamInvalid(field, "must be at most 63 bytes (PostgreSQL's limit on a name)", 'не длиннее 63 байт (предел PostgreSQL)')
      if (v.trim() !== v) teamInvalid(field, 'must not begin or end with a space', 'без пробелов в начале и в конце')
    }
    const name = s.deskName.trim()
    if (name === '' || [...name].length > 80)
      fail(
        'validation',
        {
          en: 'desk name: must be 1 to 80 characters (what the team calls this desk)',
          ru: 'название рабочего места: от 1 до 80 символов (как команда называет это рабочее место)',
        },
        'deskName',
      )
  }
  const teamUnreachable = (s: TeamSetup): DeskError => {
    const said = `could not reach PostgreSQL at ${teamTarget(s)}: Connection refused (os error 111)`
    return { code: 'transport', message: said, ru: `Не удалось связаться с базой команды: ${said}` }
  }
  const teamView = (): TeamView => {
    const t = state.team
    const localLast = seed.team?.localLast ?? state.audit.length
    const shipping = t.setup !== null && t.passwordStored
    if (shipping && !t.unreachable) {
      t.shippedThrough = localLast
      t.lastContact = new Date().toISOString()
    }
    const problem: DeskError | null =
      t.setup === null
        ? null
        : !t.passwordStored
          ? {
              code: 'credentials_missing',
              message: 'no password is stored for the team database: entries wait until one is set',
              ru: 'Пароль к базе команды не сохранён: записи ждут, пока его не зададут',
            }
          : t.unreachable
            ? teamUnreachable(t.setup)
            : null
    return {
      setup: clone(t.setup),
      passwordStored: t.passwordStored,
      deskId: t.setup ? '0f8e2a51-3c47-4d0b-9a6e-5b1c7d2e4f60' : null,
      shipping,
      localLast,
      shippedThrough: t.shippedThrough,
      behind: Math.max(0, localLast - t.shippedThrough),
      lastContact: t.lastContact,
      problem,
      sharedRegister: shipping,
    }
  }
  const testTeam = (s: TeamSetup, password: string | null): TeamCheck => {
    checkTeamSetup(s)
    const planned = seed.team?.test
    if (planned && 'code' in planned) throw clone(planned)
    if (planned) return clone(planned)
    const pw = password ?? (state.team.passwordStored ? (state.passwords['team'] ?? '') : null)
    if (pw === null)
      fail('credentials_missing', {
        en: 'no password is stored for the team database: type it to test',
        ru: 'Пароль к базе команды не сохранён: введите его для проверки',
      })
    if (state.team.unreachable) throw teamUnreachable(s)
    if (seed.team?.password !== undefined && pw !== seed.team.password) {
      const said = `PostgreSQL refused the login ${teamTarget(s)}: password authentication failed for user "${s.user}"`
      fail('team', { en: said, ru: `База команды не приняла вход (проверьте пользователя и пароль): ${said}` })
    }
    const appliedNow = TEAM_MIGRATIONS.filter((m) => !state.team.migrations.includes(m))
    state.team.migrations = [...TEAM_MIGRATIONS]
    return {
      serverVersion: '16.4 (Debian 16.4-1.pgdg120+1)',
      user: s.user,
      roles: appliedNow.length > 0 ? ['owner'] : ['carddesk_agent'],
      migrations: [...TEAM_MIGRATIONS],
      appliedNow,
      encrypted: !teamLoopback(s.host.trim()),
    }
  }

  // Four-eyes (four_eyes.rs, desk_team approvals): the team's policy and approval requests, read
  // and decided through the team database, so refused as Rust refuses when team mode is off, has
  // no password or the database is away; a supervisor decides, never on their own request, once.
  const teamLink = () => {
    const t = state.team
    if (!t.setup) fail('team', { en: 'team mode is off: set it up in Settings → Team', ru: 'Командный режим выключен: настройте его в Настройках → Команда' })
    if (!t.passwordStored)
      fail('credentials_missing', {
        en: 'no password is stored for the team database: entries wait until one is set',
        ru: 'Пароль к базе команды не сохранён: записи ждут, пока его не зададут',
      })
    if (t.unreachable) throw teamUnreachable(t.setup!)
    return t.setup!
  }
  const notSupervisor = (): never =>
    fail('team', {
      en: `the team database refused: permission denied: only a supervisor (carddesk_supervisor) may do this`,
      ru: 'База команды отказала: недостаточно прав: это может только руководитель (carddesk_supervisor)',
    })
  const decideApproval = (id: string, approve: boolean, rawNote: string): Approval => {
    const note = rawNote.trim()
    if (note === '' || [...note].length > 500)
      fail('validation', { en: 'note: must be 1 to 500 characters: say why', ru: 'комментарий: от 1 до 500 символов: объясните решение' }, 'note')
    const login = teamLink().user
    const a = state.team.approvals.find((x) => x.id === id) ?? fail('not_found', `approval ${id}: no such approval`)
    if (!state.team.supervisor) notSupervisor()
    if (a.requestedBy === login)
      fail('team', { en: 'the team database refused: an approval is decided by another person than the one who asked', ru: 'База команды отказала: решение принимает не тот, кто просил' })
    if (a.state !== 'waiting')
      fail('team', { en: `the team database refused: approval ${id} was already decided (${a.state})`, ru: `База команды отказала: по этому запросу уже решено (${a.state})` })
    const name = state.status.settings.operatorName.trim() || (seed.osUser ?? 'anna')
    Object.assign(a, { state: approve ? 'approved' : 'rejected', decidedBy: login, decidedAs: name, decidedAt: new Date().toISOString(), note })
    append({ action: 'approval' as AuditEntry['action'], customer: a.action === 'revoke_all' ? a.subject : undefined, note, detail: `${approve ? 'approved' : 'rejected'} approval ${a.id}: ${a.action} ${a.subject}` })
    return clone(a)
  }
  // Team mode, the rest of the desk (issue 17): what a colleague does meanwhile, as the team's
  // store records it — a new version of the request; a decision by a supervisor, Olga Lead.
  const colleagueTakes = (id: string, assignee: string) => {
    const r = findRequest(id)
    const at = new Date().toISOString()
    r.assignee = assignee
    r.events.push({ at, by: assignee, what: { type: 'assigned', assignee } })
    if (r.status.state === 'new') {
      r.status = { state: 'in_progress' }
      r.events.push({ at, by: assignee, what: { type: 'status_changed', from: 'new', to: 'in_progress', forced: false, open: [] } })
    }
    r.version += 1
    r.updatedAt = at
  }
  const colleagueDecides = (action: string, subject: string, approve: boolean, note: string) => {
    const a = state.team.approvals.filter((x) => x.action === action && x.subject === subject).sort((x, y) => Date.parse(y.requestedAt) - Date.parse(x.requestedAt))[0]
    if (!a) throw new Error(`no approval for ${action} ${subject}`)
    Object.assign(a, { state: approve ? 'approved' : 'rejected', decidedBy: 'olga', decidedAs: 'Olga Lead', decidedAt: new Date().toISOString(), note })
  }
  /** The gate in front of revoke-all in team mode: an approved request is used once; else one is asked for. */
  const fourEyesRevokeAll = (p: ProfileView, customer: string, cards: CardView[]) => {
    const t = state.team
    if (!t.setup) return
    teamLink()
    const production = p.environment === 'production'
    if (!((production && t.policy.productionRevokeAll) || (t.policy.cardsOver !== null && cards.length > t.policy.cardsOver))) return
    const mine = t.approvals.find((a) => a.action === 'revoke_all' && a.subject === customer && a.requestedBy === t.setup!.user)
    if (mine?.state === 'approved' && mine.cards === cards.length) {
      mine.state = 'used'
      return
    }
    const what = { en: "removal of all the customer's cards", ru: 'удаление всех карт клиента' }
    if (mine?.state === 'waiting' && mine.cards === cards.length)
      fail('awaiting_approval', {
        en: `this ${what.en} needs a second person's approval (the team's four-eyes policy): it was asked for at ${mine.requestedAt} and still waits for a supervisor; nothing was sent`,
        ru: `для этого действия (${what.ru}) нужно одобрение второго лица (правило двух подписей команды): запрос отправлен ${mine.requestedAt} и ждёт руководителя; ничего не отправлено`,
      })
    const before = mine?.state === 'rejected' ? { en: ` (the last request was rejected by ${mine.decidedAs}: "${mine.note}")`, ru: ` (прошлый запрос отклонил ${mine.decidedAs}: «${mine.note}»)` } : { en: '', ru: '' }
    t.approvals.unshift({
      id: `ap-${t.approvals.length + 1}-${customer}`,
      desk: '0f8e2a51-3c47-4d0b-9a6e-5b1c7d2e4f60',
      action: 'revoke_all',
      environment: p.environment,
      merchantId: p.merchantId,
      subject: customer,
      cards: cards.length,
      summary: { customer, cards: cards.map((c) => c.masked) },
      requestedBy: t.setup.user,
      requestedAs: state.status.settings.operatorName.trim() || (seed.osUser ?? 'anna'),
      requestedAt: new Date().toISOString(),
      state: 'waiting',
      decidedBy: null,
      decidedAs: null,
      decidedAt: null,
      note: null,
    })
    fail('awaiting_approval', {
      en: `this ${what.en} needs a second person's approval (the team's four-eyes policy): approval was asked for${before.en}; nothing was sent; it can go once a supervisor approves it`,
      ru: `для этого действия (${what.ru}) нужно одобрение второго лица (правило двух подписей команды): запрос на одобрение отправлен${before.ru}; ничего не отправлено; действие можно выполнить после одобрения руководителя`,
    })
  }

  const handler = ((cmd: string, args: Record<string, unknown>) => {
    state.calls.push({ cmd, args: clone(args ?? null) })
    switch (cmd) {
      case 'desk_status':
        return clone(state.status)
      case 'lookup': {
        const customer = checkCustomer(String(args.customer))
        const p = active()
        if (!p.builtIn && !p.hasPassword) fail('credentials_missing', `profile ${p.name}: no password is set; add it in Settings`)
        const err = seed.errors?.[customer]
        if (err) throw clone(err)
        const want = args.want
        if (want !== 'fresh' && want !== 'typed' && want !== 'live') fail('validation', 'want: must be fresh, typed or live')
        const l = want === 'live' && seed.refreshed?.[customer] ? { ...clone(seed.refreshed[customer]) } : lookupIn(p, customer)
        if (l.source === 'live') remember(l)
        // A lookup made from a request names it and is recorded whatever the setting says.
        const from = typeof args.request === 'string' ? state.requests.find((r) => r.id === args.request) : undefined
        if (typeof args.request === 'string' && !from) fail('not_found', `request ${args.request}: no such request`)
        if (from && !from.subjects.some((s) => s.customerNumber.toLowerCase() === customer.toLowerCase())) {
          fail('validation', 'request: does not name this customer: work them under a request about them', 'request')
        }
        if (state.status.settings.recordViews || from) {
          const n = l.cards.length
          append({
            action: 'viewed_customer',
            profile: { id: p.id, name: p.name, environment: p.environment, merchantId: p.merchantId },
            customer,
            ...(from ? { request: from.id, ticket: from.ticket } : {}),
            detail: `${n} card${n === 1 ? '' : 's'} shown, ${l.source === 'live' ? 'fetched from the gateway' : 'from the cache'}`,
            shown: { cards: n, from: l.source === 'live' ? 'gateway' : l.offlineReason ? 'cache_offline' : 'cache' },
          })
        }
        return l
      }
      case 'lookup_all': {
        const customer = checkCustomer(String(args.customer))
        // From a request: refused as a whole for another customer; each view logged under it.
        const from = typeof args.request === 'string' ? state.requests.find((r) => r.id === args.request) : undefined
        if (typeof args.request === 'string' && !from) fail('not_found', `request ${args.request}: no such request`)
        if (from && !from.subjects.some((s) => s.customerNumber.toLowerCase() === customer.toLowerCase())) {
          fail('validation', 'request: does not name this customer: work them under a request about them', 'request')
        }
        return state.status.profiles.map((p) => {
          const planned = seed.byProfile?.[p.id]?.[customer]
          const base = { profileId: p.id, profileName: p.name, environment: p.environment }
          if (planned?.error) return { ...base, lookup: null, error: clone(planned.error) }
          if (planned?.lookup) return { ...base, lookup: { ...clone(planned.lookup), profileId: p.id, profileName: p.name, environment: p.environment }, error: null }
          if (!p.builtIn && !p.hasPassword)
            return { ...base, lookup: null, error: { code: 'credentials_missing', message: `profile ${p.name}: no password is set; add it in Settings` } }
          const l = lookupIn(p, customer)
          if (state.status.settings.recordViews || from) {
            const n = l.cards.length
            append({
              action: 'viewed_customer',
              profile: { id: p.id, name: p.name, environment: p.environment, merchantId: p.merchantId },
              customer,
              ...(from ? { request: from.id, ticket: from.ticket } : {}),
              detail: `${n} card${n === 1 ? '' : 's'} shown, ${l.source === 'live' ? 'fetched from the gateway' : 'from the cache'}`,
              shown: { cards: n, from: l.source === 'live' ? 'gateway' : l.offlineReason ? 'cache_offline' : 'cache' },
            })
          }
          return { ...base, lookup: l, error: null }
        })
      }
      case 'recent_customers': {
        const q = String(args.query ?? '').toLowerCase()
        return state.recent.filter((r) => r.customer.toLowerCase().includes(q))
      }
      case 'forget_customer':
        state.recent = state.recent.filter((r) => r.customer !== String(args.customer).trim())
        return null
      case 'update_check':
        return clone(seed.update?.check ?? { kind: 'current', current: state.status.version })
      case 'update_install':
        return clone(seed.update?.install ?? { kind: 'nothingOffered' })
      case 'restart':
        return null
      case 'startup_painted':
        return null
      case 'first_frame_data':
        // Rust's key is a hash of the page and the data; here, of the data alone.
        return { key: frameKey({ status: state.status, recent: state.recent.slice(0, 50) }), status: clone(state.status), recent: clone(state.recent.slice(0, 50)) }
      case 'keep_first_frame':
        state.keptFrame = { key: String(args.key), root: clone(args.root as FrameRoot), markup: String(args.markup) }
        return null
      case 'about':
        return {
          version: '0.1.0',
          build: '6ea90c7a1b2c',
          configDir: '/home/anna/.config/ru.carddesk.app',
          dataDir: '/home/anna/.local/share/ru.carddesk.app',
          auditLog: '/home/anna/.local/share/ru.carddesk.app/audit/audit.jsonl',
          components: [
            { name: 'tauri', version: '2.12.0', license: 'Apache-2.0 OR MIT', kind: 'crate' },
            { name: 'sled', version: '0.34.7', license: 'MIT OR Apache-2.0', kind: 'crate' },
            { name: 'pdfjs-dist', version: '5.6.205', license: 'Apache-2.0', kind: 'npm' },
          ],
        }
      case 'set_language':
      {
        const language = args.language
        if (language !== 'en' && language !== 'ru') return fail('validation', 'language: must be en or ru')
        state.language = language
        return null
      }
      case 'clear_cache':
        state.recent = []
        return null
      case 'save_profile': {
        const id = (args.id as string | null) ?? null
        const draft = args.draft as ProfileDraft
        const password = args.password as string | null
        if (password && password.length > 30) fail('validation', 'password: must be 1–30 characters')
        if (id === 'sandbox') fail('validation', 'profile: the built-in sandbox profile cannot be changed')
        validateDraft(draft, id)
        const newId = id ?? `p-${state.status.profiles.length}-${Math.random().toString(16).slice(2, 8)}`
        const old = id ? profile(id) : null
        if (password) state.passwords[newId] = password
        const view: ProfileView = {
          id: newId,
          name: draft.name.trim(),
          environment: draft.environment.toLowerCase() as ProfileView['environment'],
          baseUrl: draft.baseUrl.replace(/\/+$/, ''),
          merchantId: draft.merchantId,
          login: draft.login,
          language: draft.language.toUpperCase(),
          colour: draft.colour.toLowerCase(),
          builtIn: false,
          hasPassword: Boolean(password) || (old?.hasPassword ?? false),
          passwordUnknown: false,
        }
        state.status.profiles = old ? state.status.profiles.map((p) => (p.id === newId ? view : p)) : [...state.status.profiles, view]
        return clone(view)
      }
      case 'delete_profile': {
        const id = String(args.id)
        if (id === 'sandbox') fail('validation', 'profile: the built-in sandbox profile cannot be deleted')
        profile(id)
        state.status.profiles = state.status.profiles.filter((p) => p.id !== id)
        delete state.passwords[id]
        if (state.status.activeProfileId === id) state.status.activeProfileId = state.status.profiles[0]?.id ?? 'sandbox'
        return null
      }
      case 'activate_profile':
        profile(String(args.id))
        state.status.activeProfileId = String(args.id)
        return null
      case 'set_password': {
        const p = profile(String(args.id))
        const pw = String(args.password)
        if (pw.length < 1 || pw.length > 30) fail('validation', 'password: must be 1–30 characters')
        state.passwords[p.id] = pw
        p.hasPassword = true
        return null
      }
      case 'clear_password': {
        const p = profile(String(args.id))
        delete state.passwords[p.id]
        p.hasPassword = false
        return null
      }
      case 'test_connection': {
        const p = profile(String(args.id))
        const planned = seed.connection?.[p.id]
        if (planned) return clone(planned)
        if (!p.builtIn && !p.hasPassword)
          return { verdict: 'no_password', message: `profile ${p.name}: no password is set; add it in Settings`, ru: `профиль «${p.name}»: пароль не задан; добавьте его в настройках` }
        return { verdict: 'ok', message: 'the gateway accepted the credentials', ru: 'шлюз принял учётные данные' }
      }
      case 'save_settings': {
        const s = args.settings as DeskStatus['settings']
        if (s.freshnessMinutes > 10080) fail('validation', 'freshness minutes: must be 0–10080 (at most a week)')
        if ([...s.operatorName.trim()].length > 60) fail('validation', 'operator name: must be at most 60 characters without control characters')
        s.operatorName = s.operatorName.trim()
        s.documents = checkedDocuments(s.documents)
        s.webhookUrl = (s.webhookUrl ?? '').trim()
        if (s.webhookUrl && !/^(https:\/\/[^/\s]+|http:\/\/(localhost|127\.0\.0\.1)(:\d+)?)(\/\S*)?$/.test(s.webhookUrl)) {
          fail(
            'validation',
            {
              en: 'webhook URL: must be a full https:// address (plain http only to this machine: localhost, 127.0.0.1)',
              ru: 'адрес вебхука: должен быть полным адресом https:// (http — только к этому компьютеру: localhost, 127.0.0.1)',
            },
            'webhook_url',
          )
        }
        state.status.settings = clone(s)
        state.writeBack.url = s.webhookUrl
        state.writeBack.delivering = s.webhookUrl !== '' && state.writeBack.secretStored === true
        return clone(s)
      }
      case 'write_back':
        return clone(state.writeBack)
      case 'set_webhook_secret': {
        const secret = String(args.secret)
        if ([...secret].length < 16) {
          fail(
            'validation',
            {
              en: 'webhook secret: must be at least 16 characters (the receiver\'s shared secret)',
              ru: 'секрет вебхука: не короче 16 символов (общий секрет с получателем)',
            },
            'webhook_secret',
          )
        }
        state.passwords['webhook'] = secret
        state.writeBack.secretStored = true
        state.writeBack.delivering = state.writeBack.url !== ''
        if (state.writeBack.problem?.startsWith('no signing secret')) state.writeBack.problem = null
        return null
      }
      case 'clear_webhook_secret':
        delete state.passwords['webhook']
        state.writeBack.secretStored = false
        state.writeBack.delivering = false
        return null
      case 'write_back_retry': {
        const event = state.writeBack.pending.find((e) => e.id === args.id)
        if (!event) fail('not_found', `webhook event ${String(args.id)}: not in the outbox`)
        else if (event.state === 'failed') {
          event.state = 'waiting'
          event.nextAttemptAt = null
        }
        return null
      }
      case 'write_back_discard': {
        const at = state.writeBack.pending.findIndex((e) => e.id === args.id)
        if (at < 0) fail('not_found', `webhook event ${String(args.id)}: not in the outbox`)
        const [event] = state.writeBack.pending.splice(at, 1)
        state.writeBack.history.discardedTotal += 1
        state.writeBack.history.recent.unshift({
          id: event!.id,
          kind: event!.kind,
          requestId: event!.requestId,
          occurredAt: event!.occurredAt,
          settlement: 'discarded',
          settledAt: new Date().toISOString(),
          attempts: event!.attempts,
          status: null,
        })
        return null
      }
      case 'team_view':
        return teamView()
      case 'save_team_setup': {
        const setup = args.setup as TeamSetup | null
        if (setup) checkTeamSetup(setup)
        state.team.setup = setup ? { ...clone(setup), host: setup.host.trim(), deskName: setup.deskName.trim() } : null
        state.team.shippedThrough = 0
        state.team.lastContact = null
        return teamView()
      }
      case 'set_team_password': {
        const password = String(args.password)
        if (password === '') teamInvalid('password', 'must not be empty', 'не может быть пустым')
        state.passwords['team'] = password
        state.team.passwordStored = true
        return null
      }
      case 'clear_team_password':
        delete state.passwords['team']
        state.team.passwordStored = false
        return null
      case 'test_team':
        return testTeam(args.setup as TeamSetup, args.password === null || args.password === undefined ? null : String(args.password))
      case 'team_approvals': {
        teamLink()
        const all = state.team.approvals.filter((a) => args.waitingOnly !== true || a.state === 'waiting')
        return clone([...all].sort((a, b) => Date.parse(b.requestedAt) - Date.parse(a.requestedAt)))
      }
      case 'decide_approval':
        return decideApproval(String(args.id), args.approve === true, String(args.note ?? ''))
      case 'team_policy': {
        teamLink()
        const view: TeamPolicyView = { policy: clone(state.team.policy), supervisor: state.team.supervisor }
        return view
      }
      case 'set_team_policy': {
        teamLink()
        if (!state.team.supervisor) notSupervisor()
        const over = args.cardsOver === null || args.cardsOver === undefined ? null : Number(args.cardsOver)
        if (over !== null && !(Number.isInteger(over) && over >= 0 && over <= 2147483647))
          fail('validation', { en: 'cards over: must be a whole number from 0', ru: 'порог карт: целое число от 0' }, 'cardsOver')
        const name = state.status.settings.operatorName.trim() || (seed.osUser ?? 'anna')
        state.team.policy = { productionBulk: args.productionBulk === true, productionRevokeAll: args.productionRevokeAll === true, cardsOver: over, setBy: name }
        return clone(state.team.policy)
      }
      case 'revoke_card':
        return later(() => revokeOne(args.request as RevokeRequest))
      case 'revoke_all_cards':
        return later(() => revokeAll(args.request as RevokeAllRequest))
      case 'check_removal':
        return later(() => checkRemoval(Number(args.intentSeq)))
      case 'audit_query':
        return queryAudit(args.query as AuditQuery)
      case 'team_audit':
        return teamAuditPage(args.query as AuditQuery)
      case 'audit_size':
        // Grows with every entry, as the real file does.
        return state.audit.length * 300
      case 'audit_verify': {
        if (seed.verify) return clone(seed.verify)
        const settled = new Set(state.audit.map((e) => e.intentSeq).filter((n) => n !== null))
        const open = state.audit.filter((e) => e.action === 'revoke_intent' && !settled.has(e.seq)).map((e) => e.seq)
        const result: Verification = {
          entries: state.audit.length,
          ok: true,
          firstBroken: null,
          repaired: [],
          openIntents: open,
          lastHash: state.audit[state.audit.length - 1]?.hash ?? GENESIS,
          clockWarnings: [],
        }
        return result
      }
      case 'audit_export': {
        if (args.format !== 'csv' && args.format !== 'json') fail('validation', 'format: must be csv or json')
        if (seed.exportAnswer === 'cancel') return null
        if (seed.exportAnswer) throw clone(seed.exportAnswer)
        const filters = args.filters as AuditQuery | null
        const count = filters ? queryAudit({ ...filters, offset: 0, limit: 1000 }).total : state.audit.length
        state.lastExport = `/home/anna/Documents/carddesk-audit-2026-12-06.${args.format}`
        return { count, path: state.lastExport }
      }
      case 'request_new':
        return newRequest(args.draft as RequestDraft, Number(args.utcOffsetMinutes ?? 0))
      case 'requests':
        return listRequests(args.filter as RequestFilter, Number(args.utcOffsetMinutes ?? 0))
      case 'request':
        return requestView(findRequest(String(args.id)), agentToday(Number(args.utcOffsetMinutes ?? 0)))
      case 'request_act':
        return actOn(String(args.id), Number(args.version), args.action as RequestAction, Number(args.utcOffsetMinutes ?? 0))
      case 'request_confirmation':
        return confirmation(String(args.id), Number(args.version), Number(args.utcOffsetMinutes ?? 0))
      case 'request_access_answer':
        return accessAnswer(String(args.id), Number(args.version), args.details as AccessDetails, Number(args.utcOffsetMinutes ?? 0))
      case 'request_erasure_documents':
        return erasureDocuments(String(args.id), Number(args.version), args.details as ErasureDetails, Number(args.utcOffsetMinutes ?? 0))
      case 'link_feed': {
        // Rust keeps the channel and sends each link as it arrives; those that came before at once.
        type Internals = { runCallback?: (id: number, data: unknown) => void; callbacks?: Map<number, unknown> }
        const channel = args.onLink
        const id = channel !== null && typeof channel === 'object' && 'id' in channel ? Number((channel as { id: unknown }).id) : Number(String(channel).replace('__CHANNEL__:', ''))
        let index = 0
        state.pushLink = (message: LinkMessage) => {
          const internals = (globalThis as unknown as { __TAURI_INTERNALS__?: Internals }).__TAURI_INTERNALS__
          if (internals?.callbacks?.has(id) !== true) return false
          internals.runCallback?.(id, { message: clone(message), index: index++ })
          return true
        }
        for (const m of seed.links ?? []) setTimeout(() => state.pushLink(m), 0)
        return null
      }
      case 'reveal_export':
        if (!state.lastExport) return fail('not_found', 'nothing was exported in this session')
        state.revealed.push(state.lastExport)
        return null
      default:
        return fail('internal', `unknown command ${cmd}`)
    }
  }) as FakeHandler
  handler.state = state
  return handler
}

