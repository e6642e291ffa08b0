import { json, type ActionFunctionArgs } from '@remix-run/node'

import { matchNeedText } from '~/models/matching.server'
import {
  apiError,
  getApiCaller,
  matchHit,
  parseApiBody,
  readJsonBody,
  requireApiRate,
  searchUnavailable,
} from '~/server/api.server'
import { MATCH_BODY_LIMIT, matchRequestSchema } from '~/validation/search'

export function loader() {
  throw apiError(405, '请用 POST 提交需求（JSON）', undefined, { Allow: 'POST' })
}

/** POST /api/v1/match: a need as JSON → the results and experts that could solve it. */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') {
    throw apiError(405, '请用 POST 提交需求（JSON）', undefined, { Allow: 'POST' })
  }
  const { rateKey } = await getApiCaller(request)
  await requireApiRate('match', rateKey, context.clientIp)
  const need = parseApiBody(matchRequestSchema, await readJsonBody(request, MATCH_BODY_LIMIT))
  const outcome = await matchNeedText({
    title: need.title,
    description: need.description,
    fieldCode: need.field,
    keywords: need.keywords,
    budgetMax: need.budgetMax,
  })
  if (outcome.state !== 'ready') throw searchUnavailable(outcome)
  const hits = [...outcome.results, ...outcome.experts].sort((a, b) => b.score - a.score)
  return json({ hits: hits.map(matchHit) })
}
