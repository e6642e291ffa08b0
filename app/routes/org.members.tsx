import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'

import {
  canAdmitTo,
  isActiveMember,
  isMembershipStaff,
  reviewsMemberships,
} from '~/domain/membership'
import {
  approveMembership,
  grantAdmitRight,
  listMembershipRequests,
  listOrgMembers,
  MEMBERS_PATH,
  refuseMembership,
} from '~/models/membership.server'
import { redirectWithToast, requireUser, type SessionUser } from '~/server/auth.server'
import { readFormData } from '~/utils/forms.server'
import { formatDate, orgKindLabels, roleLabels } from '~/utils/labels'
import { isStorableText } from '~/validation/account'

// Ids are cuids; anything else names nobody and must not reach the database.
const userIdSchema = z
  .string({ message: '未指定成员' })
  .regex(/^[a-z0-9]{20,40}$/, '该申请不存在，或已被其他审核人处理')

const decisionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({
      intent: z.literal('approve'),
      userId: userIdSchema,
      grantAdmit: z.literal('on').optional(),
    }),
    z.object({
      intent: z.literal('refuse'),
      userId: userIdSchema,
      reason: z
        .string()
        .trim()
        .max(200, '拒绝理由不能超过 200 个字')
        .refine(isStorableText, '拒绝理由包含无法保存的字符')
        .optional(),
    }),
    z.object({ intent: z.literal('grant'), userId: userIdSchema }),
  ],
  { message: '未知的操作，请刷新页面后重试' },
)

async function requireReviewer(request: Request): Promise<SessionUser> {
  const user = await requireUser(request)
  if (!reviewsMemberships(user)) {
    throw new Response('只有具有审核权限的单位成员或平台工作人员可以审核成员', {
      status: 403,
      statusText: 'Forbidden',
    })
  }
  return user
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireReviewer(request)
  const ownOrg = isActiveMember(user) && canAdmitTo(user, user.org.id) ? user.org : null
  const [{ total, requests }, members] = await Promise.all([
    listMembershipRequests(user),
    listOrgMembers(user),
  ])
  return json({ staff: isMembershipStaff(user), ownOrg, total, requests, members })
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireReviewer(request)
  const formData = await readFormData(request)
  const parsed = decisionSchema.safeParse(Object.fromEntries(formData))
  if (!parsed.success) {
    return json({ error: parsed.error.issues[0]?.message ?? '提交的内容有误' }, { status: 400 })
  }
  const decision = parsed.data
  // Every model call checks the reviewer's right in its own where clause.
  const outcome =
    decision.intent === 'approve'
      ? await approveMembership({
          reviewer: user,
          userId: decision.userId,
          grantAdmit: decision.grantAdmit === 'on',
        })
      : decision.intent === 'refuse'
        ? await refuseMembership({
            reviewer: user,
            userId: decision.userId,
            reason: decision.reason || undefined,
          })
        : await grantAdmitRight({ reviewer: user, userId: decision.userId })
  if (!outcome.ok) return json({ error: outcome.reason }, { status: 409 })
  const messages = {
    approve: `已通过${outcome.name}的加入申请`,
    refuse: `已拒绝${outcome.name}的加入申请`,
    grant: `已授予${outcome.name}审核成员的权限`,
  }
  return redirectWithToast(request, MEMBERS_PATH, {
    kind: 'success',
    message: messages[decision.intent],
  })
}

export default function OrgMembersPage() {
  const { staff, ownOrg, total, requests, members } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  return (
    <div className="stack">
      <h1>成员审核</h1>
      <p className="muted">
        {staff
          ? '平台工作人员可以审核所有单位的加入申请；单位已有具有审核权限的成员时，也可由其审核。'
          : `审核加入“${ownOrg?.name ?? ''}”的申请，并可授予本单位其他成员审核权限。`}
      </p>
      {actionData?.error ? (
        <p className="notice notice--error" role="alert">
          {actionData.error}
        </p>
      ) : null}

      <section className="card" aria-labelledby="requests-title">
        <h2 id="requests-title">待审核的加入申请（{total}）</h2>
        {requests.length === 0 ? (
          <p className="empty">目前没有待审核的加入申请。</p>
        ) : (
          <ul className="member-requests">
            {requests.map((applicant) => (
              <li key={applicant.id} className="member-request">
                <p>
                  <strong>{applicant.displayName}</strong>（{applicant.email}）·{' '}
                  {roleLabels[applicant.role]} · 申请加入“{applicant.org?.name ?? '—'}”
                  {applicant.org ? `（${orgKindLabels[applicant.org.kind]}）` : null}
                  <span className="muted"> · 申请时间 {formatDate(applicant.createdAt)}</span>
                </p>
                <Form method="post" className="form-actions">
                  <input type="hidden" name="userId" value={applicant.id} />
                  <label className="member-request__option">
                    <input type="checkbox" name="grantAdmit" value="on" />
                    同时授予审核成员的权限
                  </label>
                  <button
                    type="submit"
                    name="intent"
                    value="approve"
                    className="button"
                    disabled={busy}
                    aria-label={`通过：${applicant.displayName}的申请`}
                  >
                    通过
                  </button>
                </Form>
                <details className="member-request__refuse">
                  <summary>拒绝申请…</summary>
                  <Form method="post" className="narrow-form">
                    <input type="hidden" name="userId" value={applicant.id} />
                    <div className="field">
                      <label htmlFor={`reason-${applicant.id}`}>
                        拒绝理由（选填，将告知申请人）
                      </label>
                      <textarea
                        id={`reason-${applicant.id}`}
                        name="reason"
                        maxLength={200}
                        aria-describedby={`reason-help-${applicant.id}`}
                      />
                      <p id={`reason-help-${applicant.id}`} className="field-help">
                        拒绝后，申请人为该单位准备的草稿和专家档案将被删除。
                      </p>
                    </div>
                    <button
                      type="submit"
                      name="intent"
                      value="refuse"
                      className="button button--ghost"
                      disabled={busy}
                      aria-label={`确认拒绝：${applicant.displayName}的申请`}
                    >
                      确认拒绝
                    </button>
                  </Form>
                </details>
              </li>
            ))}
          </ul>
        )}
      </section>

      {ownOrg ? (
        <section className="card" aria-labelledby="members-title">
          <h2 id="members-title">“{ownOrg.name}”的成员</h2>
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">姓名</th>
                  <th scope="col">邮箱</th>
                  <th scope="col">加入时间</th>
                  <th scope="col">审核权限</th>
                </tr>
              </thead>
              <tbody>
                {members.map((member) => (
                  <tr key={member.id}>
                    <td>{member.displayName}</td>
                    <td>{member.email}</td>
                    <td>
                      {member.admittedAt ? formatDate(member.admittedAt) : '—'}
                      {member.admittedBy ? (
                        <span className="muted">（{member.admittedBy.displayName} 审核）</span>
                      ) : null}
                    </td>
                    <td>
                      {member.canAdmit ? (
                        '可审核成员'
                      ) : (
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="userId" value={member.id} />
                          <button
                            type="submit"
                            name="intent"
                            value="grant"
                            className="button button--ghost"
                            disabled={busy}
                            aria-label={`授予审核权限：${member.displayName}`}
                          >
                            授予审核权限
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '成员审核 · 西安科技大市场' }]
