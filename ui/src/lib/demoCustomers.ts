// The demo customers the search view offers on a first run, each with the note shown beside it
// ("25 cards"). They live in the sandbox's seed (src-tauri/sandbox/seed/default.json, merchant
// 452739, the built-in profile's); demoCustomers.test.ts checks that each is there and holds what
// its note claims, so a change to the seed cannot leave the first-run chips promising cards that
// are not there.
import type { Key } from './i18n/en'

export type DemoCustomer = { customer: string; note: Extract<Key, `demo.${string}`> }

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  { customer: '1234', note: 'demo.1234' },
  { customer: '100025', note: 'demo.100025' },
  { customer: '100700', note: 'demo.100700' },
  { customer: '100500', note: 'demo.100500' },
  { customer: '100000', note: 'demo.100000' },
  { customer: 'КЛ-000731', note: 'demo.cyrillic' },
]
