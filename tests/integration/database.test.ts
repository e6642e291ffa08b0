import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import pg from 'pg'
import { describe, expect, test } from 'vitest'

import { DatabaseUnavailableError, startDatabase } from '~/utils/database.server'
import { applyMigrations } from '~/utils/migrate.server'

describe('startDatabase', () => {
  test('a DATABASE_URL that points nowhere fails with a clear message', async () => {
    const attempt = startDatabase({
      databaseUrl: 'postgresql://nobody@127.0.0.1:1/none',
      dataDir: '/unused',
    })
    await expect(attempt).rejects.toBeInstanceOf(DatabaseUnavailableError)
    await expect(attempt).rejects.toThrow('无法连接 DATABASE_URL 指向的数据库（127.0.0.1:1/none）')
  })

  test('the embedded database keeps its data across restarts and stops cleanly', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'xm-embedded-'))
    try {
      const first = await startDatabase({ dataDir })
      expect(first.embedded).toBe(true)
      expect(await applyMigrations(first.url)).toEqual(
        (await readdir('prisma/migrations', { withFileTypes: true }))
          .filter((entry) => entry.isDirectory())
          .map((entry) => entry.name)
          .sort(),
      )
      const client = new pg.Client({ connectionString: first.url })
      await client.connect()
      await client.query(
        `INSERT INTO "Target" (id, year, metric, value, "updatedAt") VALUES ('t1', 2026, 'trade_value', 1, now())`,
      )
      await client.end()

      await first.stop()
      expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false)

      const second = await startDatabase({ dataDir })
      expect(await applyMigrations(second.url)).toEqual([])
      const reader = new pg.Client({ connectionString: second.url })
      await reader.connect()
      const rows = await reader.query('SELECT metric FROM "Target"')
      await reader.end()
      await second.stop()
      expect(rows.rows).toEqual([{ metric: 'trade_value' }])
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
