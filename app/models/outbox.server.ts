import type { Prisma } from '~/generated/prisma/client'
import type { OutboxOp, SearchEntity } from '~/generated/prisma/enums'

import { marketChanged, recordEvent } from './events.server'

/**
 * Queues listings for the search indexer. Call it with the transaction client of the write
 * itself, so that the index can always catch up from the database alone. `upsert` means
 * "look at this row again" (the indexer drops rows that are no longer public); `delete` is for
 * rows that no longer exist.
 */
export async function enqueueSearchUpdate(
  tx: Prisma.TransactionClient,
  entity: SearchEntity,
  entityIds: string[],
  op: OutboxOp = 'upsert',
) {
  if (entityIds.length === 0) return
  await tx.searchOutbox.createMany({
    data: entityIds.map((entityId) => ({ entity, entityId, op })),
  })
  // What search shows is what visitors see: their pages (and cached copies) refresh too.
  await recordEvent(tx, marketChanged())
}
