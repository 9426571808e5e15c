// Renders the whole app over the fake desk and its bulk jobs (IPC mocked with mockIPC, nothing
// else), and waits until it has drawn its frame.
import { render, screen } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import { mockIPC } from '@tauri-apps/api/mocks'
import App from '../App.svelte'
import { fakeDesk, type Seed } from './fakeDesk'
import { fakeBulk } from './fakeBulk'

export async function renderApp(seed: Seed, options: { user?: Parameters<typeof userEvent.setup>[0] } = {}) {
  const desk = fakeBulk(seed.bulk, fakeDesk(seed))
  mockIPC((cmd, args) => desk(cmd, (args ?? {}) as Record<string, unknown>))
  const user = userEvent.setup(options.user)
  const result = render(App)
  await screen.findByTestId('env-banner')
  const calls = (cmd: string) => desk.state.calls.filter((c) => c.cmd === cmd).map((c) => c.args)
  return { user, desk, calls, ...result }
}

/** Types a customer number into the search field and presses Enter. */
export async function search(user: ReturnType<typeof userEvent.setup>, customer: string) {
  const input = screen.getByLabelText(/^(Customer number|Номер клиента)$/)
  await user.clear(input)
  await user.type(input, `${customer}{Enter}`)
}
