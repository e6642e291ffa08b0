import { RESEARCH_ORG_KINDS } from '~/domain/constants'
import { LOCALITY_SCOPES, periodBounds, periodOf } from '~/domain/statistics'
import {
  isReportedMetric,
  monthlyProgress,
  progressShare,
  projectYearEnd,
  TARGET_DEFINITIONS,
  TARGET_METRIC_NAMES,
  yearFraction,
  type ProgressPoint,
  type Projection,
} from '~/domain/targets'
import type { Prisma } from '~/generated/prisma/client'
import type { TargetMetric } from '~/generated/prisma/enums'
import { isUniqueViolation, prisma } from '~/utils/db.server'

/** Earlier years whose shape the pace projection learns from. */
const SEASON_YEARS = 3

type Monthly = Map<number, number[]>

function addMonthly(series: Monthly, year: number, month: number, value: number) {
  const months = series.get(year) ?? Array.from({ length: 12 }, () => 0)
  months[month - 1] = (months[month - 1] ?? 0) + value
  series.set(year, months)
}

const sumOf = (months: readonly number[] | undefined) =>
  (months ?? []).reduce((sum, value) => sum + value, 0)

/**
 * Registered value by month, and the city's conversion (what local universities and
 * institutes sold, and what of it local buyers took), from the rollups.
 */
async function tradeByMonth(fromYear: number, toYear: number) {
  const { from, to } = periodBounds({ from: periodOf(fromYear).from, to: periodOf(toYear).to })
  const local = `${LOCALITY_SCOPES.city.prefix}%`
  const rows = await prisma.$queryRaw<
    {
      year: number
      month: number
      amount: Prisma.Decimal
      research: Prisma.Decimal | null
      converted: Prisma.Decimal | null
    }[]
  >`
    SELECT EXTRACT(YEAR FROM month)::int AS year, EXTRACT(MONTH FROM month)::int AS month,
           SUM("contractAmount") AS amount,
           SUM("contractAmount") FILTER (WHERE "sellerKind"::text = ANY(${[...RESEARCH_ORG_KINDS]})
             AND "sellerRegionCode" LIKE ${local}) AS research,
           SUM("contractAmount") FILTER (WHERE "sellerKind"::text = ANY(${[...RESEARCH_ORG_KINDS]})
             AND "sellerRegionCode" LIKE ${local} AND "buyerRegionCode" LIKE ${local}) AS converted
    FROM "DealRollup" WHERE month >= ${from} AND month < ${to}
    GROUP BY 1, 2`
  const amount: Monthly = new Map()
  const research: Monthly = new Map()
  const converted: Monthly = new Map()
  for (const row of rows) {
    addMonthly(amount, row.year, row.month, Number(row.amount))
    addMonthly(research, row.year, row.month, Number(row.research ?? 0))
    addMonthly(converted, row.year, row.month, Number(row.converted ?? 0))
  }
  return { amount, research, converted }
}

/**
 * 高校院所人才服务企业工程: the researchers of universities and institutes who served an
 * enterprise, and the enterprises they served, through a deal or an enquiry begun in the year
 * (not cancelled). The researcher is the expert asked, or the lead expert of the result sold.
 * Each is counted once a year, in the month of their first such deal.
 */
async function talentByMonth(fromYear: number, toYear: number) {
  const { from, to } = periodBounds({ from: periodOf(fromYear).from, to: periodOf(toYear).to })
  const rows = await prisma.$queryRaw<
    { year: number; month: number; researchers: bigint; enterprises: bigint }[]
  >`
    WITH served AS (
      SELECT coalesce(d."expertId", r."leadExpertId") AS researcher, d."buyerOrgId" AS enterprise,
             d."createdAt" + interval '8 hours' AS began
      FROM "Deal" d
      JOIN "Organization" seller ON seller.id = d."sellerOrgId"
      JOIN "Organization" buyer ON buyer.id = d."buyerOrgId"
      LEFT JOIN "Result" r ON r.id = d."resultId"
      WHERE d.status <> 'cancelled'
        AND seller.kind::text = ANY(${[...RESEARCH_ORG_KINDS]}) AND buyer.kind = 'enterprise'
        AND d."createdAt" + interval '8 hours' >= ${from} AND d."createdAt" + interval '8 hours' < ${to}
    ), firsts AS (
      SELECT 'researcher' AS kind, min(began) AS began FROM served
      WHERE researcher IS NOT NULL GROUP BY EXTRACT(YEAR FROM began), researcher
      UNION ALL
      SELECT 'enterprise', min(began) FROM served
      WHERE researcher IS NOT NULL GROUP BY EXTRACT(YEAR FROM began), enterprise
    )
    SELECT EXTRACT(YEAR FROM began)::int AS year, EXTRACT(MONTH FROM began)::int AS month,
           count(*) FILTER (WHERE kind = 'researcher') AS researchers,
           count(*) FILTER (WHERE kind = 'enterprise') AS enterprises
    FROM firsts GROUP BY 1, 2`
  const researchers: Monthly = new Map()
  const enterprises: Monthly = new Map()
  for (const row of rows) {
    addMonthly(researchers, row.year, row.month, Number(row.researchers))
    addMonthly(enterprises, row.year, row.month, Number(row.enterprises))
  }
  return { researchers, enterprises }
}

interface Measured {
  actual: number | null
  projection: Projection | null
}

/** The figure the platform measures for a year so far, and where it is heading. */
function measure(series: Monthly, year: number, at: number): Measured {
  const earlier = Array.from({ length: SEASON_YEARS }, (_, index) => year - SEASON_YEARS + index)
    .filter((earlierYear) => series.has(earlierYear))
    .map((earlierYear) => monthlyProgress(earlierYear, series.get(earlierYear)!))
  const actual = sumOf(series.get(year))
  return { actual, projection: projectYearEnd(actual, at, earlier) }
}

/** A rate's numerator and denominator each follow their own season. */
function measureRate(numerator: Monthly, denominator: Monthly, year: number, at: number): Measured {
  const top = measure(numerator, year, at)
  const bottom = measure(denominator, year, at)
  const rate = (a: number | null | undefined, b: number | null | undefined) =>
    a !== null && a !== undefined && b ? a / b : null
  const projected = rate(top.projection?.value, bottom.projection?.value)
  return {
    actual: rate(top.actual, bottom.actual),
    projection:
      projected === null || !bottom.projection
        ? null
        : { value: Math.min(1, projected), method: bottom.projection.method },
  }
}

export interface ReportedFigure {
  value: number
  source: string
  asOf: string
  reportedBy: string
  reportedAt: string
}

export interface TargetRow {
  metric: TargetMetric
  target: { value: number; version: number } | null
  actual: number | null
  /** The latest report behind a reported figure. */
  reported: ReportedFigure | null
  progress: number | null
  projection: Projection | null
  projectedProgress: number | null
}

/** Every target of a year with its actual figure, progress and year-end projection. */
export async function getTargetBoard(year: number, now = new Date()) {
  const at = yearFraction(year, now)
  const fromYear = year - SEASON_YEARS
  const [targets, trade, talent, reports, changes] = await Promise.all([
    prisma.target.findMany({ where: { year } }),
    tradeByMonth(fromYear, year),
    talentByMonth(fromYear, year),
    prisma.reportedActual.findMany({
      where: { year: { gte: fromYear, lte: year } },
      orderBy: [{ asOf: 'asc' }, { createdAt: 'asc' }],
      include: { reportedBy: { select: { displayName: true } } },
    }),
    prisma.targetChange.findMany({
      where: { year },
      orderBy: { createdAt: 'desc' },
      include: { actor: { select: { displayName: true } } },
    }),
  ])
  const measured: Partial<Record<TargetMetric, Measured>> = {
    trade_value: measure(trade.amount, year, at),
    local_conversion_rate: measureRate(trade.converted, trade.research, year, at),
    talent_researchers: measure(talent.researchers, year, at),
    talent_enterprises: measure(talent.enterprises, year, at),
  }

  const rows = TARGET_METRIC_NAMES.map((metric): TargetRow => {
    const target = targets.find((row) => row.metric === metric)
    let figure = measured[metric]
    let reported: ReportedFigure | null = null
    if (isReportedMetric(metric)) {
      const ofMetric = reports.filter((report) => report.metric === metric)
      const latest = ofMetric.filter((report) => report.year === year).at(-1)
      const pointsOf = (reportYear: number): ProgressPoint[] =>
        ofMetric
          .filter((report) => report.year === reportYear)
          .map((report) => ({
            at: yearFraction(reportYear, endOfDay(report.asOf)),
            value: Number(report.value),
          }))
      const earlier = Array.from({ length: SEASON_YEARS }, (_, index) => pointsOf(fromYear + index))
      reported = latest
        ? {
            value: Number(latest.value),
            source: latest.source,
            asOf: latest.asOf.toISOString().slice(0, 10),
            reportedBy: latest.reportedBy.displayName,
            reportedAt: latest.createdAt.toISOString(),
          }
        : null
      figure = latest
        ? {
            actual: Number(latest.value),
            projection: projectYearEnd(
              Number(latest.value),
              yearFraction(year, endOfDay(latest.asOf)),
              earlier,
            ),
          }
        : { actual: null, projection: null }
    }
    const targetValue = target ? Number(target.value) : null
    return {
      metric,
      target: target ? { value: Number(target.value), version: target.version } : null,
      actual: figure?.actual ?? null,
      reported,
      progress: progressShare(figure?.actual ?? null, targetValue),
      projection: figure?.projection ?? null,
      projectedProgress: progressShare(figure?.projection?.value ?? null, targetValue),
    }
  })
  return {
    year,
    at,
    rows,
    changes: changes.map((change) => ({
      id: change.id,
      metric: change.metric,
      previous: change.previous === null ? null : Number(change.previous),
      value: Number(change.value),
      actor: change.actor.displayName,
      at: change.createdAt.toISOString(),
    })),
    reports: reports
      .filter((report) => report.year === year)
      .reverse()
      .map((report) => ({
        id: report.id,
        metric: report.metric,
        value: Number(report.value),
        source: report.source,
        asOf: report.asOf.toISOString().slice(0, 10),
        reportedBy: report.reportedBy.displayName,
        at: report.createdAt.toISOString(),
      })),
  }
}

/** The end of a calendar date in China: a report "as of 30 June" covers that whole day. */
function endOfDay(date: Date) {
  return new Date(date.getTime() + 16 * 3600_000)
}

export type TargetEditResult =
  { ok: true } | { ok: false; conflict: { value: number | null; version: number } }

/**
 * Sets a year's target from the version the editor saw (0: none yet), and records who changed
 * it from what. An edit made from an older version is refused with what is there now.
 */
export async function setTarget(
  actorId: string,
  input: { year: number; metric: TargetMetric; value: number; version: number },
): Promise<TargetEditResult> {
  const { year, metric, value, version } = input
  try {
    return await prisma.$transaction(async (tx) => {
      const current = await tx.target.findUnique({ where: { year_metric: { year, metric } } })
      const conflict = {
        ok: false as const,
        conflict: {
          value: current ? Number(current.value) : null,
          version: current?.version ?? 0,
        },
      }
      if ((current?.version ?? 0) !== version) return conflict
      if (current) {
        const { count } = await tx.target.updateMany({
          where: { id: current.id, version },
          data: { value, version: { increment: 1 } },
        })
        if (count === 0) return conflict
      } else {
        await tx.target.create({ data: { year, metric, value } })
      }
      await tx.targetChange.create({
        data: { year, metric, previous: current?.value ?? null, value, actorId },
      })
      return { ok: true as const }
    })
  } catch (error) {
    // Two first settings of the same target at once: the second finds the first's row.
    if (!isUniqueViolation(error)) throw error
    const now = await prisma.target.findUnique({ where: { year_metric: { year, metric } } })
    return {
      ok: false,
      conflict: { value: now ? Number(now.value) : null, version: now?.version ?? 0 },
    }
  }
}

/** Records a figure reported to the bureau; a correction is simply a newer report. */
export async function reportActual(
  reportedById: string,
  input: { year: number; metric: TargetMetric; value: number; source: string; asOf: Date },
) {
  if (!isReportedMetric(input.metric)) {
    throw new Error(`${TARGET_DEFINITIONS[input.metric].label}由平台统计，不接受上报`)
  }
  await prisma.reportedActual.create({ data: { ...input, reportedById } })
}
