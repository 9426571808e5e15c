// Why: issue 19 — the card number is white, and some card art is light (the yellow Т-Банк card):
// the last 4 digits, which the agent compares with what the customer reads out, got hard to
// read. For every tile drawn over art, the digits' colour is measured against the brightest
// pixel actually painted behind them (the text hidden for that screenshot): at least 4.5:1.
import { test, expect } from './fixtures'
import { art, card, cards100700, lookupOf, status } from '../src/test/fixtures'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

const cards = [
  ...cards100700,
  // the lightest art there is: plain white (served below)
  card({ token: 'WHITE', bank: 'Белый банк', masked: '4000 00•• •••• 0001', last4: '0001', art: { combined: art('white.png') } }),
  card({ token: 'VISA-BG', masked: '4154 28•• •••• 7731', last4: '7731', art: { background: art('visa-background.png') } }),
]

test('the digits read at 4.5:1 over any card art, light or dark', async ({ page, mockDesk, context }) => {
  // a page without the app's CSP, to make a white card image and to read pixels
  const lab = await context.newPage()
  await lab.setContent('<canvas></canvas>')
  const white = await lab.evaluate(() => {
    const c = document.querySelector('canvas')!
    c.width = 768
    c.height = 484
    const ctx = c.getContext('2d')!
    ctx.fillStyle = '#fff'
    ctx.fillRect(0, 0, c.width, c.height)
    return c.toDataURL('image/png').split(',')[1]!
  })
  await page.route('http://cardart.localhost/sandbox.white.png', (route) =>
    route.fulfill({ status: 200, headers: { 'content-type': 'image/png', 'access-control-allow-origin': '*' }, body: Buffer.from(white, 'base64') }),
  )
  await mockDesk({ status: status(), lookups: { '100700': lookupOf('100700', cards) } })
  await page.goto('/')
  await page.locator('#customer').fill('100700')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('card').first()).toBeVisible()
  const imgs = page.locator('[data-testid=card] img')
  await expect.poll(() => imgs.evaluateAll((els) => els.every((e) => (e as HTMLImageElement).complete && getComputedStyle(e).opacity === '1'))).toBe(true)


  const faces = page.locator('[data-testid=card] .face:not([data-art="generated"])')
  const n = await faces.count()
  expect(n).toBeGreaterThanOrEqual(3)
  const results: Array<{ masked: string; ratio: number }> = []
  for (let i = 0; i < n; i++) {
    const number = faces.nth(i).getByTestId('masked')
    await number.scrollIntoViewIfNeeded()
    const masked = (await number.textContent()) ?? ''
    const colour = await number.evaluate((el) => getComputedStyle(el).color)
    // where the glyphs are: the content box (a rounded scrim's corners are outside it)
    const pad = await number.evaluate((el) => {
      const s = getComputedStyle(el)
      return { x: parseFloat(s.paddingLeft), y: parseFloat(s.paddingTop) }
    })
    await number.evaluate((el) => {
      el.style.color = 'transparent'
      el.style.textShadow = 'none'
    })
    const shot = (await number.screenshot()).toString('base64')
    await number.evaluate((el) => {
      el.style.color = ''
      el.style.textShadow = ''
    })
    const ratio = await lab.evaluate(
      async ({ b64, colour, pad }) => {
        const img = new Image()
        img.src = `data:image/png;base64,${b64}`
        await img.decode()
        const c = document.querySelector('canvas')!
        c.width = img.width
        c.height = img.height
        const ctx = c.getContext('2d')!
        ctx.drawImage(img, 0, 0)
        const x = Math.ceil(pad.x)
        const y = Math.ceil(pad.y)
        const data = ctx.getImageData(x, y, Math.max(1, c.width - 2 * x), Math.max(1, c.height - 2 * y)).data
        const lum = (r: number, g: number, b: number) => {
          const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
        }
        let brightest = 0
        for (let p = 0; p < data.length; p += 4) brightest = Math.max(brightest, lum(data[p]!, data[p + 1]!, data[p + 2]!))
        const [r, g, b] = colour.match(/\d+/g)!.map(Number) as [number, number, number]
        const text = lum(r, g, b)
        return Math.round(((Math.max(text, brightest) + 0.05) / (Math.min(text, brightest) + 0.05)) * 100) / 100
      },
      { b64: shot, colour, pad },
    )
    results.push({ masked, ratio })
  }
  for (const r of results) expect(r.ratio, r.masked).toBeGreaterThanOrEqual(4.5)
  await page.getByTestId('card').filter({ hasText: '2209' }).screenshot({ path: 'test-results/card-digits-tbank.png' })
})
