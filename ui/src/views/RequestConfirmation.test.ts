// Issue 16 review: the 376-FZ confirmation named the merchant by the gateway profile's name
// ("Sandbox"). Rust now names it by the operator of Settings → Documents (name and address),
// and only without one falls back to the profile's name, which the document labels as such;
// the window sends no merchant of its own (nor one an older version kept in localStorage). The saved file's toast shows in the Documents panel,
// under the button, not floating over the assignee and notes that follow.
import { describe, expect, test } from 'vitest'
import { screen, within } from '@testing-library/svelte'
import { renderApp } from '../test/render'
import { aRequest, status } from '../test/fixtures'

const identified = { asked: 'e-mail on file', matched: true, by: 'anna', at: '2026-12-01T09:40:00Z' }

async function saveConfirmation() {
  const req = aRequest({ kind: 'card_refusal', ticket: 'SUP-12', status: { state: 'in_progress' }, identityChecks: [identified] })
  const app = await renderApp({ status: status(), lookups: {}, requests: [req] })
  await app.user.click(screen.getByTestId('nav-requests'))
  await app.user.click(await screen.findByRole('button', { name: /^Open request: Refusal/ }))
  const detail = await screen.findByTestId('request-detail')
  await app.user.click(within(detail).getByTestId('request-save-confirmation'))
  return { ...app, detail }
}

describe('the confirmation names the merchant', () => {
  test('as Rust finds it in Settings → Documents: the window sends none, not even an old remembered one', async () => {
    localStorage.setItem('carddesk.erasureAct', JSON.stringify({ operatorName: 'ООО «Ромашка»', operatorAddress: 'Москва, ул. Ленина, д. 1', informationSystem: 'Card Desk' }))
    const { calls, detail } = await saveConfirmation()
    // the toast in the Documents panel, not floating over the page
    const toast = await within(within(detail).getByTestId('request-documents')).findByTestId('toast')
    expect(toast).toHaveTextContent('Saved confirmation-376fz-SUP-12.pdf')
    expect(screen.getAllByTestId('toast')).toHaveLength(1)
    expect(calls('request_confirmation')).toEqual([expect.objectContaining({ merchantName: null, merchantAddress: null })])
  })
})
