// Why: issue 19 — the contrasts axe-core does not measure, measured here in the real browser,
// in light and dark: the environment pill in the top strip (sandbox and test), the small muted
// sidebar captions, placeholders, the borders of fields, the keyboard focus ring, and how far
// the pressed EN/RU and theme buttons stand apart from the unpressed ones.
import { test, expect } from './fixtures'
import type { Locator, Page } from '@playwright/test'
import { recent, sandboxProfile, status, testProfile } from '../src/test/fixtures'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

type Rgba = [number, number, number, number]

/** Colours in the page: computed colours, and the opaque background an element sits on. */
async function install(page: Page) {
  await page.addInitScript(() => {
    const parse = (c: string): Rgba => {
      const m = c.match(/rgba?\(([^)]+)\)/)
      if (!m) return [0, 0, 0, 0]
      const p = m[1]!.split(/[ ,/]+/).filter(Boolean).map(Number)
      return [p[0]!, p[1]!, p[2]!, p[3] ?? 1]
    }
    const over = (top: Rgba, under: Rgba): Rgba => {
      const a = top[3]
      return [top[0] * a + under[0] * (1 - a), top[1] * a + under[1] * (1 - a), top[2] * a + under[2] * (1 - a), 1]
    }
    /** The background behind `el` as painted: its own and its ancestors' backgrounds composited. */
    const behind = (el: Element | null): Rgba => {
      const layers: Rgba[] = []
      for (let n = el; n; n = n.parentElement) layers.push(parse(getComputedStyle(n).backgroundColor))
      let acc: Rgba = [255, 255, 255, 1]
      for (const l of layers.reverse()) acc = over(l, acc)
      return acc
    }
    const lum = (c: Rgba) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
      return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2])
    }
    const ratio = (a: Rgba, b: Rgba) => {
      const [x, y] = [lum(a), lum(b)]
      return Math.round(((Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05)) * 100) / 100
    }
    Object.assign(window, { __colour: { parse, over, behind, ratio } })
  })
}

type Colour = {
  parse: (c: string) => Rgba
  over: (a: Rgba, b: Rgba) => Rgba
  behind: (el: Element | null) => Rgba
  ratio: (a: Rgba, b: Rgba) => number
}

/** Text against what it is painted on. */
const textContrast = (l: Locator, pseudo?: string) =>
  l.evaluate((el, pseudo) => {
    const c = (window as unknown as { __colour: Colour }).__colour
    const bg = c.behind(el)
    return c.ratio(c.over(c.parse(getComputedStyle(el, pseudo).color), bg), bg)
  }, pseudo)

/** An element's own border against the background around it. */
const borderContrast = (l: Locator) =>
  l.evaluate((el) => {
    const c = (window as unknown as { __colour: Colour }).__colour
    const around = c.behind(el.parentElement)
    return c.ratio(c.over(c.parse(getComputedStyle(el).borderTopColor), around), around)
  })

/** The focus outline against the colours on both sides of it. */
const ringContrast = (l: Locator) =>
  l.evaluate((el) => {
    const c = (window as unknown as { __colour: Colour }).__colour
    const s = getComputedStyle(el)
    const outside = c.behind(el.parentElement)
    const inside = c.behind(el)
    const ring = c.over(c.parse(s.outlineColor), outside)
    const offset = parseFloat(s.outlineOffset)
    return Math.min(c.ratio(ring, outside), offset > 0 ? c.ratio(ring, outside) : c.ratio(ring, inside))
  })

/** A pressed toggle's background against an unpressed one's (which shows its group's). */
async function pressedContrast(pressed: Locator, unpressed: Locator) {
  const bg = (l: Locator) => l.evaluate((el) => (window as unknown as { __colour: Colour }).__colour.behind(el))
  const [a, b] = [await bg(pressed), await bg(unpressed)]
  return pressed.evaluate((_, [a, b]) => (window as unknown as { __colour: Colour }).__colour.ratio(a, b), [a, b] as const)
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(theme, () => {
    test.beforeEach(async ({ page }) => {
      await install(page)
      await page.addInitScript((th) => {
        localStorage.setItem('carddesk.locale', 'ru')
        localStorage.setItem('carddesk.theme', th)
      }, theme)
    })

    test('the environment pill reads at 4.5:1 in sandbox and in test', async ({ page, mockDesk }) => {
      await mockDesk({ status: status({ profiles: [sandboxProfile, testProfile] }), lookups: {}, recent })
      await page.goto('/')
      const pill = page.getByTestId('env-banner').locator('.tag')
      await expect(pill).toBeVisible()
      expect(await textContrast(pill)).toBeGreaterThanOrEqual(4.5)
      await page.getByTestId('nav-settings').click()
      await page.getByTestId('profile-row').nth(1).getByRole('button').first().click()
      await expect(page.getByTestId('env-banner')).toHaveAttribute('data-env', 'test')
      expect(await textContrast(pill)).toBeGreaterThanOrEqual(4.5)
    })

    test('small sidebar text, placeholders, field borders, the focus ring and pressed toggles', async ({ page, mockDesk }) => {
      await mockDesk({ status: status({ profiles: [sandboxProfile, testProfile] }), lookups: {}, recent })
      await page.goto('/')
      await expect(page.getByTestId('env-banner')).toBeVisible()
      const nav = page.getByRole('navigation', { name: /Main|Главное|Основн/ })

      // the 11px captions in the sidebar
      for (const small of [nav.locator('.brand-text small'), nav.locator('.caption')]) {
        expect(await textContrast(small)).toBeGreaterThanOrEqual(4.5)
      }

      // placeholders and the field's border, on the search page
      const search = page.locator('#customer')
      expect(await textContrast(search, '::placeholder')).toBeGreaterThanOrEqual(4.5)
      expect(await borderContrast(search)).toBeGreaterThanOrEqual(3)

      // the focus ring, reached with the keyboard: on a field, and on a sidebar item
      await search.focus()
      await page.keyboard.press('Shift+Tab')
      await page.keyboard.press('Tab')
      await expect(search).toBeFocused()
      expect(await ringContrast(search)).toBeGreaterThanOrEqual(3)
      await page.getByTestId('nav-audit').focus()
      await page.keyboard.press('Tab')
      await page.keyboard.press('Shift+Tab')
      await expect(page.getByTestId('nav-audit')).toBeFocused()
      expect(await ringContrast(page.getByTestId('nav-audit'))).toBeGreaterThanOrEqual(3)

      // the pressed language and theme stand apart from the others
      const ru = page.getByTestId('lang-ru')
      const en = page.getByTestId('lang-en')
      await expect(ru).toHaveAttribute('aria-pressed', 'true')
      expect(await pressedContrast(ru, en)).toBeGreaterThanOrEqual(3)
      expect(await textContrast(ru)).toBeGreaterThanOrEqual(4.5)
      expect(await textContrast(en)).toBeGreaterThanOrEqual(4.5)
      const themes = nav.locator('.prefs .segmented').nth(1)
      expect(await pressedContrast(themes.locator('button[aria-pressed="true"]'), themes.locator('button[aria-pressed="false"]').first())).toBeGreaterThanOrEqual(3)
    })
  })
}
