import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import { clampText } from './limits'

describe('clampText', () => {
  test('keeps short texts and cuts long ones to the limit, marking the cut, never inside a character', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.integer({ min: 2, max: 250 }),
        (text, max) => {
          const clamped = clampText(text, max)
          const characters = [...clamped]
          expect(characters.length).toBeLessThanOrEqual(max)
          if ([...text].length <= max) expect(clamped).toBe(text)
          else {
            expect(clamped.endsWith('…')).toBe(true)
            expect(text.startsWith(clamped.slice(0, -1))).toBe(true)
          }
          // No lone surrogate: the clamped text encodes and decodes unchanged.
          expect(new TextDecoder().decode(new TextEncoder().encode(clamped))).toBe(clamped)
        },
      ),
    )
  })

  test('a notice quoting two long titles fits its column', () => {
    const title = '𠀀'.repeat(200)
    expect([...clampText(`您发布的“${title}”与“${title}”高度匹配`, 200)]).toHaveLength(200)
  })
})
