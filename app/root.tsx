import {
  json,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import {
  Links,
  LiveReload,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteLoaderData,
} from '@remix-run/react'

import { ErrorPage } from '~/components/error-page'
import { SiteFooter } from '~/components/site-footer'
import { SiteHeader } from '~/components/site-header'
import { Toast } from '~/components/toast'
import { countUnreadNotifications } from '~/models/notification.server'
import { SocketProvider } from '~/realtime/socket-context'
import { getOptionalUser } from '~/server/auth.server'
import { useNonce } from '~/utils/nonce'
import { authSessionStorage, getAuthSession } from '~/utils/session.server'

import stylesHref from './styles/app.css'

export const links: LinksFunction = () => [
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
  { rel: 'stylesheet', href: stylesHref },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, session] = await Promise.all([getOptionalUser(request), getAuthSession(request)])
  const toast = session.get('toast') ?? null
  const unreadNotifications = user ? await countUnreadNotifications(user.id) : 0
  return json(
    { user: user && { ...user, unreadNotifications }, toast },
    toast
      ? { headers: { 'Set-Cookie': await authSessionStorage.commitSession(session) } }
      : undefined,
  )
}

export type RootLoader = typeof loader

function Document({ children }: { children: React.ReactNode }) {
  const nonce = useNonce()
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
        <LiveReload nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  const { user, toast } = useLoaderData<typeof loader>()
  return (
    <Document>
      <SocketProvider userId={user?.id ?? null}>
        <SiteHeader user={user} />
        {toast ? <Toast key={toast.message} kind={toast.kind} message={toast.message} /> : null}
        <main className="page">
          <Outlet />
        </main>
        <SiteFooter />
      </SocketProvider>
    </Document>
  )
}

export const meta: MetaFunction = () => [
  { title: '西安科技大市场' },
  { name: 'description', content: '科技成果、技术需求、专家与技术合同的一站式撮合平台' },
]

export function ErrorBoundary() {
  // The root loader may be what failed, so the header renders without a user then.
  const data = useRouteLoaderData<typeof loader>('root')
  return (
    <Document>
      <SiteHeader user={data?.user ?? null} />
      <main className="page">
        <ErrorPage />
      </main>
      <SiteFooter />
    </Document>
  )
}
