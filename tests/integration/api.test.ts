import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import { getSearchHost } from '~/models/search.server'
import { prisma } from '~/utils/db.server'

import { startInProcessServer, type InProcessServer } from '../setup/app-server'
import { createTestOrganization } from '../setup/remix'

let server: InProcessServer

beforeAll(async () => {
  server = await startInProcessServer()
})

afterAll(async () => {
  await server.close()
})

/** Applies what was written and waits until search answers. */
async function indexed() {
  const host = getSearchHost()!
  for (let tries = 0; !host.readiness().ready; tries += 1) {
    if (tries > 200) throw new Error('search never became ready')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  await host.drain()
}

async function publish(orgId: string, kind: 'result' | 'need', title: string, description: string) {
  const common = {
    title,
    fieldCode: '804',
    keywords: ['激光焊接'],
    orgId,
    publishedAt: new Date(),
    expiresAt: new Date(Date.now() + 86_400_000 * 90),
  }
  const row =
    kind === 'result'
      ? await prisma.result.create({
          data: {
            ...common,
            summary: description,
            trl: 7,
            transferModes: ['license'],
            status: 'published',
          },
        })
      : await prisma.need.create({
          data: {
            ...common,
            description,
            cooperationModes: ['transfer'],
            status: 'open',
            budgetMax: 500_000,
          },
        })
  await prisma.searchOutbox.create({ data: { entity: kind, entityId: row.id, op: 'upsert' } })
  return row
}

const need = {
  title: '寻求铝合金车身激光焊接技术',
  description:
    '我公司生产汽车车身，现有点焊工艺变形大，希望引进激光焊接技术，实现铝合金部件低变形连接。',
  budgetMax: 500_000,
}

function postMatch(body: string, headers: Record<string, string> = {}) {
  return fetch(`${server.baseUrl}/api/v1/match`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  })
}

describe('the matching API', () => {
  test('a need posted as JSON, without an account or an Origin, gets ranked matches with reasons', async () => {
    const university = await createTestOrganization({ kind: 'university' })
    const result = await publish(
      university.id,
      'result',
      '铝合金激光焊接工艺',
      '汽车车身铝合金部件的激光焊接',
    )
    await indexed()
    const response = await postMatch(JSON.stringify(need))
    expect(response.status).toBe(200)
    const { hits } = (await response.json()) as { hits: Record<string, unknown>[] }
    expect(hits[0]).toMatchObject({
      kind: 'result',
      id: result.id,
      url: `/results/${result.id}`,
      reasons: { trl: { level: 7, fit: 'mature' }, locality: { local: true } },
    })
    expect(hits[0]!.score).toBeGreaterThan(0)
    expect(hits[0]!.score).toBeLessThanOrEqual(1)
  })

  test('bad requests get a 4xx that says what is wrong', async () => {
    await indexed()
    const cases: [string, Response, number, string | undefined][] = [
      [
        'no title',
        await postMatch(JSON.stringify({ description: need.description })),
        400,
        'title',
      ],
      [
        'short description',
        await postMatch(JSON.stringify({ ...need, description: '激光' })),
        400,
        'description',
      ],
      ['unknown field', await postMatch(JSON.stringify({ ...need, field: '999' })), 400, 'field'],
      [
        'negative budget',
        await postMatch(JSON.stringify({ ...need, budgetMax: -1 })),
        400,
        'budgetMax',
      ],
      ['not JSON', await postMatch('{"title": '), 400, undefined],
      ['a JSON array', await postMatch('[1,2]'), 400, undefined],
      [
        'text/plain',
        await postMatch(JSON.stringify(need), { 'Content-Type': 'text/plain' }),
        415,
        undefined,
      ],
      [
        'over the size limit',
        await postMatch(JSON.stringify({ ...need, description: '激'.repeat(40_000) })),
        413,
        undefined,
      ],
      ['a GET', await fetch(`${server.baseUrl}/api/v1/match`), 405, undefined],
      [
        'a revoked-looking token',
        await postMatch(JSON.stringify(need), { Authorization: 'Bearer xmk_unknown' }),
        401,
        undefined,
      ],
    ]
    for (const [name, response, status, field] of cases) {
      const body = (await response.json()) as { error?: { message?: string; field?: string } }
      expect([name, response.status, body.error?.field]).toEqual([name, status, field])
      expect(body.error?.message, name).toMatch(/[\u4e00-\u9fa5]/)
    }
  })

  test('a cookie makes it a browser request: then the Origin must be ours, token or not', async () => {
    await indexed()
    for (const headers of <Record<string, string>[]>[
      { Cookie: 'xm_session=anything' },
      { Cookie: 'xm_session=anything', Origin: 'https://evil.example' },
      { Cookie: 'xm_session=anything', Authorization: 'Bearer xmk_forged' },
    ]) {
      expect((await postMatch(JSON.stringify(need), headers)).status).toBe(403)
    }
    expect((await postMatch(JSON.stringify(need), { Origin: server.baseUrl })).status).toBe(200)
  })

  test('matches of a listing: public ones for anyone, drafts for nobody outside', async () => {
    const enterprise = await createTestOrganization()
    const university = await createTestOrganization({ kind: 'university' })
    const open = await publish(
      enterprise.id,
      'need',
      '激光焊接技术需求',
      '铝合金车身激光焊接，低变形连接',
    )
    const result = await publish(
      university.id,
      'result',
      '铝合金激光焊接工艺',
      '汽车车身铝合金部件的激光焊接',
    )
    const draft = await prisma.need.update({
      where: { id: (await publish(enterprise.id, 'need', '草稿需求', '激光焊接草稿内容描述')).id },
      data: { status: 'draft' },
    })
    await indexed()
    const get = (path: string) => fetch(`${server.baseUrl}${path}`)
    const needMatches = await get(`/api/v1/needs/${open.id}/matches`)
    expect(needMatches.status).toBe(200)
    expect(((await needMatches.json()) as { hits: { id: string }[] }).hits[0]!.id).toBe(result.id)
    const resultMatches = await get(`/api/v1/results/${result.id}/matches`)
    expect(
      ((await resultMatches.json()) as { hits: { id: string }[] }).hits.map((hit) => hit.id),
    ).toEqual([open.id])
    for (const path of [
      `/api/v1/needs/${draft.id}/matches`,
      '/api/v1/needs/nope/matches',
      `/api/v1/results/${'x'.repeat(300)}/matches`,
    ]) {
      expect([path, (await get(path)).status]).toEqual([path, 404])
    }
  })

  test('a flood of match requests from one address is slowed with 429 and Retry-After', async () => {
    await indexed()
    const statuses: number[] = []
    let retryAfter: string | null = null
    for (let index = 0; index < 25; index += 1) {
      const response = await postMatch(JSON.stringify(need))
      statuses.push(response.status)
      if (response.status === 429) retryAfter = response.headers.get('Retry-After')
    }
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true)
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429])
    expect(Number(retryAfter)).toBeGreaterThan(0)
  })
})
