import type { LoaderFunctionArgs } from '@remix-run/node'

import { readDealDocument } from '~/models/deal-document.server'
import { requireUser } from '~/server/auth.server'
import { requireIdParam } from '~/utils/params'

const NOT_FOUND = '该文件不存在，或您无权查看'

/** A contract document, for the deal's participants and the bureau. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const dealId = requireIdParam(params, 'dealId', NOT_FOUND)
  const documentId = requireIdParam(params, 'documentId', NOT_FOUND)
  const document = await readDealDocument(user, dealId, documentId)
  if (!document) throw new Response(NOT_FOUND, { status: 404 })
  return new Response(new Uint8Array(document.bytes), {
    headers: {
      'Content-Type': document.contentType,
      'Content-Length': String(document.bytes.length),
      // Saved, not opened in the page's origin; the name as uploaded, encoded for any header.
      'Content-Disposition': `attachment; filename="document"; filename*=UTF-8''${encodeURIComponent(document.fileName)}`,
      'Cache-Control': 'private, no-store',
    },
  })
}
