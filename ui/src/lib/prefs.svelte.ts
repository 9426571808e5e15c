// Per-machine UI preferences kept in localStorage: language, theme, card layout, whether
// the first-run banner was dismissed, and the access answer's wording. The operator, processor
// and information system the documents name are Rust's settings (Settings → Documents); what an
// older version remembered of them here is only read to fill that panel once, then forgotten.
// Storage failures (private mode, quota) are ignored.
import { hasLocale, i18n, loadLocale, type Locale } from './i18n.svelte'
import type { DocumentSettings } from './bindings'

export type Theme = 'system' | 'light' | 'dark'
export type CardLayout = 'grid' | 'list' | 'dense'

const KEYS = {
  locale: 'carddesk.locale',
  theme: 'carddesk.theme',
  layout: 'carddesk.cardLayout',
  firstRun: 'carddesk.firstRunDismissed',
  erasure: 'carddesk.erasureAct',
  access: 'carddesk.accessAnswer',
} as const

export const prefs = $state({
  theme: 'system' as Theme,
  layout: 'grid' as CardLayout,
  firstRunDismissed: false,
})

function read(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

function write(key: string, value: string) {
  try {
    localStorage.setItem(key, value)
  } catch {
    /* not persisted: the choice still holds for this session */
  }
}

/** The window's language: the stored choice; without one, the system's. */
export function preferredLocale(): Locale {
  const locale = read(KEYS.locale)
  if (locale === 'en' || locale === 'ru') return locale
  return typeof navigator !== 'undefined' && navigator.language?.toLowerCase().startsWith('ru') ? 'ru' : 'en'
}

/** Reads the stored preferences (the language's texts are loaded first: main.ts). */
export function loadPrefs() {
  i18n.locale = preferredLocale()
  const theme = read(KEYS.theme)
  prefs.theme = theme === 'light' || theme === 'dark' ? theme : 'system'
  const layout = read(KEYS.layout)
  prefs.layout = layout === 'list' || layout === 'dense' ? layout : 'grid'
  prefs.firstRunDismissed = read(KEYS.firstRun) === '1'
}

/** Switches the window's language, once its texts are loaded (at once when they are). */
export function setLocale(locale: Locale) {
  write(KEYS.locale, locale)
  if (hasLocale(locale)) i18n.locale = locale
  else
    void loadLocale(locale).then(() => {
      // unless another language was chosen meanwhile
      if (read(KEYS.locale) === locale) i18n.locale = locale
    })
}

export function setTheme(theme: Theme) {
  prefs.theme = theme
  write(KEYS.theme, theme)
}

export function setLayout(layout: CardLayout) {
  prefs.layout = layout
  write(KEYS.layout, layout)
}

export function dismissFirstRun() {
  prefs.firstRunDismissed = true
  write(KEYS.firstRun, '1')
}

/** What an older version remembered from the last erasure act (the documents' operator,
 * processor and system), before they were settings: `null` when nothing (or nothing readable). */
export function legacyErasureDefaults(): Partial<DocumentSettings> | null {
  try {
    const raw = JSON.parse(read(KEYS.erasure) ?? '{}') as Record<string, unknown>
    const out: Partial<DocumentSettings> = {}
    for (const k of ['operatorName', 'operatorAddress', 'processorName', 'processorAddress', 'informationSystem'] as const)
      if (typeof raw[k] === 'string' && raw[k].trim()) out[k] = raw[k].trim()
    return Object.keys(out).length > 0 ? out : null
  } catch {
    return null
  }
}

/** Forgets the older version's copy once Settings → Documents are saved. */
export function forgetErasureDefaults() {
  try {
    localStorage.removeItem(KEYS.erasure)
  } catch {
    /* nothing to forget */
  }
}

/** The access answer's own wording (purposes, grounds, …), by language: the merchant's words,
 * kept for the next answer. */
export type AccessWording = Record<string, string>

export function accessWording(locale: string): AccessWording {
  try {
    const raw = JSON.parse(read(`${KEYS.access}.${locale}`) ?? '{}') as Record<string, unknown>
    const out: AccessWording = {}
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v
    return out
  } catch {
    return {}
  }
}

export function rememberAccessWording(locale: string, wording: AccessWording) {
  write(`${KEYS.access}.${locale}`, JSON.stringify(wording))
}
