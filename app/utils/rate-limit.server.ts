import { createHash } from 'node:crypto'

import { Prisma, type PrismaClient } from '~/generated/prisma/client'

import { prisma } from './db.server'
import { logger } from './logger.server'

/**
 * Rate limits and login-failure counters live in PostgreSQL (the RateLimitCounter table), so
 * that every server process, and every machine sharing the database, counts the same hits.
 * Each hit is one atomic `INSERT … ON CONFLICT … DO UPDATE … RETURNING`: no read-then-write
 * race between processes, and no lock held across a request.
 *
 * Times are the application's clock (injectable for tests), sent as epoch milliseconds and
 * stored as UTC, the way Prisma stores every DateTime.
 */
type CounterClient = Pick<PrismaClient, '$queryRaw' | '$executeRaw'>
type Clock = () => number

export interface RateLimitVerdict {
  allowed: boolean
  retryAfterSeconds: number
}

const ALLOWED: RateLimitVerdict = { allowed: true, retryAfterSeconds: 0 }

function at(ms: number) {
  return Prisma.sql`(to_timestamp(${ms}::double precision / 1000) AT TIME ZONE 'UTC')`
}

function epochMs(column: Prisma.Sql) {
  return Prisma.sql`(extract(epoch FROM (${column}) AT TIME ZONE 'UTC') * 1000)::double precision`
}

/** Keys hold hashes, so the table stores neither e-mail addresses nor IP addresses. */
function digest(value: string) {
  return createHash('sha256').update(value).digest('base64url').slice(0, 32)
}

const SWEEP_INTERVAL_MS = 60_000
let lastSweepAt = 0

/** Deletes counters whose window has passed; returns how many went. */
export async function sweepExpiredRateLimits(db: CounterClient = prisma, now = Date.now()) {
  return db.$executeRaw`DELETE FROM "RateLimitCounter" WHERE "windowEndsAt" <= ${at(now)}`
}

// At most once a minute per process, in the background: expired rows are harmless (every hit
// restarts an expired window), they only take space.
function sweepNowAndThen(db: CounterClient, now: number) {
  // Scheduled by the wall clock, so that a test's simulated clock cannot postpone it forever.
  const wall = Date.now()
  if (Math.abs(wall - lastSweepAt) < SWEEP_INTERVAL_MS) return
  lastSweepAt = wall
  sweepExpiredRateLimits(db, now).catch((error: unknown) =>
    logger.warn({ err: error }, '清理过期的限流计数失败'),
  )
}

// A store that cannot be reached lets requests through: an unreachable database already
// answers every page with its own error, and must not turn into 429s as well.
async function failOpen<T>(what: string, fallback: T, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    logger.warn({ err: error }, `限流计数不可用（${what}），本次请求不限流`)
    return fallback
  }
}

/** A fixed window of `limit` hits per `windowMs` for each key, shared by all processes. */
export class RateLimiter {
  constructor(
    readonly options: { name: string; limit: number; windowMs: number },
    private readonly db: CounterClient = prisma,
    private readonly clock: Clock = Date.now,
  ) {}

  private key(key: string) {
    return `${this.options.name}:${digest(key)}`
  }

  /** Counts one hit for `key`; says how long to wait once the window's limit is used up. */
  hit(key: string): Promise<RateLimitVerdict> {
    return failOpen(this.options.name, ALLOWED, async () => {
      const now = this.clock()
      sweepNowAndThen(this.db, now)
      const ends = now + this.options.windowMs
      const [row] = await this.db.$queryRaw<{ count: number; endsAt: number }[]>`
        INSERT INTO "RateLimitCounter" AS c ("key", "count", "windowEndsAt", "updatedAt")
        VALUES (${this.key(key)}, 1, ${at(ends)}, ${at(now)})
        ON CONFLICT ("key") DO UPDATE SET
          "count" = CASE WHEN c."windowEndsAt" <= ${at(now)} THEN 1 ELSE c."count" + 1 END,
          "windowEndsAt" = CASE WHEN c."windowEndsAt" <= ${at(now)} THEN ${at(ends)}
                                ELSE c."windowEndsAt" END,
          "updatedAt" = ${at(now)}
        RETURNING "count", ${epochMs(Prisma.sql`"windowEndsAt"`)} AS "endsAt"`
      if (!row || row.count <= this.options.limit) return ALLOWED
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((row.endsAt - now) / 1000)),
      }
    })
  }

  /** Takes one hit back, for attempts that turned out not to count (a successful login). */
  release(key: string): Promise<void> {
    return failOpen(this.options.name, undefined, async () => {
      await this.db.$executeRaw`
        UPDATE "RateLimitCounter" SET "count" = GREATEST("count" - 1, 0)
        WHERE "key" = ${this.key(key)} AND "windowEndsAt" > ${at(this.clock())}`
    })
  }
}

export interface LoginThrottleOptions {
  /** Failures of one account from one address before each attempt has to wait. */
  freeFailures: number
  /** The longest wait between attempts, however many failures came before. */
  maxDelayMs: number
  /** How long failures of an account from an address are remembered after the last one. */
  memoryMs: number
  /** Failures from one address over all accounts, per window (password spraying). */
  perAddress: { limit: number; windowMs: number }
}

export const LOGIN_THROTTLE_DEFAULTS: LoginThrottleOptions = {
  freeFailures: 5,
  maxDelayMs: 15 * 60 * 1000,
  memoryMs: 24 * 60 * 60 * 1000,
  perAddress: { limit: 100, windowMs: 15 * 60 * 1000 },
}

export type LoginAttempt =
  { allowed: true; succeeded(): Promise<void> } | { allowed: false; retryAfterSeconds: number }

/**
 * Slows password guessing without handing anyone a way to lock an owner out:
 * - per account and address, failures beyond `freeFailures` make the next attempt wait
 *   2, 4, 8 … seconds (capped), counted from the last failure;
 * - per address, failures over all accounts have a fixed-window limit.
 * Only failures count: an attempt is reserved before the password is checked (so parallel
 * guesses cannot slip through together) and given back when it succeeds. Nothing counts per
 * account across all addresses: such a counter is exactly what lets a stranger lock an owner
 * out, and a fresh address of the owner must log in at once.
 */
export class LoginThrottle {
  readonly perAddress: RateLimiter

  constructor(
    private readonly options: LoginThrottleOptions = LOGIN_THROTTLE_DEFAULTS,
    private readonly db: CounterClient = prisma,
    private readonly clock: Clock = Date.now,
  ) {
    this.perAddress = new RateLimiter({ name: 'login-ip', ...options.perAddress }, db, clock)
  }

  private pairKey(email: string, ip: string) {
    // The account's part comes first, so that resetting its password can forget all its rows.
    return `login-pair:${digest(email.toLowerCase())}:${digest(ip)}`
  }

  // Seconds to wait after `count` failures, in SQL so that the check and the count are one statement.
  private delaySeconds(count: Prisma.Sql) {
    const { freeFailures, maxDelayMs } = this.options
    return Prisma.sql`LEAST(power(2, GREATEST(${count} - ${freeFailures}::int + 1, 0)), ${maxDelayMs / 1000}::double precision)`
  }

  /** Reserves one login attempt for the account from the address, or says how long to wait. */
  async begin(email: string, ip: string): Promise<LoginAttempt> {
    const byAddress = await this.perAddress.hit(ip)
    if (!byAddress.allowed)
      return { allowed: false, retryAfterSeconds: byAddress.retryAfterSeconds }
    const pair = await this.reservePair(this.pairKey(email, ip))
    if (!pair.allowed) {
      await this.perAddress.release(ip)
      return { allowed: false, retryAfterSeconds: pair.retryAfterSeconds }
    }
    return {
      allowed: true,
      succeeded: async () => {
        await this.perAddress.release(ip)
        await this.forget(Prisma.sql`"key" = ${this.pairKey(email, ip)}`)
      },
    }
  }

  /** Forgets every address's failures for the account (after its password was reset). */
  forgetAccount(email: string) {
    const prefix = `login-pair:${digest(email.toLowerCase())}:`
    return this.forget(Prisma.sql`starts_with("key", ${prefix})`)
  }

  private forget(condition: Prisma.Sql) {
    return failOpen('login', undefined, async () => {
      await this.db.$executeRaw`DELETE FROM "RateLimitCounter" WHERE ${condition}`
    })
  }

  private reservePair(key: string): Promise<RateLimitVerdict> {
    return failOpen('login', ALLOWED, async () => {
      const now = this.clock()
      const forgetAt = now + this.options.memoryMs
      const delay = this.delaySeconds(Prisma.sql`c."count"`)
      // The update happens only when the attempt may go ahead: the window is over, there
      // are few failures yet, or the wait since the last failure has passed. Otherwise no
      // row comes back and nothing is counted.
      const reserved = await this.db.$queryRaw<{ count: number }[]>`
        INSERT INTO "RateLimitCounter" AS c ("key", "count", "windowEndsAt", "updatedAt")
        VALUES (${key}, 1, ${at(forgetAt)}, ${at(now)})
        ON CONFLICT ("key") DO UPDATE SET
          "count" = CASE WHEN c."windowEndsAt" <= ${at(now)} THEN 1 ELSE c."count" + 1 END,
          "windowEndsAt" = ${at(forgetAt)},
          "updatedAt" = ${at(now)}
        WHERE c."windowEndsAt" <= ${at(now)}
           OR c."count" < ${this.options.freeFailures}
           OR c."updatedAt" + make_interval(secs => ${delay}) <= ${at(now)}
        RETURNING "count"`
      if (reserved.length > 0) return ALLOWED
      const [row] = await this.db.$queryRaw<{ retryAt: number }[]>`
        SELECT ${epochMs(Prisma.sql`c."updatedAt" + make_interval(secs => ${delay})`)} AS "retryAt"
        FROM "RateLimitCounter" AS c WHERE c."key" = ${key}`
      const wait = row ? Math.ceil((row.retryAt - now) / 1000) : 1
      return { allowed: false, retryAfterSeconds: Math.max(1, wait) }
    })
  }
}

/** Tiers, strictest on the doors that guess passwords, create accounts or send mail. */
export const rateLimits = {
  login: new LoginThrottle(),
  register: new RateLimiter({ name: 'register', limit: 10, windowMs: 60 * 60 * 1000 }),
  passwordResetPerAddress: new RateLimiter({
    name: 'reset-ip',
    limit: 10,
    windowMs: 60 * 60 * 1000,
  }),
  // Silently caps how many reset mails one inbox can receive, whoever asks.
  passwordResetPerAccount: new RateLimiter({
    name: 'reset-account',
    limit: 3,
    windowMs: 60 * 60 * 1000,
  }),
  mutation: new RateLimiter({ name: 'mutation', limit: 300, windowMs: 60 * 1000 }),
  // The public API: per token, signed-in user or address. A match reads whole texts, so it
  // is allowed less often than a search.
  apiSearch: new RateLimiter({ name: 'api-search', limit: 120, windowMs: 60 * 1000 }),
  apiMatch: new RateLimiter({ name: 'api-match', limit: 20, windowMs: 60 * 1000 }),
}

export function formatRetryAfter(seconds: number) {
  return seconds >= 60 ? `${Math.ceil(seconds / 60)} 分钟` : `${seconds} 秒`
}
