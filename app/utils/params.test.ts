import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import { getCanonicalListSearch, isId, MAX_PAGE, parsePage, requireId } from './params'

const search = (query: string, pageCount: number) =>
  getCanonicalListSearch(new URLSearchParams(query), pageCount)

describe('ids', () => {
  test('cuids pass; NUL bytes, quotes, spaces, empty and overlong strings do not', () => {
    expect(isId('cmi0x3k2a0000abcd1234efgh')).toBe(true)
    for (const bad of ['', '\u0000', 'a\u0000b', "1' OR '1", 'a b', 'é', 'a'.repeat(65), null]) {
      expect(isId(bad)).toBe(false)
    }
    expect(() => requireId('a\u0000b', '没有这条信息')).toThrow(Response)
  })
})

describe('page numbers', () => {
  test('a positive whole number, else 1, and never past MAX_PAGE', () => {
    const page = (value: string) => parsePage(new URLSearchParams({ page: value }))
    expect(parsePage(new URLSearchParams())).toBe(1)
    expect(page('7')).toBe(7)
    expect(page('99999999999999999999')).toBe(MAX_PAGE)
    expect(page('9'.repeat(400))).toBe(MAX_PAGE)
    for (const bad of ['0', '-3', '1.5', '1e3', 'abc', '', ' ']) expect(page(bad)).toBe(1)
  })
})

describe('canonical list addresses', () => {
  test('clean addresses stay; empty parameters and out-of-range pages move', () => {
    expect(search('', 5)).toBeNull()
    expect(search('field=80&page=2', 5)).toBeNull()
    expect(search('page=2&field=80', 5)).toBeNull()
    expect(search('field=&trl=', 5)).toBe('')
    expect(search('field=80&trl=&page=999', 13)).toBe('?field=80&page=13')
    expect(search('page=1', 5)).toBe('')
    expect(search('page=0&mode=license', 5)).toBe('?mode=license')
    expect(search('page=2&page=3', 5)).toBe('?page=2')
    expect(search('page=3', 0)).toBe('')
  })

  test('the canonical address of any query is itself canonical (no redirect loops)', () => {
    const value = fc.oneof(fc.constantFrom('', ' ', '0', '2', '99', '-1', 'x'), fc.string())
    const query = fc.array(fc.tuple(fc.constantFrom('page', 'field', 'trl', 'q'), value), {
      maxLength: 6,
    })
    fc.assert(
      fc.property(query, fc.integer({ min: 0, max: 50 }), (entries, pageCount) => {
        const first = getCanonicalListSearch(new URLSearchParams(entries), pageCount)
        const target = first ?? `?${new URLSearchParams(entries)}`
        expect(getCanonicalListSearch(new URLSearchParams(target), pageCount)).toBeNull()
      }),
    )
  })
})
