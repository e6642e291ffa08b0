import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import type { DealStatus } from '~/generated/prisma/enums'

import {
  canReach,
  DEAL_MOVES,
  DEAL_PATH,
  movesFor,
  pathTo,
  refuseDealMove,
  replayDealEvents,
  type DealCapacity,
} from './deals'

const STATUSES = [...DEAL_PATH, 'cancelled'] as const satisfies readonly DealStatus[]
const CAPACITIES = ['party', 'broker', 'bureau'] as const satisfies readonly DealCapacity[]

describe('the moves of a deal', () => {
  test('random moves by random users never leave the table, and the log replays to the status', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            to: fc.constantFrom(...STATUSES),
            capacities: fc.subarray([...CAPACITIES]),
          }),
          { maxLength: 40 },
        ),
        (attempts) => {
          let status: DealStatus = 'intent'
          const events: { fromStatus: DealStatus | null; toStatus: DealStatus }[] = [
            { fromStatus: null, toStatus: 'intent' },
          ]
          for (const { to, capacities } of attempts) {
            const refusal = refuseDealMove(status, to, capacities)
            const offered = movesFor(status, capacities).some((move) => move.to === to)
            // The buttons offer exactly the moves the model accepts.
            expect(refusal === null).toBe(offered)
            if (refusal !== null) {
              expect(refusal).toMatch(/[\u4e00-\u9fff]/)
              continue
            }
            const move = DEAL_MOVES.find(
              (candidate) => candidate.from === status && candidate.to === to,
            )
            expect(move?.by.some((capacity) => capacities.includes(capacity))).toBe(true)
            events.push({ fromStatus: status, toStatus: to })
            status = to
          }
          expect(canReach('intent', status)).toBe(true)
          expect(replayDealEvents(events)).toBe(status)
        },
      ),
    )
  })

  test('completed and cancelled are final; registration is the bureau’s alone', () => {
    expect(movesFor('completed', CAPACITIES)).toEqual([])
    expect(movesFor('cancelled', CAPACITIES)).toEqual([])
    expect(movesFor('signed', ['party', 'broker']).map((move) => move.to)).toEqual(['cancelled'])
    expect(refuseDealMove('signed', 'registered', ['party', 'broker'])).toBe(
      '“认定登记”只能由科技局操作',
    )
    expect(refuseDealMove('intent', 'signed', ['party'])).toBe('合同处于“意向”，不能变为“签约”')
    expect(canReach('completed', 'intent')).toBe(false)
  })

  test('a log that skips a step, starts elsewhere or repeats a move does not replay', () => {
    expect(
      replayDealEvents([
        { fromStatus: null, toStatus: 'intent' },
        { fromStatus: 'intent', toStatus: 'signed' },
      ]),
    ).toBeNull()
    expect(replayDealEvents([{ fromStatus: null, toStatus: 'negotiating' }])).toBeNull()
    expect(
      replayDealEvents([
        { fromStatus: null, toStatus: 'intent' },
        { fromStatus: 'intent', toStatus: 'negotiating' },
        { fromStatus: 'intent', toStatus: 'negotiating' },
      ]),
    ).toBeNull()
  })

  test('the path to any status is a run of allowed moves ending there', () => {
    for (const to of STATUSES) {
      for (const from of DEAL_PATH.slice(0, -1)) {
        const moves = pathTo(to, from)
        const events = [
          { fromStatus: null, toStatus: 'intent' as DealStatus },
          ...moves.map((move) => ({ fromStatus: move.from, toStatus: move.to })),
        ]
        expect(replayDealEvents(events)).toBe(to)
      }
    }
  })
})
