import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'

import { Pagination } from '~/components/pagination'
import { Role } from '~/generated/prisma/enums'
import { listUsers } from '~/models/user.server'
import { requireRole } from '~/server/auth.server'
import { formatDate, roleLabels } from '~/utils/labels'

const PAGE_SIZE = 20

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

export default function AdminUsersPage() {
  const { total, users, page, pageCount } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  return (
    <div className="stack">
      <h1>用户管理</h1>
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
              <th scope="col">在线会话</th>
              <th scope="col">最近登录</th>
              <th scope="col">注册时间</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id}>
                <td>{user.displayName}</td>
                <td>{user.email}</td>
                <td>{roleLabels[user.role]}</td>
                <td>{user.org?.name ?? '—'}</td>
                <td>{user._count.sessions}</td>
                <td>{user.lastLoginAt ? formatDate(user.lastLoginAt) : '从未登录'}</td>
                <td>{formatDate(user.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '用户管理 · 西安科技大市场' }]
