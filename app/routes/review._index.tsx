import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'

import { decideListing, listPendingListings, listRecentDecisions } from '~/models/listing.server'
import { redirectWithToast, requireRole } from '~/utils/auth.server'
import { readFormData } from '~/utils/forms.server'
import { formatDate, orgKindLabels } from '~/utils/labels'
import { listingRules } from '~/utils/listing-rules'
import { getFieldName } from '~/utils/reference'
import { rejectionReasonSchema } from '~/validation/listings'

const MODERATORS = ['broker', 'bureau', 'admin'] as const

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

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, MODERATORS)
  const [pending, decisions] = await Promise.all([listPendingListings(), listRecentDecisions()])
  return json({ pending, decisions })
}

export async function action({ request }: ActionFunctionArgs) {
  const moderator = await requireRole(request, MODERATORS)
  const formData = await readFormData(request)
  const parsed = decisionSchema.safeParse(Object.fromEntries(formData))
  if (!parsed.success) {
    return json(
      {
        id: String(formData.get('id') ?? ''),
        error: parsed.error.issues[0]?.message ?? '提交的内容有误',
      },
      { status: 400 },
    )
  }
  const decision = parsed.data
  const outcome = await decideListing({
    kind: decision.kind,
    id: decision.id,
    moderatorId: moderator.id,
    outcome: decision.intent === 'approve' ? 'approved' : 'rejected',
    reason: decision.intent === 'reject' ? decision.reason : undefined,
  })
  if (!outcome.ok) return json({ id: decision.id, error: outcome.reason }, { status: 409 })
  return redirectWithToast(request, '/review', {
    kind: 'success',
    message:
      decision.intent === 'approve' ? '已通过，信息已公开发布' : '已驳回，发布方将看到驳回理由',
  })
}

export default function ReviewPage() {
  const { pending, decisions } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle'
  return (
    <div className="stack">
      <h1>审核队列</h1>
      <p className="muted">科技成果与技术需求经审核后公开。驳回时请写明理由，发布方会看到。</p>
      {pending.length === 0 ? (
        <p className="empty">没有待审核的信息。</p>
      ) : (
        <ul className="results-list" aria-label="待审核信息">
          {pending.map((item) => {
            const rule = listingRules[item.kind]
            const error = actionData?.id === item.id ? actionData.error : undefined
            const reasonId = `reason-${item.id}`
            return (
              <li key={item.id} className="card listing-card">
                <h2>
                  <span className="status-badge">{rule.label}</span>{' '}
                  <Link to={`${rule.path}/${item.id}`}>{item.title}</Link>
                </h2>
                <p className="listing-list__meta">
                  {item.org.name}（{orgKindLabels[item.org.kind]}） ·{' '}
                  {getFieldName(item.fieldCode) ?? item.fieldCode}
                  {item.submittedAt ? ` · 提交于 ${formatDate(item.submittedAt)}` : ''}
                </p>
                {error ? (
                  <p className="notice notice--error" role="alert" id={`error-${item.id}`}>
                    {error}
                  </p>
                ) : null}
                <div className="form-actions">
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="kind" value={item.kind} />
                    <input type="hidden" name="id" value={item.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="approve"
                      className="button"
                      disabled={busy}
                    >
                      通过
                    </button>
                  </Form>
                  <Form method="post" className="filter-bar">
                    <input type="hidden" name="kind" value={item.kind} />
                    <input type="hidden" name="id" value={item.id} />
                    <label htmlFor={reasonId}>驳回理由</label>
                    <input
                      id={reasonId}
                      name="reason"
                      type="text"
                      maxLength={500}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `error-${item.id}` : undefined}
                    />
                    <button
                      type="submit"
                      name="intent"
                      value="reject"
                      className="button button--ghost"
                      disabled={busy}
                    >
                      驳回
                    </button>
                  </Form>
                </div>
              </li>
            )
          })}
        </ul>
      )}
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
