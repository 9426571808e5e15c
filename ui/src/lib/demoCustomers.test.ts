// The first run's demo customers are the sandbox's: each chip the search view offers names a
// customer of the built-in profile's merchant in the sandbox's seed, and holds what its note
// promises in both languages (a count of cards, every art type, PDF art, a Cyrillic number).
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEMO_CUSTOMERS } from './demoCustomers'
import { en } from './i18n/en'
import { ru } from './i18n/ru'

interface SeedAsset {
  assetType: string
  assetData?: Array<{ mediaType?: string }> | null
}
interface SeedCustomer {
  customerNumber: string
  cards: Array<{ assets?: SeedAsset[] | string | null }>
}
interface Seed {
  merchants: Array<{ merchantId: number; customers: SeedCustomer[] }>
}

const seed = JSON.parse(readFileSync(resolve(process.cwd(), '../src-tauri/sandbox/seed/default.json'), 'utf8')) as Seed
/** The built-in sandbox profile's merchant (src-tauri/desk/src/desk.rs, `sandbox_record`). */
const DEMO_MERCHANT = 452739
const merchant = seed.merchants.find((m) => m.merchantId === DEMO_MERCHANT)
const assets = (c: SeedCustomer): SeedAsset[] => c.cards.flatMap((card) => (Array.isArray(card.assets) ? card.assets : []))

/** The number of cards a note claims, or null when it claims none. */
function claimedCount(note: string): number | null {
  if (/^no cards$|^нет карт$/.test(note)) return 0
  const n = /^(\d+) (cards?|карт)/.exec(note)
  return n ? Number(n[1]) : null
}

describe('demo customers', () => {
  it('are customers of the sandbox profile’s merchant', () => {
    expect(merchant, `merchant ${DEMO_MERCHANT} in the seed`).toBeDefined()
    const numbers = merchant!.customers.map((c) => c.customerNumber)
    for (const d of DEMO_CUSTOMERS) expect(numbers, d.customer).toContain(d.customer)
  })

  it.each(DEMO_CUSTOMERS.map((d) => [d.customer, d.note] as const))('%s holds what %s says', (customer, note) => {
    const c = merchant!.customers.find((x) => x.customerNumber === customer)!
    const [textEn, textRu] = [en[note], ru[note]] as [string, string]
    // The two languages claim the same count (or neither claims one).
    expect(claimedCount(textRu)).toBe(claimedCount(textEn))
    const count = claimedCount(textEn)
    if (count !== null) expect(c.cards.length, `${customer}: ${textEn}`).toBe(count)
    else expect(c.cards.length, `${customer}: ${textEn} shows cards`).toBeGreaterThan(0)
    if (/every art type/.test(textEn)) {
      const everyType = new Set(merchant!.customers.flatMap((x) => assets(x).map((a) => a.assetType)))
      expect(new Set(assets(c).map((a) => a.assetType))).toEqual(everyType)
    }
    if (/PDF/.test(textEn)) expect(assets(c).some((a) => (a.assetData ?? []).some((m) => m.mediaType?.includes('pdf')))).toBe(true)
    if (/Cyrillic/.test(textEn)) expect(customer).toMatch(/\p{Script=Cyrillic}/u)
  })

  it('each note is one the i18n files have, and no demo note goes unused', () => {
    const notes = Object.keys(en).filter((k) => k.startsWith('demo.'))
    expect([...DEMO_CUSTOMERS.map((d) => d.note)].sort()).toEqual(notes.sort())
  })
})
