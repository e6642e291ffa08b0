import { afterEach, beforeEach, describe, expect, test } from 'vitest'

import { createApiToken } from '~/models/api-token.server'
import { createSearchHost, setSearchHost, type SearchHost } from '~/models/search.server'
import * as apiSearchRoute from '~/routes/api.v1.search.$kind'
import * as searchRoute from '~/routes/search'
import { prisma } from '~/utils/db.server'

import type { DocumentKind, SearchDocument } from '../../search/documents'
import { createEmbeddedEngine } from '../../search/embedded-engine'
import type { SearchEngine } from '../../search/engine'
import { buildRequest, createTestOrganization, createTestUser, run } from '../setup/remix'

const year = 365 * 86_400_000
const later = () => new Date(Date.now() + year)

let host: SearchHost

beforeEach(() => {
  host = createSearchHost({ engine: createEmbeddedEngine() })
  setSearchHost(host)
})

afterEach(async () => {
  setSearchHost(undefined)
  await host.stop()
})

async function createResult(
  orgId: string,
  values: { title: string; keywords?: string[]; status?: string; expiresAt?: Date } & Record<
    string,
    unknown
  >,
) {
  const { status = 'published', expiresAt = later(), keywords = [], ...rest } = values
  const result = await prisma.result.create({
    data: {
      summary: `${values.title}的成果简介`,
      fieldCode: '804',
      trl: 6,
      transferModes: ['license'],
      orgId,
      publishedAt: new Date(),
      keywords,
      status: status as 'published',
      expiresAt,
      ...rest,
      title: values.title,
    },
  })
  await prisma.searchOutbox.create({
    data: { entity: 'result', entityId: result.id, op: 'upsert' },
  })
  return result
}

async function searchPage(query: string) {
  const response = await run(searchRoute.loader, buildRequest(`/search?${query}`))
  return {
    status: response.status,
    body: (await response.json()) as {
      outcome: {
        state: string
        total: number
        hits: { id: string }[]
        facets: Record<string, Record<string, number>>
      }
      counts: Record<string, number | null>
    },
  }
}

async function apiSearch(kind: string, query: string, headers: Record<string, string> = {}) {
  const request = buildRequest(`/api/v1/search/${kind}?${query}`)
  for (const [name, value] of Object.entries(headers)) request.headers.set(name, value)
  const response = await run(apiSearchRoute.loader, request, { kind })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

const q = (text: string) => `q=${encodeURIComponent(text)}`

describe('search over the listings', () => {
  test('only public listings are indexed, counted and returned, and they leave when they stop being public', async () => {
    const university = await createTestOrganization({ kind: 'university', name: '西安测试大学' })
    const visible = await createResult(university.id, { title: '激光焊接机器人系统' })
    await createResult(university.id, { title: '激光焊接草稿', status: 'draft' })
    await createResult(university.id, { title: '激光焊接待审', status: 'pending_review' })
    await createResult(university.id, { title: '激光焊接驳回', status: 'rejected' })
    await createResult(university.id, { title: '激光焊接过期', status: 'expired' })
    await createResult(university.id, {
      title: '激光焊接到期未确认',
      expiresAt: new Date(Date.now() - 1000),
    })
    // An expert profile written by someone whose membership is still pending is not public.
    const pending = await createTestUser({ role: 'researcher', orgId: university.id })
    await prisma.user.update({ where: { id: pending.id }, data: { membership: 'pending' } })
    const hidden = await prisma.expert.create({
      data: {
        name: '待审专家',
        orgId: university.id,
        fields: ['804'],
        keywords: ['激光焊接'],
        createdById: pending.id,
      },
    })
    await prisma.searchOutbox.create({
      data: { entity: 'expert', entityId: hidden.id, op: 'upsert' },
    })
    await host.reindex()

    const page = await searchPage(`kind=results&${q('激光焊接')}`)
    expect(page.body.outcome.hits.map((hit) => hit.id)).toEqual([visible.id])
    expect(page.body.outcome.facets.trl).toEqual({ '6': 1 })
    expect(page.body.counts).toEqual({ results: 1, needs: 0, experts: 0 })
    const everything = await apiSearch('results', '')
    expect(everything.body.total).toBe(1)
    expect((await apiSearch('experts', q('激光焊接'))).body.total).toBe(0)

    // Withdrawn to draft: gone from search once the indexer has seen the change.
    await prisma.result.update({ where: { id: visible.id }, data: { status: 'draft' } })
    await prisma.searchOutbox.create({
      data: { entity: 'result', entityId: visible.id, op: 'upsert' },
    })
    await host.drain()
    expect((await apiSearch('results', q('激光焊接'))).body.total).toBe(0)
  })

  test('finds words inside longer words, synonyms, traditional characters, pinyin and model names', async () => {
    const university = await createTestOrganization({ kind: 'university' })
    const chain = await prisma.expert.create({
      data: { name: '区块链专家', orgId: university.id, fields: ['101'], keywords: ['区块链'] },
    })
    const battery = await prisma.expert.create({
      data: { name: '电池专家', orgId: university.id, fields: ['601'], keywords: ['锂电池回收'] },
    })
    const laser = await createResult(university.id, {
      title: '激光焊接机器人',
      keywords: ['激光焊接'],
    })
    const sic = await createResult(university.id, {
      title: 'SiC 功率模块封装',
      keywords: ['碳化硅'],
    })
    await host.reindex()

    const ids = async (kind: string, text: string) =>
      ((await apiSearch(kind, q(text))).body.hits as { id: string }[]).map((hit) => hit.id)
    expect(await ids('experts', '区块')).toEqual([chain.id])
    expect(await ids('experts', '电池')).toEqual([battery.id])
    expect(await ids('experts', '锂离子电池')).toEqual([battery.id])
    expect(await ids('experts', '鋰電池')).toEqual([battery.id])
    expect(await ids('results', 'jiguang hanjie')).toEqual([laser.id])
    expect(await ids('results', 'jghj')).toEqual([laser.id])
    expect(await ids('results', 'ＳｉＣ')).toEqual([sic.id])
    expect(await ids('results', '碳化硅')).toEqual([sic.id])

    const highlighted = await apiSearch('results', q('激光'))
    expect(highlighted.body.hits).toEqual([
      expect.objectContaining({ id: laser.id, highlights: { title: [[0, 2]], snippet: [[0, 2]] } }),
    ])
  })

  test('bad input: a clear 400 from the API, a page that still shows, never a 500', async () => {
    const university = await createTestOrganization({ kind: 'university' })
    await createResult(university.id, { title: '石墨烯导热膜', transferModes: ['license'] })
    await host.reindex()

    for (const [query, field] of [
      [`q=${'石'.repeat(2001)}`, 'q'],
      ['page=0', 'page'],
      ['page=abc', 'page'],
      ['limit=101', 'limit'],
      ['trl=12', 'trl'],
      ['field=999', 'field'],
      ['mode=bribery', 'mode'],
      ['band=free', 'band'],
      ['sort=random', 'sort'],
      ['local=yes', 'local'],
      ['q=a&q=b', 'q'],
    ] as const) {
      const answer = await apiSearch('results', query)
      expect([query, answer.status, (answer.body.error as { field?: string })?.field]).toEqual([
        query,
        400,
        field,
      ])
    }
    expect((await apiSearch('needs', 'trl=3')).status).toBe(400)
    expect((await apiSearch('deals', '')).status).toBe(404)
    // Filter syntax in the words is only words.
    for (const words of ['field = 80 OR 1=1', '"); DROP TABLE', '，。！？', '*', 'mode=license']) {
      const answer = await apiSearch('results', q(words))
      expect([words, answer.status]).toEqual([words, 200])
    }
    expect((await apiSearch('results', q('，。！？'))).body.total).toBe(0)

    for (const query of [
      `q=${'石'.repeat(2500)}`,
      'page=99999',
      'trl=12&field=%00',
      'kind=nope',
      'sort=x',
    ]) {
      const page = await searchPage(query)
      expect([query, page.status]).toEqual([query, 200])
    }
  })

  test('API tokens: a wrong, expired or revoked one is refused with 401; a live one is counted', async () => {
    const user = await createTestUser()
    const live = await createApiToken({ userId: user.id, name: '测试' })
    const expired = await createApiToken({
      userId: user.id,
      name: '过期',
      expiresAt: new Date(Date.now() - 1000),
    })
    const revoked = await createApiToken({ userId: user.id, name: '撤销' })
    await prisma.apiToken.update({
      where: { id: revoked.record.id },
      data: { revokedAt: new Date() },
    })
    await host.reindex()

    const withToken = (token: string) =>
      apiSearch('results', '', { Authorization: `Bearer ${token}` })
    expect((await withToken(live.token)).status).toBe(200)
    for (const [token, message] of [
      ['xmk_not-a-token', '访问令牌无效'],
      [expired.token, '访问令牌已过期，请重新申请'],
      [revoked.token, '访问令牌已被撤销'],
    ] as const) {
      const answer = await withToken(token)
      expect([answer.status, (answer.body.error as { message: string }).message]).toEqual([
        401,
        message,
      ])
    }
    expect((await apiSearch('results', '', { Authorization: 'Basic abc' })).status).toBe(401)
    const used = await prisma.apiToken.findUniqueOrThrow({ where: { id: live.record.id } })
    expect(used.lastUsedAt).not.toBeNull()
  })

  test('while the index is being built, the page says so and the API answers 503', async () => {
    setSearchHost(createSearchHost({ engine: createEmbeddedEngine() }))
    const page = await searchPage(q('石墨烯'))
    expect(page.body.outcome.state).toBe('building')
    expect((await apiSearch('results', q('石墨烯'))).status).toBe(503)
  })
})

/** An engine that can be switched off, and counts what it was asked to apply. */
function flakyEngine(counts: Map<string, number>) {
  const inner = createEmbeddedEngine()
  const state = { down: false }
  const engine: SearchEngine = {
    ...inner,
    name: 'meilisearch',
    shared: true,
    async upsert(documents: SearchDocument[]) {
      if (state.down) throw new Error('engine is down')
      for (const document of documents) counts.set(document.id, (counts.get(document.id) ?? 0) + 1)
      // Slow enough that two indexers would overlap if they could.
      await new Promise((resolve) => setTimeout(resolve, 5))
      await inner.upsert(documents)
    },
    async remove(kind: DocumentKind, ids: string[]) {
      if (state.down) throw new Error('engine is down')
      await inner.remove(kind, ids)
    },
    search: inner.search,
    count: inner.count,
  }
  return { engine, state }
}

describe('the outbox of a shared engine', () => {
  test('a write while the engine is down is indexed once it is back', async () => {
    const counts = new Map<string, number>()
    const { engine, state } = flakyEngine(counts)
    const shared = createSearchHost({ engine })
    await shared.start()
    const university = await createTestOrganization({ kind: 'university' })
    state.down = true
    const result = await createResult(university.id, { title: '钙钛矿光伏组件' })
    await expect(shared.drain()).rejects.toThrow('engine is down')
    const failed = await prisma.searchOutbox.findFirstOrThrow({ where: { entityId: result.id } })
    expect([failed.processedAt, failed.attempts, failed.lastError]).toEqual([
      null,
      1,
      'engine is down',
    ])
    expect((await shared.status()).pending).toBe(1)

    state.down = false
    // The row waits out its backoff before it is tried again.
    await shared.drain()
    expect(counts.get(result.id)).toBeUndefined()
    await prisma.searchOutbox.updateMany({ data: { updatedAt: new Date(Date.now() - 60_000) } })
    await shared.drain()
    expect(counts.get(result.id)).toBe(1)
    expect((await shared.status()).pending).toBe(0)
    expect((await engine.search('result', '钙钛矿')).total).toBe(1)
    await shared.stop()
  })

  test('two indexers draining at once apply each change exactly once', async () => {
    const counts = new Map<string, number>()
    const { engine } = flakyEngine(counts)
    const first = createSearchHost({ engine })
    const second = createSearchHost({ engine })
    await Promise.all([first.start(), second.start()])
    const university = await createTestOrganization({ kind: 'university' })
    const results = []
    for (let index = 0; index < 40; index += 1) {
      results.push(await createResult(university.id, { title: `新材料成果${index}` }))
    }
    await Promise.all([first.drain(), second.drain(), first.drain(), second.drain()])
    await Promise.all([first.drain(), second.drain()])
    expect(results.map((result) => counts.get(result.id))).toEqual(results.map(() => 1))
    expect(await prisma.searchOutbox.count({ where: { processedAt: null } })).toBe(0)
    await Promise.all([first.stop(), second.stop()])
  })
})
