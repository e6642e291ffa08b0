import fc from 'fast-check'
import { expect, test } from 'vitest'

import { TokenBucket } from './token-bucket'

test('a burst of `capacity` passes, the next waits for a refill', () => {
  let now = 0
  const bucket = new TokenBucket(3, 1_000, () => now)
  expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([
    true,
    true,
    true,
    false,
  ])
  now = 999
  expect(bucket.take()).toBe(false)
  now = 2_000
  expect(bucket.take()).toBe(true)
})

test('over any schedule, no more pass than the burst plus what the elapsed time refilled', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 1, max: 5_000 }),
      fc.array(fc.integer({ min: 0, max: 3_000 }), { maxLength: 200 }),
      (capacity, refillMs, gaps) => {
        let now = 0
        const bucket = new TokenBucket(capacity, refillMs, () => now)
        let passed = 0
        for (const gap of gaps) {
          now += gap
          if (bucket.take()) passed += 1
        }
        expect(passed).toBeLessThanOrEqual(capacity + Math.floor(now / refillMs))
      },
    ),
  )
})
