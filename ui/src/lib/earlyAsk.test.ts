// Why: the window's first view takes the desk's status and the recent customers from the page's
// HTML when Rust put them there (src-tauri/src/first_view.rs), so nothing waits on an IPC round
// trip; a page without them (a reload, a start where they were not ready) asks as before, and a
// block that cannot be read is ignored rather than shown.
import { afterEach, expect, test } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'
import { askEarly, carriedRecent, carriedStatus, earlyRecent, earlyStatus } from './earlyAsk'
import { AppState } from './appState.svelte'
import type { DeskStatus, RecentCustomer } from './ipc'

const status = { version: '0.1.0', activeProfileId: 'sandbox', profiles: [] } as unknown as DeskStatus
const recent: RecentCustomer[] = [{ customer: '1234', lastLookup: '2026-12-07T10:00:00Z', cards: 3 } as unknown as RecentCustomer]

afterEach(() => {
  clearMocks()
  document.getElementById('carddesk-first')?.remove()
})

function carry(text: string): void {
  const block = document.createElement('script')
  block.type = 'application/json'
  block.id = 'carddesk-first'
  block.textContent = text
  document.head.append(block)
}

test('the first view uses what the page carried and asks Rust nothing', async () => {
  const asked: string[] = []
  mockIPC((cmd) => {
    asked.push(cmd)
  })
  carry(JSON.stringify({ status, recent }))
  askEarly()
  expect(await earlyStatus()).toEqual(status)
  expect(await earlyRecent()).toEqual(recent)
  expect(asked).toEqual([])
  expect(document.getElementById('carddesk-first')).toBeNull()
})

test('a page without the data, or with a block that cannot be read, asks Rust', async () => {
  for (const block of [null, '{"status":', '{"status":{}}']) {
    const asked: string[] = []
    mockIPC((cmd) => {
      asked.push(cmd)
      return cmd === 'desk_status' ? status : recent
    })
    if (block !== null) carry(block)
    askEarly()
    expect(await earlyStatus()).toEqual(status)
    expect(await earlyRecent()).toEqual(recent)
    expect(asked.sort()).toEqual(['desk_status', 'recent_customers'])
    clearMocks()
  }
})

test('what the page carried is handed out at once and once; then the early answers are gone', () => {
  const asked: string[] = []
  mockIPC((cmd) => {
    asked.push(cmd)
  })
  carry(JSON.stringify({ status, recent }))
  askEarly()
  expect(carriedStatus()).toEqual(status)
  expect(carriedRecent()).toEqual(recent)
  expect(carriedStatus()).toBeNull()
  expect(carriedRecent()).toBeNull()
  expect(earlyStatus()).toBeNull()
  expect(earlyRecent()).toBeNull()
  expect(asked).toEqual([])
})

test('the desk is created with the status the page carried, nothing left to ask', () => {
  mockIPC(() => {
    throw new Error('nothing may be asked')
  })
  carry(JSON.stringify({ status, recent }))
  askEarly()
  const desk = new AppState()
  expect(desk.status).toEqual(status)
  expect(desk.unasked).toBe(false)
  expect(new AppState().unasked).toBe(true)
})
