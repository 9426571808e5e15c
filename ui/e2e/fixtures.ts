// A Playwright fixture that installs a mocked Tauri IPC handler before the app loads and
// records every call in window.__IPC_CALLS__.
import { test as base } from '@playwright/test'
import { fileURLToPath } from 'node:url'

const mocksBundle = fileURLToPath(new URL('./.build/tauri-mocks.js', import.meta.url))

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler<A> = (cmd: string, args: any, arg: A) => unknown

export const test = base.extend<{ mockTauri: <A>(h: Handler<A>, arg: A) => Promise<void> }>({
  mockTauri: async ({ page }, use) => {
    await use(async (handler, arg) => {
      await page.addInitScript({ path: mocksBundle })
      await page.addInitScript(
        ({ src, arg }) => {
          const h = eval(`(${src})`)
          const w = window as unknown as {
            __IPC_CALLS__: Array<{ cmd: string; args: unknown }>
            __TAURI_MOCKS__: { mockIPC: (f: (c: string, a: unknown) => unknown, o: object) => void }
          }
          w.__IPC_CALLS__ = []
          w.__TAURI_MOCKS__.mockIPC(
            (cmd, args) => {
              w.__IPC_CALLS__.push({ cmd, args })
              return h(cmd, args, arg)
            },
            { shouldMockEvents: true },
          )
        },
        { src: handler.toString(), arg },
      )
    })
  },
})
export { expect } from '@playwright/test'
