import { json, type LoaderFunctionArgs } from '@remix-run/node'

import { STATISTICS_ROLES } from '~/domain/constants'
import { currentYear } from '~/domain/statistics'
import { getFigures } from '~/models/stats.server'
import { getApiCaller, parseApiQuery, requireApiRate, requireApiRole } from '~/server/api.server'
import { statsQuerySchema, toStatFilters } from '~/validation/statistics'

/** GET /api/v1/stats/summary: the bureau's headline figures for a period and filters. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, rateKey } = await getApiCaller(request)
  requireApiRole(user, STATISTICS_ROLES, '技术合同统计')
  await requireApiRate('search', rateKey, context.clientIp)
  const query = parseApiQuery(statsQuerySchema, new URL(request.url).searchParams)
  const filters = toStatFilters(query, currentYear())
  return json({ filters, figures: await getFigures(filters) })
}
