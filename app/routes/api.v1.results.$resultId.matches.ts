import { json, type LoaderFunctionArgs } from '@remix-run/node'

import { getResultMatches } from '~/models/matching.server'
import {
  apiError,
  getApiCaller,
  matchHit,
  requireApiRate,
  searchUnavailable,
} from '~/server/api.server'
import { isId } from '~/utils/params'

/** GET /api/v1/results/:id/matches: the open needs a result could solve. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, rateKey } = await getApiCaller(request)
  await requireApiRate('search', rateKey, context.clientIp)
  const matches = isId(params.resultId) ? await getResultMatches(params.resultId, user) : null
  if (!matches) throw apiError(404, '科技成果不存在或无权查看', 'id')
  if (matches.state !== 'ready') throw searchUnavailable(matches)
  return json({ hits: matches.needs.map(matchHit) })
}
