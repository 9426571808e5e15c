// The customer view in Chromium under the app's CSP, with card art served the way the app's
// cardart: scheme serves it (http://cardart.localhost/<key>, the sandbox's media files): images
// load, PDF logos are drawn by pdf.js, terms are shown as text (HTML never rendered), broken art
// falls back to the generated tile, and the stale/offline states, refresh and forget work.
import { test, expect, ipcCalls, snap } from './fixtures'
import type { Page } from '@playwright/test'
import { art, card, cards100500, cards100700, cards1234, lookupOf, many, plainCards, recent, status } from '../src/test/fixtures'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

async function open(page: Page, customer: string) {
  await page.goto('/')
  await page.getByLabel('Customer number').fill(customer)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('customer-heading')).toContainText(customer)
}

/** Every <img> in the card area has loaded real pixels and is shown (faded in). */
async function imagesLoaded(page: Page) {
  const imgs = page.locator('[data-testid=customer-view] img')
  await expect(imgs.first()).toBeVisible()
  await expect
    .poll(() => imgs.evaluateAll((els) => els.every((e) => (e as HTMLImageElement).complete && (e as HTMLImageElement).naturalWidth > 0 && getComputedStyle(e).opacity === '1')))
    .toBe(true)
  return imgs.count()
}

test('every art type: combined, background with logos, icons; terms as plain text', async ({ page, mockDesk, artRequests }) => {
  await mockDesk({ status: status(), lookups: { '100700': lookupOf('100700', cards100700) } })
  await open(page, '100700')
  await expect(page.getByTestId('card')).toHaveCount(2)
  await expect(page.locator('[data-art="combined"]')).toHaveCount(2)
  expect(await imagesLoaded(page)).toBe(2)
  await expect(page.getByRole('img', { name: 'Альфа-Банк Gold' })).toBeVisible()
  await snap(page, 'customer-art', true)

  // terms as text/plain
  await page.getByRole('button', { name: 'Terms and conditions of card 4154 28•• •••• 7731' }).click()
  const dialog = page.getByTestId('terms-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByTestId('terms-text')).toContainText('Условия использования')
  await expect(dialog.getByTestId('terms-html-note')).toHaveCount(0)
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('customer-view')).toBeVisible() // Esc closed only the dialog

  // terms as text/html: shown as its source, never rendered
  await page.getByRole('button', { name: 'Terms and conditions of card 5536 91•• •••• 2209' }).click()
  await expect(dialog.getByTestId('terms-html-note')).toContainText('formatting is not shown')
  await expect(dialog.getByTestId('terms-text')).toContainText('<h1>Saved card terms of use</h1>')
  await expect(dialog.getByTestId('terms-text')).toContainText('<script>')
  await expect(dialog.locator('h1')).toHaveCount(0)
  expect(await page.title()).not.toBe('rendered!')
  await snap(page, 'customer-terms-html')
  await dialog.getByRole('button', { name: 'Close' }).last().click()

  // the compact list uses the card icons
  await page.getByRole('button', { name: 'List' }).click()
  await expect(page.getByTestId('card-row')).toHaveCount(2)
  await expect(page.getByTestId('card-icon').locator('img')).toHaveCount(2)
  await imagesLoaded(page)
  expect(artRequests).toContain('sandbox.visa-icon.png')
  await snap(page, 'customer-list')
})

test('PDF brand logos are drawn by pdf.js over a background and a combined image', async ({ page, mockDesk, artRequests }) => {
  const assets: string[] = []
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname
    if (path.startsWith('/assets/pdf') || path.startsWith('/pdfjs/')) assets.push(path.replace(/-[\w-]{8}\./, '.'))
  })
  await mockDesk({ status: status(), lookups: { '100500': lookupOf('100500', cards100500) } })
  await open(page, '100500')
  await expect(page.locator('[data-art]')).toHaveCount(2)
  const tile = (token: string) => page.locator(`[data-token="${token}"] [data-art]`)
  await expect(tile('A5000001-0000-4000-8000-000000000001')).toHaveAttribute('data-art', 'background')
  await expect(tile('A5000001-0000-4000-8000-000000000002')).toHaveAttribute('data-art', 'combined')
  // the first card has a background plus a PDF logo; the second's combined art covers it all
  const canvas = page.locator('canvas[data-status]')
  await expect(canvas).toHaveCount(1)
  await expect(canvas).toHaveAttribute('data-status', 'ok', { timeout: 15_000 })
  // the logo's ink: the VISA wordmark's dark blue appears among the drawn pixels
  const blue = await canvas.evaluate((c) => {
    const el = c as HTMLCanvasElement
    const data = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data
    let n = 0
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 60 && data[i + 1]! < 60 && data[i + 2]! > 90) n++
    return n
  })
  expect(blue).toBeGreaterThan(50)
  expect(await imagesLoaded(page)).toBe(2)
  expect(artRequests.filter((k) => k.endsWith('.pdf'))).toEqual(['sandbox.visa-logo.pdf'])
  // pdf.js arrives lazily, with one worker, from the app's own origin
  expect(assets.filter((a) => a.includes('pdf.worker'))).toHaveLength(1)
  expect(assets.some((a) => a.startsWith('/assets/pdf.'))).toBe(true)
  await snap(page, 'customer-pdf', true)
})

test('a PDF logo on a generated tile, and art that fails to load falls back to the generated parts', async ({ page, mockDesk, problems }) => {
  const broken = card({
    token: 'BROKEN',
    brand: 'MIR',
    bank: 'Сбербанк',
    masked: '2200 15•• •••• 8841',
    art: { combined: art('missing-combined.png'), issuerLogo: art('missing-logo.png'), icon: art('missing-icon.png') },
  })
  const pdfOnly = card({ token: 'PDFONLY', brand: 'MasterCard', bank: 'ВТБ', masked: '5469 38•• •••• 0417', art: { brandLogo: art('mc-logo.pdf', 'pdf', 'application/pdf') } })
  await mockDesk({ status: status(), lookups: { '100600': lookupOf('100600', [broken, pdfOnly, ...plainCards]) } })
  await open(page, '100600')
  const tiles = page.locator('[data-art]')
  await expect(tiles).toHaveCount(6)
  await expect(tiles.first()).toHaveAttribute('data-art', 'generated')
  await expect(page.getByTestId('card').first().locator('img')).toHaveCount(0) // no broken-image icon left
  await expect(page.getByTestId('card').first()).toContainText('Сбербанк')
  await expect(page.locator('canvas[data-status]')).toHaveAttribute('data-status', 'ok', { timeout: 15_000 })
  await expect(page.getByTestId('card').nth(5)).toContainText('Bank not reported')
  await expect(page.getByTestId('badge-expired')).toHaveCount(1)
  await expect(page.getByTestId('badge-soon')).toHaveCount(1)
  await snap(page, 'customer-generated', true)
  // the three 404s are expected here
  problems.splice(0, problems.length, ...problems.filter((p) => !p.includes('404')))
})

test('stale cache while offline: badge, banner, refresh, forget', async ({ page, mockDesk }) => {
  const offline = lookupOf('1234', cards1234, {
    source: 'cache',
    stale: true,
    fetchedAt: '2026-11-25T08:15:00Z',
    offlineReason: 'transport: connection refused (127.0.0.1:41234)',
  })
  await mockDesk({
    status: status(),
    lookups: { '1234': offline },
    refreshed: { '1234': lookupOf('1234', cards1234.slice(0, 2), { fetchedAt: '2026-11-27T12:00:00Z' }) },
    recent,
  })
  await open(page, '1234')
  await expect(page.getByTestId('stale-badge')).toHaveText('stale')
  await expect(page.getByTestId('offline-banner')).toContainText('Showing cached data: the gateway could not be reached')
  await expect(page.getByTestId('offline-banner')).toContainText('connection refused')
  await expect(page.getByTestId('as-of')).toHaveText('as of 25 Nov 2026, 08:15'.replace('08:15', await localTime(page, '2026-11-25T08:15:00Z')))
  await imagesLoaded(page)
  await snap(page, 'customer-offline-stale', true)

  await page.getByRole('button', { name: 'Refresh' }).click()
  await expect(page.getByTestId('offline-banner')).toHaveCount(0)
  await expect(page.getByTestId('stale-badge')).toHaveCount(0)
  await expect(page.getByTestId('card-count')).toHaveText('2 saved cards')
  const refresh = (await ipcCalls(page)).filter((c) => c.cmd === 'lookup').map((c) => c.args)
  expect(refresh).toEqual([{ customer: '1234', want: 'typed' }, { customer: '1234', want: 'live' }])

  await page.getByRole('button', { name: 'Forget this customer' }).click()
  const dialog = page.getByTestId('forget-dialog')
  await expect(dialog).toContainText('Forget customer 1234?')
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await snap(page, 'customer-forget-dialog')
  await dialog.getByRole('button', { name: 'Forget customer' }).click()
  await expect(page.getByTestId('flash')).toHaveText('Customer 1234 was forgotten: nothing about them is left in the cache.')
  await expect(page.getByLabel('Customer number')).toBeVisible()
  await expect(page.getByTestId('recent-customer')).not.toContainText(['1234'])
  expect((await ipcCalls(page)).filter((c) => c.cmd === 'forget_customer')).toEqual([{ cmd: 'forget_customer', args: { customer: '1234' } }])
})

test('Russian and dark theme: 25 cards, plurals, dates in Russian', async ({ page, mockDesk }) => {
  await mockDesk({ status: status(), lookups: { '100025': lookupOf('100025', many(25)), '1234': lookupOf('1234', cards1234) } })
  await page.goto('/')
  await page.getByTestId('lang-ru').click()
  await page.getByRole('group', { name: 'Тема' }).getByRole('button', { name: 'Тёмная' }).click()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru')
  await page.getByLabel('Номер клиента').fill('100025')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('card-count')).toHaveText('25 сохранённых карт')
  await expect(page.getByTestId('as-of')).toContainText('нояб. 2026')
  await snap(page, 'customer-ru-dark', true)
  await page.keyboard.press('Escape')
  await page.getByLabel('Номер клиента').fill('1234')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('card-count')).toHaveText('3 сохранённые карты')
  await imagesLoaded(page)
  await snap(page, 'customer-1234-ru-dark')
  // the choice survives a restart
  await page.reload()
  await expect(page.getByLabel('Номер клиента')).toBeVisible()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
})

async function localTime(page: Page, iso: string): Promise<string> {
  return page.evaluate((v) => new Intl.DateTimeFormat('en-GB', { timeStyle: 'short' }).format(new Date(v)), iso)
}
