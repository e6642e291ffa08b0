// Row validation: every row against the same Zod schema the forms use, plus what PostgreSQL
// could not store. Rows that fail still yield the reference fields that are valid on their own,
// so that a row's reference problems are reported in the same run.
import { z } from 'zod'

import { importSchemas, type ImportKind } from '~/validation/listings'

import type { RawRow } from './read.server'
import type { ImportProblem } from './report.server'

export type RowOf<K extends ImportKind> = z.output<(typeof importSchemas)[K]>

export interface Candidate<T> {
  row: number
  /** The parsed row, when it passed its schema and the importer's own checks. */
  data: T | undefined
  /**
   * Reference and key fields that are valid on their own, also for rows that failed their
   * schema, so that a row's reference problems are reported in the same run.
   */
  fields: Partial<T>
}

export type ImportPhase = 'validate' | 'write'
export type ProgressListener = (phase: ImportPhase, done: number, total: number) => void

const REFERENCE_FIELDS: Record<ImportKind, string[]> = {
  orgs: ['externalId', 'name', 'creditCode'],
  experts: ['externalId', 'org'],
  results: ['externalId', 'org', 'leadExpert'],
  needs: ['externalId', 'org'],
  deals: ['externalId', 'sellerOrg', 'buyerOrg', 'result', 'need', 'broker', 'registrationNo'],
}

// PostgreSQL text cannot hold NUL, and jsonb refuses unpaired surrogates (which JSON escapes
// such as "\ud800" produce); both would otherwise fail the write instead of the validation.
const SUSPECT_TEXT = /[\0\uD800-\uDFFF]/
const UNSTORABLE_TEXT = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
/** A cheap scan first: almost no text holds NUL or surrogates (CJK is in the BMP). */
const isStorable = (text: string) => !SUSPECT_TEXT.test(text) || !UNSTORABLE_TEXT.test(text)
const MIN_YEAR = 1900
const MAX_YEAR = 2199
const PROGRESS_EVERY = 1000
export const CHINA_OFFSET_MS = 8 * 3_600_000
const zhErrors = z.locales.zhCN().localeError

export function validateRows(
  kind: ImportKind,
  rows: RawRow[],
  problems: ImportProblem[],
  onProgress: ProgressListener | undefined,
): Candidate<Record<string, unknown>>[] {
  const schema = importSchemas[kind]
  const shape: Record<string, z.ZodType> = schema.shape
  // Zod skips the schema of a key that is absent; naming every key makes refinements such as
  // "contract amount must be positive" run for a missing value too.
  const blank = Object.fromEntries(Object.keys(shape).map((key) => [key, undefined]))
  const referenceFields = REFERENCE_FIELDS[kind]
  const candidates: Candidate<Record<string, unknown>>[] = []

  rows.forEach(({ row, values }, index) => {
    const parsed = schema.safeParse({ ...blank, ...values }, { error: zhErrors })
    let data: Record<string, unknown> | undefined
    if (parsed.success) {
      data = parsed.data as Record<string, unknown>
      const before = problems.length
      checkStorable(row, data, problems)
      if (problems.length > before) data = undefined
    } else {
      const seen = new Set<string>()
      for (const issue of parsed.error.issues) {
        const field = typeof issue.path[0] === 'string' ? issue.path[0] : ''
        const key = `${field}\u0000${issue.message}`
        if (seen.has(key)) continue
        seen.add(key)
        problems.push({ row, field, message: issue.message })
      }
    }
    let fields: Record<string, unknown> = {}
    if (data) {
      fields = data
    } else {
      for (const field of referenceFields) {
        const single = shape[field]?.safeParse(values[field])
        // Text PostgreSQL cannot hold could not even be looked up.
        const storable = typeof single?.data !== 'string' || isStorable(single.data)
        if (single?.success && single.data !== undefined && storable) fields[field] = single.data
      }
    }
    candidates.push({ row, data, fields })
    if ((index + 1) % PROGRESS_EVERY === 0 || index + 1 === rows.length) {
      onProgress?.('validate', index + 1, rows.length)
    }
  })
  return candidates
}

function checkStorable(row: number, data: Record<string, unknown>, problems: ImportProblem[]) {
  for (const [field, value] of Object.entries(data)) {
    const texts = typeof value === 'string' ? [value] : Array.isArray(value) ? value : []
    if (texts.some((text) => typeof text === 'string' && !isStorable(text))) {
      problems.push({ row, field, message: '含有无法保存的字符（空字符或残缺的 Unicode 字符）' })
    }
    if (value instanceof Date) {
      const year = new Date(value.getTime() + CHINA_OFFSET_MS).getUTCFullYear()
      if (!(year >= MIN_YEAR && year <= MAX_YEAR)) {
        problems.push({ row, field, message: `日期超出可接受的范围（${MIN_YEAR}–${MAX_YEAR} 年）` })
      }
    }
  }
}
