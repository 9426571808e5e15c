// Per-machine UI preferences kept in localStorage: language, theme, card layout and whether
// the first-run banner was dismissed. Storage failures (private mode, quota) are ignored.
import { i18n, type Locale } from './i18n.svelte'

export type Theme = 'system' | 'light' | 'dark'
export type CardLayout = 'grid' | 'list'

const KEYS = {
  locale: 'carddesk.locale',
  theme: 'carddesk.theme',
  layout: 'carddesk.cardLayout',
  firstRun: 'carddesk.firstRunDismissed',
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

/** Reads the stored preferences; without a stored language, follows the system's. */
export function loadPrefs() {
  const locale = read(KEYS.locale)
  if (locale === 'en' || locale === 'ru') i18n.locale = locale
  else i18n.locale = typeof navigator !== 'undefined' && navigator.language?.toLowerCase().startsWith('ru') ? 'ru' : 'en'
  const theme = read(KEYS.theme)
  prefs.theme = theme === 'light' || theme === 'dark' ? theme : 'system'
  prefs.layout = read(KEYS.layout) === 'list' ? 'list' : 'grid'
  prefs.firstRunDismissed = read(KEYS.firstRun) === '1'
}

export function setLocale(locale: Locale) {
  i18n.locale = locale
  write(KEYS.locale, locale)
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
