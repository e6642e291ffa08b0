/**
 * Contract documents (合同文件): what may be attached to a deal for the bureau's registration
 * check, and how an upload is judged by its content rather than by its name or by what the
 * browser claims.
 */

/** What a document is to the contract. */
export const DOCUMENT_KIND_LABELS = { contract: '合同正本', annex: '附件' } as const

export type DocumentKind = keyof typeof DOCUMENT_KIND_LABELS

/** The largest file accepted: a scanned contract of a few dozen pages. */
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

/** The most documents one deal may carry. */
export const DOCUMENTS_PER_DEAL = 30

export const DOCUMENT_TYPES = {
  pdf: { contentType: 'application/pdf', label: 'PDF', extensions: ['pdf'] },
  png: { contentType: 'image/png', label: 'PNG 图片', extensions: ['png'] },
  jpeg: { contentType: 'image/jpeg', label: 'JPEG 图片', extensions: ['jpg', 'jpeg'] },
} as const

export type DocumentType = keyof typeof DOCUMENT_TYPES

const SIGNATURES: [DocumentType, number[]][] = [
  ['pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['jpeg', [0xff, 0xd8, 0xff]],
]

/** What a file's first bytes say it is, if it is one of the accepted types. */
export function sniffDocumentType(bytes: Uint8Array): DocumentType | null {
  for (const [type, signature] of SIGNATURES) {
    if (signature.every((byte, index) => bytes[index] === byte)) return type
  }
  return null
}

function formatMb(bytes: number) {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`
}

/**
 * Why a file may not be attached, or its type when it may: empty, too large, not a PDF or
 * image by its content, or named as another type than it is (a `.pdf` that is a JPEG).
 */
export function judgeDocument(
  fileName: string,
  bytes: Uint8Array,
): { ok: true; type: DocumentType } | { ok: false; problem: string } {
  if (bytes.length === 0) return { ok: false, problem: '文件是空的，请重新选择' }
  if (bytes.length > DOCUMENT_MAX_BYTES) {
    return {
      ok: false,
      problem: `文件有 ${formatMb(bytes.length)}，超过 ${formatMb(DOCUMENT_MAX_BYTES)} 的上限`,
    }
  }
  const type = sniffDocumentType(bytes)
  if (!type) return { ok: false, problem: '文件内容不是 PDF、PNG 或 JPEG，只能上传这三种格式' }
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase()
  const named = Object.entries(DOCUMENT_TYPES).find(([, known]) =>
    (known.extensions as readonly string[]).includes(extension ?? ''),
  )
  if (!named || named[0] !== type) {
    return {
      ok: false,
      problem: `文件内容是 ${DOCUMENT_TYPES[type].label}，与文件名“${fileName}”不符，请确认选对了文件`,
    }
  }
  return { ok: true, type }
}
