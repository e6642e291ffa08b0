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
import { TransferMode } from '~/generated/prisma/enums'
import { listPublicResults } from '~/models/result.server'
import {
  formatDate,
  formatFieldName,
  formatWan,
  transferModeLabels,
  trlLabels,
} from '~/utils/labels'
import { parsePage, requireCanonicalListUrl, requireSearchForQuery } from '~/utils/params'

const PAGE_SIZE = 20

const trlFilterOptions = Object.fromEntries(
  Object.entries(trlLabels).map(([level, name]) => [level, `TRL ${level} · ${name}`]),
)

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
  requireSearchForQuery(request, 'results', ['field', 'trl', 'region', 'mode'])
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
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE))
  requireCanonicalListUrl(request, pageCount)
  return json({ total, items, page, pageCount })
}

export default function ResultsPage() {
  const { total, items, page, pageCount } = useLoaderData<typeof loader>()
  return (
    <div className="stack">
      <h1>科技成果</h1>
      <ListSearchBox
        kind="results"
        label="搜索科技成果"
        placeholder="搜索成果：技术、产品、关键词或拼音，如 石墨烯、jghj"
      />
      <FilterForm label="筛选科技成果">
        <FilterSelect label="技术领域" name="field">
          <FieldCodeOptions emptyLabel="不限" wholeFields />
        </FilterSelect>
        <FilterSelect label="成熟度不低于" name="trl" options={trlFilterOptions} />
        <FilterSelect label="所在区县" name="region" options={districtOptions} />
        <FilterSelect label="转化方式" name="mode" options={transferModeLabels} />
        <FilterSubmit count={`共 ${total} 项`} />
      </FilterForm>
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
                · {formatFieldName(result.fieldCode)} · TRL {result.trl} ·{' '}
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
