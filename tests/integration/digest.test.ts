import { afterAll, beforeAll, describe, expect, test } from 'vitest'

import { msUntilNextDigest, sendNotificationDigests } from '~/models/digest.server'
import { prisma } from '~/utils/db.server'

import { createTestUser } from '../setup/remix'
import { startSmtpServer } from '../setup/smtp'

let smtp: Awaited<ReturnType<typeof startSmtpServer>>

beforeAll(async () => {
  smtp = await startSmtpServer()
})

afterAll(async () => {
  await smtp.close()
})

async function notify(userId: string, title: string, at: Date, read = false) {
  await prisma.notification.create({
    data: {
      userId,
      kind: 'deal_message',
      title,
      link: '/deals/abc',
      createdAt: at,
      readAt: read ? at : null,
    },
  })
}

describe('the daily digest of unread notifications', () => {
  test('one mail per user with news, listing only what is unread and new since the last digest', async () => {
    const mail = {
      smtpUrl: smtp.url,
      from: '西安科技大市场 <noreply@example.cn>',
      publicUrl: 'https://market.example.cn',
    }
    const busy = await createTestUser({ displayName: '王经理' })
    const quiet = await createTestUser()
    const day = new Date('2026-12-01T00:00:00Z')
    await notify(busy.id, '对接：光伏组件：李研究 发来新消息', new Date(day.getTime() - 3_600_000))
    await notify(busy.id, '已读的通知', new Date(day.getTime() - 3_600_000), true)
    await notify(quiet.id, '也已读', new Date(day.getTime() - 3_600_000), true)

    const first = await sendNotificationDigests({ now: day, mail })
    expect(first).toEqual({ users: 1, sent: 1, logged: 0, failed: 0 })
    const sent = await smtp.waitForMail(busy.email)
    expect(sent.headers).toMatch(/Subject: =\?UTF-8\?/)
    expect(sent.text).toContain('王经理，您好')
    expect(sent.text).toContain('您有 1 条未读通知')
    expect(sent.text).toContain(
      '· 对接：光伏组件：李研究 发来新消息\n  https://market.example.cn/deals/abc',
    )
    expect(sent.text).not.toContain('已读的通知')
    expect(smtp.received.filter((m) => m.to.some((to) => to.includes(quiet.email)))).toEqual([])

    // The next morning: nothing new, no mail; something new, only that.
    const next = new Date(day.getTime() + 86_400_000)
    expect(await sendNotificationDigests({ now: next, mail })).toEqual({
      users: 0,
      sent: 0,
      logged: 0,
      failed: 0,
    })
    await notify(busy.id, '合同进展：已签约', new Date(next.getTime() - 60_000))
    const count = smtp.received.length
    await sendNotificationDigests({ now: next, mail })
    expect(smtp.received).toHaveLength(count + 1)
    expect(smtp.received.at(-1)?.text).toContain('合同进展：已签约')
    expect(smtp.received.at(-1)?.text).not.toContain('李研究')

    // A mail server that refuses: the mark stays, so tomorrow's digest still has it.
    await notify(quiet.id, '新的匹配', new Date(next.getTime() - 60_000))
    const refused = await sendNotificationDigests({
      now: next,
      mail: { ...mail, smtpUrl: 'smtp://127.0.0.1:1' },
    })
    expect(refused).toMatchObject({ users: 1, sent: 0, failed: 1 })
    expect(
      (await prisma.user.findUniqueOrThrow({ where: { id: quiet.id } })).lastDigestAt,
    ).toBeNull()
  })

  test('runs once at a time across servers, and is due at 08:00 in Xi’an', async () => {
    const user = await createTestUser()
    await notify(user.id, '审核通过', new Date(Date.now() - 60_000))
    const mail = {
      smtpUrl: smtp.url,
      from: 'noreply@example.cn',
      publicUrl: 'https://market.example.cn',
    }
    const both = await Promise.all([
      sendNotificationDigests({ mail }),
      sendNotificationDigests({ mail }),
    ])
    expect(both.map((outcome) => outcome.sent).sort()).toEqual([0, 1])
    expect(msUntilNextDigest(new Date('2026-12-04T23:30:00Z'))).toBe(30 * 60_000)
    expect(msUntilNextDigest(new Date('2026-12-05T00:00:00Z'))).toBe(86_400_000)
  })
})
