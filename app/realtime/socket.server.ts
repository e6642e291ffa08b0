import type { Server as HttpServer, IncomingMessage } from 'node:http'

import { Server } from 'socket.io'

import { getSessionUser } from '~/models/user.server'
import { logger } from '~/utils/logger.server'
import { authSessionStorage } from '~/utils/session.server'

import { handleDealRoom, type DealRoomSocketData } from './deal-room.server'
import { rooms, type ClientToServerEvents, type ServerToClientEvents } from './events'

type SocketData = DealRoomSocketData

export type RealtimeServer = Server<
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
 * Cookies ride along on the WebSocket upgrade and on polling requests, so a foreign page must
 * not open a socket. A request without Origin (not a browser) is allowed; an Origin that does
 * not parse (`null` from a sandboxed frame, `http://[bad`) or names another host is refused.
 */
export function isSameOriginSocketRequest(request: Pick<IncomingMessage, 'headers'>) {
  const origin = request.headers.origin
  if (origin === undefined) return true
  const host = request.headers.host
  if (!host) return false
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}

/**
 * Attaches Socket.IO to the HTTP server. The handshake reads the same signed session cookie
 * as the pages; a socket joins the public room and, when signed in, its own user room and the
 * room of its session (which app/realtime/dispatcher.server.ts empties when the session ends).
 */
export function attachRealtime(httpServer: HttpServer): RealtimeServer {
  const io: RealtimeServer = new Server(httpServer, {
    serveClient: false,
    // Chat and notifications are small; a megabyte per message is far more than enough.
    maxHttpBufferSize: 1_000_000,
    allowRequest: (request, callback) => callback(null, isSameOriginSocketRequest(request)),
  })
  io.use(async (socket, next) => {
    try {
      const session = await authSessionStorage.getSession(socket.request.headers.cookie)
      const sessionId = session.get('sessionId')
      const user = sessionId ? await getSessionUser(sessionId) : null
      socket.data.userId = user?.id ?? null
      socket.data.displayName = user?.displayName ?? null
      socket.data.sessionId = user && sessionId ? sessionId : null
      next()
    } catch (error) {
      logger.warn({ err: error }, '实时连接鉴权失败')
      next(new Error('实时连接鉴权失败'))
    }
  })
  io.on('connection', (socket) => {
    void socket.join(rooms.public)
    if (socket.data.userId) void socket.join(rooms.user(socket.data.userId))
    if (socket.data.sessionId) void socket.join(rooms.session(socket.data.sessionId))
    handleDealRoom(socket)
  })
  globalThis.__realtime = io
  return io
}

export function getRealtimeStatus() {
  const io = globalThis.__realtime
  return io ? { ok: true, clients: io.engine.clientsCount } : { ok: false, clients: 0 }
}
