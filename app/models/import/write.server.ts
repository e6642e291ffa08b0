// The writing half of the importer: set-based upserts keyed by externalId (or name), each
// batch one statement that also queues changed listings for the search index.
import { LISTING_TTL_DAYS } from '~/domain/constants'
import type { SearchEntity } from '~/generated/prisma/enums'

import { createId } from '../bulk.server'
import { recordEvents } from '../events.server'

import type { Db, WriteGroup } from './references.server'
import { CHINA_OFFSET_MS, type ProgressListener } from './validate.server'

export interface TableSpec {
  table: 'Organization' | 'Expert' | 'Result' | 'Need' | 'Deal'
  conflict: 'externalId' | 'name'
  /** Columns the file decides: inserted, compared and, when they differ, updated. */
  columns: readonly string[]
  /** Columns set only when a row is inserted; SQL over $2 (now) and $3 (expiry). */
  insertOnly?: Record<string, string>
  /** Columns inserted from the row but, on update, set by an SQL expression (not compared). */
  derived?: Record<string, string>
  bumpVersion?: boolean
  outbox?: SearchEntity
  /** Organizations: a changed name, region or flag changes what their listings' search documents say. */
  requeueListings?: boolean
  /** Deals: return the status before and after, for the deal's event log and open pages. */
  logStatus?: boolean
}

/** The statement's own clock: parameter $2, the same instant for every row of the import. */
export const NOW = '$2::timestamp(3)'
/** When an imported listing expires: parameter $3. */
export const EXPIRES = '$3::timestamp(3)'

const BATCH_ROWS = 5000
// A batch also ends at this many characters of JSON, so long descriptions cannot make one
// statement's parameter unreasonably large.
const BATCH_CHARS = 16_000_000
const DAY_MS = 86_400_000

/** A calendar date in China, as PostgreSQL `date` columns store it. */
export function toChinaDate(date: Date | undefined) {
  return date ? new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10) : null
}

const quote = (column: string) => `"${column}"`

// Batches travel base64-encoded: Prisma's raw-query path spends seconds on a few megabytes of
// JSON text (escaped quotes and non-ASCII characters), but passes plain ASCII through quickly;
// PostgreSQL decodes it back in milliseconds. Measured here on 3.6 MB of results JSON:
// 2.0 s as text, 0.35 s as base64.
const JSON_PARAM = `convert_from(decode($1, 'base64'), 'UTF8')::jsonb`

function toJsonParam(json: string) {
  return Buffer.from(json).toString('base64')
}

/**
 * One set-based upsert: the batch travels as one JSON document, becomes rows through
 * `jsonb_populate_recordset`, and is upserted by its conflict key. Rows equal to what the
 * table holds are dropped by a plain join first: `ON CONFLICT … DO UPDATE … WHERE` alone
 * would skip them too, but only after locking (and so rewriting) every one of them, which
 * made a no-op re-import slower than the first import. The `WHERE` stays for rows changed
 * concurrently. `xmax = 0` tells inserted rows from updated ones; changed listings are queued
 * for the search index in the same statement.
 */
function buildUpsertSql(spec: TableSpec) {
  const table = quote(spec.table)
  const key = quote(spec.conflict)
  const derived = Object.entries(spec.derived ?? {})
  const insertOnly = Object.entries(spec.insertOnly ?? {})
  const fromInput = [
    ...new Set(['id', 'externalId', ...spec.columns, ...derived.map(([column]) => column)]),
  ]
  const insertColumns = [...fromInput, ...insertOnly.map(([column]) => column)]
  const selectList = [
    ...fromInput.map((column) => `i.${quote(column)}`),
    ...insertOnly.map(([, expression]) => expression),
  ]
  const compared = spec.columns.filter((column) => column !== spec.conflict)
  const row = (alias: string) =>
    `(${compared.map((column) => `${alias}.${quote(column)}`).join(', ')})`
  const assignments = [
    ...spec.columns.map((column) => `${quote(column)} = EXCLUDED.${quote(column)}`),
    ...derived.map(([column, expression]) => `${quote(column)} = ${expression}`),
    ...(spec.bumpVersion ? ['version = t.version + 1'] : []),
    `"updatedAt" = ${NOW}`,
  ]
  const ctes = [
    `input AS (SELECT * FROM jsonb_populate_recordset(NULL::${table}, ${JSON_PARAM}))`,
    `changed AS (
      SELECT i.* FROM input i LEFT JOIN ${table} t ON t.${key} = i.${key}
      WHERE t.id IS NULL OR ${row('t')} IS DISTINCT FROM ${row('i')}
    )`,
  ]
  if (spec.logStatus) {
    ctes.push(`previous AS (
      SELECT t.id, t.status FROM ${table} t JOIN changed i ON t.${key} = i.${key}
    )`)
  }
  ctes.push(`upserted AS (
      INSERT INTO ${table} AS t (${insertColumns.map(quote).join(', ')}, "createdAt", "updatedAt")
      SELECT ${[...selectList, NOW, NOW].join(', ')} FROM changed i
      ON CONFLICT (${key}) DO UPDATE SET ${assignments.join(', ')}
      WHERE ${row('t')} IS DISTINCT FROM ${row('EXCLUDED')}
      RETURNING t.id, (t.xmax = 0) AS inserted${spec.logStatus ? ', t.status, t.version' : ''}
    )`)
  if (spec.outbox) {
    ctes.push(`queued AS (
      INSERT INTO "SearchOutbox" (entity, "entityId", op, "createdAt", "updatedAt")
      SELECT '${spec.outbox}'::"SearchEntity", id, 'upsert'::"OutboxOp", ${NOW}, ${NOW}
      FROM upserted
    )`)
  }
  if (spec.requeueListings) {
    const listingsOf = (entity: SearchEntity, listingTable: string) =>
      `SELECT '${entity}'::"SearchEntity", l.id, 'upsert'::"OutboxOp", ${NOW}, ${NOW}
       FROM "${listingTable}" l JOIN upserted u ON l."orgId" = u.id WHERE NOT u.inserted`
    ctes.push(`requeued AS (
      INSERT INTO "SearchOutbox" (entity, "entityId", op, "createdAt", "updatedAt")
      ${listingsOf('result', 'Result')} UNION ALL ${listingsOf('need', 'Need')}
      UNION ALL ${listingsOf('expert', 'Expert')}
    )`)
  }
  const select = spec.logStatus
    ? `SELECT u.id, u.inserted, u.status::text AS status, u.version,
              p.status::text AS "fromStatus"
       FROM upserted u LEFT JOIN previous p ON p.id = u.id`
    : 'SELECT u.id, u.inserted FROM upserted u'
  return `WITH ${ctes.join(',\n    ')}\n    ${select}`
}

const upsertSql = new Map<TableSpec, string>()

interface UpsertedRow {
  id: string
  inserted: boolean
  status?: string
  version?: number
  fromStatus?: string | null
}

/** Writes the groups in order, in batches; counts rows inserted and updated, per table. */
export async function writeGroups(
  db: Db,
  groups: WriteGroup[],
  total: number,
  onProgress: ProgressListener | undefined,
) {
  const now = new Date()
  const params = [
    now.toISOString(),
    new Date(now.getTime() + LISTING_TTL_DAYS * DAY_MS).toISOString(),
  ]
  let inserted = 0
  let updated = 0
  let done = 0
  const changedByTable = new Map<TableSpec['table'], number>()
  onProgress?.('write', 0, total)

  // Two statements in flight: while PostgreSQL executes one batch, this process prepares the
  // next (JSON, ids, Prisma's parameter handling), so that both cores work. The transaction's
  // connection still runs them one after the other.
  const inFlight: Promise<void>[] = []
  try {
    for (const { spec, records } of groups) {
      let sql = upsertSql.get(spec)
      if (!sql) upsertSql.set(spec, (sql = buildUpsertSql(spec)))
      // PostgreSQL refuses parameters a statement does not use: only listings expire.
      const used = spec.insertOnly ? params : params.slice(0, 1)
      for (const batch of batches(records)) {
        const write = db
          .$queryRawUnsafe<UpsertedRow[]>(sql, batch.json, ...used)
          .then(async (rows) => {
            for (const row of rows) {
              if (row.inserted) inserted += 1
              else updated += 1
            }
            changedByTable.set(spec.table, (changedByTable.get(spec.table) ?? 0) + rows.length)
            if (spec.logStatus) {
              await logDealEvents(db, rows, params[0]!)
              await announceDealChanges(db, rows)
            }
            done += batch.count
            onProgress?.('write', done, total)
          })
        // Marked as handled at once: awaiting it below still throws, but a failure that
        // surfaces while the other statement is awaited must not crash the process.
        write.catch(() => {})
        inFlight.push(write)
        if (inFlight.length >= 2) await inFlight.shift()
        // Let the statement just started reach the connection before the next batch is built.
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    while (inFlight.length > 0) await inFlight.shift()
  } catch (error) {
    await Promise.allSettled(inFlight)
    throw error
  }
  return { inserted, updated, changedByTable }
}

/**
 * Rows changed in one import beyond which the planner's statistics of a table are renewed at
 * once. Until autovacuum gets to it, a table that grew from hundreds to 100,000 rows is
 * planned as if it were small: the index build's reads of 100,000 listings took 9.7 s instead
 * of 2.5 s, and list pages slow down the same way.
 */
export const ANALYZE_AFTER_ROWS = 1_000

/** The tables whose statistics an import made stale, for ANALYZE after it commits. */
export function tablesToAnalyze(changedByTable: ReadonlyMap<TableSpec['table'], number>) {
  return [...changedByTable]
    .filter(([, rows]) => rows >= ANALYZE_AFTER_ROWS)
    .map(([table]) => table)
}

function* batches(records: Record<string, unknown>[]) {
  let parts: string[] = []
  let chars = 0
  for (const record of records) {
    // Ids are made here, not while checking, so that a dry run does not pay for them.
    const json = JSON.stringify({ id: createId(), ...record })
    parts.push(json)
    chars += json.length + 1
    if (parts.length >= BATCH_ROWS || chars >= BATCH_CHARS) {
      yield { json: toJsonParam(`[${parts.join(',')}]`), count: parts.length }
      parts = []
      chars = 0
    }
  }
  if (parts.length > 0) yield { json: toJsonParam(`[${parts.join(',')}]`), count: parts.length }
}

/** The open pages of deals an import changed follow, as when a person moves a deal. */
function announceDealChanges(db: Db, rows: UpsertedRow[]) {
  return recordEvents(
    db,
    rows.flatMap((row) =>
      row.inserted || !row.status || row.version === undefined
        ? []
        : [
            {
              type: 'deal:changed' as const,
              room: { dealId: row.id },
              payload: { id: row.id, status: row.status, version: row.version },
            },
          ],
    ),
  )
}

/** Every imported or changed deal gets an entry in its immutable event log. */
async function logDealEvents(db: Db, rows: UpsertedRow[], now: string) {
  if (rows.length === 0) return
  const events = rows.map((row) => ({
    id: createId(),
    dealId: row.id,
    actorId: null,
    fromStatus: row.inserted ? null : (row.fromStatus ?? null),
    toStatus: row.status,
    note: row.inserted ? '批量导入' : '批量导入（更新）',
    createdAt: now,
  }))
  await db.$executeRawUnsafe(
    `INSERT INTO "DealEvent" (id, "dealId", "actorId", "fromStatus", "toStatus", note, "createdAt")
     SELECT id, "dealId", "actorId", "fromStatus", "toStatus", note, "createdAt"
     FROM jsonb_populate_recordset(NULL::"DealEvent", ${JSON_PARAM})`,
    toJsonParam(JSON.stringify(events)),
  )
}
