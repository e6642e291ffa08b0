import { describe, expect, test } from 'vitest'

import {
  getBrokerLedgers,
  getLedger,
  getPipeline,
  listMatchesToTakeUp,
  startDealFromMatch,
} from '~/models/brokerage.server'
import { moveDeal, setDealCommission } from '~/models/deal.server'
import * as dealRoute from '~/routes/deals.$dealId'
import * as ledgerRoute from '~/routes/ledger'
import * as pipelineRoute from '~/routes/pipeline'
import { prisma } from '~/utils/db.server'
import { commissionSchema, dealMoveFromForm } from '~/validation/deals'

import { buildRequest, createSignedInUser, createTestOrganization, run } from '../setup/remix'

const DAY = 86_400_000
let registrations = Math.floor(Math.random() * 900_000)

async function actorOf(id: string) {
  return prisma.user.findUniqueOrThrow({
    where: { id },
    select: { id: true, role: true, membership: true, org: { select: { id: true } } },
  })
}

/** A broker with deals in several states, entered into them `daysAgo` days ago. */
async function brokerWithDeals(now: Date) {
  const seller = await createTestOrganization({ kind: 'university' })
  const buyer = await createTestOrganization()
  const broker = await createSignedInUser('broker')
  const party = await createSignedInUser('enterprise', buyer.id)
  const make = async (
    title: string,
    status: 'intent' | 'negotiating' | 'signed' | 'completed' | 'cancelled',
    daysAgo: number,
    terms: { amount?: number; commission?: number; signedDaysAfterStart?: number } = {},
  ) => {
    const createdAt = new Date(now.getTime() - (daysAgo + 10) * DAY)
    const signed = status === 'signed' || status === 'completed'
    const deal = await prisma.deal.create({
      data: {
        title,
        status,
        sellerOrgId: seller.id,
        buyerOrgId: buyer.id,
        brokerId: broker.user.id,
        createdAt,
        ...(signed
          ? {
              contractType: 'license',
              contractAmount: terms.amount ?? 100_000,
              signedAt: new Date(createdAt.getTime() + (terms.signedDaysAfterStart ?? 10) * DAY),
              sellerRegionCode: '610113',
              buyerRegionCode: '610113',
              commissionAmount: terms.commission ?? null,
            }
          : {}),
        ...(status === 'completed'
          ? {
              registeredAt: new Date(createdAt.getTime() + 40 * DAY),
              registrationNo: `2026610113${String(++registrations).padStart(6, '0')}`,
            }
          : {}),
      },
    })
    await prisma.dealEvent.create({
      data: {
        dealId: deal.id,
        fromStatus: null,
        toStatus: status,
        createdAt: new Date(now.getTime() - daysAgo * DAY),
      },
    })
    return deal
  }
  return {
    broker,
    party,
    fresh: await make('新的意向', 'intent', 1),
    waiting: await make('久未回复的意向', 'intent', 20),
    talking: await make('洽谈中', 'negotiating', 5),
    signed: await make('已签约', 'signed', 3, { amount: 500_000, commission: 15_000 }),
    done: await make('已完成', 'completed', 40, {
      amount: 1_000_000,
      commission: 50_000,
      signedDaysAfterStart: 20,
    }),
    dropped: await make('已取消', 'cancelled', 2),
  }
}

describe('the broker’s pipeline and ledger', () => {
  test('open deals by status with time in status; stalled ones flagged; closed deals in the ledger', async () => {
    const now = new Date()
    const market = await brokerWithDeals(now)
    const pipeline = await getPipeline(market.broker.user.id, now)
    const column = (status: string) => pipeline.columns.find((c) => c.status === status)!
    expect(column('intent')).toMatchObject({ count: 2, stalled: 1 })
    // The longest waiting comes first.
    expect(column('intent').cards.map((card) => [card.title, card.days, card.stalled])).toEqual([
      ['久未回复的意向', 20, true],
      ['新的意向', 1, false],
    ])
    expect(column('negotiating')).toMatchObject({ count: 1, stalled: 0 })
    expect(column('signed')).toMatchObject({ count: 1, value: 500_000 })
    expect(pipeline.columns.map((c) => c.status)).not.toContain('completed')

    const ledger = await getLedger(market.broker.user.id, 1)
    expect(ledger.deals.map((deal) => [deal.title, deal.daysToClose])).toEqual([
      ['已签约', 10],
      ['已完成', 20],
    ])
    expect(ledger.totals).toMatchObject({
      open: 4,
      closed: 2,
      value: 1_500_000,
      commission: 65_000,
      daysToClose: 15,
    })
    const all = await getBrokerLedgers()
    expect(all.find((row) => row.brokerId === market.broker.user.id)).toEqual(ledger.totals)
  })

  test('commission: a rate becomes an amount at signing, a fixed fee stays; only the deal’s broker sets it, version-checked', async () => {
    const market = await brokerWithDeals(new Date())
    const broker = await actorOf(market.broker.user.id)
    const party = await actorOf(market.party.user.id)
    const parse = (form: Record<string, string>) => {
      const parsed = commissionSchema.safeParse(form)
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message)
      return parsed.data
    }
    const dealId = market.talking.id
    const version = async () =>
      (await prisma.deal.findUniqueOrThrow({ where: { id: dealId } })).version
    expect(
      await setDealCommission(party, dealId, parse({ basis: 'rate', percent: '3', version: '1' })),
    ).toMatchObject({ ok: false, status: 403 })
    expect(
      await setDealCommission(broker, dealId, parse({ basis: 'rate', percent: '3', version: '9' })),
    ).toMatchObject({ ok: false, status: 409 })
    expect(
      await setDealCommission(
        broker,
        dealId,
        parse({ basis: 'rate', percent: '3.5', version: String(await version()) }),
      ),
    ).toEqual({ ok: true })
    expect(await prisma.deal.findUniqueOrThrow({ where: { id: dealId } })).toMatchObject({
      commissionAmount: null,
    })
    const signing = dealMoveFromForm({
      to: 'signed',
      version: String(await version()),
      contractType: 'license',
      contractAmount: '80',
      signedAt: '2026-06-30',
    })
    if (!signing.success) throw new Error(signing.error.message)
    expect(await moveDeal(broker, dealId, signing.data)).toMatchObject({ ok: true })
    const signed = await prisma.deal.findUniqueOrThrow({ where: { id: dealId } })
    expect([signed.commissionRate?.toNumber(), signed.commissionAmount?.toNumber()]).toEqual([
      0.035, 28_000,
    ])
    expect(
      await setDealCommission(
        broker,
        dealId,
        parse({ basis: 'fixed', amount: '2.5', version: String(signed.version) }),
      ),
    ).toEqual({ ok: true })
    const fixed = await prisma.deal.findUniqueOrThrow({ where: { id: dealId } })
    expect([fixed.commissionRate, fixed.commissionAmount?.toNumber()]).toEqual([null, 25_000])
    expect(
      await prisma.dealEvent.findMany({
        where: { dealId, note: { startsWith: '佣金约定' } },
        orderBy: { createdAt: 'asc' },
        select: { note: true },
      }),
    ).toEqual([{ note: '佣金约定：合同金额的 3.5%' }, { note: '佣金约定：固定 2.5 万元' }])
    expect(
      await setDealCommission(
        broker,
        market.done.id,
        parse({ basis: 'fixed', amount: '1', version: '1' }),
      ),
    ).toMatchObject({ ok: false, status: 409 })

    // Bad input through the page's form: the field is named, nothing changes.
    const post = (form: Record<string, string>) =>
      run(
        dealRoute.action,
        buildRequest(`/deals/${dealId}`, {
          cookie: market.broker.cookie,
          form: { intent: 'commission', version: String(fixed.version), ...form },
        }),
        { dealId },
      )
    for (const [form, field, message] of [
      [{ basis: 'rate', percent: '0' }, 'percent', '佣金比例应大于 0'],
      [{ basis: 'rate', percent: '31' }, 'percent', '佣金比例不能超过 30%'],
      [{ basis: 'rate', percent: 'abc' }, 'percent', '佣金比例应为数字'],
      [{ basis: 'fixed', amount: '-1' }, 'amount', '固定佣金不能为负数'],
      [{ basis: 'other' }, 'basis', '请选择佣金方式'],
    ] as const) {
      const response = await post(form)
      expect(response.status).toBe(400)
      const body = await response.json()
      expect(body.fieldErrors[field]).toEqual([message])
      expect(body.values).toMatchObject(form)
    }
    expect((await prisma.deal.findUniqueOrThrow({ where: { id: dealId } })).version).toBe(
      fixed.version,
    )
  })

  test('the pages: brokers see their own board and ledger, the bureau every broker’s; others are refused', async () => {
    const market = await brokerWithDeals(new Date())
    const other = await brokerWithDeals(new Date())
    const bureau = await createSignedInUser('bureau')
    const board = await run(
      pipelineRoute.loader,
      buildRequest('/pipeline', { cookie: market.broker.cookie }),
    )
    expect(board.status).toBe(200)
    expect(
      (await run(pipelineRoute.loader, buildRequest('/pipeline', { cookie: market.party.cookie })))
        .status,
    ).toBe(403)
    // A broker asking for another broker's ledger gets their own.
    const own = await run(
      ledgerRoute.loader,
      buildRequest(`/ledger?broker=${other.broker.user.id}`, { cookie: market.broker.cookie }),
    )
    const ownBody = await own.json()
    expect(ownBody.summary).toBeNull()
    expect(ownBody.ledger.broker.id).toBe(market.broker.user.id)
    const seen = await run(
      ledgerRoute.loader,
      buildRequest(`/ledger?broker=${other.broker.user.id}`, { cookie: bureau.cookie }),
    )
    const seenBody = await seen.json()
    expect(seenBody.ledger.broker.id).toBe(other.broker.user.id)
    expect(seenBody.summary.map((row: { brokerId: string }) => row.brokerId)).toEqual(
      expect.arrayContaining([market.broker.user.id, other.broker.user.id]),
    )
    for (const broker of ['nonexistent', market.party.user.id]) {
      expect(
        (
          await run(
            ledgerRoute.loader,
            buildRequest(`/ledger?broker=${broker}`, { cookie: bureau.cookie }),
          )
        ).status,
      ).toBe(404)
    }
    expect(
      (await run(ledgerRoute.loader, buildRequest('/ledger', { cookie: market.party.cookie })))
        .status,
    ).toBe(403)
  })

  test('a broker takes up a suggested match: one deal run by them, both parties told; nobody takes it twice', async () => {
    const enterprise = await createTestOrganization()
    const university = await createTestOrganization({ kind: 'university' })
    const later = new Date(Date.now() + 365 * DAY)
    const need = await prisma.need.create({
      data: {
        title: '高温合金叶片修复需求',
        description: '需要高温合金叶片修复技术',
        fieldCode: '804',
        cooperationModes: ['transfer'],
        orgId: enterprise.id,
        status: 'open',
        expiresAt: later,
      },
    })
    const result = await prisma.result.create({
      data: {
        title: '高温合金激光熔覆修复',
        summary: '激光熔覆修复高温合金叶片',
        fieldCode: '804',
        trl: 7,
        transferModes: ['license'],
        orgId: university.id,
        status: 'published',
        publishedAt: new Date(),
        expiresAt: later,
      },
    })
    const match = await prisma.match.create({
      data: { needId: need.id, resultId: result.id, score: 0.82, reasons: {}, source: 'engine' },
    })
    const buyer = await createSignedInUser('enterprise', enterprise.id)
    const seller = await createSignedInUser('researcher', university.id)
    const [first, second] = await Promise.all([
      createSignedInUser('broker').then((b) => actorOf(b.user.id)),
      createSignedInUser('broker').then((b) => actorOf(b.user.id)),
    ])
    expect((await listMatchesToTakeUp()).map((offer) => offer.id)).toContain(match.id)
    expect(await startDealFromMatch(await actorOf(buyer.user.id), match.id)).toMatchObject({
      ok: false,
      status: 403,
    })
    const outcomes = await Promise.all([
      startDealFromMatch(first!, match.id),
      startDealFromMatch(second!, match.id),
    ])
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1)
    expect(outcomes.find((outcome) => !outcome.ok)).toMatchObject({ ok: false })
    const deals = await prisma.deal.findMany({ where: { matchId: match.id } })
    expect(deals).toHaveLength(1)
    expect(deals[0]).toMatchObject({
      status: 'intent',
      sellerOrgId: university.id,
      buyerOrgId: enterprise.id,
      needId: need.id,
      resultId: result.id,
    })
    expect([first!.id, second!.id]).toContain(deals[0]!.brokerId)
    expect(await prisma.match.findUniqueOrThrow({ where: { id: match.id } })).toMatchObject({
      status: 'contacted',
      brokerId: deals[0]!.brokerId,
    })
    for (const party of [buyer, seller]) {
      expect(
        await prisma.notification.count({
          where: { userId: party.user.id, kind: 'deal_enquiry', link: `/deals/${deals[0]!.id}` },
        }),
      ).toBe(1)
    }
    expect((await listMatchesToTakeUp()).map((offer) => offer.id)).not.toContain(match.id)
    expect(await startDealFromMatch(first!, match.id)).toMatchObject({ ok: false, status: 404 })
  })

  test('a broker starts a deal directly between two organizations named in full; bad names are refused with the values kept', async () => {
    const seller = await createTestOrganization({ kind: 'university', name: '西安某理工大学测试' })
    const buyer = await createTestOrganization({ name: '西安某装备制造测试有限公司' })
    const broker = await createSignedInUser('broker')
    const member = await createSignedInUser('enterprise', buyer.id)
    const post = (form: Record<string, string>) =>
      run(
        pipelineRoute.action,
        buildRequest('/pipeline', { cookie: broker.cookie, form: { intent: 'direct', ...form } }),
      )
    const form = {
      sellerOrg: seller.name,
      buyerOrg: buyer.name,
      title: '数控机床远程运维技术服务',
      message: '两位好，我来协助双方对接。',
    }
    for (const [changes, field, message] of [
      [
        { sellerOrg: '不存在的大学' },
        'sellerOrg',
        '未找到单位“不存在的大学”，请填写在平台注册的完整名称',
      ],
      [{ buyerOrg: seller.name }, 'buyerOrg', '买方单位与卖方单位不能是同一家单位'],
      [{ title: '' }, 'title', '请填写合同名称'],
    ] as const) {
      const response = await post({ ...form, ...changes })
      expect(response.status).toBe(400)
      const body = await response.json()
      expect(body.fieldErrors[field]).toEqual([message])
      expect(body.values).toMatchObject({ ...form, ...changes })
    }
    expect(await prisma.deal.count({ where: { brokerId: broker.user.id } })).toBe(0)
    const started = await post(form)
    expect(started.status).toBe(302)
    const deal = await prisma.deal.findFirstOrThrow({
      where: { brokerId: broker.user.id },
      include: { messages: true },
    })
    expect(started.headers.get('location')).toBe(`/deals/${deal.id}`)
    expect(deal).toMatchObject({ status: 'intent', sellerOrgId: seller.id, buyerOrgId: buyer.id })
    expect(deal.messages.map((message) => message.body)).toEqual(['两位好，我来协助双方对接。'])
    expect(
      await prisma.notification.count({
        where: { userId: member.user.id, link: `/deals/${deal.id}` },
      }),
    ).toBe(1)
    expect(
      (
        await run(
          pipelineRoute.action,
          buildRequest('/pipeline', { cookie: member.cookie, form: { intent: 'direct', ...form } }),
        )
      ).status,
    ).toBe(403)
  })
})
