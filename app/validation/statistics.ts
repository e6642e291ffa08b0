import { z } from 'zod'

import { highTechFields } from '~/domain/reference'
import {
  LOCALITY_SCOPES,
  MAX_PERIOD_YEARS,
  MONTH_KEY,
  monthIndex,
  periodOf,
  STAT_DIMENSION_NAMES,
  type LocalityScope,
  type MonthKey,
  type StatFilters,
} from '~/domain/statistics'
import { ContractType, OrgKind } from '~/generated/prisma/enums'

import { regionCodeSchema } from './account'

// The filters of the bureau's figures, as the dashboard's URL, the API's query and the CLI's
// options give them: every message names its parameter.

const blankToUndefined = (value: unknown) => (value === '' ? undefined : value)

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(blankToUndefined, schema.optional())

const wholeNumber = (name: string, min: number, max: number) =>
  z.coerce
    .number({ message: `${name}应为 ${min}–${max} 的整数` })
    .int(`${name}应为 ${min}–${max} 的整数`)
    .min(min, `${name}应为 ${min}–${max} 的整数`)
    .max(max, `${name}应为 ${min}–${max} 的整数`)

const monthSchema = z
  .string()
  .regex(MONTH_KEY, '月份应写作 YYYY-MM（如 2026-03）')
  .transform((value) => value as MonthKey)

export const statsQuerySchema = z
  .strictObject(
    {
      year: optional(wholeNumber('年份（year）', 2000, 2100)),
      quarter: optional(wholeNumber('季度（quarter）', 1, 4)),
      month: optional(wholeNumber('月份（month）', 1, 12)),
      from: optional(monthSchema),
      to: optional(monthSchema),
      scope: optional(
        z.enum(Object.keys(LOCALITY_SCOPES) as [LocalityScope, ...LocalityScope[]], {
          message: '本地范围（scope）应为 city（西安市）或 province（陕西省）',
        }),
      ),
      field: optional(
        z.enum(highTechFields.map((field) => field.code) as [string, ...string[]], {
          message: '技术领域（field）应为两位领域代码，如 80',
        }),
      ),
      contractType: optional(
        z.enum(Object.values(ContractType), {
          message:
            '合同类别（contractType）应为 development、transfer、license、consulting 或 service',
        }),
      ),
      sellerKind: optional(
        z.enum(Object.values(OrgKind), {
          message:
            '卖方类型（sellerKind）应为 university、institute、enterprise、broker_agency 或 government',
        }),
      ),
      sellerRegion: optional(regionCodeSchema),
      buyerRegion: optional(regionCodeSchema),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys' ? `不支持的参数：${issue.keys.join('、')}` : undefined,
    },
  )
  .superRefine((query, ctx) => {
    if (query.quarter && query.month) {
      ctx.addIssue({
        code: 'custom',
        path: ['month'],
        message: '季度（quarter）和月份（month）只能填一个',
      })
    }
    const byMonths = query.from !== undefined || query.to !== undefined
    if (byMonths && (query.year || query.quarter || query.month)) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: '按起止月份（from、to）或按年份（year）查询，二者选一',
      })
    }
    if (byMonths && (!query.from || !query.to)) {
      ctx.addIssue({
        code: 'custom',
        path: [query.from ? 'to' : 'from'],
        message: '起止月份（from、to）须同时填写',
      })
    }
    if (!byMonths && (query.quarter || query.month) && !query.year) {
      ctx.addIssue({
        code: 'custom',
        path: ['year'],
        message: '按季度或月份查询时须填写年份（year）',
      })
    }
    // Refinements run even when a field failed: compare only months that are well formed.
    if (query.from && query.to && MONTH_KEY.test(query.from) && MONTH_KEY.test(query.to)) {
      if (monthIndex(query.from) > monthIndex(query.to)) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: '结束月份（to）不能早于起始月份（from）',
        })
      } else if (monthIndex(query.to) - monthIndex(query.from) >= MAX_PERIOD_YEARS * 12) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `查询区间不能超过 ${MAX_PERIOD_YEARS} 年`,
        })
      }
    }
  })

/** The filters a valid query means; a query without a period asks for `defaultYear`. */
export function toStatFilters(
  query: z.infer<typeof statsQuerySchema>,
  defaultYear: number,
): StatFilters {
  const period =
    query.from && query.to
      ? { from: query.from, to: query.to }
      : periodOf(query.year ?? defaultYear, { quarter: query.quarter, month: query.month })
  return {
    period,
    scope: query.scope ?? 'city',
    ...(query.field ? { field: query.field } : {}),
    ...(query.contractType ? { contractType: query.contractType } : {}),
    ...(query.sellerKind ? { sellerKind: query.sellerKind } : {}),
    ...(query.sellerRegion ? { sellerRegion: query.sellerRegion } : {}),
    ...(query.buyerRegion ? { buyerRegion: query.buyerRegion } : {}),
  }
}

export const statDimensionSchema = z.enum(STAT_DIMENSION_NAMES, {
  message: `统计维度应为：${STAT_DIMENSION_NAMES.join('、')}`,
})
