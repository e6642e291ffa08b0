import { createAdapter } from '@socket.io/redis-adapter'
import { createClient } from 'redis'

import { logger } from '~/utils/logger.server'

import type { RealtimeServer } from './socket.server'

const log = logger.child({ component: 'redis-adapter' })
const CONNECT_TIMEOUT_MS = 5_000

/** The address without its password, for messages. */
function describe(url: string) {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}`
  } catch {
    return 'REDIS_URL'
  }
}

/** Redis was configured but could not be reached at start. */
export class RedisUnavailableError extends Error {
  constructor(where: string) {
    super(`无法连接 Redis（${where}）：请检查 REDIS_URL，或不设置它以单机运行`)
    this.name = 'RedisUnavailableError'
  }
}

/**
 * With REDIS_URL set, Socket.IO rooms span every server process and machine: what one
 * process emits to a room (someone typing in a deal room) reaches that room's sockets on all
 * of them. Stored events do not depend on it, since every process hears those from
 * PostgreSQL. A Redis that cannot be reached at start stops the start, with the reason; one
 * that drops later is reconnected to in the background.
 */
export async function useRedisAdapter(io: RealtimeServer, url: string) {
  const { publisher, subscriber, close } = await connectRedis(url)
  io.adapter(createAdapter(publisher, subscriber))
  return { close }
}

/** A publishing and a subscribing connection, as the adapter needs; refused after 5 s. */
export async function connectRedis(url: string) {
  const where = describe(url)
  const publisher = createClient({
    url,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries) => Math.min(200 * 2 ** retries, 10_000),
    },
  })
  const subscriber = publisher.duplicate()
  // One warning per outage, not one per reconnection attempt; a failing start says it below.
  let state: 'starting' | 'up' | 'down' = 'starting'
  for (const client of [publisher, subscriber]) {
    client.on('error', (error: unknown) => {
      if (state !== 'up') return
      state = 'down'
      log.warn(
        { err: error, redis: where },
        'Redis 连接中断，正在重连；其间跨进程的即时消息可能丢失',
      )
    })
    client.on('ready', () => {
      if (state === 'down') log.info({ redis: where }, 'Redis 连接已恢复')
      state = 'up'
    })
  }
  const connecting = Promise.all([publisher.connect(), subscriber.connect()])
  // Awaited below; a failure after the timeout has nobody else to tell.
  connecting.catch(() => {})
  try {
    await Promise.race([
      connecting,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('timeout')), CONNECT_TIMEOUT_MS).unref(),
      ),
    ])
  } catch {
    for (const client of [publisher, subscriber]) {
      try {
        client.destroy()
      } catch {
        // never opened
      }
    }
    throw new RedisUnavailableError(where)
  }
  return {
    publisher,
    subscriber,
    async close() {
      await Promise.allSettled([publisher.close(), subscriber.close()])
    },
  }
}
