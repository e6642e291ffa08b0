import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import { monthIndex, periodBounds } from '~/domain/statistics'

import { statsQuerySchema, toStatFilters } from './statistics'

const NAMES = [
  'year',
  'quarter',
  'month',
  'from',
  'to',
  'scope',
  'field',
  'contractType',
  'sellerKind',
  'sellerRegion',
  'buyerRegion',
  'other',
]

describe('statsQuerySchema', () => {
  test('any query is either refused with a message or means a well-formed period', () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer({ min: -5, max: 3000 }).map(String),
      fc
        .tuple(fc.integer({ min: 1990, max: 2110 }), fc.integer({ min: 0, max: 13 }))
        .map(([year, month]) => `${year}-${String(month).padStart(2, '0')}`),
    )
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...NAMES), value), (query) => {
        const parsed = statsQuerySchema.safeParse(query)
        if (!parsed.success) {
          expect(parsed.error.issues.every((issue) => issue.message.length > 0)).toBe(true)
          return
        }
        const { period } = toStatFilters(parsed.data, 2026)
        expect(monthIndex(period.from)).toBeLessThanOrEqual(monthIndex(period.to))
        const { from, to } = periodBounds(period)
        expect(from.getTime()).toBeLessThan(to.getTime())
      }),
      { numRuns: 2000 },
    )
  })

  test('a year, a quarter or a month of it', () => {
    const period = (query: Record<string, string>) =>
      toStatFilters(statsQuerySchema.parse(query), 2026).period
    expect(period({})).toEqual({ from: '2026-01', to: '2026-12' })
    expect(period({ year: '2025', quarter: '4' })).toEqual({ from: '2025-10', to: '2025-12' })
    expect(period({ year: '2024', month: '2' })).toEqual({ from: '2024-02', to: '2024-02' })
    expect(period({ from: '2023-11', to: '2024-02' })).toEqual({ from: '2023-11', to: '2024-02' })
  })
})
