import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react'
import { io, type Socket } from 'socket.io-client'

import type { ClientToServerEvents, ServerToClientEvents } from './events'

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>

const SocketContext = createContext<ClientSocket | null>(null)

/** One socket for the whole page, opened after hydration and closed on unmount. */
export function SocketProvider({
  userId,
  children,
}: {
  userId: string | null
  children: ReactNode
}) {
  const [socket, setSocket] = useState<ClientSocket | null>(null)
  useEffect(() => {
    // WebSocket only: a socket is then one connection to one server process, so several
    // processes (a cluster, or nodes behind a balancer) need no sticky sessions.
    const connection: ClientSocket = io({ withCredentials: true, transports: ['websocket'] })
    // Handed to subscribers once connected; they attach their listeners then.
    const onConnect = () => setSocket(connection)
    connection.on('connect', onConnect)
    return () => {
      connection.off('connect', onConnect)
      connection.close()
      setSocket(null)
    }
    // A new login or logout changes the rooms the server grants, so reconnect.
  }, [userId])
  return <SocketContext.Provider value={socket}>{children}</SocketContext.Provider>
}

/** Subscribes to one server event for the lifetime of the calling component. */
export function useSocketEvent<E extends keyof ServerToClientEvents>(
  event: E,
  handler: ServerToClientEvents[E],
) {
  const socket = useContext(SocketContext)
  const handlerRef = useRef(handler)
  useEffect(() => {
    handlerRef.current = handler
  })
  useEffect(() => {
    if (!socket) return
    const listener = ((...args: Parameters<ServerToClientEvents[E]>) =>
      (handlerRef.current as (...a: typeof args) => void)(...args)) as ServerToClientEvents[E]
    // socket.io-client's typings cannot relate a generic event name to its listener.
    socket.on(event, listener as never)
    return () => {
      socket.off(event, listener as never)
    }
  }, [socket, event])
}

/** The page's socket once connected, for components that ask the server something. */
export function useSocket() {
  return useContext(SocketContext)
}

/**
 * Joins a deal's room while the calling component is mounted, and again after every
 * reconnection (a server forgets a socket's rooms when it drops); `onJoined` runs after each
 * successful join, e.g. to fetch what was said meanwhile. The server decides who may join.
 */
export function useDealRoom(dealId: string, onJoined?: () => void) {
  const socket = useContext(SocketContext)
  const onJoinedRef = useRef(onJoined)
  useEffect(() => {
    onJoinedRef.current = onJoined
  })
  useEffect(() => {
    if (!socket) return
    const join = () =>
      socket.emit('deal:join', dealId, (reply) => {
        if (reply.ok) onJoinedRef.current?.()
      })
    join()
    socket.io.on('reconnect', join)
    return () => {
      socket.io.off('reconnect', join)
    }
  }, [socket, dealId])
}
