import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'

import { Pagination } from '~/components/pagination'
import { Role } from '~/generated/prisma/enums'
import { createPasswordResetLink } from '~/models/password-reset.server'
import { listUsers } from '~/models/user.server'
import { requireRole } from '~/server/auth.server'
import { readFormData } from '~/utils/forms.server'
import { formatDate, roleLabels } from '~/utils/labels'

const PAGE_SIZE = 20

const resetLinkSchema = z.object({
  intent: z.literal('reset-link', { message: '未知的操作，请刷新页面后重试' }),
  userId: z.string().regex(/^[a-z0-9]{20,40}$/, '该账号不存在'),
})

const querySchema = z.object({
  page: z.coerce.number().int().min(1).catch(1),
  role: z.enum(Object.values(Role)).optional().catch(undefined),
})

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['admin'])
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams))
  const { total, users } = await listUsers({
    page: query.page,
    pageSize: PAGE_SIZE,
    role: query.role,
  })
  return json({
    total,
    users,
    page: query.page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
  })
}

/**
 * A one-time password-reset link for a user, shown to the admin once (only its hash is
 * stored): the way to reset passwords where no mail server is configured.
 */
export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, ['admin'])
  const parsed = resetLinkSchema.safeParse(Object.fromEntries(await readFormData(request)))
  if (!parsed.success) {
    return json(
      { error: parsed.error.issues[0]?.message ?? '提交的内容有误', reset: null },
      { status: 400 },
    )
  }
  const reset = await createPasswordResetLink({
    userId: parsed.data.userId,
    origin: new URL(request.url).origin,
  })
  if (!reset) return json({ error: '该账号不存在', reset: null }, { status: 404 })
  return json({ error: null, reset })
}

export default function AdminUsersPage() {
  const { total, users, page, pageCount } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const reset = actionData?.reset
  return (
    <div className="stack">
      <h1>用户管理</h1>
      {actionData?.error ? (
        <p className="notice notice--error" role="alert">
          {actionData.error}
        </p>
      ) : null}
      {reset ? (
        <section className="card" aria-labelledby="reset-link-title" role="status">
          <h2 id="reset-link-title">
            {reset.user.displayName}（{reset.user.email}）的密码重置链接
          </h2>
          <div className="field">
            <label htmlFor="reset-link">重置链接</label>
            <input
              id="reset-link"
              type="text"
              readOnly
              value={reset.link}
              aria-describedby="reset-link-help"
              onFocus={(event) => event.currentTarget.select()}
            />
            <p id="reset-link-help" className="field-help">
              链接只显示这一次，{formatDate(reset.expiresAt)} 前（1 小时内）有效且只能使用一次；
              请通过可靠的渠道交给用户本人。再次生成会使这个链接失效。
            </p>
          </div>
        </section>
      ) : null}
      <Form method="get" className="filter-bar">
        <label htmlFor="role-filter">角色</label>
        <select id="role-filter" name="role" defaultValue={searchParams.get('role') ?? ''}>
          <option value="">全部</option>
          {Object.values(Role).map((role) => (
            <option key={role} value={role}>
              {roleLabels[role]}
            </option>
          ))}
        </select>
        <button type="submit" className="button button--ghost">
          筛选
        </button>
        <span className="muted">共 {total} 个账号</span>
      </Form>
      {users.length === 0 ? (
        <p className="empty">没有符合条件的账号。</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">姓名</th>
              <th scope="col">邮箱</th>
              <th scope="col">角色</th>
              <th scope="col">单位</th>
              <th scope="col">成员状态</th>
              <th scope="col">在线会话</th>
              <th scope="col">最近登录</th>
              <th scope="col">注册时间</th>
              <th scope="col">密码</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id}>
                <td>{user.displayName}</td>
                <td>{user.email}</td>
                <td>{roleLabels[user.role]}</td>
                <td>{user.org?.name ?? '—'}</td>
                <td>{membershipLabel(user)}</td>
                <td>{user._count.sessions}</td>
                <td>{user.lastLoginAt ? formatDate(user.lastLoginAt) : '从未登录'}</td>
                <td>{formatDate(user.createdAt)}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="reset-link" />
                    <input type="hidden" name="userId" value={user.id} />
                    <button
                      type="submit"
                      className="button button--ghost"
                      aria-label={`生成重置链接：${user.displayName}`}
                    >
                      生成重置链接
                    </button>
                  </Form>
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

function membershipLabel(user: { membership: string | null; canAdmit: boolean }) {
  if (user.membership === 'pending') return '待审核'
  if (user.membership === 'active') return user.canAdmit ? '成员（可审核）' : '成员'
  return '—'
}

export const meta: MetaFunction = () => [{ title: '用户管理 · 西安科技大市场' }]
