import { LOCAL_CITY_PREFIX, RESEARCH_ORG_KINDS, type TARGET_METRICS } from '~/domain/constants'
import { type Prisma } from '~/generated/prisma/client'
import type { ContractType } from '~/generated/prisma/enums'
import { prisma } from '~/utils/db.server'

/** The calendar year in China, where the bureau's statistics are kept. */
export function currentYear(now = new Date()) {
  return Number(now.toLocaleString('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' }))
}

/** Year bounds as calendar dates, the type of registeredAt and of the rollup's month. */
function yearBounds(fromYear: number, toYear = fromYear) {
  return { from: new Date(Date.UTC(fromYear, 0, 1)), to: new Date(Date.UTC(toYear + 1, 0, 1)) }
}

/**
 * The year's figures by the official definitions, from the rollups: 技术合同成交额 and 技术交易额
 * with their count; output (seller local) and absorbed (buyer local); regions and kinds as
 * frozen at signing. `localPrefix` sets the scope: the city (6101) or the province (61).
 */
export async function getRegisteredSummary(year: number, localPrefix = LOCAL_CITY_PREFIX) {
  const { from, to } = yearBounds(year)
  const local = `${localPrefix}%`
  const [row] = await prisma.$queryRaw<
    {
      contract_amount: Prisma.Decimal
      tech_amount: Prisma.Decimal
      count: bigint
      output_amount: Prisma.Decimal
      output_count: bigint
      absorbed_amount: Prisma.Decimal
      absorbed_count: bigint
    }[]
  >`
    SELECT COALESCE(SUM("contractAmount"), 0) AS contract_amount,
           COALESCE(SUM("techTransactionAmount"), 0) AS tech_amount,
           COALESCE(SUM(count), 0) AS count,
           COALESCE(SUM("contractAmount") FILTER (WHERE "sellerRegionCode" LIKE ${local}), 0) AS output_amount,
           COALESCE(SUM(count) FILTER (WHERE "sellerRegionCode" LIKE ${local}), 0) AS output_count,
           COALESCE(SUM("contractAmount") FILTER (WHERE "buyerRegionCode" LIKE ${local}), 0) AS absorbed_amount,
           COALESCE(SUM(count) FILTER (WHERE "buyerRegionCode" LIKE ${local}), 0) AS absorbed_count
    FROM "DealRollup" WHERE month >= ${from} AND month < ${to}`
  return {
    contractAmount: Number(row?.contract_amount ?? 0),
    techTransactionAmount: Number(row?.tech_amount ?? 0),
    count: Number(row?.count ?? 0),
    output: { amount: Number(row?.output_amount ?? 0), count: Number(row?.output_count ?? 0) },
    absorbed: {
      amount: Number(row?.absorbed_amount ?? 0),
      count: Number(row?.absorbed_count ?? 0),
    },
  }
}

export async function getRegisteredValue(year: number) {
  const { contractAmount, techTransactionAmount, count } = await getRegisteredSummary(year)
  return { contractAmount, techTransactionAmount, count }
}

export async function getYearlySeries(fromYear: number, toYear: number) {
  const { from, to } = yearBounds(fromYear, toYear)
  const rows = await prisma.$queryRaw<
    { year: number; contract_amount: Prisma.Decimal; tech_amount: Prisma.Decimal; count: bigint }[]
  >`
    SELECT EXTRACT(YEAR FROM month)::int AS year,
           SUM("contractAmount") AS contract_amount,
           SUM("techTransactionAmount") AS tech_amount,
           SUM(count) AS count
    FROM "DealRollup"
    WHERE month >= ${from} AND month < ${to}
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
 * the share whose buyer is local, by value and by count. Regions and kinds are the ones frozen
 * at signing.
 */
export async function getLocalConversion(year: number, localPrefix = LOCAL_CITY_PREFIX) {
  const { from, to } = yearBounds(year)
  const local = `${localPrefix}%`
  const [row] = await prisma.$queryRaw<
    {
      total_value: Prisma.Decimal
      local_value: Prisma.Decimal
      total_count: bigint
      local_count: bigint
    }[]
  >`
    SELECT COALESCE(SUM("contractAmount"), 0) AS total_value,
           COALESCE(SUM("contractAmount") FILTER (WHERE "buyerRegionCode" LIKE ${local}), 0) AS local_value,
           COALESCE(SUM(count), 0) AS total_count,
           COALESCE(SUM(count) FILTER (WHERE "buyerRegionCode" LIKE ${local}), 0) AS local_count
    FROM "DealRollup"
    WHERE month >= ${from} AND month < ${to}
      AND "sellerKind"::text = ANY(${[...RESEARCH_ORG_KINDS]})
      AND "sellerRegionCode" LIKE ${local}`
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
  const { from, to } = yearBounds(year)
  const rows = await prisma.dealRollup.groupBy({
    by: ['contractType'],
    where: { month: { gte: from, lt: to } },
    _sum: { contractAmount: true, count: true },
  })
  return rows
    .map((row) => ({
      contractType: row.contractType as ContractType,
      contractAmount: Number(row._sum.contractAmount ?? 0),
      count: row._sum.count ?? 0,
    }))
    .sort((a, b) => b.contractAmount - a.contractAmount)
}

/**
 * Rollup keys whose figures differ from a plain aggregate over the deals: empty when the
 * rollups are exact. For the tests and for checking a database by hand.
 */
export async function findRollupDrift() {
  return prisma.$queryRaw<{ source: string; month: Date; count: number }[]>`
    WITH raw AS (
      SELECT date_trunc('month', "registeredAt")::date AS month, "contractType",
             coalesce("subType", '') AS "subType", coalesce(left("fieldCode", 2), '') AS "fieldCode",
             "sellerKind", "buyerKind", "sellerRegionCode", "buyerRegionCode",
             coalesce("brokerId", '') AS "brokerId", sum("contractAmount") AS "contractAmount",
             sum(coalesce("techTransactionAmount", 0)) AS "techTransactionAmount",
             count(*)::int AS count
      FROM "Deal" WHERE "deal_counts_as_registered"(status)
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ), rolled AS (
      SELECT month, "contractType", "subType", "fieldCode", "sellerKind", "buyerKind",
             "sellerRegionCode", "buyerRegionCode", "brokerId", "contractAmount",
             "techTransactionAmount", count
      FROM "DealRollup"
    )
    SELECT 'deals' AS source, month, count FROM (SELECT * FROM raw EXCEPT SELECT * FROM rolled) AS missing
    UNION ALL
    SELECT 'rollup' AS source, month, count FROM (SELECT * FROM rolled EXCEPT SELECT * FROM raw) AS extra`
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
