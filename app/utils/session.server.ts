import path from 'node:path'

import { createCookieSessionStorage, type SessionStorage } from '@remix-run/node'

import { DEFAULT_DATA_DIR, getRuntimeNodeEnv } from './env.server'
import { readOrCreateSecret } from './secret.server'

export const SESSION_COOKIE_NAME = 'xm_session'
/** How long a login lasts; the database row and the cookie expire together. */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000

type AuthSessionData = { sessionId: string }
type AuthFlashData = { toast: { kind: 'success' | 'error'; message: string } }

/**
 * SESSION_SECRET (comma-separated: the first signs, all verify), else the secret generated
 * once in DATA_DIR/session-secret, so a plain `npm start` and the CLI need no set-up.
 */
function getSecrets() {
  const configured = process.env.SESSION_SECRET?.split(',')
    .map((secret) => secret.trim())
    .filter(Boolean)
  if (configured?.length) return configured
  const dataDir = process.env.DATA_DIR || DEFAULT_DATA_DIR
  return [readOrCreateSecret(path.resolve(dataDir, 'session-secret'))]
}

let storage: SessionStorage<AuthSessionData, AuthFlashData> | undefined

// Built on first use, not at import: the CLI loads the user model (and so this module) but
// never touches a cookie, and must not need a secret; and the Secure flag must follow the
// NODE_ENV the server runs with, not the one the bundle was built with.
function getStorage() {
  storage ??= createCookieSessionStorage<AuthSessionData, AuthFlashData>({
    cookie: {
      name: SESSION_COOKIE_NAME,
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      // Production runs behind TLS; a plain `npm start` on a LAN (http://market.lan:3000)
      // must still be able to log in, and browsers drop Secure cookies sent over http.
      secure: getRuntimeNodeEnv() === 'production',
      secrets: getSecrets(),
    },
  })
  return storage
}

/**
 * The cookie only carries the id of a Session row (signed, with rotatable secrets); deleting
 * the row logs the browser out everywhere at once.
 */
export const authSessionStorage: SessionStorage<AuthSessionData, AuthFlashData> = {
  getSession: (...args) => getStorage().getSession(...args),
  commitSession: (...args) => getStorage().commitSession(...args),
  destroySession: (...args) => getStorage().destroySession(...args),
}

export function getAuthSession(request: Request) {
  return authSessionStorage.getSession(request.headers.get('Cookie'))
}
