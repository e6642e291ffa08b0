import { RESEARCH_ORG_KINDS } from '~/domain/constants'
import { reviewsMemberships } from '~/domain/membership'
import { type Prisma } from '~/generated/prisma/client'
import type { Role } from '~/generated/prisma/enums'
import { isUniqueViolation, prisma } from '~/utils/db.server'
import { hashPassword, verifyPassword } from '~/utils/password.server'
import { SESSION_TTL_MS } from '~/utils/session.server'
import type { RegisterInput } from '~/validation/account'

import { recordEvent } from './events.server'
import { countPendingMemberships, notifyMembershipRequest } from './membership.server'

export const sessionUserSelect = {
  id: true,
  email: true,
  displayName: true,
  role: true,
  membership: true,
  canAdmit: true,
  org: { select: { id: true, name: true, kind: true } },
} satisfies Prisma.UserSelect

export type SessionUser = Prisma.UserGetPayload<{ select: typeof sessionUserSelect }> & {
  /** Requests to join that this user may decide on (their organization's, or all for staff). */
  pendingMemberRequests?: number
}

type FieldErrors = Record<string, string[]>

/** An account made by platform staff (CLI, tests): its membership is granted at once. */
export async function createUser(input: {
  email: string
  password: string
  displayName: string
  role: Role
  orgId?: string | null
  canAdmit?: boolean
}) {
  return prisma.user.create({
    data: {
      email: input.email.toLowerCase(),
      passwordHash: await hashPassword(input.password),
      displayName: input.displayName,
      role: input.role,
      orgId: input.orgId ?? null,
      membership: input.orgId ? 'active' : null,
      canAdmit: !!input.orgId && (input.canAdmit ?? false),
      admittedAt: input.orgId ? new Date() : null,
    },
    select: sessionUserSelect,
  })
}

type OrgChoice = { orgId: string; created: boolean } | { fieldErrors: FieldErrors }

/** The organization a registration joins or creates, or the errors that name the field. */
async function chooseOrganization(
  tx: Prisma.TransactionClient,
  input: RegisterInput,
): Promise<OrgChoice> {
  if (input.role === 'researcher') {
    const org = await tx.organization.findFirst({
      where: { id: input.orgId, kind: { in: [...RESEARCH_ORG_KINDS] } },
      select: { id: true },
    })
    return org
      ? { orgId: org.id, created: false }
      : { fieldErrors: { orgId: ['请选择列表中的高校或科研院所'] } }
  }
  const sameName = await tx.organization.findUnique({
    where: { name: input.orgName },
    select: { id: true, kind: true },
  })
  if (input.enterpriseMode === 'join') {
    return sameName?.kind === 'enterprise'
      ? { orgId: sameName.id, created: false }
      : {
          fieldErrors: {
            orgName: ['平台上没有登记这家企业，请核对单位全称，或选择“登记新企业”'],
          },
        }
  }
  const creditCode = input.creditCode ?? ''
  const sameCode = await tx.organization.findUnique({
    where: { creditCode },
    select: { id: true },
  })
  const fieldErrors: FieldErrors = {}
  if (sameName) {
    fieldErrors.orgName = [
      sameName.kind === 'enterprise'
        ? '该企业已在平台登记：如您是该企业员工，请选择“申请加入已登记的企业”'
        : '该名称已被平台上的其他单位使用',
    ]
  }
  if (sameCode) fieldErrors.creditCode = ['该统一社会信用代码已被其他单位使用']
  if (Object.keys(fieldErrors).length > 0) return { fieldErrors }
  const org = await tx.organization.create({
    data: {
      name: input.orgName,
      kind: 'enterprise',
      creditCode,
      regionCode: input.regionCode ?? '',
    },
    select: { id: true },
  })
  return { orgId: org.id, created: true }
}

/**
 * Self-service registration, all or nothing in one transaction. Membership is granted, never
 * claimed: whoever registers a new enterprise becomes its first member and may admit others;
 * whoever asks to join an existing university, institute or enterprise waits as a pending
 * member until an admitting member of it or platform staff approves (who are notified).
 */
export async function registerAccount(
  input: RegisterInput,
  now = new Date(),
): Promise<{ user: SessionUser } | { fieldErrors: FieldErrors }> {
  const passwordHash = await hashPassword(input.password)
  try {
    return await prisma.$transaction(async (tx) => {
      const existing = await tx.user.findUnique({
        where: { email: input.email },
        select: { id: true },
      })
      const choice = await chooseOrganization(tx, input)
      if ('fieldErrors' in choice || existing) {
        // Throwing rolls back an organization created for a registration that cannot go on.
        throw new RegistrationRefused({
          ...(existing ? { email: ['该邮箱已注册，请直接登录'] } : {}),
          ...('fieldErrors' in choice ? choice.fieldErrors : {}),
        })
      }
      const user = await tx.user.create({
        data: {
          email: input.email,
          passwordHash,
          displayName: input.displayName,
          role: input.role,
          orgId: choice.orgId,
          membership: choice.created ? 'active' : 'pending',
          canAdmit: choice.created,
          admittedAt: choice.created ? now : null,
          termsAcceptedAt: now,
        },
        select: sessionUserSelect,
      })
      if (!choice.created) await notifyMembershipRequest(tx, user.id)
      return { user }
    })
  } catch (error) {
    if (error instanceof RegistrationRefused) return { fieldErrors: error.fieldErrors }
    // Two registrations racing for the same email or organization: the loser gets a form error.
    if (isUniqueViolation(error)) {
      return { fieldErrors: { email: ['该邮箱或单位刚刚被注册，请检查后重试'] } }
    }
    throw error
  }
}

class RegistrationRefused extends Error {
  constructor(readonly fieldErrors: FieldErrors) {
    super('registration refused')
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
  return (await getLiveSession(sessionId))?.user ?? null
}

/** A live session's user and when the session ends, for those who remember the answer. */
export async function getLiveSession(
  sessionId: string,
): Promise<{ user: SessionUser; expiresAt: Date } | null> {
  const session = await prisma.session.findFirst({
    where: { id: sessionId, expiresAt: { gt: new Date() } },
    select: { expiresAt: true, user: { select: sessionUserSelect } },
  })
  if (!session) return null
  const { user, expiresAt } = session
  // Only those who decide on requests pay for the count, which the header shows them.
  return reviewsMemberships(user)
    ? { user: { ...user, pendingMemberRequests: await countPendingMemberships(user) }, expiresAt }
    : { user, expiresAt }
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

/** Signs the user out everywhere (but `keepSessionId`): rows go, their sockets disconnect. */
export async function revokeUserSessions(
  tx: Prisma.TransactionClient,
  userId: string,
  keepSessionId?: string,
) {
  const sessions = await tx.session.findMany({
    where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
    select: { id: true },
  })
  const ids = sessions.map((session) => session.id)
  await tx.session.deleteMany({ where: { id: { in: ids } } })
  await endSessionSockets(tx, ids)
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
    await revokeUserSessions(tx, input.userId, input.currentSessionId)
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
        membership: true,
        canAdmit: true,
        org: { select: { name: true } },
        _count: { select: { sessions: true } },
      },
    }),
  ])
  return { total, users }
}
