import { DOCUMENT_KIND_LABELS, type DocumentKind } from '~/domain/documents'
import { formatDateTime } from '~/utils/labels'

export interface DocumentRow {
  id: string
  kind: DocumentKind
  fileName: string
  size: number
  createdAt: string
  uploader: { displayName: string } | null
}

export function formatFileSize(bytes: number) {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** A deal's contract documents, each a download for those who may see the deal. */
export function DocumentList({ dealId, documents }: { dealId: string; documents: DocumentRow[] }) {
  if (documents.length === 0) {
    return (
      <p className="empty">还没有上传合同文件。签约后请上传合同正本，供科技局认定登记时核对。</p>
    )
  }
  return (
    <table className="table table--cards">
      <thead>
        <tr>
          <th scope="col">文件</th>
          <th scope="col">类别</th>
          <th scope="col">大小</th>
          <th scope="col">上传</th>
        </tr>
      </thead>
      <tbody>
        {documents.map((document) => (
          <tr key={document.id}>
            <td data-label="文件">
              <a href={`/deals/${dealId}/documents/${document.id}`} download>
                {document.fileName}
              </a>
            </td>
            <td data-label="类别">{DOCUMENT_KIND_LABELS[document.kind]}</td>
            <td data-label="大小">{formatFileSize(document.size)}</td>
            <td data-label="上传">
              {document.uploader?.displayName ?? '—'} · {formatDateTime(document.createdAt)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
