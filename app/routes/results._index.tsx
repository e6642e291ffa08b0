import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'

import { FieldCodeOptions } from '~/components/listing-fields'
import { Pagination, parsePage } from '~/components/pagination'
import { TransferMode } from '~/generated/prisma/enums'
import { listPublicResults } from '~/models/result.server'
import { formatDate, formatWan, transferModeLabels, trlLabels } from '~/utils/labels'
import { getFieldName, getRegionName, isKnownFieldCode, xianDistricts } from '~/utils/reference'

const PAGE_SIZE = 20

// Unknown or malformed filters are dropped rather than answered with an error page.
const filtersSchema = z.object({
  field: z.string().refine(isKnownFieldCode).optional().catch(undefined),
  trl: z.coerce.number().int().min(1).max(9).optional().catch(undefined),
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .catch(undefined),
  mode: z.enum(Object.values(TransferMode)).optional().catch(undefined),
})

export async function loader({ request }: LoaderFunctionArgs) {
  const searchParams = new URL(request.url).searchParams
  const filters = filtersSchema.parse(Object.fromEntries(searchParams))
  const page = parsePage(searchParams)
  const { total, items } = await listPublicResults(
    {
      fieldCode: filters.field,
      trlMin: filters.trl,
      regionCode: filters.region,
      transferMode: filters.mode,
    },
    page,
    PAGE_SIZE,
  )
  return json({ total, items, page, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)) })
}

export default function ResultsPage() {
  const { total, items, page, pageCount } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  return (
    <div className="stack">
      <h1>科技成果</h1>
      <Form method="get" className="filter-bar" aria-label="筛选科技成果">
        <label htmlFor="filter-field">技术领域</label>
        <select id="filter-field" name="field" defaultValue={searchParams.get('field') ?? ''}>
          <FieldCodeOptions />
        </select>
        <label htmlFor="filter-trl">成熟度不低于</label>
        <select id="filter-trl" name="trl" defaultValue={searchParams.get('trl') ?? ''}>
          <option value="">不限</option>
          {Object.entries(trlLabels).map(([level, name]) => (
            <option key={level} value={level}>
              TRL {level} · {name}
            </option>
          ))}
        </select>
        <label htmlFor="filter-region">所在区县</label>
        <select id="filter-region" name="region" defaultValue={searchParams.get('region') ?? ''}>
          <option value="">不限</option>
          {xianDistricts.map((district) => (
            <option key={district.code} value={district.code}>
              {district.name}
            </option>
          ))}
        </select>
        <label htmlFor="filter-mode">转化方式</label>
        <select id="filter-mode" name="mode" defaultValue={searchParams.get('mode') ?? ''}>
          <option value="">不限</option>
          {Object.entries(transferModeLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <button type="submit" className="button button--ghost">
          筛选
        </button>
        <span className="muted" role="status">
          共 {total} 项
        </span>
      </Form>
      {items.length === 0 ? (
        <p className="empty">没有符合条件的科技成果，换个条件试试。</p>
      ) : (
        <ul className="results-list">
          {items.map((result) => (
            <li key={result.id} className="card listing-card">
              <h2>
                <Link to={`/results/${result.id}`}>{result.title}</Link>
              </h2>
              <p className="listing-list__meta">
                {result.org.name} · {getRegionName(result.org.regionCode) ?? result.org.regionCode}{' '}
                · {getFieldName(result.fieldCode) ?? result.fieldCode} · TRL {result.trl} ·{' '}
                {result.transferModes.map((mode) => transferModeLabels[mode]).join('、')} ·{' '}
                {result.askingPrice ? `${formatWan(result.askingPrice)} 万元` : '面议'}
              </p>
              <p>
                {result.summary.length > 120 ? `${result.summary.slice(0, 120)}…` : result.summary}
              </p>
              {result.confirmedAt ? (
                <p className="muted">信息确认于 {formatDate(result.confirmedAt)}</p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '科技成果 · 西安科技大市场' }]
