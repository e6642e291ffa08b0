import { z } from 'zod'

import {
  ENTERED_MAXIMUM,
  fromEnteredValue,
  isReportedMetric,
  TARGET_DEFINITIONS,
  TARGET_METRIC_NAMES,
} from '~/domain/targets'
import type { TargetMetric } from '~/generated/prisma/enums'

import { requiredText } from './listings'

export const TARGET_INTENTS = { target: 'set-target', report: 'report-actual' } as const

/** Years the bureau plans for, as the database allows them. */
export const TARGET_YEARS = { min: 2000, max: 2100 } as const

const yearSchema = z.coerce
  .number({ message: '年份应为数字' })
  .int('年份应为整数')
  .min(TARGET_YEARS.min, `年份应在 ${TARGET_YEARS.min}–${TARGET_YEARS.max} 之间`)
  .max(TARGET_YEARS.max, `年份应在 ${TARGET_YEARS.min}–${TARGET_YEARS.max} 之间`)

const metricSchema = z.enum(TARGET_METRIC_NAMES as [TargetMetric, ...TargetMetric[]], {
  message: '指标不存在',
})

/** A value as typed (亿元, %, a count): blank, words, negative or beyond reason are refused. */
const enteredValueSchema = (name: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().replace(/,/g, '') : value),
    z
      .string({ message: `请填写${name}` })
      .min(1, `请填写${name}`)
      .regex(/^[+-]?(\d+(\.\d*)?|\.\d+)$/, `${name}应为数字`)
      .transform(Number)
      .pipe(z.number().min(0, `${name}不能为负数`)),
  )

/** Bounds that depend on the metric's unit, and the value converted to how it is stored. */
function withinUnit<T extends { metric: TargetMetric; value: number }>(name: string) {
  return (input: T, ctx: z.RefinementCtx) => {
    const { unit } = TARGET_DEFINITIONS[input.metric]
    if (input.value > ENTERED_MAXIMUM[unit]) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `${name}不能超过 ${ENTERED_MAXIMUM[unit].toLocaleString('zh-CN')}${unitWord[unit]}`,
      })
    }
    if (unit === 'count' && !Number.isInteger(input.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${name}应为整数` })
    }
  }
}

const unitWord = { yi: ' 亿元', percent: '%', count: '' } as const

/** A target set from the version its editor saw (0 when the year had none). */
export const targetEditSchema = z
  .object({
    year: yearSchema,
    metric: metricSchema,
    value: enteredValueSchema('目标值'),
    version: z.coerce
      .number({ message: '版本号缺失，请刷新页面后重试' })
      .int('版本号缺失，请刷新页面后重试')
      .min(0, '版本号缺失，请刷新页面后重试'),
  })
  .superRefine(withinUnit('目标值'))
  .transform((input) => ({ ...input, value: fromEnteredValue(input.metric, input.value) }))

function startOfTodayInChina(now = new Date()) {
  return now.toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' })
}

/** A figure reported to the bureau, with where it comes from and which day it stands at. */
export const reportSchema = z
  .object({
    year: yearSchema,
    metric: metricSchema.refine(isReportedMetric, '这个指标由平台根据交易记录统计，不需要上报'),
    value: enteredValueSchema('上报数值'),
    source: requiredText('数据来源', 100, 2),
    asOf: z
      .string({ message: '请填写截至日期' })
      .regex(/^\d{4}-\d{2}-\d{2}$/, '截至日期格式不正确（应如 2026-06-30）')
      .refine((day) => {
        const date = new Date(`${day}T00:00:00Z`)
        return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day
      }, '截至日期不存在（应如 2026-06-30）')
      .refine((day) => day <= startOfTodayInChina(), '截至日期不能晚于今天'),
  })
  .superRefine(withinUnit('上报数值'))
  .superRefine((input, ctx) => {
    const year = Number(input.asOf.slice(0, 4))
    if (year < input.year || year > input.year + 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['asOf'],
        message: `截至日期应在 ${input.year} 年或次年（年报）之内`,
      })
    }
  })
  .transform((input) => ({
    ...input,
    value: fromEnteredValue(input.metric, input.value),
    asOf: new Date(`${input.asOf}T00:00:00Z`),
  }))
