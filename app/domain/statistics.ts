import type { OrgKind } from '~/generated/prisma/enums'

import { LOCAL_CITY_PREFIX, LOCAL_PROVINCE_PREFIX } from './constants'

/**
 * What the bureau's figures can be filtered and broken down by: the rules, written once, that
 * the statistics model, the API, the CLI and the dashboard follow.
 */

/** Where "local" ends: the city (Xi'an, 6101) or the province (Shaanxi, 61). */
export const LOCALITY_SCOPES = {
  city: { prefix: LOCAL_CITY_PREFIX, label: '西安市' },
  province: { prefix: LOCAL_PROVINCE_PREFIX, label: '陕西省' },
} as const
export type LocalityScope = keyof typeof LOCALITY_SCOPES

/** The dimensions a breakdown is made along, with the names people read. */
export const STAT_DIMENSIONS = {
  month: '月份',
  contractType: '合同类别',
  subType: '合同子类',
  field: '技术领域',
  sellerKind: '卖方类型',
  buyerKind: '买方类型',
  sellerRegion: '卖方所在地',
  buyerRegion: '买方所在地',
  broker: '技术经纪人',
} as const
export type StatDimension = keyof typeof STAT_DIMENSIONS
export const STAT_DIMENSION_NAMES = Object.keys(STAT_DIMENSIONS) as StatDimension[]

/** The calendar year in China, where the bureau's statistics are kept. */
export function currentYear(now = new Date()) {
  return Number(now.toLocaleString('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' }))
}

/** A calendar month, as 'YYYY-MM'. */
export type MonthKey = `${number}-${number}`

export const MONTH_KEY = /^(\d{4})-(0[1-9]|1[0-2])$/

/** The months a filter covers, both ends included. */
export interface Period {
  from: MonthKey
  to: MonthKey
}

/** A period may span at most this many years: enough for any trend the bureau compares. */
export const MAX_PERIOD_YEARS = 30

export function monthIndex(month: MonthKey) {
  const [, year, number] = MONTH_KEY.exec(month)!
  return Number(year) * 12 + Number(number) - 1
}

export function monthKey(index: number): MonthKey {
  const year = Math.floor(index / 12)
  return `${year}-${String((index % 12) + 1).padStart(2, '0')}` as MonthKey
}

/** The first day of the period and the first day after it, as dates (UTC midnight). */
export function periodBounds(period: Period) {
  const start = monthIndex(period.from)
  const end = monthIndex(period.to) + 1
  return {
    from: new Date(Date.UTC(Math.floor(start / 12), start % 12, 1)),
    to: new Date(Date.UTC(Math.floor(end / 12), end % 12, 1)),
  }
}

/** A whole year, a quarter (1–4) of it, or one month (1–12) of it. */
export function periodOf(year: number, part?: { quarter?: number; month?: number }): Period {
  if (part?.month) {
    const month = monthKey(year * 12 + part.month - 1)
    return { from: month, to: month }
  }
  if (part?.quarter) {
    const first = year * 12 + (part.quarter - 1) * 3
    return { from: monthKey(first), to: monthKey(first + 2) }
  }
  return { from: monthKey(year * 12), to: monthKey(year * 12 + 11) }
}

/** The same months one year earlier: the comparison every trend is read against. */
export function samePeriodLastYear(period: Period): Period {
  return { from: monthKey(monthIndex(period.from) - 12), to: monthKey(monthIndex(period.to) - 12) }
}

/**
 * The value of a filter that asks for "none": deals with no sub-type, no field or no broker.
 * A breakdown row whose key is '' drills down with it.
 */
export const NONE = 'none'

export interface StatFilters {
  period: Period
  scope: LocalityScope
  /** A top-level high-tech field ('80'), or NONE. */
  field?: string
  contractType?: string
  /** A sub-type (委托开发 …), or NONE. */
  subType?: string
  sellerKind?: OrgKind
  buyerKind?: OrgKind
  /** A 6-digit region code of the seller or of the buyer, as frozen at signing. */
  sellerRegion?: string
  buyerRegion?: string
  /** A broker's user id, or NONE for deals made without one. */
  broker?: string
}

/** The filters that select the deals behind one breakdown row. */
export function drillDownFilters(
  filters: StatFilters,
  dimension: StatDimension,
  key: string,
): StatFilters {
  if (dimension === 'month') {
    return { ...filters, period: { from: key as MonthKey, to: key as MonthKey } }
  }
  const value = key === '' ? NONE : key
  const name = (
    {
      contractType: 'contractType',
      subType: 'subType',
      field: 'field',
      sellerKind: 'sellerKind',
      buyerKind: 'buyerKind',
      sellerRegion: 'sellerRegion',
      buyerRegion: 'buyerRegion',
      broker: 'broker',
    } as const
  )[dimension]
  return { ...filters, [name]: value }
}

/** A share, or null when there is nothing to take a share of. */
export function shareOf(part: number, whole: number) {
  return whole > 0 ? part / whole : null
}
