// A stand-in for the Rust side, answering IPC commands the way the desk does (validation
// messages that name the field, passwords that only go in, the recent list, profiles that can be
// added, edited, activated and deleted). Used under mockIPC in Vitest and in Playwright, where it
// is sent to the page as source text: so it must stay self-contained — no imports at run time,
// no references to anything outside this function.
import type { DeskError, DeskStatus, Lookup, ProfileDraft, ProfileView, RecentCustomer, ConnectionCheck } from '../lib/ipc'

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
}

export interface FakeState {
  status: DeskStatus
  recent: RecentCustomer[]
  /** Passwords the UI sent, by profile id: tests check what went in, the UI never reads them. */
  passwords: Record<string, string>
  calls: Array<{ cmd: string; args: unknown }>
}

export type FakeHandler = ((cmd: string, args: Record<string, unknown>) => unknown) & { state: FakeState }

export function fakeDesk(seed: Seed): FakeHandler {
  const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T
  const state: FakeState = { status: clone(seed.status), recent: clone(seed.recent ?? []), passwords: {}, calls: [] }
  const fail = (code: DeskError['code'], message: string): never => {
    throw { code, message }
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
    if (name.length < 1 || name.length > 60) fail('validation', 'name: must be 1–60 characters')
    if (state.status.profiles.some((p) => p.id !== id && p.name.toLowerCase() === name.toLowerCase()))
      fail('validation', 'name: must be unique (another profile has this name)')
    if (!['sandbox', 'test', 'production'].includes(d.environment.toLowerCase())) fail('validation', 'environment: must be sandbox, test or production')
    if (!/^https:\/\//.test(d.baseUrl) && !/^http:\/\/(127\.|localhost)/.test(d.baseUrl))
      fail('validation', 'base URL: must use https:// (http:// is allowed only for loopback)')
    if (!/^\d{1,15}$/.test(d.merchantId) || Number(d.merchantId) > 2147483647)
      fail('validation', 'merchant id: must be 1–15 digits with a value of at most 2147483647')
    if (d.login.length < 1 || d.login.length > 20) fail('validation', 'login: must be 1–20 characters')
    if (!/^(RU|EN)$/i.test(d.language)) fail('validation', 'language: must be RU or EN')
    if (!/^#[0-9a-f]{6}$/i.test(d.colour)) fail('validation', 'colour: must be #rrggbb (a # and six hex digits)')
  }
  const remember = (l: Lookup) => {
    if (!state.status.settings.recordLookups) return
    state.recent = [{ customer: l.customer, lastLookup: Date.now(), cardCount: l.cards.length }, ...state.recent.filter((r) => r.customer !== l.customer)]
  }
  const active = () => profile(state.status.activeProfileId)
  const lookupIn = (p: ProfileView, customer: string): Lookup => {
    const found = seed.lookups[customer]
    const base: Lookup = found
      ? clone(found)
      : { profileId: p.id, profileName: p.name, environment: p.environment, customer, cards: [], fetchedAt: new Date().toISOString(), source: 'live', stale: false, offlineReason: null }
    return { ...base, profileId: p.id, profileName: p.name, environment: p.environment, customer }
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
      default:
        return fail('internal', `unknown command ${cmd}`)
    }
  }) as FakeHandler
  handler.state = state
  return handler
}
