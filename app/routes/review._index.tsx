import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'

import { joinIds } from '~/components/forms'
import { Pagination } from '~/components/pagination'
import { MODERATOR_ROLES } from '~/domain/constants'
import { listingRules, type ListingKind } from '~/domain/listing-rules'
import { decideListing, listPendingListings, listRecentDecisions } from '~/models/listing.server'
import { announceStrongMatches } from '~/models/match.server'
import { redirectWithToast, requireRole } from '~/server/auth.server'
import { readFormData } from '~/utils/forms.server'
import { formatDate, formatFieldName, orgKindLabels } from '~/utils/labels'
import { parsePage, requireCanonicalListUrl, requireId } from '~/utils/params'
import { rejectionReasonSchema } from '~/validation/listings'

const decisionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('approve'),
    kind: z.enum(['result', 'need']),
    id: z.string().min(1),
  }),
  z.object({
    intent: z.literal('reject'),
    kind: z.enum(['result', 'need']),
    id: z.string().min(1),
    reason: rejectionReasonSchema,
  }),
])

const PAGE_SIZE = 20

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, MODERATOR_ROLES)
  const searchParams = new URL(request.url).searchParams
  const kind: ListingKind = searchParams.get('kind') === 'need' ? 'need' : 'result'
  const page = parsePage(searchParams)
  const [pending, decisions] = await Promise.all([
    listPendingListings(kind, page, PAGE_SIZE),
    listRecentDecisions(),
  ])
  const pageCount = Math.max(1, Math.ceil(pending.counts[kind] / PAGE_SIZE))
  requireCanonicalListUrl(request, pageCount)
  return json({ kind, counts: pending.counts, pending: pending.items, page, pageCount, decisions })
}

export async function action({ request }: ActionFunctionArgs) {
  const moderator = await requireRole(request, MODERATOR_ROLES)
  const formData = await readFormData(request)
  const parsed = decisionSchema.safeParse(Object.fromEntries(formData))
  if (!parsed.success) {
    return json(
      {
        id: String(formData.get('id') ?? ''),
        intent: String(formData.get('intent') ?? ''),
        reason: String(formData.get('reason') ?? ''),
        error: parsed.error.issues[0]?.message ?? '提交的内容有误',
      },
      { status: 400 },
    )
  }
  const decision = parsed.data
  const outcome = await decideListing({
    kind: decision.kind,
    id: requireId(decision.id, '该信息不存在或已被处理'),
    moderatorId: moderator.id,
    outcome: decision.intent === 'approve' ? 'approved' : 'rejected',
    reason: decision.intent === 'reject' ? decision.reason : undefined,
  })
  if (!outcome.ok) {
    return json(
      { id: decision.id, intent: decision.intent, reason: '', error: outcome.reason },
      { status: 409 },
    )
  }
  // Once published, its strongest matches are stored and both parties told.
  if (decision.intent === 'approve') await announceStrongMatches(decision.kind, decision.id)
  return redirectWithToast(request, `/review?kind=${decision.kind}`, {
    kind: 'success',
    message:
      decision.intent === 'approve'
        ? `已通过“${outcome.title}”，该${listingRules[decision.kind].label}已公开发布`
        : `已驳回“${outcome.title}”，发布方将看到驳回理由`,
  })
}

interface PendingItem {
  id: string
  title: string
  fieldCode: string
  submittedAt: string | null
  updatedAt: string
  org: { name: string; kind: keyof typeof orgKindLabels }
}

/**
 * One listing waiting for review. Each decision opens behind its own disclosure and needs a
 * second, explicit press: when a decided item leaves the list the next one moves under the
 * pointer, and a stray click there only opens a panel instead of publishing something unread.
 */
function ReviewItem({
  kind,
  item,
  failed,
  busy,
}: {
  kind: ListingKind
  item: PendingItem
  failed?: { intent: string; reason: string; error: string }
  busy: boolean
}) {
  const rule = listingRules[kind]
  const reasonId = `reason-${item.id}`
  const errorId = `error-${item.id}`
  const rejecting = failed?.intent === 'reject'
  return (
    <li className="card listing-card review-item">
      <h2>
        <Link to={`${rule.path}/${item.id}`}>{item.title}</Link>
      </h2>
      <p className="listing-list__meta">
        {item.org.name}（{orgKindLabels[item.org.kind]}） · {formatFieldName(item.fieldCode)} ·
        提交于 {formatDate(item.submittedAt ?? item.updatedAt)}
      </p>
      {failed ? (
        <p className="notice notice--error" role="alert" id={errorId}>
          {failed.error}
        </p>
      ) : null}
      <div className="review-item__decisions">
        <details className="decision">
          <summary className="button">通过…</summary>
          <Form method="post" className="decision__panel">
            <input type="hidden" name="kind" value={kind} />
            <input type="hidden" name="id" value={item.id} />
            <p>通过后“{item.title}”将立即公开发布，发布方会收到通知。</p>
            <button type="submit" name="intent" value="approve" className="button" disabled={busy}>
              确认通过
            </button>
          </Form>
        </details>
        <details className="decision" open={rejecting || undefined}>
          <summary className="button button--ghost">驳回…</summary>
          <Form method="post" className="decision__panel">
            <input type="hidden" name="kind" value={kind} />
            <input type="hidden" name="id" value={item.id} />
            <div className={rejecting ? 'field field--invalid' : 'field'}>
              <label htmlFor={reasonId}>驳回理由</label>
              <textarea
                id={reasonId}
                name="reason"
                rows={3}
                maxLength={500}
                required
                defaultValue={rejecting ? failed.reason : ''}
                aria-invalid={rejecting ? true : undefined}
                aria-describedby={joinIds(`${reasonId}-help`, rejecting ? errorId : undefined)}
              />
              <p id={`${reasonId}-help`} className="field-help">
                请写明需要补充或修改的内容（4–500 字），发布方会看到。
              </p>
            </div>
            <button
              type="submit"
              name="intent"
              value="reject"
              className="button button--ghost"
              disabled={busy}
            >
              确认驳回
            </button>
          </Form>
        </details>
      </div>
    </li>
  )
}

export default function ReviewPage() {
  const { kind, counts, pending, page, pageCount, decisions } = useLoaderData<typeof loader>()
  const rule = listingRules[kind]
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle'
  return (
    <div className="stack">
      <h1>审核队列</h1>
      <p className="muted">科技成果与技术需求经审核后公开。驳回时请写明理由，发布方会看到。</p>
      <nav className="filter-bar" aria-label="待审核类别">
        {(['result', 'need'] as const).map((tab) => (
          <Link
            key={tab}
            to={`?kind=${tab}`}
            className={tab === kind ? 'button' : 'button button--ghost'}
            aria-current={tab === kind ? 'page' : undefined}
          >
            {listingRules[tab].label}（{counts[tab]}）
          </Link>
        ))}
      </nav>
      {pending.length === 0 ? (
        <p className="empty">没有待审核的{rule.label}。</p>
      ) : (
        <ul className="results-list" aria-label="待审核信息">
          {pending.map((item) => (
            <ReviewItem
              key={item.id}
              kind={kind}
              item={item}
              failed={actionData?.id === item.id ? actionData : undefined}
              busy={busy}
            />
          ))}
        </ul>
      )}
      <Pagination page={page} pageCount={pageCount} />
      <section className="card" aria-labelledby="decisions-title">
        <h2 id="decisions-title">最近的审核记录</h2>
        {decisions.length === 0 ? (
          <p className="empty">还没有审核记录。</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">时间</th>
                <th scope="col">类别</th>
                <th scope="col">结果</th>
                <th scope="col">理由</th>
                <th scope="col">审核人</th>
              </tr>
            </thead>
            <tbody>
              {decisions.map((decision) => {
                const rule = listingRules[decision.entity === 'need' ? 'need' : 'result']
                return (
                  <tr key={decision.id}>
                    <td>{formatDate(decision.createdAt)}</td>
                    <td>
                      <Link to={`${rule.path}/${decision.entityId}`}>{rule.label}</Link>
                    </td>
                    <td>{decision.outcome === 'approved' ? '通过' : '驳回'}</td>
                    <td>{decision.reason ?? '—'}</td>
                    <td>{decision.moderator.displayName}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '审核队列 · 西安科技大市场' }]
