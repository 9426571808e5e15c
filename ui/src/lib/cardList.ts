// Why: a customer may have 25 saved cards, and the agent is looking for one ("the Visa ending
// 0028", "the Sberbank card", "the one that expires in May"). The cards are shown in a stable
// order — active first, then by expiry, soonest first — and narrowed by what the agent types:
// last 4, brand, bank or expiry, any case, each word matching.
import type { CardView } from './ipc'

/** Active and unexpired cards first; then by expiry (soonest first, none last); ties keep
 * the gateway's order. */
export function sortCards(cards: readonly CardView[]): CardView[] {
  const usable = (c: CardView) => (c.active && !c.expired ? 0 : 1)
  const expiry = (c: CardView) => (c.expiry ? c.expiry.year * 12 + c.expiry.month : Number.MAX_SAFE_INTEGER)
  return cards
    .map((card, i) => ({ card, i }))
    .sort((a, b) => usable(a.card) - usable(b.card) || expiry(a.card) - expiry(b.card) || a.i - b.i)
    .map(({ card }) => card)
}

/** What a card can be found by: last 4, brand, bank, expiry (as shown, and `MM/YY`). */
function haystack(c: CardView): string {
  const parts = [c.last4, c.brand, c.bank, c.expiryText, c.masked]
  if (c.expiry) parts.push(`${String(c.expiry.month).padStart(2, '0')}/${String(c.expiry.year % 100).padStart(2, '0')}`)
  return parts.join(' ').toLowerCase()
}

/** The cards every word of `query` is found in (all cards for a blank query). */
export function filterCards(cards: readonly CardView[], query: string): CardView[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return [...cards]
  return cards.filter((c) => {
    const hay = haystack(c)
    return words.every((w) => hay.includes(w))
  })
}

/** Minutes since `fetchedAt` (RFC 3339), at least 0. */
export function ageMinutes(fetchedAt: string, now = Date.now()): number {
  const at = Date.parse(fetchedAt)
  return Number.isNaN(at) ? 0 : Math.max(0, Math.floor((now - at) / 60_000))
}
