import { REGISTERED_DEAL_STATUSES } from '~/domain/constants'
import { prisma } from '~/utils/db.server'

import { publicNeedWhere } from './need.server'
import { publicResultWhere } from './result.server'
import { currentYear, getRegisteredValue } from './stats.server'

/** The figures on the home page: what a visitor can find today and this year's trade. */
export async function getMarketCounts(now = new Date()) {
  const [results, needs, experts, deals, thisYear] = await Promise.all([
    prisma.result.count({
      where: publicResultWhere(now),
    }),
    prisma.need.count({ where: publicNeedWhere(now) }),
    prisma.expert.count(),
    prisma.deal.count({ where: { status: { in: REGISTERED_DEAL_STATUSES } } }),
    getRegisteredValue(currentYear(now)),
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

/** An enterprise's or institution's own activity, for its workbench. */
export async function getOrganizationActivity(orgId: string) {
  const [resultsByStatus, needsByStatus, soldDeals, boughtDeals, latestResults, latestNeeds] =
    await Promise.all([
      prisma.result.groupBy({ by: ['status'], where: { orgId }, _count: true }),
      prisma.need.groupBy({ by: ['status'], where: { orgId }, _count: true }),
      prisma.deal.aggregate({
        where: { sellerOrgId: orgId, status: { in: REGISTERED_DEAL_STATUSES } },
        _sum: { contractAmount: true },
        _count: true,
      }),
      prisma.deal.aggregate({
        where: { buyerOrgId: orgId, status: { in: REGISTERED_DEAL_STATUSES } },
        _sum: { contractAmount: true },
        _count: true,
      }),
      prisma.result.findMany({
        where: { orgId },
        orderBy: { updatedAt: 'desc' },
        take: 5,
        select: { id: true, title: true, status: true, updatedAt: true, expiresAt: true },
      }),
      prisma.need.findMany({
        where: { orgId },
        orderBy: { updatedAt: 'desc' },
        take: 5,
        select: { id: true, title: true, status: true, updatedAt: true, expiresAt: true },
      }),
    ])
  return {
    resultsByStatus: Object.fromEntries(resultsByStatus.map((row) => [row.status, row._count])),
    needsByStatus: Object.fromEntries(needsByStatus.map((row) => [row.status, row._count])),
    sold: { count: soldDeals._count, amount: Number(soldDeals._sum.contractAmount ?? 0) },
    bought: { count: boughtDeals._count, amount: Number(boughtDeals._sum.contractAmount ?? 0) },
    latestResults,
    latestNeeds,
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
