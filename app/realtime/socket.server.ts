import type { Server as HttpServer } from 'node:http'

import { Server } from 'socket.io'

import { getSessionUser } from '~/models/user.server'
import { logger } from '~/utils/logger.server'
import { authSessionStorage } from '~/utils/session.server'

import { rooms, type ClientToServerEvents, type ServerToClientEvents } from './events'

interface SocketData {
  userId: string | null
}

type RealtimeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>

declare global {
  // The server process and the Remix bundle load this module separately; both must share one io.
  var __realtime: RealtimeServer | undefined
}

/**
 * Attaches Socket.IO to the HTTP server. The handshake reads the same signed session cookie
 * as the pages; a socket joins the public room and, when signed in, only its own user room.
 */
export function attachRealtime(httpServer: HttpServer): RealtimeServer {
  const io: RealtimeServer = new Server(httpServer, {
    serveClient: false,
    // Cookies ride along on the WebSocket upgrade, so a foreign page must not open one.
    allowRequest: (request, callback) => {
      const origin = request.headers.origin
      const host = request.headers.host
      callback(null, !origin || (host !== undefined && new URL(origin).host === host))
    },
  })
  io.use(async (socket, next) => {
    try {
      const session = await authSessionStorage.getSession(socket.request.headers.cookie)
      const sessionId = session.get('sessionId')
      const user = sessionId ? await getSessionUser(sessionId) : null
      socket.data.userId = user?.id ?? null
      next()
    } catch (error) {
      logger.warn({ err: error }, '实时连接鉴权失败')
      next(new Error('实时连接鉴权失败'))
    }
  })
  io.on('connection', (socket) => {
    void socket.join(rooms.public)
    if (socket.data.userId) void socket.join(rooms.user(socket.data.userId))
  })
  globalThis.__realtime = io
  return io
}

export function getRealtimeStatus() {
  const io = globalThis.__realtime
  return io ? { ok: true, clients: io.engine.clientsCount } : { ok: false, clients: 0 }
}

/** Emits to one user; a no-op outside the server process (CLI, seeding). Call after commit. */
export function emitToUser<E extends keyof ServerToClientEvents>(
  userId: string,
  event: E,
  ...args: Parameters<ServerToClientEvents[E]>
) {
  globalThis.__realtime?.to(rooms.user(userId)).emit(event, ...args)
}

export function emitPublic<E extends keyof ServerToClientEvents>(
  event: E,
  ...args: Parameters<ServerToClientEvents[E]>
) {
  globalThis.__realtime?.to(rooms.public).emit(event, ...args)
}
