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

const tables = await prisma.$queryRaw<{ tablename: string }[]>`
  SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`
const truncate = `TRUNCATE ${tables.map((table) => `"${table.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`

// Rate-limit counters are rows of RateLimitCounter, so the truncate resets them too.
beforeEach(async () => {
  await prisma.$executeRawUnsafe(truncate)
})

afterAll(async () => {
  await prisma.$disconnect()
})
