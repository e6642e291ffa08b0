// What an import tells its user: the problems of a file that was refused, or what was written.

/** One problem of an import file; `row` is null for the file as a whole, `field` '' for a row. */
export interface ImportProblem {
  row: number | null
  field: string
  message: string
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

export function fileProblem(message: string): ImportOutcome {
  return { ok: false, rows: 0, problems: [{ row: null, field: '', message }] }
}

export function sortProblems(problems: ImportProblem[]) {
  // Array.prototype.sort is stable: problems of one row keep the order they were found in.
  return problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0))
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
