import { z } from 'zod'

import { isKnownFieldCode } from '~/domain/reference'
import { CooperationMode, TransferMode } from '~/generated/prisma/enums'

import { AMOUNT_BANDS, type DocumentKind } from '../../search/documents'
import { SEARCH_SORTS, type SearchSort } from '../../search/settings'

import { keywordsSchema, requiredText, wanSchema, yuanSchema } from './listings'

/**
 * What a search may ask, for the search page and the JSON API alike. The page drops what it
 * cannot use (a shared link with a stale filter still shows results); the API refuses it
 * with a 400 that names the parameter. A query is only ever text to be analysed: no part of
 * it becomes a filter.
 */

export const SEARCH_KINDS = ['results', 'needs', 'experts'] as const
export type SearchKind = (typeof SEARCH_KINDS)[number]

export const KIND_OF: Record<SearchKind, DocumentKind> = {
  results: 'result',
  needs: 'need',
  experts: 'expert',
}

export const MAX_QUERY_LENGTH = 2_000
/** Pages of a search past this are not offered: nobody reads the 5,000th hit. */
export const MAX_SEARCH_PAGE = 250
export const SEARCH_PAGE_SIZE = 20
export const AMOUNT_BAND_NAMES = [...AMOUNT_BANDS.map((band) => band.band), 'negotiable'] as const

const modesOf: Record<SearchKind, readonly string[]> = {
  results: Object.values(TransferMode),
  needs: Object.values(CooperationMode),
  experts: [],
}

/** The sorts each kind offers: experts have no date or price to sort by. */
export const SORTS_OF: Record<SearchKind, readonly SearchSort[]> = {
  results: SEARCH_SORTS,
  needs: SEARCH_SORTS,
  experts: ['relevance'],
}

const wholeNumber = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, `${name}应为整数`)
    .transform(Number)
    .pipe(z.number().min(min, `${name}不能小于 ${min}`).max(max, `${name}不能大于 ${max}`))

export function searchParamsSchema(kind: SearchKind) {
  return z.object({
    q: z
      .string()
      .max(MAX_QUERY_LENGTH, `搜索词不能超过 ${MAX_QUERY_LENGTH} 个字符`)
      .transform((query) => query.trim())
      .default(''),
    field: z.string().refine(isKnownFieldCode, '技术领域代码不存在').optional(),
    trl: (kind === 'results'
      ? wholeNumber('技术成熟度', 1, 9)
      : z.never({ message: '只有科技成果可按技术成熟度筛选' })
    ).optional(),
    region: z
      .string()
      .regex(/^\d{6}$/, '区县代码应为 6 位数字')
      .optional(),
    local: z.enum(['true', 'false'], { message: '本地筛选只能是 true 或 false' }).optional(),
    mode: z
      .string()
      .refine((mode) => modesOf[kind].includes(mode), '合作方式不在可选范围内')
      .optional(),
    band: z.enum(AMOUNT_BAND_NAMES, { message: '金额区间不在可选范围内' }).optional(),
    sort: z.enum(SORTS_OF[kind], { message: '排序方式不在可选范围内' }).default('relevance'),
    page: wholeNumber('页码', 1, MAX_SEARCH_PAGE).default(1),
    limit: wholeNumber('每页条数', 1, 100).default(SEARCH_PAGE_SIZE),
  })
}

export type SearchParams = z.infer<ReturnType<typeof searchParamsSchema>>

/**
 * The search page's reading of its address: each parameter that does not validate is left
 * out, so that the rest still applies.
 */
export function readSearchParams(kind: SearchKind, searchParams: URLSearchParams): SearchParams {
  const schema = searchParamsSchema(kind)
  const raw = Object.fromEntries(
    [...searchParams].filter(([name, value]) => name !== 'kind' && value !== ''),
  )
  const parsed = schema.safeParse(raw)
  if (parsed.success) return parsed.data
  const invalid = new Set(parsed.error.issues.map((issue) => String(issue.path[0])))
  const kept = Object.fromEntries(Object.entries(raw).filter(([name]) => !invalid.has(name)))
  if (invalid.has('q')) kept.q = raw.q!.slice(0, MAX_QUERY_LENGTH)
  return schema.parse(kept)
}

/** A match request's body may be this large; a need is text, not a document. */
export const MATCH_BODY_LIMIT = 32 * 1024

/** A need to match without an account: the API's JSON body, in yuan. */
export const matchRequestSchema = z.object(
  {
    title: requiredText('需求名称（title）', 100, 4),
    description: requiredText('需求描述（description）', 5_000, 10),
    field: z
      .string({ message: '技术领域（field）应为领域代码' })
      .refine(isKnownFieldCode, '技术领域（field）代码不存在')
      .optional(),
    keywords: keywordsSchema.optional(),
    budgetMax: yuanSchema('预算上限（budgetMax）'),
    regionCode: z
      .string({ message: '所在地区（regionCode）应为 6 位数字' })
      .regex(/^\d{6}$/, '所在地区（regionCode）应为 6 位数字')
      .optional(),
  },
  { message: '请求体应为一个 JSON 对象，如 {"title": …, "description": …}' },
)

/** The same need typed on the public match page: the budget in 万元. */
export const matchFormSchema = matchRequestSchema.extend({ budgetMax: wanSchema('预算上限') })
