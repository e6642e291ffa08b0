import { createCookieSessionStorage } from '@remix-run/node'

function getSecrets() {
  const secrets = process.env.SESSION_SECRET?.split(',')
    .map((secret) => secret.trim())
    .filter(Boolean)
  if (!secrets?.length) throw new Error('SESSION_SECRET 未设置：服务器启动时应已生成或读取')
  return secrets
}

export const SESSION_COOKIE_NAME = 'xm_session'
/** How long a login lasts; the database row and the cookie expire together. */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000

/**
 * The cookie only carries the id of a Session row (signed, with rotatable secrets: the first
 * signs, all verify); deleting the row logs the browser out everywhere at once.
 */
export const authSessionStorage = createCookieSessionStorage<
  { sessionId: string },
  { toast: { kind: 'success' | 'error'; message: string } }
>({
  cookie: {
    name: SESSION_COOKIE_NAME,
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: process.env.NODE_ENV === 'production',
    secrets: getSecrets(),
  },
})

export function getAuthSession(request: Request) {
  return authSessionStorage.getSession(request.headers.get('Cookie'))
}
