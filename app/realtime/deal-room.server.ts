import type { Socket } from 'socket.io'

import { canSpeakInDeal } from '~/domain/deals'
import {
  DEAL_ROOM_NOT_FOUND,
  listDealMessages,
  markDealRead,
  postDealMessage,
} from '~/models/deal-room.server'
import { dealCapacitiesById } from '~/models/deal.server'
import { logger } from '~/utils/logger.server'

import {
  dealIdSchema,
  messagesRequestSchema,
  rooms,
  sendRequestSchema,
  type ClientToServerEvents,
  type RoomReply,
  type ServerToClientEvents,
} from './events'
import { TokenBucket } from './token-bucket'

const log = logger.child({ component: 'deal-room' })

export interface DealRoomSocketData {
  userId: string | null
  sessionId: string | null
  displayName: string | null
}

type RoomSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  DealRoomSocketData
>

const TOO_FAST = '操作过于频繁，请稍后再试'
const BAD_REQUEST = '请求格式不正确，请刷新页面后重试'
const UNAVAILABLE = '洽谈室暂时不可用，请稍后再试'

/**
 * The deal-room events of one socket. Every payload is parsed before use, every request is
 * rate-limited per socket, and who may join, read or speak is asked of the models: a forged
 * payload or someone else's deal id gets a refusal, never an exception.
 */
export function handleDealRoom(socket: RoomSocket) {
  // Ten messages at once, then one a second: faster than anyone types, slower than a script.
  const sending = new TokenBucket(10, 1_000)
  // Joining, paging and read marks: generous, but bounded so a loop cannot flood the database.
  const requests = new TokenBucket(30, 200)
  const typing = new TokenBucket(3, 2_000)
  // The rooms this socket joined as a party or broker, rather than reading along.
  const speaking = new Set<string>()

  /** Runs one request: refused when too frequent or not signed in, answered whatever happens. */
  const serve = <T extends object>(
    bucket: TokenBucket,
    answer: unknown,
    work: (userId: string) => Promise<RoomReply<T>>,
  ) => {
    if (typeof answer !== 'function') return
    const reply = answer as (reply: RoomReply<T>) => void
    const userId = socket.data.userId
    if (!userId) return reply({ ok: false, error: '请先登录' })
    if (!bucket.take()) return reply({ ok: false, error: TOO_FAST })
    work(userId).then(reply, (error: unknown) => {
      log.warn({ err: error }, '洽谈室请求失败')
      reply({ ok: false, error: UNAVAILABLE })
    })
  }

  socket.on('deal:join', (dealId, answer) =>
    serve(requests, answer, async (userId) => {
      const parsed = dealIdSchema.safeParse(dealId)
      if (!parsed.success) return { ok: false, error: DEAL_ROOM_NOT_FOUND }
      const capacities = await dealCapacitiesById(userId, parsed.data)
      if (capacities.length === 0) return { ok: false, error: DEAL_ROOM_NOT_FOUND }
      await socket.join(rooms.deal(parsed.data))
      if (canSpeakInDeal(capacities)) speaking.add(parsed.data)
      return { ok: true }
    }),
  )

  socket.on('deal:messages', (request, answer) =>
    serve(requests, answer, async (userId) => {
      const parsed = messagesRequestSchema.safeParse(request)
      if (!parsed.success) return { ok: false, error: BAD_REQUEST }
      const { dealId, ...cursor } = parsed.data
      const page = await listDealMessages(userId, dealId, cursor)
      return page.ok ? page : { ok: false, error: page.reason }
    }),
  )

  socket.on('deal:send', (request, answer) =>
    serve(sending, answer, async (userId) => {
      const parsed = sendRequestSchema.safeParse(request)
      if (!parsed.success) return { ok: false, error: BAD_REQUEST }
      const posted = await postDealMessage(userId, parsed.data.dealId, parsed.data.body)
      return posted.ok ? posted : { ok: false, error: posted.reason }
    }),
  )

  socket.on('deal:read', (dealId, answer) =>
    serve(requests, answer, async (userId) => {
      const parsed = dealIdSchema.safeParse(dealId)
      if (!parsed.success || !(await markDealRead(userId, parsed.data))) {
        return { ok: false, error: DEAL_ROOM_NOT_FOUND }
      }
      return { ok: true }
    }),
  )

  // Not stored and not acknowledged: heard only by the room's other sockets, on any server
  // (the Redis adapter carries it), and only from a socket that joined the room to speak.
  socket.on('deal:typing', (dealId) => {
    const parsed = dealIdSchema.safeParse(dealId)
    const { userId, displayName } = socket.data
    if (!parsed.success || !userId || !displayName || !speaking.has(parsed.data)) return
    if (!typing.take()) return
    socket.to(rooms.deal(parsed.data)).emit('deal:typing', {
      dealId: parsed.data,
      userId,
      name: displayName,
    })
  })
}
