import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

import { DOCUMENT_MAX_BYTES, judgeDocument, sniffDocumentType } from './documents'

const pdf = new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj\n')
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16])

describe('judging an upload by its content', () => {
  test('accepts PDFs and images named as what they are', () => {
    expect(judgeDocument('技术许可合同.PDF', pdf)).toEqual({ ok: true, type: 'pdf' })
    expect(judgeDocument('签字页.png', png)).toEqual({ ok: true, type: 'png' })
    expect(judgeDocument('附件一.jpeg', jpeg)).toEqual({ ok: true, type: 'jpeg' })
    expect(judgeDocument('附件二.jpg', jpeg)).toEqual({ ok: true, type: 'jpeg' })
  })

  test('refuses what is not what its name says, what is none of them, empty or too large', () => {
    expect(judgeDocument('合同.pdf', jpeg)).toEqual({
      ok: false,
      problem: '文件内容是 JPEG 图片，与文件名“合同.pdf”不符，请确认选对了文件',
    })
    expect(judgeDocument('合同', pdf)).toMatchObject({ ok: false })
    expect(judgeDocument('合同.pdf', new TextEncoder().encode('<html>'))).toEqual({
      ok: false,
      problem: '文件内容不是 PDF、PNG 或 JPEG，只能上传这三种格式',
    })
    expect(judgeDocument('合同.pdf', new Uint8Array())).toMatchObject({ ok: false })
    const huge = new Uint8Array(DOCUMENT_MAX_BYTES + 1)
    huge.set(pdf)
    expect(judgeDocument('合同.pdf', huge)).toEqual({
      ok: false,
      problem: '文件有 10.0 MB，超过 10.0 MB 的上限',
    })
  })

  test('no bytes pass as a type without its signature', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const type = sniffDocumentType(bytes)
        const text = String.fromCharCode(...bytes.slice(0, 8))
        if (type === 'pdf') expect(text.startsWith('%PDF-')).toBe(true)
        if (type === 'png') expect(text.startsWith('\x89PNG\r\n\x1a\n')).toBe(true)
        if (type === 'jpeg') expect([...bytes.slice(0, 3)]).toEqual([0xff, 0xd8, 0xff])
      }),
    )
  })
})
