import { Link, useLocation } from '@remix-run/react'
import { useState } from 'react'

import { useSocketEvent } from '~/realtime/socket-context'

import { Toast } from './toast'

/**
 * The header's way to the notification centre with the unread count, kept current while the
 * page is open: a notification delivered to the user's room adds one and is announced.
 */
export function NotificationsLink({ unread }: { unread: number }) {
  const { pathname } = useLocation()
  // What arrived live since the server last counted; a new count from the server (every
  // navigation reloads it) already includes them.
  const [arrived, setArrived] = useState({ since: unread, count: 0 })
  // The latest arrival is announced on the page it arrived on, until the user moves on.
  const [latest, setLatest] = useState<{
    id: string
    title: string
    link: string | null
    on: string
  }>()
  useSocketEvent('notification:new', (notification) => {
    // About the page the user is looking at, which shows it live: no need to announce it.
    if (notification.link === pathname) return
    setArrived((previous) => ({
      since: unread,
      count: (previous.since === unread ? previous.count : 0) + 1,
    }))
    setLatest({ ...notification, on: pathname })
  })
  const count = unread + (arrived.since === unread ? arrived.count : 0)
  const shown = latest?.on === pathname ? latest : undefined
  return (
    <>
      <Link
        to="/notifications"
        className="notification-link button button--ghost"
        aria-label={count ? `通知（${count} 条未读）` : '通知'}
        data-testid="notifications-link"
      >
        通知
        {count ? (
          <span className="notification-link__count" aria-hidden="true">
            {count > 99 ? '99+' : count}
          </span>
        ) : null}
      </Link>
      {shown ? (
        <Toast
          key={shown.id}
          kind="success"
          message={
            <>
              新通知：
              {shown.link ? <Link to={shown.link}>{shown.title}</Link> : shown.title}
            </>
          }
        />
      ) : null}
    </>
  )
}
