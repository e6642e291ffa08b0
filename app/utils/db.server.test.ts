import { PrismaPg } from '@prisma/adapter-pg'
import { afterAll, describe, expect, test } from 'vitest'

import { PrismaClient } from '~/generated/prisma/client'

import { getDatabaseFailure, prisma } from './db.server'

const clients: PrismaClient[] = []
function client(connectionString: string, pool: { max?: number; waitMs?: number } = {}) {
  const created = new PrismaClient({
    adapter: new PrismaPg({
      connectionString,
      max: pool.max ?? 2,
      connectionTimeoutMillis: pool.waitMs ?? 2_000,
    }),
  })
  clients.push(created)
  return created
}

afterAll(async () => {
  await Promise.all(clients.map((created) => created.$disconnect()))
})

async function failureOf(work: Promise<unknown>) {
  try {
    await work
  } catch (error) {
    return { failure: getDatabaseFailure(error), error }
  }
  throw new Error('expected the query to fail')
}

// Real errors from Prisma and pg, as pages see them; none is built by hand.
describe('getDatabaseFailure', () => {
  test('a database that cannot be reached is unavailable, whatever the query', async () => {
    const nowhere = client('postgresql://postgres@127.0.0.1:1/none')
    expect((await failureOf(nowhere.user.count())).failure).toBe('unavailable')
    expect((await failureOf(nowhere.$queryRaw`SELECT 1`)).failure).toBe('unavailable')
    expect((await failureOf(nowhere.$transaction((tx) => tx.user.count()))).failure).toBe(
      'unavailable',
    )
  })

  test('no free connection within the wait is busy', async () => {
    const small = client(process.env.DATABASE_URL!, { max: 1, waitMs: 300 })
    await small.$queryRaw`SELECT 1`
    const holding = small.$queryRaw`SELECT pg_sleep(1)::text`.then(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect((await failureOf(small.user.count())).failure).toBe('busy')
    expect((await failureOf(small.$transaction((tx) => tx.user.count()))).failure).toBe('busy')
    await holding
  })

  test('a connection cut by the server (a restart, an administrator) is unavailable', async () => {
    const victim = client(process.env.DATABASE_URL!)
    await victim.$queryRaw`SELECT 1`
    const running = failureOf(victim.$queryRaw`SELECT pg_sleep(5)::text`)
    await new Promise((resolve) => setTimeout(resolve, 300))
    await prisma.$queryRaw`
      SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity
      WHERE query LIKE '%pg_sleep(5)%' AND pid <> pg_backend_pid()`
    expect((await running).failure).toBe('unavailable')
  })

  test('mistakes in the query or the data are not the database being away', async () => {
    await prisma.user.create({
      data: { email: 'twice@example.com', passwordHash: 'x', displayName: '甲', role: 'broker' },
    })
    const duplicate = await failureOf(
      prisma.user.create({
        data: { email: 'twice@example.com', passwordHash: 'x', displayName: '乙', role: 'broker' },
      }),
    )
    expect(duplicate.failure).toBeNull()
    expect((await failureOf(prisma.$queryRawUnsafe('SELECT * FROM "NoSuchTable"'))).failure).toBe(
      null,
    )
    expect(getDatabaseFailure(new Error('boom'))).toBeNull()
    expect(getDatabaseFailure(undefined)).toBeNull()
  })
})
