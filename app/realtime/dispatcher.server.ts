import pg from 'pg'

import { loadChatMessage } from '~/models/deal-room.server'
import { logger } from '~/utils/logger.server'

import { MARKET_EVENTS_CHANNEL, marketEventSchema, rooms, type MarketEvent } from './events'
import type { RealtimeServer } from './socket.server'

const log = logger.child({ component: 'realtime-dispatcher' })
const RETRY_MIN_MS = 500
const RETRY_MAX_MS = 30_000

/**
 * Delivers what models recorded (pg_notify, after commit) to this process's sockets. Every
 * server process listens and emits to its local sockets only, so with the Redis adapter a
 * browser still hears each event once. The connection is re-opened with backoff whenever it
 * drops (database restart, network), so delivery resumes by itself.
 */
export function startEventDispatcher(
  io: RealtimeServer,
  databaseUrl: string,
  options: {
    /** Also told of every event, e.g. to drop cached public pages on `market:changed`. */
    onEvent?: (event: MarketEvent) => void
    /**
     * Told when listening starts (true) and when the connection drops (false): events may be
     * missed until it resumes, and those of the gap are lost.
     */
    onListening?: (listening: boolean) => void
  } = {},
) {
  let client: pg.Client | undefined
  let stopped = false
  let retryMs = RETRY_MIN_MS
  let retryTimer: NodeJS.Timeout | undefined

  const deliver = (event: MarketEvent) => {
    options.onEvent?.(event)
    switch (event.type) {
      case 'market:changed':
        io.local.to(rooms.public).emit('market:changed', event.payload)
        break
      case 'notification:new':
        io.local.to(rooms.user(event.room.userId)).emit('notification:new', event.payload)
        break
      case 'deal:changed':
        io.local.to(rooms.deal(event.room.dealId)).emit('deal:changed', event.payload)
        break
      case 'deal:message': {
        const room = rooms.deal(event.room.dealId)
        // Read only where someone listens: most processes have nobody in a given room.
        if (!io.of('/').adapter.rooms.get(room)?.size) break
        if (event.payload.message) {
          io.local.to(room).emit('deal:message', event.payload.message)
          break
        }
        loadChatMessage(event.payload.id)
          .then((message) => {
            if (message) io.local.to(room).emit('deal:message', message)
          })
          .catch((error: unknown) => log.warn({ err: error }, '读取洽谈消息失败，未能推送'))
        break
      }
      case 'session:ended':
        io.local.in(event.room.sessionIds.map(rooms.session)).disconnectSockets(true)
        break
      case 'accounts:changed':
      case 'search:rebuilt':
        // For this process only (onEvent): no browser is told.
        break
    }
  }

  const scheduleReconnect = () => {
    if (stopped || retryTimer) return
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      void connect()
    }, retryMs)
    retryTimer.unref()
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS)
  }

  const connect = async () => {
    const next = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 })
    next.on('notification', (message) => {
      if (message.channel !== MARKET_EVENTS_CHANNEL || !message.payload) return
      let parsed: unknown
      try {
        parsed = JSON.parse(message.payload)
      } catch {
        parsed = undefined
      }
      const event = marketEventSchema.safeParse(parsed)
      if (event.success) deliver(event.data)
      else log.warn('收到无法识别的实时事件，已忽略')
    })
    const lost = () => {
      if (stopped) return
      if (client === next) {
        client = undefined
        options.onListening?.(false)
      }
      scheduleReconnect()
    }
    next.on('error', (error) => {
      log.warn({ err: error }, '实时事件监听连接中断，稍后重连')
      next.end().catch(() => {})
      lost()
    })
    next.on('end', lost)
    try {
      await next.connect()
      await next.query(`LISTEN ${MARKET_EVENTS_CHANNEL}`)
      if (stopped) {
        await next.end()
        return
      }
      if (retryMs > RETRY_MIN_MS) log.info('实时事件监听已恢复')
      client = next
      retryMs = RETRY_MIN_MS
      options.onListening?.(true)
    } catch (error) {
      log.warn({ err: error }, '实时事件监听连接失败，稍后重试')
      await next.end().catch(() => {})
      scheduleReconnect()
    }
  }

  const ready = connect()
  return {
    /** Resolves once the first LISTEN succeeded or failed (and a retry was scheduled). */
    ready,
    /** True while events are being heard; what depends on them must not trust itself otherwise. */
    get listening() {
      return client !== undefined
    },
    async stop() {
      stopped = true
      if (retryTimer) clearTimeout(retryTimer)
      await client?.end().catch(() => {})
    },
  }
}
