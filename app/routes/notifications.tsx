import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'

import { Pagination } from '~/components/pagination'
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
} from '~/models/notification.server'
import { redirectWithToast, requireUser } from '~/server/auth.server'
import { readFormData } from '~/utils/forms.server'
import { formatDate, notificationKindLabels } from '~/utils/labels'
import { parsePage, requireCanonicalListUrl, requireId } from '~/utils/params'

const PAGE_SIZE = 20

const intentSchema = z.enum(['read', 'read-all'])

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const searchParams = new URL(request.url).searchParams
  const unreadOnly = searchParams.get('show') === 'unread'
  const page = parsePage(searchParams)
  const { total, items } = await listNotifications(user.id, {
    page,
    pageSize: PAGE_SIZE,
    unreadOnly,
  })
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE))
  requireCanonicalListUrl(request, pageCount)
  return json({ items, total, page, pageCount, unreadOnly })
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await readFormData(request)
  const intent = intentSchema.safeParse(formData.get('intent'))
  if (!intent.success) return json({ error: '未知的操作，请刷新页面后重试' }, { status: 400 })
  // Back to the list as it was shown (its tab and page); only our own path is followed.
  const back = new URL(request.url)
  const destination = `/notifications${back.search}`
  if (intent.data === 'read-all') {
    const count = await markAllNotificationsRead(user.id)
    return redirectWithToast(request, destination, {
      kind: 'success',
      message: count ? `已将 ${count} 条通知标为已读` : '没有未读通知',
    })
  }
  // Another user's notification, or a made-up id, changes nothing.
  await markNotificationRead(user.id, requireId(formData.get('id'), '该通知不存在'))
  return redirectWithToast(request, destination, { kind: 'success', message: '已标为已读' })
}

export default function NotificationsPage() {
  const { items, total, page, pageCount, unreadOnly } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  return (
    <div className="stack">
      <div className="page-heading">
        <h1>通知</h1>
        <Form method="post">
          <button
            type="submit"
            name="intent"
            value="read-all"
            className="button button--ghost"
            disabled={busy}
          >
            全部标为已读
          </button>
        </Form>
      </div>
      <nav className="filter-bar" aria-label="通知范围">
        <Link
          to="/notifications"
          className={unreadOnly ? 'button button--ghost' : 'button'}
          aria-current={unreadOnly ? undefined : 'page'}
        >
          全部
        </Link>
        <Link
          to="/notifications?show=unread"
          className={unreadOnly ? 'button' : 'button button--ghost'}
          aria-current={unreadOnly ? 'page' : undefined}
        >
          未读
        </Link>
      </nav>
      <p className="muted" role="status">
        共 {total} 条{unreadOnly ? '未读' : ''}通知
      </p>
      {items.length === 0 ? (
        <p className="empty">
          {unreadOnly
            ? '没有未读通知。'
            : '暂无通知。信息审核结果、新的匹配推荐和对方的对接意向会在这里提醒您。'}
        </p>
      ) : (
        <ul className="notification-list">
          {items.map((item) => (
            <li
              key={item.id}
              className={item.readAt ? 'notification' : 'notification notification--unread'}
            >
              <div className="notification__text">
                <p className="notification__meta">
                  <span className="role-badge">{notificationKindLabels[item.kind]}</span>
                  {item.readAt ? null : <span className="notification__dot">未读</span>}
                  <time dateTime={item.createdAt}>{formatDate(item.createdAt)}</time>
                </p>
                <p className="notification__title">
                  {item.link ? <Link to={item.link}>{item.title}</Link> : item.title}
                </p>
                {item.body ? <p className="muted notification__body">{item.body}</p> : null}
              </div>
              {item.readAt ? null : (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="id" value={item.id} />
                  <button
                    type="submit"
                    name="intent"
                    value="read"
                    className="button button--ghost button--small"
                    disabled={busy}
                  >
                    标为已读<span className="visually-hidden">：{item.title}</span>
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pageCount={pageCount} />
    </div>
  )
}

export const meta: MetaFunction = () => [{ title: '通知 · 西安科技大市场' }]
