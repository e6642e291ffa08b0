import { z } from 'zod'

import { TEXT_LIMITS } from '~/domain/limits'
import { highTechFields } from '~/domain/reference'
import {
  LOCALITY_SCOPES,
  MAX_PERIOD_YEARS,
  NONE,
  MONTH_KEY,
  monthIndex,
  periodOf,
  STAT_DIMENSION_NAMES,
  type LocalityScope,
  type MonthKey,
  type StatDimension,
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
        z.enum([NONE, ...highTechFields.map((field) => field.code)], {
          message: '技术领域（field）应为两位领域代码（如 80）或 none',
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
      subType: optional(
        z
          .string()
          .trim()
          .max(
            TEXT_LIMITS.contractSubType,
            `合同子类（subType）不能超过 ${TEXT_LIMITS.contractSubType} 个字符`,
          ),
      ),
      buyerKind: optional(
        z.enum(Object.values(OrgKind), {
          message:
            '买方类型（buyerKind）应为 university、institute、enterprise、broker_agency 或 government',
        }),
      ),
      sellerRegion: optional(regionCodeSchema),
      buyerRegion: optional(regionCodeSchema),
      broker: optional(
        z.string().regex(/^[a-z0-9]{1,40}$/, '技术经纪人（broker）应为账号编号或 none'),
      ),
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
    ...(query.subType ? { subType: query.subType } : {}),
    ...(query.buyerKind ? { buyerKind: query.buyerKind } : {}),
    ...(query.sellerRegion ? { sellerRegion: query.sellerRegion } : {}),
    ...(query.buyerRegion ? { buyerRegion: query.buyerRegion } : {}),
    ...(query.broker ? { broker: query.broker } : {}),
  }
}

/** The query string that asks for `filters` again (the period as months), for links. */
export function toStatQuery(filters: StatFilters) {
  const { period, scope, ...rest } = filters
  const params = new URLSearchParams({ from: period.from, to: period.to })
  if (scope !== 'city') params.set('scope', scope)
  for (const [name, value] of Object.entries(rest)) if (value) params.set(name, value)
  return params
}

export const statDimensionSchema = z.enum(STAT_DIMENSION_NAMES, {
  message: `统计维度应为：${STAT_DIMENSION_NAMES.join('、')}`,
})

/** Parameters of the dashboard's pages that are not filters. */
const PAGE_PARAMETERS = new Set(['by', 'page', 'format'])

/**
 * The filters of a dashboard page's address, and the dimension it breaks down by (`by`,
 * contract types unless given); empty parameters (a GET form sends every field) mean "all".
 * Refusals name their parameter, as the API's do.
 */
export function readStatFilters(
  searchParams: URLSearchParams,
  defaultYear: number,
): { ok: true; filters: StatFilters; by: StatDimension } | { ok: false; errors: string[] } {
  const raw: Record<string, string> = {}
  for (const [name, value] of searchParams) {
    if (!PAGE_PARAMETERS.has(name) && value.trim() !== '') raw[name] = value
  }
  const parsed = statsQuerySchema.safeParse(raw)
  const by = statDimensionSchema.safeParse(searchParams.get('by') || 'contractType')
  const errors = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => issue.message)),
    ...(by.success ? [] : [by.error.issues[0]!.message]),
  ]
  if (!parsed.success || !by.success) return { ok: false, errors }
  return { ok: true, filters: toStatFilters(parsed.data, defaultYear), by: by.data }
}
