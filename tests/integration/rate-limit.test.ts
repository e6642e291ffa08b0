import { PrismaPg } from '@prisma/adapter-pg'
import { afterAll, describe, expect, test } from 'vitest'

import { PrismaClient } from '~/generated/prisma/client'
import { prisma } from '~/utils/db.server'
import {
  LOGIN_THROTTLE_DEFAULTS,
  LoginThrottle,
  RateLimiter,
  sweepExpiredRateLimits,
} from '~/utils/rate-limit.server'

// A second client with its own connection pool: what another server process would have.
const otherProcess = new PrismaClient({
  adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL!, max: 2 }),
})

afterAll(async () => {
  await otherProcess.$disconnect()
})

function fakeClock(start = Date.UTC(2026, 11, 1, 8, 0, 0)) {
  let now = start
  return {
    now: () => now,
    advance(ms: number) {
      now += ms
    },
  }
}

describe('shared fixed-window limiter', () => {
  test('two limiter instances on two connection pools share one count', async () => {
    const clock = fakeClock()
    const options = { name: 'shared-test', limit: 5, windowMs: 60_000 }
    const here = new RateLimiter(options, prisma, clock.now)
    const there = new RateLimiter(options, otherProcess, clock.now)
    for (let hit = 0; hit < 3; hit++) expect((await here.hit('10.0.0.1')).allowed).toBe(true)
    for (let hit = 0; hit < 2; hit++) expect((await there.hit('10.0.0.1')).allowed).toBe(true)
    const sixth = await here.hit('10.0.0.1')
    expect(sixth).toEqual({ allowed: false, retryAfterSeconds: 60 })
    expect((await there.hit('10.0.0.1')).allowed).toBe(false)
    // Another key has its own count.
    expect((await there.hit('10.0.0.2')).allowed).toBe(true)
    // The window passes for everybody at once.
    clock.advance(60_000)
    expect((await there.hit('10.0.0.1')).allowed).toBe(true)
  })

  test('parallel hits are counted exactly once each', async () => {
    const limiter = new RateLimiter({ name: 'parallel-test', limit: 20, windowMs: 60_000 })
    const verdicts = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        (index % 2 ? limiter : new RateLimiter(limiter.options, otherProcess)).hit('same'),
      ),
    )
    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(20)
  })

  test('the table holds hashes, not addresses, and expired rows are swept', async () => {
    const clock = fakeClock()
    const limiter = new RateLimiter(
      { name: 'sweep-test', limit: 5, windowMs: 1000 },
      prisma,
      clock.now,
    )
    await limiter.hit('203.0.113.7')
    await limiter.hit('203.0.113.8')
    const rows = await prisma.rateLimitCounter.findMany({ select: { key: true } })
    expect(rows).toHaveLength(2)
    expect(rows.every((row) => !row.key.includes('203.0.113'))).toBe(true)
    expect(await sweepExpiredRateLimits(prisma, clock.now() + 999)).toBe(0)
    expect(await sweepExpiredRateLimits(prisma, clock.now() + 1000)).toBe(2)
    expect(await prisma.rateLimitCounter.count()).toBe(0)
  })
})

describe('login throttle', () => {
  const options = LOGIN_THROTTLE_DEFAULTS

  async function fail(throttle: LoginThrottle, email: string, ip: string) {
    const attempt = await throttle.begin(email, ip)
    // A failed password check keeps the reserved attempt counted.
    return attempt
  }

  test('failures from one address make each next attempt wait longer, up to the cap', async () => {
    const clock = fakeClock()
    const throttle = new LoginThrottle(options, prisma, clock.now)
    const waits: number[] = []
    for (let failure = 0; failure < 16; failure++) {
      let attempt = await fail(throttle, 'owner@example.com', '198.51.100.9')
      if (!attempt.allowed) {
        waits.push(attempt.retryAfterSeconds)
        clock.advance(attempt.retryAfterSeconds * 1000)
        attempt = await fail(throttle, 'owner@example.com', '198.51.100.9')
      }
      expect(attempt.allowed).toBe(true)
    }
    // Five free failures, then 2, 4, 8 … seconds, capped at 15 minutes.
    expect(waits).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900])
    // Asking again while waiting counts nothing and the wait only shrinks.
    clock.advance(100_000)
    const early = await fail(throttle, 'owner@example.com', '198.51.100.9')
    expect(early).toEqual({ allowed: false, retryAfterSeconds: 800 })
  })

  test('a stranger failing from many addresses never slows the owner on a fresh one', async () => {
    const clock = fakeClock()
    const throttle = new LoginThrottle(options, prisma, clock.now)
    for (let address = 0; address < 20; address++) {
      for (let failure = 0; failure < 8; failure++) {
        await fail(throttle, 'owner@example.com', `192.0.2.${address}`)
      }
    }
    const owner = await throttle.begin('owner@example.com', '203.0.113.50')
    expect(owner.allowed).toBe(true)
  })

  test('successes never count', async () => {
    const throttle = new LoginThrottle(options, prisma)
    for (let login = 0; login < options.perAddress.limit + 20; login++) {
      const attempt = await throttle.begin(`user${login % 3}@example.com`, '198.51.100.20')
      expect(attempt.allowed).toBe(true)
      if (attempt.allowed) await attempt.succeeded()
    }
    // After a success the account's failures from that address start from zero again.
    const rows = await prisma.rateLimitCounter.findMany({ select: { key: true, count: true } })
    expect(rows.filter((row) => row.key.startsWith('login-pair:'))).toEqual([])
    expect(rows.find((row) => row.key.startsWith('login-ip:'))?.count).toBe(0)
  })

  test('one address spraying many accounts hits the per-address limit', async () => {
    const clock = fakeClock()
    const throttle = new LoginThrottle(options, prisma, clock.now)
    for (let account = 0; account < options.perAddress.limit; account++) {
      expect((await fail(throttle, `victim${account}@example.com`, '192.0.2.99')).allowed).toBe(
        true,
      )
    }
    const refused = await fail(throttle, 'another@example.com', '192.0.2.99')
    expect(refused.allowed).toBe(false)
    // Elsewhere, the same accounts are untouched.
    expect((await throttle.begin('victim1@example.com', '192.0.2.100')).allowed).toBe(true)
  })

  test('parallel guesses cannot slip past the delay together', async () => {
    const clock = fakeClock()
    const throttle = new LoginThrottle(options, prisma, clock.now)
    const second = new LoginThrottle(options, otherProcess, clock.now)
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        (index % 2 ? throttle : second).begin('owner@example.com', '192.0.2.1'),
      ),
    )
    expect(attempts.filter((attempt) => attempt.allowed)).toHaveLength(options.freeFailures)
  })

  test('forgetting an account clears its failures from every address', async () => {
    const clock = fakeClock()
    const throttle = new LoginThrottle(options, prisma, clock.now)
    for (let failure = 0; failure < 6; failure++) {
      await fail(throttle, 'owner@example.com', '192.0.2.1')
      await fail(throttle, 'other@example.com', '192.0.2.1')
    }
    expect((await throttle.begin('owner@example.com', '192.0.2.1')).allowed).toBe(false)
    await throttle.forgetAccount('OWNER@example.com')
    expect((await throttle.begin('owner@example.com', '192.0.2.1')).allowed).toBe(true)
    expect((await throttle.begin('other@example.com', '192.0.2.1')).allowed).toBe(false)
  })
})
