import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import { csvRecordsToObjects, decodeText, formatCsvRow, parseCsv, parseJsonLines } from './tabular'

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
