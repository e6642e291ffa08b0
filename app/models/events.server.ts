import type { Prisma } from '~/generated/prisma/client'
import { MARKET_EVENTS_CHANNEL, type MarketEvent } from '~/realtime/events'
import { prisma } from '~/utils/db.server'

// PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more; events carry ids and titles only.
const MAX_PAYLOAD_BYTES = 7_900

/**
 * Records an event for open browsers. Inside a transaction, PostgreSQL delivers the NOTIFY
 * only when it commits (and never if it rolls back); every server process listening on the
 * channel then hands it to its own sockets (see app/realtime/dispatcher.server.ts). Because
 * the database carries it, writes by the CLI or an import reach browsers too.
 */
/** Whether an event is small enough to be recorded as it is. */
export function eventFits(event: MarketEvent) {
  return Buffer.byteLength(JSON.stringify(event)) <= MAX_PAYLOAD_BYTES
}

export function recordEvent(tx: Pick<Prisma.TransactionClient, '$executeRaw'>, event: MarketEvent) {
  return recordEvents(tx, [event])
}

/** Several events in one statement, for writes of many rows at once (imports). */
export async function recordEvents(
  tx: Pick<Prisma.TransactionClient, '$executeRaw'>,
  events: readonly MarketEvent[],
) {
  if (events.length === 0) return
  const payloads = events.map((event) => {
    const payload = JSON.stringify(event)
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      throw new Error(`事件内容过长（${event.type}），未能记录`)
    }
    return payload
  })
  await tx.$executeRaw`SELECT pg_notify(${MARKET_EVENTS_CHANNEL}, payload)
                       FROM unnest(${payloads}::text[]) AS payload`
}

/** The same outside a transaction, for writes that already committed. */
export function publishEvent(event: MarketEvent) {
  return recordEvent(prisma, event)
}

export function marketChanged(at = new Date()): MarketEvent {
  return { type: 'market:changed', room: 'public', payload: { at: at.toISOString() } }
}
