import { Form, Link, NavLink } from '@remix-run/react'

import type { Role } from '~/generated/prisma/enums'
import { getNavigation, roleLabels } from '~/utils/labels'

import { MembershipNotice, PendingMembersLink } from './membership-notice'
import { NotificationsLink } from './notifications-link'

interface HeaderUser {
  displayName: string
  role: Role
  org: { name: string } | null
  membership?: string | null
  pendingMemberRequests?: number
  unreadNotifications?: number
}

export function SiteHeader({ user }: { user: HeaderUser | null }) {
  const items = getNavigation(user?.role ?? null)
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to="/" className="brand" aria-label="西安科技大市场首页">
          <span className="brand__mark" aria-hidden="true">
            科
          </span>
          <span className="brand__name">西安科技大市场</span>
        </Link>
        <nav aria-label="主导航" className="main-nav">
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === '/'} prefetch="intent">
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account-box">
          {user ? (
            <>
              <PendingMembersLink count={user.pendingMemberRequests} />
              <NotificationsLink unread={user.unreadNotifications ?? 0} />
              <span className="account-box__who" data-testid="current-user">
                {user.displayName}
                <span className="role-badge">{roleLabels[user.role]}</span>
                {user.org ? <span className="account-box__org">{user.org.name}</span> : null}
              </span>
              <Form method="post" action="/logout">
                <button type="submit" className="button button--ghost">
                  退出登录
                </button>
              </Form>
            </>
          ) : (
            <>
              <Link to="/login" className="button button--ghost">
                登录
              </Link>
              <Link to="/register" className="button">
                注册
              </Link>
            </>
          )}
        </div>
      </div>
      <MembershipNotice user={user} />
    </header>
  )
}
