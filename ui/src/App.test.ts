// Component tests of the shell with Tauri's IPC mocked underneath ui/src/lib/ipc.ts.
import { describe, expect, test } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import { mockIPC } from '@tauri-apps/api/mocks'
import App from './App.svelte'

const info = {
  version: '0.1.0',
  profile: { name: 'Sandbox', environment: 'sandbox', merchantId: '452739' },
  sandboxUrl: 'http://127.0.0.1:1',
}
const card = {
  token: '49D902C6-1CCF-4605-9228-11D0E8115C77',
  bin: '412362',
  last4: '0028',
  masked: '4123 62•• •••• 0028',
  brand: 'VISA',
  bank: '',
  expiry: { month: 12, year: 2025 },
  expiryText: '12/2025',
  active: true,
  needCvc: false,
  expired: true,
}

describe('App', () => {
  test('finds a customer and shows masked cards', async () => {
    const calls: Array<[string, unknown]> = []
    mockIPC((cmd, args) => {
      calls.push([cmd, args])
      if (cmd === 'app_info') return info
      if (cmd === 'list_cards') return { customer: '1234', cards: [card], fetchedAt: new Date().toISOString() }
    })
    const user = userEvent.setup()
    render(App)
    expect(await screen.findByTestId('env-banner')).toHaveTextContent('Sandbox')
    await user.type(screen.getByLabelText('Customer number'), '1234{Enter}')
    expect(await screen.findByTestId('card-count')).toHaveTextContent('1 saved card')
    expect(screen.getByTestId('masked')).toHaveTextContent('4123 62•• •••• 0028')
    expect(screen.getByText('expired')).toBeInTheDocument()
    expect(calls).toContainEqual(['list_cards', { customer: '1234' }])
  })

  test('refuses a customer number with a forbidden character without calling Rust', async () => {
    const calls: string[] = []
    mockIPC((cmd) => {
      calls.push(cmd)
      if (cmd === 'app_info') return info
    })
    const user = userEvent.setup()
    render(App)
    await user.type(screen.getByLabelText('Customer number'), '12<3>4{Enter}')
    expect(screen.getByText(/none of < >/)).toBeInTheDocument()
    expect(calls).not.toContain('list_cards')
  })

  test('shows a gateway fault as an error with its message', async () => {
    mockIPC((cmd) => {
      if (cmd === 'app_info') return info
      if (cmd === 'list_cards') throw { code: 'gateway_fault', message: '7/141 Authentication error (Login and/or Password)' }
    })
    const user = userEvent.setup()
    render(App)
    await user.type(screen.getByLabelText('Customer number'), '1234{Enter}')
    expect(await screen.findByRole('alert')).toHaveTextContent('Authentication error')
  })

  test('switches to Russian with correct plurals', async () => {
    mockIPC((cmd) => {
      if (cmd === 'app_info') return info
      if (cmd === 'list_cards')
        return { customer: '1234', cards: [card, { ...card, token: 'X' }, { ...card, token: 'Y' }], fetchedAt: new Date().toISOString() }
    })
    const user = userEvent.setup()
    render(App)
    await user.selectOptions(screen.getByTestId('language'), 'ru')
    await user.type(await screen.findByLabelText('Номер клиента'), '1234{Enter}')
    expect(await screen.findByTestId('card-count')).toHaveTextContent('3 сохранённые карты')
  })
})
