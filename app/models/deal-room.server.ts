import { canSpeakInDeal, MESSAGE_PAGE_SIZE, type DealCapacity } from '~/domain/deals'
import type { OrgActor } from '~/domain/membership'
import type { Prisma } from '~/generated/prisma/client'
import type { ChatMessage, MarketEvent } from '~/realtime/events'
import { prisma } from '~/utils/db.server'
import { dealMessageSchema } from '~/validation/deals'

import {
  dealCapacitiesById,
  dealLink,
  findUserAndDeal,
  participantsWhere,
  participatingWhere,
  type DealRefusal,
} from './deal.server'
import { eventFits, recordEvent } from './events.server'
import { notifyUsers } from './notification.server'

/**
 * A deal's room (洽谈室): what its parties and broker say to each other, stored so that it
 * loads on open, pages back to the first word, and reaches whoever was offline when they
 * come back. Messages are delivered like every other event: recorded in the transaction that
 * stores them, heard by every server process after commit.
 */

export const DEAL_ROOM_NOT_FOUND = '该合同不存在，或您不是它的参与方'

/**
 * How far back a reconnecting client is sent messages before the last one it saw. Messages
 * are ordered by when their transaction wrote them, so one that committed late may sort
 * before one already seen; the client drops the repeats by id.
 */
const CATCH_UP_OVERLAP_MS = 10_000
/** The most a reconnecting client is sent at once; a longer absence reloads the room. */
const CATCH_UP_LIMIT = 200

const messageSelect = {
  id: true,
  dealId: true,
  body: true,
  createdAt: true,
  sender: { select: { id: true, displayName: true } },
} satisfies Prisma.MessageSelect

type MessageRow = Prisma.MessageGetPayload<{ select: typeof messageSelect }>

function toChatMessage(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    dealId: row.dealId,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
    sender: { id: row.sender.id, name: row.sender.displayName },
  }
}

const notFound: DealRefusal = { ok: false, status: 404, reason: DEAL_ROOM_NOT_FOUND }

async function markReadUpTo(
  tx: Prisma.TransactionClient,
  dealId: string,
  userId: string,
  readAt: Date,
) {
  await tx.dealReadMark.upsert({
    where: { dealId_userId: { dealId, userId } },
    create: { dealId, userId, readAt },
    update: { readAt },
  })
}

/**
 * Says something in a deal's room, as one of its parties or its broker. The others are told
 * through the notification centre, once per deal until they read it: a lively negotiation
 * must not bury everything else there.
 */
export async function postDealMessage(
  userId: string,
  dealId: string,
  body: unknown,
): Promise<{ ok: true; message: ChatMessage } | DealRefusal> {
  const parsed = dealMessageSchema.safeParse(body)
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? '消息内容不正确'
    return { ok: false, status: 400, reason, field: 'body' }
  }
  const found = await findUserAndDeal(userId, dealId)
  if (!found || found.capacities.length === 0) return notFound
  if (!canSpeakInDeal(found.capacities)) {
    return { ok: false, status: 403, reason: '科技局可以查看洽谈记录，但不在洽谈室发言' }
  }
  const { user, deal } = found
  const link = dealLink(dealId)
  const message = await prisma.$transaction(async (tx) => {
    // A chat line does not wait for the WAL to reach the disk: the commit returns at once and
    // the flush follows within a fraction of a second. Should PostgreSQL itself crash in that
    // moment the last lines said are lost, never half-written; in exchange a disk's slow
    // fsyncs no longer hold up delivery (bench:realtime p99 at 100 messages/s: ~270 → ~120 ms).
    await tx.$executeRaw`SET LOCAL synchronous_commit = off`
    const row = await tx.message.create({
      data: { dealId, senderId: userId, body: parsed.data },
      select: { id: true, body: true, createdAt: true },
    })
    await markReadUpTo(tx, dealId, userId, row.createdAt)
    // Those not yet told of this room's new messages, or who have read what they were told.
    const untold = await tx.user.findMany({
      where: {
        ...participantsWhere(deal),
        id: { not: userId },
        notifications: { none: { kind: 'deal_message', link, readAt: null } },
      },
      select: { id: true },
    })
    await notifyUsers(
      tx,
      untold.map((participant) => participant.id),
      {
        kind: 'deal_message',
        title: `${deal.title}：${user.displayName} 发来新消息`,
        body: row.body.slice(0, 200),
        link,
      },
    )
    const message: ChatMessage = {
      id: row.id,
      dealId,
      body: row.body,
      createdAt: row.createdAt.toISOString(),
      sender: { id: userId, name: user.displayName },
    }
    const whole: MarketEvent = {
      type: 'deal:message',
      room: { dealId },
      payload: { id: row.id, message },
    }
    await recordEvent(tx, eventFits(whole) ? whole : { ...whole, payload: { id: row.id } })
    return message
  })
  return { ok: true, message }
}

export type MessageCursor = { before?: string; after?: string }

/**
 * A page of a room's messages, oldest first: the latest ones, those before a message (paging
 * back), or those since a message (catching up after a reconnection).
 */
export async function listDealMessages(
  userId: string,
  dealId: string,
  cursor: MessageCursor = {},
): Promise<{ ok: true; messages: ChatMessage[]; hasMore: boolean } | DealRefusal> {
  const capacities = await dealCapacitiesById(userId, dealId)
  if (capacities.length === 0) return notFound
  return { ok: true, ...(await readMessages(dealId, cursor)) }
}

async function readMessages(dealId: string, cursor: MessageCursor) {
  const anchorId = cursor.after ?? cursor.before
  const anchor = anchorId
    ? await prisma.message.findFirst({
        where: { id: anchorId, dealId },
        select: { id: true, createdAt: true },
      })
    : null
  if (anchor && cursor.after) {
    const rows = await prisma.message.findMany({
      where: {
        dealId,
        createdAt: { gte: new Date(anchor.createdAt.getTime() - CATCH_UP_OVERLAP_MS) },
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: CATCH_UP_LIMIT + 1,
      select: messageSelect,
    })
    return {
      messages: rows.slice(0, CATCH_UP_LIMIT).map(toChatMessage),
      hasMore: rows.length > CATCH_UP_LIMIT,
    }
  }
  const where: Prisma.MessageWhereInput =
    anchor && cursor.before
      ? {
          dealId,
          OR: [
            { createdAt: { lt: anchor.createdAt } },
            { createdAt: anchor.createdAt, id: { lt: anchor.id } },
          ],
        }
      : { dealId }
  const rows = await prisma.message.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: MESSAGE_PAGE_SIZE + 1,
    select: messageSelect,
  })
  return {
    messages: rows.slice(0, MESSAGE_PAGE_SIZE).reverse().map(toChatMessage),
    hasMore: rows.length > MESSAGE_PAGE_SIZE,
  }
}

/**
 * The room as its page opens it: the latest messages, and whether the user may speak. Opening
 * it reads it: the user's unread count for the deal, and its message notices, go to zero.
 */
export async function openDealRoom(
  userId: string,
  dealId: string,
  capacities: readonly DealCapacity[],
) {
  const page = await readMessages(dealId, {})
  const canSpeak = canSpeakInDeal(capacities)
  if (canSpeak) await markRead(userId, dealId)
  return { ...page, canSpeak }
}

/** Marks a room read up to its latest message, for a participant who is looking at it. */
export async function markDealRead(userId: string, dealId: string): Promise<boolean> {
  if (!canSpeakInDeal(await dealCapacitiesById(userId, dealId))) return false
  await markRead(userId, dealId)
  return true
}

async function markRead(userId: string, dealId: string) {
  const latest = await prisma.message.findFirst({
    where: { dealId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { createdAt: true },
  })
  await prisma.$transaction(async (tx) => {
    if (latest) await markReadUpTo(tx, dealId, userId, latest.createdAt)
    await tx.notification.updateMany({
      where: { userId, kind: 'deal_message', link: dealLink(dealId), readAt: null },
      data: { readAt: new Date() },
    })
  })
}

/**
 * Messages by others that a user has not read yet, per deal they take part in (deals without
 * any are left out). The bureau, reading along, has nothing unread.
 */
export async function countUnreadMessages(user: OrgActor, dealIds: readonly string[]) {
  const mine = participatingWhere(user)
  if (dealIds.length === 0 || mine.length === 0) return new Map<string, number>()
  const marks = await prisma.dealReadMark.findMany({
    where: { userId: user.id, dealId: { in: [...dealIds] } },
    select: { dealId: true, readAt: true },
  })
  const readAt = new Map(marks.map((mark) => [mark.dealId, mark.readAt]))
  const groups = await prisma.message.groupBy({
    by: ['dealId'],
    where: {
      senderId: { not: user.id },
      deal: { OR: mine },
      OR: dealIds.map((dealId) => {
        const read = readAt.get(dealId)
        return read ? { dealId, createdAt: { gt: read } } : { dealId }
      }),
    },
    _count: { _all: true },
  })
  return new Map(groups.map((group) => [group.dealId, group._count._all]))
}

/** One stored message, for the dispatcher to hand to the sockets in its room. */
export async function loadChatMessage(id: string) {
  const row = await prisma.message.findUnique({ where: { id }, select: messageSelect })
  return row && toChatMessage(row)
}
