import { CLOSED_DEAL_STATUSES, daysSince, isStalled, OPEN_DEAL_STATUSES } from '~/domain/deals'
import { Prisma } from '~/generated/prisma/client'
import { prisma } from '~/utils/db.server'

import { TAKEABLE_WHERE } from './deal.server'

/**
 * What a broker runs: the pipeline of open deals by status, with how long each has waited,
 * and the ledger of the deals they closed with the commission earned. The bureau sees every
 * broker's ledger.
 */

/** The most open deals a board shows per column; a broker with more sees the busiest first. */
const COLUMN_LIMIT = 50
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
