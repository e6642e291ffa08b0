import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import { getPageItems } from './pagination'

describe('numbered pages', () => {
  test('first, last and the neighbours of the current page, with gaps for the rest', () => {
    expect(getPageItems(1, 1)).toEqual([1])
    expect(getPageItems(1, 13)).toEqual([1, 2, 'gap', 13])
    expect(getPageItems(7, 13)).toEqual([1, 'gap', 6, 7, 8, 'gap', 13])
    expect(getPageItems(13, 13)).toEqual([1, 'gap', 12, 13])
    // A gap never stands for a single page.
    expect(getPageItems(4, 13)).toEqual([1, 2, 3, 4, 5, 'gap', 13])
    expect(getPageItems(3, 5)).toEqual([1, 2, 3, 4, 5])
  })

  test('pages are strictly increasing, within range, and always include the current one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 500 }), (a, b) => {
        const [page, pageCount] = a <= b ? [a, b] : [b, a]
        const pages = getPageItems(page, pageCount).filter((item) => item !== 'gap')
        expect(pages).toContain(page)
        expect(pages[0]).toBe(1)
        expect(pages.at(-1)).toBe(pageCount)
        for (let i = 1; i < pages.length; i++) expect(pages[i]!).toBeGreaterThan(pages[i - 1]!)
      }),
    )
  })
})
