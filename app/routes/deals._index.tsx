import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'

import { Pagination } from '~/components/pagination'
import { DEAL_PATH } from '~/domain/deals'
import { countUnreadMessages } from '~/models/deal-room.server'
import { DEALS_PAGE_SIZE, listDealsForViewer } from '~/models/deal.server'
import { requireUser } from '~/server/auth.server'
import { dealStatusLabels, formatDate, formatWan } from '~/utils/labels'
import { parsePage, requireCanonicalListUrl } from '~/utils/params'

const STATUSES = [...DEAL_PATH, 'cancelled'] as const
/** The tab: every deal, one status, or (for brokers) enquiries nobody has taken up. */
const showSchema = z
  .enum([...STATUSES, 'open'])
  .optional()
  .catch(undefined)

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const searchParams = new URL(request.url).searchParams
  const show = showSchema.parse(searchParams.get('show') ?? undefined)
  const page = parsePage(searchParams)
  const open = show === 'open' && user.role === 'broker'
  const { deals, total } = await listDealsForViewer(user, {
    page,
    status: show && show !== 'open' ? show : undefined,
    open,
  })
  const pageCount = Math.max(1, Math.ceil(total / DEALS_PAGE_SIZE))
  requireCanonicalListUrl(request, pageCount)
  const unread = await countUnreadMessages(
    user,
    deals.map((deal) => deal.id),
  )
  return json({
    deals: deals.map((deal) => ({ ...deal, unread: unread.get(deal.id) ?? 0 })),
    total,
    page,
    pageCount,
    show: open ? 'open' : show && show !== 'open' ? show : null,
    isBroker: user.role === 'broker',
    isBureau: user.role === 'bureau',
  })
}

export default function DealsPage() {
  const { deals, total, page, pageCount, show, isBroker, isBureau } = useLoaderData<typeof loader>()
  const tabs: { value: string | null; label: string }[] = [
    { value: null, label: '全部' },
    ...(isBroker ? [{ value: 'open', label: '待接手的对接' }] : []),
    ...STATUSES.map((status) => ({ value: status, label: dealStatusLabels[status] })),
  ]
  return (
    <div className="stack">
      <div className="page-heading">
        <h1>{isBureau ? '技术合同' : '我的合同'}</h1>
        {isBroker ? (
          <p>
            <Link to="/pipeline">经纪看板</Link> · <Link to="/ledger">佣金台账</Link>
          </p>
        ) : isBureau ? (
          <p>
            <Link to="/ledger">技术经纪人台账</Link>
          </p>
        ) : null}
      </div>
      <nav className="filter-bar" aria-label="合同状态">
        {tabs.map((tab) => (
          <Link
            key={tab.value ?? 'all'}
            to={tab.value ? `/deals?show=${tab.value}` : '/deals'}
            className={show === tab.value ? 'button' : 'button button--ghost'}
            aria-current={show === tab.value ? 'page' : undefined}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      <p className="muted" role="status">
        共 {total} 份合同
      </p>
      {deals.length === 0 ? (
        <p className="empty">
          {show
            ? '没有这一状态的合同。'
            : '暂无合同。在科技成果、技术需求或专家页面点击“我要对接”，即可与对方开始洽谈。'}
        </p>
      ) : (
        <ul className="listing-list">
          {deals.map((deal) => (
            <li key={deal.id}>
              <Link to={`/deals/${deal.id}`} className="listing-list__title">
                {deal.title}
              </Link>
              {deal.unread > 0 ? (
                <span className="unread-badge">
                  {deal.unread}
                  <span className="visually-hidden"> 条未读消息</span>
                </span>
              ) : null}
              <span className="listing-list__meta">
                {[
                  `${deal.sellerOrg.name} → ${deal.buyerOrg.name}`,
                  dealStatusLabels[deal.status],
                  deal.contractAmount === null ? null : `${formatWan(deal.contractAmount)} 万元`,
                  deal.broker ? `经纪人 ${deal.broker.displayName}` : null,
                  `更新于 ${formatDate(deal.updatedAt)}`,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '合同 · 西安科技大市场' }]
