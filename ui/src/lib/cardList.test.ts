// Finding one card among many: the order and the filter a support agent relies on.
import { expect, test } from 'vitest'
import { card } from '../test/fixtures'
import { ageMinutes, filterCards, sortCards } from './cardList'

const cards = [
  card({ token: 'A', last4: '1111', brand: 'VISA', bank: 'Сбербанк', expiry: { month: 5, year: 2029 }, expiryText: '05/2029' }),
  card({ token: 'B', last4: '2222', brand: 'MIR', bank: 'ВТБ', expiry: { month: 1, year: 2024 }, expiryText: '01/2024', expired: true }),
  card({ token: 'C', last4: '3333', brand: 'MasterCard', bank: 'Т-Банк', expiry: { month: 11, year: 2027 }, expiryText: '11/2027' }),
  card({ token: 'D', last4: '4444', brand: 'VISA', bank: 'Альфа-Банк', expiry: { month: 11, year: 2027 }, expiryText: '11/2027', active: false }),
  card({ token: 'E', last4: '5555', brand: 'VISA', bank: 'ВТБ', expiry: { month: 11, year: 2027 }, expiryText: '11/2027' }),
]

test('active cards first, soonest expiry first, ties in the gateway order; expired and inactive after', () => {
  expect(sortCards(cards).map((c) => c.token)).toEqual(['C', 'E', 'A', 'B', 'D'])
  // Stable: sorting again changes nothing.
  expect(sortCards(sortCards(cards)).map((c) => c.token)).toEqual(['C', 'E', 'A', 'B', 'D'])
})

test('the filter finds a card by last 4, brand, bank or expiry, any case, every word', () => {
  const found = (q: string) => filterCards(cards, q).map((c) => c.token)
  expect(found('3333')).toEqual(['C'])
  expect(found('visa')).toEqual(['A', 'D', 'E'])
  expect(found('втб')).toEqual(['B', 'E'])
  expect(found('visa втб')).toEqual(['E'])
  expect(found('11/27')).toEqual(['C', 'D', 'E'])
  expect(found('05/2029')).toEqual(['A'])
  expect(found('  ')).toHaveLength(5)
  expect(found('nothing')).toEqual([])
})

test('the age of a cached list in whole minutes', () => {
  const now = Date.parse('2026-12-06T12:00:00Z')
  expect(ageMinutes('2026-12-06T11:47:30Z', now)).toBe(12)
  expect(ageMinutes('2026-12-06T12:00:30Z', now)).toBe(0)
  expect(ageMinutes('garbage', now)).toBe(0)
})
