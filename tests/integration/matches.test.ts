import { afterEach, beforeEach, describe, expect, test } from 'vitest'

import { announceStrongMatches } from '~/models/match.server'
import { getNeedMatches } from '~/models/matching.server'
import { createSearchHost, setSearchHost, type SearchHost } from '~/models/search.server'
import * as needRoute from '~/routes/needs.$needId'
import * as notificationsRoute from '~/routes/notifications'
import * as resultRoute from '~/routes/results.$resultId'
import { prisma } from '~/utils/db.server'

import { createEmbeddedEngine } from '../../search/embedded-engine'
import {
  buildRequest,
  createTestOrganization,
  createSignedInUser,
  createTestUser,
  run,
} from '../setup/remix'

const later = () => new Date(Date.now() + 365 * 86_400_000)

let host: SearchHost

beforeEach(() => {
  host = createSearchHost({ engine: createEmbeddedEngine() })
  setSearchHost(host)
})

afterEach(async () => {
  setSearchHost(undefined)
  await host.stop()
})

async function createResult(orgId: string, title: string, keywords: string[]) {
  const result = await prisma.result.create({
    data: {
      title,
      summary: `${title}，${keywords.join('、')}`,
      fieldCode: '804',
      trl: 7,
      transferModes: ['license'],
      orgId,
      keywords,
      status: 'published',
      publishedAt: new Date(),
      expiresAt: later(),
    },
  })
  await prisma.searchOutbox.create({
    data: { entity: 'result', entityId: result.id, op: 'upsert' },
  })
  return result
}

async function createNeed(orgId: string, title: string, status: 'open' | 'draft' = 'open') {
  return prisma.need.create({
    data: {
      title,
      description: `${title}：需要余热回收、有机朗肯循环发电和换热器优化方面的技术。`,
      fieldCode: '804',
      keywords: ['余热回收', '有机朗肯循环'],
      cooperationModes: ['transfer'],
      orgId,
      status,
      expiresAt: later(),
    },
  })
}

/** Two parties: an enterprise with a need, a university with a result that answers it. */
async function market() {
  const enterprise = await createTestOrganization({ name: '西安测试钢铁有限公司' })
  const university = await createTestOrganization({ kind: 'university', name: '西安测试大学' })
  const buyer = await createSignedInUser('enterprise', enterprise.id)
  const seller = await createSignedInUser('researcher', university.id)
  const result = await createResult(university.id, '工业余热有机朗肯循环发电技术', [
    '余热回收',
    '有机朗肯循环',
    '换热器',
  ])
  const unrelated = await createResult(university.id, '余热回收换热器清洗机器人', ['余热回收'])
  const need = await createNeed(enterprise.id, '钢厂低温余热回收发电')
  await host.reindex()
  return { enterprise, university, buyer, seller, result, unrelated, need }
}

type VerdictForm = Partial<Record<'candidateKind' | 'candidateId' | 'verdict' | 'reason', string>>

/** Posts a verdict from a need's page, as its match list does. */
function verdictOnNeed(needId: string, cookie: string | null, values: VerdictForm) {
  const request = buildRequest(`/needs/${needId}`, {
    cookie,
    form: { intent: 'match-verdict', candidateKind: 'result', verdict: 'interested', ...values },
  })
  return run(needRoute.action, request, { needId })
}

/** Posts a verdict from a result's page on one of its needs. */
function verdictOnResult(resultId: string, cookie: string | null, values: VerdictForm) {
  const request = buildRequest(`/results/${resultId}`, {
    cookie,
    form: { intent: 'match-verdict', candidateKind: 'need', verdict: 'interested', ...values },
  })
  return run(resultRoute.action, request, { resultId })
}

describe('verdicts on matches', () => {
  test('an interested need owner stores the match with its reasons, and the result owner is told; a refusal never comes back', async () => {
    const { buyer, seller, result, unrelated, need } = await market()
    // A member still waiting for admission hears nothing of the organization's matches.
    const pending = await createTestUser({ role: 'researcher', orgId: result.orgId })
    await prisma.user.update({ where: { id: pending.id }, data: { membership: 'pending' } })

    const page = await run(
      needRoute.loader,
      buildRequest(`/needs/${need.id}`, { cookie: buyer.cookie }),
      { needId: need.id },
    )
    const body = (await page.json()) as {
      matches: { state: string; results: { id: string }[] }
      verdicts: { side: string; given: object } | null
    }
    expect(body.matches.results.map((match) => match.id)).toContain(result.id)
    expect(body.verdicts).toEqual({ side: 'need', given: {} })

    const interested = await verdictOnNeed(need.id, buyer.cookie, {
      candidateId: result.id,
    })
    expect(interested.status).toBe(302)
    const stored = await prisma.match.findUniqueOrThrow({
      where: { needId_resultId: { needId: need.id, resultId: result.id } },
      select: { status: true, score: true, reasons: true, source: true, verdicts: true },
    })
    expect(stored).toMatchObject({ status: 'interested', source: 'engine' })
    expect(stored.score).toBeGreaterThan(0)
    expect((stored.reasons as { terms: string[] }).terms).toContain('有机朗肯循环')
    expect(stored.verdicts).toMatchObject([{ side: 'need', verdict: 'interested', reason: null }])
    const told = await prisma.notification.findMany({
      where: { kind: 'match_interested' },
      select: { userId: true, title: true, link: true },
    })
    expect(told).toEqual([
      {
        userId: seller.user.id,
        title: expect.stringContaining(
          '西安测试钢铁有限公司对“工业余热有机朗肯循环发电技术”感兴趣',
        ),
        link: `/needs/${need.id}`,
      },
    ])

    // The result owner is interested too: both now know, and the buyer is told.
    const back = await verdictOnResult(result.id, seller.cookie, {
      candidateId: need.id,
    })
    expect(back.status).toBe(302)
    expect(
      await prisma.notification.count({
        where: { userId: buyer.user.id, kind: 'match_interested' },
      }),
    ).toBe(1)
    const sellerView = await run(
      resultRoute.loader,
      buildRequest(`/results/${result.id}`, { cookie: seller.cookie }),
      { resultId: result.id },
    )
    expect(((await sellerView.json()) as { verdicts: unknown }).verdicts).toEqual({
      side: 'offer',
      given: { [need.id]: { need: 'interested', offer: 'interested' } },
    })

    // 不合适 needs a reason; with one it is kept, and the pair leaves both sides' matches.
    const noReason = await verdictOnNeed(need.id, buyer.cookie, {
      candidateId: unrelated.id,
      verdict: 'declined',
    })
    expect(noReason.status).toBe(400)
    expect(await noReason.json()).toEqual({ error: '请选择不合适的原因' })
    const declined = await verdictOnNeed(need.id, buyer.cookie, {
      candidateId: unrelated.id,
      verdict: 'declined',
      reason: 'too_early',
    })
    expect(declined.status).toBe(302)
    const refused = await prisma.matchFeedback.findFirstOrThrow({
      where: { verdict: 'declined' },
      select: { reason: true, userId: true, match: { select: { status: true } } },
    })
    expect(refused).toEqual({
      reason: 'too_early',
      userId: buyer.user.id,
      match: { status: 'declined' },
    })
    const again = await getNeedMatches(need.id, null, 50)
    expect(again?.state === 'ready' && again.results.map((match) => match.id)).toEqual([result.id])
    // A refusal is final, and the other party is not told of it.
    const change = await verdictOnNeed(need.id, buyer.cookie, {
      candidateId: unrelated.id,
    })
    expect(change.status).toBe(409)
    expect(await prisma.notification.count({ where: { userId: pending.id } })).toBe(0)
    expect(await prisma.notification.count({ where: { userId: seller.user.id } })).toBe(1)
  })

  test('only a party of two public listings gives a verdict, on a pair the engine suggests', async () => {
    const { university, buyer, result, need, enterprise } = await market()
    const request = (cookie: string | null, values: VerdictForm = {}) =>
      verdictOnNeed(need.id, cookie, { candidateId: result.id, ...values })

    // Another enterprise, the result's own institution, and an admin speak for no side here.
    const stranger = await createSignedInUser('enterprise', (await createTestOrganization()).id)
    expect((await request(stranger.cookie)).status).toBe(403)
    const seller = await createSignedInUser('researcher', university.id)
    expect((await request(seller.cookie)).status).toBe(403)
    const admin = await createSignedInUser('admin', null)
    expect((await request(admin.cookie)).status).toBe(403)
    // Signed out: to the login page.
    expect((await request(null)).status).toBe(302)
    expect((await request(null)).headers.get('Location')).toMatch(/^\/login/)

    // Malformed forms name the problem.
    expect((await request(buyer.cookie, { candidateKind: 'need' })).status).toBe(400)
    expect((await request(buyer.cookie, { candidateId: '../../etc' })).status).toBe(400)
    expect((await request(buyer.cookie, { verdict: 'maybe' })).status).toBe(400)
    expect((await request(buyer.cookie, { reason: 'because' })).status).toBe(400)

    // A listing the engine never suggested (a draft, here) cannot be made a match by a form.
    const draft = await prisma.result.create({
      data: {
        title: '余热回收草稿',
        summary: '余热回收',
        fieldCode: '804',
        trl: 3,
        transferModes: ['license'],
        orgId: university.id,
        status: 'draft',
      },
    })
    expect((await request(buyer.cookie, { candidateId: draft.id })).status).toBe(409)
    // Nor may a draft need's owner tell anyone about it.
    const draftNeed = await createNeed(enterprise.id, '余热回收草稿需求', 'draft')
    const fromDraft = await verdictOnNeed(draftNeed.id, buyer.cookie, {
      candidateId: result.id,
    })
    expect(fromDraft.status).toBe(403)
    expect(await prisma.match.count()).toBe(0)
    expect(await prisma.notification.count()).toBe(0)
  })

  test('strong matches of a newly published listing are stored and announced to both parties once', async () => {
    const { buyer, seller, result, need } = await market()
    expect(await announceStrongMatches('need', need.id)).toBe(1)
    const stored = await prisma.match.findMany({ select: { resultId: true, status: true } })
    expect(stored).toEqual([{ resultId: result.id, status: 'suggested' }])
    const told = await prisma.notification.findMany({
      where: { kind: 'match_suggested' },
      select: { userId: true, title: true },
      orderBy: { userId: 'asc' },
    })
    expect(told.map((item) => item.userId).sort()).toEqual([buyer.user.id, seller.user.id].sort())
    // Announced once: a second publication of the same pair tells nobody again.
    expect(await announceStrongMatches('need', need.id)).toBe(0)
    expect(await announceStrongMatches('result', result.id)).toBe(0)
    expect(await prisma.notification.count()).toBe(2)
  })
})

describe('the notification centre', () => {
  test('lists a user’s own notifications, marks one or all read, and ignores other users’ ids', async () => {
    const org = await createTestOrganization()
    const me = await createSignedInUser('enterprise', org.id)
    const other = await createSignedInUser('enterprise', org.id)
    const mine = await prisma.notification.createManyAndReturn({
      data: Array.from({ length: 23 }, (_, index) => ({
        userId: me.user.id,
        kind: 'match_suggested' as const,
        title: `通知 ${index}`,
        link: '/needs',
      })),
      select: { id: true },
    })
    const theirs = await prisma.notification.create({
      data: { userId: other.user.id, kind: 'match_suggested', title: '别人的通知' },
    })
    const list = async (query = '') => {
      const response = await run(
        notificationsRoute.loader,
        buildRequest(`/notifications${query}`, { cookie: me.cookie }),
      )
      return (await response.json()) as {
        total: number
        items: { id: string }[]
        pageCount: number
      }
    }
    expect(await list()).toMatchObject({ total: 23, pageCount: 2 })
    expect((await list('?page=2')).items).toHaveLength(3)

    const markRead = (id: string) =>
      run(
        notificationsRoute.action,
        buildRequest('/notifications', { cookie: me.cookie, form: { intent: 'read', id } }),
      )
    expect((await markRead(mine[0]!.id)).status).toBe(302)
    expect((await list('?show=unread')).total).toBe(22)
    await markRead(theirs.id)
    expect(
      await prisma.notification.findUniqueOrThrow({
        where: { id: theirs.id },
        select: { readAt: true },
      }),
    ).toEqual({ readAt: null })
    expect((await markRead('not an id')).status).toBe(404)

    await run(
      notificationsRoute.action,
      buildRequest('/notifications', { cookie: me.cookie, form: { intent: 'read-all' } }),
    )
    expect((await list('?show=unread')).total).toBe(0)
    expect(await prisma.notification.count({ where: { readAt: null } })).toBe(1)
    const anonymous = await run(notificationsRoute.loader, buildRequest('/notifications'))
    expect(anonymous.status).toBe(302)
  })
})
