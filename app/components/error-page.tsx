import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react'

const titles: Record<number, string> = {
  400: '请求有误',
  401: '请先登录',
  403: '没有访问权限',
  404: '页面不存在',
  405: '不支持的操作',
  413: '提交的内容过大',
  429: '操作过于频繁',
  503: '暂时无法访问',
}

/** The one error view for every route: status-aware, never a stack trace. */
export function ErrorPage() {
  const error = useRouteError()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const detail =
    isRouteErrorResponse(error) && typeof error.data === 'string' && error.data.length < 300
      ? error.data
      : status === 404
        ? '您要找的页面不存在或已被移除。'
        : '服务器开小差了，请稍后再试。如果问题持续出现，请联系平台管理员。'
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-page__code">{status}</p>
      <h1 id="error-title">{titles[status] ?? '出错了'}</h1>
      <p>{detail}</p>
      <p>
        <Link to="/" className="button">
          返回首页
        </Link>
      </p>
    </section>
  )
}
