import type { Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import { MESSAGE_MAX_LENGTH, MESSAGE_PAGE_SIZE } from '~/domain/deals'
import {
  countUnreadMessages,
  listDealMessages,
  markDealRead,
  postDealMessage,
} from '~/models/deal-room.server'
import { startEnquiry } from '~/models/deal.server'
import type { ChatMessage } from '~/realtime/events'
import { prisma } from '~/utils/db.server'

import { openSocket, signInOverHttp, startInProcessServer } from '../setup/app-server'
import { createTestOrganization, createTestUser, TEST_PASSWORD } from '../setup/remix'

let baseUrl: string
let close: () => Promise<void>

beforeAll(async () => {
  const server = await startInProcessServer()
  baseUrl = server.baseUrl
  close = server.close
})

afterAll(async () => {
  await close()
})

/** A user as the models see them, with the e-mail to sign in with. */
async function person(
  role: 'enterprise' | 'researcher' | 'broker' | 'bureau',
  orgId: string | null,
) {
  const { id, email } = await createTestUser({ role, orgId })
  const user = await prisma.user.findUniqueOrThrow({
    where: { id },
    select: { id: true, role: true, membership: true, org: { select: { id: true } } },
  })
  return { ...user, email }
}

/** An enquiry on a university's result by an enterprise, with a broker on it. */
async function room() {
  const enterprise = await createTestOrganization()
  const university = await createTestOrganization({ kind: 'university' })
  const result = await prisma.result.create({
    data: {
      title: '低温等离子体废气处理技术',
      summary: '等离子体处理工业废气',
      fieldCode: '807',
      trl: 6,
      transferModes: ['license'],
      orgId: university.id,
      status: 'published',
      publishedAt: new Date(),
      expiresAt: new Date(Date.now() + 365 * 86_400_000),
    },
  })
  const buyer = await person('enterprise', enterprise.id)
  const seller = await person('researcher', university.id)
  const broker = await person('broker', null)
  const bureau = await person('bureau', null)
  const outsider = await person('enterprise', (await createTestOrganization()).id)
  const started = await startEnquiry(buyer, { kind: 'result', id: result.id }, '想了解许可条件')
  if (!started.ok) throw new Error(started.reason)
  await prisma.deal.update({ where: { id: started.dealId }, data: { brokerId: broker.id } })
  return { dealId: started.dealId, buyer, seller, broker, bureau, outsider }
}

const messageCount = (dealId: string) => prisma.message.count({ where: { dealId } })

describe('the deal room, through its model', () => {
  test('refuses empty, blank, too long, the bureau and outsiders, and stores nothing then', async () => {
    const { dealId, buyer, bureau, outsider } = await room()
    const before = await messageCount(dealId)
    const refusals = await Promise.all([
      postDealMessage(buyer.id, dealId, ''),
      postDealMessage(buyer.id, dealId, ' \n\t '),
      postDealMessage(buyer.id, dealId, '技'.repeat(MESSAGE_MAX_LENGTH + 1)),
      postDealMessage(buyer.id, dealId, { body: '对象' }),
      postDealMessage(bureau.id, dealId, '科技局想说一句'),
      postDealMessage(outsider.id, dealId, '外人'),
      postDealMessage(buyer.id, 'nonexistent', '不存在的合同'),
    ])
    expect(refusals.map((refusal) => !refusal.ok && [refusal.status, refusal.reason])).toEqual([
      [400, '请填写消息'],
      [400, '请填写消息'],
      [400, `消息不能超过 ${MESSAGE_MAX_LENGTH} 个字符`],
      [400, '请填写消息'],
      [403, '科技局可以查看洽谈记录，但不在洽谈室发言'],
      [404, '该合同不存在，或您不是它的参与方'],
      [404, '该合同不存在，或您不是它的参与方'],
    ])
    expect(await messageCount(dealId)).toBe(before)
    // The longest message is kept whole.
    const longest = await postDealMessage(
      buyer.id,
      dealId,
      `  ${'技'.repeat(MESSAGE_MAX_LENGTH)}  `,
    )
    expect(longest.ok && longest.message.body).toBe('技'.repeat(MESSAGE_MAX_LENGTH))
  })

  test('pages back to the first word and catches up after a message; unread counts and notices follow reading', async () => {
    const { dealId, buyer, seller, broker, bureau } = await room()
    for (let index = 1; index <= 34; index += 1) {
      const posted = await postDealMessage(
        index % 2 ? seller.id : broker.id,
        dealId,
        `第 ${index} 条`,
      )
      expect(posted.ok).toBe(true)
    }
    const latest = await listDealMessages(buyer.id, dealId)
    if (!latest.ok) throw new Error(latest.reason)
    expect(latest.messages).toHaveLength(MESSAGE_PAGE_SIZE)
    expect(latest.hasMore).toBe(true)
    expect(latest.messages.at(-1)?.body).toBe('第 34 条')
    const older = await listDealMessages(buyer.id, dealId, { before: latest.messages[0]?.id })
    if (!older.ok) throw new Error(older.reason)
    // The enquiry's first message, then messages 1 … 4.
    expect(older.messages.map((message) => message.body)).toEqual([
      '想了解许可条件',
      '第 1 条',
      '第 2 条',
      '第 3 条',
      '第 4 条',
    ])
    expect(older.hasMore).toBe(false)
    const all = [...older.messages, ...latest.messages].map((message) => message.id)
    expect(new Set(all).size).toBe(35)

    const caughtUp = await listDealMessages(buyer.id, dealId, { after: latest.messages.at(-3)?.id })
    if (!caughtUp.ok) throw new Error(caughtUp.reason)
    expect(caughtUp.messages.map((message) => message.body).slice(-2)).toEqual([
      '第 33 条',
      '第 34 条',
    ])
    // A cursor from another deal does not leak it: the latest page is answered instead.
    const other = await room()
    const foreign = await listDealMessages(other.buyer.id, other.dealId, { before: all[5] })
    expect(foreign.ok && foreign.messages.map((message) => message.body)).toEqual([
      '想了解许可条件',
    ])
    expect(await listDealMessages(other.buyer.id, dealId)).toMatchObject({ ok: false, status: 404 })

    // 34 messages by the others, one notice for the buyer however many came.
    expect(await countUnreadMessages(buyer, [dealId, other.dealId])).toEqual(
      new Map([[dealId, 34]]),
    )
    const notices = () =>
      prisma.notification.count({ where: { userId: buyer.id, kind: 'deal_message', readAt: null } })
    expect(await notices()).toBe(1)
    expect(await markDealRead(buyer.id, dealId)).toBe(true)
    expect(await countUnreadMessages(buyer, [dealId])).toEqual(new Map())
    expect(await notices()).toBe(0)
    // Speaking reads the room: the seller's last word was message 33, the broker's 34 is new.
    expect(await countUnreadMessages(seller, [dealId])).toEqual(new Map([[dealId, 1]]))
    // The bureau only reads along.
    expect(await countUnreadMessages(bureau, [dealId])).toEqual(new Map())
    expect(await markDealRead(bureau.id, dealId)).toBe(false)
  })
})

/** Emits with an acknowledgement and waits for it. */
function ask<T>(socket: Socket, event: string, payload: unknown) {
  return new Promise<T>((resolve) => socket.emit(event, payload, resolve))
}

describe('the deal room, over Socket.IO', () => {
  test('participants hear each other live; outsiders cannot join; forged payloads are refused', async () => {
    const { dealId, buyer, seller, bureau, outsider } = await room()
    const sign = async (user: { email: string }) =>
      openSocket(baseUrl, await signInOverHttp(baseUrl, user.email, TEST_PASSWORD))
    const [buyerSocket, sellerSocket, bureauSocket, outsiderSocket, anonymous] = await Promise.all([
      sign(buyer),
      sign(seller),
      sign(bureau),
      sign(outsider),
      openSocket(baseUrl),
    ])
    const heard: Record<string, string[]> = { seller: [], bureau: [], outsider: [] }
    sellerSocket.on('deal:message', (message: ChatMessage) => heard.seller?.push(message.body))
    bureauSocket.on('deal:message', (message: ChatMessage) => heard.bureau?.push(message.body))
    outsiderSocket.on('deal:message', (message: ChatMessage) => heard.outsider?.push(message.body))
    const typing: string[] = []
    sellerSocket.on('deal:typing', (payload: { name: string }) => typing.push(payload.name))

    for (const socket of [buyerSocket, sellerSocket, bureauSocket]) {
      expect(await ask(socket, 'deal:join', dealId)).toEqual({ ok: true })
    }
    const refused = { ok: false, error: '该合同不存在，或您不是它的参与方' }
    expect(await ask(outsiderSocket, 'deal:join', dealId)).toEqual(refused)
    expect(await ask(anonymous, 'deal:join', dealId)).toEqual({ ok: false, error: '请先登录' })
    const malformed = { ok: false, error: '请求格式不正确，请刷新页面后重试' }
    for (const forged of [
      null,
      42,
      'x'.repeat(100_000),
      { dealId, body: '你好', senderId: seller.id },
      { dealId: ['a'], body: '你好' },
      { dealId, body: { toString: '你好' } },
    ]) {
      expect(await ask(buyerSocket, 'deal:send', forged)).toEqual(malformed)
    }
    expect(await ask(outsiderSocket, 'deal:send', { dealId, body: '插一句' })).toEqual(refused)
    expect(await ask(outsiderSocket, 'deal:messages', { dealId })).toEqual(refused)
    expect(await ask(buyerSocket, 'deal:messages', { dealId, before: 'x', after: 'y' })).toEqual(
      malformed,
    )
    expect(await ask(buyerSocket, 'deal:send', { dealId, body: '' })).toEqual({
      ok: false,
      error: '请填写消息',
    })

    buyerSocket.emit('deal:typing', dealId)
    outsiderSocket.emit('deal:typing', dealId)
    bureauSocket.emit('deal:typing', dealId)
    const sent = await ask<{ ok: boolean; message: ChatMessage }>(buyerSocket, 'deal:send', {
      dealId,
      body: '请问许可费用如何计算？',
    })
    expect(sent).toMatchObject({ ok: true, message: { body: '请问许可费用如何计算？' } })
    await expect.poll(() => heard.seller).toEqual(['请问许可费用如何计算？'])
    await expect.poll(() => heard.bureau).toEqual(['请问许可费用如何计算？'])
    expect(heard.outsider).toEqual([])
    // Only the buyer speaks in the room: the outsider is not in it, the bureau only reads.
    expect(typing).toEqual([
      (await prisma.user.findUniqueOrThrow({ where: { id: buyer.id } })).displayName,
    ])

    // Limits are per socket: on a fresh one ten at once pass, the eleventh within the second
    // is refused, and not stored.
    const burster = await sign(buyer)
    expect(await ask(burster, 'deal:join', dealId)).toEqual({ ok: true })
    const before = await messageCount(dealId)
    const burst = await Promise.all(
      Array.from({ length: 11 }, (_, index) =>
        ask<{ ok: boolean; error?: string }>(burster, 'deal:send', {
          dealId,
          body: `连发 ${index}`,
        }),
      ),
    )
    expect(burst.filter((reply) => reply.ok)).toHaveLength(10)
    expect(burst.filter((reply) => !reply.ok)).toEqual([
      { ok: false, error: '操作过于频繁，请稍后再试' },
    ])
    expect(await messageCount(dealId)).toBe(before + 10)
    for (const socket of [
      buyerSocket,
      sellerSocket,
      bureauSocket,
      outsiderSocket,
      anonymous,
      burster,
    ]) {
      socket.close()
    }
  })
})
