import { json } from '@remix-run/node'
import type { z } from 'zod'

import type { Role } from '~/generated/prisma/enums'
import { checkApiToken } from '~/models/api-token.server'
import type { RankedMatch } from '~/models/matching.server'
import type { SearchUnavailable } from '~/models/search.server'
import { rateLimits } from '~/utils/rate-limit.server'

import { getOptionalUser, type SessionUser } from './auth.server'

/**
 * The JSON API's conventions, in one place: errors as `{error: {message, field?}}` with a 4xx
 * status and a Chinese message, bearer tokens, and rate limits per token or per address.
 *
 * A request that carries `Authorization` is judged by its token alone: a wrong, expired or
 * revoked token is a 401 even if a session cookie came along, and a token never lets a
 * cookie-authenticated request past the Origin check (see origin.server.ts).
 */

export function apiError(status: number, message: string, field?: string, headers?: HeadersInit) {
  return json({ error: { message, ...(field ? { field } : {}) } }, { status, headers })
}

const TOKEN_REFUSALS = {
  unknown: '访问令牌无效',
  expired: '访问令牌已过期，请重新申请',
  revoked: '访问令牌已被撤销',
} as const

/** The caller: a token's user, a session's user, or null for an anonymous call. */
export async function getApiCaller(
  request: Request,
): Promise<{ user: SessionUser | null; rateKey: string | null }> {
  const authorization = request.headers.get('authorization')
  if (authorization !== null) {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1]
    if (!token) {
      throw apiError(401, 'Authorization 应为 “Bearer <访问令牌>”', undefined, {
        'WWW-Authenticate': 'Bearer',
      })
    }
    const check = await checkApiToken(token)
    if (!check.ok) {
      throw apiError(401, TOKEN_REFUSALS[check.reason], undefined, {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      })
    }
    return { user: check.user, rateKey: `token:${check.tokenId}` }
  }
  const user = await getOptionalUser(request)
  return { user, rateKey: user ? `user:${user.id}` : null }
}

/** A caller with one of `roles`: 401 without an account, 403 with another role. */
export function requireApiRole(user: SessionUser | null, roles: readonly Role[], what: string) {
  if (!user) {
    throw apiError(401, `查看${what}须登录或携带访问令牌`, undefined, {
      'WWW-Authenticate': 'Bearer',
    })
  }
  if (!roles.includes(user.role)) throw apiError(403, `您的账号无权查看${what}`)
  return user
}

/** Counts the call against the public API limit; 429 with Retry-After past it. */
export async function requireApiRate(
  limiter: keyof typeof API_LIMITERS,
  rateKey: string | null,
  clientIp: string,
) {
  const verdict = await rateLimits[API_LIMITERS[limiter]].hit(rateKey ?? `ip:${clientIp}`)
  if (!verdict.allowed) {
    throw apiError(429, `请求过于频繁，请 ${verdict.retryAfterSeconds} 秒后再试`, undefined, {
      'Retry-After': String(verdict.retryAfterSeconds),
    })
  }
}

const API_LIMITERS = { search: 'apiSearch', match: 'apiMatch' } as const

/** Query parameters read by a schema; the first problem is a 400 that names its parameter. */
export function parseApiQuery<T extends z.ZodType>(schema: T, searchParams: URLSearchParams) {
  const raw: Record<string, string> = {}
  for (const [name, value] of searchParams) {
    if (name in raw) throw apiError(400, `参数 ${name} 只能出现一次`, name)
    raw[name] = value
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = issue.path.map(String).join('.')
    throw apiError(400, field ? `${field}：${issue.message}` : issue.message, field || undefined)
  }
  return parsed.data as z.infer<T>
}

/** A JSON request body of at most `limit` bytes: 413 past it, 415 if not JSON, 400 if broken. */
export async function readJsonBody(request: Request, limit: number): Promise<unknown> {
  if (Number(request.headers.get('content-length') ?? 0) > limit) {
    throw apiError(413, `请求体过大：上限 ${Math.round(limit / 1024)} KB`)
  }
  const type = request.headers.get('content-type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw apiError(415, '请以 application/json 格式提交请求体')
  }
  const bytes = new Uint8Array(await request.arrayBuffer())
  if (bytes.byteLength > limit) {
    throw apiError(413, `请求体过大：上限 ${Math.round(limit / 1024)} KB`)
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw apiError(400, '请求体不是有效的 JSON')
  }
}

/** A body read by a schema; the first problem is a 400 that names its field. */
export function parseApiBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = issue.path.map(String).join('.')
    throw apiError(400, issue.message, field || undefined)
  }
  return parsed.data
}

/** The answer while the index builds or the engine is away: 503 with a reason. */
export function searchUnavailable(outcome: SearchUnavailable) {
  if (outcome.state === 'building') {
    const done =
      outcome.progress === null ? '' : `（已完成 ${Math.floor(outcome.progress * 100)}%）`
    return apiError(503, `搜索索引正在建立${done}，请稍后再试`, undefined, { 'Retry-After': '5' })
  }
  return apiError(503, '搜索服务暂时不可用，请稍后再试', undefined, { 'Retry-After': '30' })
}

/** A ranked match as the API returns it. */
export function matchHit(match: RankedMatch) {
  const path = { result: 'results', need: 'needs', expert: 'experts' }[match.kind]
  return {
    kind: match.kind,
    id: match.id,
    title: match.title,
    orgName: match.orgName,
    score: match.score,
    url: `/${path}/${match.id}`,
    reasons: match.reasons,
  }
}
