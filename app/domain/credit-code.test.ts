import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import {
  completeCreditCode,
  computeCreditCodeCheckChar,
  computeOrgCodeCheckChar,
  CREDIT_CODE_CHARSET,
  isValidCreditCode,
} from './credit-code.ts'

const charsetChar = fc.constantFrom(...CREDIT_CODE_CHARSET)
const prefix = (length: number) =>
  fc.array(charsetChar, { minLength: length, maxLength: length }).map((chars) => chars.join(''))
const validCode = prefix(16).map(completeCreditCode)

describe('isValidCreditCode', () => {
  test.each([
    // The example printed in most GB 32100 explanations.
    '91350100M000100Y43',
    // Computed here: an enterprise in 西安高新区, a public institution, a government body.
    '91610131MA6TXB1N9M',
    '121000004352300087',
    '11610100016010801W',
    '91110108MA01ABCD5T',
  ])('accepts %s', (code) => {
    expect(isValidCreditCode(code)).toBe(true)
  })

  test.each([
    ['empty', ''],
    ['too short', '91350100M000100Y4'],
    ['too long', '91350100M000100Y430'],
    ['lower case', '91350100m000100y43'],
    ['letter I', '91350100I000100Y43'],
    ['letter O', '91350100M0O0100Y43'],
    ['letter Z', 'Z1350100M000100Y43'],
    ['letter S', '91350100M000100S43'],
    ['letter V', '9135010VM000100Y43'],
    ['wrong final check char', '91350100M000100Y44'],
    // Final check char recomputed, so only the embedded organization code is wrong.
    ['wrong organization code check char', '91350100M000100Y56'],
    ['full-width digit', '９1350100M000100Y43'],
  ])('rejects %s', (_label, code) => {
    expect(isValidCreditCode(code)).toBe(false)
  })

  test('a 17-character prefix plus its check char validates exactly when the embedded organization code does', () => {
    fc.assert(
      fc.property(prefix(17), (first17) => {
        const code = first17 + computeCreditCodeCheckChar(first17)
        const orgCodeOk = computeOrgCodeCheckChar(first17.slice(8, 16)) === first17.charAt(16)
        expect(isValidCreditCode(code)).toBe(orgCodeOk)
      }),
    )
  })

  test('any 16-character prefix completed with both check chars validates', () => {
    fc.assert(
      fc.property(prefix(16), (first16) => {
        const code = completeCreditCode(first16)
        expect(code.startsWith(first16)).toBe(true)
        expect(isValidCreditCode(code)).toBe(true)
      }),
    )
  })

  test('changing any single character of a valid code invalidates it', () => {
    const replacement = fc.oneof(
      charsetChar,
      fc.constantFrom('I', 'O', 'Z', 'S', 'V', 'a', '-', ' '),
    )
    fc.assert(
      fc.property(validCode, fc.nat({ max: 17 }), replacement, (code, index, char) => {
        fc.pre(code.charAt(index) !== char)
        const changed = code.slice(0, index) + char + code.slice(index + 1)
        expect(isValidCreditCode(changed)).toBe(false)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('check characters', () => {
  test('organization code check maps 10 to X and 11 to 0', () => {
    // 'A0000000': Σ = 10 × 3 = 30 → 11 − 8 = 3; '00000030': Σ = 12 → 11 − 1 = 10 → X.
    expect(computeOrgCodeCheckChar('A0000000')).toBe('3')
    expect(computeOrgCodeCheckChar('00000001')).toBe('9')
    expect(computeOrgCodeCheckChar('00000000')).toBe('0')
    expect(computeOrgCodeCheckChar('00000030')).toBe('X')
  })

  test('rejects malformed input', () => {
    expect(() => computeCreditCodeCheckChar('123')).toThrow()
    expect(() => computeCreditCodeCheckChar('91350100M000100YI')).toThrow()
    expect(() => computeOrgCodeCheckChar('1234567')).toThrow()
  })
})
