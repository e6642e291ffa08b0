import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'

import type { SearchDocument } from './documents'
import {
  createMeilisearchEngine,
  MEILISEARCH_SETTINGS,
  toMeilisearchFilter,
} from './meilisearch-engine'

// Meilisearch's HTTP API as documented (v1.x): enqueued tasks answer 202 with a task summary,
// GET /tasks/:uid reports the task, a missing index is a 404 with code index_not_found.
const URL = 'http://meili.test:7700'
const requests: { method: string; path: string; body: unknown; auth: string | null }[] = []
let taskCounter = 0
let existingIndexes = new Set<string>()
let searchResponse: Record<string, unknown> = {}

const enqueued = (indexUid: string | null, type: string) =>
  HttpResponse.json(
    {
      taskUid: ++taskCounter,
      indexUid,
      status: 'enqueued',
      type,
      enqueuedAt: new Date().toISOString(),
    },
    { status: 202 },
  )

const server = setupServer(
  http.all(`${URL}/*`, async ({ request }) => {
    const text = await request.clone().text()
    requests.push({
      method: request.method,
      path: new globalThis.URL(request.url).pathname,
      body: text ? JSON.parse(text) : null,
      auth: request.headers.get('authorization'),
    })
    return undefined
  }),
  http.get(`${URL}/indexes/:uid`, ({ params }) =>
    existingIndexes.has(String(params.uid))
      ? HttpResponse.json({ uid: params.uid, primaryKey: 'id' })
      : HttpResponse.json(
          {
            message: `Index \`${params.uid}\` not found.`,
            code: 'index_not_found',
            type: 'invalid_request',
            link: 'https://docs.meilisearch.com/errors#index_not_found',
          },
          { status: 404 },
        ),
  ),
  http.post(`${URL}/indexes`, async ({ request }) => {
    const body = (await request.json()) as { uid: string }
    existingIndexes.add(body.uid)
    return enqueued(body.uid, 'indexCreation')
  }),
  http.patch(`${URL}/indexes/:uid/settings`, ({ params }) =>
    enqueued(String(params.uid), 'settingsUpdate'),
  ),
  http.post(`${URL}/indexes/:uid/documents`, ({ params }) =>
    enqueued(String(params.uid), 'documentAdditionOrUpdate'),
  ),
  http.post(`${URL}/indexes/:uid/documents/delete-batch`, ({ params }) =>
    enqueued(String(params.uid), 'documentDeletion'),
  ),
  http.post(`${URL}/indexes/:uid/search`, () => HttpResponse.json(searchResponse)),
  http.get(`${URL}/indexes/:uid/stats`, () =>
    HttpResponse.json({ numberOfDocuments: 3, isIndexing: false, fieldDistribution: {} }),
  ),
  http.get(`${URL}/tasks/:uid`, ({ params }) =>
    HttpResponse.json({
      uid: Number(params.uid),
      status: 'succeeded',
      type: 'documentAdditionOrUpdate',
      details: {},
      error: null,
      duration: 'PT0.01S',
      enqueuedAt: new Date().toISOString(),
      startedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
    }),
  ),
)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  server.resetHandlers()
  requests.length = 0
  existingIndexes = new Set()
})
afterAll(() => server.close())

const laser: SearchDocument = {
  kind: 'result',
  id: 'r1',
  text: { title: '激光焊接机器人', keywords: ['激光焊接'], body: '用于汽车车身的激光焊接' },
  facets: {
    field: '80',
    subField: '804',
    region: '610113',
    local: true,
    modes: ['license'],
    trl: 7,
    amountBand: 'negotiable',
  },
  sort: { publishedAt: 1_700_000_000_000, amount: null },
  display: {
    title: '激光焊接机器人',
    snippet: '用于汽车车身的激光焊接',
    orgId: 'o1',
    orgName: '西安测试大学',
  },
}

const engine = () =>
  createMeilisearchEngine({ url: URL, apiKey: 'master-key', taskTimeoutMs: 2_000 })

describe('the Meilisearch adapter', () => {
  test('at start it creates missing indexes and applies the settings, waiting for each task', async () => {
    await engine().init(['激光焊接'])
    const paths = requests.map((request) => `${request.method} ${request.path}`)
    expect(paths).toContain('POST /indexes')
    for (const uid of ['xm_results', 'xm_needs', 'xm_experts']) {
      const settings = requests.find((request) => request.path === `/indexes/${uid}/settings`)
      expect(settings?.method).toBe('PATCH')
      expect(settings?.body).toEqual(MEILISEARCH_SETTINGS)
    }
    expect(
      requests.filter((request) => request.path.startsWith('/tasks/')).length,
    ).toBeGreaterThanOrEqual(6)
    expect(requests.every((request) => request.auth === 'Bearer master-key')).toBe(true)
  })

  test('documents are sent as our analyzer segmented them, public fields only', async () => {
    const meili = engine()
    await meili.upsert([laser])
    const sent = requests.find((request) => request.path === '/indexes/xm_results/documents')
    const [document] = sent!.body as Record<string, unknown>[]
    expect(String(document!.title_terms).split(' ')).toEqual(
      expect.arrayContaining(['激光', '焊接', 'jiguang', 'jghj', '光焊']),
    )
    expect(String(document!.keywords_terms).split(' ')).toContain('激光焊接')
    expect(document).toMatchObject({
      id: 'r1',
      field: '80',
      trl: 7,
      local: true,
      orgName: '西安测试大学',
    })
    expect(document).not.toHaveProperty('amount')
    expect(JSON.stringify(document)).not.toMatch(/status|expiresAt|createdBy/)
  })

  test('a search sends analysed words as the query and only validated values as quoted filters', async () => {
    searchResponse = {
      hits: [
        {
          id: 'r1',
          title: '激光焊接机器人',
          snippet: '',
          orgId: 'o1',
          orgName: '西安测试大学',
          field: '80',
          subField: '804',
          region: '610113',
          local: true,
          trl: 7,
          title_terms: '激光 焊接 激光焊接',
          keywords_terms: '',
          body_terms: '汽车',
          _rankingScore: 0.8,
        },
        { id: 'r2', title: '焊接', title_terms: '焊接', _rankingScore: 0.4 },
      ],
      facetDistribution: { field: { '80': 2 }, trl: { '7': 1 } },
      estimatedTotalHits: 2,
      processingTimeMs: 1,
      query: '激光 焊接',
      limit: 10,
      offset: 0,
    }
    const page = await engine().search('result', '激光焊接 field = 80 OR id EXISTS', {
      filters: { field: '80', trlMin: 5, region: 'x" OR trl > 0' },
      exclude: new Set(['r9']),
    })
    const request = requests.find((entry) => entry.path === '/indexes/xm_results/search')!
    const body = request.body as { q: string; filter: string[]; facets: string[] }
    expect(body.q.split(' ')).toEqual(
      expect.arrayContaining(['激光', '焊接', 'field', '80', 'id', 'exists']),
    )
    expect(body.filter).toEqual([
      'field = "80"',
      'region = "x\\" OR trl > 0"',
      'trl >= 5',
      'id NOT IN ["r9"]',
    ])
    expect(body.facets).toEqual([
      'field',
      'subField',
      'region',
      'local',
      'modes',
      'trl',
      'amountBand',
    ])
    expect(page.total).toBe(2)
    expect(page.hits.map((hit) => [hit.id, hit.score])).toEqual([
      ['r1', 1],
      ['r2', 0.5],
    ])
    expect(page.hits[0]!.matched).toEqual(expect.arrayContaining(['激光', '焊接']))
    expect(page.hits[0]!.attributes).toMatchObject({ field: '80', trl: 7, amount: null })
    expect(page.facets.field).toEqual({ '80': 2 })
    expect(page.facets.modes).toEqual({})
  })

  test('punctuation alone asks nothing; an unreachable server is an error, not an empty page', async () => {
    expect((await engine().search('result', '，。！？')).total).toBe(0)
    expect(requests).toEqual([])
    server.use(http.post(`${URL}/indexes/:uid/search`, () => HttpResponse.error()))
    await expect(engine().search('result', '激光')).rejects.toThrow()
    server.use(
      http.post(`${URL}/indexes/:uid/search`, () =>
        HttpResponse.json(
          { message: 'internal', code: 'internal', type: 'internal' },
          { status: 500 },
        ),
      ),
    )
    await expect(engine().search('result', '激光')).rejects.toThrow()
  })

  test('filters never carry anything but the values given, quoted', () => {
    expect(
      toMeilisearchFilter({ local: false, mode: 'co_development', amountBand: 'under-10w' }),
    ).toEqual(['local = "false"', 'modes = "co_development"', 'amountBand = "under-10w"'])
    expect(toMeilisearchFilter({})).toEqual([])
  })
})
