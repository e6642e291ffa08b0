import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'

import { DocumentList } from '~/components/document-list'
import { ErrorList } from '~/components/forms'
import { canSpeakInDeal } from '~/domain/deals'
import { DOCUMENT_KIND_LABELS, DOCUMENT_MAX_BYTES, DOCUMENT_TYPES } from '~/domain/documents'
import { listDealDocuments, uploadDealDocument } from '~/models/deal-document.server'
import { getDealForViewer } from '~/models/deal.server'
import { redirectWithToast, requireUser } from '~/server/auth.server'
import { readFormData } from '~/utils/forms.server'
import { requireIdParam } from '~/utils/params'

const NOT_FOUND = '该合同不存在，或您不是它的参与方'
const ACCEPT = Object.values(DOCUMENT_TYPES)
  .flatMap((type) => [type.contentType, ...type.extensions.map((extension) => `.${extension}`)])
  .join(',')

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const id = requireIdParam(params, 'dealId', NOT_FOUND)
  const page = await getDealForViewer(user, id)
  if (!page || page.capacities.length === 0) throw new Response(NOT_FOUND, { status: 404 })
  return json({
    deal: { id: page.deal.id, title: page.deal.title, status: page.deal.status },
    documents: await listDealDocuments(id),
    canUpload: canSpeakInDeal(page.capacities) && page.deal.status !== 'cancelled',
  })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const id = requireIdParam(params, 'dealId', NOT_FOUND)
  const form = await readFormData(request)
  const outcome = await uploadDealDocument(user, id, {
    file: form.get('file'),
    kind: form.get('kind'),
  })
  if (!outcome.ok) {
    return json(
      { error: outcome.reason, field: outcome.field, kind: String(form.get('kind') ?? '') },
      { status: outcome.status },
    )
  }
  return redirectWithToast(request, `/deals/${id}/documents`, {
    kind: 'success',
    message: `已上传：${outcome.fileName}`,
  })
}

export default function DealDocumentsPage() {
  const { deal, documents, canUpload } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const fileError = failed && failed.field !== 'kind' ? [failed.error] : undefined
  const kindError = failed?.field === 'kind' ? [failed.error] : undefined
  return (
    <div className="stack">
      <p>
        <Link to={`/deals/${deal.id}`}>← {deal.title}</Link>
      </p>
      <h1>合同文件</h1>
      {canUpload ? (
        <section className="card stack" aria-labelledby="upload-title">
          <h2 id="upload-title">上传文件</h2>
          <Form method="post" encType="multipart/form-data" className="stack">
            <div className={kindError ? 'field field--invalid' : 'field'}>
              <label htmlFor="document-kind">类别</label>
              <select
                id="document-kind"
                name="kind"
                defaultValue={failed?.kind || 'contract'}
                aria-invalid={kindError ? true : undefined}
                aria-describedby={kindError ? 'document-kind-error' : undefined}
              >
                {Object.entries(DOCUMENT_KIND_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
              <ErrorList id="document-kind-error" errors={kindError} />
            </div>
            <div className={fileError ? 'field field--invalid' : 'field'}>
              <label htmlFor="document-file">文件</label>
              <input
                id="document-file"
                name="file"
                type="file"
                required
                accept={ACCEPT}
                aria-invalid={fileError ? true : undefined}
                aria-describedby={joinDescribedBy(fileError)}
              />
              <p id="document-file-help" className="field-help">
                PDF、PNG 或 JPEG，单个文件不超过 {DOCUMENT_MAX_BYTES / 1024 / 1024} MB。
                文件按内容核验，扩展名须与内容一致。
              </p>
              <ErrorList id="document-file-error" errors={fileError} />
            </div>
            <button type="submit" className="button" disabled={busy}>
              {busy ? '正在上传…' : '上传'}
            </button>
          </Form>
        </section>
      ) : null}
      <section className="card stack" aria-labelledby="documents-title">
        <h2 id="documents-title">已上传的文件</h2>
        <DocumentList dealId={deal.id} documents={documents} />
      </section>
    </div>
  )
}

function joinDescribedBy(errors: string[] | undefined) {
  return errors ? 'document-file-help document-file-error' : 'document-file-help'
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `合同文件 · ${data.deal.title} · 西安科技大市场` : '合同文件 · 西安科技大市场' },
]
