// Reading import files: text decoding, CSV (RFC 4180) and JSON Lines. Pure functions with no
// I/O, so the importer, its tests and the benchmark share one reading of a file.
import { isUtf8 } from 'node:buffer'

/** A problem with one row (or with the whole file when `row` is null), in Chinese. */
export interface TabularProblem {
  row: number | null
  message: string
}

export type DecodedText =
  { ok: true; text: string; encoding: 'utf-8' | 'gbk' } | { ok: false; message: string }

/**
 * Decodes UTF-8 (with or without BOM) and falls back to GBK, which spreadsheets on Chinese
 * Windows still write by default. Both decoders are strict, so a file is either decoded
 * exactly or refused: a half-garbled import would be worse than none.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, message: '文件是 UTF-16 编码，请另存为 UTF-8（或 GBK）后再导入' }
  }
  // isUtf8 checks in native code and toString decodes at memory speed; a fatal TextDecoder
  // takes about a second for a 150 MB file.
  if (isUtf8(bytes)) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
    return {
      ok: true,
      text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
      encoding: 'utf-8',
    }
  }
  const refused = {
    ok: false,
    message: '文件编码无法识别：既不是 UTF-8 也不是 GBK，请另存为 UTF-8 编码后再导入',
  } as const
  let text: string
  try {
    text = new TextDecoder('gbk', { fatal: true }).decode(bytes)
  } catch {
    return refused
  }
  // ICU's GBK decoder maps bytes that WHATWG GBK rejects (such as a lone 0xFF) and GBK's user-
  // defined areas to private-use characters instead of failing; no real text holds those.
  return PRIVATE_USE.test(text) ? refused : { ok: true, text, encoding: 'gbk' }
}

const PRIVATE_USE = /[\uE000-\uF8FF]/

export interface CsvRecord {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number
  cells: string[]
}

const QUOTE = 34
const COMMA = 44
const LF = 10
const CR = 13

/**
 * Parses RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; lines
 * end in CRLF, LF or CR. Rows are numbered as records (a quoted line break does not start a
 * new row), which is how a spreadsheet shows them. Rows whose cells are all blank are skipped
 * but still counted.
 */
export function parseCsv(text: string): { records: CsvRecord[]; problems: TabularProblem[] } {
  const records: CsvRecord[] = []
  const problems: TabularProblem[] = []
  const length = text.length
  let row = 1
  let cells: string[] = []
  let index = 0

  const endRecord = () => {
    if (cells.some((cell) => cell.trim() !== '')) records.push({ row, cells })
    cells = []
    row += 1
  }

  for (;;) {
    if (text.charCodeAt(index) === QUOTE) {
      let value = ''
      let start = index + 1
      index = start
      for (;;) {
        const quote = text.indexOf('"', index)
        if (quote === -1) {
          problems.push({ row, message: '引号未闭合：以引号开头的单元格必须以引号结束' })
          value += text.slice(start)
          index = length
          break
        }
        if (text.charCodeAt(quote + 1) === QUOTE) {
          value += text.slice(start, quote + 1)
          index = quote + 2
          start = index
          continue
        }
        value += text.slice(start, quote)
        index = quote + 1
        break
      }
      const next = text.charCodeAt(index)
      if (index < length && next !== COMMA && next !== LF && next !== CR) {
        problems.push({
          row,
          message: '单元格的右引号后应紧跟逗号或换行（引号内的引号要写成两个）',
        })
        const end = findFieldEnd(text, index)
        value += text.slice(index, end)
        index = end
      }
      cells.push(value)
    } else {
      const end = findFieldEnd(text, index)
      cells.push(text.slice(index, end))
      index = end
    }

    if (index >= length) {
      endRecord()
      break
    }
    const delimiter = text.charCodeAt(index)
    if (delimiter === COMMA) {
      index += 1
      continue
    }
    index += delimiter === CR && text.charCodeAt(index + 1) === LF ? 2 : 1
    endRecord()
    if (index >= length) break
  }
  return { records, problems }
}

function findFieldEnd(text: string, from: number) {
  let index = from
  const length = text.length
  while (index < length) {
    const code = text.charCodeAt(index)
    if (code === COMMA || code === LF || code === CR) break
    index += 1
  }
  return index
}

/** One cell of a CSV row: quoted when it holds a delimiter, a quote or edge whitespace. */
export function formatCsvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

export function formatCsvRow(cells: readonly string[]): string {
  return cells.map(formatCsvCell).join(',')
}

/**
 * Turns CSV records into objects keyed by the header. A blank cell means "not given" and is
 * left out; cells of list columns are split on semicolons (half or full width).
 */
export function csvRecordsToObjects(
  header: readonly string[],
  records: readonly CsvRecord[],
  listColumns: ReadonlySet<string>,
): { rows: { row: number; values: Record<string, unknown> }[]; problems: TabularProblem[] } {
  const rows: { row: number; values: Record<string, unknown> }[] = []
  const problems: TabularProblem[] = []
  for (const record of records) {
    if (record.cells.length !== header.length) {
      problems.push({
        row: record.row,
        message: `本行有 ${record.cells.length} 个单元格，表头有 ${header.length} 列`,
      })
      continue
    }
    const values: Record<string, unknown> = {}
    header.forEach((column, index) => {
      const cell = (record.cells[index] ?? '').trim()
      if (cell === '') return
      values[column] = listColumns.has(column)
        ? cell
            .split(/[;；]/)
            .map((item) => item.trim())
            .filter(Boolean)
        : cell
    })
    rows.push({ row: record.row, values })
  }
  return { rows, problems }
}

/**
 * Parses JSON Lines: one JSON value per line, numbered by line; blank lines are ignored.
 * Values are returned as parsed; the caller decides what a row must look like.
 */
export function parseJsonLines(text: string): {
  rows: { row: number; value: unknown }[]
  problems: TabularProblem[]
} {
  const rows: { row: number; value: unknown }[] = []
  const problems: TabularProblem[] = []
  const lines = text.split('\n')
  lines.forEach((line, index) => {
    if (line.trim() === '') return
    try {
      rows.push({ row: index + 1, value: JSON.parse(line) })
    } catch (error) {
      const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1]
      problems.push({
        row: index + 1,
        message: `不是有效的 JSON${position ? `（第 ${Number(position) + 1} 个字符附近出错）` : ''}`,
      })
    }
  })
  return { rows, problems }
}
