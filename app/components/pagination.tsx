import { Link, useSearchParams } from '@remix-run/react'

export type PageItem = number | 'gap'

/**
 * The pages a pager shows: the first, the last and `around` on each side of the current one,
 * with a gap (…) for the runs left out. A gap would only ever hide a single page, so that
 * page is shown instead.
 */
export function getPageItems(page: number, pageCount: number, around = 1): PageItem[] {
  const shown = new Set([1, pageCount])
  for (let candidate = page - around; candidate <= page + around; candidate++) {
    if (candidate >= 1 && candidate <= pageCount) shown.add(candidate)
  }
  const items: PageItem[] = []
  let previous = 0
  for (const current of [...shown].sort((a, b) => a - b)) {
    if (current - previous === 2) items.push(previous + 1)
    else if (current - previous > 2) items.push('gap')
    items.push(current)
    previous = current
  }
  return items
}

/**
 * Numbered pages with previous/next, keeping every other query parameter (the filters) as it
 * is. Page 1 has no `page` parameter, the same address the loaders treat as canonical.
 */
export function Pagination({ page, pageCount }: { page: number; pageCount: number }) {
  const [searchParams] = useSearchParams()
  if (pageCount <= 1) return null
  const linkTo = (target: number) => {
    const params = new URLSearchParams(searchParams)
    if (target > 1) params.set('page', String(target))
    else params.delete('page')
    const search = params.toString()
    return { search: search ? `?${search}` : '' }
  }
  return (
    <nav className="pagination" aria-label="分页">
      <ul>
        <li>
          {page > 1 ? (
            <Link to={linkTo(page - 1)} rel="prev" className="pagination__step">
              上一页
            </Link>
          ) : (
            <span className="pagination__step" aria-disabled="true">
              上一页
            </span>
          )}
        </li>
        {getPageItems(page, pageCount).map((item, index) =>
          item === 'gap' ? (
            <li key={`gap-${index}`} aria-hidden="true" className="pagination__gap">
              …
            </li>
          ) : (
            <li key={item}>
              <Link
                to={linkTo(item)}
                aria-label={`第 ${item} 页`}
                aria-current={item === page ? 'page' : undefined}
                className="pagination__page"
              >
                {item}
              </Link>
            </li>
          ),
        )}
        <li>
          {page < pageCount ? (
            <Link to={linkTo(page + 1)} rel="next" className="pagination__step">
              下一页
            </Link>
          ) : (
            <span className="pagination__step" aria-disabled="true">
              下一页
            </span>
          )}
        </li>
      </ul>
      <p className="visually-hidden">共 {pageCount} 页</p>
    </nav>
  )
}
