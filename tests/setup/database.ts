import pg from 'pg'
import { afterAll, beforeEach, inject } from 'vitest'

import { withDatabase } from './global-setup'

// Each worker process gets its own copy of the migrated template, made before any app module
// (and so the Prisma client) reads DATABASE_URL.
const adminUrl = inject('adminDatabaseUrl')
const workerDatabase = `xm_${inject('runId')}_w${process.env.VITEST_POOL_ID ?? '0'}`
const admin = new pg.Client({ connectionString: adminUrl })
await admin.connect()
const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [workerDatabase])
if (exists.rowCount === 0) {
  await admin.query(`CREATE DATABASE "${workerDatabase}" TEMPLATE "${inject('templateDatabase')}"`)
}
await admin.end()
process.env.DATABASE_URL = withDatabase(adminUrl, workerDatabase)

const { prisma } = await import('~/utils/db.server')
const { Prisma } = await import('~/generated/prisma/client')

const tables = await prisma.$queryRaw<{ tablename: string }[]>`
  SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`
const truncate = `TRUNCATE ${tables.map((table) => `"${table.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`

const isDeadlock = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.message.includes('40P01')

// Rate-limit counters are rows of RateLimitCounter, so the truncate resets them too. Locking
// every table at once can meet a write the previous test left running (a session's last-seen
// time, an event) and be chosen as a deadlock's victim, which rolls it back whole: it is run
// again.
beforeEach(async () => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await prisma.$executeRawUnsafe(truncate)
      return
    } catch (error) {
      if (!isDeadlock(error) || attempt === 3) throw error
    }
  }
})

afterAll(async () => {
  await prisma.$disconnect()
})
