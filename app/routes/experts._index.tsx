import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'

import { Pagination, parsePage } from '~/components/pagination'
import { getFieldName, highTechFields, isKnownFieldCode } from '~/domain/reference'
import { listExperts } from '~/models/expert.server'
import { listResearchOrganizations } from '~/models/organization.server'
import { getOptionalUser } from '~/server/auth.server'
import { orgKindLabels } from '~/utils/labels'

// Filters come from a shareable URL: anything invalid is dropped rather than refused.
const filterSchema = z.object({
  field: z.string().refine(isKnownFieldCode).optional().catch(undefined),
  org: z.string().max(40).optional().catch(undefined),
  q: z
    .string()
    .transform((text) => text.replaceAll('\u0000', '').trim().slice(0, 50) || undefined)
    .optional()
    .catch(undefined),
})

export async function loader({ request }: LoaderFunctionArgs) {
  const searchParams = new URL(request.url).searchParams
  const query = filterSchema.parse(Object.fromEntries(searchParams))
  const [user, researchOrgs] = await Promise.all([
    getOptionalUser(request),
    listResearchOrganizations(),
  ])
  // An institution that is not in the list would only ever show an empty page.
  const orgId = researchOrgs.some((org) => org.id === query.org) ? query.org : undefined
  const filters = { fieldCode: query.field, orgId, query: query.q }
  const { total, page, pageCount, experts } = await listExperts({
    page: parsePage(searchParams),
    filters,
  })
  return json({
    experts,
    total,
    page,
    pageCount,
    researchOrgs,
    filters,
    canCreate: user?.role === 'researcher',
  })
}

export default function ExpertsPage() {
  const { experts, total, page, pageCount, researchOrgs, filters, canCreate } =
    useLoaderData<typeof loader>()
  return (
    <div className="stack">
      <h1>专家</h1>
      <p className="muted">西安地区高校和科研院所的专家，可按技术领域、所在单位或研究方向查找。</p>
      {canCreate ? (
        <p>
          <Link to="/experts/new" className="button">
            新建专家档案
          </Link>
        </p>
      ) : null}
      {/* Keyed by the applied filters so that back/forward navigation shows them, not stale input. */}
      <Form method="get" className="filter-bar" key={JSON.stringify(filters)}>
        <label htmlFor="expert-field">技术领域</label>
        <select id="expert-field" name="field" defaultValue={filters.fieldCode ?? ''}>
          <option value="">全部领域</option>
          {highTechFields.map((field) => (
            <optgroup key={field.code} label={field.name}>
              <option value={field.code}>{field.name}（全部）</option>
              {field.children.map((child) => (
                <option key={child.code} value={child.code}>
                  {child.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <label htmlFor="expert-org">所在单位</label>
        <select id="expert-org" name="org" defaultValue={filters.orgId ?? ''}>
          <option value="">全部单位</option>
          {researchOrgs.map((org) => (
            <option key={org.id} value={org.id}>
              {org.name}（{orgKindLabels[org.kind]}）
            </option>
          ))}
        </select>
        <label htmlFor="expert-q">姓名或关键词</label>
        <input
          id="expert-q"
          name="q"
          type="search"
          maxLength={50}
          defaultValue={filters.query ?? ''}
        />
        <button type="submit" className="button button--ghost">
          筛选
        </button>
        <span className="muted" role="status">
          共 {total} 位专家
        </span>
      </Form>
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
                技术领域：{expert.fields.map((code) => getFieldName(code) ?? code).join('、')}
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
