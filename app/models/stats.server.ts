import {
  LOCAL_CITY_PREFIX,
  REGISTERED_DEAL_STATUSES,
  type TARGET_METRICS,
} from '~/domain/constants'
import { type Prisma } from '~/generated/prisma/client'
import type { ContractType } from '~/generated/prisma/enums'
import { prisma } from '~/utils/db.server'

/** The calendar year in China, where the bureau's statistics are kept. */
export function currentYear(now = new Date()) {
  return Number(now.toLocaleString('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' }))
}

function yearRange(year: number) {
  return { gte: new Date(Date.UTC(year, 0, 1)), lt: new Date(Date.UTC(year + 1, 0, 1)) }
}

export async function getRegisteredValue(year: number) {
  const total = await prisma.deal.aggregate({
    where: { status: { in: REGISTERED_DEAL_STATUSES }, registeredAt: yearRange(year) },
    _sum: { contractAmount: true, techTransactionAmount: true },
    _count: true,
  })
  return {
    contractAmount: Number(total._sum.contractAmount ?? 0),
    techTransactionAmount: Number(total._sum.techTransactionAmount ?? 0),
    count: total._count,
  }
}

export async function getYearlySeries(fromYear: number, toYear: number) {
  const rows = await prisma.$queryRaw<
    { year: number; contract_amount: Prisma.Decimal; tech_amount: Prisma.Decimal; count: bigint }[]
  >`
    SELECT EXTRACT(YEAR FROM "registeredAt")::int AS year,
           COALESCE(SUM("contractAmount"), 0) AS contract_amount,
           COALESCE(SUM("techTransactionAmount"), 0) AS tech_amount,
           COUNT(*) AS count
    FROM "Deal"
    WHERE status::text = ANY(${REGISTERED_DEAL_STATUSES})
      AND "registeredAt" >= ${new Date(Date.UTC(fromYear, 0, 1))}
      AND "registeredAt" < ${new Date(Date.UTC(toYear + 1, 0, 1))}
    GROUP BY 1 ORDER BY 1`
  const byYear = new Map(rows.map((row) => [row.year, row]))
  return Array.from({ length: toYear - fromYear + 1 }, (_, index) => {
    const year = fromYear + index
    const row = byYear.get(year)
    return {
      year,
      contractAmount: Number(row?.contract_amount ?? 0),
      techTransactionAmount: Number(row?.tech_amount ?? 0),
      count: Number(row?.count ?? 0),
    }
  })
}

/**
 * 科技成果就地转化率: of registered contracts whose seller is a local university or institute,
 * the share whose buyer is local, by value and by count. Regions are the ones frozen at signing.
 */
export async function getLocalConversion(year: number, localPrefix = LOCAL_CITY_PREFIX) {
  const [row] = await prisma.$queryRaw<
    {
      total_value: Prisma.Decimal
      local_value: Prisma.Decimal
      total_count: bigint
      local_count: bigint
    }[]
  >`
    SELECT COALESCE(SUM(d."contractAmount"), 0) AS total_value,
           COALESCE(SUM(d."contractAmount") FILTER (WHERE d."buyerRegionCode" LIKE ${`${localPrefix}%`}), 0) AS local_value,
           COUNT(*) AS total_count,
           COUNT(*) FILTER (WHERE d."buyerRegionCode" LIKE ${`${localPrefix}%`}) AS local_count
    FROM "Deal" d JOIN "Organization" seller ON seller.id = d."sellerOrgId"
    WHERE d.status::text = ANY(${REGISTERED_DEAL_STATUSES})
      AND d."registeredAt" >= ${new Date(Date.UTC(year, 0, 1))}
      AND d."registeredAt" < ${new Date(Date.UTC(year + 1, 0, 1))}
      AND seller.kind IN ('university', 'institute')
      AND d."sellerRegionCode" LIKE ${`${localPrefix}%`}`
  const totalValue = Number(row?.total_value ?? 0)
  const totalCount = Number(row?.total_count ?? 0)
  return {
    totalValue,
    localValue: Number(row?.local_value ?? 0),
    totalCount,
    localCount: Number(row?.local_count ?? 0),
    byValue: totalValue > 0 ? Number(row?.local_value ?? 0) / totalValue : null,
    byCount: totalCount > 0 ? Number(row?.local_count ?? 0) / totalCount : null,
  }
}

export async function getContractTypeBreakdown(year: number) {
  const rows = await prisma.deal.groupBy({
    by: ['contractType'],
    where: { status: { in: REGISTERED_DEAL_STATUSES }, registeredAt: yearRange(year) },
    _sum: { contractAmount: true },
    _count: true,
  })
  return rows
    .map((row) => ({
      contractType: row.contractType as ContractType,
      contractAmount: Number(row._sum.contractAmount ?? 0),
      count: row._count,
    }))
    .sort((a, b) => b.contractAmount - a.contractAmount)
}

export async function getTargets(year: number) {
  const rows = await prisma.target.findMany({
    where: { year },
    select: { metric: true, value: true },
  })
  return Object.fromEntries(rows.map((row) => [row.metric, Number(row.value)])) as Partial<
    Record<(typeof TARGET_METRICS)[keyof typeof TARGET_METRICS], number>
  >
}
