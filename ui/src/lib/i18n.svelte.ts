// A typed RU/EN dictionary: a missing Russian key fails to compile; the locale is a rune, so
// every t() in markup re-renders when it changes. Plurals through Intl.PluralRules.
type Msg = string | ({ other: string } & Partial<Record<Intl.LDMLPluralRule, string>>)

const en = {
  'app.title': 'Card Desk',
  'env.sandbox': 'Demo data on the built-in sandbox — nothing here touches a real gateway.',
  'env.test': 'Test environment',
  'env.production': 'PRODUCTION — real customers and real cards',
  'env.merchant': 'Merchant {id}',
  'search.label': 'Customer number',
  'search.placeholder': 'e.g. 1234',
  'search.submit': 'Find cards',
  'search.hint': 'Enter the merchant’s customer number and press Enter. Ctrl+K jumps here.',
  'search.invalid': 'Customer number: 1–32 characters, none of < > " = \' / ( ) ; #',
  'cards.count': { one: '{n} saved card', other: '{n} saved cards' },
  'cards.none': 'This customer has no saved cards.',
  'cards.loading': 'Looking up cards…',
  'cards.asOf': 'as of {time}',
  'card.expired': 'expired',
  'card.inactive': 'inactive',
  'card.needCvc': 'needs CVC',
  'card.expires': 'expires {date}',
  'card.noBank': 'Bank not reported',
  'error.title': 'Could not get the cards',
  'error.retry': 'Try again',
  'startup.failed': 'Card Desk could not start its gateway connection:',
  'settings.language': 'Language',
  'settings.theme': 'Theme',
  'theme.system': 'System',
  'theme.light': 'Light',
  'theme.dark': 'Dark',
} as const

export type Key = keyof typeof en

const ru: Record<Key, Msg> = {
  'app.title': 'Card Desk',
  'env.sandbox': 'Демонстрационные данные встроенной песочницы — реальный шлюз не затрагивается.',
  'env.test': 'Тестовая среда',
  'env.production': 'БОЕВАЯ СРЕДА — реальные клиенты и карты',
  'env.merchant': 'Мерчант {id}',
  'search.label': 'Номер клиента',
  'search.placeholder': 'например, 1234',
  'search.submit': 'Найти карты',
  'search.hint': 'Введите номер клиента у мерчанта и нажмите Enter. Ctrl+K — перейти сюда.',
  'search.invalid': 'Номер клиента: 1–32 символа, без < > " = \' / ( ) ; #',
  'cards.count': {
    one: '{n} сохранённая карта',
    few: '{n} сохранённые карты',
    many: '{n} сохранённых карт',
    other: '{n} сохранённой карты',
  },
  'cards.none': 'У этого клиента нет сохранённых карт.',
  'cards.loading': 'Ищем карты…',
  'cards.asOf': 'на {time}',
  'card.expired': 'истёк срок',
  'card.inactive': 'неактивна',
  'card.needCvc': 'нужен CVC',
  'card.expires': 'до {date}',
  'card.noBank': 'Банк не указан',
  'error.title': 'Не удалось получить карты',
  'error.retry': 'Повторить',
  'startup.failed': 'Card Desk не смог подключиться к шлюзу:',
  'settings.language': 'Язык',
  'settings.theme': 'Тема',
  'theme.system': 'Системная',
  'theme.light': 'Светлая',
  'theme.dark': 'Тёмная',
}

export type Locale = 'en' | 'ru'
export const i18n = $state({ locale: 'en' as Locale })

const dictionaries: Record<Locale, Record<Key, Msg>> = { en, ru }
const plurals = { en: new Intl.PluralRules('en'), ru: new Intl.PluralRules('ru') }

export function t(key: Key, params: Record<string, string | number> = {}): string {
  const msg = dictionaries[i18n.locale][key]
  const text =
    typeof msg === 'string' ? msg : (msg[plurals[i18n.locale].select(Number(params.n))] ?? msg.other)
  return text.replace(/\{(\w+)\}/g, (_, p: string) => String(params[p] ?? `{${p}}`))
}
