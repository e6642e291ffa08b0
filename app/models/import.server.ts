import { readFile } from 'node:fs/promises'
import path from 'node:path'

import { z } from 'zod'

import { LISTING_TTL_DAYS } from '~/domain/constants'
import type { Prisma } from '~/generated/prisma/client'
import type { SearchEntity } from '~/generated/prisma/enums'
import { prisma } from '~/utils/db.server'
import { contractTypeLabels } from '~/utils/labels'
import { csvRecordsToObjects, decodeText, parseCsv, parseJsonLines } from '~/utils/tabular'
import { importSchemas, type ImportKind } from '~/validation/listings'

import { createId } from './bulk.server'

// The bulk importer behind `cli import`. Every row is checked before anything is written:
// first the same Zod schema the forms use, then the references and uniqueness rules that need
// the database, checked for all rows at once. Only a file without a single problem is written,
// in one transaction, with set-based upserts keyed by externalId, so that a second run of the
// same file changes nothing.

export type { ImportKind }
export const IMPORT_KINDS = Object.keys(importSchemas) as ImportKind[]

/** One problem of an import file; `row` is null for the file as a whole, `field` '' for a row. */
export interface ImportProblem {
  row: number | null
  field: string
  message: string
}

export type ImportFormat = 'csv' | 'jsonl'

export interface ImportSource {
  format: ImportFormat
  bytes: Uint8Array
}

export type ImportPhase = 'validate' | 'write'

export interface ImportOptions {
  dryRun?: boolean
  onProgress?: (phase: ImportPhase, done: number, total: number) => void
}

export type ImportOutcome =
  | { ok: false; rows: number; problems: ImportProblem[] }
  | {
      ok: true
      dryRun: boolean
      rows: number
      inserted: number
      updated: number
      unchanged: number
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

const BATCH_ROWS = 5000
// A batch also ends at this many characters of JSON, so long descriptions cannot make one
// statement's parameter unreasonably large.
const BATCH_CHARS = 16_000_000
const PROGRESS_EVERY = 1000
const DAY_MS = 86_400_000
const CHINA_OFFSET_MS = 8 * 3_600_000
const TRANSACTION_TIMEOUT_MS = 60 * 60_000
const zhErrors = z.locales.zhCN().localeError

/** Reads a `.jsonl` or `.csv` file and imports it (see `importRows`). */
export async function importFile(
  kind: ImportKind,
  file: string,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const extension = path.extname(file).toLowerCase()
  const format = extension === '.csv' ? 'csv' : extension === '.jsonl' ? 'jsonl' : undefined
  if (!format) {
    return fileProblem(
      `不支持的文件类型“${extension || '（无扩展名）'}”：请使用 .jsonl 或 .csv 文件`,
    )
  }
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return fileProblem(code === 'ENOENT' ? `文件不存在：${file}` : `无法读取文件：${file}`)
  }
  return importRows(kind, { format, bytes }, options)
}

/**
 * Validates every row, then (unless `dryRun`) writes them all in one transaction. Returns a
 * report instead of throwing for anything wrong with the input; when it does, nothing has
 * been written.
 */
export async function importRows(
  kind: ImportKind,
  source: ImportSource,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const read = readRows(kind, source)
  const candidates = validateRows(kind, read.rows, read.problems, options.onProgress)
  const rows = read.rows.length
  if (rows === 0) {
    if (read.problems.length === 0) return fileProblem('文件中没有数据行')
    return { ok: false, rows, problems: sortProblems(read.problems) }
  }

  return prisma.$transaction(
    async (tx): Promise<ImportOutcome> => {
      // References are resolved inside the writing transaction, so the ids written are the
      // ids that were checked.
      const problems = [...read.problems]
      // Each handler takes the candidates of its own kind; TypeScript cannot follow `kind`
      // from the union of handlers to their parameter types.
      const groups = await kinds[kind].check(tx, candidates as never, problems)
      if (problems.length > 0) return { ok: false, rows, problems: sortProblems(problems) }
      if (options.dryRun) {
        return { ok: true, dryRun: true, rows, inserted: 0, updated: 0, unchanged: rows }
      }
      const written = await writeGroups(tx, groups, rows, options.onProgress)
      return {
        ok: true,
        dryRun: false,
        rows,
        ...written,
        unchanged: rows - written.inserted - written.updated,
      }
    },
    { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 30_000 },
  )
}

/** The report of an invalid file, one line per problem, in row order. */
export function formatImportProblems(problems: readonly ImportProblem[]): string {
  return problems
    .map((problem) => {
      if (problem.row === null) return `文件：${problem.message}\n`
      if (!problem.field) return `第 ${problem.row} 行：${problem.message}\n`
      return `第 ${problem.row} 行 ${problem.field}：${problem.message}\n`
    })
    .join('')
}

export function formatImportSummary(outcome: ImportOutcome): string {
  if (!outcome.ok) {
    const rows = new Set(outcome.problems.flatMap((problem) => problem.row ?? [])).size
    const where = rows > 0 ? `${rows} 行共 ` : '文件有 '
    return `导入未执行：${where}${outcome.problems.length} 处问题（见上），未写入任何数据`
  }
  if (outcome.dryRun) return `校验通过：共 ${outcome.rows} 行，未写入（--dry-run）`
  return `导入完成：新增 ${outcome.inserted} 条，更新 ${outcome.updated} 条，未变 ${outcome.unchanged} 条`
}

// ---- Reading -------------------------------------------------------------------------------

interface RawRow {
  row: number
  values: Record<string, unknown>
}

function fileProblem(message: string): ImportOutcome {
  return { ok: false, rows: 0, problems: [{ row: null, field: '', message }] }
}

function readRows(kind: ImportKind, source: ImportSource) {
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

function checkHeader(header: string[], columns: { all: string[]; required: string[] }) {
  const messages: string[] = []
  const known = new Set(columns.all)
  const unknown = header.filter((column) => !known.has(column))
  const duplicated = header.filter((column, index) => header.indexOf(column) !== index)
  const missing = columns.required.filter((column) => !header.includes(column))
  if (unknown.length > 0) {
    messages.push(
      `表头有未知的列：${unknown.map((column) => column || '（空）').join('、')}` +
        `（可用的列：${columns.all.join('、')}）`,
    )
  }
  if (duplicated.length > 0) messages.push(`表头中的列重复：${[...new Set(duplicated)].join('、')}`)
  if (missing.length > 0) messages.push(`表头缺少必填列：${missing.join('、')}`)
  return messages
}

// ---- Row validation ------------------------------------------------------------------------

type RowOf<K extends ImportKind> = z.output<(typeof importSchemas)[K]>

interface Candidate<T> {
  row: number
  /** The parsed row, when it passed its schema and the importer's own checks. */
  data: T | undefined
  /**
   * Reference and key fields that are valid on their own, also for rows that failed their
   * schema, so that a row's reference problems are reported in the same run.
   */
  fields: Partial<T>
}

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

function validateRows(
  kind: ImportKind,
  rows: RawRow[],
  problems: ImportProblem[],
  onProgress: ImportOptions['onProgress'],
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

function sortProblems(problems: ImportProblem[]) {
  // Array.prototype.sort is stable: problems of one row keep the order they were found in.
  return problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0))
}

/** A calendar date in China, as PostgreSQL `date` columns store it. */
function toChinaDate(date: Date | undefined) {
  return date ? new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10) : null
}

// ---- Database checks -----------------------------------------------------------------------

type Db = Prisma.TransactionClient

interface WriteGroup {
  spec: TableSpec
  records: Record<string, unknown>[]
}

interface KindHandler<K extends ImportKind> {
  check(db: Db, candidates: Candidate<RowOf<K>>[], problems: ImportProblem[]): Promise<WriteGroup[]>
}

/** Reports the second and later rows that repeat a value which must be unique in the file. */
function reportDuplicates<T>(
  candidates: Candidate<T>[],
  field: keyof T & string,
  label: string,
  problems: ImportProblem[],
) {
  const firstRow = new Map<unknown, number>()
  for (const candidate of candidates) {
    const value = candidate.fields[field]
    if (value === undefined) continue
    const first = firstRow.get(value)
    if (first === undefined) firstRow.set(value, candidate.row)
    else {
      problems.push({
        row: candidate.row,
        field,
        message: `${label}“${String(value)}”与第 ${first} 行重复`,
      })
    }
  }
}

function distinct<T>(candidates: Candidate<T>[], ...fields: (keyof T)[]) {
  const values = new Set<string>()
  for (const candidate of candidates) {
    for (const field of fields) {
      const value = candidate.fields[field]
      if (typeof value === 'string') values.add(value)
    }
  }
  return [...values]
}

interface OrgRef {
  id: string
  name: string
  regionCode: string
}

async function findOrganizations(db: Db, names: string[]) {
  const rows = await db.$queryRawUnsafe<OrgRef[]>(
    'SELECT id, name, "regionCode" FROM "Organization" WHERE name = ANY($1::text[])',
    names,
  )
  return new Map(rows.map((row) => [row.name, row]))
}

/** Resolves an organization-name field of every row, reporting the names that do not exist. */
function resolveOrganization<T>(
  candidate: Candidate<T>,
  field: keyof T & string,
  label: string,
  organizations: Map<string, OrgRef>,
  problems: ImportProblem[],
) {
  const name = candidate.fields[field]
  if (typeof name !== 'string') return undefined
  const org = organizations.get(name)
  if (!org) {
    problems.push({
      row: candidate.row,
      field,
      message: `${label}“${name}”不存在：请先导入该单位（orgs），名称须完全一致`,
    })
  }
  return org
}

async function findByExternalId(db: Db, table: 'Result' | 'Need', externalIds: string[]) {
  const rows = await db.$queryRawUnsafe<{ id: string; externalId: string }[]>(
    `SELECT id, "externalId" FROM "${table}" WHERE "externalId" = ANY($1::text[])`,
    externalIds,
  )
  return new Map(rows.map((row) => [row.externalId, row.id]))
}

const orgsHandler: KindHandler<'orgs'> = {
  async check(db, candidates, problems) {
    reportDuplicates(candidates, 'externalId', '外部编号（externalId）', problems)
    reportDuplicates(candidates, 'name', '单位名称（name）', problems)
    reportDuplicates(candidates, 'creditCode', '统一社会信用代码（creditCode）', problems)
    const existing = await db.$queryRawUnsafe<
      { id: string; externalId: string | null; name: string; creditCode: string | null }[]
    >(
      `SELECT id, "externalId", name, "creditCode" FROM "Organization"
       WHERE "externalId" = ANY($1::text[]) OR name = ANY($2::text[])
          OR "creditCode" = ANY($3::text[])`,
      distinct(candidates, 'externalId'),
      distinct(candidates, 'name'),
      distinct(candidates, 'creditCode'),
    )
    const byExternalId = new Map(existing.map((org) => [org.externalId, org]))
    const byName = new Map(existing.map((org) => [org.name, org]))
    const byCreditCode = new Map(existing.map((org) => [org.creditCode, org]))
    const describe = (org: { externalId: string | null }) =>
      org.externalId ? `externalId 为“${org.externalId}”` : '无 externalId'
    const targetRow = new Map<string, number>()
    const byKey: WriteGroup = { spec: tableSpecs.organizationByExternalId, records: [] }
    const byNameGroup: WriteGroup = { spec: tableSpecs.organizationByName, records: [] }
    const adopting: WriteGroup = { spec: tableSpecs.organizationAdopting, records: [] }

    for (const candidate of candidates) {
      const { externalId, name, creditCode } = candidate.fields
      // Rows with an externalId update the organization that has it; rows without one update
      // the organization of the same name. Names are unique, so an organization of the same
      // name that has no externalId yet (one registered on the site) is the same one: the row
      // adopts it and gives it the externalId.
      const named = name !== undefined ? byName.get(name) : undefined
      const keyed = externalId !== undefined ? byExternalId.get(externalId) : undefined
      const target =
        externalId === undefined
          ? named
          : (keyed ?? (named?.externalId === null ? named : undefined))
      if (target) {
        const first = targetRow.get(target.id)
        if (first !== undefined) {
          problems.push({
            row: candidate.row,
            field: externalId !== undefined ? 'externalId' : 'name',
            message: `与第 ${first} 行指向同一个已有单位“${target.name}”`,
          })
        } else targetRow.set(target.id, candidate.row)
      }
      if (named && named.id !== target?.id) {
        problems.push({
          row: candidate.row,
          field: 'name',
          message: `单位名称（name）“${name}”已被另一家单位（${describe(named)}）使用`,
        })
      }
      const codeOwner = creditCode !== undefined ? byCreditCode.get(creditCode) : undefined
      if (codeOwner && codeOwner.id !== target?.id) {
        problems.push({
          row: candidate.row,
          field: 'creditCode',
          message: `统一社会信用代码（creditCode）“${creditCode}”已属于单位“${codeOwner.name}”`,
        })
      }

      const { data } = candidate
      if (!data) continue
      const group = !data.externalId ? byNameGroup : target && !keyed ? adopting : byKey
      group.records.push({
        externalId: data.externalId ?? null,
        name: data.name,
        kind: data.kind,
        creditCode: data.creditCode ?? null,
        regionCode: data.regionCode,
        zone: data.zone ?? null,
        highTech: data.highTech ?? false,
        littleGiant: data.littleGiant ?? false,
      })
    }
    return [byKey, byNameGroup, adopting]
  },
}

const expertsHandler: KindHandler<'experts'> = {
  async check(db, candidates, problems) {
    reportDuplicates(candidates, 'externalId', '外部编号（externalId）', problems)
    const organizations = await findOrganizations(db, distinct(candidates, 'org'))
    const records: Record<string, unknown>[] = []
    for (const candidate of candidates) {
      const org = resolveOrganization(candidate, 'org', '所属单位（org）', organizations, problems)
      const { data } = candidate
      if (!data || !org) continue
      records.push({
        externalId: data.externalId ?? null,
        name: data.name,
        title: data.title ?? null,
        orgId: org.id,
        fields: data.fields,
        keywords: data.keywords,
        bio: data.bio ?? null,
      })
    }
    return [{ spec: tableSpecs.expert, records }]
  },
}

const resultsHandler: KindHandler<'results'> = {
  async check(db, candidates, problems) {
    reportDuplicates(candidates, 'externalId', '外部编号（externalId）', problems)
    const organizations = await findOrganizations(db, distinct(candidates, 'org'))
    const orgOf = candidates.map((candidate) =>
      resolveOrganization(candidate, 'org', '所属单位（org）', organizations, problems),
    )
    const leadExpertOf = await resolveLeadExperts(db, candidates, orgOf, problems)
    const records: Record<string, unknown>[] = []
    candidates.forEach(({ data }, index) => {
      const org = orgOf[index]
      if (!data || !org) return
      records.push({
        externalId: data.externalId ?? null,
        title: data.title,
        summary: data.summary,
        description: data.description ?? null,
        fieldCode: data.field,
        keywords: data.keywords,
        trl: data.trl,
        ipType: data.ipType ?? null,
        patentNos: data.patentNos,
        transferModes: data.transferModes,
        askingPrice: data.askingPrice ?? null,
        orgId: org.id,
        leadExpertId: leadExpertOf[index] ?? null,
      })
    })
    return [{ spec: tableSpecs.result, records }]
  },
}

/** A lead expert is named by externalId or by name, and must belong to the result's org. */
async function resolveLeadExperts(
  db: Db,
  candidates: Candidate<RowOf<'results'>>[],
  orgOf: (OrgRef | undefined)[],
  problems: ImportProblem[],
) {
  const references = distinct(candidates, 'leadExpert')
  const resolved: (string | undefined)[] = []
  if (references.length === 0) return resolved
  const orgIds = [...new Set(orgOf.flatMap((org) => (org ? [org.id] : [])))]
  const experts = await db.$queryRawUnsafe<
    { id: string; externalId: string | null; name: string; orgId: string }[]
  >(
    `SELECT id, "externalId", name, "orgId" FROM "Expert"
     WHERE "externalId" = ANY($1::text[])
        OR ("orgId" = ANY($2::text[]) AND name = ANY($1::text[]))`,
    references,
    orgIds,
  )
  const byExternalId = new Map(experts.map((expert) => [expert.externalId, expert]))
  const byOrgAndName = new Map<string, string[]>()
  for (const expert of experts) {
    const key = `${expert.orgId}\u0000${expert.name}`
    byOrgAndName.set(key, [...(byOrgAndName.get(key) ?? []), expert.id])
  }
  candidates.forEach((candidate, index) => {
    const reference = candidate.fields.leadExpert
    const org = orgOf[index]
    if (reference === undefined || !org) return
    const problem = (message: string) =>
      problems.push({ row: candidate.row, field: 'leadExpert', message })
    const byId = byExternalId.get(reference)
    if (byId && byId.orgId === org.id) {
      resolved[index] = byId.id
      return
    }
    const named = byOrgAndName.get(`${org.id}\u0000${reference}`) ?? []
    if (named.length === 1) resolved[index] = named[0]
    else if (named.length > 1) {
      problem(`单位“${org.name}”有 ${named.length} 位名为“${reference}”的专家，请改用其 externalId`)
    } else if (byId) {
      problem(`成果负责人（leadExpert）“${reference}”是另一家单位的专家，不属于“${org.name}”`)
    } else {
      problem(
        `成果负责人（leadExpert）“${reference}”不是“${org.name}”的专家（按 externalId 或姓名查找；请先导入专家 experts）`,
      )
    }
  })
  return resolved
}

const needsHandler: KindHandler<'needs'> = {
  async check(db, candidates, problems) {
    reportDuplicates(candidates, 'externalId', '外部编号（externalId）', problems)
    const organizations = await findOrganizations(db, distinct(candidates, 'org'))
    const records: Record<string, unknown>[] = []
    for (const candidate of candidates) {
      const org = resolveOrganization(candidate, 'org', '发布企业（org）', organizations, problems)
      const { data } = candidate
      if (!data || !org) continue
      records.push({
        externalId: data.externalId ?? null,
        title: data.title,
        description: data.description,
        fieldCode: data.field,
        keywords: data.keywords,
        budgetMin: data.budgetMin ?? null,
        budgetMax: data.budgetMax ?? null,
        deadline: toChinaDate(data.deadline),
        cooperationModes: data.cooperationModes,
        orgId: org.id,
      })
    }
    return [{ spec: tableSpecs.need, records }]
  },
}

const dealsHandler: KindHandler<'deals'> = {
  async check(db, candidates, problems) {
    reportDuplicates(candidates, 'externalId', '外部编号（externalId）', problems)
    reportDuplicates(candidates, 'registrationNo', '登记编号（registrationNo）', problems)
    const [organizations, results, needs, users, registered] = await Promise.all([
      findOrganizations(db, distinct(candidates, 'sellerOrg', 'buyerOrg')),
      findByExternalId(db, 'Result', distinct(candidates, 'result')),
      findByExternalId(db, 'Need', distinct(candidates, 'need')),
      db.$queryRawUnsafe<{ id: string; email: string; role: string }[]>(
        `SELECT id, lower(email) AS email, role::text AS role FROM "User"
         WHERE lower(email) = ANY($1::text[])`,
        distinct(candidates, 'broker'),
      ),
      db.$queryRawUnsafe<{ externalId: string | null; registrationNo: string }[]>(
        `SELECT "externalId", "registrationNo" FROM "Deal"
         WHERE "registrationNo" = ANY($1::text[])`,
        distinct(candidates, 'registrationNo'),
      ),
    ])
    const userByEmail = new Map(users.map((user) => [user.email, user]))
    const registrationOwner = new Map(registered.map((deal) => [deal.registrationNo, deal]))
    const records: Record<string, unknown>[] = []

    for (const candidate of candidates) {
      const { row, fields } = candidate
      const seller = resolveOrganization(
        candidate,
        'sellerOrg',
        '卖方单位（sellerOrg）',
        organizations,
        problems,
      )
      const buyer = resolveOrganization(
        candidate,
        'buyerOrg',
        '买方单位（buyerOrg）',
        organizations,
        problems,
      )
      if (seller && buyer && seller.id === buyer.id) {
        problems.push({ row, field: 'buyerOrg', message: '买方单位与卖方单位不能是同一家单位' })
      }
      const resultId = fields.result !== undefined ? results.get(fields.result) : undefined
      if (fields.result !== undefined && !resultId) {
        problems.push({
          row,
          field: 'result',
          message: `关联成果（result）“${fields.result}”不存在（应为已导入成果的 externalId）`,
        })
      }
      const needId = fields.need !== undefined ? needs.get(fields.need) : undefined
      if (fields.need !== undefined && !needId) {
        problems.push({
          row,
          field: 'need',
          message: `关联需求（need）“${fields.need}”不存在（应为已导入需求的 externalId）`,
        })
      }
      const broker = fields.broker !== undefined ? userByEmail.get(fields.broker) : undefined
      if (fields.broker !== undefined && broker?.role !== 'broker') {
        problems.push({
          row,
          field: 'broker',
          message: broker
            ? `账号 ${fields.broker} 不是技术经纪人`
            : `技术经纪人（broker）账号 ${fields.broker} 不存在`,
        })
      }
      const owner =
        fields.registrationNo !== undefined
          ? registrationOwner.get(fields.registrationNo)
          : undefined
      if (owner && (owner.externalId === null || owner.externalId !== fields.externalId)) {
        problems.push({
          row,
          field: 'registrationNo',
          message: `登记编号（registrationNo）“${fields.registrationNo}”已属于另一份合同`,
        })
      }

      const { data } = candidate
      if (!data || !seller || !buyer || data.contractAmount === undefined) continue
      records.push({
        externalId: data.externalId ?? null,
        title: data.title ?? dealTitle(seller.name, buyer.name, data.subType, data.contractType),
        contractType: data.contractType,
        subType: data.subType ?? null,
        sellerOrgId: seller.id,
        buyerOrgId: buyer.id,
        brokerId: broker?.id ?? null,
        needId: needId ?? null,
        resultId: resultId ?? null,
        contractAmount: data.contractAmount,
        techTransactionAmount: data.techTransactionAmount ?? null,
        status: data.status,
        signedAt: toChinaDate(data.signedAt),
        registeredAt: toChinaDate(data.registeredAt),
        registrationNo: data.registrationNo ?? null,
        fieldCode: data.field ?? null,
        // Snapshots: a later move of either party must not rewrite the statistics of this deal.
        sellerRegionCode: seller.regionCode,
        buyerRegionCode: buyer.regionCode,
      })
    }
    return [{ spec: tableSpecs.deal, records }]
  },
}

/** A title for a deal file that gives none: the parties and the contract kind. */
function dealTitle(
  seller: string,
  buyer: string,
  subType: string | undefined,
  contractType: keyof typeof contractTypeLabels,
) {
  const title = `${seller}与${buyer}${subType ?? contractTypeLabels[contractType]}合同`
  // Cut by characters, not UTF-16 units, so a surrogate pair is never split.
  return Array.from(title).slice(0, 100).join('')
}

const kinds: { [K in ImportKind]: KindHandler<K> } = {
  orgs: orgsHandler,
  experts: expertsHandler,
  results: resultsHandler,
  needs: needsHandler,
  deals: dealsHandler,
}

// ---- Writing -------------------------------------------------------------------------------

interface TableSpec {
  table: 'Organization' | 'Expert' | 'Result' | 'Need' | 'Deal'
  conflict: 'externalId' | 'name'
  /** Columns the file decides: inserted, compared and, when they differ, updated. */
  columns: readonly string[]
  /** Columns set only when a row is inserted; SQL over $2 (now) and $3 (expiry). */
  insertOnly?: Record<string, string>
  /** Columns inserted from the row but, on update, set by an SQL expression (not compared). */
  derived?: Record<string, string>
  bumpVersion?: boolean
  outbox?: SearchEntity
  /** Organizations: a changed name, region or flag changes what their listings' search documents say. */
  requeueListings?: boolean
  /** Deals: return the status before and after, for the deal's event log. */
  logStatus?: boolean
}

const NOW = '$2::timestamp(3)'

const organizationColumns = [
  'name',
  'kind',
  'creditCode',
  'regionCode',
  'zone',
  'highTech',
  'littleGiant',
]

/** On update, a deal keeps its region snapshot unless that party itself changed. */
function keptSnapshot(party: 'seller' | 'buyer') {
  const [org, region] = [`"${party}OrgId"`, `"${party}RegionCode"`]
  return `CASE WHEN t.${org} = EXCLUDED.${org} AND t.${region} IS NOT NULL
    THEN t.${region} ELSE EXCLUDED.${region} END`
}

const tableSpecs = {
  organizationByExternalId: {
    table: 'Organization',
    conflict: 'externalId',
    columns: organizationColumns,
    requeueListings: true,
  },
  organizationByName: {
    table: 'Organization',
    conflict: 'name',
    columns: organizationColumns,
    requeueListings: true,
  },
  organizationAdopting: {
    table: 'Organization',
    conflict: 'name',
    columns: ['externalId', ...organizationColumns],
    requeueListings: true,
  },
  expert: {
    table: 'Expert',
    conflict: 'externalId',
    columns: ['name', 'title', 'orgId', 'fields', 'keywords', 'bio'],
    outbox: 'expert',
  },
  result: {
    table: 'Result',
    conflict: 'externalId',
    columns: [
      'title',
      'summary',
      'description',
      'fieldCode',
      'keywords',
      'trl',
      'ipType',
      'patentNos',
      'transferModes',
      'askingPrice',
      'orgId',
      'leadExpertId',
    ],
    // Imported results are published directly: the importing institution vouches for them.
    insertOnly: {
      status: `'published'::"ResultStatus"`,
      publishedAt: NOW,
      confirmedAt: NOW,
      expiresAt: '$3::timestamp(3)',
    },
    bumpVersion: true,
    outbox: 'result',
  },
  need: {
    table: 'Need',
    conflict: 'externalId',
    columns: [
      'title',
      'description',
      'fieldCode',
      'keywords',
      'budgetMin',
      'budgetMax',
      'deadline',
      'cooperationModes',
      'orgId',
    ],
    insertOnly: {
      status: `'open'::"NeedStatus"`,
      publishedAt: NOW,
      confirmedAt: NOW,
      expiresAt: '$3::timestamp(3)',
    },
    bumpVersion: true,
    outbox: 'need',
  },
  deal: {
    table: 'Deal',
    conflict: 'externalId',
    columns: [
      'title',
      'contractType',
      'subType',
      'sellerOrgId',
      'buyerOrgId',
      'brokerId',
      'needId',
      'resultId',
      'contractAmount',
      'techTransactionAmount',
      'status',
      'signedAt',
      'registeredAt',
      'registrationNo',
      'fieldCode',
    ],
    // The snapshot taken when the deal was first imported stays, unless the party changed.
    derived: {
      sellerRegionCode: keptSnapshot('seller'),
      buyerRegionCode: keptSnapshot('buyer'),
    },
    bumpVersion: true,
    logStatus: true,
  },
} satisfies Record<string, TableSpec>

const quote = (column: string) => `"${column}"`

// Batches travel base64-encoded: Prisma's raw-query path spends seconds on a few megabytes of
// JSON text (escaped quotes and non-ASCII characters), but passes plain ASCII through quickly;
// PostgreSQL decodes it back in milliseconds. Measured here on 3.6 MB of results JSON:
// 2.0 s as text, 0.35 s as base64.
const JSON_PARAM = `convert_from(decode($1, 'base64'), 'UTF8')::jsonb`

function toJsonParam(json: string) {
  return Buffer.from(json).toString('base64')
}

/**
 * One set-based upsert: the batch travels as one JSON document, becomes rows through
 * `jsonb_populate_recordset`, and is upserted by its conflict key. Rows equal to what the
 * table holds are dropped by a plain join first: `ON CONFLICT … DO UPDATE … WHERE` alone
 * would skip them too, but only after locking (and so rewriting) every one of them, which
 * made a no-op re-import slower than the first import. The `WHERE` stays for rows changed
 * concurrently. `xmax = 0` tells inserted rows from updated ones; changed listings are queued
 * for the search index in the same statement.
 */
function buildUpsertSql(spec: TableSpec) {
  const table = quote(spec.table)
  const key = quote(spec.conflict)
  const derived = Object.entries(spec.derived ?? {})
  const insertOnly = Object.entries(spec.insertOnly ?? {})
  const fromInput = [
    ...new Set(['id', 'externalId', ...spec.columns, ...derived.map(([column]) => column)]),
  ]
  const insertColumns = [...fromInput, ...insertOnly.map(([column]) => column)]
  const selectList = [
    ...fromInput.map((column) => `i.${quote(column)}`),
    ...insertOnly.map(([, expression]) => expression),
  ]
  const compared = spec.columns.filter((column) => column !== spec.conflict)
  const row = (alias: string) =>
    `(${compared.map((column) => `${alias}.${quote(column)}`).join(', ')})`
  const assignments = [
    ...spec.columns.map((column) => `${quote(column)} = EXCLUDED.${quote(column)}`),
    ...derived.map(([column, expression]) => `${quote(column)} = ${expression}`),
    ...(spec.bumpVersion ? ['version = t.version + 1'] : []),
    `"updatedAt" = ${NOW}`,
  ]
  const ctes = [
    `input AS (SELECT * FROM jsonb_populate_recordset(NULL::${table}, ${JSON_PARAM}))`,
    `changed AS (
      SELECT i.* FROM input i LEFT JOIN ${table} t ON t.${key} = i.${key}
      WHERE t.id IS NULL OR ${row('t')} IS DISTINCT FROM ${row('i')}
    )`,
  ]
  if (spec.logStatus) {
    ctes.push(`previous AS (
      SELECT t.id, t.status FROM ${table} t JOIN changed i ON t.${key} = i.${key}
    )`)
  }
  ctes.push(`upserted AS (
      INSERT INTO ${table} AS t (${insertColumns.map(quote).join(', ')}, "createdAt", "updatedAt")
      SELECT ${[...selectList, NOW, NOW].join(', ')} FROM changed i
      ON CONFLICT (${key}) DO UPDATE SET ${assignments.join(', ')}
      WHERE ${row('t')} IS DISTINCT FROM ${row('EXCLUDED')}
      RETURNING t.id, (t.xmax = 0) AS inserted${spec.logStatus ? ', t.status' : ''}
    )`)
  if (spec.outbox) {
    ctes.push(`queued AS (
      INSERT INTO "SearchOutbox" (entity, "entityId", op, "createdAt", "updatedAt")
      SELECT '${spec.outbox}'::"SearchEntity", id, 'upsert'::"OutboxOp", ${NOW}, ${NOW}
      FROM upserted
    )`)
  }
  if (spec.requeueListings) {
    const listingsOf = (entity: SearchEntity, listingTable: string) =>
      `SELECT '${entity}'::"SearchEntity", l.id, 'upsert'::"OutboxOp", ${NOW}, ${NOW}
       FROM "${listingTable}" l JOIN upserted u ON l."orgId" = u.id WHERE NOT u.inserted`
    ctes.push(`requeued AS (
      INSERT INTO "SearchOutbox" (entity, "entityId", op, "createdAt", "updatedAt")
      ${listingsOf('result', 'Result')} UNION ALL ${listingsOf('need', 'Need')}
      UNION ALL ${listingsOf('expert', 'Expert')}
    )`)
  }
  const select = spec.logStatus
    ? `SELECT u.id, u.inserted, u.status::text AS status, p.status::text AS "fromStatus"
       FROM upserted u LEFT JOIN previous p ON p.id = u.id`
    : 'SELECT u.id, u.inserted FROM upserted u'
  return `WITH ${ctes.join(',\n    ')}\n    ${select}`
}

const upsertSql = new Map<TableSpec, string>()

interface UpsertedRow {
  id: string
  inserted: boolean
  status?: string
  fromStatus?: string | null
}

async function writeGroups(
  db: Db,
  groups: WriteGroup[],
  total: number,
  onProgress: ImportOptions['onProgress'],
) {
  const now = new Date()
  const params = [
    now.toISOString(),
    new Date(now.getTime() + LISTING_TTL_DAYS * DAY_MS).toISOString(),
  ]
  let inserted = 0
  let updated = 0
  let done = 0
  onProgress?.('write', 0, total)

  // Two statements in flight: while PostgreSQL executes one batch, this process prepares the
  // next (JSON, ids, Prisma's parameter handling), so that both cores work. The transaction's
  // connection still runs them one after the other.
  const inFlight: Promise<void>[] = []
  try {
    for (const { spec, records } of groups) {
      let sql = upsertSql.get(spec)
      if (!sql) upsertSql.set(spec, (sql = buildUpsertSql(spec)))
      // PostgreSQL refuses parameters a statement does not use: only listings expire.
      const used = spec.insertOnly ? params : params.slice(0, 1)
      for (const batch of batches(records)) {
        const write = db
          .$queryRawUnsafe<UpsertedRow[]>(sql, batch.json, ...used)
          .then(async (rows) => {
            for (const row of rows) {
              if (row.inserted) inserted += 1
              else updated += 1
            }
            if (spec.logStatus) await logDealEvents(db, rows, params[0]!)
            done += batch.count
            onProgress?.('write', done, total)
          })
        // Marked as handled at once: awaiting it below still throws, but a failure that
        // surfaces while the other statement is awaited must not crash the process.
        write.catch(() => {})
        inFlight.push(write)
        if (inFlight.length >= 2) await inFlight.shift()
        // Let the statement just started reach the connection before the next batch is built.
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    while (inFlight.length > 0) await inFlight.shift()
  } catch (error) {
    await Promise.allSettled(inFlight)
    throw error
  }
  return { inserted, updated }
}

function* batches(records: Record<string, unknown>[]) {
  let parts: string[] = []
  let chars = 0
  for (const record of records) {
    // Ids are made here, not while checking, so that a dry run does not pay for them.
    const json = JSON.stringify({ id: createId(), ...record })
    parts.push(json)
    chars += json.length + 1
    if (parts.length >= BATCH_ROWS || chars >= BATCH_CHARS) {
      yield { json: toJsonParam(`[${parts.join(',')}]`), count: parts.length }
      parts = []
      chars = 0
    }
  }
  if (parts.length > 0) yield { json: toJsonParam(`[${parts.join(',')}]`), count: parts.length }
}

/** Every imported or changed deal gets an entry in its immutable event log. */
async function logDealEvents(db: Db, rows: UpsertedRow[], now: string) {
  if (rows.length === 0) return
  const events = rows.map((row) => ({
    id: createId(),
    dealId: row.id,
    actorId: null,
    fromStatus: row.inserted ? null : (row.fromStatus ?? null),
    toStatus: row.status,
    note: row.inserted ? '批量导入' : '批量导入（更新）',
    createdAt: now,
  }))
  await db.$executeRawUnsafe(
    `INSERT INTO "DealEvent" (id, "dealId", "actorId", "fromStatus", "toStatus", note, "createdAt")
     SELECT id, "dealId", "actorId", "fromStatus", "toStatus", note, "createdAt"
     FROM jsonb_populate_recordset(NULL::"DealEvent", ${JSON_PARAM})`,
    toJsonParam(JSON.stringify(events)),
  )
}
