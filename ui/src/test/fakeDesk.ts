// A stand-in for the Rust side, answering IPC commands the way the desk does (validation
// messages that name the field, passwords that only go in, the recent list, profiles that can be
// added, edited, activated and deleted; the revoke workflow with its intent and outcome entries
// in a hash-chained audit log, replies for the customer, audit queries, verify and export). Used
// under mockIPC in Vitest and in Playwright, where it is sent to the page as source text: so it
// must stay self-contained — no imports at run time, no references to anything outside this
// function.
import type { BulkSeed } from './fakeBulk'
import type {
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
  RecentCustomer,
  Recovery,
  Revocation,
  RevokeAllItem,
  RevokeAllRequest,
  RevokeRequest,
  Verification,
} from '../lib/ipc'

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
  intentSeq?: number
}

/** What revoking one card (by token) comes to in the fake: an outcome, or an error thrown. */
export type PlannedRevoke =
  | { outcome: AuditOutcome; faultCodes?: string; detail?: string; readBack?: ReadBack }
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
  checkAgain?: { outcome: AuditOutcome } | { leftOpen: string }
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
}

export type FakeHandler = ((cmd: string, args: Record<string, unknown>) => unknown) & { state: FakeState }

export function fakeDesk(seed: Seed): FakeHandler {
  const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T
  const state: FakeState = {
    status: clone(seed.status),
    recent: clone(seed.recent ?? []),
    lookups: clone(seed.lookups),
    audit: clone(seed.audit ?? []),
    passwords: {},
    calls: [],
  }
  /** Throws as Rust answers: `{code, message}`, and `field` for a validation error about one. */
  const fail = (code: DeskError['code'], message: string, field?: string): never => {
    throw field === undefined ? { code, message } : { code, message, field }
  }
  const FORBIDDEN = /[<>"='/();#]/
  const checkCustomer = (c: string) => {
    const v = c.trim()
    if (v.length === 0 || [...v].length > 32) fail('validation', 'customer number: must be 1–32 characters')
    if (FORBIDDEN.test(v)) fail('validation', 'customer number: must not contain < > " = \' / ( ) ; #')
    return v
  }
  const profile = (id: string) => state.status.profiles.find((p) => p.id === id) ?? fail('not_found', `profile ${id}: no such profile`)
  const validateDraft = (d: ProfileDraft, id: string | null) => {
    const name = d.name.trim()
    if (name.length < 1 || name.length > 60) fail('validation', 'name: must be 1–60 characters', 'name')
    if (state.status.profiles.some((p) => p.id !== id && p.name.toLowerCase() === name.toLowerCase()))
      fail('validation', 'name: must be unique (another profile has this name)', 'name')
    if (!['sandbox', 'test', 'production'].includes(d.environment.toLowerCase())) fail('validation', 'environment: must be sandbox, test or production', 'environment')
    if (!/^https:\/\//.test(d.baseUrl) && !/^http:\/\/(127\.|localhost)/.test(d.baseUrl))
      fail('validation', 'base URL: must use https:// (http:// is allowed only for loopback)', 'base_url')
    if (!/^\d{1,15}$/.test(d.merchantId) || Number(d.merchantId) > 2147483647)
      fail('validation', 'merchant id: must be 1–15 digits with a value of at most 2147483647', 'merchant_id')
    if (d.login.length < 1 || d.login.length > 20) fail('validation', 'login: must be 1–20 characters', 'login')
    if (!/^(RU|EN)$/i.test(d.language)) fail('validation', 'language: must be RU or EN', 'language')
    if (!/^#[0-9a-f]{6}$/i.test(d.colour)) fail('validation', 'colour: must be #rrggbb (a # and six hex digits)', 'colour')
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
    return { p, customer, note, ticket }
  }
  const LABELS: Record<AuditOutcome, string> = {
    removed: 'removed',
    removed_confirmed_by_recheck: 'removed (confirmed by re-check)',
    not_removed: 'not removed',
    unknown: 'unknown — check again',
    already_removed: 'already removed',
  }
  const replies = (o: AuditOutcome, masked: string, when: string, ref: string): [string, string] => {
    if (o === 'removed' || o === 'removed_confirmed_by_recheck')
      return [
        `Your saved card ${masked} was removed from our payment system on ${when}. It can no longer be used for payments without entering the card details again. Reference: ${ref}.`,
        `Ваша сохранённая карта ${masked} удалена из нашей платёжной системы ${when}. Оплатить ею без повторного ввода данных карты больше нельзя. Номер обращения: ${ref}.`,
      ]
    if (o === 'already_removed')
      return [
        `Your saved card ${masked} is no longer stored in our payment system (checked on ${when}). Reference: ${ref}.`,
        `Ваша сохранённая карта ${masked} больше не хранится в нашей платёжной системе (проверено ${when}). Номер обращения: ${ref}.`,
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
    checked: { p: ProfileView; customer: string; note: string | null; ticket: string | null },
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
      intentSeq: intent.seq,
    })
    const masked = card.masked
    const reference = ticket ?? `audit #${entry.seq}`
    const when = `${entry.time.slice(0, 10)} ${entry.time.slice(11, 16)} UTC`
    const [replyEn, replyRu] = replies(plan.outcome, masked, when, reference)
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
    if ('leftOpen' in planned) return { recovered: [], leftOpen: [{ intentSeq: seq, profileId: intent!.profileId, customer: intent!.customer, reason: planned.leftOpen }] }
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
      intentSeq: seq,
    })
    return { recovered: [entry], leftOpen: [] }
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
    if (planned && 'error' in planned) throw clone(planned.error)
    return execute(checked, card, r.reason)
  }
  const revokeAll = (r: RevokeAllRequest): RevokeAllItem[] => {
    const checked = checkRevoke(r)
    const cards = clone(state.lookups[checked.customer]?.cards ?? [])
    return cards.map((card) => {
      const item: RevokeAllItem = { card: summary(card), masked: card.masked, tokenFingerprint: fingerprint(card.token), revocation: null, error: null }
      const planned = seed.revoke?.[card.token]
      if (planned && 'error' in planned) item.error = clone(planned.error)
      else item.revocation = execute(checked, card, r.reason)
      return item
    })
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
        const l = args.refresh && seed.refreshed?.[customer] ? { ...clone(seed.refreshed[customer]) } : lookupIn(p, customer)
        if (l.source === 'live') remember(l)
        if (state.status.settings.recordViews) {
          const n = l.cards.length
          append({
            action: 'viewed_customer',
            profile: { id: p.id, name: p.name, environment: p.environment, merchantId: p.merchantId },
            customer,
            detail: `${n} card${n === 1 ? '' : 's'} shown, ${l.source === 'live' ? 'fetched from the gateway' : 'from the cache'}`,
          })
        }
        return l
      }
      case 'lookup_all': {
        const customer = checkCustomer(String(args.customer))
        return state.status.profiles.map((p) => {
          const planned = seed.byProfile?.[p.id]?.[customer]
          const base = { profileId: p.id, profileName: p.name, environment: p.environment }
          if (planned?.error) return { ...base, lookup: null, error: clone(planned.error) }
          if (planned?.lookup) return { ...base, lookup: { ...clone(planned.lookup), profileId: p.id, profileName: p.name, environment: p.environment }, error: null }
          if (!p.builtIn && !p.hasPassword)
            return { ...base, lookup: null, error: { code: 'credentials_missing', message: `profile ${p.name}: no password is set; add it in Settings` } }
          return { ...base, lookup: lookupIn(p, customer), error: null }
        })
      }
      case 'recent_customers': {
        const q = String(args.query ?? '').toLowerCase()
        return state.recent.filter((r) => r.customer.toLowerCase().includes(q))
      }
      case 'forget_customer':
        state.recent = state.recent.filter((r) => r.customer !== String(args.customer).trim())
        return null
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
        if (!p.builtIn && !p.hasPassword) return { verdict: 'no_password', message: `profile ${p.name}: no password is set; add it in Settings` }
        return { verdict: 'ok', message: 'the gateway accepted the credentials' }
      }
      case 'save_settings': {
        const s = args.settings as DeskStatus['settings']
        if (s.freshnessMinutes > 10080) fail('validation', 'freshness minutes: must be 0–10080 (at most a week)')
        if ([...s.operatorName.trim()].length > 60) fail('validation', 'operator name: must be at most 60 characters without control characters')
        s.operatorName = s.operatorName.trim()
        state.status.settings = clone(s)
        return clone(s)
      }
      case 'revoke_card':
        return later(() => revokeOne(args.request as RevokeRequest))
      case 'revoke_all_cards':
        return later(() => revokeAll(args.request as RevokeAllRequest))
      case 'check_removal':
        return later(() => checkRemoval(Number(args.intentSeq)))
      case 'audit_query':
        return queryAudit(args.query as AuditQuery)
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
        return state.audit.length
      }
      default:
        return fail('internal', `unknown command ${cmd}`)
    }
  }) as FakeHandler
  handler.state = state
  return handler
}
