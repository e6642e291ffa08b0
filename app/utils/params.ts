/**
 * Parsers for what arrives in a URL: ids in route params (and id fields of forms), page
 * numbers and the query string of list pages. Every route reads its ids and pages through
 * these, so malformed input is answered the same way everywhere and never reaches the
 * database (PostgreSQL refuses a NUL byte with an error, which would be a 500).
 */

// Row ids are cuids; importers and tests may use other short slugs, so letters, digits, `_`
// and `-` are accepted. Anything else cannot name a row.
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

/** The largest page a list serves; higher numbers mean "the last page". */
export const MAX_PAGE = 10_000

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value)
}

/** An id from a route param or a form field; a malformed one is a 404 with `message`. */
export function requireId(value: unknown, message = '您要找的信息不存在'): string {
  if (!isId(value)) throw new Response(message, { status: 404 })
  return value
}

/** The route param `name` as an id (see `requireId`). */
export function requireIdParam(
  params: Readonly<Record<string, string | undefined>>,
  name: string,
  message?: string,
): string {
  return requireId(params[name], message)
}

/**
 * The requested page: a positive whole number, else 1. Numbers past MAX_PAGE become MAX_PAGE,
 * so the database is never asked to skip billions of rows; `requireCanonicalListUrl` then sends
 * the browser to the last page that exists.
 */
export function parsePage(searchParams: URLSearchParams): number {
  const raw = searchParams.get('page')?.trim()
  if (!raw || !/^\d+$/.test(raw)) return 1
  return Math.max(1, Math.min(Number(raw), MAX_PAGE))
}

/**
 * The query string a list page should be shown at, or null when the request is already there:
 * empty parameters are dropped (a GET form sends every field, filled or not, and such links
 * get shared), and the page lies within 1…pageCount, page 1 having no parameter at all.
 */
export function getCanonicalListSearch(
  searchParams: URLSearchParams,
  pageCount: number,
): string | null {
  const entries = [...searchParams]
  const page = Math.min(parsePage(searchParams), Math.max(1, pageCount))
  const pages = searchParams.getAll('page')
  const pageIsCanonical =
    page === 1 ? pages.length === 0 : pages.length === 1 && pages[0] === String(page)
  if (pageIsCanonical && entries.every(([, value]) => value.trim() !== '')) return null
  const clean = new URLSearchParams(
    entries.filter(([name, value]) => name !== 'page' && value.trim() !== ''),
  )
  if (page > 1) clean.set('page', String(page))
  const search = clean.toString()
  return search ? `?${search}` : ''
}

/**
 * Redirects a list page to its canonical address (see `getCanonicalListSearch`): `?page=999`
 * of 13 pages shows page 13 at `?page=13`, and `?field=&trl=` becomes the bare list.
 */
export function requireCanonicalListUrl(request: Request, pageCount: number) {
  const url = new URL(request.url)
  const search = getCanonicalListSearch(url.searchParams, pageCount)
  if (search === null) return
  throw new Response(null, { status: 302, headers: { Location: `${url.pathname}${search}` } })
}

/**
 * A list page asked for words (`?q=石墨烯`) hands them to the search page, which finds words
 * inside longer words, synonyms and pinyin; the filters both pages share go along.
 */
export function requireSearchForQuery(
  request: Request,
  kind: 'results' | 'needs' | 'experts',
  sharedFilters: readonly string[],
) {
  const searchParams = new URL(request.url).searchParams
  const query = searchParams.get('q')?.trim()
  if (!query) return
  const target = new URLSearchParams({ kind, q: query })
  for (const name of sharedFilters) {
    const value = searchParams.get(name)?.trim()
    if (value) target.set(name, value)
  }
  throw new Response(null, { status: 302, headers: { Location: `/search?${target}` } })
}
