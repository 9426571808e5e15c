// The UI language: a rune, so every t() in markup re-renders when it changes. The texts live
// one file per language (i18n/en.ts is the source of the keys, i18n/ru.ts is typed by them);
// plurals through Intl.PluralRules ({n}).
import { en, type Key } from './i18n/en'
import type { Msg } from './i18n/message'
import { ru } from './i18n/ru'

export type { Key } from './i18n/en'

export type Locale = 'en' | 'ru'
export const i18n = $state({ locale: 'en' as Locale })

/** Both dictionaries (exported for the tests that check them). */
export const dictionaries: Record<Locale, Record<Key, Msg>> = { en, ru }
const plurals = { en: new Intl.PluralRules('en'), ru: new Intl.PluralRules('ru') }

export function t(key: Key, params: Record<string, string | number> = {}): string {
  const msg = dictionaries[i18n.locale][key]
  const text =
    typeof msg === 'string' ? msg : (msg[plurals[i18n.locale].select(Number(params.n))] ?? msg.other)
  return text.replace(/\{(\w+)\}/g, (_, p: string) => String(params[p] ?? `{${p}}`))
}

/** Words Rust wrote in both languages (an audit entry's detail, why a removal is still open):
 * the Russian ones when the window speaks Russian and Rust wrote them (older audit entries
 * have English only), else the English ones. Read in markup, it follows a language switch. */
export function said(en: string, ru?: string | null): string {
  return i18n.locale === 'ru' && ru ? ru : en
}
