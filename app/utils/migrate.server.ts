import { createHash, randomUUID } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'

import pg from 'pg'

import { DatabaseUnavailableError } from './database.server'

// Any constant works; it only has to be the same for every process migrating this database.
const MIGRATION_LOCK_KEY = 720_241_128

/**
 * An applied migration whose file no longer matches what was applied: the database may not
 * have the structure the code expects. A DatabaseUnavailableError, so the server and the CLI
 * stop with this one message rather than a stack trace.
 */
export class MigrationChangedError extends DatabaseUnavailableError {
  constructor(readonly files: string[]) {
    super(
      `已执行过的数据库迁移文件被修改：${files.join('、')}。已执行的迁移不能再改：请恢复原文件，` +
        '把新的改动写成新的迁移（npm run db:migration -- --name 说明）；' +
        '若它只在本机开发数据库上执行过，也可以删除该数据库（嵌入式数据库即 DATA_DIR 下的 postgres 目录）后重新启动。',
    )
    this.name = 'MigrationChangedError'
  }
}

/**
 * Applies the committed Prisma migrations that the database has not seen yet, recording them
 * in Prisma's own `_prisma_migrations` table so that `prisma migrate status/dev` agree.
 * Running the Prisma CLI instead would add seconds to every start and every test run.
 */
export async function applyMigrations(
  databaseUrl: string,
  migrationsDir = path.resolve('prisma/migrations'),
): Promise<string[]> {
  const migrations = await readMigrations(migrationsDir)
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  const applied: string[] = []
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`)
    const done = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    )
    const doneChecksums = new Map(done.rows.map((row) => [row.migration_name, row.checksum]))
    // Checked before anything is applied: a start must not build on a history it disagrees with.
    const changed = migrations
      .filter((migration) => {
        const recorded = doneChecksums.get(migration.name)
        return recorded !== undefined && !migration.checksums.includes(recorded)
      })
      .map((migration) => path.relative(process.cwd(), migration.file))
    if (changed.length) throw new MigrationChangedError(changed)
    for (const migration of migrations) {
      if (doneChecksums.has(migration.name)) continue
      await client.query('BEGIN')
      try {
        await client.query(migration.sql)
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 1)`,
          [randomUUID(), migration.checksums[0], migration.name],
        )
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK')
        const reason = error instanceof Error ? error.message : String(error)
        throw new Error(`数据库迁移 ${migration.name} 失败：${reason}`)
      }
      applied.push(migration.name)
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {})
    await client.end()
  }
  return applied
}

async function readMigrations(dir: string) {
  const entries = await readdir(dir, { withFileTypes: true })
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name, 'migration.sql')
      const sql = await readFile(file, 'utf8')
      return { name, file, sql, checksums: checksumsOf(sql) }
    }),
  )
}

/**
 * The SHA-256 Prisma records (of the file as it is) first, then the same text with the other
 * line endings: a checkout that converts LF to CRLF (git on Windows) has not changed a migration.
 */
function checksumsOf(sql: string) {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
  const lf = sql.replaceAll('\r\n', '\n')
  return [sha256(sql), sha256(lf), sha256(lf.replaceAll('\n', '\r\n'))]
}
