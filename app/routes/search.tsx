import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import {
  Form,
  Link,
  useLoaderData,
  useLocation,
  useNavigation,
  useRevalidator,
  useSearchParams,
  useSubmit,
} from '@remix-run/react'
import { useEffect, useRef } from 'react'

import { Pagination } from '~/components/pagination'
import { getFieldName, getRegionName, subFields } from '~/domain/reference'
import { searchPublic, type PublicSearchOutcome } from '~/models/search.server'
import { highlightPieces } from '~/utils/highlight'
import {
  amountBandLabels,
  cooperationModeLabels,
  localLabels,
  transferModeLabels,
} from '~/utils/labels'
import {
  KIND_OF,
  MAX_SEARCH_PAGE,
  readSearchParams,
  SEARCH_KINDS,
  SORTS_OF,
  type SearchKind,
  type SearchParams,
} from '~/validation/search'

import { relatedWords } from '../../search/synonyms'

const KIND_NAMES: Record<SearchKind, string> = {
  results: '科技成果',
  needs: '技术需求',
  experts: '专家',
}
const DETAIL_PATH: Record<SearchKind, string> = {
  results: '/results',
  needs: '/needs',
  experts: '/experts',
}
const SORT_NAMES = { relevance: '相关度', newest: '最新发布', amount: '金额从高到低' } as const
/** As-you-type waits this long after the last key before it searches. */
const TYPING_PAUSE_MS = 250

function readKind(value: string | null): SearchKind {
  return SEARCH_KINDS.find((kind) => kind === value) ?? 'results'
}

export async function loader({ request }: LoaderFunctionArgs) {
  const searchParams = new URL(request.url).searchParams
  const kind = readKind(searchParams.get('kind'))
  const params = readSearchParams(kind, searchParams)
  const outcome = await searchPublic(KIND_OF[kind], params, { prefix: params.q !== '' })
  // The other tabs show how many of their kind match the same words.
  const counts = Object.fromEntries(
    await Promise.all(
      SEARCH_KINDS.map(async (other) => {
        if (other === kind) return [other, outcome.state === 'ready' ? outcome.page.total : null]
        const params = readSearchParams(
          other,
          new URLSearchParams({ q: searchParams.get('q') ?? '' }),
        )
        const found = await searchPublic(
          KIND_OF[other],
          { ...params, limit: 1 },
          {
            prefix: params.q !== '',
            facets: false,
          },
        )
        return [other, found.state === 'ready' ? found.page.total : null]
      }),
    ),
  ) as Record<SearchKind, number | null>
  const status = outcome.state === 'unavailable' ? 503 : 200
  return json(
    { kind, params, outcome: present(outcome), counts, related: relatedWords(params.q) },
    { status },
  )
}

/** What the page shows of an outcome: hits with their highlighted pieces, facets with names. */
function present(outcome: PublicSearchOutcome) {
  if (outcome.state !== 'ready') return outcome
  const { page } = outcome
  return {
    state: 'ready' as const,
    total: page.total,
    hits: page.hits.map((hit) => ({
      id: hit.id,
      title: highlightPieces(hit.display.title, hit.matched),
      snippet: highlightPieces(hit.display.snippet, hit.matched),
      orgName: hit.display.orgName,
    })),
    facets: page.facets,
  }
}

type Facets = Extract<ReturnType<typeof present>, { state: 'ready' }>['facets']

export default function SearchPage() {
  const { kind, params, outcome, counts, related } = useLoaderData<typeof loader>()
  const pageCount =
    outcome.state === 'ready'
      ? Math.min(MAX_SEARCH_PAGE, Math.max(1, Math.ceil(outcome.total / params.limit)))
      : 1
  return (
    <div className="stack">
      <h1>搜索{KIND_NAMES[kind]}</h1>
      <SearchForm kind={kind} params={params} />
      <nav className="tabs" aria-label="搜索类别">
        {SEARCH_KINDS.map((other) => (
          <Link
            key={other}
            to={linkWith({ kind: other, q: params.q })}
            aria-current={other === kind ? 'page' : undefined}
            className="tabs__tab"
          >
            {KIND_NAMES[other]}
            {counts[other] !== null ? <span className="tabs__count">{counts[other]}</span> : null}
          </Link>
        ))}
      </nav>
      {outcome.state === 'building' ? (
        <IndexBuilding progress={outcome.progress} />
      ) : outcome.state === 'unavailable' ? (
        <div className="card empty-state" role="alert">
          <p>搜索服务暂时不可用，已发布的信息仍可在列表中浏览。请稍后再试。</p>
          <Link to={DETAIL_PATH[kind]}>浏览全部{KIND_NAMES[kind]}</Link>
        </div>
      ) : (
        <div className="search-layout">
          <FacetPanel kind={kind} params={params} facets={outcome.facets} />
          <section className="stack" aria-label="搜索结果">
            <SortBar kind={kind} params={params} total={outcome.total} />
            {outcome.hits.length === 0 ? (
              <NoMatches kind={kind} params={params} counts={counts} related={related} />
            ) : (
              <ol className="results-list search-hits" start={(params.page - 1) * params.limit + 1}>
                {outcome.hits.map((hit) => (
                  <li key={hit.id} className="card listing-card">
                    <h2>
                      <Link to={`${DETAIL_PATH[kind]}/${hit.id}`}>
                        <Highlighted pieces={hit.title} />
                      </Link>
                    </h2>
                    <p className="listing-list__meta">{hit.orgName}</p>
                    <p>
                      <Highlighted pieces={hit.snippet} />
                    </p>
                  </li>
                ))}
              </ol>
            )}
            <Pagination page={params.page} pageCount={pageCount} />
          </section>
        </div>
      )}
    </div>
  )
}

function Highlighted({ pieces }: { pieces: { text: string; match: boolean }[] }) {
  return (
    <>
      {pieces.map((piece, index) =>
        piece.match ? <mark key={index}>{piece.text}</mark> : piece.text,
      )}
    </>
  )
}

/**
 * A plain GET form (it works without JavaScript); with JavaScript it also searches as the
 * words are typed, replacing the history entry so that Back leaves the search.
 */
function SearchForm({ kind, params }: { kind: SearchKind; params: SearchParams }) {
  const submit = useSubmit()
  const navigation = useNavigation()
  const formRef = useRef<HTMLFormElement>(null)
  const timer = useRef<ReturnType<typeof setTimeout>>()
  useEffect(() => () => clearTimeout(timer.current), [])
  const send = (replace: boolean) => {
    const form = formRef.current
    if (!form) return
    const chosen = new URLSearchParams()
    for (const [name, value] of new FormData(form)) {
      if (typeof value === 'string' && value.trim() !== '') chosen.append(name, value)
    }
    submit(chosen, { method: 'get', replace, preventScrollReset: true })
  }
  const kept = activeFilters(params)
  return (
    <Form
      method="get"
      role="search"
      className="search-form"
      ref={formRef}
      key={kind}
      onSubmit={(event) => {
        event.preventDefault()
        clearTimeout(timer.current)
        send(false)
      }}
    >
      <input type="hidden" name="kind" value={kind} />
      {Object.entries(kept).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {params.sort !== 'relevance' ? <input type="hidden" name="sort" value={params.sort} /> : null}
      <label htmlFor="search-q" className="visually-hidden">
        搜索词
      </label>
      <input
        id="search-q"
        type="search"
        name="q"
        defaultValue={params.q}
        placeholder="输入技术、产品或问题，如：石墨烯导热、jghj（激光焊接）"
        maxLength={2000}
        autoComplete="off"
        onChange={() => {
          clearTimeout(timer.current)
          timer.current = setTimeout(() => send(true), TYPING_PAUSE_MS)
        }}
      />
      <button type="submit" className="button">
        搜索
      </button>
      {navigation.state === 'loading' ? (
        <span className="muted" aria-hidden="true">
          搜索中…
        </span>
      ) : null}
    </Form>
  )
}

/** The filters in force, as URL parameters: kept when the words or the sort change. */
function activeFilters(params: SearchParams): Record<string, string> {
  const kept: Record<string, string> = {}
  if (params.field) kept.field = params.field
  if (params.trl !== undefined) kept.trl = String(params.trl)
  if (params.region) kept.region = params.region
  if (params.local) kept.local = params.local
  if (params.mode) kept.mode = params.mode
  if (params.band) kept.band = params.band
  return kept
}

function linkWith(values: Record<string, string | undefined>) {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') search.set(name, value)
  }
  const text = search.toString()
  return { pathname: '/search', search: text ? `?${text}` : '' }
}

/** The current address with one parameter set (or removed), back on page 1. */
function useLinkWith() {
  const [searchParams] = useSearchParams()
  return (name: string, value: string | undefined) => {
    const next = new URLSearchParams(searchParams)
    next.delete('page')
    if (value === undefined) next.delete(name)
    else next.set(name, value)
    const text = next.toString()
    return { pathname: '/search', search: text ? `?${text}` : '' }
  }
}

interface FacetGroup {
  title: string
  param: string
  values: { value: string; label: string; count: number }[]
}

function facetGroups(kind: SearchKind, params: SearchParams, facets: Facets): FacetGroup[] {
  const entries = (counts: Record<string, number>, label: (value: string) => string) =>
    Object.entries(counts)
      .map(([value, count]) => ({ value, label: label(value), count }))
      .sort((a, b) => b.count - a.count)
  const groups: FacetGroup[] = []
  const chosenField = params.field?.slice(0, 2)
  groups.push({
    title: '技术领域',
    param: 'field',
    values: chosenField
      ? entries(facets.subField, (code) => getFieldName(code) ?? code).filter(
          (entry) => subFields.find((sub) => sub.code === entry.value)?.fieldCode === chosenField,
        )
      : entries(facets.field, (code) => getFieldName(code) ?? code),
  })
  if (kind === 'results') {
    // "At least level n", counted over every level from n up.
    const levels = Object.keys(facets.trl).map(Number)
    groups.push({
      title: '技术成熟度',
      param: 'trl',
      values: levels
        .sort((a, b) => b - a)
        .map((level) => ({
          value: String(level),
          label: `TRL ${level} 及以上`,
          count: levels
            .filter((other) => other >= level)
            .reduce((sum, other) => sum + facets.trl[String(other)]!, 0),
        })),
    })
  }
  groups.push({
    title: '所在地',
    param: 'local',
    values: entries(facets.local, (v) => localLabels[v] ?? v),
  })
  groups.push({
    title: '所在区县',
    param: 'region',
    values: entries(facets.region, (code) => getRegionName(code) ?? code).slice(0, 12),
  })
  if (kind !== 'experts') {
    const labels = kind === 'results' ? transferModeLabels : cooperationModeLabels
    groups.push({
      title: kind === 'results' ? '转化方式' : '合作方式',
      param: 'mode',
      values: entries(facets.modes, (mode) => labels[mode] ?? mode),
    })
    groups.push({
      title: kind === 'results' ? '价格' : '预算',
      param: 'band',
      values: Object.keys(amountBandLabels)
        .filter((band) => facets.amountBand[band])
        .map((band) => ({
          value: band,
          label: amountBandLabels[band]!,
          count: facets.amountBand[band]!,
        })),
    })
  }
  return groups
}

function FacetPanel({
  kind,
  params,
  facets,
}: {
  kind: SearchKind
  params: SearchParams
  facets: Facets
}) {
  const linkTo = useLinkWith()
  const chosen = activeFilters(params)
  return (
    <aside className="facets" aria-label="筛选">
      {facetGroups(kind, params, facets).map((group) =>
        group.values.length === 0 && !chosen[group.param] ? null : (
          <section key={group.param} className="facets__group">
            <h2>{group.title}</h2>
            <ul>
              {chosen[group.param] ? (
                <li>
                  <Link to={linkTo(group.param, undefined)} className="facets__clear">
                    不限{group.title}
                  </Link>
                </li>
              ) : null}
              {group.values.map((entry) => {
                const active = chosen[group.param] === entry.value
                return (
                  <li key={entry.value}>
                    <Link
                      to={linkTo(group.param, entry.value)}
                      aria-current={active ? 'true' : undefined}
                      className={active ? 'facets__value facets__value--active' : 'facets__value'}
                    >
                      <span>{entry.label}</span>
                      <span className="facets__count">{entry.count}</span>
                    </Link>
                  </li>
                )
              })}
            </ul>
          </section>
        ),
      )}
    </aside>
  )
}

function SortBar({
  kind,
  params,
  total,
}: {
  kind: SearchKind
  params: SearchParams
  total: number
}) {
  const linkTo = useLinkWith()
  return (
    <div className="sort-bar">
      <p role="status" className="muted">
        {params.q ? `“${params.q}”：` : ''}共找到 {total} 条{KIND_NAMES[kind]}
      </p>
      {SORTS_OF[kind].length > 1 ? (
        <nav aria-label="排序">
          {SORTS_OF[kind].map((sort) => (
            <Link
              key={sort}
              to={linkTo('sort', sort === 'relevance' ? undefined : sort)}
              aria-current={params.sort === sort ? 'true' : undefined}
              className="sort-bar__option"
            >
              {SORT_NAMES[sort]}
            </Link>
          ))}
        </nav>
      ) : null}
    </div>
  )
}

function NoMatches({
  kind,
  params,
  counts,
  related,
}: {
  kind: SearchKind
  params: SearchParams
  counts: Record<SearchKind, number | null>
  related: string[]
}) {
  const filtered = Object.keys(activeFilters(params)).length > 0
  const elsewhere = SEARCH_KINDS.filter((other) => other !== kind && (counts[other] ?? 0) > 0)
  const words = params.q.split(/\s+/).filter(Boolean)
  return (
    <div className="card empty-state">
      <p>
        {params.q ? `没有找到与“${params.q}”相关的${KIND_NAMES[kind]}` : `暂无${KIND_NAMES[kind]}`}
        {filtered ? '（已按所选条件筛选）' : ''}。可以试试：
      </p>
      <ul>
        {filtered ? (
          <li>
            <Link to={linkWith({ kind, q: params.q })}>去掉筛选条件再搜</Link>
          </li>
        ) : null}
        {elsewhere.map((other) => (
          <li key={other}>
            <Link to={linkWith({ kind: other, q: params.q })}>
              在{KIND_NAMES[other]}中查看 {counts[other]} 条结果
            </Link>
          </li>
        ))}
        {words.length > 1 ? (
          <li>
            <Link to={linkWith({ kind, q: words.slice(0, -1).join(' ') })}>
              少用一个词：{words.slice(0, -1).join(' ')}
            </Link>
          </li>
        ) : null}
        {related.map((word) => (
          <li key={word}>
            <Link to={linkWith({ kind, q: word })}>换个说法：{word}</Link>
          </li>
        ))}
        <li>换用更通用的词，例如“电池”而不是具体型号</li>
      </ul>
    </div>
  )
}

function IndexBuilding({ progress }: { progress: number | null }) {
  const revalidator = useRevalidator()
  const location = useLocation()
  useEffect(() => {
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate()
    }, 2_000)
    return () => clearInterval(timer)
  }, [revalidator])
  const percent = progress === null ? null : Math.floor(progress * 100)
  return (
    <div className="card empty-state" role="status">
      <p>搜索索引正在建立{percent === null ? '' : `，已完成 ${percent}%`}，完成后即可搜索。</p>
      {percent === null ? null : (
        <progress max={100} value={percent} aria-label="搜索索引建立进度">
          {percent}%
        </progress>
      )}
      <Link to={`${location.pathname}${location.search}`}>刷新</Link>
    </div>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `${data?.params.q ? `${data.params.q} · ` : ''}搜索${data ? KIND_NAMES[data.kind] : ''} · 西安科技大市场`,
  },
]
