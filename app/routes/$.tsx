import { ErrorPage } from '~/components/error-page'

// Every unknown path lands here so that the shared error page renders it as a 404.
export async function loader() {
  throw new Response('您要找的页面不存在或已被移除。', { status: 404, statusText: 'Not Found' })
}

export default function NotFound() {
  return null
}

export function ErrorBoundary() {
  return <ErrorPage />
}
