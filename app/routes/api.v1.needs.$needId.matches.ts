import { json, type LoaderFunctionArgs } from '@remix-run/node'

import { getNeedMatches } from '~/models/matching.server'
import {
  apiError,
  getApiCaller,
  matchHit,
  requireApiRate,
  searchUnavailable,
} from '~/server/api.server'
import { isId } from '~/utils/params'

/** GET /api/v1/needs/:id/matches: a need's ranked results and experts, for whoever may see it. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, rateKey } = await getApiCaller(request)
  await requireApiRate('search', rateKey, context.clientIp)
  const matches = isId(params.needId) ? await getNeedMatches(params.needId, user) : null
  if (!matches) throw apiError(404, '需求不存在或无权查看', 'id')
  if (matches.state !== 'ready') throw searchUnavailable(matches)
  const hits = [...matches.results, ...matches.experts].sort((a, b) => b.score - a.score)
  return json({ hits: hits.map(matchHit) })
}
