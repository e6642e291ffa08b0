import { clampText, TEXT_LIMITS } from '~/domain/limits'
import type { Prisma } from '~/generated/prisma/client'
import type { NotificationKind } from '~/generated/prisma/enums'
import { prisma } from '~/utils/db.server'

import { recordEvent } from './events.server'

export interface NotificationMessage {
  kind: NotificationKind
  title: string
  body?: string | null
  link: string
}

/**
 * Stores one notification per user and records the live event for each user's room, inside
 * the caller's transaction: browsers hear of it only once it is committed.
 */
export async function notifyUsers(
  tx: Prisma.TransactionClient,
  userIds: Iterable<string>,
  message: NotificationMessage,
) {
  // Notices quote titles and names that may each be as long as the notice's own column.
  const title = clampText(message.title, TEXT_LIMITS.notificationTitle)
  const body = message.body ? clampText(message.body, TEXT_LIMITS.notificationBody) : null
  for (const userId of new Set(userIds)) {
    const notification = await tx.notification.create({
      data: { userId, kind: message.kind, title, body, link: message.link },
      select: { id: true },
    })
    await recordEvent(tx, {
      type: 'notification:new',
      room: { userId },
      payload: { id: notification.id, title, link: message.link },
    })
  }
}

export function countUnreadNotifications(userId: string) {
  return prisma.notification.count({ where: { userId, readAt: null } })
}

/** A user's notifications, newest first, one page at a time. */
export async function listNotifications(
  userId: string,
  options: { page: number; pageSize: number; unreadOnly: boolean },
) {
  const where: Prisma.NotificationWhereInput = {
    userId,
    ...(options.unreadOnly ? { readAt: null } : {}),
  }
  const [total, items] = await Promise.all([
    prisma.notification.count({ where }),
    prisma.notification.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (options.page - 1) * options.pageSize,
      take: options.pageSize,
      select: {
        id: true,
        kind: true,
        title: true,
        body: true,
        link: true,
        readAt: true,
        createdAt: true,
      },
    }),
  ])
  return { total, items }
}

/** Marks one of the user's notifications read; another user's id changes nothing. */
export async function markNotificationRead(userId: string, id: string) {
  const { count } = await prisma.notification.updateMany({
    where: { id, userId, readAt: null },
    data: { readAt: new Date() },
  })
  return count
}

export async function markAllNotificationsRead(userId: string) {
  const { count } = await prisma.notification.updateMany({
    where: { userId, readAt: null },
    data: { readAt: new Date() },
  })
  return count
}
