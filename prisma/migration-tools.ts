import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

import { startDatabase } from '../app/utils/database.server'

const run = promisify(execFile)

export const ROOT = path.resolve(import.meta.dirname, '..')
export const MIGRATIONS_DIR = path.join(ROOT, 'prisma/migrations')
export const SCHEMA_PATH = path.join(ROOT, 'prisma/schema.prisma')
const PRISMA_CLI = createRequire(import.meta.url).resolve('prisma/build/index.js')

export class NothingToMigrateError extends Error {
  constructor() {
    super('prisma/schema.prisma 与已有迁移一致，没有需要生成的迁移。请先修改 schema.prisma。')
    this.name = 'NothingToMigrateError'
  }
}

/**
 * Runs `fn` with the URL of a PostgreSQL server on which throwaway (shadow) databases may be
 * created: the one DATABASE_URL points to, else an embedded cluster in a temporary directory
 * that is removed afterwards. The database DATABASE_URL names is never changed.
 */
export async function withScratchServer<T>(fn: (serverUrl: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return fn(process.env.DATABASE_URL)
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'xm-migration-'))
  try {
    const database = await startDatabase({ dataDir, databaseName: 'postgres' })
    try {
      return await fn(database.url)
    } finally {
      await database.stop()
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
}

/**
 * The SQL that would take a database migrated with `migrationsDir` to `schemaPath`, or null
 * when there is none. Prisma applies the migrations to a shadow database it creates on the
 * server (see prisma.config.ts) and compares what it finds with the schema. What Prisma 6
 * cannot express (CHECK constraints, triggers, partial indexes) is invisible to it on both
 * sides, so hand-written SQL of that kind never shows up here.
 */
export async function diffMigrationsToSchema(options: {
  serverUrl: string
  migrationsDir?: string
  schemaPath?: string
}): Promise<string | null> {
  const args = [
    PRISMA_CLI,
    'migrate',
    'diff',
    '--config',
    path.join(ROOT, 'prisma.config.ts'),
    '--from-migrations',
    options.migrationsDir ?? MIGRATIONS_DIR,
    '--to-schema-datamodel',
    options.schemaPath ?? SCHEMA_PATH,
    '--script',
    '--exit-code',
  ]
  try {
    await run(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: options.serverUrl },
      maxBuffer: 64 * 1024 * 1024,
    })
    return null
  } catch (error) {
    const failure = error as { code?: unknown; stdout?: string; stderr?: string }
    // --exit-code: 0 no difference, 2 a difference (the script is on stdout), 1 an error.
    if (failure.code === 2 && failure.stdout) return failure.stdout
    const detail = (failure.stderr || failure.stdout || String(error)).trim()
    throw new Error(`prisma migrate diff 执行失败：${detail}`)
  }
}

/** Folder-name part of a migration: letters and digits of any script, the rest as `_`. */
export function migrationSlug(name: string) {
  return name
    .trim()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60)
}

function timestamp(date: Date) {
  return date.toISOString().replace(/\D/g, '').slice(0, 14)
}

/**
 * A UTC timestamp prefix (YYYYMMDDHHMMSS) later than every existing migration's, so the new
 * folder sorts last even when a clock lags behind a colleague's.
 */
async function nextPrefix(migrationsDir: string, now: Date) {
  const entries = await readdir(migrationsDir, { withFileTypes: true })
  const prefixes = entries
    .filter((entry) => entry.isDirectory() && /^\d{14}_/.test(entry.name))
    .map((entry) => entry.name.slice(0, 14))
    .sort()
  const latest = prefixes.at(-1)
  if (!latest || timestamp(now) > latest) return timestamp(now)
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(latest) ?? []
  return timestamp(new Date(Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`) + 1000))
}

/**
 * Writes `<migrationsDir>/<timestamp>_<name>/migration.sql` with what the schema adds to the
 * committed migrations; refuses (NothingToMigrateError) when they already agree.
 */
export async function createMigration(options: {
  name: string
  serverUrl: string
  migrationsDir?: string
  schemaPath?: string
  now?: Date
}): Promise<{ directory: string; file: string; sql: string }> {
  const slug = migrationSlug(options.name)
  if (!slug) throw new Error('迁移名称不能为空，请用 --name 说明这次修改，例如 --name deal_rooms')
  const migrationsDir = options.migrationsDir ?? MIGRATIONS_DIR
  const sql = await diffMigrationsToSchema({
    serverUrl: options.serverUrl,
    migrationsDir,
    schemaPath: options.schemaPath,
  })
  if (sql === null) throw new NothingToMigrateError()
  const directory = path.join(
    migrationsDir,
    `${await nextPrefix(migrationsDir, options.now ?? new Date())}_${slug}`,
  )
  await mkdir(directory)
  const file = path.join(directory, 'migration.sql')
  await writeFile(file, sql)
  return { directory, file, sql }
}
