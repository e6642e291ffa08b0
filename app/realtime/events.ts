import { z } from 'zod'

/** A deal-room message as it travels to the browser. */
export const chatMessageSchema = z.object({
  id: z.string(),
  dealId: z.string(),
  body: z.string(),
  createdAt: z.string(),
  sender: z.object({ id: z.string(), name: z.string() }),
})

export type ChatMessage = z.infer<typeof chatMessageSchema>

/** What a deal-room request is answered: its result, or a refusal to show. */
export type RoomReply<T = object> = ({ ok: true } & T) | { ok: false; error: string }

/** Every Socket.IO event, typed once for the server and the browser. */
export interface ServerToClientEvents {
  /** Listings or deals changed: pages showing market-wide figures should reload them. */
  'market:changed': (payload: { at: string }) => void
  'notification:new': (payload: { id: string; title: string; link: string | null }) => void
  /** A deal moved or was taken up: its open pages reload it. */
  'deal:changed': (payload: { id: string; status: string; version: number }) => void
  'deal:message': (message: ChatMessage) => void
  /** Someone in the room is writing; not stored, shown for a few seconds. */
  'deal:typing': (payload: { dealId: string; userId: string; name: string }) => void
}

/**
 * What a browser asks of the server about deal rooms. Every payload arrives as `unknown` and
 * is parsed with the schemas below; who may do what is asked of the models.
 */
export interface ClientToServerEvents {
  'deal:join': (dealId: unknown, answer: (reply: RoomReply) => void) => void
  'deal:messages': (
    request: unknown,
    answer: (reply: RoomReply<{ messages: ChatMessage[]; hasMore: boolean }>) => void,
  ) => void
  'deal:send': (
    request: unknown,
    answer: (reply: RoomReply<{ message: ChatMessage }>) => void,
  ) => void
  'deal:read': (dealId: unknown, answer: (reply: RoomReply) => void) => void
  'deal:typing': (dealId: unknown) => void
}

/** A record id as a socket sends it (a cuid): never trusted, checked again through the model. */
const idSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9]+$/)

export const dealIdSchema = idSchema

/** Paging back (`before`) or catching up (`after`) from a message of the room. */
export const messagesRequestSchema = z.union([
  z.strictObject({ dealId: idSchema, before: idSchema.optional() }),
  z.strictObject({ dealId: idSchema, after: idSchema }),
])

/** The body is checked by the model with the same rules as the page's form. */
export const sendRequestSchema = z.strictObject({ dealId: idSchema, body: z.string() })

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
  // The message travels with its event when it fits in a NOTIFY; 4,000 Chinese characters do
  // not, and are then read from the database by each process that has the room's sockets.
  z.object({
    type: z.literal('deal:message'),
    room: z.object({ dealId: z.string().min(1) }),
    payload: z.object({ id: z.string().min(1), message: chatMessageSchema.optional() }),
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
