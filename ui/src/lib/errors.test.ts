// An error from Rust reads in the window's language: Rust sends its English `message` and, for
// what a person meets, the same in Russian (`ru`); errorText() picks by the UI language, and
// falls back to English where Rust wrote only that (an internal diagnostic).
import { afterEach, describe, expect, test } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import { flushSync } from 'svelte'
import { i18n } from './i18n.svelte'
import { asAppError, errorSentence, errorText } from './errors'
import { AppError, type DeskError } from './ipc'
import ErrorState from './components/ErrorState.svelte'

const refused: DeskError = {
  code: 'validation',
  message: 'customer number: must be 1–32 characters',
  ru: 'номер клиента: от 1 до 32 символов',
  field: 'customer_number',
}
const internal: DeskError = { code: 'internal', message: 'could not save /tmp/profiles.json: Permission denied' }

afterEach(() => {
  i18n.locale = 'en'
})

describe('errorText', () => {
  test('English in the English window, Russian in the Russian one', () => {
    expect(errorText(refused)).toBe('customer number: must be 1–32 characters')
    i18n.locale = 'ru'
    expect(errorText(refused)).toBe('номер клиента: от 1 до 32 символов')
  })

  test('an error Rust wrote only in English stays English in the Russian window', () => {
    i18n.locale = 'ru'
    expect(errorText(internal)).toBe(internal.message)
    expect(errorText({ ...internal, ru: '' })).toBe(internal.message)
  })

  test('the Russian text survives the way into an AppError', () => {
    const e = asAppError(new AppError(refused.code, refused.message, refused.field, refused.ru))
    i18n.locale = 'ru'
    expect(errorText(e)).toBe('номер клиента: от 1 до 32 символов')
    expect(e.field).toBe('customer_number')
  })
})

describe('ErrorState', () => {
  test('shows the details in the window’s language and follows a switch', () => {
    render(ErrorState, { props: { error: refused } })
    const alert = screen.getByRole('alert')
    expect(alert).toHaveTextContent('customer number: must be 1–32 characters')
    i18n.locale = 'ru'
    flushSync()
    expect(alert).toHaveTextContent('номер клиента: от 1 до 32 символов')
    expect(alert).not.toHaveTextContent('must be 1–32 characters')
  })

  test('said alone, Rust’s words start a sentence, in either language; nothing else changes', () => {
    const held = { message: 'this revoke-all waits', ru: 'для этого действия нужно одобрение' }
    i18n.locale = 'en'
    expect(errorSentence(held)).toBe('This revoke-all waits.')
    expect(errorSentence({ message: 'nothing was sent.' })).toBe('Nothing was sent.')
    i18n.locale = 'ru'
    expect(errorSentence(held)).toBe('Для этого действия нужно одобрение.')
    expect(errorSentence({ message: '' })).toBe('')
    expect(errorText(held)).toBe('для этого действия нужно одобрение')
  })
})
