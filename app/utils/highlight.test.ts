import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import { highlightPieces, highlightRanges } from './highlight'

describe('highlighting matched words', () => {
  test('marks the longest match and never a piece of it twice', () => {
    expect(highlightPieces('石墨烯导热膜，石墨提纯', ['石墨', '石墨烯'])).toEqual([
      { text: '石墨烯', match: true },
      { text: '导热膜，', match: false },
      { text: '石墨', match: true },
      { text: '提纯', match: false },
    ])
    expect(highlightRanges('SiC 功率器件', ['sic'])).toEqual([[0, 3]])
  })

  test('the pieces always spell the text, markup included, in order', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 5 }),
        (text, terms) => {
          const pieces = highlightPieces(text, terms)
          expect(pieces.map((piece) => piece.text).join('')).toBe(text)
          expect(pieces.every((piece) => piece.text.length > 0)).toBe(true)
        },
      ),
    )
    expect(
      highlightPieces('<script>alert(1)</script>', ['script'])
        .map((p) => p.text)
        .join(''),
    ).toBe('<script>alert(1)</script>')
  })
})
