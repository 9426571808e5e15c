// Renders the whole app over the fake desk and its bulk jobs (IPC mocked with mockIPC, nothing
// else), and waits until it has drawn its frame. A test may hold back the answers to a command
// (to see what the window shows while Rust works) or have Rust refuse it.
import { render, screen } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import { mockIPC } from '@tauri-apps/api/mocks'
import App from '../App.svelte'
import { fakeDesk, type Seed } from './fakeDesk'
import type { DeskError } from '../lib/ipc'
import { fakeBulk } from './fakeBulk'

export async function renderApp(seed: Seed, options: { user?: Parameters<typeof userEvent.setup>[0] } = {}) {
  const desk = fakeBulk(seed.bulk, fakeDesk(seed))
  const instead = new Map<string, (args: Record<string, unknown>) => unknown>()
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>
    const answer = instead.get(cmd)
    return answer ? answer(a) : desk(cmd, a)
  })
  /** Holds back the answers to `cmd` until the returned function is called; then the fake answers. */
  const hold = (cmd: string) => {
    let open = () => {}
    const gate = new Promise<void>((resolve) => (open = resolve))
    instead.set(cmd, async (a) => {
      await gate
      return desk(cmd, a)
    })
    return () => {
      instead.delete(cmd)
      open()
    }
  }
  /** Answers `cmd` with `error`, as Rust refuses, until the returned function is called. */
  const refuse = (cmd: string, error: DeskError) => {
    instead.set(cmd, () => Promise.reject(error))
    return () => void instead.delete(cmd)
  }
  const user = userEvent.setup(options.user)
  const result = render(App)
  await screen.findByTestId('env-banner')
  const calls = (cmd: string) => desk.state.calls.filter((c) => c.cmd === cmd).map((c) => c.args)
  return { user, desk, calls, hold, refuse, ...result }
}

/** Types a customer number into the search field and presses Enter. */
export async function search(user: ReturnType<typeof userEvent.setup>, customer: string) {
  const input = screen.getByLabelText(/^(Customer number|Номер клиента)$/)
  await user.clear(input)
  await user.type(input, `${customer}{Enter}`)
}
