// Every tile composition side by side (background + all logos, PDF logo on generated, …) and the
// app at its smallest window size (tauri.conf.json: 820×560), for a person to look at.
import { test, expect, snap } from './fixtures'
import { art, card, cards1234, lookupOf, recent, status, testProfile, sandboxProfile } from '../src/test/fixtures'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

test('tile compositions', async ({ page, mockDesk }) => {
  const cards = [
    card({ token: 'T1', brand: 'VISA', bank: 'Альфа-Банк', masked: '4154 28•• •••• 7731', art: {
      background: art('visa-background.png'), issuerLogo: art('alfa-logo.png', 'image', 'image/png', 'Альфа-Банк'),
      brandLogo: art('visa-logo.png'), coBrandLogo: art('cobrand-miles.png', 'image', 'image/png', 'Miles'), icon: art('visa-icon.png') } }),
    card({ token: 'T2', brand: 'MIR', bank: 'Сбербанк', masked: '2202 20•• •••• 4417', art: { background: art('mir-background.png'), brandLogo: art('mir-logo.png'), issuerLogo: art('sber-logo.png') } }),
    card({ token: 'T3', brand: 'MasterCard', bank: 'Bank USA', masked: '5186 15•• •••• 1030', art: { background: art('mc-background.png'), brandLogo: art('mc-logo.pdf', 'pdf', 'image/pdf'), issuerLogo: art('bankusa-logo.png') } }),
    card({ token: 'T4', brand: 'VISA', bank: 'Беларусбанк', masked: '4255 19•• •••• 0042', art: { issuerLogo: art('belarusbank-logo.png'), brandLogo: art('visa-logo.pdf', 'pdf', 'image/pdf') } }),
  ]
  await mockDesk({ status: status(), lookups: { '1': lookupOf('1', cards) } })
  await page.goto('/')
  await page.getByLabel('Customer number').fill('1')
  await page.keyboard.press('Enter')
  await expect(page.locator('canvas[data-status="ok"]')).toHaveCount(2, { timeout: 15_000 })
  const imgs = page.locator('[data-testid=card] img')
  await expect.poll(() => imgs.evaluateAll((els) => els.every((e) => (e as HTMLImageElement).naturalWidth > 0 && getComputedStyle(e).opacity === '1'))).toBe(true)
  await snap(page, 'customer-compositions', true)
  await page.getByRole('button', { name: 'List' }).click()
  await snap(page, 'customer-compositions-list')
})

test('the smallest window: 820×560', async ({ page, mockDesk }) => {
  await page.setViewportSize({ width: 820, height: 560 })
  await mockDesk({ status: status({ profiles: [sandboxProfile, testProfile] }), lookups: { '1234': lookupOf('1234', cards1234) }, recent })
  await page.goto('/')
  await snap(page, 'small-search')
  await page.getByLabel('Customer number').fill('1234')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('card')).toHaveCount(3)
  const loaded = () => page.locator('[data-testid=customer-view] img').evaluateAll((els) => els.length > 0 && els.every((e) => (e as HTMLImageElement).naturalWidth > 0 && getComputedStyle(e).opacity === '1'))
  await expect.poll(loaded).toBe(true)
  await snap(page, 'small-customer')
  await page.getByRole('button', { name: 'List' }).click()
  await expect.poll(loaded).toBe(true)
  await snap(page, 'small-customer-list')
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings', exact: true }).click()
  await page.getByRole('button', { name: 'Edit profile Shop test' }).click()
  await snap(page, 'small-settings')
  // nothing sticks out sideways
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820)
})
