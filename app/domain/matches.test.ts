import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import type { MatchStatus, MatchVerdict } from '~/generated/prisma/enums'

import { isStrongMatch, matchStatusAfterVerdicts, otherSide } from './matches'

const statuses: MatchStatus[] = ['suggested', 'interested', 'contacted', 'deal', 'declined']
const verdict = fc.constantFrom<MatchVerdict>('interested', 'declined')

describe('a match’s status after its parties’ verdicts', () => {
  test('one refusal ends it, whatever came before; otherwise interest never undoes a later step', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...statuses),
        fc.array(verdict, { maxLength: 2 }),
        (current, given) => {
          const next = matchStatusAfterVerdicts(current, given)
          if (given.includes('declined')) expect(next).toBe('declined')
          else if (current === 'contacted' || current === 'deal') expect(next).toBe(current)
          else expect(next).toBe(given.length ? 'interested' : 'suggested')
        },
      ),
    )
  })

  test('each side has the other', () => {
    expect(otherSide('need')).toBe('offer')
    expect(otherSide('offer')).toBe('need')
  })

  test('a strong match needs both a high score and enough shared telling words', () => {
    expect(isStrongMatch({ score: 0.9, reasons: { terms: ['余热', '发电', '换热器'] } })).toBe(true)
    expect(isStrongMatch({ score: 1, reasons: { terms: ['余热', '发电'] } })).toBe(false)
    expect(isStrongMatch({ score: 0.84, reasons: { terms: ['余热', '发电', '换热器'] } })).toBe(
      false,
    )
  })
})
