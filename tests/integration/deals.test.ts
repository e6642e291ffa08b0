import { describe, expect, test } from 'vitest'

import { replayDealEvents } from '~/domain/deals'
import {
  dealCapacitiesById,
  getDealForViewer,
  moveDeal,
  startEnquiry,
  takeUpDeal,
} from '~/models/deal.server'
import * as dealRoute from '~/routes/deals.$dealId'
import * as dealsRoute from '~/routes/deals._index'
import * as resultRoute from '~/routes/results.$resultId'
import { prisma } from '~/utils/db.server'
import { dealMoveFromForm, type DealMoveInput } from '~/validation/deals'

import {
  buildRequest,
  createSignedInUser,
  createTestOrganization,
  createTestUser,
  run,
} from '../setup/remix'

const later = () => new Date(Date.now() + 365 * 86_400_000)

/** A user as the models see them. */
async function actor(
  role: 'enterprise' | 'researcher' | 'broker' | 'bureau',
  orgId: string | null,
) {
  const { id } = await createTestUser({ role, orgId })
  return prisma.user.findUniqueOrThrow({
    where: { id },
    select: { id: true, role: true, membership: true, org: { select: { id: true } } },
  })
}

/** An enterprise with a need, a university with a result, a broker and the bureau. */
async function market() {
  const enterprise = await createTestOrganization({
    name: '西安测试装备有限公司',
    regionCode: '610116',
  })
  const university = await createTestOrganization({ kind: 'university', regionCode: '610113' })
  const result = await prisma.result.create({
    data: {
      title: '高精度激光熔覆修复技术',
      summary: '激光熔覆修复轴类零件',
      fieldCode: '804',
      trl: 7,
      transferModes: ['license'],
      orgId: university.id,
      keywords: ['激光熔覆'],
      status: 'published',
      publishedAt: new Date(),
      expiresAt: later(),
    },
  })
  const need = await prisma.need.create({
    data: {
      title: '轧辊修复技术需求',
      description: '需要轧辊表面修复技术',
      fieldCode: '804',
      keywords: ['轧辊修复'],
      cooperationModes: ['transfer'],
      orgId: enterprise.id,
      status: 'open',
      expiresAt: later(),
    },
  })
  return {
    enterprise,
    university,
    result,
    need,
    buyer: await actor('enterprise', enterprise.id),
    seller: await actor('researcher', university.id),
    broker: await actor('broker', null),
    bureau: await actor('bureau', null),
    outsider: await actor('enterprise', (await createTestOrganization()).id),
  }
}

function move(form: Record<string, string>): DealMoveInput {
  const parsed = dealMoveFromForm(form)
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join('；'))
  return parsed.data
}

const version = async (dealId: string) =>
  (await prisma.deal.findUniqueOrThrow({ where: { id: dealId } })).version

async function enquireOnResult(parties: Awaited<ReturnType<typeof market>>) {
  const started = await startEnquiry(
    parties.buyer,
    { kind: 'result', id: parties.result.id },
    '我们有一批轧辊需要修复，想了解技术许可条件。',
  )
  if (!started.ok) throw new Error(started.reason)
  return started.dealId
}

describe('enquiries (我要对接)', () => {
  test('start a deal in 意向 with the owner, tell them, and open the same one when asked again', async () => {
    const parties = await market()
    const dealId = await enquireOnResult(parties)
    const deal = await prisma.deal.findUniqueOrThrow({
      where: { id: dealId },
      include: { events: true, messages: true },
    })
    expect(deal).toMatchObject({
      status: 'intent',
      sellerOrgId: parties.university.id,
      buyerOrgId: parties.enterprise.id,
      resultId: parties.result.id,
      contractType: null,
    })
    expect(deal.events).toMatchObject([
      { fromStatus: null, toStatus: 'intent', actorId: parties.buyer.id },
    ])
    expect(deal.messages).toMatchObject([{ senderId: parties.buyer.id }])
    expect(
      await prisma.notification.findMany({
        where: { userId: parties.seller.id },
        select: { kind: true, link: true },
      }),
    ).toEqual([{ kind: 'deal_enquiry', link: `/deals/${dealId}` }])

    // Twice at once, and again later: one open enquiry.
    const again = await Promise.all(
      [1, 2].map(() =>
        startEnquiry(parties.buyer, { kind: 'result', id: parties.result.id }, '再问一次'),
      ),
    )
    expect(again).toEqual([
      { ok: true, dealId, existing: true },
      { ok: true, dealId, existing: true },
    ])
    // A researcher answers an enterprise's need: their institution sells.
    const onNeed = await startEnquiry(
      parties.seller,
      { kind: 'need', id: parties.need.id },
      '我们可以提供修复方案',
    )
    expect(onNeed.ok && onNeed.existing).toBe(false)
    const needDeal = await prisma.deal.findUniqueOrThrow({
      where: { id: onNeed.ok ? onNeed.dealId : '' },
    })
    expect([needDeal.sellerOrgId, needDeal.buyerOrgId]).toEqual([
      parties.university.id,
      parties.enterprise.id,
    ])
  })

  test('refused for one’s own listing, for staff, and for what is not public', async () => {
    const parties = await market()
    const own = await startEnquiry(
      parties.seller,
      { kind: 'result', id: parties.result.id },
      '自己问自己',
    )
    expect(own).toMatchObject({ ok: false, status: 409 })
    expect(
      await startEnquiry(parties.broker, { kind: 'result', id: parties.result.id }, '经纪人'),
    ).toMatchObject({
      ok: false,
      status: 403,
    })
    await prisma.result.update({ where: { id: parties.result.id }, data: { status: 'draft' } })
    expect(
      await startEnquiry(parties.buyer, { kind: 'result', id: parties.result.id }, '草稿'),
    ).toMatchObject({
      ok: false,
      status: 404,
    })
    expect(
      await startEnquiry(parties.buyer, { kind: 'result', id: 'nonexistent' }, '不存在'),
    ).toMatchObject({
      ok: false,
      status: 404,
    })
    expect(await prisma.deal.count({ where: { resultId: parties.result.id } })).toBe(0)
  })
})

describe('moving a deal', () => {
  test('from enquiry to completion: each step by its role, terms frozen at signing, listings follow', async () => {
    const parties = await market()
    const dealId = await enquireOnResult(parties)
    await prisma.deal.update({ where: { id: dealId }, data: { needId: parties.need.id } })

    // An outsider cannot see it; a broker takes it up.
    expect(await getDealForViewer(parties.outsider, dealId)).toBeNull()
    expect(
      await moveDeal(parties.outsider, dealId, move({ to: 'negotiating', version: '1' })),
    ).toMatchObject({
      ok: false,
      status: 404,
    })
    // Any broker sees an enquiry nobody runs yet, with nothing to do but take it up.
    expect(await getDealForViewer(parties.broker, dealId)).toMatchObject({ canTakeUp: true, moves: [] })
    expect(await takeUpDeal(parties.broker, dealId, 1)).toEqual({ ok: true })
    expect(await takeUpDeal(parties.broker, dealId, 2)).toMatchObject({ ok: false, status: 409 })

    expect(
      await moveDeal(parties.broker, dealId, move({ to: 'negotiating', version: '2' })),
    ).toMatchObject({ ok: true })
    // Skipping a step is refused; signing needs its terms.
    expect(
      await moveDeal(parties.seller, dealId, move({ to: 'performing', version: '3' })),
    ).toMatchObject({
      ok: false,
      status: 409,
      reason: '合同处于“洽谈”，不能变为“履约”',
    })
    expect(
      dealMoveFromForm({
        to: 'signed',
        version: '3',
        contractType: 'license',
        contractAmount: '50',
        techTransactionAmount: '60',
      }).success,
    ).toBe(false)
    const signed = await moveDeal(
      parties.seller,
      dealId,
      move({
        to: 'signed',
        version: '3',
        contractType: 'license',
        subType: '专利实施许可（普通）',
        contractAmount: '50',
        techTransactionAmount: '45',
        signedAt: '2026-11-20',
      }),
    )
    expect(signed).toMatchObject({ ok: true })
    expect(
      await prisma.result.findUniqueOrThrow({ where: { id: parties.result.id } }),
    ).toMatchObject({
      status: 'in_negotiation',
    })
    expect(await prisma.need.findUniqueOrThrow({ where: { id: parties.need.id } })).toMatchObject({
      status: 'in_deal',
    })

    // The seller moves house: the deal keeps where it stood at signing.
    await prisma.organization.update({
      where: { id: parties.university.id },
      data: { regionCode: '110108' },
    })

    // Only the bureau registers, with a well-formed, unused number dated after signing.
    const register = (fields: Record<string, string>) =>
      move({
        to: 'registered',
        version: '4',
        registrationNo: '2026610113000123',
        registeredAt: '2026-11-25',
        assessedAmount: '40',
        ...fields,
      })
    expect(await moveDeal(parties.seller, dealId, register({}))).toMatchObject({
      ok: false,
      status: 403,
    })
    expect(
      dealMoveFromForm({
        to: 'registered',
        version: '4',
        registrationNo: 'XA-1',
        registeredAt: '2026-11-25',
        assessedAmount: '40',
      }).success,
    ).toBe(false)
    expect(
      await moveDeal(parties.bureau, dealId, register({ registeredAt: '2026-11-19' })),
    ).toMatchObject({
      ok: false,
      status: 400,
      field: 'registeredAt',
    })
    expect(
      await moveDeal(parties.bureau, dealId, register({ assessedAmount: '51' })),
    ).toMatchObject({
      ok: false,
      field: 'assessedAmount',
    })
    const other = await prisma.deal.create({
      data: {
        title: '已登记合同',
        contractType: 'service',
        sellerOrgId: parties.university.id,
        buyerOrgId: parties.outsider.org!.id,
        contractAmount: 1,
        status: 'registered',
        signedAt: new Date('2026-01-01'),
        registeredAt: new Date('2026-01-02'),
        registrationNo: '2026610113000999',
        sellerRegionCode: '610113',
        buyerRegionCode: '610113',
      },
    })
    expect(
      await moveDeal(parties.bureau, dealId, register({ registrationNo: other.registrationNo! })),
    ).toMatchObject({
      ok: false,
      status: 409,
      field: 'registrationNo',
    })
    expect(await version(dealId)).toBe(4)
    expect(await moveDeal(parties.bureau, dealId, register({}))).toMatchObject({ ok: true })

    expect(
      await moveDeal(parties.broker, dealId, move({ to: 'performing', version: '5' })),
    ).toMatchObject({
      ok: false,
      status: 403,
    })
    expect(
      await moveDeal(parties.buyer, dealId, move({ to: 'performing', version: '5' })),
    ).toMatchObject({ ok: true })
    expect(
      await moveDeal(
        parties.seller,
        dealId,
        move({ to: 'completed', version: '6', note: '验收通过' }),
      ),
    ).toMatchObject({ ok: true })

    const deal = await prisma.deal.findUniqueOrThrow({
      where: { id: dealId },
      include: { events: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
    })
    expect(deal).toMatchObject({
      status: 'completed',
      registrationNo: '2026610113000123',
      sellerRegionCode: '610113',
      buyerRegionCode: '610116',
      brokerId: parties.broker.id,
    })
    expect(deal.techTransactionAmount?.toNumber()).toBe(400_000)
    expect(deal.contractAmount?.toNumber()).toBe(500_000)
    expect(replayDealEvents(deal.events)).toBe('completed')
    expect(
      await prisma.result.findUniqueOrThrow({ where: { id: parties.result.id } }),
    ).toMatchObject({ status: 'transferred' })
    expect(await prisma.need.findUniqueOrThrow({ where: { id: parties.need.id } })).toMatchObject({
      status: 'solved',
    })
    // Both parties and the broker heard of the steps others made.
    expect(
      await prisma.notification.count({ where: { userId: parties.buyer.id, kind: 'deal_moved' } }),
    ).toBeGreaterThan(0)
  })

  test('two people moving one deal at once: exactly one wins, the other is told', async () => {
    const parties = await market()
    const dealId = await enquireOnResult(parties)
    const outcomes = await Promise.all([
      moveDeal(parties.buyer, dealId, move({ to: 'negotiating', version: '1' })),
      moveDeal(parties.seller, dealId, move({ to: 'cancelled', version: '1', reason: '暂不合作' })),
    ])
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1)
    expect(outcomes.find((outcome) => !outcome.ok)).toMatchObject({ status: 409 })
    const deal = await prisma.deal.findUniqueOrThrow({
      where: { id: dealId },
      include: { events: true },
    })
    expect(deal.version).toBe(2)
    expect(deal.events).toHaveLength(2)
    expect(
      replayDealEvents(deal.events.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())),
    ).toBe(deal.status)
  })

  test('a cancelled deal gives its listings back; its room is only for its people', async () => {
    const parties = await market()
    const dealId = await enquireOnResult(parties)
    await moveDeal(parties.buyer, dealId, move({ to: 'negotiating', version: '1' }))
    await moveDeal(
      parties.buyer,
      dealId,
      move({
        to: 'signed',
        version: '2',
        contractType: 'transfer',
        contractAmount: '10',
        signedAt: '2026-11-01',
      }),
    )
    expect(
      await prisma.result.findUniqueOrThrow({ where: { id: parties.result.id } }),
    ).toMatchObject({ status: 'in_negotiation' })
    expect(dealMoveFromForm({ to: 'cancelled', version: '3', reason: '' }).success).toBe(false)
    expect(
      await moveDeal(
        parties.buyer,
        dealId,
        move({ to: 'cancelled', version: '3', reason: '买方资金未到位' }),
      ),
    ).toMatchObject({ ok: true })
    expect(await prisma.deal.findUniqueOrThrow({ where: { id: dealId } })).toMatchObject({
      status: 'cancelled',
      cancelReason: '买方资金未到位',
    })
    expect(
      await prisma.result.findUniqueOrThrow({ where: { id: parties.result.id } }),
    ).toMatchObject({ status: 'published' })
    // A new enquiry on the same result is a new deal.
    const again = await startEnquiry(
      parties.buyer,
      { kind: 'result', id: parties.result.id },
      '重新洽谈',
    )
    expect(again).toMatchObject({ ok: true, existing: false })

    expect(await dealCapacitiesById(parties.buyer.id, dealId)).toEqual(['party'])
    expect(await dealCapacitiesById(parties.bureau.id, dealId)).toEqual(['bureau'])
    expect(await dealCapacitiesById(parties.outsider.id, dealId)).toEqual([])
    expect(await dealCapacitiesById(parties.broker.id, dealId)).toEqual([])
    expect(await dealCapacitiesById(parties.buyer.id, 'nonexistent')).toEqual([])
  })
})

describe('the deal pages', () => {
  test('我要对接 from a result page leads to the deal; its forms refuse bad input and stale versions with the values kept', async () => {
    const parties = await market()
    const buyer = await createSignedInUser('enterprise', parties.enterprise.id)
    const seller = await createSignedInUser('researcher', parties.university.id)
    const outsider = await createSignedInUser('enterprise', (await createTestOrganization()).id)
    const enquire = (cookie: string | null, message: string) =>
      run(
        resultRoute.action,
        buildRequest(`/results/${parties.result.id}`, {
          cookie,
          form: { intent: 'enquire', message },
        }),
        { resultId: parties.result.id },
      )

    const empty = await enquire(buyer.cookie, ' ')
    expect(empty.status).toBe(400)
    expect(await empty.json()).toMatchObject({ enquiryError: '请填写留言' })
    const started = await enquire(buyer.cookie, '希望了解许可费用')
    expect(started.status).toBe(302)
    const location = started.headers.get('Location')!
    expect(location).toMatch(/^\/deals\/[a-z0-9]+$/)
    const dealId = location.split('/').pop()!
    expect((await enquire(buyer.cookie, '再次点击')).headers.get('Location')).toBe(location)
    expect((await enquire(seller.cookie, '本单位')).status).toBe(409)

    const page = (cookie: string | null) =>
      run(dealRoute.loader, buildRequest(location, { cookie }), { dealId })
    expect((await page(outsider.cookie)).status).toBe(404)
    expect((await page(null)).status).toBe(302)
    const shown = await (await page(seller.cookie)).json()
    expect(shown.moves.map((move: { to: string }) => move.to)).toEqual(['negotiating', 'cancelled'])

    const post = (cookie: string | null, form: Record<string, string>) =>
      run(dealRoute.action, buildRequest(location, { cookie, form }), { dealId })
    expect(
      (await post(outsider.cookie, { intent: 'move', to: 'negotiating', version: '1' })).status,
    ).toBe(404)
    expect(
      (await post(seller.cookie, { intent: 'move', to: 'negotiating', version: '1' })).status,
    ).toBe(302)
    // The buyer still holds the page at version 1.
    const stale = await post(buyer.cookie, {
      intent: 'move',
      to: 'cancelled',
      version: '1',
      reason: '太贵了',
    })
    expect(stale.status).toBe(409)
    expect(await stale.json()).toMatchObject({ form: 'cancelled', values: { reason: '太贵了' } })
    const bad = await post(buyer.cookie, {
      intent: 'move',
      to: 'signed',
      version: '2',
      contractType: 'license',
      contractAmount: '-3',
      techTransactionAmount: 'abc',
      signedAt: '2026-13-45',
    })
    expect(bad.status).toBe(400)
    const refused = await bad.json()
    expect(refused.values).toMatchObject({ contractAmount: '-3', techTransactionAmount: 'abc' })
    expect(Object.keys(refused.fieldErrors).sort()).toEqual([
      'contractAmount',
      'signedAt',
      'techTransactionAmount',
    ])
    expect(await version(dealId)).toBe(2)
    const unknown = await post(buyer.cookie, { intent: 'move', to: 'approved', version: '2' })
    expect(unknown.status).toBe(400)

    const list = await (
      await run(dealsRoute.loader, buildRequest('/deals', { cookie: buyer.cookie }))
    ).json()
    expect(list.deals.map((deal: { id: string }) => deal.id)).toEqual([dealId])
    const none = await (
      await run(dealsRoute.loader, buildRequest('/deals', { cookie: outsider.cookie }))
    ).json()
    expect(none.total).toBe(0)
  })
})
