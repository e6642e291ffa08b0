import { Form, Link, useNavigation } from '@remix-run/react'

import { StatusBadge } from '~/components/status-badge'
import { getOwnerRule, listingRules, type ListingKind } from '~/domain/listing-rules'
import { formatDate } from '~/utils/labels'

interface Decision {
  id: string
  outcome: 'approved' | 'rejected'
  reason: string | null
  createdAt: string
  moderator: { displayName: string }
}

/**
 * What the owning organization sees on its own listing: status, the moderator's reason,
 * freshness, and exactly the actions the owner rules allow in its status.
 */
export function OwnerPanel({
  kind,
  listing,
  decisions,
  error,
}: {
  kind: ListingKind
  listing: { id: string; status: string; rejectionReason: string | null; expiresAt: string | null }
  decisions: Decision[]
  error?: string
}) {
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle'
  const rule = getOwnerRule(kind, listing.status)
  return (
    <section className="card" aria-labelledby="owner-panel-title">
      <h2 id="owner-panel-title">
        本单位管理 <StatusBadge kind={kind} status={listing.status} />
      </h2>
      {listing.status === 'rejected' && listing.rejectionReason ? (
        <p className="notice notice--error">驳回理由：{listing.rejectionReason}</p>
      ) : null}
      {listing.expiresAt ? (
        <p className="muted">
          公开有效期至 {formatDate(listing.expiresAt)}（到期前请确认信息仍然有效）
        </p>
      ) : null}
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
      {rule.note ? <p className="muted">{rule.note}</p> : null}
      <div className="form-actions">
        {rule.edit ? (
          <Link
            to={`${listingRules[kind].path}/${listing.id}/edit`}
            className="button button--ghost"
          >
            编辑
          </Link>
        ) : null}
        {rule.moves.map((action) => (
          <Form method="post" key={action.intent} className="inline-form">
            <button
              type="submit"
              name="intent"
              value={action.intent}
              className="button"
              disabled={busy}
            >
              {action.label}
            </button>
          </Form>
        ))}
      </div>
      {decisions.length > 0 ? (
        <>
          <h3>审核记录</h3>
          <ul className="listing-list">
            {decisions.map((decision) => (
              <li key={decision.id}>
                <span>
                  {decision.outcome === 'approved' ? '通过' : '驳回'} ·{' '}
                  {decision.moderator.displayName} · {formatDate(decision.createdAt)}
                </span>
                {decision.reason ? (
                  <span className="listing-list__meta">{decision.reason}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  )
}
