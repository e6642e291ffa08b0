import { randomBytes } from 'node:crypto'

import type { PrismaClient } from '~/generated/prisma/client'
import type { SearchEntity } from '~/generated/prisma/enums'

import { marketChanged, recordEvent } from './events.server'

type Db = Pick<PrismaClient, '$executeRawUnsafe' | '$executeRaw'>

/** A cuid-shaped id (25 lowercase base-36 characters), like the ones Prisma generates. */
export function createId() {
  const time = Date.now().toString(36).padStart(9, '0')
  const random = BigInt(`0x${randomBytes(10).toString('hex')}`)
    .toString(36)
    .padStart(16, '0')
    .slice(-15)
  return `c${time}${random}`
}

const searchEntityOf = {
  Result: 'result',
  Need: 'need',
  Expert: 'expert',
} as const satisfies Record<string, SearchEntity>

/**
 * Inserts many listing rows in one statement and queues each for the search index in the same
 * statement. Rows travel as one JSON document and become table rows through PostgreSQL's own
 * `jsonb_populate_recordset`, which is ~20× faster than Prisma's createMany for large batches.
 * Every row must carry the same keys; omitted columns take their database defaults.
 */
export async function insertListingsWithOutbox(
  db: Db,
  table: keyof typeof searchEntityOf,
  rows: Record<string, unknown>[],
) {
  const first = rows[0]
  if (!first) return 0
  const columns = Object.keys(first)
    .map((column) => `"${column}"`)
    .join(', ')
  const written = await db.$executeRawUnsafe(
    `WITH inserted AS (
       INSERT INTO "${table}" (${columns})
       SELECT ${columns} FROM jsonb_populate_recordset(NULL::"${table}", $1::jsonb)
       RETURNING id
     )
     INSERT INTO "SearchOutbox" (entity, "entityId", op, "updatedAt")
     SELECT '${searchEntityOf[table]}', id, 'upsert', now() FROM inserted`,
    JSON.stringify(rows),
  )
  await recordEvent(db, marketChanged())
  return written
}
