import type { TargetMetric } from '~/generated/prisma/enums'

/**
 * The work plan's yearly targets: what each one means, the unit people enter and read it in,
 * and whether the platform measures it from its own records or the bureau reports it.
 */

/** How a figure is entered and read: yuan as 亿元, a share as a percentage, or a plain count. */
export type TargetUnit = 'yi' | 'percent' | 'count'

export interface TargetDefinition {
  label: string
  unit: TargetUnit
  /** What the count counts (家, 人, 件), for count units. */
  noun?: string
  /** 'platform': computed from deals and enquiries; 'reported': entered with source and date. */
  measured: 'platform' | 'reported'
  /** The 2014 work plan's figure, the default for a new year. */
  plan: number
  /** How the plan words it. */
  planWording: string
}

export const TARGET_DEFINITIONS = {
  trade_value: {
    label: '技术合同成交额',
    unit: 'yi',
    measured: 'platform',
    plan: 50_000_000_000,
    planWording: '全市技术成果交易额突破 500 亿元',
  },
  local_conversion_rate: {
    label: '科技成果就地转化率',
    unit: 'percent',
    measured: 'platform',
    plan: 0.3,
    planWording: '科技成果就地转化率达到 30%',
  },
  talent_researchers: {
    label: '服务企业的高校院所科研人员',
    unit: 'count',
    noun: '人',
    measured: 'platform',
    plan: 1000,
    planWording: '高校院所人才服务企业工程：1000 名科研人员',
  },
  talent_enterprises: {
    label: '接受高校院所人才服务的企业',
    unit: 'count',
    noun: '家',
    measured: 'platform',
    plan: 100,
    planWording: '高校院所人才服务企业工程：服务 100 家工业企业',
  },
  new_high_tech_enterprises: {
    label: '新增经认定高新技术企业',
    unit: 'count',
    noun: '家',
    measured: 'reported',
    plan: 100,
    planWording: '新增经认定高新技术企业 100 家',
  },
  little_giants: {
    label: '经认定的科技企业小巨人总数',
    unit: 'count',
    noun: '家',
    measured: 'reported',
    plan: 300,
    planWording: '科技企业小巨人总数超过 300 家',
  },
  high_tech_value_added: {
    label: '高新技术产业增加值',
    unit: 'yi',
    measured: 'reported',
    plan: 70_000_000_000,
    planWording: '高新技术产业增加值 700 亿元',
  },
  invention_patent_applications: {
    label: '发明专利申请量',
    unit: 'count',
    noun: '件',
    measured: 'reported',
    plan: 20_000,
    planWording: '全市发明专利申请量超过 2 万件',
  },
  invention_patent_grants: {
    label: '发明专利授权量',
    unit: 'count',
    noun: '件',
    measured: 'reported',
    plan: 4000,
    planWording: '发明专利授权量 4000 件',
  },
} as const satisfies Record<TargetMetric, TargetDefinition>

export const TARGET_METRIC_NAMES = Object.keys(TARGET_DEFINITIONS) as TargetMetric[]

export const REPORTED_METRICS = TARGET_METRIC_NAMES.filter(
  (metric) => TARGET_DEFINITIONS[metric].measured === 'reported',
)

/** The plan's targets for a year: what a new year starts from. */
export function planTargets(year: number) {
  return TARGET_METRIC_NAMES.map((metric) => ({
    year,
    metric,
    value: TARGET_DEFINITIONS[metric].plan,
  }))
}

export function isReportedMetric(metric: TargetMetric) {
  return TARGET_DEFINITIONS[metric].measured === 'reported'
}

const YUAN_PER_YI = 100_000_000

/** A value as stored (yuan, a share of one, a count) from what a person typed in its unit. */
export function fromEnteredValue(metric: TargetMetric, entered: number) {
  const unit: TargetUnit = TARGET_DEFINITIONS[metric].unit
  if (unit === 'yi') return Math.round(entered * YUAN_PER_YI * 100) / 100
  if (unit === 'percent') return Math.round(entered * 100) / 10_000
  return entered
}

/** The stored value in the unit a person reads and enters it in. */
export function toEnteredValue(metric: TargetMetric, stored: number) {
  const unit: TargetUnit = TARGET_DEFINITIONS[metric].unit
  if (unit === 'yi') return stored / YUAN_PER_YI
  if (unit === 'percent') return stored * 100
  return stored
}

/** The largest value a person may enter in each unit (a rate is at most 100 %). */
export const ENTERED_MAXIMUM: Record<TargetUnit, number> = {
  yi: 1_000_000,
  percent: 100,
  count: 10_000_000,
}

// ---------------------------------------------------------------------------------------------
// Pace: where a figure will stand at year end, by the shape of earlier years
// ---------------------------------------------------------------------------------------------

/** A figure's value so far at a point of its year (0 = 1 January, 1 = 31 December's end). */
export interface ProgressPoint {
  at: number
  value: number
}

/** How far into `year` an instant is, in China's calendar: 0 before it begins, 1 after it ends. */
export function yearFraction(year: number, now: Date) {
  const chinaOffset = 8 * 3600_000
  const start = Date.UTC(year, 0, 1) - chinaOffset
  const end = Date.UTC(year + 1, 0, 1) - chinaOffset
  return Math.min(1, Math.max(0, (now.getTime() - start) / (end - start)))
}

/** A year's value at `at`, read off its points (straight between them, flat beyond them). */
function valueAt(points: readonly ProgressPoint[], at: number) {
  const sorted = [...points].sort((a, b) => a.at - b.at)
  const first = sorted[0]
  if (!first) return undefined
  if (at <= first.at) return first.value
  for (let index = 1; index < sorted.length; index++) {
    const before = sorted[index - 1]!
    const after = sorted[index]!
    if (at <= after.at) {
      const span = after.at - before.at
      return span === 0
        ? after.value
        : before.value + ((after.value - before.value) * (at - before.at)) / span
    }
  }
  return sorted[sorted.length - 1]!.value
}

/**
 * The share of its year-end value a figure had reached by `at` in earlier years, on average:
 * December's registrations alone are a fifth of a year, so July is not "half way". Only years
 * whose year-end value is known (a point at 1) and positive count; null when there are none.
 */
export function seasonalShare(earlierYears: readonly (readonly ProgressPoint[])[], at: number) {
  const shares = earlierYears.flatMap((points) => {
    const final = points.find((point) => point.at >= 1)?.value
    const reached = valueAt(points, at)
    return final && final > 0 && reached !== undefined ? [Math.min(1, reached / final)] : []
  })
  return shares.length > 0 ? shares.reduce((sum, share) => sum + share, 0) / shares.length : null
}

export interface Projection {
  value: number
  /** 'final': the year is over; 'seasonal': by earlier years' shape; 'linear': by time alone. */
  method: 'final' | 'seasonal' | 'linear'
}

/**
 * The year-end value a figure is on course for: what it has reached, divided by the share of
 * the year's value earlier years had reached by the same day; by the share of time elapsed
 * when there is no earlier year to learn from. None before the year has begun.
 */
export function projectYearEnd(
  actual: number,
  at: number,
  earlierYears: readonly (readonly ProgressPoint[])[],
): Projection | null {
  if (at >= 1) return { value: actual, method: 'final' }
  if (at <= 0) return null
  const share = seasonalShare(earlierYears, at)
  if (share !== null && share > 0) return { value: actual / share, method: 'seasonal' }
  return { value: actual / at, method: 'linear' }
}

/** Progress towards a target as a share, or null without a target to measure against. */
export function progressShare(actual: number | null, target: number | null | undefined) {
  return actual === null || !target ? null : actual / target
}

/** A year's progress from its monthly values: nothing on 1 January, then the running total. */
export function monthlyProgress(year: number, monthly: readonly number[]): ProgressPoint[] {
  let total = 0
  return [
    { at: 0, value: 0 },
    ...monthly.slice(0, 12).map((value, month) => {
      total += value
      const monthEnd = new Date(Date.UTC(year, month + 1, 1) - 8 * 3600_000)
      return { at: yearFraction(year, monthEnd), value: total }
    }),
  ]
}
