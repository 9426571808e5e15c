// The search flow in a real browser engine with the IPC mocked: cards, validation, errors,
// language and theme. Screenshots land in test-results/ for a person to look at.
import { test, expect } from './fixtures'

const info = {
  version: '0.1.0',
  profile: { name: 'Sandbox', environment: 'sandbox', merchantId: '452739' },
  sandboxUrl: 'http://127.0.0.1:1',
}
const cards = [
  { token: 'A', bin: '412362', last4: '0028', masked: '4123 62•• •••• 0028', brand: 'VISA', bank: 'Сбербанк', expiry: { month: 12, year: 2031 }, expiryText: '12/2031', active: true, needCvc: false, expired: false },
  { token: 'B', bin: '518615', last4: '1030', masked: '5186 15•• •••• 1030', brand: 'MasterCard', bank: '', expiry: { month: 1, year: 2024 }, expiryText: '01/2024', active: false, needCvc: true, expired: true },
  { token: 'C', bin: '220070', last4: '4417', masked: '2200 70•• •••• 4417', brand: 'MIR', bank: 'ВТБ', expiry: { month: 6, year: 2030 }, expiryText: '06/2030', active: true, needCvc: false, expired: false },
]

test('search shows the customer cards, masked, with state badges', async ({ page, mockTauri }) => {
  await mockTauri(
    (cmd, args, data) => {
      if (cmd === 'app_info') return data.info
      if (cmd === 'list_cards') return { customer: args.customer, cards: data.cards, fetchedAt: '2026-11-27T10:00:00Z' }
    },
    { info, cards },
  )
  await page.goto('/')
  await expect(page.getByTestId('env-banner')).toContainText('Sandbox')
  await page.getByLabel('Customer number').fill('1234')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('card-count')).toHaveText('3 saved cards')
  await expect(page.getByTestId('masked')).toHaveText(['4123 62•• •••• 0028', '5186 15•• •••• 1030', '2200 70•• •••• 4417'])
  await expect(page.getByText('inactive')).toBeVisible()
  await page.screenshot({ path: 'test-results/search-en-light.png', fullPage: true })
  const calls = await page.evaluate(() => (window as unknown as { __IPC_CALLS__: Array<{ cmd: string }> }).__IPC_CALLS__.map((c) => c.cmd))
  expect(calls).toEqual(['app_info', 'list_cards'])
})

test('a forbidden character is refused without a call; Ctrl+K focuses search', async ({ page, mockTauri }) => {
  await mockTauri((cmd, _args, data) => (cmd === 'app_info' ? data : undefined), info)
  await page.goto('/')
  await page.getByLabel('Customer number').fill('12;34')
  await page.keyboard.press('Enter')
  await expect(page.locator('#customer-help')).toContainText('none of')
  await page.locator('h1').click()
  await page.keyboard.press('Control+k')
  await expect(page.getByLabel('Customer number')).toBeFocused()
  const calls = await page.evaluate(() => (window as unknown as { __IPC_CALLS__: Array<{ cmd: string }> }).__IPC_CALLS__.map((c) => c.cmd))
  expect(calls).not.toContain('list_cards')
})

test('Russian and dark theme', async ({ page, mockTauri }) => {
  await mockTauri(
    (cmd, args, data) => {
      if (cmd === 'app_info') return data.info
      if (cmd === 'list_cards') return { customer: args.customer, cards: data.cards, fetchedAt: '2026-11-27T10:00:00Z' }
    },
    { info, cards },
  )
  await page.goto('/')
  await page.getByTestId('language').selectOption('ru')
  await page.getByTestId('theme').selectOption('dark')
  await page.getByLabel('Номер клиента').fill('1234')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('card-count')).toHaveText('3 сохранённые карты')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await page.screenshot({ path: 'test-results/search-ru-dark.png', fullPage: true })
})
