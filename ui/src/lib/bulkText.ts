// Why: the bulk engine writes its row problems, row messages and card notes in English into
// the job's journal, where the CLI and the results CSV read them too (one wording for the
// evidence). The Russian UI shows them in Russian by recognising those fixed phrases here
// (src-tauri/desk/src/bulk/{import,run}.rs, assist's validation rules); a phrase not known
// here, such as a gateway's own text after a colon, is shown as written.
import type { Locale } from './i18n.svelte'

const FIELDS: Record<string, string> = {
  'customer number': 'номер клиента',
  last4: 'последние 4 цифры',
  expiry: 'срок действия',
  'card token': 'токен карты',
  ticket: 'номер обращения',
  reason: 'причина',
  note: 'комментарий',
}

const EXACT: Record<string, string> = {
  // Input rules (bulk/import.rs and assist's validated types).
  required: 'обязательное поле',
  'must be exactly 4 digits': 'должно быть ровно 4 цифры',
  'must be a month and year such as 12/2027, 12/27 or 12.2027': 'нужны месяц и год, например 12/2027, 12/27 или 12.2027',
  'must not contain control characters': 'не должно содержать управляющих символов',
  'must be one of customer_request, lost_or_stolen, suspected_fraud, erasure_request, duplicate, expired, other':
    'должна быть одной из: customer_request, lost_or_stolen, suspected_fraud, erasure_request, duplicate, expired, other',
  'required when the reason is other': 'обязателен, когда причина — other',
  'not valid UTF-8 (save the file as UTF-8)': 'не в кодировке UTF-8 (сохраните файл в UTF-8)',
  'must be 1–32 characters': 'должен содержать от 1 до 32 символов',
  'must not contain any of < > " = \' / ( ) ; #': 'не должен содержать символов < > " = \' / ( ) ; #',
  'must not contain control characters or start or end with a space':
    'не должен содержать управляющих символов, начинаться или заканчиваться пробелом',
  'must be 8-4-4-4-12 hexadecimal digits, e.g. 49D902C6-1CCF-4605-9228-11D0E8115C77':
    'должен состоять из 8-4-4-4-12 шестнадцатеричных цифр, например 49D902C6-1CCF-4605-9228-11D0E8115C77',
  // Plan messages (bulk/run.rs).
  'the customer has no saved cards': 'у клиента нет сохранённых карт',
  "no listed card matches the row's token, last4 or expiry": 'ни одна карта клиента не подходит под токен, последние 4 цифры или срок действия из строки',
  'no card filter (token or last4) and the job is not marked erasure':
    'карта не указана (ни токена, ни последних 4 цифр), а задание не помечено как удаление данных',
  // Run messages and card notes (bulk/run.rs).
  'interrupted: resume the job to re-check this row': 'прервано: продолжите задание, чтобы перепроверить эту строку',
  'interrupted; a re-check after restart found the card gone': 'прервано; перепроверка после перезапуска не нашла карту — она удалена',
  'no longer listed when its turn came; nothing was sent': 'к её очереди карты уже не было в списке; ничего не отправлено',
  'outcome unknown: the gateway may still be working; resume the job later to check again (nothing is sent twice)':
    'итог неизвестен: шлюз, возможно, ещё работает; продолжите задание позже, чтобы проверить снова (повторно ничего не отправляется)',
}

/** Phrases with a number or a tail; the tail (`$2`) stays as written. */
const PATTERNS: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^must be at most (\d+) characters$/, (m) => `не длиннее ${m[1]} символов`],
  [/^duplicate of row (\d+)$/, (m) => `повтор строки ${m[1]}`],
  [/^unreadable CSV: (.*)$/s, (m) => `CSV не читается: ${m[1]}`],
  [/^(\d+) cards match; held for a person to choose$/, (m) => `подходящих карт: ${m[1]}; строка ждёт решения человека`],
  [/^the card list could not be read: (.*)$/s, (m) => `не удалось прочитать список карт: ${m[1]}`],
  [/^covered by row ([\d, ]+): the same card; removed there, never sent twice$/, (m) => `покрыта строкой ${m[1]}: та же карта удаляется там и дважды не отправляется`],
  [/^covered by row ([\d, ]+): the same card; nothing is sent for this row$/, (m) => `покрыта строкой ${m[1]}: та же карта; из этой строки ничего не отправляется`],
  [/^(\d+) of its (\d+) cards covered by row ([\d, ]+)$/, (m) => `${m[1]} из ${m[2]} её карт покрыты строкой ${m[3]}`],
  [
    /^its removal was sent before \(audit intent (\d+)\) and the card is still listed: the gateway may still be working — not sent again; resume later to check again$/,
    (m) => `её удаление уже отправлялось (намерение аудита №${m[1]}), а карта ещё в списке: шлюз, возможно, ещё работает — повторно не отправлено; продолжите позже, чтобы проверить снова`,
  ],
  [/^refused by the gateway's rate limit \((.*)\); trying again$/s, (m) => `отклонено ограничением частоты запросов шлюза (${m[1]}); пробуем снова`],
  [
    /^refused by the gateway's rate limit \((.*)\) for (\d+) s on end; nothing was removed — resume the job later, or lower its rate$/s,
    (m) => `шлюз отклонял запросы по ограничению частоты (${m[1]}) ${m[2]} с подряд; ничего не удалено — продолжите задание позже или уменьшите его скорость`,
  ],
]

function phrase(text: string): string {
  const exact = EXACT[text]
  if (exact !== undefined) return exact
  for (const [re, to] of PATTERNS) {
    const m = text.match(re)
    if (m) return to(m)
  }
  return text
}

/** `row 7, customer number: required` (a problem, as Rust's `RowProblem` prints it). */
const PROBLEM = /^row (\d+), ([^:]+): (.*)$/s
/** `row 9: duplicate of row 3` (a rule about the whole row, and a duplicate's message). */
const ROW_NOTE = /^row (\d+): (.*)$/s

function problem(text: string): string {
  const p = text.match(PROBLEM)
  if (p) {
    const [, row, field = '', rule = ''] = p
    return `строка ${row}, ${FIELDS[field] ?? field}: ${phrase(rule)}`
  }
  const r = text.match(ROW_NOTE)
  if (r) {
    const [, row, rest = ''] = r
    return `строка ${row}: ${phrase(rest)}`
  }
  return phrase(text)
}

/**
 * A bulk job's problem line, row message or card note in the UI's language. An invalid row's
 * message is its problems joined by `; ` (each starting `row N, `), so it is split there
 * (a rule can itself contain `;`).
 */
export function bulkText(text: string, locale: Locale): string {
  if (locale !== 'ru') return text
  return text
    .split(/; (?=row \d+, )/)
    .map(problem)
    .join('; ')
}
