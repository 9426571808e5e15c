// Playwright fixtures: the built UI in Debian's Chromium with Tauri's IPC mocked underneath
// ui/src/lib/ipc.ts, under the app's real Content-Security-Policy (read from tauri.conf.json),
// with card art served at http://cardart.localhost/<key> (the Windows form of the cardart:
// scheme, via mockConvertFileSrc) from the sandbox's own media files. Console errors, page
// errors and CSP violations are collected and fail the test.
import { test as base, type Page } from '@playwright/test'
import { readFileSync, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { fakeDesk, type Seed } from '../src/test/fakeDesk'
import { fakeBulk } from '../src/test/fakeBulk'

const mocksBundle = fileURLToPath(new URL('./.build/tauri-mocks.js', import.meta.url))
const mediaDir = fileURLToPath(new URL('../../src-tauri/sandbox/media/', import.meta.url))
const tauriConf = JSON.parse(readFileSync(new URL('../../tauri.conf.json', import.meta.url), 'utf8')) as {
  app: { security: { csp: Record<string, string> } }
}
/** The CSP the app window runs under. */
export const CSP = Object.entries(tauriConf.app.security.csp)
  .map(([directive, sources]) => `${directive} ${sources}`)
  .join('; ')

const TYPES: Record<string, string> = {
  png: 'image/png',
  pdf: 'application/pdf',
  txt: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler<A> = (cmd: string, args: any, arg: A) => unknown

interface Fixtures {
  mockTauri: <A>(h: Handler<A>, arg: A) => Promise<void>
  /** Installs the fake desk (src/test/fakeDesk.ts, with fakeBulk.ts) in the page, seeded with `seed`. */
  mockDesk: (seed: Seed) => Promise<void>
  /** Console errors, uncaught errors and CSP violations seen so far. */
  problems: string[]
  /** Card-art keys the page asked for. */
  artRequests: string[]
}

async function installMocks(page: Page, script: string) {
  await page.addInitScript({ path: mocksBundle })
  // The handler arrives as source text inside the init script itself (not through eval), so the
  // app's CSP, which forbids eval, does not get in the way.
  await page.addInitScript({
    content: `(() => {
      const w = window;
      w.__IPC_CALLS__ = [];
      w.__TAURI_MOCKS__.mockConvertFileSrc('windows');
      const handler = ${script};
      w.__TAURI_MOCKS__.mockIPC((cmd, args) => { w.__IPC_CALLS__.push({ cmd, args }); return handler(cmd, args); }, { shouldMockEvents: true });
    })();`,
  })
}

export const test = base.extend<Fixtures>({
  problems: [
    async ({ page }, use) => {
      const problems: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
      })
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)
        })
      })
      await use(problems)
    },
    { auto: true },
  ],
  artRequests: [
    async ({ page }, use) => {
      const requests: string[] = []
      await page.route('http://cardart.localhost/**', async (route) => {
        const key = decodeURIComponent(new URL(route.request().url()).pathname.slice(1))
        requests.push(key)
        const file = key.replace(/^sandbox\./, '')
        const path = mediaDir + file
        if (!/^[\w.-]+$/.test(file) || !existsSync(path)) {
          await route.fulfill({ status: 404, headers: { 'access-control-allow-origin': '*' }, body: '' })
          return
        }
        await route.fulfill({
          status: 200,
          headers: {
            'content-type': TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream',
            'x-content-type-options': 'nosniff',
            'access-control-allow-origin': '*',
          },
          body: readFileSync(path),
        })
      })
      await use(requests)
    },
    { auto: true },
  ],
  page: async ({ page }, use) => {
    // The app's document gets the CSP of tauri.conf.json, as in the real window.
    await page.route(/^http:\/\/localhost:4173\/(index\.html)?(\?.*)?$/, async (route) => {
      const response = await route.fetch()
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': CSP } })
    })
    await use(page)
  },
  mockTauri: async ({ page }, use) => {
    await use(async (handler, arg) => {
      await installMocks(page, `((h, arg) => (cmd, args) => h(cmd, args, arg))(${handler.toString()}, ${JSON.stringify(arg)})`)
    })
  },
  mockDesk: async ({ page }, use) => {
    await use(async (seed) => {
      const seedText = JSON.stringify(seed)
      await installMocks(
        page,
        `(() => { const seed = ${seedText}; const h = (${fakeBulk.toString()})(seed.bulk, (${fakeDesk.toString()})(seed)); window.__DESK__ = h; return h; })()`,
      )
    })
  },
})

export { expect } from '@playwright/test'

/** The IPC commands the page has sent so far. */
export async function ipcCalls(page: Page): Promise<Array<{ cmd: string; args: Record<string, unknown> }>> {
  return page.evaluate(() => (window as unknown as { __IPC_CALLS__: Array<{ cmd: string; args: Record<string, unknown> }> }).__IPC_CALLS__)
}

/** A screenshot under test-results/ (scrolled to the top first, so sticky parts sit in place). */
export async function snap(page: Page, name: string, fullPage = false) {
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: `test-results/${name}.png`, fullPage })
}
