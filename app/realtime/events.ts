/** Every Socket.IO event, typed once for the server and the browser. */
export interface ServerToClientEvents {
  /** Listings or deals changed: pages showing market-wide figures should reload them. */
  'market:changed': (payload: { at: string }) => void
  'notification:new': (payload: { id: string; title: string; link: string | null }) => void
}

// The browser only listens for now; requests go through HTTP actions.
export type ClientToServerEvents = Record<string, never>

export const rooms = {
  public: 'public',
  user: (userId: string) => `user:${userId}`,
}
