import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'

import { Pagination, parsePage } from '~/components/pagination'
import { StatusBadge } from '~/components/status-badge'
import { EXPIRY_WARNING_DAYS } from '~/domain/constants'
import { isEditable, listingRules } from '~/domain/listing-rules'
import { listExpiringOwnListings, listOwnListings } from '~/models/listing.server'
import { requireRole } from '~/server/auth.server'
import { formatDate } from '~/utils/labels'

const PAGE_SIZE = 20

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['researcher', 'enterprise'])
  if (!user.org) throw new Response('您的账号未关联单位', { status: 403 })
  const kind = user.role === 'researcher' ? ('result' as const) : ('need' as const)
  const page = parsePage(new URL(request.url).searchParams)
  const warnBefore = new Date(Date.now() + EXPIRY_WARNING_DAYS * 86_400_000)
  const [{ total, items }, expiring] = await Promise.all([
    listOwnListings(kind, user.org.id, page, PAGE_SIZE),
    listExpiringOwnListings(kind, user.org.id, warnBefore),
  ])
  return json({
    kind,
    orgName: user.org.name,
    listings: items,
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    expiring,
  })
}

export default function MyListingsPage() {
  const { kind, orgName, listings, total, page, pageCount, expiring } =
    useLoaderData<typeof loader>()
  const rule = listingRules[kind]
  return (
    <div className="stack">
      <div className="form-actions">
        <h1>
          {kind === 'result' ? '我的成果' : '我的需求'}
          <small className="muted"> · {orgName}</small>
        </h1>
        <Link to={`${rule.path}/new`} className="button">
          {kind === 'result' ? '发布科技成果' : '发布技术需求'}
        </Link>
      </div>
      {expiring.length > 0 ? (
        <section className="card" aria-labelledby="expiring-title">
          <h2 id="expiring-title">
            即将过期或已过期{expiring.length < 50 ? `（${expiring.length}）` : ''}
          </h2>
          <p className="muted">
            信息长期不更新会被买方视为失效。确认仍然有效即可再公开 180
            天；过期的信息已从公开列表下线，仅本单位可见。
          </p>
          <ul className="listing-list">
            {expiring.map((listing) => (
              <li key={listing.id} className="form-actions">
                <Link to={`${rule.path}/${listing.id}`}>{listing.title}</Link>
                <StatusBadge kind={kind} status={listing.status} />
                <span className="muted">
                  {listing.expiresAt ? `有效期至 ${formatDate(listing.expiresAt)}` : null}
                </span>
                <Form method="post" action={`${rule.path}/${listing.id}`} className="inline-form">
                  <input type="hidden" name="redirectTo" value="/my/listings" />
                  <button type="submit" name="intent" value="reconfirm" className="button">
                    确认仍有效
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p className="muted">共 {total} 项</p>
      {listings.length === 0 ? (
        <p className="empty">
          还没有{rule.label}。<Link to={`${rule.path}/new`}>现在发布</Link>
        </p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">名称</th>
              <th scope="col">状态</th>
              <th scope="col">有效期至</th>
              <th scope="col">更新时间</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {listings.map((listing) => (
              <tr key={listing.id}>
                <td>
                  <Link to={`${rule.path}/${listing.id}`}>{listing.title}</Link>
                  {listing.status === 'rejected' && listing.rejectionReason ? (
                    <p className="field-errors">驳回理由：{listing.rejectionReason}</p>
                  ) : null}
                </td>
                <td>
                  <StatusBadge kind={kind} status={listing.status} />
                </td>
                <td>{listing.expiresAt ? formatDate(listing.expiresAt) : '—'}</td>
                <td>{formatDate(listing.updatedAt)}</td>
                <td>
                  {isEditable(kind, listing.status) ? (
                    <Link to={`${rule.path}/${listing.id}/edit`}>编辑</Link>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '我的发布 · 西安科技大市场' }]
