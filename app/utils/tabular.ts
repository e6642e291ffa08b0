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
  let text: string
  try {
    text = new TextDecoder('gbk', { fatal: true }).decode(bytes)
  } catch {
    return { ok: false, message: UNKNOWN_ENCODING }
  }
  // ICU's GBK decoder maps bytes that WHATWG GBK rejects (such as a lone 0xFF) and GBK's user-
  // defined areas to private-use characters instead of failing; no real text holds those.
  if (PRIVATE_USE.test(text)) return { ok: false, message: UNKNOWN_ENCODING }
  const garbled = findGarbledGbk(text)
  if (garbled) {
    return {
      ok: false,
      message:
        `文件编码无法识别：既不是 UTF-8 也不是 GBK（按 GBK 读出的多为生僻字，如第 ${garbled.line} 行` +
        `“${garbled.sample}”，应是 Windows-1252、Shift-JIS 等其他编码），请另存为 UTF-8 编码后再导入`,
    }
  }
  return { ok: true, text, encoding: 'gbk' }
}

const UNKNOWN_ENCODING = '文件编码无法识别：既不是 UTF-8 也不是 GBK，请另存为 UTF-8 编码后再导入'
const PRIVATE_USE = /[\uE000-\uF8FF]/

// Almost any byte string that is not UTF-8 is valid GBK: two high bytes, or a high byte and an
// ASCII letter, always make some character. Which characters come out gives a wrong guess away.
// Real GBK text is written in GB2312's 6,763 hanzi and its symbols; the 14,000 rarer hanzi GBK
// adds (and GB18030's four-byte forms) appear now and then, in names. Share of non-ASCII
// characters outside GB2312, measured on text encoded as GBK: 592 real scientific abstracts 1 in
// 136,000; README and the city's work plan under 0.1 %; a lone county name such as 鄠邑区 33 %;
// traditional Chinese typed in GBK 33–47 %. Other encodings read as GBK: German and French names
// in Windows-1252 100 %, Japanese in Shift-JIS 100 %, Big5 68 %. (EUC-KR Korean decodes to
// common hanzi and is not caught by this test.)
const GARBLED_SHARE = 0.6

const CHARACTER_CLASS = { other: 0, gb2312: 1, rare: 2 } as const
let characterClasses: Uint8Array | undefined

/** The class of every UTF-16 code unit: GB2312 characters, other non-ASCII ones, or neither. */
function getCharacterClasses() {
  if (characterClasses) return characterClasses
  const classes = new Uint8Array(0x10000).fill(CHARACTER_CLASS.rare)
  classes.fill(CHARACTER_CLASS.other, 0, 0x80)
  // Low surrogates: the high surrogate before them already counted the character.
  classes.fill(CHARACTER_CLASS.other, 0xdc00, 0xe000)
  const pairs: number[] = []
  for (let lead = 0xa1; lead <= 0xf7; lead++) {
    for (let trail = 0xa1; trail <= 0xfe; trail++) pairs.push(lead, trail)
  }
  const gb2312 = new TextDecoder('gbk').decode(new Uint8Array(pairs))
  for (let index = 0; index < gb2312.length; index++) {
    const code = gb2312.charCodeAt(index)
    if (code < 0xe000 || code > 0xf8ff) classes[code] = CHARACTER_CLASS.gb2312
  }
  // 〇 (as in 二〇二六年) is outside GB2312 but common in dates.
  classes[0x3007] = CHARACTER_CLASS.gb2312
  return (characterClasses = classes)
}

/** Where GBK-decoded text looks like another encoding read as GBK, a line and a sample. */
function findGarbledGbk(text: string): { line: number; sample: string } | undefined {
  const classes = getCharacterClasses()
  let rare = 0
  let nonAscii = 0
  let firstRare = -1
  for (let index = 0; index < text.length; index++) {
    const kind = classes[text.charCodeAt(index)]
    if (kind === CHARACTER_CLASS.other) continue
    nonAscii += 1
    if (kind === CHARACTER_CLASS.rare) {
      rare += 1
      if (firstRare < 0) firstRare = index
    }
  }
  if (firstRare < 0 || rare <= nonAscii * GARBLED_SHARE) return undefined
  let line = 1
  for (let index = text.indexOf('\n'); index >= 0 && index < firstRare;) {
    line += 1
    index = text.indexOf('\n', index + 1)
  }
  // The cell around the first garbled character shows the user what went wrong.
  const lineStart = text.lastIndexOf('\n', firstRare) + 1
  const cellStart = Math.max(lineStart, text.lastIndexOf(',', firstRare) + 1, firstRare - 12)
  const cellEnds = [text.indexOf(',', firstRare), text.indexOf('\n', firstRare)].filter(
    (end) => end >= 0,
  )
  const cellEnd = Math.min(cellStart + 30, ...cellEnds, text.length)
  return { line, sample: text.slice(cellStart, cellEnd).trim() }
}

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
 * but still counted. Kept over csv-parse, which reads import files 15–25× slower and serves
 * as this reader's test oracle instead: docs/decisions/001-own-csv-reader.md.
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
