import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'

import { Pagination } from '~/components/pagination'
import { StatusBadge } from '~/components/status-badge'
import { EXPIRY_WARNING_DAYS } from '~/domain/constants'
import { getOwnerMove, getOwnerRule, listingRules, type ListingKind } from '~/domain/listing-rules'
import { listExpiringOwnListings, listOwnListings } from '~/models/listing.server'
import { requireRole } from '~/server/auth.server'
import { formatDate, pageNames } from '~/utils/labels'
import { parsePage, requireCanonicalListUrl } from '~/utils/params'

const PAGE_SIZE = 20

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['researcher', 'enterprise'])
  if (!user.org) throw new Response('您的账号未关联单位', { status: 403 })
  const kind = user.role === 'researcher' ? ('result' as const) : ('need' as const)
  const page = parsePage(new URL(request.url).searchParams)
  const warnBefore = new Date(Date.now() + EXPIRY_WARNING_DAYS * 86_400_000)
  const [{ total, items }, expiring] = await Promise.all([
    listOwnListings(kind, user, page, PAGE_SIZE),
    listExpiringOwnListings(kind, user, warnBefore),
  ])
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE))
  requireCanonicalListUrl(request, pageCount)
  return json({ kind, orgName: user.org.name, listings: items, total, page, pageCount, expiring })
}

/** The owner's buttons of one listing, posting to its detail page and coming back here. */
function OwnerActions({
  kind,
  listing,
}: {
  kind: ListingKind
  listing: { id: string; title: string; status: string }
}) {
  const rule = getOwnerRule(kind, listing.status)
  const path = `${listingRules[kind].path}/${listing.id}`
  if (!rule.edit && rule.moves.length === 0) return <span className="muted">无可用操作</span>
  // Every row has the same buttons; the hidden title tells screen-reader users which row's.
  const which = <span className="visually-hidden">“{listing.title}”</span>
  return (
    <div className="row-actions">
      {rule.edit ? (
        <Link to={`${path}/edit`} className="button button--ghost button--small">
          编辑{which}
        </Link>
      ) : null}
      {rule.moves.map((move) => (
        <Form method="post" action={path} key={move.intent} className="inline-form">
          <input type="hidden" name="redirectTo" value="/my/listings" />
          <button
            type="submit"
            name="intent"
            value={move.intent}
            className={
              move.intent === 'submit'
                ? 'button button--small'
                : 'button button--ghost button--small'
            }
          >
            {move.label}
            {which}
          </button>
        </Form>
      ))}
    </div>
  )
}

export default function MyListingsPage() {
  const { kind, orgName, listings, total, page, pageCount, expiring } =
    useLoaderData<typeof loader>()
  const rule = listingRules[kind]
  const createLabel = kind === 'result' ? '发布科技成果' : '发布技术需求'
  return (
    <div className="stack">
      <div className="page-heading">
        <h1>
          {pageNames.ownListings[kind]}
          <small className="muted"> · {orgName}</small>
        </h1>
        {listings.length > 0 ? (
          <Link to={`${rule.path}/new`} className="button">
            {createLabel}
          </Link>
        ) : null}
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
          <ul className="expiring-list">
            {expiring.map((listing) => {
              const reconfirm = getOwnerMove(kind, listing.status, 'reconfirm')
              return (
                <li key={listing.id}>
                  <span className="expiring-list__title">
                    <Link to={`${rule.path}/${listing.id}`}>{listing.title}</Link>
                  </span>
                  <span className="expiring-list__meta">
                    <StatusBadge kind={kind} status={listing.status} />
                    {listing.expiresAt ? (
                      <span className="muted">有效期至 {formatDate(listing.expiresAt)}</span>
                    ) : null}
                  </span>
                  {reconfirm ? (
                    <Form
                      method="post"
                      action={`${rule.path}/${listing.id}`}
                      className="inline-form"
                    >
                      <input type="hidden" name="redirectTo" value="/my/listings" />
                      <button
                        type="submit"
                        name="intent"
                        value={reconfirm.intent}
                        className="button button--small"
                      >
                        {reconfirm.label}
                        <span className="visually-hidden">“{listing.title}”</span>
                      </button>
                    </Form>
                  ) : null}
                </li>
              )
            })}
          </ul>
        </section>
      ) : null}
      {listings.length === 0 ? (
        <section className="card empty-state" aria-labelledby="empty-title">
          <h2 id="empty-title">还没有{rule.label}</h2>
          <p className="muted">
            {kind === 'result'
              ? '发布本单位的科技成果，经审核后向企业公开，并获得匹配的技术需求。'
              : '发布本企业的技术需求，经审核后公开征集，并获得匹配的科技成果和专家。'}
          </p>
          <Link to={`${rule.path}/new`} className="button">
            {createLabel}
          </Link>
        </section>
      ) : (
        <>
          <p className="muted">共 {total} 项</p>
          {/* On phones each row becomes a card with its labels, so the actions stay in view. */}
          <table className="table table--cards">
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
                  <td data-label="名称">
                    <Link to={`${rule.path}/${listing.id}`}>{listing.title}</Link>
                    {listing.status === 'rejected' && listing.rejectionReason ? (
                      <p className="field-errors">驳回理由：{listing.rejectionReason}</p>
                    ) : null}
                  </td>
                  <td data-label="状态">
                    <StatusBadge kind={kind} status={listing.status} />
                  </td>
                  <td data-label="有效期至">
                    {listing.expiresAt ? formatDate(listing.expiresAt) : '—'}
                  </td>
                  <td data-label="更新时间">{formatDate(listing.updatedAt)}</td>
                  <td data-label="操作">
                    <OwnerActions kind={kind} listing={listing} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${pageNames.ownListings[data.kind]} · 西安科技大市场` : '西安科技大市场' },
]
