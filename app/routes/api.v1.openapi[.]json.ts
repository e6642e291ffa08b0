import { json, type LoaderFunctionArgs } from '@remix-run/node'

import { buildOpenApiDocument } from '~/validation/openapi'

/** GET /api/v1/openapi.json: the API described as OpenAPI 3.1, from the routes' own schemas. */
export function loader({ request }: LoaderFunctionArgs) {
  return json(buildOpenApiDocument(new URL(request.url).origin), {
    headers: { 'Cache-Control': 'public, max-age=300' },
  })
}
