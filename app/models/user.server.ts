import { RESEARCH_ORG_KINDS } from '~/domain/constants'
import { Prisma } from '~/generated/prisma/client'
import type { Role } from '~/generated/prisma/enums'
import { prisma } from '~/utils/db.server'
import { hashPassword, verifyPassword } from '~/utils/password.server'
import { SESSION_TTL_MS } from '~/utils/session.server'
import type { RegisterInput } from '~/validation/account'

import { recordEvent } from './events.server'

export const sessionUserSelect = {
  id: true,
  email: true,
  displayName: true,
  role: true,
  org: { select: { id: true, name: true, kind: true } },
} satisfies Prisma.UserSelect

export type SessionUser = Prisma.UserGetPayload<{ select: typeof sessionUserSelect }>

type FieldErrors = Record<string, string[]>

/** An account made by platform staff (CLI, tests): its membership is granted at once. */
export async function createUser(input: {
  email: string
  password: string
  displayName: string
  role: Role
  orgId?: string | null
}) {
  return prisma.user.create({
    data: {
      email: input.email.toLowerCase(),
      passwordHash: await hashPassword(input.password),
      displayName: input.displayName,
      role: input.role,
      orgId: input.orgId ?? null,
      membership: input.orgId ? 'active' : null,
    },
    select: sessionUserSelect,
  })
}

/**
 * Self-service registration: researchers join an existing university or institute,
 * enterprises register their own organization. All or nothing, in one transaction.
 */
export async function registerAccount(
  input: RegisterInput,
): Promise<{ user: SessionUser } | { fieldErrors: FieldErrors }> {
  const passwordHash = await hashPassword(input.password)
  try {
    return await prisma.$transaction(async (tx) => {
      const fieldErrors: FieldErrors = {}
      const existing = await tx.user.findUnique({
        where: { email: input.email },
        select: { id: true },
      })
      if (existing) fieldErrors.email = ['该邮箱已注册，请直接登录']

      let orgId: string
      if (input.role === 'researcher') {
        const org = await tx.organization.findFirst({
          where: { id: input.orgId, kind: { in: [...RESEARCH_ORG_KINDS] } },
          select: { id: true },
        })
        if (!org) fieldErrors.orgId = ['请选择列表中的高校或科研院所']
        orgId = org?.id ?? ''
      } else {
        const [sameName, sameCode] = await Promise.all([
          tx.organization.findUnique({ where: { name: input.orgName }, select: { id: true } }),
          tx.organization.findUnique({
            where: { creditCode: input.creditCode },
            select: { id: true },
          }),
        ])
        if (sameName)
          fieldErrors.orgName = ['该单位已在平台注册，请联系单位已有账号的同事或平台管理员']
        if (sameCode) fieldErrors.creditCode = ['该统一社会信用代码已被其他单位使用']
        if (Object.keys(fieldErrors).length > 0) return { fieldErrors }
        const org = await tx.organization.create({
          data: {
            name: input.orgName,
            kind: 'enterprise',
            creditCode: input.creditCode,
            regionCode: input.regionCode,
          },
          select: { id: true },
        })
        orgId = org.id
      }
      if (Object.keys(fieldErrors).length > 0) return { fieldErrors }

      const user = await tx.user.create({
        data: {
          email: input.email,
          passwordHash,
          displayName: input.displayName,
          role: input.role,
          orgId,
          membership: 'active',
        },
        select: sessionUserSelect,
      })
      return { user }
    })
  } catch (error) {
    // Two registrations racing for the same email or organization: the loser gets a form error.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      return { fieldErrors: { email: ['该邮箱或单位刚刚被注册，请检查后重试'] } }
    }
    throw error
  }
}

// Compared against when the email is unknown, so a miss costs as much time as a wrong password.
let dummyHash: Promise<string> | undefined

export async function verifyLogin(email: string, password: string) {
  const user = await prisma.user.findUnique({
    where: { email: email.toLowerCase() },
    select: { id: true, passwordHash: true },
  })
  if (!user) {
    await verifyPassword(password, await (dummyHash ??= hashPassword('dummy-password-0')))
    return null
  }
  return (await verifyPassword(password, user.passwordHash)) ? { id: user.id } : null
}

export async function createSession(
  userId: string,
  meta: { userAgent?: string | null; ip?: string | null },
) {
  const now = new Date()
  const [session] = await prisma.$transaction([
    prisma.session.create({
      data: {
        userId,
        expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
        ip: meta.ip?.slice(0, 64) ?? null,
      },
      select: { id: true, expiresAt: true },
    }),
    prisma.user.update({ where: { id: userId }, data: { lastLoginAt: now }, select: { id: true } }),
    // Expired rows would otherwise pile up; each login sweeps its own user's.
    prisma.session.deleteMany({ where: { userId, expiresAt: { lt: now } } }),
  ])
  return session
}

/** The user behind a live session, or null when the session was revoked or has expired. */
export async function getSessionUser(sessionId: string): Promise<SessionUser | null> {
  const session = await prisma.session.findFirst({
    where: { id: sessionId, expiresAt: { gt: new Date() } },
    select: { user: { select: sessionUserSelect } },
  })
  return session?.user ?? null
}

/** Ends a login: the row goes, and every socket opened with it is disconnected after commit. */
export async function deleteSession(sessionId: string) {
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { id: sessionId } })
    if (count > 0) await endSessionSockets(tx, [sessionId])
  })
}

function endSessionSockets(tx: Prisma.TransactionClient, sessionIds: string[]) {
  if (sessionIds.length === 0) return
  return recordEvent(tx, { type: 'session:ended', room: { sessionIds } })
}

/** Changes the password and signs out every other session of the user. */
export async function changePassword(input: {
  userId: string
  currentSessionId: string
  currentPassword: string
  newPassword: string
}): Promise<{ ok: true } | { fieldErrors: FieldErrors }> {
  const user = await prisma.user.findUnique({
    where: { id: input.userId },
    select: { passwordHash: true },
  })
  if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    return { fieldErrors: { currentPassword: ['当前密码不正确'] } }
  }
  const passwordHash = await hashPassword(input.newPassword)
  await prisma.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: input.userId },
      data: { passwordHash },
      select: { id: true },
    })
    const others = await tx.session.findMany({
      where: { userId: input.userId, id: { not: input.currentSessionId } },
      select: { id: true },
    })
    await tx.session.deleteMany({ where: { id: { in: others.map((session) => session.id) } } })
    await endSessionSockets(
      tx,
      others.map((session) => session.id),
    )
  })
  return { ok: true }
}

export async function listUsers(options: { page: number; pageSize: number; role?: Role }) {
  const where = options.role ? { role: options.role } : {}
  const [total, users] = await Promise.all([
    prisma.user.count({ where }),
    prisma.user.findMany({
      where,
      orderBy: { createdAt: 'desc' },
      skip: (options.page - 1) * options.pageSize,
      take: options.pageSize,
      select: {
        id: true,
        email: true,
        displayName: true,
        role: true,
        lastLoginAt: true,
        createdAt: true,
        org: { select: { name: true } },
        _count: { select: { sessions: true } },
      },
    }),
  ])
  return { total, users }
}
