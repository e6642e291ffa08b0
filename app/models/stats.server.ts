import { RESEARCH_ORG_KINDS, type TARGET_METRICS } from '~/domain/constants'
import { getFieldName, getRegionName } from '~/domain/reference'
import {
  LOCALITY_SCOPES,
  NONE,
  periodBounds,
  periodOf,
  shareOf,
  type StatDimension,
  type StatFilters,
} from '~/domain/statistics'
import { Prisma } from '~/generated/prisma/client'
import type { ContractType, OrgKind } from '~/generated/prisma/enums'
import { prisma } from '~/utils/db.server'
import { contractTypeLabels, orgKindLabels } from '~/utils/labels'

export async function getYearlySeries(fromYear: number, toYear: number) {
  const { from, to } = periodBounds({ from: periodOf(fromYear).from, to: periodOf(toYear).to })
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

/**
 * The conditions of a filter, over the rollup's columns or over the deals' own: the same
 * selection either way, so a drill-down lists exactly the deals behind a figure.
 */
const FILTER_COLUMNS = {
  rollup: {
    month: Prisma.sql`month`,
    field: Prisma.sql`"fieldCode"`,
    subType: Prisma.sql`"subType"`,
    broker: Prisma.sql`"brokerId"`,
  },
  deal: {
    month: Prisma.sql`d."registeredAt"`,
    field: Prisma.sql`coalesce(left(d."fieldCode", 2), '')`,
    subType: Prisma.sql`coalesce(d."subType", '')`,
    broker: Prisma.sql`coalesce(d."brokerId", '')`,
  },
} as const

function filterConditions(filters: StatFilters, source: keyof typeof FILTER_COLUMNS) {
  const column = FILTER_COLUMNS[source]
  const prefix = source === 'deal' ? Prisma.sql`d.` : Prisma.empty
  const orNone = (value: string) => (value === NONE ? '' : value)
  const { from, to } = periodBounds(filters.period)
  const conditions = [Prisma.sql`${column.month} >= ${from}`, Prisma.sql`${column.month} < ${to}`]
  if (source === 'deal') conditions.push(Prisma.sql`"deal_counts_as_registered"(d.status)`)
  if (filters.field) conditions.push(Prisma.sql`${column.field} = ${orNone(filters.field)}`)
  if (filters.subType) conditions.push(Prisma.sql`${column.subType} = ${orNone(filters.subType)}`)
  if (filters.broker) conditions.push(Prisma.sql`${column.broker} = ${orNone(filters.broker)}`)
  if (filters.contractType) {
    conditions.push(Prisma.sql`${prefix}"contractType"::text = ${filters.contractType}`)
  }
  if (filters.sellerKind)
    conditions.push(Prisma.sql`${prefix}"sellerKind"::text = ${filters.sellerKind}`)
  if (filters.buyerKind)
    conditions.push(Prisma.sql`${prefix}"buyerKind"::text = ${filters.buyerKind}`)
  if (filters.sellerRegion) {
    conditions.push(Prisma.sql`${prefix}"sellerRegionCode" = ${filters.sellerRegion}`)
  }
  if (filters.buyerRegion) {
    conditions.push(Prisma.sql`${prefix}"buyerRegionCode" = ${filters.buyerRegion}`)
  }
  return Prisma.join(conditions, ' AND ')
}

const rollupWhere = (filters: StatFilters) => filterConditions(filters, 'rollup')

export interface StatFigures {
  /** 技术合同成交额 and its count. */
  contractAmount: number
  count: number
  /** 技术交易额. */
  techTransactionAmount: number
  /** Contracts whose seller is local (输出) and whose buyer is local (吸纳). */
  output: { amount: number; count: number }
  absorbed: { amount: number; count: number }
  /** 科技成果就地转化率: of contracts sold by local universities and institutes, the local share. */
  conversion: {
    totalAmount: number
    localAmount: number
    totalCount: number
    localCount: number
    byValue: number | null
    byCount: number | null
  }
}

/** The figures of the deals a filter selects, by the official definitions, from the rollups. */
export async function getFigures(filters: StatFilters): Promise<StatFigures> {
  const local = `${LOCALITY_SCOPES[filters.scope].prefix}%`
  const research = Prisma.sql`"sellerKind"::text = ANY(${[...RESEARCH_ORG_KINDS]}) AND "sellerRegionCode" LIKE ${local}`
  const [row] = await prisma.$queryRaw<Record<string, Prisma.Decimal | bigint | null>[]>`
    SELECT SUM("contractAmount") AS amount, SUM(count) AS count,
           SUM("techTransactionAmount") AS tech,
           SUM("contractAmount") FILTER (WHERE "sellerRegionCode" LIKE ${local}) AS output_amount,
           SUM(count) FILTER (WHERE "sellerRegionCode" LIKE ${local}) AS output_count,
           SUM("contractAmount") FILTER (WHERE "buyerRegionCode" LIKE ${local}) AS absorbed_amount,
           SUM(count) FILTER (WHERE "buyerRegionCode" LIKE ${local}) AS absorbed_count,
           SUM("contractAmount") FILTER (WHERE ${research}) AS research_amount,
           SUM(count) FILTER (WHERE ${research}) AS research_count,
           SUM("contractAmount") FILTER (WHERE ${research} AND "buyerRegionCode" LIKE ${local}) AS converted_amount,
           SUM(count) FILTER (WHERE ${research} AND "buyerRegionCode" LIKE ${local}) AS converted_count
    FROM "DealRollup" WHERE ${rollupWhere(filters)}`
  const value = (name: string) => Number(row?.[name] ?? 0)
  const conversion = {
    totalAmount: value('research_amount'),
    localAmount: value('converted_amount'),
    totalCount: value('research_count'),
    localCount: value('converted_count'),
  }
  return {
    contractAmount: value('amount'),
    count: value('count'),
    techTransactionAmount: value('tech'),
    output: { amount: value('output_amount'), count: value('output_count') },
    absorbed: { amount: value('absorbed_amount'), count: value('absorbed_count') },
    conversion: {
      ...conversion,
      byValue: shareOf(conversion.localAmount, conversion.totalAmount),
      byCount: shareOf(conversion.localCount, conversion.totalCount),
    },
  }
}

/** The rollup column each dimension reads, as text. */
const DIMENSION_COLUMNS: Record<StatDimension, Prisma.Sql> = {
  month: Prisma.sql`to_char(month, 'YYYY-MM')`,
  contractType: Prisma.sql`"contractType"::text`,
  subType: Prisma.sql`"subType"`,
  field: Prisma.sql`"fieldCode"`,
  sellerKind: Prisma.sql`"sellerKind"::text`,
  buyerKind: Prisma.sql`"buyerKind"::text`,
  sellerRegion: Prisma.sql`"sellerRegionCode"`,
  buyerRegion: Prisma.sql`"buyerRegionCode"`,
  broker: Prisma.sql`"brokerId"`,
}

export interface BreakdownRow {
  /** The value along the dimension ('' for none), as the filter that drills into it takes it. */
  key: string
  label: string
  contractAmount: number
  techTransactionAmount: number
  count: number
}

const regionLabel = (code: string) => getRegionName(code) ?? `地区 ${code}`

/**
 * The figures of a filter along one dimension: months in order, everything else largest
 * first. The rows add up to the filter's totals.
 */
export async function getBreakdown(
  filters: StatFilters,
  dimension: StatDimension,
): Promise<BreakdownRow[]> {
  const column = DIMENSION_COLUMNS[dimension]
  const rows = await prisma.$queryRaw<
    { key: string; amount: Prisma.Decimal; tech: Prisma.Decimal; count: bigint }[]
  >`
    SELECT ${column} AS key, SUM("contractAmount") AS amount,
           SUM("techTransactionAmount") AS tech, SUM(count) AS count
    FROM "DealRollup" WHERE ${rollupWhere(filters)}
    GROUP BY 1`
  const brokerNames =
    dimension === 'broker'
      ? new Map(
          (
            await prisma.user.findMany({
              where: { id: { in: rows.map((row) => row.key).filter(Boolean) } },
              select: { id: true, displayName: true },
            })
          ).map((user) => [user.id, user.displayName]),
        )
      : undefined
  const labelOf = (key: string): string => {
    switch (dimension) {
      case 'month':
        return key
      case 'contractType':
        return contractTypeLabels[key as ContractType] ?? key
      case 'subType':
        return key || '未填写子类'
      case 'field':
        return key ? (getFieldName(key) ?? key) : '未填写领域'
      case 'sellerKind':
      case 'buyerKind':
        return orgKindLabels[key as OrgKind] ?? key
      case 'sellerRegion':
      case 'buyerRegion':
        return regionLabel(key)
      case 'broker':
        return key ? (brokerNames?.get(key) ?? '已注销的经纪人') : '未经经纪人'
    }
  }
  const result = rows.map((row) => ({
    key: row.key,
    label: labelOf(row.key),
    contractAmount: Number(row.amount),
    techTransactionAmount: Number(row.tech),
    count: Number(row.count),
  }))
  return dimension === 'month'
    ? result.sort((a, b) => a.key.localeCompare(b.key))
    : result.sort((a, b) => b.contractAmount - a.contractAmount || a.key.localeCompare(b.key))
}

/** The registered deals behind a figure, newest registration first, a page at a time. */
export async function listDealsBehind(filters: StatFilters, page: number, pageSize: number) {
  const where = filterConditions(filters, 'deal')
  const [counted] = await prisma.$queryRaw<{ total: bigint; amount: Prisma.Decimal | null }[]>`
    SELECT count(*) AS total, sum(d."contractAmount") AS amount FROM "Deal" d WHERE ${where}`
  const rows = await prisma.$queryRaw<
    {
      id: string
      title: string
      contractType: ContractType
      subType: string | null
      contractAmount: Prisma.Decimal
      techTransactionAmount: Prisma.Decimal | null
      registeredAt: Date
      registrationNo: string
      seller: string
      buyer: string
    }[]
  >`
    SELECT d.id, d.title, d."contractType", d."subType", d."contractAmount",
           d."techTransactionAmount", d."registeredAt", d."registrationNo",
           seller.name AS seller, buyer.name AS buyer
    FROM "Deal" d
    JOIN "Organization" seller ON seller.id = d."sellerOrgId"
    JOIN "Organization" buyer ON buyer.id = d."buyerOrgId"
    WHERE ${where}
    ORDER BY d."registeredAt" DESC, d.id
    LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`
  return {
    total: Number(counted?.total ?? 0),
    contractAmount: Number(counted?.amount ?? 0),
    deals: rows.map((row) => ({
      ...row,
      contractAmount: Number(row.contractAmount),
      techTransactionAmount:
        row.techTransactionAmount === null ? null : Number(row.techTransactionAmount),
    })),
  }
}
