// The UI's calls and the app's commands are one contract: every command ipc.ts calls is one
// the shell declares (src-tauri/permissions/desk.toml, which a Rust test checks against the
// #[tauri::command] functions), and every declared command has a caller here.
import { expect, test } from 'vitest'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import ipcSource from './ipc?raw'

// Outside the UI's root, so read from disk rather than through Vite (tests run in ui/).
const permissions = readFileSync(resolve(process.cwd(), '../src-tauri/permissions/desk.toml'), 'utf8')

const called = (source: string) => [...new Set([...source.matchAll(/call<[^>]*>\('(\w+)'/g)].map((m) => m[1]!))].sort()
const declared = (toml: string) => {
  const list = toml.slice(toml.indexOf('commands.allow = ['))
  return [...list.slice(0, list.indexOf(']')).matchAll(/"(\w+)"/g)].map((m) => m[1]!).sort()
}

test('ipc.ts calls exactly the commands the app declares', () => {
  const calls = called(ipcSource)
  expect(calls.length).toBeGreaterThan(20)
  expect(calls).toEqual(declared(permissions))
})
