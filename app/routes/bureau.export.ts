import type { LoaderFunctionArgs } from '@remix-run/node'

import { STATISTICS_ROLES } from '~/domain/constants'
import { currentYear } from '~/domain/statistics'
import { buildBreakdownCsv, buildStatsWorkbook, exportFileName } from '~/models/stats-export.server'
import { requireRole } from '~/server/auth.server'
import { readStatFilters } from '~/validation/statistics'

const FORMATS = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
} as const

/**
 * GET /bureau/export?format=xlsx|csv&…filters: the dashboard's current view as a file. XLSX
 * holds the summary and every breakdown; CSV the breakdown the page shows (`by`).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, STATISTICS_ROLES)
  const url = new URL(request.url)
  const format = url.searchParams.get('format') ?? 'xlsx'
  if (format !== 'xlsx' && format !== 'csv') {
    throw new Response('导出格式（format）应为 xlsx 或 csv', { status: 400 })
  }
  const read = readStatFilters(url.searchParams, currentYear())
  if (!read.ok) throw new Response(read.errors.join('\n'), { status: 400 })
  const body =
    format === 'xlsx'
      ? await buildStatsWorkbook(read.filters)
      : await buildBreakdownCsv(read.filters, read.by)
  const name = exportFileName(read.filters, format)
  return new Response(body, {
    headers: {
      'Content-Type': FORMATS[format],
      'Content-Disposition': `attachment; filename="stats.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'Cache-Control': 'private, no-store',
    },
  })
}
