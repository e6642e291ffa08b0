import { createHash, randomBytes } from 'node:crypto'

import type { Prisma } from '~/generated/prisma/client'
import { prisma } from '~/utils/db.server'
import { getRuntimeNodeEnv } from '~/utils/env.server'
import { logger } from '~/utils/logger.server'
import { getMailConfig, sendMail } from '~/utils/mail.server'
import { hashPassword } from '~/utils/password.server'

import { revokeUserSessions } from './user.server'

/** How long a reset link works; it works once. */
export const RESET_LINK_TTL_MS = 60 * 60 * 1000

export const RESET_PATH = '/reset-password'

/** Only the hash is stored, so a copy of the database opens no account. */
export function hashResetToken(token: string) {
  return createHash('sha256').update(token).digest('hex')
}

function buildResetLink(origin: string, token: string) {
  return `${origin}${RESET_PATH}?${new URLSearchParams({ token })}`
}

/**
 * A new link for the user. Earlier links go (used or not), so one is live at a time and the
 * table holds at most one row per user.
 */
async function issueResetToken(tx: Prisma.TransactionClient, userId: string, now: Date) {
  await tx.passwordResetToken.deleteMany({ where: { userId } })
  const token = randomBytes(32).toString('base64url')
  await tx.passwordResetToken.create({
    data: {
      userId,
      tokenHash: hashResetToken(token),
      expiresAt: new Date(now.getTime() + RESET_LINK_TTL_MS),
    },
    select: { id: true },
  })
  return token
}

function resetMail(user: { displayName: string; email: string }, link: string) {
  return {
    to: user.email,
    subject: '【西安科技大市场】重置登录密码',
    text: [
      `${user.displayName}，您好：`,
      '',
      `我们收到了为您的西安科技大市场账号（${user.email}）重置密码的请求。`,
      '请在 1 小时内打开下面的链接设置新密码，链接只能使用一次：',
      '',
      link,
      '',
      '如果这不是您本人的操作，请忽略本邮件，您的密码不会改变。',
      '',
      '西安科技大市场服务中心',
    ].join('\n'),
  }
}

/**
 * Self-service reset: when an account has this address, a one-time link goes to it by mail
 * (or, in development without SMTP, to the log). Says nothing about whether the account
 * exists, and never rejects: the page answers the same either way, without waiting for this.
 */
export async function requestPasswordReset(input: {
  email: string
  /** The request's own origin, used only for links written to the development log. */
  requestOrigin: string
  now?: Date
}): Promise<void> {
  try {
    const user = await prisma.user.findUnique({
      where: { email: input.email.toLowerCase() },
      select: { id: true, email: true, displayName: true },
    })
    if (!user) return
    const mail = getMailConfig()
    // Whether a link may be logged depends on how the server runs, not on how it was built.
    if (!mail && getRuntimeNodeEnv() === 'production') {
      logger.warn(
        { userId: user.id },
        '未配置 SMTP_URL，无法发送密码重置邮件：请由平台管理员在“用户管理”中为该用户生成重置链接',
      )
      return
    }
    const token = await prisma.$transaction((tx) =>
      issueResetToken(tx, user.id, input.now ?? new Date()),
    )
    if (mail) {
      await sendMail(mail, resetMail(user, buildResetLink(mail.publicUrl, token)))
      logger.info({ userId: user.id }, '已发送密码重置邮件')
    } else {
      logger.info(
        { userId: user.id, resetLink: buildResetLink(input.requestOrigin, token) },
        '密码重置链接（开发环境未配置 SMTP_URL，链接只写入日志）',
      )
    }
  } catch (error) {
    logger.error({ err: error }, '处理密码重置请求失败')
  }
}

/** A link the admin hands to the user, shown once; null when the user does not exist. */
export async function createPasswordResetLink(input: {
  userId: string
  origin: string
  now?: Date
}) {
  const now = input.now ?? new Date()
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({
      where: { id: input.userId },
      select: { id: true, displayName: true, email: true },
    })
    if (!user) return null
    const token = await issueResetToken(tx, user.id, now)
    return {
      user,
      link: buildResetLink(input.origin, token),
      expiresAt: new Date(now.getTime() + RESET_LINK_TTL_MS),
    }
  })
}

function liveTokenWhere(token: string, now: Date): Prisma.PasswordResetTokenWhereInput {
  return { tokenHash: hashResetToken(token), usedAt: null, expiresAt: { gt: now } }
}

/** The account a live link resets, or null for unknown, used and expired links. */
export async function getResetTarget(token: string, now = new Date()) {
  const row = await prisma.passwordResetToken.findFirst({
    where: liveTokenWhere(token, now),
    select: { user: { select: { email: true } } },
  })
  return row?.user ?? null
}

/**
 * Sets a new password through a live link: the link is used up (checked by the update
 * itself, so two tabs cannot both use it), every other link of the user is deleted and
 * every session of the user ends, its sockets included.
 */
export async function resetPassword(input: {
  token: string
  newPassword: string
  now?: Date
}): Promise<{ ok: true; email: string } | { ok: false }> {
  const now = input.now ?? new Date()
  const passwordHash = await hashPassword(input.newPassword)
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.passwordResetToken.updateMany({
      where: liveTokenWhere(input.token, now),
      data: { usedAt: now },
    })
    if (count === 0) return { ok: false as const }
    const { id, user } = await tx.passwordResetToken.findUniqueOrThrow({
      where: { tokenHash: hashResetToken(input.token) },
      select: { id: true, user: { select: { id: true, email: true } } },
    })
    await tx.user.update({ where: { id: user.id }, data: { passwordHash }, select: { id: true } })
    await tx.passwordResetToken.deleteMany({ where: { userId: user.id, id: { not: id } } })
    await revokeUserSessions(tx, user.id)
    return { ok: true as const, email: user.email }
  })
}
