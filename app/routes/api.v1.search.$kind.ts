import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'

import { searchPublic } from '~/models/search.server'
import {
  apiError,
  getApiCaller,
  parseApiQuery,
  requireApiRate,
  searchUnavailable,
} from '~/server/api.server'
import { highlightRanges } from '~/utils/highlight'
import { KIND_OF, SEARCH_KINDS, searchParamsSchema, type SearchKind } from '~/validation/search'

export function apiSearchSchema(kind: SearchKind) {
  return searchParamsSchema(kind).extend({
    /** Complete the last word as a prefix (search as you type). */
    prefix: z.enum(['true', 'false'], { message: 'prefix 只能是 true 或 false' }).optional(),
  })
}

/** GET /api/v1/search/{results|needs|experts}: public listings, ranked, with facets. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const kind = SEARCH_KINDS.find((candidate) => candidate === params.kind)
  if (!kind) throw apiError(404, '没有这类搜索：应为 results、needs 或 experts', 'kind')
  const { rateKey } = await getApiCaller(request)
  await requireApiRate('search', rateKey, context.clientIp)
  const query = parseApiQuery(apiSearchSchema(kind), new URL(request.url).searchParams)
  const outcome = await searchPublic(KIND_OF[kind], query, { prefix: query.prefix === 'true' })
  if (outcome.state !== 'ready') throw searchUnavailable(outcome)
  const { page } = outcome
  return json({
    hits: page.hits.map((hit) => ({
      id: hit.id,
      title: hit.display.title,
      snippet: hit.display.snippet,
      orgName: hit.display.orgName,
      score: Number(hit.score.toFixed(4)),
      url: `/${kind}/${hit.id}`,
      matched: hit.matched,
      highlights: {
        title: highlightRanges(hit.display.title, hit.matched),
        snippet: highlightRanges(hit.display.snippet, hit.matched),
      },
    })),
    total: page.total,
    facets: page.facets,
    page: query.page,
    limit: query.limit,
  })
}
