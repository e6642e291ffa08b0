import { describe, expect, test } from 'vitest'

import { NeedStatus, ResultStatus } from '~/generated/prisma/enums'

import {
  getOwnerActions,
  getOwnerMove,
  isEditable,
  listingRules,
  ownerRules,
} from './listing-rules'

const statuses = { result: Object.values(ResultStatus), need: Object.values(NeedStatus) }

describe('owner rules', () => {
  test('every move leads to a status of its own kind, and each intent appears once per status', () => {
    for (const kind of ['result', 'need'] as const) {
      for (const status of statuses[kind]) {
        const moves = getOwnerActions(kind, status)
        expect(new Set(moves.map((move) => move.intent)).size).toBe(moves.length)
        for (const move of moves) expect(statuses[kind]).toContain(move.to)
      }
    }
  })

  test('a pending listing is withdrawn from review into a draft, not edited or closed', () => {
    for (const kind of ['result', 'need'] as const) {
      expect(isEditable(kind, 'pending_review')).toBe(false)
      expect(getOwnerActions(kind, 'pending_review')).toEqual([
        expect.objectContaining({ intent: 'withdraw', label: '撤回审核', to: 'draft' }),
      ])
      expect(ownerRules[kind].pending_review.note).toContain('撤回审核')
    }
    expect(getOwnerMove('need', 'open', 'withdraw')).toMatchObject({
      label: '关闭需求',
      to: 'closed',
    })
  })

  test('re-confirming keeps a listing in negotiation where it is and revives an expired one', () => {
    expect(getOwnerMove('result', 'in_negotiation', 'reconfirm')?.to).toBe('in_negotiation')
    expect(getOwnerMove('need', 'in_deal', 'reconfirm')?.to).toBe('in_deal')
    expect(getOwnerMove('result', 'expired', 'reconfirm')?.to).toBe('published')
    expect(getOwnerMove('need', 'expired', 'reconfirm')?.to).toBe('open')
  })

  test('the editable statuses the edit query uses are the ones the table allows', () => {
    for (const kind of ['result', 'need'] as const) {
      expect([...listingRules[kind].editable].sort()).toEqual(
        statuses[kind].filter((status) => isEditable(kind, status)).sort(),
      )
    }
  })

  test('an unknown status allows nothing', () => {
    expect(getOwnerActions('result', 'toString')).toEqual([])
    expect(isEditable('need', '__proto__')).toBe(false)
  })
})
