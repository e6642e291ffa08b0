import { parse as parseWithCsvParse } from 'csv-parse/sync'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import {
  highTechFields,
  institutions,
  otherCities,
  shaanxiCities,
  xianDistricts,
} from '~/domain/reference'

import { csvRecordsToObjects, decodeText, formatCsvRow, parseCsv, parseJsonLines } from './tabular'

/** An encoder for a legacy encoding, built from the platform's decoder of that encoding. */
function encoderFor(label: string) {
  const decoder = new TextDecoder(label)
  const table = new Map<string, number[]>()
  const add = (bytes: number[]) => {
    const char = decoder.decode(new Uint8Array(bytes))
    if (char.length === 1 && char !== '\ufffd' && !table.has(char)) table.set(char, bytes)
  }
  for (let lead = 0x80; lead <= 0xff; lead++) add([lead])
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) add([lead, trail])
  }
  return (text: string) => {
    const bytes: number[] = []
    for (const char of text) {
      const code = char.charCodeAt(0)
      const encoded = code < 0x80 ? [code] : table.get(char)
      if (!encoded) throw new Error(`not in ${label}: ${char}`)
      bytes.push(...encoded)
    }
    return new Uint8Array(bytes)
  }
}
const encodeGbk = encoderFor('gbk')

describe('decodeText', () => {
  test('reads UTF-8 with and without a byte order mark', () => {
    const text = '名称,代码\n西安交通大学,804\n'
    const plain = new TextEncoder().encode(text)
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...plain])
    expect(decodeText(plain)).toEqual({ ok: true, text, encoding: 'utf-8' })
    expect(decodeText(withBom)).toEqual({ ok: true, text, encoding: 'utf-8' })
  })

  test('falls back to GBK', () => {
    // 西安 in GBK.
    const bytes = new Uint8Array([0xce, 0xf7, 0xb0, 0xb2, 0x2c, 0x31])
    expect(decodeText(bytes)).toEqual({ ok: true, text: '西安,1', encoding: 'gbk' })
  })

  test('reads real GBK text: place and institution names, rare hanzi in names, Latin names', () => {
    const names = [
      ...institutions.map((institution) => institution.name),
      ...[...xianDistricts, ...shaanxiCities, ...otherCities].map((region) => region.name),
      ...highTechFields.flatMap((field) => [field.name, ...field.children.map((sub) => sub.name)]),
    ]
    const lines = [
      'externalId,name,kind,regionCode',
      ...names.map((name, index) => `org-${index},${name},enterprise,610113`),
      // GBK has pinyin vowels, so ü and é survive; rare hanzi such as 堃 and 鄠 occur in names.
      'org-a,Müller 精密机械（西安）有限公司,enterprise,610113',
      'org-b,Siemens AG 西门子（中国）有限公司,enterprise,110105',
      'org-c,西安鑫堃科技有限公司,enterprise,610118',
      'org-d,André Laboratories,institute,110108',
    ]
    for (const text of [lines.join('\r\n'), lines.slice(0, 1).concat(lines.slice(-2)).join('\n')]) {
      expect(decodeText(encodeGbk(text))).toEqual({ ok: true, text, encoding: 'gbk' })
    }
  })

  test('refuses Windows-1252 and Shift-JIS text, which also decodes as GBK', () => {
    // Windows-1252 is Latin-1 in 0xA0–0xFF.
    const latin1 = (text: string) => new Uint8Array(Array.from(text, (char) => char.charCodeAt(0)))
    const german = latin1(
      'externalId,name,kind,regionCode\norg-1,Müller Präzisionstechnik GmbH,enterprise,110108\n',
    )
    expect(new TextDecoder('gbk', { fatal: true }).decode(german)).toContain('M黮ler')
    expect(decodeText(german)).toEqual({
      ok: false,
      message:
        '文件编码无法识别：既不是 UTF-8 也不是 GBK（按 GBK 读出的多为生僻字，如第 2 行' +
        '“M黮ler Pr鋤isionstechnik GmbH”，应是 Windows-1252、Shift-JIS 等其他编码），请另存为 UTF-8 编码后再导入',
    })
    const japanese = encoderFor('shift_jis')(
      'name,kind,regionCode\n株式会社日立製作所,enterprise,110108\nトヨタ自動車株式会社,enterprise,110108\n',
    )
    expect(decodeText(japanese)).toMatchObject({
      ok: false,
      message: expect.stringContaining(
        '既不是 UTF-8 也不是 GBK（按 GBK 读出的多为生僻字，如第 2 行',
      ),
    })
  })

  test('refuses bytes that are neither UTF-8 nor GBK, and UTF-16', () => {
    const neither = decodeText(new Uint8Array([0x61, 0xff, 0xff, 0x62]))
    expect(neither).toMatchObject({
      ok: false,
      message: expect.stringContaining('既不是 UTF-8 也不是 GBK'),
    })
    const utf16 = decodeText(new Uint8Array([0xff, 0xfe, 0x61, 0x00]))
    expect(utf16).toMatchObject({ ok: false, message: expect.stringContaining('UTF-16') })
  })
})

describe('parseCsv', () => {
  test('reads quoted commas, doubled quotes and line breaks as RFC 4180 says', () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","line 1\nline 2"\r\nplain,,end'
    expect(parseCsv(text)).toEqual({
      records: [
        { row: 1, cells: ['a', 'b', 'c'] },
        { row: 2, cells: ['x, y', 'say "hi"', 'line 1\nline 2'] },
        { row: 3, cells: ['plain', '', 'end'] },
      ],
      problems: [],
    })
  })

  test('numbers rows as a spreadsheet does and skips blank ones', () => {
    const { records } = parseCsv('h1,h2\n\n1,2\n,\n3,4\n')
    expect(records.map((record) => record.row)).toEqual([1, 3, 5])
    expect(parseCsv('').records).toEqual([])
  })

  test('accepts LF, CRLF and CR line ends and a trailing empty cell', () => {
    expect(parseCsv('a,b\rc,\n').records).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['c', ''] },
    ])
  })

  test('reports an unclosed quote and text after a closing quote', () => {
    expect(parseCsv('a\n"open').problems).toEqual([
      { row: 2, message: expect.stringContaining('引号未闭合') },
    ])
    expect(parseCsv('a,b\n"x"y,2').problems).toEqual([
      { row: 2, message: expect.stringContaining('右引号后') },
    ])
  })

  test('reads back what formatCsvRow writes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 2, maxLength: 2 }), {
          minLength: 1,
          maxLength: 5,
        }),
        (rows) => {
          const text = rows.map(formatCsvRow).join('\r\n')
          const parsed = parseCsv(text)
          expect(parsed.problems).toEqual([])
          const expected = rows.filter((cells) => cells.some((cell) => cell.trim() !== ''))
          expect(parsed.records.map((record) => record.cells)).toEqual(expected)
        },
      ),
    )
  })
  // Our reader is ~20× faster than csv-parse on import-sized files (docs/decisions), so
  // csv-parse checks it instead: on random text made of the characters that matter, the two
  // read every well-formed file the same way.
  test('reads CSV as csv-parse does', () => {
    const text = fc
      .array(fc.constantFrom('a', '中', ' ', ',', '"', '""', '\n', '\r', '\r\n', ';'), {
        maxLength: 30,
      })
      .map((parts) => parts.join(''))
    const withCsvParse = (input: string, relaxQuotes: boolean) => {
      try {
        const rows = parseWithCsvParse(input, {
          relax_column_count: true,
          relax_quotes: relaxQuotes,
          record_delimiter: ['\r\n', '\n', '\r'],
        }) as string[][]
        return rows
          .map((cells, index) => ({ row: index + 1, cells }))
          .filter((record) => record.cells.some((cell) => cell.trim() !== ''))
      } catch {
        return undefined
      }
    }
    fc.assert(
      fc.property(text, (input) => {
        const ours = parseCsv(input)
        // What csv-parse reads strictly, we read the same, without a problem.
        const strict = withCsvParse(input, false)
        if (strict) expect(ours).toEqual({ records: strict, problems: [] })
        // What we read without a problem (we also keep a stray quote inside an unquoted cell),
        // csv-parse reads the same when told to keep such quotes.
        if (ours.problems.length === 0) expect(ours.records).toEqual(withCsvParse(input, true))
      }),
      { numRuns: 3000 },
    )
  })
})

describe('csvRecordsToObjects', () => {
  test('leaves blank cells out and splits list columns on semicolons', () => {
    const { rows, problems } = csvRecordsToObjects(
      ['title', 'keywords', 'description'],
      [{ row: 2, cells: [' 锂电池 ', '电池; 储能；材料;', '  '] }],
      new Set(['keywords']),
    )
    expect(problems).toEqual([])
    expect(rows).toEqual([
      { row: 2, values: { title: '锂电池', keywords: ['电池', '储能', '材料'] } },
    ])
  })

  test('reports rows whose cell count differs from the header', () => {
    const { rows, problems } = csvRecordsToObjects(
      ['a', 'b'],
      [{ row: 4, cells: ['1'] }],
      new Set(),
    )
    expect(rows).toEqual([])
    expect(problems).toEqual([{ row: 4, message: '本行有 1 个单元格，表头有 2 列' }])
  })
})

describe('parseJsonLines', () => {
  test('numbers rows by line, ignores blank lines and reports malformed ones', () => {
    const { rows, problems } = parseJsonLines('{"a":1}\r\n\n  \n{"a":\n[1]\n')
    expect(rows).toEqual([
      { row: 1, value: { a: 1 } },
      { row: 5, value: [1] },
    ])
    expect(problems).toEqual([{ row: 4, message: expect.stringContaining('不是有效的 JSON') }])
  })
})
