import { Link, useSearchParams } from '@remix-run/react'

/** Previous/next links that keep every other query parameter (filters) as it is. */
export function Pagination({ page, pageCount }: { page: number; pageCount: number }) {
  const [searchParams] = useSearchParams()
  if (pageCount <= 1) return null
  const linkTo = (target: number) => {
    const params = new URLSearchParams(searchParams)
    params.set('page', String(target))
    return `?${params}`
  }
  return (
    <nav className="pagination" aria-label="分页">
      {page > 1 ? (
        <Link to={linkTo(page - 1)} rel="prev">
          上一页
        </Link>
      ) : (
        <span aria-disabled="true">上一页</span>
      )}
      <span>
        第 {page} / {pageCount} 页
      </span>
      {page < pageCount ? (
        <Link to={linkTo(page + 1)} rel="next">
          下一页
        </Link>
      ) : (
        <span aria-disabled="true">下一页</span>
      )}
    </nav>
  )
}

/** The page number from a query string: a positive integer, else 1. */
export function parsePage(searchParams: URLSearchParams) {
  const page = Number(searchParams.get('page'))
  return Number.isInteger(page) && page > 0 ? page : 1
}
