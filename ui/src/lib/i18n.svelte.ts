// The UI language: a rune, so every t() in markup re-renders when it changes. The texts live
// one file per language (i18n/en.ts is the source of the keys, i18n/ru.ts is typed by them);
// plurals through Intl.PluralRules ({n}). English is part of the first chunk; Russian, a
// hundred kilobytes of text an English window never reads, is its own chunk, loaded before the
// first frame when the window starts in Russian (main.ts) and on the first switch to it.
import { en, type Key } from './i18n/en'
import type { Msg } from './i18n/message'

export type { Key } from './i18n/en'

export type Locale = 'en' | 'ru'
export const i18n = $state({ locale: 'en' as Locale })

/** The dictionaries loaded so far: English always, Russian once loaded (see loadLocale). */
const dictionaries: Partial<Record<Locale, Record<Key, Msg>>> = { en }

/** Whether `locale`'s texts are loaded (English always is). */
export function hasLocale(locale: Locale): boolean {
  return dictionaries[locale] !== undefined
}

/** Loads `locale`'s texts, once; until then t() says things in English. */
export async function loadLocale(locale: Locale): Promise<void> {
  if (locale === 'ru' && !dictionaries.ru) dictionaries.ru = (await import('./i18n/ru')).ru
}
// Made on first use: an Intl object is costly to build, and the first frame needs no plural.
const plurals: Partial<Record<Locale, Intl.PluralRules>> = {}
const pluralOf = (locale: Locale): Intl.PluralRules => (plurals[locale] ??= new Intl.PluralRules(locale))

export function t(key: Key, params: Record<string, string | number> = {}): string {
  const dict: Record<Key, Msg> = dictionaries[i18n.locale] ?? en
  const msg = dict[key]
  const text =
    typeof msg === 'string' ? msg : (msg[pluralOf(i18n.locale).select(Number(params.n))] ?? msg.other)
  return text.replace(/\{(\w+)\}/g, (_, p: string) => String(params[p] ?? `{${p}}`))
}

/** Words Rust wrote in both languages (an audit entry's detail, why a removal is still open):
 * the Russian ones when the window speaks Russian and Rust wrote them (older audit entries
 * have English only), else the English ones. Read in markup, it follows a language switch. */
export function said(en: string, ru?: string | null): string {
  return i18n.locale === 'ru' && ru ? ru : en
}
