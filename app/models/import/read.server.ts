// Reading an import file into rows keyed by column: decoding, JSON Lines or CSV, and the CSV
// header checked against the columns of the kind. Nothing here knows the database.
import type { z } from 'zod'

import { csvRecordsToObjects, decodeText, parseCsv, parseJsonLines } from '~/utils/tabular'
import { importSchemas, type ImportKind } from '~/validation/listings'

import type { ImportProblem } from './report.server'

export type ImportFormat = 'csv' | 'jsonl'

export interface ImportSource {
  format: ImportFormat
  bytes: Uint8Array
}

export interface RawRow {
  row: number
  values: Record<string, unknown>
}

/** Columns a CSV file holds as `;`-separated lists. */
const LIST_COLUMNS: ReadonlySet<string> = new Set([
  'fields',
  'keywords',
  'patentNos',
  'transferModes',
  'cooperationModes',
])

/** The columns a file of this kind may have, as named in DESIGN.md. */
export function getImportColumns(kind: ImportKind) {
  const shape: Record<string, z.ZodType> = importSchemas[kind].shape
  const all = Object.keys(shape)
  // A column is required when its schema refuses a missing value: the schemas stay the only
  // statement of what a row needs.
  const required = all.filter((column) => !shape[column]?.safeParse(undefined).success)
  return { all, required }
}

export function readRows(kind: ImportKind, source: ImportSource) {
  const problems: ImportProblem[] = []
  const rows: RawRow[] = []
  const decoded = decodeText(source.bytes)
  if (!decoded.ok) {
    problems.push({ row: null, field: '', message: decoded.message })
    return { rows, problems }
  }
  const columns = getImportColumns(kind)

  if (source.format === 'jsonl') {
    const parsed = parseJsonLines(decoded.text)
    for (const problem of parsed.problems) problems.push({ ...problem, field: '' })
    const known = new Set(columns.all)
    for (const { row, value } of parsed.rows) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push({ row, field: '', message: '每行应为一个 JSON 对象（{…}）' })
        continue
      }
      const values: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) {
        if (!known.has(key)) {
          problems.push({ row, field: key, message: `未知字段“${key}”，请检查拼写` })
        } else if (item !== null) {
          // null is how JSON exporters write "not given", as a blank cell is in CSV.
          values[key] = item
        }
      }
      rows.push({ row, values })
    }
    return { rows, problems }
  }

  const parsed = parseCsv(decoded.text)
  const [headerRecord, ...records] = parsed.records
  if (!headerRecord) return { rows, problems }
  const header = headerRecord.cells.map((cell) => cell.trim())
  const headerProblems = checkHeader(header, columns)
  if (headerProblems.length > 0) {
    for (const message of headerProblems) {
      problems.push({ row: headerRecord.row, field: '', message })
    }
    return { rows, problems }
  }
  for (const problem of parsed.problems) problems.push({ ...problem, field: '' })
  const objects = csvRecordsToObjects(header, records, LIST_COLUMNS)
  for (const problem of objects.problems) problems.push({ ...problem, field: '' })
  rows.push(...objects.rows)
  return { rows, problems }
}

/** A header names each column once, only known ones, and every required one. */
export function checkHeader(
  header: readonly string[],
  columns: { all: readonly string[]; required: readonly string[] },
) {
  const messages: string[] = []
  const known = new Set(columns.all)
  // One pass with a set: a header of 100,000 cells is checked in milliseconds, where comparing
  // every cell with every other took 20 seconds.
  const seen = new Set<string>()
  const unknown = new Set<string>()
  const duplicated = new Set<string>()
  for (const column of header) {
    if (seen.has(column)) duplicated.add(column)
    else seen.add(column)
    if (!known.has(column)) unknown.add(column)
  }
  const missing = columns.required.filter((column) => !seen.has(column))
  if (unknown.size > 0) {
    messages.push(
      `表头有未知的列：${listColumns([...unknown].map((column) => column || '（空）'))}` +
        `（可用的列：${columns.all.join('、')}）`,
    )
  }
  if (duplicated.size > 0) messages.push(`表头中的列重复：${listColumns([...duplicated])}`)
  if (missing.length > 0) messages.push(`表头缺少必填列：${missing.join('、')}`)
  return messages
}

const LISTED_COLUMNS = 20

/** Names columns, the first few of a long list and how many there are in all. */
function listColumns(columns: readonly string[]) {
  const shown = columns.slice(0, LISTED_COLUMNS).join('、')
  return columns.length > LISTED_COLUMNS ? `${shown} 等 ${columns.length} 列` : shown
}
