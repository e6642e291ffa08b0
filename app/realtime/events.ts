import { z } from 'zod'

/** Every Socket.IO event, typed once for the server and the browser. */
export interface ServerToClientEvents {
  /** Listings or deals changed: pages showing market-wide figures should reload them. */
  'market:changed': (payload: { at: string }) => void
  'notification:new': (payload: { id: string; title: string; link: string | null }) => void
  /** A deal moved or was taken up: its open pages reload it. */
  'deal:changed': (payload: { id: string; status: string; version: number }) => void
}

/** What a browser asks of the server: joining a deal's room, checked at join. */
export interface ClientToServerEvents {
  'deal:join': (dealId: unknown, answer: (reply: { ok: boolean; error?: string }) => void) => void
}

/** A deal id as a socket sends it: never trusted, checked again through the model. */
export const dealIdSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9]+$/)

export const rooms = {
  public: 'public',
  user: (userId: string) => `user:${userId}`,
  /** Every socket opened with one login session, so that revoking it can close them. */
  session: (sessionId: string) => `session:${sessionId}`,
  deal: (dealId: string) => `deal:${dealId}`,
}

/**
 * What a model records inside its transaction and the dispatcher delivers after commit: an
 * event for one room, or the end of a session (whose sockets are then disconnected).
 * Validated again when read back, because any process sharing the database may write it.
 */
export const marketEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('market:changed'),
    room: z.literal('public'),
    payload: z.object({ at: z.string() }),
  }),
  z.object({
    type: z.literal('notification:new'),
    room: z.object({ userId: z.string().min(1) }),
    payload: z.object({ id: z.string(), title: z.string(), link: z.string().nullable() }),
  }),
  z.object({
    type: z.literal('deal:changed'),
    room: z.object({ dealId: z.string().min(1) }),
    payload: z.object({ id: z.string(), status: z.string(), version: z.number().int() }),
  }),
  z.object({
    type: z.literal('session:ended'),
    room: z.object({ sessionIds: z.array(z.string().min(1)).min(1) }),
  }),
  // Sent by database triggers on any write to users, sessions or organizations (see the
  // migration account_change_events): whoever remembers who is signed in must look again.
  z.object({ type: z.literal('accounts:changed') }),
  // A process rebuilt the search index and saved its snapshot (`cli reindex`): every server
  // with an embedded index takes the snapshot in.
  z.object({ type: z.literal('search:rebuilt') }),
])

export type MarketEvent = z.infer<typeof marketEventSchema>

/** The PostgreSQL NOTIFY channel that carries MarketEvents from any writer to every server. */
export const MARKET_EVENTS_CHANNEL = 'market_events'
