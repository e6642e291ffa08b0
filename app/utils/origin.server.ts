const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export type OriginVerdict = { ok: true } | { ok: false; reason: string }

/**
 * CSRF defence for cookie-authenticated writes, and the only place that decides it: a
 * mutating request must say where it comes from (Origin, else Referer, else the browser's
 * own Sec-Fetch-Site) and that must be this site.
 *
 * Remix runs its own, narrower check afterwards and answers a bare 500 when it fails, so
 * everything it would reject is refused here first with a reason: an `Origin: null` (sandboxed
 * frames, privacy redirects), an Origin that does not parse, and one whose host differs from
 * the Host header (compared exactly as Remix compares them).
 *
 * The one exemption is a call to the JSON API (`/api/…`) that carries no cookie: it has no
 * session for a forger to ride on, and the API authenticates it by its bearer token alone.
 * An API call that does carry a cookie is checked like any form, token or not: a token never
 * opens a way around this check for a cookie session.
 */
export function checkRequestOrigin(request: {
  method: string
  origin?: string | undefined
  referer?: string | undefined
  /** Sec-Fetch-Site, which browsers set themselves and pages cannot forge. */
  fetchSite?: string | undefined
  /** `http` or `https`, as this server sees the request. */
  protocol: string
  /** The host Remix compares with (the forwarded host behind a trusted proxy, else Host). */
  host: string | undefined
  /** A request to the JSON API without any cookie. */
  cookielessApiCall?: boolean
}): OriginVerdict {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return { ok: true }
  if (request.cookielessApiCall) return { ok: true }
  if (request.origin !== undefined) {
    if (request.origin === 'null') {
      return {
        ok: false,
        reason: '请求来源不明（Origin: null），已拒绝。请直接在本站页面中提交。',
      }
    }
    return isSameSite(parseOrigin(request.origin), request)
  }
  const fromReferer = parseOrigin(request.referer)
  if (fromReferer) return isSameSite(fromReferer, request)
  if (request.fetchSite === 'same-origin') return { ok: true }
  return {
    ok: false,
    reason: '请求缺少来源信息（Origin），已拒绝。请在浏览器中刷新页面后重试。',
  }
}

function isSameSite(
  claimed: URL | undefined,
  request: { protocol: string; host: string | undefined },
): OriginVerdict {
  if (claimed && request.host && claimed.host === request.host) {
    if (claimed.protocol === `${request.protocol}:`) return { ok: true }
  }
  return { ok: false, reason: '请求来源与本站不符，已拒绝（可能是跨站请求伪造）。' }
}

function parseOrigin(value: string | undefined) {
  if (!value) return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined
  } catch {
    return undefined
  }
}
