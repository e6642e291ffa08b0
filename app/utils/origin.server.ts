const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * CSRF defence for cookie-authenticated writes: a mutating request must say where it comes
 * from (Origin, else Referer) and that must be this site. Bearer-token API calls carry no
 * ambient credentials and are exempt.
 */
export function checkRequestOrigin(request: {
  method: string
  origin?: string | undefined
  referer?: string | undefined
  authorization?: string | undefined
  /** Sec-Fetch-Site, which browsers set themselves and pages cannot forge. */
  fetchSite?: string | undefined
  selfOrigin: string
}): { ok: true } | { ok: false; reason: string } {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return { ok: true }
  if (request.authorization?.startsWith('Bearer ')) return { ok: true }
  const claimed =
    request.origin && request.origin !== 'null' ? request.origin : originOf(request.referer)
  if (!claimed && request.fetchSite === 'same-origin') return { ok: true }
  if (!claimed) {
    return { ok: false, reason: '请求缺少来源信息（Origin），已拒绝。请在浏览器中刷新页面后重试。' }
  }
  if (claimed !== request.selfOrigin) {
    return { ok: false, reason: '请求来源与本站不符，已拒绝（可能是跨站请求伪造）。' }
  }
  return { ok: true }
}

function originOf(url: string | undefined) {
  if (!url) return undefined
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}
