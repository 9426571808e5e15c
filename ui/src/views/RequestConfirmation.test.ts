// Issue 16 review: the 376-FZ confirmation named the merchant by the gateway profile's name
// ("Sandbox"). It now names it by the operator's details the act's and the answer's forms
// keep (name and address), and only without them lets Rust fall back to the profile's name,
// which the document labels as such. The saved file's toast shows in the Documents panel,
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
  test("by the operator's details remembered from the act's form", async () => {
    localStorage.setItem('carddesk.erasureAct', JSON.stringify({ operatorName: 'ООО «Ромашка»', operatorAddress: 'Москва, ул. Ленина, д. 1', informationSystem: 'Card Desk' }))
    const { calls, detail } = await saveConfirmation()
    // the toast in the Documents panel, not floating over the page
    const toast = await within(within(detail).getByTestId('request-documents')).findByTestId('toast')
    expect(toast).toHaveTextContent('Saved confirmation-376fz-SUP-12.pdf')
    expect(screen.getAllByTestId('toast')).toHaveLength(1)
    expect(calls('request_confirmation')).toEqual([expect.objectContaining({ merchantName: 'ООО «Ромашка»', merchantAddress: 'Москва, ул. Ленина, д. 1' })])
  })

  test('by nothing when no act or answer was made here: Rust then names the gateway profile', async () => {
    const { calls } = await saveConfirmation()
    await screen.findByTestId('toast')
    expect(calls('request_confirmation')).toEqual([expect.objectContaining({ merchantName: null, merchantAddress: null })])
  })
})
