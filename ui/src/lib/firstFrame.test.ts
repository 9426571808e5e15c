// Why: the window's next start paints the first view as it was drawn still (lib/firstFrame.ts)
// before any script runs, so that drawing must be exactly what the app's own first render draws
// from the same data, hold nothing that depends on the time, and change nothing in the running
// window; the app taking over from it must keep what the agent typed meanwhile.
import { afterEach, expect, test } from 'vitest'
import { flushSync, mount, unmount } from 'svelte'
import { render, screen, waitFor } from '@testing-library/svelte'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import App from '../App.svelte'
import { askEarly } from './earlyAsk'
import { carriesFrame, drawStill, holdFrame, keepFrame, keepFramesOf, takeOver } from './firstFrame'
import { fakeDesk } from '../test/fakeDesk'
import { status } from '../test/fixtures'

const HOUR = 3_600_000
const long = Array.from({ length: 20 }, (_, i) => ({ customer: `C${100 + i}`, lastLookup: Date.now() - (i + 1) * HOUR, cardCount: i % 3 }))

function answer(desk: ReturnType<typeof fakeDesk>, asked: string[] = []) {
  mockIPC((cmd, args) => {
    asked.push(cmd)
    return desk(cmd, (args ?? {}) as Record<string, unknown>)
  })
  return asked
}

afterEach(() => {
  clearMocks()
  document.documentElement.removeAttribute('data-first-frame')
})

/** The page's first load, as first_view.rs serves it: the first view's data in a block. */
function carry(): void {
  const block = document.createElement('script')
  block.type = 'application/json'
  block.id = 'carddesk-first'
  block.textContent = JSON.stringify({ status: status(), recent: long })
  document.head.append(block)
  askEarly()
}

test('a still drawing is what the first render at start draws from the same data, times blank and the field focused on load, and it touches nothing else', () => {
  const asked = answer(fakeDesk({ status: status(), lookups: {}, recent: long }))
  carry()
  const { container } = render(App)
  // what the window's first render drew, times blanked
  const first = container.cloneNode(true) as HTMLElement
  expect(first.querySelectorAll('[data-testid=recent-customer]')).toHaveLength(15)
  for (const when of first.querySelectorAll('[data-at]')) when.textContent = ''
  // (focused at start by the live view; in the frame, by the page as it loads)
  first.querySelector('#customer')!.setAttribute('autofocus', '')

  asked.length = 0
  document.title = 'Customer C100 — Card Desk'
  const focused = document.activeElement
  const drawn = drawStill(App, { status: status(), recent: long })

  expect(drawn).toBe(first.innerHTML)
  expect(drawn).toContain('C114')
  expect(drawn).not.toContain('C115')
  expect(drawn).not.toMatch(/ago/)
  expect(asked).toEqual([])
  expect(document.title).toBe('Customer C100 — Card Desk')
  expect(document.activeElement).toBe(focused)
  expect(screen.getAllByLabelText('Customer number')).toHaveLength(1)
})

test('a frame is kept under the key Rust gives for its data, and drawn again only when the data or the look changed', async () => {
  const desk = fakeDesk({ status: status(), lookups: {}, recent: long.slice(0, 3) })
  const asked = answer(desk)
  keepFramesOf(App)
  await keepFrame()
  const kept = desk.state.keptFrame
  expect(kept?.key).toMatch(/^[0-9a-f]{64}$/)
  expect(kept?.root).toEqual({ lang: 'en', theme: null, scheme: 'light', platform: null })
  expect(kept?.markup).toContain('C102')
  expect(kept?.markup).toContain('data-testid="env-banner"')

  await keepFrame()
  expect(asked.filter((c) => c === 'keep_first_frame')).toHaveLength(1)

  desk.state.recent = [{ customer: 'NEW-1', lastLookup: Date.now(), cardCount: 1 }, ...desk.state.recent]
  await keepFrame()
  expect(asked.filter((c) => c === 'keep_first_frame')).toHaveLength(2)
  expect(desk.state.keptFrame?.key).not.toBe(kept?.key)
  expect(desk.state.keptFrame?.markup).toContain('NEW-1')
})

test('the app takes the place of a frame in the page, keeping what was typed, the focus and an Enter', async () => {
  const desk = fakeDesk({ status: status(), lookups: {}, recent: long })
  const asked = answer(desk)
  const target = document.createElement('div')
  document.body.append(target)
  target.innerHTML = drawStill(App, { status: status(), recent: long })
  expect(carriesFrame(target)).toBe(false)
  document.documentElement.setAttribute('data-first-frame', '')
  expect(carriesFrame(target)).toBe(true)

  const held = holdFrame(target)
  const field = target.querySelector<HTMLInputElement>('#customer')!
  field.focus()
  field.value = '105'
  field.form!.requestSubmit()
  expect(held.submitted).toBe(true)
  carry()
  let app: ReturnType<typeof mount> | undefined
  takeOver(target, () => {
    app = mount(App, { target })
    flushSync()
  }, held)
  expect(document.documentElement.hasAttribute('data-first-frame')).toBe(false)
  expect(target.querySelectorAll('#customer')).toHaveLength(1)
  const live = target.querySelector<HTMLInputElement>('#customer')!
  expect(live).not.toBe(field)
  expect(live.value).toBe('105')
  expect(live).toHaveFocus()
  // the live list filters by what was typed (the app took the text, not just the field)
  // and the Enter looked the customer up in the live app
  await waitFor(() => expect(asked).toContain('lookup'))
  expect(desk.state.calls.find((c) => c.cmd === 'lookup')?.args).toEqual({ customer: '105', want: 'typed' })
  if (app) void unmount(app)
  target.remove()
})
