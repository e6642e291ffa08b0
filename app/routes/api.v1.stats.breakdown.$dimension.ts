import { json, type LoaderFunctionArgs } from '@remix-run/node'

import { STATISTICS_ROLES } from '~/domain/constants'
import { currentYear, STAT_DIMENSIONS } from '~/domain/statistics'
import { getBreakdown } from '~/models/stats.server'
import {
  apiError,
  getApiCaller,
  parseApiQuery,
  requireApiRate,
  requireApiRole,
} from '~/server/api.server'
import { statDimensionSchema, statsQuerySchema, toStatFilters } from '~/validation/statistics'

/** GET /api/v1/stats/breakdown/{dimension}: the figures along one dimension; rows sum to the total. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, rateKey } = await getApiCaller(request)
  requireApiRole(user, STATISTICS_ROLES, '技术合同统计')
  await requireApiRate('search', rateKey, context.clientIp)
  const dimension = statDimensionSchema.safeParse(params.dimension)
  if (!dimension.success) throw apiError(404, dimension.error.issues[0]!.message, 'dimension')
  const query = parseApiQuery(statsQuerySchema, new URL(request.url).searchParams)
  const filters = toStatFilters(query, currentYear())
  const rows = await getBreakdown(filters, dimension.data)
  return json({
    dimension: dimension.data,
    dimensionLabel: STAT_DIMENSIONS[dimension.data],
    filters,
    rows,
  })
}
