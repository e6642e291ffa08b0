import { CLOSED_DEAL_STATUSES, daysSince, isStalled, OPEN_DEAL_STATUSES } from '~/domain/deals'
import { clampText, TEXT_LIMITS } from '~/domain/limits'
import type { OrgActor } from '~/domain/membership'
import { Prisma } from '~/generated/prisma/client'
import { isUniqueViolation, prisma } from '~/utils/db.server'
import type { DirectDealInput } from '~/validation/deals'

import { dealLink, participantsWhere, TAKEABLE_WHERE, type DealRefusal } from './deal.server'
import { publicExpertWhere } from './expert.server'
import { publicNeedWhere } from './need.server'
import { notifyUsers } from './notification.server'
import { publicResultWhere } from './result.server'

/**
 * What a broker runs: the pipeline of open deals by status, with how long each has waited,
 * and the ledger of the deals they closed with the commission earned. The bureau sees every
 * broker's ledger.
 */

/** The open deals a board shows per column, longest waiting first; the rest are a link away. */
const COLUMN_LIMIT = 12
export const LEDGER_PAGE_SIZE = 20

export async function getPipeline(brokerId: string, now = new Date()) {
  const [deals, takeable] = await Promise.all([
    prisma.deal.findMany({
      where: { brokerId, status: { in: [...OPEN_DEAL_STATUSES] } },
      select: {
        id: true,
        title: true,
        status: true,
        contractAmount: true,
        createdAt: true,
        sellerOrg: { select: { name: true } },
        buyerOrg: { select: { name: true } },
        // When it entered its status: the latest move into a status.
        events: {
          where: { toStatus: { not: null } },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: 1,
          select: { createdAt: true },
        },
      },
    }),
    prisma.deal.count({ where: TAKEABLE_WHERE }),
  ])
  const cards = deals.map(({ events, ...deal }) => {
    const since = events[0]?.createdAt ?? deal.createdAt
    return {
      ...deal,
      since,
      days: daysSince(since, now),
      stalled: isStalled(deal.status, since, now),
    }
  })
  const columns = OPEN_DEAL_STATUSES.map((status) => {
    const inColumn = cards
      .filter((card) => card.status === status)
      .sort((a, b) => b.days - a.days || a.id.localeCompare(b.id))
    return {
      status,
      count: inColumn.length,
      value: inColumn.reduce((sum, card) => sum + Number(card.contractAmount ?? 0), 0),
      stalled: inColumn.filter((card) => card.stalled).length,
      cards: inColumn.slice(0, COLUMN_LIMIT),
    }
  })
  return { columns, takeable }
}

/** A broker's closed deals, newest signing first, with the totals over all of them. */
export async function getLedger(brokerId: string, page: number) {
  const where: Prisma.DealWhereInput = { brokerId, status: { in: [...CLOSED_DEAL_STATUSES] } }
  const [rows, totals] = await Promise.all([
    prisma.deal.findMany({
      where,
      orderBy: [{ signedAt: 'desc' }, { id: 'asc' }],
      skip: (page - 1) * LEDGER_PAGE_SIZE,
      take: LEDGER_PAGE_SIZE,
      select: {
        id: true,
        title: true,
        status: true,
        createdAt: true,
        signedAt: true,
        contractAmount: true,
        commissionRate: true,
        commissionAmount: true,
        sellerOrg: { select: { name: true } },
        buyerOrg: { select: { name: true } },
      },
    }),
    ledgerTotals(Prisma.sql`u.id = ${brokerId}`),
  ])
  const deals = rows.map((deal) => ({
    ...deal,
    daysToClose: deal.signedAt ? daysSince(startOfDay(deal.createdAt), deal.signedAt) : null,
  }))
  const broker = await prisma.user.findUnique({
    where: { id: brokerId },
    select: { id: true, displayName: true, role: true },
  })
  return { broker, deals, totals: totals[0] ?? emptyTotals(brokerId) }
}

/** Every broker's ledger in one line each, for the bureau. */
export function getBrokerLedgers() {
  return ledgerTotals(Prisma.sql`TRUE`)
}

export interface LedgerTotals {
  brokerId: string
  name: string
  open: number
  closed: number
  value: number
  commission: number
  /** Average days from the first contact to signing, over the closed deals that say when. */
  daysToClose: number | null
}

function emptyTotals(brokerId: string): LedgerTotals {
  return { brokerId, name: '', open: 0, closed: 0, value: 0, commission: 0, daysToClose: null }
}

function startOfDay(date: Date) {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))
}

function ledgerTotals(brokerFilter: Prisma.Sql) {
  const closed = [...CLOSED_DEAL_STATUSES] as string[]
  const open = [...OPEN_DEAL_STATUSES] as string[]
  return prisma.$queryRaw<LedgerTotals[]>`
    SELECT u.id AS "brokerId", u."displayName" AS name,
           count(d.id) FILTER (WHERE d.status::text = ANY(${open}))::int AS open,
           count(d.id) FILTER (WHERE d.status::text = ANY(${closed}))::int AS closed,
           coalesce(sum(d."contractAmount") FILTER (WHERE d.status::text = ANY(${closed})), 0)::float8
             AS value,
           coalesce(sum(d."commissionAmount") FILTER (WHERE d.status::text = ANY(${closed})), 0)::float8
             AS commission,
           round(avg(d."signedAt" - d."createdAt"::date)
             FILTER (WHERE d.status::text = ANY(${closed}) AND d."signedAt" IS NOT NULL), 1)::float8
             AS "daysToClose"
    FROM "User" u
    LEFT JOIN "Deal" d ON d."brokerId" = u.id
    WHERE u.role = 'broker' AND ${brokerFilter}
    GROUP BY u.id
    ORDER BY value DESC, closed DESC, u."displayName"`
}

/** How many suggested matches the board offers at once. */
const MATCHES_OFFERED = 10

/** What a deal from a match may be about: a public need and a public result or expert. */
function takeableMatchWhere(now: Date): Prisma.MatchWhereInput {
  return {
    status: { in: ['suggested', 'interested'] },
    deals: { none: {} },
    need: publicNeedWhere(now),
    OR: [{ result: publicResultWhere(now) }, { expert: publicExpertWhere() }],
  }
}

/**
 * Matches the engine or the parties found and nobody has acted on, for brokers to take up:
 * those a party said it is interested in first, then the strongest.
 */
export async function listMatchesToTakeUp(now = new Date()) {
  return prisma.match.findMany({
    where: takeableMatchWhere(now),
    orderBy: [{ status: 'desc' }, { score: 'desc' }, { id: 'asc' }],
    take: MATCHES_OFFERED,
    select: {
      id: true,
      score: true,
      status: true,
      need: { select: { id: true, title: true, org: { select: { name: true } } } },
      result: { select: { id: true, title: true, org: { select: { name: true } } } },
      expert: { select: { id: true, name: true, org: { select: { name: true } } } },
    },
  })
}

/**
 * A broker takes up a suggested match: a deal in 意向 between the need's enterprise (buyer)
 * and the owner of the result or expert (seller), run by the broker from the start. Both
 * parties are told. A match already taken up, declined, or whose listings left public view
 * cannot be; two brokers at once get one deal.
 */
export async function startDealFromMatch(
  user: OrgActor,
  matchId: string,
  now = new Date(),
): Promise<{ ok: true; dealId: string } | DealRefusal> {
  if (user.role !== 'broker') {
    return { ok: false, status: 403, reason: '只有技术经纪人可以接手匹配' }
  }
  const match = await prisma.match.findFirst({
    where: { id: matchId, ...takeableMatchWhere(now) },
    select: {
      id: true,
      needId: true,
      resultId: true,
      expertId: true,
      need: { select: { title: true, orgId: true } },
      result: { select: { orgId: true } },
      expert: { select: { orgId: true } },
    },
  })
  const sellerOrgId = match?.result?.orgId ?? match?.expert?.orgId
  if (!match || !sellerOrgId) {
    return { ok: false, status: 404, reason: '该匹配不存在，或已有人接手、已被谢绝' }
  }
  if (sellerOrgId === match.need.orgId) {
    return { ok: false, status: 409, reason: '需求方与成果方是同一单位，无需对接' }
  }
  const deal = {
    sellerOrgId,
    buyerOrgId: match.need.orgId,
    brokerId: user.id,
  }
  try {
    const dealId = await prisma.$transaction(async (tx) => {
      // Taken by whoever flips its status first; the other finds it taken.
      const { count } = await tx.match.updateMany({
        where: { id: match.id, status: { in: ['suggested', 'interested'] } },
        data: { status: 'contacted', brokerId: user.id },
      })
      if (count === 0) return null
      const created = await tx.deal.create({
        data: {
          ...deal,
          title: clampText(`对接：${match.need.title}`, TEXT_LIMITS.dealTitle),
          needId: match.needId,
          resultId: match.resultId,
          expertId: match.expertId,
          matchId: match.id,
        },
        select: { id: true },
      })
      await tx.dealEvent.create({
        data: {
          dealId: created.id,
          actorId: user.id,
          fromStatus: null,
          toStatus: 'intent',
          note: '技术经纪人根据匹配发起对接',
        },
      })
      const parties = await tx.user.findMany({
        where: { ...participantsWhere(deal), id: { not: user.id } },
        select: { id: true },
      })
      await notifyUsers(
        tx,
        parties.map((party) => party.id),
        {
          kind: 'deal_enquiry',
          title: `技术经纪人为您发起对接：${match.need.title}`,
          link: dealLink(created.id),
        },
      )
      return created.id
    })
    if (!dealId) return { ok: false, status: 409, reason: '该匹配刚刚已被其他经纪人接手' }
    return { ok: true, dealId }
  } catch (error) {
    // The same pair already talks about the same listings in an open enquiry.
    if (!isUniqueViolation(error)) throw error
    return {
      ok: false,
      status: 409,
      reason: '双方已就这两项信息在对接中，请在合同列表中接手该对接',
    }
  }
}

/**
 * A broker starts a deal directly between two organizations they brought together, with an
 * optional first word in its room. The organizations are named in full, as registered.
 */
export async function startDirectDeal(
  user: OrgActor,
  input: DirectDealInput,
): Promise<{ ok: true; dealId: string } | (DealRefusal & { field?: keyof DirectDealInput })> {
  if (user.role !== 'broker') {
    return { ok: false, status: 403, reason: '只有技术经纪人可以直接发起对接' }
  }
  const orgs = await prisma.organization.findMany({
    where: { name: { in: [input.sellerOrg, input.buyerOrg] } },
    select: { id: true, name: true },
  })
  const idOf = (name: string) => orgs.find((org) => org.name === name)?.id
  for (const field of ['sellerOrg', 'buyerOrg'] as const) {
    if (!idOf(input[field])) {
      return {
        ok: false,
        status: 400,
        reason: `未找到单位“${input[field]}”，请填写在平台注册的完整名称`,
        field,
      }
    }
  }
  const deal = {
    sellerOrgId: idOf(input.sellerOrg)!,
    buyerOrgId: idOf(input.buyerOrg)!,
    brokerId: user.id,
  }
  if (deal.sellerOrgId === deal.buyerOrgId) {
    return {
      ok: false,
      status: 400,
      reason: '买方单位与卖方单位不能是同一家单位',
      field: 'buyerOrg',
    }
  }
  const dealId = await prisma.$transaction(async (tx) => {
    const created = await tx.deal.create({
      data: { ...deal, title: input.title },
      select: { id: true },
    })
    await tx.dealEvent.create({
      data: {
        dealId: created.id,
        actorId: user.id,
        fromStatus: null,
        toStatus: 'intent',
        note: '技术经纪人发起对接',
      },
    })
    if (input.message) {
      await tx.message.create({
        data: { dealId: created.id, senderId: user.id, body: input.message },
      })
    }
    const parties = await tx.user.findMany({
      where: { ...participantsWhere(deal), id: { not: user.id } },
      select: { id: true },
    })
    await notifyUsers(
      tx,
      parties.map((party) => party.id),
      {
        kind: 'deal_enquiry',
        title: `技术经纪人为您发起对接：${input.title}`,
        body: input.message ? input.message.slice(0, 200) : null,
        link: dealLink(created.id),
      },
    )
    return created.id
  })
  return { ok: true, dealId }
}
