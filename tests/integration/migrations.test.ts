import { execFile } from 'node:child_process'
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'

import { DatabaseUnavailableError } from '~/utils/database.server'
import { applyMigrations, MigrationChangedError } from '~/utils/migrate.server'

import { diffMigrationsToSchema, MIGRATIONS_DIR, SCHEMA_PATH } from '../../prisma/migration-tools'
import { withDatabase } from '../setup/global-setup'

const run = promisify(execFile)
const adminUrl = inject('adminDatabaseUrl')
const runId = inject('runId')

let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'xm-migrations-test-'))
})
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

/** A copy of prisma/migrations and schema.prisma that a test may change. */
async function copyOfPrisma(name: string) {
  const dir = path.join(scratch, name)
  await cp(MIGRATIONS_DIR, path.join(dir, 'migrations'), { recursive: true })
  await cp(SCHEMA_PATH, path.join(dir, 'schema.prisma'))
  return {
    migrationsDir: path.join(dir, 'migrations'),
    schemaPath: path.join(dir, 'schema.prisma'),
  }
}

async function migrationFolders(dir: string) {
  return (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
}

/** An empty database of this run (the run's teardown drops whatever is left). */
async function createDatabase(suffix: string) {
  const name = `xm_${runId}_${suffix}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  await admin.query(`CREATE DATABASE "${name}"`)
  await admin.end()
  return withDatabase(adminUrl, name)
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(sql)).rows
  } finally {
    await client.end()
  }
}

function newMigrationCommand(args: string[], env: NodeJS.ProcessEnv) {
  return run(process.execPath, ['--import', 'tsx', 'prisma/new-migration.ts', ...args], { env })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
    .catch((error: { code: number; stdout: string; stderr: string }) => error)
}

/** Every trigger the migrations write by hand, which Prisma's schema cannot express. */
const HAND_WRITTEN_TRIGGERS = [
  'DealEvent_append_only',
  'DealRollup_delete',
  'DealRollup_insert',
  'DealRollup_truncate',
  'DealRollup_update',
  'Deal_snapshot_kinds',
  'ModerationDecision_append_only',
  'Organization_accounts_changed',
  'ReportedActual_append_only',
  'TargetChange_append_only',
  'Session_accounts_changed',
  'User_accounts_changed',
].sort()

describe('drift: prisma/migrations produce exactly schema.prisma', () => {
  test('applying every migration leaves nothing for schema.prisma to add or drop', async () => {
    expect(await diffMigrationsToSchema({ serverUrl: adminUrl })).toBeNull()
  })

  test('the hand-written SQL is in the database but is not drift', async () => {
    // The worker database is a clone of the migrated template: what the migrations made.
    const url = process.env.DATABASE_URL!
    const [outbox] = await query<{ indexdef: string }>(
      url,
      `SELECT indexdef FROM pg_indexes WHERE indexname = 'SearchOutbox_unprocessed_seq_idx'`,
    )
    expect(outbox?.indexdef).toMatch(/\(seq\) WHERE \("processedAt" IS NULL\)$/)
    const outboxIndexes = await query<{ indexname: string }>(
      url,
      `SELECT indexname FROM pg_indexes WHERE tablename = 'SearchOutbox' ORDER BY indexname`,
    )
    expect(outboxIndexes.map((row) => row.indexname)).toEqual([
      'SearchOutbox_pkey',
      'SearchOutbox_unprocessed_seq_idx',
    ])
    // Prisma 6 never writes a CHECK itself: these are the hand-written ones (each is proven
    // in invariants.test.ts).
    const [checks] = await query<{ count: number }>(
      url,
      `SELECT count(*)::int AS count FROM pg_constraint WHERE contype = 'c'`,
    )
    expect(checks?.count).toBeGreaterThan(0)
    const triggers = await query<{ tgname: string }>(
      url,
      `SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname`,
    )
    expect(triggers.map((row) => row.tgname).sort()).toEqual(HAND_WRITTEN_TRIGGERS)

    // Prisma does not see a partial index: declaring it in the schema would ask for a second,
    // full one, which is why schema.prisma leaves it out (and the diff above is empty).
    const declared = await copyOfPrisma('declared-partial-index')
    const schema = await readFile(declared.schemaPath, 'utf8')
    await writeFile(
      declared.schemaPath,
      schema.replace(
        /(model SearchOutbox \{[^}]*?)\n\}/,
        '$1\n\n  @@index([seq], map: "SearchOutbox_unprocessed_seq_idx")\n}',
      ),
    )
    expect(await diffMigrationsToSchema({ serverUrl: adminUrl, ...declared })).toContain(
      'CREATE INDEX "SearchOutbox_unprocessed_seq_idx" ON "SearchOutbox"("seq");',
    )
  })

  test('a schema change without its migration is reported', async () => {
    const copy = await copyOfPrisma('drift')
    const schema = await readFile(copy.schemaPath, 'utf8')
    await writeFile(
      copy.schemaPath,
      schema.replace(
        '  cancelReason          String?',
        '  note String?\n  cancelReason          String?',
      ),
    )
    expect(await diffMigrationsToSchema({ serverUrl: adminUrl, ...copy })).toContain(
      'ALTER TABLE "Deal" ADD COLUMN     "note" TEXT;',
    )
  })
})

describe("Prisma's own CLI on the same migrations", () => {
  test('prisma migrate deploy applies them, and the start then agrees with its checksums', async () => {
    const url = await createDatabase('prisma_deploy')
    const prismaCli = path.resolve('node_modules/prisma/build/index.js')
    // adapter-pg alone splits scripts at every ";", comments and function bodies included.
    const deployed = await run(process.execPath, [prismaCli, 'migrate', 'deploy'], {
      env: { ...process.env, DATABASE_URL: url },
      timeout: 60_000,
    })
    expect(deployed.stdout).toContain('All migrations have been successfully applied.')
    expect(await applyMigrations(url)).toEqual([])
    const triggers = await query<{ tgname: string }>(
      url,
      `SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname`,
    )
    expect(triggers).toHaveLength(HAND_WRITTEN_TRIGGERS.length)
  })
})

describe('npm run db:migration -- --name …', () => {
  test('writes a new timestamped migration from a schema change, which then leaves no drift', async () => {
    const copy = await copyOfPrisma('new-migration')
    const before = await migrationFolders(copy.migrationsDir)
    const schema = await readFile(copy.schemaPath, 'utf8')
    await writeFile(
      copy.schemaPath,
      schema.replace(
        '  cancelReason          String?',
        '  note String?\n  cancelReason          String?',
      ),
    )

    const created = await newMigrationCommand(
      ['--name', '合同备注 note', '--schema', copy.schemaPath, '--migrations', copy.migrationsDir],
      { ...process.env, DATABASE_URL: adminUrl },
    )
    expect(created.stderr).toBe('')
    expect(created.code).toBe(0)
    const after = await migrationFolders(copy.migrationsDir)
    expect(after.slice(0, -1)).toEqual(before)
    const added = after.at(-1)!
    expect(added).toMatch(/^\d{14}_合同备注_note$/)
    expect(added > before.at(-1)!).toBe(true)
    const sql = await readFile(path.join(copy.migrationsDir, added, 'migration.sql'), 'utf8')
    expect(sql).toContain('ALTER TABLE "Deal" ADD COLUMN     "note" TEXT;')
    expect(created.stdout).toContain(`已生成迁移 `)

    // The new folder is an ordinary migration: it applies, and the schema then has no drift.
    const url = await createDatabase('new_migration')
    expect(await applyMigrations(url, copy.migrationsDir)).toEqual(after)
    expect(await diffMigrationsToSchema({ serverUrl: adminUrl, ...copy })).toBeNull()

    // Run again, there is nothing left to migrate: a clear refusal, and no empty folder.
    const again = await newMigrationCommand(
      ['--name', 'again', '--schema', copy.schemaPath, '--migrations', copy.migrationsDir],
      { ...process.env, DATABASE_URL: adminUrl },
    )
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('没有需要生成的迁移')
    expect(await migrationFolders(copy.migrationsDir)).toEqual(after)
  })

  test('without DATABASE_URL it diffs on an embedded cluster of its own', async () => {
    const copy = await copyOfPrisma('embedded')
    const env = { ...process.env }
    delete env.DATABASE_URL
    const result = await newMigrationCommand(
      ['--name', 'nothing', '--schema', copy.schemaPath, '--migrations', copy.migrationsDir],
      env,
    )
    expect(result.stderr).toBe(
      'prisma/schema.prisma 与已有迁移一致，没有需要生成的迁移。请先修改 schema.prisma。\n',
    )
    expect(result.code).toBe(1)
  })

  test('a missing --name is refused', async () => {
    const result = await newMigrationCommand([], { ...process.env, DATABASE_URL: adminUrl })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('请用 --name 说明这次修改')
  })
})

describe('checksums of applied migrations', () => {
  test('an applied migration whose file changed stops the migration, naming the file', async () => {
    const copy = await copyOfPrisma('checksums')
    const url = await createDatabase('checksums')
    const names = await applyMigrations(url, copy.migrationsDir)
    const edited = names[1]!
    const editedFile = path.join(copy.migrationsDir, edited, 'migration.sql')

    // Line endings converted by a checkout are not a change.
    const original = await readFile(editedFile, 'utf8')
    await writeFile(editedFile, original.replaceAll('\n', '\r\n'))
    expect(await applyMigrations(url, copy.migrationsDir)).toEqual([])

    await writeFile(editedFile, `${original}\nALTER TABLE "Result" ADD COLUMN "extra" TEXT;\n`)
    // A pending migration is not applied either: the history must agree first.
    await cp(
      path.join(copy.migrationsDir, names.at(-1)!),
      path.join(copy.migrationsDir, '29991231000000_later'),
      { recursive: true },
    )
    await writeFile(
      path.join(copy.migrationsDir, '29991231000000_later', 'migration.sql'),
      'CREATE TABLE "Later" (id TEXT PRIMARY KEY);',
    )
    const attempt = applyMigrations(url, copy.migrationsDir)
    await expect(attempt).rejects.toBeInstanceOf(MigrationChangedError)
    await expect(attempt).rejects.toBeInstanceOf(DatabaseUnavailableError)
    await expect(attempt).rejects.toThrow(
      `已执行过的数据库迁移文件被修改：${path.relative(process.cwd(), editedFile)}。`,
    )
    expect(await query(url, `SELECT 1 FROM pg_tables WHERE tablename = 'Later'`)).toEqual([])
  })

  test('the server does not start on a database whose migration history disagrees', async () => {
    const url = await createDatabase('server_checksum')
    const names = await applyMigrations(url)
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    // As if prisma/migrations/<first>/migration.sql had been edited after it was applied.
    await client.query(
      `UPDATE "_prisma_migrations" SET checksum = repeat('0', 64) WHERE migration_name = $1`,
      [names[0]],
    )
    await client.end()

    const dataDir = path.join(scratch, 'server-data')
    const started = await run(process.execPath, ['--import', 'tsx', 'server.ts'], {
      env: { ...process.env, DATABASE_URL: url, DATA_DIR: dataDir, PORT: '39217', DEMO_SEED: '0' },
      timeout: 60_000,
    }).catch((error: { code: number; stderr: string }) => error)
    expect(started).toMatchObject({ code: 1 })
    expect('stderr' in started && started.stderr).toContain(
      `已执行过的数据库迁移文件被修改：prisma/migrations/${names[0]}/migration.sql。`,
    )
    expect('stderr' in started && started.stderr).toContain('服务器未启动。')
  })
})
