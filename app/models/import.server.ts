// The bulk importer behind `cli import`. Every row is checked before anything is written:
// first the same Zod schema the forms use (./import/validate), then the references and
// uniqueness rules that need the database, checked for all rows at once by the writer of its
// kind (./import/orgs … ./import/deals). Only a file without a single problem is written, in
// one transaction, with set-based upserts keyed by externalId (./import/write), so that a
// second run of the same file changes nothing.
import { readFile } from 'node:fs/promises'
import path from 'node:path'

import { prisma } from '~/utils/db.server'
import { importSchemas, type ImportKind } from '~/validation/listings'

import { marketChanged, recordEvent } from './events.server'
import { dealsWriter } from './import/deals.server'
import { expertsWriter } from './import/experts.server'
import { needsWriter } from './import/needs.server'
import { orgsWriter } from './import/orgs.server'
import { readRows, type ImportSource } from './import/read.server'
import type { KindWriter } from './import/references.server'
import { fileProblem, sortProblems, type ImportOutcome } from './import/report.server'
import { resultsWriter } from './import/results.server'
import { validateRows, type ProgressListener, type RowOf } from './import/validate.server'
import { tablesToAnalyze, writeGroups } from './import/write.server'

export type { ImportKind }
export { getImportColumns, type ImportFormat, type ImportSource } from './import/read.server'
export {
  formatImportProblems,
  formatImportSummary,
  type ImportOutcome,
  type ImportProblem,
} from './import/report.server'
export type { ImportPhase } from './import/validate.server'

export const IMPORT_KINDS = Object.keys(importSchemas) as ImportKind[]

export interface ImportOptions {
  dryRun?: boolean
  onProgress?: ProgressListener
}

const TRANSACTION_TIMEOUT_MS = 60 * 60_000

const writers: { [K in ImportKind]: KindWriter<RowOf<K>> } = {
  orgs: orgsWriter,
  experts: expertsWriter,
  results: resultsWriter,
  needs: needsWriter,
  deals: dealsWriter,
}

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

  let staleTables: string[] = []
  const outcome = await prisma.$transaction(
    async (tx): Promise<ImportOutcome> => {
      // References are resolved inside the writing transaction, so the ids written are the
      // ids that were checked.
      const problems = [...read.problems]
      // Each writer takes the candidates of its own kind; TypeScript cannot follow `kind`
      // from the union of writers to their parameter types.
      const groups = await writers[kind].check(tx, candidates as never, problems)
      if (problems.length > 0) return { ok: false, rows, problems: sortProblems(problems) }
      if (options.dryRun) {
        return { ok: true, dryRun: true, rows, inserted: 0, updated: 0, unchanged: rows }
      }
      const { inserted, updated, changedByTable } = await writeGroups(
        tx,
        groups,
        rows,
        options.onProgress,
      )
      // The writers queue search updates in SQL; open pages hear of it once, after commit.
      if (inserted + updated > 0) await recordEvent(tx, marketChanged())
      staleTables = tablesToAnalyze(changedByTable)
      return {
        ok: true,
        dryRun: false,
        rows,
        inserted,
        updated,
        unchanged: rows - inserted - updated,
      }
    },
    { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 30_000 },
  )
  // After commit, so that the statistics see the new rows (names from TableSpec, not input).
  for (const table of staleTables) await prisma.$executeRawUnsafe(`ANALYZE "${table}"`)
  return outcome
}
