import type express from 'express'

import { SESSION_COOKIE_NAME } from '~/utils/session.server'

/**
 * What visitors see (home, lists, details, the public forms) is the same for every visitor
 * and changes only when a write changes it, which the event dispatcher announces
 * (`market:changed`, recorded with every search-outbox write). So rendered pages and single-
 * fetch data for requests without a session are kept in memory until the next such event,
 * and at most TTL_MS in any case (time alone changes little: the hourly expiry job announces
 * itself too). A signed-in request never reads or fills the cache.
 *
 * The CSP nonce is per response: a cached page gets the current response's nonce swapped in,
 * so no two responses share one.
 */
const TTL_MS = 60_000
const MAX_ENTRIES = 500
const MAX_BODY_BYTES = 512 * 1024
const CACHEABLE_TYPES = /^(text\/html|text\/x-script)/i
const SESSION_COOKIE = new RegExp(`(^|;\\s*)${SESSION_COOKIE_NAME}=`)

interface CachedPage {
  status: number
  headers: [string, string][]
  body: string
  nonce: string
  storedAt: number
}

export function createPageCache(now = () => Date.now()) {
  // A Map iterates in insertion order: re-inserting on a hit keeps the oldest first to evict.
  const pages = new Map<string, CachedPage>()
  return {
    /** The key of a request whose answer any visitor may share, or null. */
    keyOf(req: express.Request): string | null {
      if (req.method !== 'GET') return null
      if (req.headers.authorization) return null
      if (SESSION_COOKIE.test(req.headers.cookie ?? '')) return null
      return `${req.headers.host ?? ''}${req.originalUrl}`
    },
    get(key: string): CachedPage | undefined {
      const page = pages.get(key)
      if (!page) return undefined
      if (now() - page.storedAt > TTL_MS) {
        pages.delete(key)
        return undefined
      }
      pages.delete(key)
      pages.set(key, page)
      return page
    },
    /** Reads the response body once and keeps it when it is a plain public answer. */
    async store(key: string, response: Response, nonce: string): Promise<CachedPage | null> {
      if (response.status !== 200 || response.headers.has('Set-Cookie')) return null
      if (!CACHEABLE_TYPES.test(response.headers.get('Content-Type') ?? '')) return null
      const body = await response.text()
      const page: CachedPage = {
        status: response.status,
        headers: [...response.headers.entries()],
        body,
        nonce,
        storedAt: now(),
      }
      if (Buffer.byteLength(body) <= MAX_BODY_BYTES) {
        pages.set(key, page)
        while (pages.size > MAX_ENTRIES) pages.delete(pages.keys().next().value!)
      }
      return page
    },
    clear() {
      pages.clear()
    },
    get size() {
      return pages.size
    },
  }
}

export type PageCache = ReturnType<typeof createPageCache>

export function sendCachedPage(res: express.Response, page: CachedPage, nonce: string) {
  res.status(page.status)
  for (const [name, value] of page.headers) res.append(name, value)
  res.send(page.nonce ? page.body.replaceAll(page.nonce, nonce) : page.body)
}
