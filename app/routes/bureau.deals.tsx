import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'

import { ErrorList } from '~/components/forms'
import { Pagination } from '~/components/pagination'
import { STATISTICS_ROLES } from '~/domain/constants'
import { getFieldName, getRegionName } from '~/domain/reference'
import { currentYear, LOCALITY_SCOPES, NONE, type StatFilters } from '~/domain/statistics'
import { listDealsBehind } from '~/models/stats.server'
import { requireRole } from '~/server/auth.server'
import { contractTypeLabels, formatDate, formatWan, orgKindLabels, pageNames } from '~/utils/labels'
import { parsePage, requireCanonicalListUrl } from '~/utils/params'
import { readStatFilters, toStatQuery } from '~/validation/statistics'

const PAGE_SIZE = 20

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, STATISTICS_ROLES)
  const url = new URL(request.url)
  const read = readStatFilters(url.searchParams, currentYear())
  if (!read.ok) return json({ ok: false as const, errors: read.errors }, { status: 400 })
  const page = parsePage(url.searchParams)
  const behind = await listDealsBehind(read.filters, page, PAGE_SIZE)
  const pageCount = Math.max(1, Math.ceil(behind.total / PAGE_SIZE))
  requireCanonicalListUrl(request, pageCount)
  return json({
    ok: true as const,
    filters: read.filters,
    dashboard: `/bureau?${toStatQuery(read.filters)}`,
    page,
    pageCount,
    ...behind,
  })
}

/** The filters in words, as the list's heading says what it lists. */
function describeFilters(filters: StatFilters) {
  const { period } = filters
  const none = (value: string, name: (value: string) => string | undefined, empty: string) =>
    value === NONE ? empty : (name(value) ?? value)
  return [
    period.from === period.to ? period.from : `${period.from} 至 ${period.to}`,
    `本地范围：${LOCALITY_SCOPES[filters.scope].label}`,
    filters.field && none(filters.field, getFieldName, '未填写领域'),
    filters.contractType &&
      contractTypeLabels[filters.contractType as keyof typeof contractTypeLabels],
    filters.subType && none(filters.subType, (value) => value, '未填写子类'),
    filters.sellerKind && `卖方：${orgKindLabels[filters.sellerKind]}`,
    filters.buyerKind && `买方：${orgKindLabels[filters.buyerKind]}`,
    filters.sellerRegion &&
      `卖方所在地：${getRegionName(filters.sellerRegion) ?? filters.sellerRegion}`,
    filters.buyerRegion &&
      `买方所在地：${getRegionName(filters.buyerRegion) ?? filters.buyerRegion}`,
    filters.broker && (filters.broker === NONE ? '未经经纪人' : '指定经纪人经办'),
  ].filter(Boolean) as string[]
}

export default function BureauDealsPage() {
  const data = useLoaderData<typeof loader>()
  if (!data.ok) {
    return (
      <div className="stack">
        <h1>统计所含合同</h1>
        <ErrorList errors={data.errors} />
        <p>
          <Link to="/bureau">返回{pageNames.statistics}</Link>
        </p>
      </div>
    )
  }
  const { filters, deals, total, contractAmount, page, pageCount, dashboard } = data
  return (
    <div className="stack">
      <h1>统计所含合同</h1>
      <p className="muted">
        {describeFilters(filters).join(' · ')}：共 {total.toLocaleString('zh-CN')} 份，成交额{' '}
        {formatWan(contractAmount)} 万元。<Link to={dashboard}>返回{pageNames.statistics}</Link>
      </p>
      {deals.length === 0 ? (
        <p className="empty">没有符合这些条件的已登记合同。</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">合同</th>
              <th scope="col">登记编号</th>
              <th scope="col">登记日期</th>
              <th scope="col">类别</th>
              <th scope="col">卖方</th>
              <th scope="col">买方</th>
              <th scope="col">成交额（万元）</th>
            </tr>
          </thead>
          <tbody>
            {deals.map((deal) => (
              <tr key={deal.id}>
                <th scope="row">
                  <Link to={`/deals/${deal.id}`}>{deal.title}</Link>
                </th>
                <td>{deal.registrationNo}</td>
                <td>{formatDate(deal.registeredAt)}</td>
                <td>
                  {contractTypeLabels[deal.contractType]}
                  {deal.subType ? ` · ${deal.subType}` : ''}
                </td>
                <td>{deal.seller}</td>
                <td>{deal.buyer}</td>
                <td>{formatWan(deal.contractAmount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: `统计所含合同 · 西安科技大市场` }]
