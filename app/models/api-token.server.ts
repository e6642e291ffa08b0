import { createHash, randomBytes } from 'node:crypto'

import { prisma } from '~/utils/db.server'

import { sessionUserSelect, type SessionUser } from './user.server'

const TOKEN_PREFIX = 'xmk_'

export function hashApiToken(token: string) {
  return createHash('sha256').update(token).digest('hex')
}

/** Issues a token for programmatic access; only its hash is stored, so it is shown once. */
export async function createApiToken(input: {
  userId: string
  name: string
  expiresAt?: Date | null
}) {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
  const record = await prisma.apiToken.create({
    data: {
      userId: input.userId,
      name: input.name,
      tokenHash: hashApiToken(token),
      prefix: token.slice(0, 12),
      expiresAt: input.expiresAt ?? null,
    },
    select: { id: true, name: true, prefix: true, expiresAt: true },
  })
  return { token, record }
}

export type ApiTokenCheck =
  | { ok: true; user: SessionUser; tokenId: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' }

/** Who a presented token speaks for, if it is live; its last use is noted (at most per minute). */
export async function checkApiToken(token: string, now = new Date()): Promise<ApiTokenCheck> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return { ok: false, reason: 'unknown' }
  const record = await prisma.apiToken.findUnique({
    where: { tokenHash: hashApiToken(token) },
    select: {
      id: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      user: { select: sessionUserSelect },
    },
  })
  if (!record) return { ok: false, reason: 'unknown' }
  if (record.revokedAt) return { ok: false, reason: 'revoked' }
  if (record.expiresAt && record.expiresAt <= now) return { ok: false, reason: 'expired' }
  if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > 60_000) {
    await prisma.apiToken.update({ where: { id: record.id }, data: { lastUsedAt: now } })
  }
  return { ok: true, user: record.user, tokenId: record.id }
}
