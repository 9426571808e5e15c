// The profile form's rules, checked in the UI before Rust checks them again (docs/design.md §5):
// obvious mistakes get a message next to the field at once. Backend validation errors name
// their field by its machine name; fieldOf() tells which input to show them beside. The
// lengths are Rust's own (generated into bindings.ts from desk::profiles and assist).
import { LOGIN_MAX, MERCHANT_ID_DIGITS, PASSWORD_MAX, PROFILE_NAME_MAX } from './bindings'
import type { Environment, PresetView, ProfileView } from './ipc'

export type Field = 'name' | 'environment' | 'baseUrl' | 'merchantId' | 'login' | 'language' | 'colour' | 'password'
export type Problem = { field: Field; rule: ProblemRule }
export type ProblemRule =
  | 'name'
  | 'baseUrl.required'
  | 'baseUrl.scheme'
  | 'merchantId'
  | 'login'
  | 'password'
  | 'colour'

export interface FormValues {
  name: string
  environment: Environment
  preset: string // a preset's baseUrl, or 'custom'
  customUrl: string
  merchantId: string
  login: string
  language: 'RU' | 'EN'
  colour: string
  password: string
}

export const CUSTOM = 'custom'

export function initialValues(profile: ProfileView | null, presets: PresetView[]): FormValues {
  if (!profile) {
    const first = presets[0]
    return {
      name: '',
      environment: first?.environment ?? 'test',
      preset: first ? first.baseUrl : CUSTOM,
      customUrl: '',
      merchantId: '',
      login: '',
      language: 'RU',
      colour: '#2563eb',
      password: '',
    }
  }
  const preset = presets.find((p) => p.baseUrl === profile.baseUrl.replace(/\/+$/, ''))
  return {
    name: profile.name,
    environment: profile.environment,
    preset: preset ? preset.baseUrl : CUSTOM,
    customUrl: preset ? '' : profile.baseUrl,
    merchantId: profile.merchantId,
    login: profile.login,
    language: profile.language.toUpperCase() === 'EN' ? 'EN' : 'RU',
    colour: /^#[0-9a-f]{6}$/i.test(profile.colour) ? profile.colour.toLowerCase() : '#2563eb',
    password: '',
  }
}

export function baseUrlOf(v: FormValues): string {
  return (v.preset === CUSTOM ? v.customUrl : v.preset).trim()
}

const MERCHANT_ID = new RegExp(`^\\d{1,${MERCHANT_ID_DIGITS}}$`)
const LOOPBACK = /^http:\/\/(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?(\/|$)/i

export function validate(v: FormValues): Problem[] {
  const out: Problem[] = []
  const name = v.name.trim()
  if (name.length === 0 || [...name].length > PROFILE_NAME_MAX) out.push({ field: 'name', rule: 'name' })
  const url = baseUrlOf(v)
  if (!url) out.push({ field: 'baseUrl', rule: 'baseUrl.required' })
  else if (!/^https:\/\/[^/\s]+/i.test(url) && !LOOPBACK.test(url)) out.push({ field: 'baseUrl', rule: 'baseUrl.scheme' })
  if (!MERCHANT_ID.test(v.merchantId.trim())) out.push({ field: 'merchantId', rule: 'merchantId' })
  if (v.login.length === 0 || [...v.login].length > LOGIN_MAX) out.push({ field: 'login', rule: 'login' })
  if ([...v.password].length > PASSWORD_MAX) out.push({ field: 'password', rule: 'password' })
  if (!/^#[0-9a-f]{6}$/i.test(v.colour)) out.push({ field: 'colour', rule: 'colour' })
  return out
}

/** The form input a backend validation error is about, by the field Rust names (`merchant_id`). */
export function fieldOf(field: string | null | undefined): Field | null {
  const map: Record<string, Field> = {
    name: 'name',
    environment: 'environment',
    base_url: 'baseUrl',
    merchant_id: 'merchantId',
    login: 'login',
    password: 'password',
    language: 'language',
    colour: 'colour',
  }
  return (field && map[field]) || null
}
