import { REGISTERED_DEAL_STATUSES } from '~/domain/constants'
import { currentYear, periodOf } from '~/domain/statistics'
import { Prisma } from '~/generated/prisma/client'
import type { NeedStatus, OrgKind, ResultStatus } from '~/generated/prisma/enums'
import { prisma } from '~/utils/db.server'

import { publicNeedWhere } from './need.server'
import { publicResultWhere } from './result.server'
import { getFigures } from './stats.server'

/** The figures on the home page: what a visitor can find today and this year's trade. */
export async function getMarketCounts(now = new Date()) {
  const [results, needs, experts, deals, thisYear] = await Promise.all([
    prisma.result.count({
      where: publicResultWhere(now),
    }),
    prisma.need.count({ where: publicNeedWhere(now) }),
    prisma.expert.count(),
    prisma.deal.count({ where: { status: { in: REGISTERED_DEAL_STATUSES } } }),
    getFigures({ period: periodOf(currentYear(now)), scope: 'city' }),
  ])
  return {
    results,
    needs,
    experts,
    deals,
    year: currentYear(now),
    yearContractAmount: thisYear.contractAmount,
  }
}

export async function getLatestListings(take = 6, now = new Date()) {
  const [results, needs] = await Promise.all([
    prisma.result.findMany({
      where: publicResultWhere(now),
      orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
      take,
      select: {
        id: true,
        title: true,
        fieldCode: true,
        trl: true,
        askingPrice: true,
        publishedAt: true,
        org: { select: { name: true } },
      },
    }),
    prisma.need.findMany({
      where: publicNeedWhere(now),
      orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
      take,
      select: {
        id: true,
        title: true,
        fieldCode: true,
        budgetMin: true,
        budgetMax: true,
        publishedAt: true,
        org: { select: { name: true } },
      },
    }),
  ])
  return { results, needs }
}

interface OwnListingRow<Status> {
  id: string
  title: string
  status: Status
  updatedAt: string
  expiresAt: string | null
}

interface Activity {
  resultsByStatus: Partial<Record<ResultStatus, number>>
  needsByStatus: Partial<Record<NeedStatus, number>>
  sold: { count: number; amount: number }
  bought: { count: number; amount: number }
  latestResults: OwnListingRow<ResultStatus>[]
  latestNeeds: OwnListingRow<NeedStatus>[]
}

interface OverviewRow extends Partial<Activity> {
  org: {
    id: string
    name: string
    kind: OrgKind
    regionCode: string
    zone: string | null
    highTech: boolean
    littleGiant: boolean
  } | null
}

const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`

/**
 * An organization for its members' workbench: who it is and, for admitted members, its own
 * activity (counts by status, the latest listings, registered trade as seller and buyer).
 * One statement rather than seven, because every workbench view runs it (see the README's
 * bench:http figures).
 */
export async function getOrganizationOverview(orgId: string, options: { withActivity: boolean }) {
  const latest = (table: 'Result' | 'Need') =>
    Prisma.sql`(SELECT coalesce(jsonb_agg(row_to_json(x) ORDER BY x.position), '[]'::jsonb) FROM (
      SELECT id, title, status::text AS status,
             to_char("updatedAt", ${Prisma.raw(ISO_UTC)}) AS "updatedAt",
             to_char("expiresAt", ${Prisma.raw(ISO_UTC)}) AS "expiresAt",
             row_number() OVER (ORDER BY "updatedAt" DESC, id DESC) AS position
      FROM ${Prisma.raw(`"${table}"`)} WHERE "orgId" = ${orgId}
      ORDER BY "updatedAt" DESC, id DESC LIMIT 5) x)`
  const byStatus = (table: 'Result' | 'Need') =>
    Prisma.sql`(SELECT coalesce(jsonb_object_agg(status, n), '{}'::jsonb) FROM (
      SELECT status::text AS status, count(*)::int AS n
      FROM ${Prisma.raw(`"${table}"`)} WHERE "orgId" = ${orgId} GROUP BY status) x)`
  const trade = (party: 'sellerOrgId' | 'buyerOrgId') =>
    Prisma.sql`(SELECT jsonb_build_object('count', count(*)::int,
                                          'amount', coalesce(sum("contractAmount"), 0)::float8)
      FROM "Deal" WHERE ${Prisma.raw(`"${party}"`)} = ${orgId}
        AND status::text = ANY(${[...REGISTERED_DEAL_STATUSES]}::text[]))`
  const activity = options.withActivity
    ? Prisma.sql`, ${byStatus('Result')} AS "resultsByStatus", ${byStatus('Need')} AS "needsByStatus",
        ${trade('sellerOrgId')} AS sold, ${trade('buyerOrgId')} AS bought,
        ${latest('Result')} AS "latestResults", ${latest('Need')} AS "latestNeeds"`
    : Prisma.empty
  const [row] = await prisma.$queryRaw<OverviewRow[]>`
    SELECT (SELECT row_to_json(o) FROM (
              SELECT id, name, kind::text AS kind, "regionCode", zone, "highTech", "littleGiant"
              FROM "Organization" WHERE id = ${orgId}) o) AS org
           ${activity}`
  if (!row) throw new Error('workbench overview query returned no row')
  const toListing = <Status>(listing: OwnListingRow<Status>) => ({
    id: listing.id,
    title: listing.title,
    status: listing.status,
    updatedAt: new Date(listing.updatedAt),
    expiresAt: listing.expiresAt ? new Date(listing.expiresAt) : null,
  })
  const { org, resultsByStatus, needsByStatus, sold, bought, latestResults, latestNeeds } = row
  return {
    org,
    activity:
      resultsByStatus && needsByStatus && sold && bought && latestResults && latestNeeds
        ? {
            resultsByStatus,
            needsByStatus,
            sold,
            bought,
            latestResults: latestResults.map(toListing),
            latestNeeds: latestNeeds.map(toListing),
          }
        : null,
  }
}

/** A broker's deals by stage and the commission they brought in. */
export async function getBrokerActivity(brokerId: string) {
  const [byStatus, commission, latest] = await Promise.all([
    prisma.deal.groupBy({
      by: ['status'],
      where: { brokerId },
      _count: true,
      _sum: { contractAmount: true },
    }),
    prisma.deal.aggregate({
      where: { brokerId, status: { in: REGISTERED_DEAL_STATUSES } },
      _sum: { commissionAmount: true },
    }),
    prisma.deal.findMany({
      where: { brokerId },
      orderBy: { updatedAt: 'desc' },
      take: 8,
      select: {
        id: true,
        title: true,
        status: true,
        contractAmount: true,
        updatedAt: true,
        sellerOrg: { select: { name: true } },
        buyerOrg: { select: { name: true } },
      },
    }),
  ])
  return {
    byStatus: byStatus.map((row) => ({
      status: row.status,
      count: row._count,
      amount: Number(row._sum.contractAmount ?? 0),
    })),
    commission: Number(commission._sum.commissionAmount ?? 0),
    latest,
  }
}
