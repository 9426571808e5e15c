// The search view in a real browser engine with the IPC mocked: first run on the sandbox,
// validation before anything is sent, keyboard (Enter, Esc, Ctrl+K, arrows), the recent list
// with its filter, searching every profile, and the banners for production and for passwords
// kept in memory only. Screenshots land in test-results/ for a person to look at.
import { test, expect, ipcCalls, snap } from './fixtures'
import { cards1234, lookupOf, productionProfile, recent, sandboxProfile, status, testProfile } from '../src/test/fixtures'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

test('first run on the sandbox: demo banner, a demo customer, Esc back, recent list', async ({ page, mockDesk }) => {
  await mockDesk({ status: status(), lookups: { '1234': lookupOf('1234', cards1234) } })
  await page.goto('/')
  await expect(page.getByTestId('env-banner')).toContainText('Sandbox')
  await expect(page.getByTestId('env-banner')).toContainText('Merchant 452739')
  await expect(page.getByTestId('first-run')).toContainText('demo data on the built-in sandbox')
  await expect(page.getByRole('button', { name: /Open demo customer 100025/ })).toBeVisible()
  await expect(page.getByLabel('Customer number')).toBeFocused()
  await snap(page, 'search-first-run')

  await page.getByLabel('Customer number').fill('1234')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('customer-heading')).toContainText('1234')
  await expect(page.getByTestId('card-count')).toHaveText('3 saved cards')
  // active cards first, soonest expiry first; the expired one last
  await expect(page.getByTestId('masked')).toHaveText(['2202 20•• •••• 4417', '4123 62•• •••• 0028', '5186 15•• •••• 1030'])

  await page.keyboard.press('Escape')
  await expect(page.getByLabel('Customer number')).toBeFocused()
  await expect(page.getByTestId('recent-customer')).toHaveText(['1234'])
  await page.getByRole('button', { name: 'Dismiss' }).click()
  await expect(page.getByTestId('first-run')).toHaveCount(0)
  await page.reload()
  await expect(page.getByTestId('env-banner')).toBeVisible()
  await expect(page.getByTestId('first-run')).toHaveCount(0) // the dismissal is remembered

  const calls = (await ipcCalls(page)).map((c) => c.cmd)
  expect(calls).toContain('desk_status')
  expect(calls).toContain('recent_customers')
})

test('a forbidden character is refused without a call; Ctrl+K focuses search from anywhere', async ({ page, mockDesk }) => {
  await mockDesk({ status: status(), lookups: {} })
  await page.goto('/')
  await page.getByLabel('Customer number').fill('12;34')
  await page.keyboard.press('Enter')
  await expect(page.locator('#customer-help')).toContainText('Customer number: none of')
  await expect(page.getByLabel('Customer number')).toHaveAttribute('aria-invalid', 'true')
  await snap(page, 'search-invalid')

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible()
  await page.keyboard.press('Control+k')
  await expect(page.getByLabel('Customer number')).toBeFocused()
  const calls = (await ipcCalls(page)).map((c) => c.cmd)
  expect(calls).not.toContain('lookup')
})

test('recent customers filter as you type; arrows and Enter open one', async ({ page, mockDesk }) => {
  await mockDesk({ status: status(), lookups: { '100025': lookupOf('100025', []) }, recent })
  await page.goto('/')
  await expect(page.getByTestId('recent-customer')).toHaveText(['100700', '1234', 'КЛ-000731', '100025'])
  await expect(page.getByTestId('recent-list')).toContainText('25 saved cards')
  await snap(page, 'search-recent')
  await page.getByLabel('Customer number').fill('100')
  await expect(page.getByTestId('recent-customer')).toHaveText(['100700', '100025'])
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await expect(page.getByRole('button', { name: 'Open customer 100025' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('customer-heading')).toContainText('100025')
  await expect(page.getByTestId('no-cards')).toBeVisible()
  const lookups = (await ipcCalls(page)).filter((c) => c.cmd === 'lookup')
  expect(lookups).toEqual([{ cmd: 'lookup', args: { customer: '100025', want: 'fresh' } }])

  // the same list in Russian and dark
  await page.keyboard.press('Escape')
  await page.getByTestId('lang-ru').click()
  await page.getByRole('group', { name: 'Тема' }).getByRole('button', { name: 'Тёмная' }).click()
  await page.getByLabel('Номер клиента').fill('')
  await expect(page.getByRole('button', { name: 'Открыть клиента 100025' })).toContainText('0 сохранённых карт') // just looked up: none now
  await expect(page.getByRole('button', { name: 'Открыть клиента 1234' })).toContainText('3 сохранённые карты')
  await snap(page, 'search-ru-dark')
})

test('a long history: all 50 rows listed, the last one reached by scrolling and by the arrow keys', async ({ page, mockDesk }) => {
  const long = Array.from({ length: 50 }, (_, i) => ({ customer: `C${100 + i}`, lastLookup: Date.parse('2026-11-27T09:00:00Z') - i * 3_600_000, cardCount: (i % 4) + 1 }))
  await mockDesk({ status: status(), lookups: {}, recent: long })
  await page.goto('/')
  await expect(page.getByTestId('recent-customer')).toHaveCount(50)
  const first = await page.getByRole('button', { name: 'Open customer C100' }).boundingBox()
  const last = page.getByRole('button', { name: 'Open customer C149' })
  await last.scrollIntoViewIfNeeded()
  await expect(last).toBeInViewport()
  // rows off screen are drawn when scrolled to, the same height as the first
  expect(Math.abs(((await last.boundingBox())?.height ?? 0) - (first?.height ?? 0))).toBeLessThan(1)
  await snap(page, 'search-recent-long-end')
  await page.getByLabel('Customer number').focus()
  for (let i = 0; i < 50; i++) await page.keyboard.press('ArrowDown')
  await expect(last).toBeFocused()
})

test('search all profiles: a section per profile, each with its cards or its error', async ({ page, mockDesk }) => {
  await mockDesk({
    status: status({ profiles: [sandboxProfile, testProfile, productionProfile] }),
    lookups: {},
    byProfile: {
      sandbox: { '1234': { lookup: lookupOf('1234', cards1234) } },
      'p-test': { '1234': { error: { code: 'transport', message: 'test.paysecure.ru: connection timed out after 10 s' } } },
    },
  })
  await page.goto('/')
  await page.getByLabel(/Search all profiles/).check()
  await page.getByLabel('Customer number').fill('1234')
  await page.keyboard.press('Enter')
  const sections = page.getByTestId('profile-result')
  await expect(sections).toHaveCount(3)
  await expect(sections.nth(0)).toContainText('3 saved cards')
  await expect(sections.nth(1)).toContainText('The gateway could not be reached. Check the base URL or your connection')
  await expect(sections.nth(2)).toContainText('This profile has no password. Add it in Settings')
  await snap(page, 'search-all-profiles', true)

  await sections.nth(2).getByRole('button', { name: 'Add password in Settings' }).click()
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused()
})

test('production profile: red banner; passwords in memory: a clear warning', async ({ page, mockDesk }) => {
  await mockDesk({
    status: status({
      activeProfileId: 'p-prod',
      profiles: [sandboxProfile, productionProfile],
      secretStore: { kind: 'memory', reason: 'no Secret Service on the session bus (org.freedesktop.secrets)' },
    }),
    lookups: {},
  })
  await page.goto('/')
  const banner = page.getByTestId('env-banner')
  await expect(banner).toHaveAttribute('data-env', 'production')
  await expect(banner).toContainText('Shop production')
  await expect(banner).toHaveCSS('background-color', 'rgb(185, 28, 28)')
  await expect(page.getByTestId('memory-banner')).toContainText('in memory for this session only')
  await expect(page.getByTestId('memory-banner')).toContainText('no Secret Service on the session bus')
  await expect(page.getByTestId('first-run')).toHaveCount(0)

  await page.getByLabel('Customer number').fill('1234')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('error')).toContainText('This profile has no password. Add it in Settings')
  await snap(page, 'search-production-memory')
  await page.getByRole('button', { name: 'Add password in Settings' }).click()
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused()
})

test('an unusable audit log is announced at start', async ({ page, mockDesk }) => {
  await mockDesk({
    status: status({
      auditProblem: {
        code: 'audit_log',
        message: 'audit log: entry 7 (line 7) fails its own hash: it was edited; move audit.jsonl aside to start a new log',
      },
    }),
    lookups: {},
  })
  await page.goto('/')
  const banner = page.getByTestId('audit-problem')
  await expect(banner).toContainText('The audit log cannot be used')
  await expect(banner).toContainText('Revocations are blocked until it is fixed')
  await snap(page, 'search-audit-problem')
})

test('the first view sets its text in the type scale: five sizes besides the heading and the field, three weights', async ({ page, mockDesk }) => {
  // Each further size or weight is one more font WebKitGTK looks up before the window's first
  // frame (app.css, docs/benchmarks.md "Start-up", seventh round).
  await mockDesk({ status: status(), lookups: {}, recent })
  await page.goto('/')
  await expect(page.getByTestId('recent-customer')).toHaveCount(recent.length)
  const fonts = await page.evaluate(() => {
    const seen = new Set<string>()
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement
      if (!el || !n.textContent?.trim() || el.getClientRects().length === 0) continue
      const style = getComputedStyle(el)
      seen.add(`${style.fontSize} ${style.fontWeight}`)
    }
    for (const input of document.querySelectorAll('input[type=text], input:not([type])')) {
      const style = getComputedStyle(input)
      seen.add(`${style.fontSize} ${style.fontWeight}`)
    }
    return [...seen]
  })
  const rem = 15 // app.css: the root's font size
  const scale = [0.72, 0.8, 0.88, 1, 1.05].map((r) => `${+(r * rem).toFixed(2)}px`)
  const heading = `${+(1.65 * rem).toFixed(2)}px`
  const field = `${+(1.08 * rem).toFixed(2)}px`
  for (const font of fonts) {
    const [size, weight] = font.split(' ')
    expect([...scale, heading, field], `text at ${font}`).toContain(size)
    expect(['400', '600', '700'], `text at ${font}`).toContain(weight)
  }
})
