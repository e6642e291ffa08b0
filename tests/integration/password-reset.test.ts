import { createHash } from 'node:crypto'

import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'

import { requestPasswordReset } from '~/models/password-reset.server'
import { MARKET_EVENTS_CHANNEL } from '~/realtime/events'
import { loader as rootLoader } from '~/root'
import * as adminUsersRoute from '~/routes/admin.users'
import * as forgotRoute from '~/routes/forgot-password'
import * as loginRoute from '~/routes/login'
import * as resetRoute from '~/routes/reset-password'
import { prisma } from '~/utils/db.server'
import { getMailConfig, MailConfigError } from '~/utils/mail.server'

import { buildRequest, cookieFrom, createTestUser, run, TEST_PASSWORD } from '../setup/remix'
import { startSmtpServer } from '../setup/smtp'

const NEW_PASSWORD = 'Brand-new-42'
const PUBLIC_URL = 'https://market.example.cn'

let smtp: Awaited<ReturnType<typeof startSmtpServer>>
const savedEnv = { ...process.env }

beforeAll(async () => {
  smtp = await startSmtpServer()
})

afterAll(async () => {
  await smtp.close()
})

afterEach(() => {
  smtp.received.length = 0
  for (const name of ['SMTP_URL', 'MAIL_FROM', 'PUBLIC_URL', 'NODE_ENV'] as const) {
    if (savedEnv[name] === undefined) delete process.env[name]
    else Reflect.set(process.env, name, savedEnv[name])
  }
})

function useSmtp() {
  process.env.SMTP_URL = smtp.url
  process.env.MAIL_FROM = '西安科技大市场 <noreply@market.example.cn>'
  process.env.PUBLIC_URL = PUBLIC_URL
}

function askForReset(email: string, ip = '198.51.100.30') {
  const request = buildRequest('/forgot-password', { form: { email } })
  return forgotRoute
    .action({ request, params: {}, context: { clientIp: ip, cspNonce: '' } })
    .then((response) => response as Response)
}

async function login(email: string, password: string) {
  return run(loginRoute.action, buildRequest('/login', { form: { email, password } }))
}

async function signedIn(cookie: string | null) {
  const response = await run(rootLoader, buildRequest('/', { cookie }))
  return ((await response.json()) as { user: unknown }).user !== null
}

function tokenOf(link: string) {
  return new URL(link).searchParams.get('token')!
}

describe('忘记密码', () => {
  test('the answer is the same for known and unknown addresses; only a real account gets mail', async () => {
    useSmtp()
    const user = await createTestUser({ email: 'owner@example.com' })
    const known = await askForReset(user.email)
    const unknown = await askForReset('nobody@example.com')
    expect(known.status).toBe(200)
    expect(unknown.status).toBe(200)
    expect(await known.json()).toEqual(await unknown.json())

    const mail = await smtp.waitForMail(user.email)
    expect(mail.headers).toContain('noreply@market.example.cn')
    const link = /https:\/\/\S+/.exec(mail.text)?.[0]
    expect(link).toBeDefined()
    // The link is built from PUBLIC_URL, never from the Host header the asker sent.
    expect(new URL(link!).origin).toBe(PUBLIC_URL)
    expect(new URL(link!).pathname).toBe('/reset-password')

    // Only the token's hash is stored, and it lives one hour.
    const [row] = await prisma.passwordResetToken.findMany({
      select: { tokenHash: true, expiresAt: true, createdAt: true, userId: true },
    })
    expect(row!.userId).toBe(user.id)
    expect(row!.tokenHash).toBe(createHash('sha256').update(tokenOf(link!)).digest('hex'))
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBeGreaterThan(59 * 60 * 1000)
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBeLessThanOrEqual(3600 * 1000)
    await expect(smtp.waitForMail('nobody@example.com', 300)).rejects.toThrow()
  })

  test('the link sets a new password once, and every session of the user ends', async () => {
    useSmtp()
    const user = await createTestUser({ email: 'reset.me@example.com' })
    const laptop = cookieFrom(await login(user.email, TEST_PASSWORD))
    expect(await signedIn(laptop)).toBe(true)
    await askForReset(user.email)
    const token = tokenOf(/https:\/\/\S+/.exec((await smtp.waitForMail(user.email)).text)![0])

    const page = await run(resetRoute.loader, buildRequest(`/reset-password?token=${token}`))
    expect(page.status).toBe(200)
    expect(await page.json()).toEqual({ token, email: user.email })

    const weak = await run(
      resetRoute.action,
      buildRequest('/reset-password', {
        form: { token, newPassword: 'short', confirmPassword: 'short' },
      }),
    )
    expect(weak.status).toBe(400)
    expect(JSON.stringify(await weak.json())).toContain('密码至少 8 个字符')

    const sessionIds = (
      await prisma.session.findMany({ where: { userId: user.id }, select: { id: true } })
    ).map((session) => session.id)
    const listener = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await listener.connect()
    const events: unknown[] = []
    listener.on('notification', (message) => events.push(JSON.parse(message.payload ?? 'null')))
    await listener.query(`LISTEN ${MARKET_EVENTS_CHANNEL}`)
    const done = await run(
      resetRoute.action,
      buildRequest('/reset-password', {
        form: { token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      }),
    )
    expect(done.status).toBe(302)
    expect(done.headers.get('Location')).toBe('/login')
    // Open sockets of those sessions are told to disconnect.
    await expect
      .poll(() => events, { timeout: 5000 })
      .toContainEqual({ type: 'session:ended', room: { sessionIds } })
    await listener.end()
    expect(await signedIn(laptop)).toBe(false)
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0)
    expect((await login(user.email, TEST_PASSWORD)).status).toBe(400)
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(302)

    // Used once: the same link neither opens nor works again.
    expect(
      (await run(resetRoute.loader, buildRequest(`/reset-password?token=${token}`))).status,
    ).toBe(400)
    const again = await run(
      resetRoute.action,
      buildRequest('/reset-password', {
        form: { token, newPassword: 'Another-pass-9', confirmPassword: 'Another-pass-9' },
      }),
    )
    expect(again.status).toBe(400)
    expect(JSON.stringify(await again.json())).toContain('该重置链接无效、已使用或已过期')
  })

  test('an expired or made-up link is refused with a clear message', async () => {
    const user = await createTestUser({ email: 'late@example.com' })
    await requestPasswordReset({
      email: user.email,
      requestOrigin: 'http://localhost:3000',
      now: new Date(Date.now() - 61 * 60 * 1000),
    })
    expect(await prisma.passwordResetToken.count({ where: { userId: user.id } })).toBe(1)
    for (const token of ['x'.repeat(43), 'not a token', '']) {
      const response = await run(
        resetRoute.loader,
        buildRequest(`/reset-password?${new URLSearchParams({ token })}`),
      )
      expect(response.status).toBe(400)
      expect(await response.json()).toEqual({ token: null, email: null })
    }
  })

  test('a newer link replaces the older one', async () => {
    useSmtp()
    const user = await createTestUser({ email: 'twice@example.com' })
    await askForReset(user.email)
    const first = tokenOf(/https:\/\/\S+/.exec((await smtp.waitForMail(user.email)).text)![0])
    smtp.received.length = 0
    await askForReset(user.email)
    const second = tokenOf(/https:\/\/\S+/.exec((await smtp.waitForMail(user.email)).text)![0])
    expect(second).not.toBe(first)
    expect(
      (await run(resetRoute.loader, buildRequest(`/reset-password?token=${first}`))).status,
    ).toBe(400)
    expect(
      (await run(resetRoute.loader, buildRequest(`/reset-password?token=${second}`))).status,
    ).toBe(200)
  })

  test('requests are rate-limited per address, and one inbox gets at most three mails an hour', async () => {
    useSmtp()
    const user = await createTestUser({ email: 'flooded@example.com' })
    for (let request = 0; request < 5; request++) {
      expect((await askForReset(user.email, '198.51.100.40')).status).toBe(200)
    }
    await smtp.waitForMail(user.email)
    await expect.poll(() => smtp.received.length, { timeout: 5000 }).toBe(3)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(smtp.received.filter((mail) => mail.to.join().includes(user.email))).toHaveLength(3)

    for (let request = 0; request < 5; request++)
      await askForReset('x@example.com', '198.51.100.40')
    const limited = await askForReset('y@example.com', '198.51.100.40')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('Retry-After')).toMatch(/^\d+$/)
  })

  test('in production without SMTP no link is made or logged; the admin makes one instead', async () => {
    const user = await createTestUser({ email: 'nomail@example.com' })
    Reflect.set(process.env, 'NODE_ENV', 'production')
    await requestPasswordReset({ email: user.email, requestOrigin: 'https://evil.example' })
    Reflect.set(process.env, 'NODE_ENV', savedEnv.NODE_ENV)
    expect(await prisma.passwordResetToken.count()).toBe(0)

    const admin = await createTestUser({ role: 'admin' })
    const adminCookie = cookieFrom(await login(admin.email, TEST_PASSWORD))
    const made = await run(
      adminUsersRoute.action,
      buildRequest('/admin/users', {
        cookie: adminCookie,
        form: { intent: 'reset-link', userId: user.id },
      }),
    )
    expect(made.status).toBe(200)
    const { reset } = (await made.json()) as { reset: { link: string } }
    expect(new URL(reset.link).pathname).toBe('/reset-password')
    const done = await run(
      resetRoute.action,
      buildRequest('/reset-password', {
        form: {
          token: tokenOf(reset.link),
          newPassword: NEW_PASSWORD,
          confirmPassword: NEW_PASSWORD,
        },
      }),
    )
    expect(done.status).toBe(302)
    expect((await login(user.email, NEW_PASSWORD)).status).toBe(302)
  })

  test('only the admin makes reset links', async () => {
    const target = await createTestUser()
    const broker = await createTestUser({ role: 'broker' })
    const cookie = cookieFrom(await login(broker.email, TEST_PASSWORD))
    const refused = await run(
      adminUsersRoute.action,
      buildRequest('/admin/users', { cookie, form: { intent: 'reset-link', userId: target.id } }),
    )
    expect(refused.status).toBe(403)
    expect(await prisma.passwordResetToken.count()).toBe(0)
  })
})

describe('mail settings', () => {
  test('SMTP_URL needs MAIL_FROM and PUBLIC_URL, each named when missing or malformed', () => {
    expect(getMailConfig({})).toBeNull()
    expect(() => getMailConfig({ SMTP_URL: 'smtp://mail.example.cn:25' })).toThrow(MailConfigError)
    try {
      getMailConfig({ SMTP_URL: 'http://mail', MAIL_FROM: 'nobody', PUBLIC_URL: 'market' })
    } catch (error) {
      const { problems } = error as MailConfigError
      expect(problems.map((problem) => problem.split(':')[0])).toEqual([
        'SMTP_URL',
        'MAIL_FROM',
        'PUBLIC_URL',
      ])
    }
    expect(
      getMailConfig({
        SMTP_URL: 'smtps://user:pass@smtp.example.cn:465',
        MAIL_FROM: '西安科技大市场 <noreply@example.cn>',
        PUBLIC_URL: 'https://market.example.cn/',
      }),
    ).toEqual({
      smtpUrl: 'smtps://user:pass@smtp.example.cn:465',
      from: '西安科技大市场 <noreply@example.cn>',
      publicUrl: 'https://market.example.cn',
    })
  })
})
