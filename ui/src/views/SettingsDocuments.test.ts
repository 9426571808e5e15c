// Settings → Documents (issue 16): the operator, the processor and the information system the
// request documents name, kept once in Rust's settings. Saved whole with the other settings;
// Rust's rule for a field shows beside that field (in Russian too) with focus on it; details an
// older version kept in this window fill the panel once and are forgotten when saved.
import { describe, expect, test } from 'vitest'
import { screen, waitFor, within } from '@testing-library/svelte'
import { renderApp } from '../test/render'
import { status } from '../test/fixtures'
import type { Seed } from '../test/fakeDesk'
import type { Settings } from '../lib/ipc'

async function openDocuments(seed: Partial<Seed> = {}) {
  const r = await renderApp({ status: status(), lookups: {}, ...seed })
  await r.user.click(screen.getByRole('button', { name: 'Settings' }))
  const panel = await screen.findByTestId('documents-settings')
  return { ...r, panel }
}

describe('Settings → Documents', () => {
  test('saves the details whole with the other settings, trimmed, and says so', async () => {
    const { user, calls, panel } = await openDocuments()
    expect(within(panel).getByRole('heading', { name: 'Documents' })).toBeInTheDocument()
    await user.type(within(panel).getByLabelText('Name', { selector: '[data-field="operator_name"]' }), '  OOO Romashka ')
    await user.type(within(panel).getByTestId('docs-operator_address'), 'Moscow, Tverskaya 1')
    await user.type(within(panel).getByTestId('docs-information_system'), 'Card Desk')
    await user.click(within(panel).getByTestId('docs-save'))
    await waitFor(() => expect(within(panel).getByTestId('docs-saved')).toHaveTextContent('Document details saved'))
    const sent = (calls('save_settings').at(-1) as { settings: Settings }).settings
    expect(sent.documents).toEqual({ operatorName: 'OOO Romashka', operatorAddress: 'Moscow, Tverskaya 1', processorName: '', processorAddress: '', informationSystem: 'Card Desk' })
    // the rest of the settings go back as Rust sent them
    expect(sent.freshnessMinutes).toBe(15)
    expect(sent.webhookUrl).toBe('')
    expect(within(panel).getByTestId('docs-operator_name')).toHaveValue('OOO Romashka')
  })

  test("Rust's rule goes beside the field it names, with focus on it", async () => {
    const { user, panel } = await openDocuments()
    await user.type(within(panel).getByTestId('docs-processor_name'), 'IPS Assist')
    await user.click(within(panel).getByTestId('docs-save'))
    const error = await within(panel).findByTestId('docs-field-error')
    expect(error).toHaveAttribute('data-for', 'processor_address')
    expect(error).toHaveTextContent('processor’s address: is needed when a processor is named')
    expect(within(panel).getByTestId('docs-processor_address')).toHaveAttribute('aria-invalid', 'true')
    await waitFor(() => expect(within(panel).getByTestId('docs-processor_address')).toHaveFocus())
    expect(within(panel).getByTestId('docs-saved')).toBeEmptyDOMElement()

    await user.type(within(panel).getByTestId('docs-processor_address'), 'Moscow, Lenina 5')
    await user.click(within(panel).getByTestId('docs-save'))
    await waitFor(() => expect(within(panel).queryByTestId('docs-field-error')).toBeNull())
  })

  test('in Russian, the rule is said in Russian beside the field', async () => {
    localStorage.setItem('carddesk.locale', 'ru')
    const r = await renderApp({ status: status(), lookups: {} })
    await r.user.click(screen.getByRole('button', { name: 'Настройки' }))
    const panel = await screen.findByTestId('documents-settings')
    expect(within(panel).getByRole('heading', { name: 'Документы' })).toBeInTheDocument()
    await r.user.type(within(panel).getByTestId('docs-operator_address'), 'Москва')
    await r.user.click(within(panel).getByTestId('docs-save'))
    const error = await within(panel).findByTestId('docs-field-error')
    expect(error).toHaveAttribute('data-for', 'operator_name')
    expect(error).toHaveTextContent('наименование оператора: нужно, если указан адрес оператора')
  })

  test('what an older version remembered from the last act fills the panel once, said so, and is forgotten when saved', async () => {
    localStorage.setItem('carddesk.erasureAct', JSON.stringify({ operatorName: 'OOO Shop', operatorAddress: 'Moscow', informationSystem: 'Card Desk' }))
    const { user, calls, panel } = await openDocuments()
    expect(within(panel).getByTestId('docs-legacy')).toHaveTextContent('Filled in from the last act made in this window')
    expect(within(panel).getByTestId('docs-operator_name')).toHaveValue('OOO Shop')
    await user.click(within(panel).getByTestId('docs-save'))
    await waitFor(() => expect(within(panel).getByTestId('docs-saved')).toHaveTextContent('Document details saved'))
    expect((calls('save_settings').at(-1) as { settings: Settings }).settings).toMatchObject({ documents: { operatorName: 'OOO Shop', operatorAddress: 'Moscow', informationSystem: 'Card Desk' } })
    expect(localStorage.getItem('carddesk.erasureAct')).toBeNull()
    expect(within(panel).queryByTestId('docs-legacy')).toBeNull()
  })
})
