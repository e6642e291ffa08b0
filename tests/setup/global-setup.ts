import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import pg from 'pg'
import type { TestProject } from 'vitest/node'

import { startDatabase } from '../../app/utils/database.server'
import { applyMigrations } from '../../app/utils/migrate.server'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server-level URL (any database) used to create and drop test databases. */
    adminDatabaseUrl: string
    templateDatabase: string
    runId: string
  }
}

export function withDatabase(url: string, database: string) {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

/**
 * Migrates one template database per run; every worker then clones it, which takes
 * milliseconds. DATABASE_URL selects the server; without it an embedded one is started.
 */
export default async function setup(project: TestProject) {
  const runId = randomBytes(4).toString('hex')
  const dataDir = path.join(os.tmpdir(), `xm-test-${runId}`)
  const database = await startDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir,
    databaseName: 'postgres',
  })
  const templateDatabase = `xm_template_${runId}`
  const admin = new pg.Client({ connectionString: database.url })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${templateDatabase}"`)
  await applyMigrations(withDatabase(database.url, templateDatabase))

  project.provide('adminDatabaseUrl', database.url)
  project.provide('templateDatabase', templateDatabase)
  project.provide('runId', runId)

  return async () => {
    const leftovers = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`xm\\_%${runId}%`],
    )
    for (const row of leftovers.rows) {
      await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`)
    }
    await admin.end()
    await database.stop()
    if (!process.env.DATABASE_URL) await rm(dataDir, { recursive: true, force: true })
  }
}
