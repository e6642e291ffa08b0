import { createHash, randomBytes } from 'node:crypto'

import { prisma } from '~/utils/db.server'

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
