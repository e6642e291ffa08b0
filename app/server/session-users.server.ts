import { getLiveSession, getSessionUser, type SessionUser } from '~/models/user.server'

/**
 * Who is behind a session, remembered per process while the server hears of every change
 * that could alter the answer. Database triggers announce any write to users, sessions or
 * organizations (`accounts:changed`, see the migration account_change_events), the CLI's and
 * imports' included, and the HTTP server clears this on hearing one, after its own writes,
 * and whenever its event connection drops. Without it the lookup is a third of the time of
 * a signed-in page (see the README's bench:http figures).
 *
 * Kept on a global key because the server entry and the Remix build each load this module.
 */
const TTL_MS = 60_000
const MAX_ENTRIES = 10_000

interface Entry {
  user: Promise<SessionUser | null>
  /** Until the TTL, or the session's own end if that comes first. */
  validUntil: number
}

interface SessionUserCache {
  /** Only the HTTP server turns it on, and only while its event dispatcher is listening. */
  enabled: boolean
  entries: Map<string, Entry>
}

declare global {
  var __sessionUsers: SessionUserCache | undefined
}

const cache = (globalThis.__sessionUsers ??= { enabled: false, entries: new Map() })

/** The user behind a live session, or null when the session was revoked or has expired. */
export function lookupSessionUser(sessionId: string): Promise<SessionUser | null> {
  if (!cache.enabled) return getSessionUser(sessionId)
  const now = Date.now()
  const known = cache.entries.get(sessionId)
  if (known && now <= known.validUntil) return known.user
  const session = getLiveSession(sessionId)
  // Concurrent lookups for the same session (a page's loaders run in parallel) share one query.
  const entry: Entry = {
    user: session.then((found) => found?.user ?? null),
    validUntil: now + TTL_MS,
  }
  cache.entries.set(sessionId, entry)
  if (cache.entries.size > MAX_ENTRIES) cache.entries.delete(cache.entries.keys().next().value!)
  session.then(
    (found) => {
      if (found) entry.validUntil = Math.min(entry.validUntil, found.expiresAt.getTime())
    },
    // A failed lookup (the database away) is not an answer to remember.
    () => {
      if (cache.entries.get(sessionId) === entry) cache.entries.delete(sessionId)
    },
  )
  return entry.user
}

export function forgetSessionUsers() {
  cache.entries.clear()
}

/** On while changes are heard, off (and emptied) while they may be missed. */
export function setSessionUserCaching(enabled: boolean) {
  cache.enabled = enabled
  cache.entries.clear()
}
