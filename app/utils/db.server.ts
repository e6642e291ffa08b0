import { PrismaPg } from '@prisma/adapter-pg'

import { Prisma, PrismaClient } from '~/generated/prisma/client'

declare global {
  var __prisma: PrismaClient | undefined
}

/**
 * Connections per process. Node runs one request's JavaScript at a time and a page makes two
 * or three short queries, so a few connections keep the process busy (the profile puts
 * Prisma and React rendering, not the wait for PostgreSQL, at the top); a bigger pool only
 * moves the queue into PostgreSQL, whose two cores gain nothing from dozens of concurrent
 * queries. Ten per process leaves room under PostgreSQL's default `max_connections` (100)
 * for several workers, the CLI and each process's LISTEN connection. DATABASE_POOL_SIZE
 * overrides it for a bigger database server.
 */
const DEFAULT_POOL_SIZE = 10
/**
 * How long a query waits for a free connection. pg's default is forever, which turns an
 * overload into requests that hang until the browser gives up; after this the request is
 * answered 503 with Retry-After instead (see getDatabaseFailure). Under a burst of 200
 * concurrent list views the pool queue is where the CPU-bound process's backlog shows, and
 * waits reached 5 s with every request still being served (measured: 42 of 2,000 shed at
 * 5 s, none at 10 s); only a backlog that keeps growing should be shed.
 */
const POOL_WAIT_MS = 10_000

function createClient() {
  const connectionString = process.env.DATABASE_URL
  if (!connectionString) {
    throw new Error('DATABASE_URL 未设置：数据库启动之前不能创建 Prisma 客户端')
  }
  const max = Number(process.env.DATABASE_POOL_SIZE) || DEFAULT_POOL_SIZE
  return new PrismaClient({
    adapter: new PrismaPg({
      connectionString,
      max,
      connectionTimeoutMillis: POOL_WAIT_MS,
      idleTimeoutMillis: 30_000,
    }),
  })
}

// One client per process, on a global key so that dev rebuilds of the Remix bundle reuse it.
export const prisma = (globalThis.__prisma ??= createClient())

/**
 * Why a query failed when the fault is the database's state rather than the query:
 * `unavailable` (not reachable, restarting, connection cut) or `busy` (no free connection in
 * time, too many clients). Both mean "try again shortly" (503), never a bug (500).
 */
export type DatabaseFailure = 'unavailable' | 'busy'

const UNAVAILABLE_CODES = new Set([
  'P1001', // can't reach the database server
  'P1002', // the server was reached but timed out
  'P1017', // the server closed the connection
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or recovering
])
const BUSY_CODES = new Set([
  'P2024', // timed out fetching a connection from the pool
  'P2028', // transaction API error: could not start (or finish) a transaction in time
  '53300', // too_many_connections
])
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout'])
const UNAVAILABLE_MESSAGES = [
  "Can't reach database server",
  'Connection terminated',
  'Client has encountered a connection error',
  'the database system is',
  'terminating connection',
  'server closed the connection',
]
const BUSY_MESSAGES = ['timeout exceeded when trying to connect', 'Unable to start a transaction']

/** Classifies an error thrown by Prisma or pg (looking through causes); null for any other. */
export function getDatabaseFailure(error: unknown): DatabaseFailure | null {
  const seen = new Set<unknown>()
  let current: unknown = error
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current)
    const candidate = current as {
      code?: unknown
      kind?: unknown
      message?: unknown
      cause?: unknown
      meta?: { driverAdapterError?: { cause?: unknown } }
    }
    const code = typeof candidate.code === 'string' ? candidate.code : undefined
    if (code && BUSY_CODES.has(code)) return 'busy'
    if (code && UNAVAILABLE_CODES.has(code)) return 'unavailable'
    if (candidate.kind === 'TooManyConnections') return 'busy'
    if (typeof candidate.kind === 'string' && UNAVAILABLE_KINDS.has(candidate.kind)) {
      return 'unavailable'
    }
    const message = typeof candidate.message === 'string' ? candidate.message : ''
    if (BUSY_MESSAGES.some((text) => message.includes(text))) return 'busy'
    if (UNAVAILABLE_MESSAGES.some((text) => message.includes(text))) return 'unavailable'
    current = candidate.meta?.driverAdapterError?.cause ?? candidate.cause
  }
  return null
}

/** A write refused by a unique index or constraint (two writers racing for one value). */
export function isUniqueViolation(error: unknown) {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002'
}
