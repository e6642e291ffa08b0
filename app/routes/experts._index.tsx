import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'

import {
  FieldCodeOptions,
  FilterForm,
  FilterSelect,
  FilterSubmit,
} from '~/components/listing-fields'
import { Pagination } from '~/components/pagination'
import { ListSearchBox } from '~/components/search-box'
import { isKnownFieldCode } from '~/domain/reference'
import { listExperts } from '~/models/expert.server'
import { listResearchOrganizations } from '~/models/organization.server'
import { getOptionalUser } from '~/server/auth.server'
import { formatFieldName, orgKindLabels } from '~/utils/labels'
import { parsePage, requireCanonicalListUrl, requireSearchForQuery } from '~/utils/params'

// Filters come from a shareable URL: anything invalid is dropped rather than refused.
const filterSchema = z.object({
  field: z.string().refine(isKnownFieldCode).optional().catch(undefined),
  org: z.string().max(40).optional().catch(undefined),
})

export async function loader({ request }: LoaderFunctionArgs) {
  requireSearchForQuery(request, 'experts', ['field'])
  const searchParams = new URL(request.url).searchParams
  const query = filterSchema.parse(Object.fromEntries(searchParams))
  const [user, researchOrgs] = await Promise.all([
    getOptionalUser(request),
    listResearchOrganizations(),
  ])
  // An institution that is not in the list would only ever show an empty page.
  const orgId = researchOrgs.some((org) => org.id === query.org) ? query.org : undefined
  const filters = { fieldCode: query.field, orgId }
  const { total, page, pageCount, experts } = await listExperts({
    page: parsePage(searchParams),
    filters,
  })
  requireCanonicalListUrl(request, pageCount)
  return json({
    experts,
    total,
    page,
    pageCount,
    researchOrgs,
    canCreate: user?.role === 'researcher',
  })
}

export default function ExpertsPage() {
  const { experts, total, page, pageCount, researchOrgs, canCreate } =
    useLoaderData<typeof loader>()
  return (
    <div className="stack">
      <h1>专家</h1>
      <p className="muted">西安地区高校和科研院所的专家，可按技术领域、所在单位或研究方向查找。</p>
      {canCreate ? (
        <p>
          <Link to="/experts/new" className="button">
            建立专家档案
          </Link>
        </p>
      ) : null}
      <ListSearchBox
        kind="experts"
        label="搜索专家"
        placeholder="搜索专家：姓名、研究方向或关键词，如 区块链、电池"
      />
      <FilterForm label="筛选专家">
        <FilterSelect label="技术领域" name="field">
          <FieldCodeOptions emptyLabel="全部领域" wholeFields />
        </FilterSelect>
        <FilterSelect
          label="所在单位"
          name="org"
          emptyLabel="全部单位"
          options={Object.fromEntries(
            researchOrgs.map((org) => [org.id, `${org.name}（${orgKindLabels[org.kind]}）`]),
          )}
        />
        <FilterSubmit count={`共 ${total} 位专家`} />
      </FilterForm>
      {experts.length === 0 ? (
        <p className="empty">没有符合条件的专家，请调整筛选条件后再试。</p>
      ) : (
        <ul className="listing-list card">
          {experts.map((expert) => (
            <li key={expert.id}>
              <Link to={`/experts/${expert.id}`} className="listing-list__title">
                {expert.name}
              </Link>
              <span className="listing-list__meta">
                {[expert.title, expert.org.name].filter(Boolean).join(' · ')}
              </span>
              <span className="listing-list__meta">
                技术领域：{expert.fields.map(formatFieldName).join('、')}
              </span>
              {expert.keywords.length > 0 ? (
                <span className="listing-list__meta">关键词：{expert.keywords.join('、')}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '专家 · 西安科技大市场' }]
