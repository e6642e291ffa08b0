import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'

import {
  districtOptions,
  FieldCodeOptions,
  FilterForm,
  FilterSelect,
  FilterSubmit,
} from '~/components/listing-fields'
import { Pagination } from '~/components/pagination'
import { ListSearchBox } from '~/components/search-box'
import { getRegionName, isKnownFieldCode } from '~/domain/reference'
import { CooperationMode } from '~/generated/prisma/enums'
import { listPublicNeeds } from '~/models/need.server'
import { cooperationModeLabels, formatBudget, formatDate, formatFieldName } from '~/utils/labels'
import { parsePage, requireCanonicalListUrl, requireSearchForQuery } from '~/utils/params'

const PAGE_SIZE = 20

// Unknown or malformed filters are dropped rather than answered with an error page.
const filtersSchema = z.object({
  field: z.string().refine(isKnownFieldCode).optional().catch(undefined),
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .catch(undefined),
  mode: z.enum(Object.values(CooperationMode)).optional().catch(undefined),
})

export async function loader({ request }: LoaderFunctionArgs) {
  requireSearchForQuery(request, 'needs', ['field', 'region', 'mode'])
  const searchParams = new URL(request.url).searchParams
  const filters = filtersSchema.parse(Object.fromEntries(searchParams))
  const page = parsePage(searchParams)
  const { total, items } = await listPublicNeeds(
    { fieldCode: filters.field, regionCode: filters.region, cooperationMode: filters.mode },
    page,
    PAGE_SIZE,
  )
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE))
  requireCanonicalListUrl(request, pageCount)
  return json({ total, items, page, pageCount })
}

export default function NeedsPage() {
  const { total, items, page, pageCount } = useLoaderData<typeof loader>()
  return (
    <div className="stack">
      <h1>技术需求</h1>
      <ListSearchBox
        kind="needs"
        label="搜索技术需求"
        placeholder="搜索需求：企业想解决的技术问题、关键词或拼音"
      />
      <FilterForm label="筛选技术需求">
        <FilterSelect label="技术领域" name="field">
          <FieldCodeOptions emptyLabel="不限" wholeFields />
        </FilterSelect>
        <FilterSelect label="所在区县" name="region" options={districtOptions} />
        <FilterSelect label="合作方式" name="mode" options={cooperationModeLabels} />
        <FilterSubmit count={`共 ${total} 项`} />
      </FilterForm>
      {items.length === 0 ? (
        <p className="empty">没有符合条件的技术需求，换个条件试试。</p>
      ) : (
        <ul className="results-list">
          {items.map((need) => (
            <li key={need.id} className="card listing-card">
              <h2>
                <Link to={`/needs/${need.id}`}>{need.title}</Link>
              </h2>
              <p className="listing-list__meta">
                {need.org.name} · {getRegionName(need.org.regionCode) ?? need.org.regionCode} ·{' '}
                {formatFieldName(need.fieldCode)} · 预算{' '}
                {formatBudget(need.budgetMin, need.budgetMax)}
                {need.deadline ? ` · 截止 ${formatDate(need.deadline)}` : ''} ·{' '}
                {need.cooperationModes.map((mode) => cooperationModeLabels[mode]).join('、')}
              </p>
              <p>
                {need.description.length > 120
                  ? `${need.description.slice(0, 120)}…`
                  : need.description}
              </p>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '技术需求 · 西安科技大市场' }]
