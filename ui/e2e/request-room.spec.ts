// Issue 16 review: after "Save confirmation" the toast ("Saved …", with "Open folder") covered
// the request's notes box and its Assign and "Add the note" buttons, in English and Russian;
// and once the identity check was recorded, the Russian placeholder of its field was cut
// ("…последние 4 цифры карт"); the example is now a hint under the field. A saved document's toast now sits in the Documents panel's flow,
// under the button that saved it: at the smallest window and the usual one its box must lie
// inside that panel and meet none of the assignee and notes controls, as saved, scrolled to the
// end, and with each control focused from the top of the page or scrolled into view; and no
// field of the detail cuts its placeholder.
import { test, expect } from './fixtures'
import type { Page } from '@playwright/test'
import { aRequest, sandboxProfile, status, testProfile } from '../src/test/fixtures'

test.afterEach(({ problems }) => {
  expect(problems).toEqual([])
})

const CONTROLS = ['request-assignee-edit', 'request-assign', 'request-note-text', 'request-note-add'] as const

/** Visible fields whose placeholder or shown option is wider than the room they have (fit.spec.ts). */
function clippedFields(page: Page) {
  return page.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d')!
    const out: string[] = []
    for (const el of document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input[placeholder], select')) {
      const box = el.getBoundingClientRect()
      if (box.width === 0 || box.height === 0) continue
      if (el instanceof HTMLInputElement && el.value) continue
      const s = getComputedStyle(el)
      ctx.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`
      ctx.letterSpacing = s.letterSpacing === 'normal' ? '0px' : s.letterSpacing
      const text = el instanceof HTMLSelectElement ? (el.selectedOptions[0]?.text ?? '') : el.placeholder
      const extra = el instanceof HTMLSelectElement ? 18 : el.type === 'search' ? 16 : 0
      const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - extra
      const need = ctx.measureText(text).width
      if (need > room + 0.5) out.push(`${el.id || el.getAttribute('data-testid')}: "${text}" needs ${Math.ceil(need)}px, has ${Math.floor(room)}px`)
    }
    return out
  })
}

/** The controls (by test id) whose box meets the toast's. */
function underToast(page: Page) {
  return page.evaluate((ids) => {
    const toast = document.querySelector('[data-testid=toast]')!.getBoundingClientRect()
    return ids.filter((id) => {
      const b = document.querySelector(`[data-testid=${id}]`)!.getBoundingClientRect()
      return b.left < toast.right && b.right > toast.left && b.top < toast.bottom && b.bottom > toast.top
    })
  }, [...CONTROLS])
}

for (const locale of ['en', 'ru'] as const) {
  // the smallest window, the narrowest two-column detail (each panel 340 px), the default window, a larger one
  for (const size of [{ width: 820, height: 560 }, { width: 1020, height: 700 }, { width: 1180, height: 780 }, { width: 1280, height: 800 }]) {
    test(`${locale} at ${size.width}×${size.height}: the saved-document toast covers no control of the request, no placeholder cut`, async ({ page, mockDesk }) => {
      await page.setViewportSize(size)
      await page.addInitScript((l) => localStorage.setItem('carddesk.locale', l), locale)
      const checked = { asked: locale === 'en' ? 'last 4 and expiry of the card' : 'последние 4 цифры и срок действия карты', matched: true, by: 'Anna Petrova', at: '2026-12-01T09:41:00Z' }
      const refusal = aRequest({
        kind: 'card_refusal',
        ticket: 'ZD-5812',
        status: { state: 'in_progress' },
        subjects: [{ customerNumber: '100025', profile: { profile: 'sandbox' } }],
        identityChecks: [checked],
      })
      await mockDesk({ status: status({ profiles: [sandboxProfile, testProfile] }), lookups: {}, requests: [refusal] })
      await page.goto('/')
      await page.getByTestId('nav-requests').click()
      await page.getByTestId('request-row').first().getByRole('button').click()
      const detail = page.getByTestId('request-detail')
      await expect(detail).toBeVisible()
      // the identity check's field, empty again after the check was recorded: its example whole,
      // as a hint that wraps inside the panel (as a placeholder it was cut), and no placeholder cut
      await expect(detail.getByTestId('request-identity-asked')).toBeVisible()
      const hint = detail.getByTestId('request-identity-hint')
      await expect(hint).toHaveText(locale === 'en' ? 'For example: e-mail on file and the card’s last 4 digits.' : 'Например: e-mail и последние 4 цифры карты.')
      expect.soft(await hint.evaluate((h) => {
        const panel = h.closest('section')!.getBoundingClientRect()
        const box = h.getBoundingClientRect()
        return h.scrollWidth <= h.clientWidth && box.left >= panel.left && box.right <= panel.right
      }), 'the hint whole inside its panel').toBe(true)
      expect.soft(await clippedFields(page), 'request detail').toEqual([])

      await detail.getByTestId('request-save-confirmation').click()
      const toast = page.getByTestId('toast')
      await expect(toast).toBeVisible()
      await expect(detail.getByTestId('request-documents').getByTestId('toast')).toBeVisible()
      await page.screenshot({ path: `test-results/request-room-${locale}-${size.width}-saved.png` })
      expect.soft(await underToast(page), 'as saved').toEqual([])
      const inside = await page.evaluate(() => {
        const t = document.querySelector('[data-testid=toast]')!.getBoundingClientRect()
        const p = document.querySelector('[data-testid=request-documents]')!.getBoundingClientRect()
        return t.left >= p.left && t.right <= p.right && t.top >= p.top && t.bottom <= p.bottom
      })
      expect.soft(inside, 'the toast inside the Documents panel').toBe(true)

      // scrolled to the end of the page
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
      await page.waitForFunction(() => Math.abs(window.scrollY + window.innerHeight - document.documentElement.scrollHeight) < 2)
      await page.screenshot({ path: `test-results/request-room-${locale}-${size.width}-end.png` })
      expect.soft(await underToast(page), 'scrolled to the end').toEqual([])

      for (const id of CONTROLS) {
        // reached by focus from the top of the page (as Tab or a screen reader brings it into view)
        await page.evaluate(() => window.scrollTo(0, 0))
        await page.getByTestId(id).evaluate((el) => el.focus())
        expect.soft(await underToast(page), `${id} focused`).toEqual([])
        // or scrolled into view from the top, to the window's bottom edge
        await page.evaluate(() => window.scrollTo(0, 0))
        await page.getByTestId(id).evaluate((el) => el.scrollIntoView({ block: 'end' }))
        expect.soft(await underToast(page), `${id} scrolled into view`).toEqual([])
      }

      // no floating toast kept room for itself below the page
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--toast-room').trim())).toBe('0px')
      await page.getByTestId('toast-dismiss').click()
      await expect(page.getByTestId('toast')).toHaveCount(0)
    })
  }
}
