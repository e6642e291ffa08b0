import { redirect } from '@remix-run/node'

import type { Role } from '~/generated/prisma/enums'
import { createSession, deleteSession, type SessionUser } from '~/models/user.server'
import { authSessionStorage, getAuthSession } from '~/utils/session.server'

import { lookupSessionUser } from './session-users.server'

export type { SessionUser }

/** The signed-in user, or null for visitors, forged cookies and revoked or expired sessions. */
export async function getOptionalUser(request: Request): Promise<SessionUser | null> {
  const sessionId = (await getAuthSession(request)).get('sessionId')
  return sessionId ? lookupSessionUser(sessionId) : null
}

export async function getSessionId(request: Request) {
  return (await getAuthSession(request)).get('sessionId') ?? null
}

function loginRedirectUrl(request: Request) {
  const url = new URL(request.url)
  const redirectTo = `${url.pathname}${url.search}`
  return redirectTo === '/' ? '/login' : `/login?${new URLSearchParams({ redirectTo })}`
}

/** Sends visitors to the login page (then back here); clears a cookie whose session is gone. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getOptionalUser(request)
  if (user) return user
  const session = await getAuthSession(request)
  throw redirect(loginRedirectUrl(request), {
    headers: session.has('sessionId')
      ? { 'Set-Cookie': await authSessionStorage.destroySession(session) }
      : undefined,
  })
}

export async function requireUserId(request: Request) {
  return (await requireUser(request)).id
}

/** Like requireUser, then 403 for a signed-in user whose role may not be here. */
export async function requireRole(request: Request, roles: readonly Role[]): Promise<SessionUser> {
  const user = await requireUser(request)
  if (!roles.includes(user.role)) {
    throw new Response('您的账号没有访问此页面的权限', { status: 403, statusText: 'Forbidden' })
  }
  return user
}

export async function requireAnonymous(request: Request) {
  if (await getOptionalUser(request)) throw redirect('/')
}

export async function startUserSession(options: {
  request: Request
  userId: string
  clientIp?: string | null
  redirectTo?: string
  toast?: string
}) {
  const record = await createSession(options.userId, {
    userAgent: options.request.headers.get('User-Agent'),
    ip: options.clientIp,
  })
  const session = await getAuthSession(options.request)
  session.set('sessionId', record.id)
  if (options.toast) session.flash('toast', { kind: 'success', message: options.toast })
  return redirect(options.redirectTo ?? '/', {
    headers: {
      'Set-Cookie': await authSessionStorage.commitSession(session, { expires: record.expiresAt }),
    },
  })
}

export async function endUserSession(request: Request) {
  const session = await getAuthSession(request)
  const sessionId = session.get('sessionId')
  if (sessionId) await deleteSession(sessionId)
  return redirect('/', {
    headers: { 'Set-Cookie': await authSessionStorage.destroySession(session) },
  })
}

/** Redirects with a one-time message shown by the root layout. */
export async function redirectWithToast(
  request: Request,
  url: string,
  toast: { kind: 'success' | 'error'; message: string },
) {
  const session = await getAuthSession(request)
  session.flash('toast', toast)
  return redirect(url, {
    headers: { 'Set-Cookie': await authSessionStorage.commitSession(session) },
  })
}
